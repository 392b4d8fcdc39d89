"""Which links may be published: one rule for ``check``, the compiled catalogs and the Sphinx guard (HTML and PDF).

A link is published only when it is a web address with a host (``http``,
``https``, ``ftp``, ``mailto``) or a link within the site. Every other form is
refused, read as a browser or a PDF reader reads it, not as it is written:

- a scheme outside the allow-list (``javascript:``, ``data:``, ``tel:``,
  ``smb:``, a PDF reader's ``run:`` or ``file:``), also when ASCII spaces,
  controls or backslashes split it (docutils drops whitespace and backslash
  escapes from a target, browsers ignore controls in a scheme);
- ``http:`` without ``//`` (``http:\\evil.example/x``: a browser turns the
  backslash into a slash, or adds the slashes itself, and goes off-site);
- a protocol-relative ``//host/…`` (or ``\\\\host``), another site however
  it is spelt;
- in a PDF, any relative target: hyperref makes it a ``GoToR`` or ``Launch``
  of a file next to the PDF (``../../etc/passwd.pdf``, ``evil.exe``), which
  is outside the site. A PDF's own cross-references are no such links.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})
#: Schemes whose addresses name a host after ``//``.
HOST_SCHEMES = frozenset({"http", "https", "ftp"})
# What browsers ignore in a URL: ASCII whitespace and controls anywhere in its scheme and slashes.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def readings(uri: str) -> list[str]:
    """The ways ``uri`` may be read: backslashes dropped (docutils) and turned into slashes (browsers)."""
    bare = _IGNORED.sub("", uri)
    return list(dict.fromkeys([bare.replace("\\", ""), bare.replace("\\", "/")]))


def scheme_of(uri: str) -> str | None:
    """The scheme a browser would read in ``uri`` (lower-case), or None for a relative link."""
    for reading in readings(uri):
        match = _SCHEME.match(reading)
        if match:
            return match.group(1).lower()
    return None


def link_problem(uri: str, pdf: bool = False) -> str | None:
    """Why ``uri`` may not be published as a link (a short phrase), or None when it may."""
    for reading in readings(uri):
        match = _SCHEME.match(reading)
        if match:
            scheme = match.group(1).lower()
            if scheme not in ALLOWED_SCHEMES:
                return f"a {scheme}: link"
            if scheme in HOST_SCHEMES and not reading[match.end() :].startswith("//"):
                return f"an {scheme}: link without // (a browser goes to another site)"
        elif reading.startswith("//"):
            return "a protocol-relative link (//…, another site)"
        elif pdf and reading and not reading.startswith("#"):
            return "a relative link in a PDF (a reader opens or launches the file)"
    return None
