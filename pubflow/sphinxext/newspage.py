"""What a news page carries besides its text: its PDF, its description, canonical address and structured data.

- The article's PDF (``_build/pdf/<edition>/…``, which the site mirrors into
  ``pdf/``), linked from its page and its front-page entry once it exists; the
  list of an edition's PDFs is an html-rebuild value, so pages are written
  again when their PDFs appear or go.
- ``<meta name="description">`` from the standfirst (the subtitle) or else the
  first paragraph, a canonical link (absolute with ``base-url``, through
  Sphinx's own ``html_baseurl``), Open Graph and Twitter card tags, and
  NewsArticle JSON-LD (headline, datePublished, dateModified, author,
  inLanguage, publisher, and ``translationOfWork`` for a translation).
- Redirect pages for renamed articles (``[tool.pubflow.redirects]``), made by
  sphinx-reredirects in every edition.

Written here rather than with sphinxext-opengraph: its description is the
page's first text, which on a pubflow article is the byline, not the
standfirst, and the JSON-LD and the PDF links need pubflow's article records
anyway.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from pubflow.sphinxext.editions import project_config
from pubflow.sphinxext.pdflinks import edition_name, edition_pdfs, pdf_url

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
DESCRIPTION_LENGTH = 200


def json_for_script(data: dict[str, Any]) -> str:
    """JSON inside ``<script>``: no ``<``, ``>`` or ``&`` left, so no text can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH]
    # A Latin text is cut between words; a Chinese one has no spaces and is cut anywhere.
    if " " in cut[DESCRIPTION_LENGTH // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，、；：") + "…"


def _on_config_inited(app: Sphinx, config: Config) -> None:
    project = project_config(app)
    config.pubflow_pdfs = "|".join(sorted(edition_pdfs(app)))
    if project.base_url:
        config.html_baseurl = f"{project.base_url}{edition_name(app)}/"
    if project.redirects:
        config.redirects = {old: f"{new}.html" for old, new in project.redirects.items()}
        config.redirect_html_template_file = str(THEME_DIR / "redirect.html")


def _page_url(app: Sphinx, pagename: str, suffix: str) -> str:
    base = app.config.html_baseurl
    return f"{base}{pagename}{suffix}" if base else f"{pagename.rsplit('/', 1)[-1]}{suffix}"


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    from pubflow.sphinxext.feed import _aware, catalog_revised
    from pubflow.sphinxext.frontpage import edition_locales, records

    project = project_config(app)
    suffix = context.get("file_suffix", ".html")
    if doctree is None or pagename == "status":
        return
    # Sphinx writes the canonical link itself when html_baseurl is set; without base-url, the page's own name.
    if not context.get("pageurl"):
        context["pageurl"] = _page_url(app, pagename, suffix)
    locales = edition_locales(app)
    site_name = context.get("pubflow_site_title", project.name)
    record = records(app.env).get(pagename)
    meta: list[tuple[str, str, str]] = [("property", "og:site_name", site_name)]
    meta.append(("property", "og:locale", locales[0].name))
    meta += [("property", "og:locale:alternate", loc.name) for loc in project.locales.values() if loc not in locales]
    if app.config.html_baseurl:
        meta.append(("property", "og:url", _page_url(app, pagename, suffix)))
    if record is None:  # the front page, and any page that is no article
        title = site_name if pagename == app.config.root_doc else str(context.get("title", site_name))
        description = site_name
        meta += [("property", "og:type", "website")]
    else:
        title = " · ".join(text for text, _lang in record.title)
        standfirst = record.subtitle or record.summary
        description = _shorten(" · ".join(text for text, _lang in standfirst)) if standfirst else title
        pdf = pdf_url(app, pagename, pagename)
        context["pubflow_pdf"] = pdf
        meta += [("property", "og:type", "article")]
        published_at = record.published_at
        if published_at is not None:
            published = _aware(published_at, project.timezone)
            revised = [catalog_revised(app, loc, pagename) for loc in locales]
            modified = max(filter(None, [published, *revised]))
            meta += [
                ("property", "article:published_time", published.isoformat()),
                ("property", "article:modified_time", modified.isoformat()),
            ]
            context["pubflow_jsonld"] = json_for_script(
                news_article(app, pagename, suffix, record, title, description, published, modified, site_name)
            )
    meta += [
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    context["pubflow_description"] = description
    context["pubflow_meta"] = meta


def news_article(
    app: Sphinx,
    pagename: str,
    suffix: str,
    record: Any,
    title: str,
    description: str,
    published: datetime,
    modified: datetime,
    site_name: str,
) -> dict[str, Any]:
    """schema.org NewsArticle; a translation names the work it translates (the source edition's page)."""
    from pubflow.sphinxext.feed import author_name
    from pubflow.sphinxext.frontpage import edition_locales

    project = project_config(app)
    locales = edition_locales(app)
    languages = [loc.html_lang for loc in locales]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": description,
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": languages[0] if len(languages) == 1 else languages,
        "publisher": {"@type": "Organization", "name": site_name},
    }
    if record.author:
        data["author"] = {"@type": "Person", "name": author_name(record.author[0][0])}
    if app.config.html_baseurl:
        data["url"] = data["mainEntityOfPage"] = _page_url(app, pagename, suffix)
    if any(loc.name != project.source_language for loc in locales):
        source = project.source
        original: dict[str, Any] = {"@type": "NewsArticle", "inLanguage": source.html_lang}
        titles = [text for text, lang in record.title if lang == source.html_lang]
        if titles:
            original["headline"] = titles[0]
        if project.base_url:
            original["url"] = f"{project.base_url}{source.name}/{pagename}{suffix}"
        data["translationOfWork"] = original
    return data


def setup(app: Sphinx) -> None:
    app.add_config_value("pubflow_pdfs", "", "html", types=[str])
    app.setup_extension("sphinx_reredirects")
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("html-page-context", _on_html_page_context, priority=600)
