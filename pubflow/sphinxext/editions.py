"""Links between the editions: the language switcher, ``hreflang`` alternates, the home link.

Every edition is built into ``<output>/html/<locale>/``, so the same page in
another edition is always ``../<other>/<pagename>.html`` from the edition root.
"""

from __future__ import annotations

import glob
import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from pubflow.config import ProjectConfig, copyright_text, load_config
from pubflow.policy import edition_name as policy_edition
from pubflow.policy import read_held_back


def project_config(app: Sphinx) -> ProjectConfig:
    config: ProjectConfig | None = getattr(app, "pubflow_config", None)
    if config is None:
        config = load_config(Path(app.confdir))
        app.pubflow_config = config  # type: ignore[attr-defined]
    return config


def _on_config_inited(app: Sphinx, config: Config) -> None:
    project = project_config(app)
    # The articles the publication policy holds back (pubflow.policy, written by pubflow build): this edition
    # leaves its own out of every output, and every edition's switcher leaves out the others' (an html-rebuild
    # value, so that a change rewrites the pages). A plain sphinx-build has no such file and holds nothing back.
    held = read_held_back(Path(config.pubflow_held_back_file)) if config.pubflow_held_back_file else {}
    mine = sorted(held.get(policy_edition(config.language or project.source_language, config.pubflow_bilingual), {}))
    app.pubflow_held_back_here = frozenset(mine)  # type: ignore[attr-defined]
    if mine:
        config.exclude_patterns = [*config.exclude_patterns, *(glob.escape(f"{doc}.rst") for doc in mine)]
        config.suppress_warnings = [*config.suppress_warnings, "toc.excluded"]
    config.pubflow_held_back = json.dumps({edition: sorted(docs) for edition, docs in held.items() if docs})
    # Every page links every edition: when one is added, renamed or taken away, every page is written again
    # (an html-rebuild value: Sphinx compares it with the last build's, as it does its own settings).
    # No "Created using Sphinx" under a news page, unless the publication asks for it.
    config.html_show_sphinx = project.sphinx_credit
    config.pubflow_editions = "|".join(
        [*(f"{loc.name}={loc.label}" for loc in project.locales.values()), *(f"{a}:{b}" for a, b in project.bilingual)]
    )


def edition_root(app: Sphinx, pagename: str) -> str:
    """From a page to ``_build/html/``: editions are one folder deep, bilingual ones two."""
    depth = pagename.count("/") + (2 if app.config.pubflow_bilingual else 1)
    return "../" * depth


def held_back_in(app: Sphinx) -> dict[str, list[str]]:
    """The articles each edition holds back, as this build was configured with them."""
    return json.loads(app.config.pubflow_held_back or "{}")


def edition_links(
    config: ProjectConfig, current: str, pagename: str, suffix: str, up: str, held: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """Every edition that publishes ``pagename``: an edition that holds it back is not linked."""
    return [
        {
            "name": loc.name,
            "label": loc.label,
            "lang": loc.html_lang,
            "url": f"{up}{loc.name}/{pagename}{suffix}",
            "current": loc.name == current,
        }
        for loc in config.locales.values()
        if pagename not in (held or {}).get(loc.name, ())
    ]


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    config = project_config(app)
    language = app.config.language or config.source_language
    suffix = context.get("file_suffix", ".html")
    up = edition_root(app, pagename)
    current = "" if app.config.pubflow_bilingual else language
    held = held_back_in(app)
    context["pubflow_editions"] = edition_links(config, current, pagename, suffix, up, held)
    context["pubflow_bilingual"] = app.config.pubflow_bilingual
    context["pubflow_bilingual_links"] = [
        {
            "label": f"{config.locales[a].label} · {config.locales[b].label}",
            # Each half in its own language, for screen readers and fonts alike.
            "parts": [
                (config.locales[a].label, config.locales[a].html_lang),
                (config.locales[b].label, config.locales[b].html_lang),
            ],
            "url": f"{up}bilingual/{a}-{b}/{pagename}{suffix}",
            "current": app.config.pubflow_bilingual == f"{a}:{b}",
        }
        for a, b in config.bilingual
        if pagename not in held.get(f"bilingual/{a}-{b}", ())
    ]
    context["pubflow_home"] = f"{up}index.html"
    site_title, site_lang = publication_title(app)
    context["pubflow_site_title"] = site_title
    context["pubflow_site_lang"] = site_lang
    context["docstitle"] = site_title
    context["titlesuffix"] = "" if pagename == app.config.root_doc else f" — {site_title}"
    context["pubflow_copyright"] = copyright_text(config.copyright)
    # docutils adds a viewport tag to the page's meta tags, and Sphinx's basic layout writes one of its own.
    context["metatags"] = VIEWPORT_TAG.sub("", context.get("metatags", ""))
    # The translation-status page is for staff: reachable at status.html, kept out of search engines.
    context["pubflow_noindex"] = pagename == "status"


def publication_title(app: Sphinx) -> tuple[str, str]:
    """The front page's title as this edition has it, and its own language when that is not the page's.

    An edition whose catalog does not translate the name yet shows the source's name: marked with the
    source's ``lang``, so that no reader or screen reader takes 法治文选 for English.
    """
    project = project_config(app)
    root_title = app.env.titles.get(app.config.root_doc)
    if root_title is None:
        return app.config.project, ""
    title = root_title.deepcopy()
    for mark in list(title.findall(lambda n: isinstance(n, nodes.Element) and "pubflow-mark" in n["classes"])):
        mark.parent.remove(mark)
    text = title.astext().strip()
    page_language = app.config.language or project.source_language
    if text == project.name and page_language != project.source_language:
        return text, project.source.html_lang
    return text, ""


VIEWPORT_TAG = re.compile(r'<meta name="viewport"[^>]*>\s*')


class lang_span(nodes.Inline, nodes.TextElement):
    """Text in a language of its own (``<span lang>``): a source-language fallback in a translated page."""


def _visit_lang_span(self: Any, node: lang_span) -> None:
    self.body.append(self.starttag(node, "span", "", **({"lang": node["lang"]} if node.get("lang") else {})))


def _depart_lang_span(self: Any, node: lang_span) -> None:
    self.body.append("</span>")


def _pass(self: Any, node: nodes.Element) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(lang_span, html=(_visit_lang_span, _depart_lang_span), latex=(_pass, _pass), text=(_pass, _pass))
    app.add_config_value("pubflow_editions", "", "html", types=[str])
    app.add_config_value("pubflow_held_back", "", "html", types=[str])
    app.add_config_value("pubflow_held_back_file", "", "env", types=[str])
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_html_page_context)
