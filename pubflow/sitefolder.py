"""The deployable site: ``_build/html/`` as a static host serves it, with nothing outside it.

After every build, :func:`finish_site` makes the folder whole:

- the PDFs, mirrored from ``_build/pdf/`` into ``_build/html/pdf/`` (each file
  written atomically, a removed article's taken away), so that every link to
  them stays inside the site, at a domain root or under any sub-path;
- the root page, which links each edition, its feed and its PDFs;
- ``sitemap.xml`` with the hreflang alternates of each page (absolute
  addresses: only with ``base-url``), ``robots.txt`` naming it;
- ``404.html``, in every edition's language, for hosts that serve one for
  any missing address (GitHub Pages, Netlify, Cloudflare Pages): its links are
  absolute (``base-url``) or from the domain root, since it is shown at any depth.

pubflow writes these itself rather than through sphinx-sitemap and
sphinx-notfound-page: those make one file per Sphinx build, and a pubflow site
is several builds (one per edition and bilingual pair) that need one sitemap
whose alternates cross editions, and one 404 page for all of them.
"""

from __future__ import annotations

import html
import string
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from pubflow.catalog import load_catalog
from pubflow.config import LocaleConfig, ProjectConfig
from pubflow.fileio import write_atomic
from pubflow.interface import N_, label_for
from pubflow.shard import article_documents

THEME_DIR = Path(__file__).resolve().parent / "theme"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"

#: "Page not found" in each language that has an edition; another language shows the English line.
NOT_FOUND = {
    "zh_CN": ("找不到这一页", "请从首页查找："),
    "zh_TW": ("找不到這一頁", "請從首頁查找："),
    "zh_HK": ("找不到這一頁", "請從首頁查找："),
    "ja": ("ページが見つかりません", "トップページから探してください："),
    "en": ("Page not found", "Try the front page:"),
}


@dataclass
class SiteResult:
    written: list[Path] = field(default_factory=list)
    #: What the site lacks and why (no sitemap without base-url).
    notes: list[str] = field(default_factory=list)


def site_dir(config: ProjectConfig) -> Path:
    return config.output_dir / "html"


def site_pdf_dir(config: ProjectConfig) -> Path:
    return site_dir(config) / "pdf"


def sitemap_documents(config: ProjectConfig) -> list[str]:
    """The documents the sitemap lists in every edition: the front page and each article (never the status page).

    A publication policy that holds articles back filters this list.
    """
    return ["index", *article_documents(config.docs_dir)]


def edition_folders(config: ProjectConfig) -> list[tuple[str, str]]:
    """(folder under the site, hreflang) of every configured edition: locales first, then bilingual pairs."""
    folders = [(loc.name, loc.html_lang) for loc in config.locales.values()]
    folders += [(f"bilingual/{a}-{b}", config.locales[a].html_lang) for a, b in config.bilingual]
    return folders


def mirror_pdfs(config: ProjectConfig) -> list[Path]:
    """``_build/pdf/**.pdf`` → ``_build/html/pdf/``: the same files, and no other."""
    source, target = config.output_dir / "pdf", site_pdf_dir(config)
    wanted = {pdf.relative_to(source) for pdf in source.rglob("*.pdf")} if source.is_dir() else set()
    written = [
        target / relative
        for relative in sorted(wanted)
        if write_atomic(target / relative, (source / relative).read_bytes())
    ]
    for old in sorted(target.rglob("*"), reverse=True) if target.is_dir() else []:
        if old.is_file() and old.relative_to(target) not in wanted:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
    return written


