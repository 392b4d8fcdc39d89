"""XML files in and out: untrusted input parsed without entities, output written atomically.

XLIFF and TMX files come from translators' tools and from other people, so
they are parsed with defusedxml: no external entity (XXE), no entity
expansion (billion laughs), no network. A plain ``<!DOCTYPE … SYSTEM "tmx14.dtd">``
line, which many tools write, is allowed; it is never fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from pubflow.errors import PubflowError
from pubflow.fileio import remove_stale_temporaries_of, write_atomic

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class XmlFile:
    """A parsed XML file and the line each element starts on, so that errors can point at it."""

    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)

    def line(self, element: ET.Element) -> int | None:
        return self.lines.get(id(element))


class _LineRecordingBuilder:
    """ElementTree's tree builder, noting the line of each start tag (ElementTree keeps none)."""

    def __init__(self, lines: dict[int, int]) -> None:
        self.builder = ET.TreeBuilder()
        self.lines = lines
        self.expat: Any = None

    def start(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = self.expat.CurrentLineNumber
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()


def parse_untrusted(path: Path, kind: str) -> XmlFile:
    """The file's elements and their lines; a malformed or unsafe file is a PubflowError with its line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PubflowError("no such file", path) from None
    except IsADirectoryError:
        raise PubflowError(f"is a folder, expected a {kind} file", path) from None
    lines: dict[int, int] = {}
    builder = _LineRecordingBuilder(lines)
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden:
        raise PubflowError(
            f"refused: the {kind} file declares entities, which pubflow never expands (XXE, billion laughs); "
            "export it again without a DOCTYPE",
            path,
        ) from None
    except DefusedXmlException as exc:
        raise PubflowError(f"refused: the {kind} file is unsafe to read ({exc})", path) from None
    except LookupError as exc:  # expat's "unknown encoding" for an encoding declaration Python does not know
        raise PubflowError(f"malformed {kind} file: {exc}; save it as UTF-8", path, 1) from None
    except ET.ParseError as exc:
        line, _column = exc.position
        reason = str(exc).split(":")[0]
        raise PubflowError(f"malformed {kind} file: {reason}", path, line) from None
    return XmlFile(root, lines)


def local_name(element: ET.Element) -> str:
    """The tag without its namespace: XLIFF and TMX files are read with or without one."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child) == name]


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if local_name(c) == name), None)


def language_of(element: ET.Element) -> str:
    # TMX 1.4 says xml:lang; TMX 1.1 (still written by some tools) says lang.
    return element.get(XML_LANG) or element.get("lang") or ""


#: What XML 1.0 cannot carry at all, escaped or not: C0 controls but tab and line ends, surrogates, U+FFFE/U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_illegal(text: str | None) -> str | None:
    """A character of the text that no XML file can hold, as ``U+000C``; None when there is none."""
    found = XML_ILLEGAL.search(text or "")
    return f"U+{ord(found.group()):04X}" if found else None


def write_xml(path: Path, root: ET.Element, doctype: str | None = None) -> bool:
    """Indented, UTF-8, written atomically; False when the file already says exactly this.

    A text no XML file can hold is refused before anything is written: ElementTree would write it,
    and no reader, pubflow's own import included, would take the file back.
    """
    for element in root.iter():
        for text in (element.text, *element.attrib.values()):
            character = xml_illegal(text)
            if character:
                raise PubflowError(
                    f"cannot be written: {_excerpt(text or '')} holds {character}, a control character XML cannot "
                    "carry; delete it where it came from (a catalog or glossary.csv)",
                    path,
                )
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + (f"{doctype}\n" if doctype else "")
    remove_stale_temporaries_of(path)  # what a killed export to this file left, wherever -o put it
    return write_atomic(path, head + body + "\n")


def _excerpt(text: str, length: int = 30) -> str:
    return repr(text if len(text) <= length else text[:length] + "…")
