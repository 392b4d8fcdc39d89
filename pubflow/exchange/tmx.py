"""TMX 1.4b: the translation memory as CAT tools exchange it.

Export: every source–target pair of every locale's catalogs, one ``<tu>``
per distinct pair, languages as BCP 47 tags (zh-CN, en, zh-TW), with the
document it came from and whether a person wrote it or it is still machine
output (``x-pubflow-review``). Import: the pairs of a TMX file for one
locale, which the translation memory adds to its own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pubflow import __version__
from pubflow.errors import PubflowError
from pubflow.exchange.xmlfiles import XML_LANG, child, children, language_of, local_name, parse_untrusted, write_xml

DOCUMENT_PROP = "x-pubflow-document"
REVIEW_PROP = "x-pubflow-review"
MACHINE = "machine"


@dataclass(frozen=True)
class Pair:
    source: str
    target: str
    origin: str  # the document, or the TMX file, it came from
    machine: bool = False  # still machine output (OpenCC, memory), not a person's


def language_tag(locale: str) -> str:
    """zh_CN → zh-CN, the form TMX, XLIFF and TBX use."""
    return locale.replace("_", "-")


#: The script a Chinese region writes (BCP 47 likely subtags): zh-Hans is zh_CN's, zh-Hant zh_TW's.
SCRIPT_OF_REGION = {"cn": "hans", "sg": "hans", "my": "hans", "tw": "hant", "hk": "hant", "mo": "hant"}


def same_language(tag: str, locale: str) -> bool:
    """Whether a TMX language tag names the locale.

    Equal tags; en-US for a locale without a region; a script for a region that writes it
    (zh-Hans or zh-Hans-CN for zh_CN, zh-Hant for zh_TW); case and ``_`` for ``-`` as tools write them.
    """
    wanted_language, _, wanted_region = language_tag(locale).lower().partition("-")
    language, *subtags = tag.replace("_", "-").lower().split("-")
    if language != wanted_language:
        return False
    if not wanted_region:
        return True
    scripts = [t for t in subtags if len(t) == 4 and t.isalpha()]
    regions = [t for t in subtags if (len(t) == 2 and t.isalpha()) or (len(t) == 3 and t.isdigit())]
    if regions:
        return regions[0] == wanted_region
    return bool(scripts) and SCRIPT_OF_REGION.get(wanted_region) == scripts[0]


def tmx_languages(path: Path) -> list[str]:
    """Every language tag the file's translation units use, for saying why none matched."""
    body = child(parse_untrusted(path, "TMX").root, "body")
    tags = (
        {language_of(v) or language_of(u) for u in children(body, "tu") for v in children(u, "tuv")} if body else set()
    )
    return sorted(tag for tag in tags if tag)


def write_tmx(path: Path, source_language: str, memories: Iterable[tuple[str, Iterable[Pair]]]) -> int:
    """Write (locale, pairs) of every locale as one TMX 1.4b file; the number of translation units.

    A pair that recurs (the same source and target in several documents) is written once.
    """
    source = language_tag(source_language)
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "pubflow",
            "creationtoolversion": __version__,
            "segtype": "block",  # a message is a paragraph, a title or a list item, not a sentence
            "o-tmf": "gettext PO",
            "adminlang": "en",
            "srclang": source,
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    seen: set[tuple[str, str, str]] = set()
    for locale, pairs in memories:
        for pair in pairs:
            key = (locale, pair.source, pair.target)
            if key in seen:
                continue
            seen.add(key)
            unit = ET.SubElement(body, "tu")
            ET.SubElement(unit, "prop", type=DOCUMENT_PROP).text = pair.origin
            if pair.machine:
                ET.SubElement(unit, "prop", type=REVIEW_PROP).text = MACHINE
            for tag, text in ((source, pair.source), (language_tag(locale), pair.target)):
                variant = ET.SubElement(unit, "tuv", {XML_LANG: tag})
                ET.SubElement(variant, "seg").text = text
    write_xml(path, root)
    return len(seen)


def read_tmx(path: Path, source_language: str, locale: str) -> list[Pair]:
    """The (source, target) pairs of a TMX file for one locale; machine output marked by pubflow is left out."""
    root = parse_untrusted(path, "TMX").root
    body = child(root, "body")
    if local_name(root) != "tmx" or body is None:
        raise PubflowError("not a TMX file (no <tmx> with a <body>)", path)
    pairs: list[Pair] = []
    for unit in children(body, "tu"):
        props = {p.get("type"): (p.text or "") for p in children(unit, "prop")}
        if props.get(REVIEW_PROP) == MACHINE:
            continue
        origin = props.get(DOCUMENT_PROP) or path.name
        texts: dict[str, str] = {}
        for variant in children(unit, "tuv"):
            seg = child(variant, "seg")
            if seg is None:
                continue
            tag = language_of(variant) or language_of(unit)
            # Inline codes (<ph>, <bpt>, <ept>, <it>) hold the original's native code as text.
            text = "".join(seg.itertext())
            if same_language(tag, source_language):
                texts.setdefault("source", text)
            elif same_language(tag, locale):
                texts.setdefault("target", text)
        if texts.get("source") and texts.get("target"):
            where = origin if origin == path.name else f"{path.name}: {origin}"
            pairs.append(Pair(texts["source"], texts["target"], where))
    return pairs