def write_sitemap(config: ProjectConfig) -> Path | None:
    """``sitemap.xml``: every page of every edition, each language edition's page with its alternates."""
    if not config.base_url:
        return None
    root = site_dir(config)
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    languages = [(loc.name, loc.html_lang) for loc in config.locales.values()]
    for document in sitemap_documents(config):
        page = f"{document}.html"
        alternates = [(folder, lang) for folder, lang in languages if (root / folder / page).is_file()]
        for folder, _lang in edition_folders(config):
            if not (root / folder / page).is_file():
                continue
            url = ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = f"{config.base_url}{folder}/{page}"
            if folder.startswith("bilingual/") or len(alternates) < 2:
                continue  # a parallel edition is no language version of the page: it has no hreflang
            for other, other_lang in alternates:
                ElementTree.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    rel="alternate",
                    hreflang=other_lang,
                    href=f"{config.base_url}{other}/{page}",
                )
            ElementTree.SubElement(
                url,
                f"{{{XHTML_NS}}}link",
                rel="alternate",
                hreflang="x-default",
                href=f"{config.base_url}{config.source_language}/{page}",
            )
    ElementTree.indent(urlset)
    target = root / "sitemap.xml"
    write_atomic(target, ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n")
    return target


def write_robots(config: ProjectConfig) -> Path:
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines.append(f"Sitemap: {config.base_url}sitemap.xml")
    target = site_dir(config) / "robots.txt"
    write_atomic(target, "\n".join(lines) + "\n")
    return target


def site_prefix(config: ProjectConfig) -> str:
    """How a page shown at any address reaches the site: its absolute address, or the domain root."""
    return config.base_url or "/"


def write_not_found(config: ProjectConfig) -> Path:
    """``404.html``: one line per edition's language, each with a link to its front page."""
    root, prefix = site_dir(config), site_prefix(config)
    items = []
    for loc in config.locales.values():
        if not (root / loc.name / "index.html").is_file():
            continue
        heading, hint = NOT_FOUND.get(loc.name, NOT_FOUND.get(loc.name[:2], NOT_FOUND["en"]))
        lang = loc.html_lang if (loc.name in NOT_FOUND or loc.name[:2] in NOT_FOUND) else "en"
        items.append(
            f'  <section lang="{lang}">\n    <h2>{html.escape(heading)}</h2>\n'
            f'    <p>{html.escape(hint)} <a href="{html.escape(prefix)}{loc.name}/index.html" '
            f'hreflang="{loc.html_lang}" lang="{loc.html_lang}">{html.escape(loc.label)}</a></p>\n  </section>'
        )
    template = string.Template((THEME_DIR / "notfound.html").read_text(encoding="utf-8"))
    page = template.substitute(
        lang=config.source.html_lang,
        name=html.escape(config.name),
        home=html.escape(prefix) + "index.html",
        editions="\n".join(items),
    )
    target = root / "404.html"
    write_atomic(target, page)
    return target


def finish_site(config: ProjectConfig) -> SiteResult:
    """Everything the site needs besides the editions' own pages; run after every build."""
    result = SiteResult()
    site_dir(config).mkdir(parents=True, exist_ok=True)
    result.written += mirror_pdfs(config)
    result.written.append(write_root_index(config))
    sitemap = write_sitemap(config)
    if sitemap is None:
        result.notes.append("no sitemap.xml: a sitemap needs absolute addresses; set base-url in [tool.pubflow]")
    else:
        result.written.append(sitemap)
    result.written.append(write_robots(config))
    result.written.append(write_not_found(config))
    return result


# -- the root page ------------------------------------------------------------------------


def href_attribute(path: str) -> str:
    """A relative path as an ``href`` value: percent-encoded, then escaped for a quoted attribute.

    A file name is the publisher's, not HTML: ``x" onmouseover="….pdf`` must stay one path.
    """
    return html.escape(urllib.parse.quote(path, safe="/"), quote=True)


def pdf_links(config: ProjectConfig, edition: str) -> str:
    """Links from the root index to an edition's PDFs in the site (``pdf/``), when built; folded when there are many."""
    folder = config.output_dir / "pdf" / edition
    pdfs = sorted((p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf")), reverse=True)
    names = {pdf: html.escape(pdf.removesuffix(".pdf")) for pdf in pdfs}
    hrefs = {pdf: href_attribute(f"pdf/{edition}/{pdf}") for pdf in pdfs}
    links = [f'<li><a class="pubflow-pdf" href="{hrefs[pdf]}">{names[pdf]}</a></li>' for pdf in pdfs]
    if not links:
        return ""
    if len(pdfs) == 1:
        only = pdfs[0]
        return f'<a class="pubflow-pdf" href="{hrefs[only]}" title="{names[only]}">PDF</a>'
    listing = f'<ul class="pubflow-pdfs">{"".join(links)}</ul>'
    return f"<details><summary>PDF ({len(links)})</summary>{listing}</details>"


def publication_name(config: ProjectConfig, locale: LocaleConfig) -> tuple[str, str]:
    """The publication's name in ``locale`` (the front page's title as its catalog translates it), and its language.

    Untranslated, it is the source's name, in the source's language: a reader (or a screen
    reader) must not take 法治文选 for English.
    """
    untranslated = (config.name, config.source.html_lang)
    if locale.method == "source":
        return untranslated
    po_path = config.locale_dir / locale.name / "LC_MESSAGES" / "index.po"
    if not po_path.exists():
        return untranslated
    entry = load_catalog(po_path).find(config.name)
    if entry is None or entry.fuzzy or entry.obsolete or not entry.msgstr:
        return untranslated
    return entry.msgstr, locale.html_lang


def _edition_item(config: ProjectConfig, folder: str, locales: list[LocaleConfig]) -> str:
    langs = [loc.html_lang for loc in locales]
    label = " · ".join(
        f'<span lang="{lang}">{html.escape(loc.label)}</span>' for lang, loc in zip(langs, locales, strict=True)
    )
    names = " · ".join(
        f'<span lang="{lang}">{html.escape(name)}</span>'
        for name, lang in (publication_name(config, loc) for loc in locales)
    )
    hreflang = f' hreflang="{langs[0]}" lang="{langs[0]}"' if len(locales) == 1 else ""
    # A bilingual edition's feed is in its first locale's language, as its pages are (see pubflow.sphinxext.feed).
    feeds = (
        f'<a class="pubflow-feed" href="{folder}/atom.xml" type="application/atom+xml" hreflang="{langs[0]}">Atom</a>'
        if (config.output_dir / "html" / folder / "atom.xml").exists()
        else ""
    )
    return (
        f'    <li class="pubflow-edition"><a class="pubflow-edition-link" href="{folder}/index.html"{hreflang}>'
        f'<span class="pubflow-edition-label">{label}</span> <span class="pubflow-edition-name">{names}</span></a>'
        f'<div class="pubflow-edition-files">{feeds}{pdf_links(config, folder)}</div></li>'
    )


def write_root_index(config: ProjectConfig) -> Path:
    """``_build/html/index.html``: the publication's name, and each built edition in its own language.

    Each edition links its front page, its Atom feed and its PDFs.
    """
    root = config.output_dir / "html"
    items = [
        _edition_item(config, loc.name, [loc])
        for loc in config.locales.values()
        if (root / loc.name / "index.html").exists()
    ]
    alternates = "\n".join(
        f'  <link rel="alternate" hreflang="{loc.html_lang}" href="{loc.name}/index.html">\n'
        f'  <link rel="alternate" type="application/atom+xml" hreflang="{loc.html_lang}" href="{loc.name}/atom.xml">'
        for loc in config.locales.values()
        if (root / loc.name / "index.html").exists()
    )
    pairs = [
        _edition_item(config, f"bilingual/{first}-{second}", [config.locales[first], config.locales[second]])
        for first, second in config.bilingual
        if (root / f"bilingual/{first}-{second}" / "index.html").exists()
    ]
    alternates += "".join(
        f'\n  <link rel="alternate" type="application/atom+xml" hreflang="{config.locales[first].html_lang}" '
        f'href="bilingual/{first}-{second}/atom.xml">'
        for first, second in config.bilingual
        if (root / f"bilingual/{first}-{second}" / "atom.xml").exists()
    )
    extra = ""
    if pairs:
        # Each language's word for it, once, in its own language (双语对照 · Bilingual · 雙語對照).
        words: dict[str, str] = {}
        for loc in config.locales.values():
            word = label_for(loc.name, N_("Bilingual"), config.root)
            # A language pubflow has no strings for shows the English word: marked as English.
            words.setdefault(word, loc.html_lang if word != "Bilingual" or loc.name.startswith("en") else "en")
        heading = " · ".join(f'<span lang="{lang}">{html.escape(word)}</span>' for word, lang in words.items())
        extra = (
            f'  <h2>{heading}</h2>\n  <ul class="pubflow-editions pubflow-bilingual-editions">\n'
            + "\n".join(pairs)
            + "\n  </ul>"
        )
    template = string.Template((THEME_DIR / "editions.html").read_text(encoding="utf-8"))
    page = template.substitute(
        lang=config.source.html_lang,
        name=html.escape(config.name),
        alternates=alternates,
        editions="\n".join(items),
        extra=extra,
    )
    target = root / "index.html"
    for leftover in root.glob(".*.tmp"):  # an atomic write's temporary file that a killed run left
        leftover.unlink(missing_ok=True)
    write_atomic(target, page)
    return target
