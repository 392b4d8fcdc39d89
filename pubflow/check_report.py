"""Rendering ``pubflow check`` findings: text, JSON, and what CI systems show on a diff line.

- ``github``: GitHub Actions workflow commands (``::error file=…,line=…,title=…::message``),
  which put each finding on its line in the pull request;
- ``sarif``: a SARIF 2.1.0 log, for GitHub code scanning and other SARIF readers;
- ``gitlab``: a GitLab code-quality report, shown in the merge request's diff.

In the CI formats a finding about a message points at its ``msgstr`` line,
which is the line a translator changed, rather than the start of the entry.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import quote

from pubflow import __version__
from pubflow.checks.model import Finding, Severity
from pubflow.errors import display_path

FORMATS = ("text", "json", "github", "sarif", "gitlab")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: What each check reports, for the rule list of a SARIF log.
CHECK_DESCRIPTIONS = {
    "po-syntax": "The catalog does not parse.",
    "header": "Language, Plural-Forms or charset=UTF-8 is missing or wrong.",
    "duplicate": "A msgid appears twice.",
    "markup": "reST markup differs from the source's.",
    "numbers": "A number of the source is missing from the translation.",
    "glossary": "A glossary term of the source lacks its form in the translation.",
    "forbidden": "The translation uses a rendering the glossary bans.",
    "script": "Characters of the wrong script in the translation.",
    "punctuation": "Quotation marks or spacing the translation's language does not use.",
    "whitespace": "Leading or trailing whitespace differs from the source, or a doubled space.",
    "security": "The translation adds a link, raw HTML or LaTeX, or a directive.",
    "spelling": "A word is in neither the dictionary, the glossary nor the project word list.",
    "converted": "A machine-converted message is out of date; run pubflow convert.",
    "untranslated": "A message is not translated.",
    "fuzzy": "Marked fuzzy: the source changed, a close match from memory, or marked for review.",
    "stale": "The catalogs are out of step with the sources; run pubflow extract && pubflow update.",
    "engine": "The catalog was converted with another OpenCC version or other rules.",
}


@cache
def _lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def annotated_line(finding: Finding) -> int | None:
    """The line to annotate: a message's ``msgstr`` line rather than its first comment or msgid line."""
    line = finding.line
    if line is None or finding.check == "po-syntax" or finding.path.suffix not in (".po", ".pot"):
        return line
    lines = _lines(finding.path)
    if not 0 < line <= len(lines) or not lines[line - 1].startswith(("#", "msgctxt", "msgid")):
        return line
    if lines[line - 1].startswith("#~"):
        return line
    for number in range(line, len(lines) + 1):
        text = lines[number - 1]
        if text.startswith("msgstr"):
            return number
        if not text.strip():
            break
    return line


def render_text(findings: list[Finding]) -> str:
    return "\n".join(str(f) for f in findings)


#: Versioned as coverage's JSON is (pubflow-coverage/1): a reader can tell which shape it has.
CHECK_SCHEMA = "pubflow-check/1"


def render_json(findings: list[Finding]) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    document = {
        "schema": CHECK_SCHEMA,
        "findings": [f.as_dict() for f in findings],
        "errors": errors,
        "warnings": len(findings) - errors,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding]) -> str:
    """One workflow command per finding; GitHub shows each on its file and line."""
    commands = []
    for finding in findings:
        properties = [f"file={_escape_property(display_path(finding.path))}"]
        line = annotated_line(finding)
        if line:
            properties.append(f"line={line}")
        properties.append(f"title={_escape_property(f'pubflow {finding.check}')}")
        kind = "error" if finding.severity is Severity.ERROR else "warning"
        commands.append(f"::{kind} {','.join(properties)}::{_escape_data(finding.message)}")
    return "\n".join(commands)


def _uri(finding: Finding) -> str:
    return quote(display_path(finding.path).replace("\\", "/"))


def render_sarif(findings: list[Finding]) -> str:
    rule_ids = sorted({f.check for f in findings} | set(CHECK_DESCRIPTIONS))
    index = {rule: i for i, rule in enumerate(rule_ids)}
    results = []
    for finding in findings:
        location: dict[str, object] = {"artifactLocation": {"uri": _uri(finding), "uriBaseId": "%SRCROOT%"}}
        line = annotated_line(finding)
        if line:
            location["region"] = {"startLine": line}
        results.append(
            {
                "ruleId": finding.check,
                "ruleIndex": index[finding.check],
                "level": "error" if finding.severity is Severity.ERROR else "warning",
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": location}],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pubflow",
                        "version": __version__,
                        "rules": [
                            {"id": rule, "shortDescription": {"text": CHECK_DESCRIPTIONS.get(rule, rule)}}
                            for rule in rule_ids
                        ],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def render_gitlab(findings: list[Finding]) -> str:
    """A GitLab code-quality report: a JSON array, one issue per finding with a stable fingerprint."""
    seen: Counter[str] = Counter()
    issues = []
    for finding in findings:
        path = display_path(finding.path)
        # No line number in the fingerprint: a finding keeps its identity when lines above it move.
        key = f"{path}\0{finding.check}\0{finding.message}"
        seen[key] += 1
        fingerprint = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()
        issues.append(
            {
                "description": f"{finding.check}: {finding.message}",
                "check_name": finding.check,
                "fingerprint": fingerprint,
                "severity": "major" if finding.severity is Severity.ERROR else "minor",
                "location": {"path": path, "lines": {"begin": annotated_line(finding) or 1}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2)


RENDERERS: dict[str, Callable[[list[Finding]], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "gitlab": render_gitlab,
}


def render(findings: list[Finding], output_format: str) -> str:
    return RENDERERS[output_format](findings)
