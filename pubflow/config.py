"""The project configuration: ``[tool.pubflow]`` in pyproject.toml, and nothing else.

Adding a locale is a change here, never in code: each locale says how its
edition is produced (``source``, ``translation`` or ``opencc``), which OpenCC
configuration converts it, which quotation marks it uses and what coverage
it must reach.

The configuration is strict. :data:`SCHEMA` declares every key pubflow
knows, with its type; an unknown key (a typo such as ``thresold``) or a value
of the wrong type is an error naming pyproject.toml, the line, the key with its
table and what was expected, before any stage runs. To add a setting, add one
line to :data:`SCHEMA` (or :data:`LOCALE_KEYS` for a per-locale one) and read
it in :func:`load_config`.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pubflow.errors import PubflowError
from pubflow.fileio import decode_utf8, read_bytes

Method = Literal["source", "translation", "opencc"]
METHODS: tuple[Method, ...] = ("source", "translation", "opencc")


@dataclass(frozen=True)
class LocaleConfig:
    """One edition of the publication."""

    name: str
    label: str
    method: Method
    opencc_config: str | None = None
    quotes: dict[str, str] = field(default_factory=dict)
    # Characters replaced in OpenCC's output where the edition's standard writes another (佈 → 布 for Taiwan).
    characters: dict[str, str] = field(default_factory=dict)
    threshold: float = 0.0
    spelling: str | None = None  # a dictionary (en_GB, en_US) to check the translation's spelling with
    #: The least share of messages a person wrote or approved (``reviewed-threshold``); None: not gated.
    reviewed_threshold: float | None = None
    #: Which articles the edition publishes (``publish``; see :mod:`pubflow.policy`).
    publish: str = "complete"
    #: What a message whose source changed since it was translated shows (``outdated-shows``; see
    #: :mod:`pubflow.corrections`): its previous translation, marked, or the source as Sphinx would.
    outdated_shows: str = "previous-translation"

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for ``<html lang>`` and ``hreflang`` (zh_TW → zh-TW)."""
        return self.name.replace("_", "-")


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    source_language: str
    docs_dir: Path
    locale_dir: Path
    output_dir: Path
    glossary_path: Path
    locales: dict[str, LocaleConfig]
    bilingual: list[tuple[str, str]] = field(default_factory=list)
    #: Column at which catalogs are written (0: unwrapped, as msgmerge --no-wrap); 79 is powrap's.
    wrap_width: int = 0
    #: Whose line breaking wraps at ``wrap_width``: GNU gettext's (msgcat, powrap) or translate-toolkit's (Weblate).
    wrap_style: str = "gettext"
    #: Whether ``pubflow check`` fails on a catalog not laid out at ``wrap_width`` (see ``pubflow format``).
    strict_format: bool = False
    #: TMX files whose pairs join the translation memory (``memory-files``).
    memory_files: list[Path] = field(default_factory=list)
    #: The least similarity, in percent of characters, of a close match (``memory-threshold``).
    memory_threshold: float = 75.0
    spelling_words_path: Path | None = None  # the project's own words: names and terms, one a line
    #: The publication's name in the source language (the front page's title; feeds, root page).
    name: str = "pubflow"
    copyright: str = ""
    #: Where the site is published, for absolute links in the feeds; empty: relative links.
    base_url: str = ""
    #: The UTC offset of the times printed in bylines (China Standard Time unless said otherwise).
    timezone: str = "+08:00"
    #: A bilingual edition's own ``publish`` policy (``bilingual-publish``), by pair; a pair not listed
    #: publishes an article only where both its locales' editions do.
    bilingual_publish: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Whether pages say "Created using Sphinx" (``sphinx-credit``; off unless asked for).
    sphinx_credit: bool = False
    #: Renamed articles: old document name → new one; every edition keeps a redirect page at the old address.
    redirects: dict[str, str] = field(default_factory=dict)

    @property
    def source(self) -> LocaleConfig:
        return self.locales[self.source_language]

    @property
    def targets(self) -> list[LocaleConfig]:
        """Every locale that has catalogs, in configuration order."""
        return [loc for loc in self.locales.values() if loc.method != "source"]

    @property
    def work_folders(self) -> list[Path]:
        """The folders pubflow writes into, where a killed run may have left a temporary file."""
        return [self.docs_dir, self.locale_dir, self.output_dir]

    @property
    def pot_dir(self) -> Path:
        # sphinx-intl's convention: `sphinx-intl update -p _build/gettext`
        return self.output_dir / "gettext"

    def locale(self, name: str) -> LocaleConfig:
        try:
            return self.locales[name]
        except KeyError:
            known = ", ".join(self.locales)
            raise PubflowError(
                f"unknown locale {name!r}; configured locales are {known} "
                f"(add one under [tool.pubflow.locales] in pyproject.toml)",
                self.root / "pyproject.toml",
            ) from None

    def select(self, names: list[str] | None) -> list[LocaleConfig]:
        """The named target locales, or all of them when none is named."""
        if not names:
            return self.targets
        chosen = [self.locale(n) for n in dict.fromkeys(names)]  # named twice: once
        for loc in chosen:
            if loc.method == "source":
                raise PubflowError(
                    f"{loc.name} is the source language; it has no catalogs",
                    self.root / "pyproject.toml",
                )
        return chosen


# -- the schema ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A setting's value: the TOML types it may have, and how an error names them.

    ``check`` refines the type (a range, a choice) and returns what is wrong, or None.
    """

    types: tuple[type, ...]
    expected: str
    check: Callable[[Any], str | None] | None = None

    def problem(self, value: Any) -> str | None:
        if isinstance(value, bool) and bool not in self.types:
            return f"expected {self.expected}"  # TOML's true is not the number 1
        if not isinstance(value, self.types):
            return f"expected {self.expected}"
        control = CONTROL_CHARACTER.search(value) if isinstance(value, str) else None
        if control:
            # A NUL ends a path at the OS, and no name, label or path needs a control character.
            return f"holds the control character U+{ord(control.group()):04X}; delete it"
        return self.check(value) if self.check else None


CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Any control character, line breaks and tabs included: what a one-line text or a terminal must not get raw.
ANY_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ListOf:
    """A TOML array whose items are all ``item``."""

    item: Value
    expected: str


@dataclass(frozen=True)
class Table:
    """A TOML table with known keys; any other key is an error."""

    keys: dict[str, Schema]
    expected: str = "a table"


@dataclass(frozen=True)
class TableOf:
    """A TOML table whose keys are free (locale names, quotation marks), each value ``value``."""

    value: Schema
    expected: str
    key_check: Callable[[str], str | None] | None = None


Schema = Value | ListOf | Table | TableOf


def _one_character(key: str) -> str | None:
    return None if len(key) == 1 else f"a quotation mark to replace is one character, not {len(key)}"


def _one_replaced_character(key: str) -> str | None:
    return None if len(key) == 1 else f"a character to replace is one character, not {len(key)}"


def _percentage(value: float) -> str | None:
    return None if 0 <= value <= 100 else f"expected a percentage from 0 to 100, not {value}"


#: The line breaking of ``wrap-style``: GNU gettext's msgcat, or translate-toolkit's (what Weblate writes).
WRAP_STYLES = ("gettext", "translate-toolkit")


def _one_of(*choices: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in choices else f"expected one of {', '.join(choices)}, not {value!r}"

    return check


def _inside_project(value: str) -> str | None:
    path = PurePosixPath(value)
    if not value or path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", value):
        return f"expected a path inside the project, relative to pyproject.toml, not {value!r}"
    return None


#: A publication policy: ``always``, ``complete``, ``reviewed``, ``at-least-N`` or ``reviewed-at-least-N``.
PUBLISH_POLICY = re.compile(r"^(?:always|complete|reviewed|(?:reviewed-)?at-least-(?P<percent>\d+(?:\.\d+)?))$")


def publish_policy_problem(value: str) -> str | None:
    """What is wrong with a publication policy, or None."""
    match = PUBLISH_POLICY.match(value)
    if match and (match["percent"] is None or float(match["percent"]) <= 100):
        return None
    return f"expected always, complete, reviewed, at-least-N or reviewed-at-least-N (N a percentage), not {value!r}"


def _pair(value: str) -> str | None:
    first, sep, second = value.partition(":")
    return None if sep and first and second else f"expected two locales as in 'zh_CN:en', not {value!r}"


STRING = Value((str,), "a string")
NUMBER = Value((int, float), "a number")
INTEGER = Value((int,), "an integer")
BOOLEAN = Value((bool,), "true or false")
STRINGS = ListOf(STRING, "a list of strings")
PERCENTAGE = Value((int, float), "a number (a percentage, 0 to 100)", _percentage)
PROJECT_PATH = Value((str,), "a path relative to pyproject.toml (a string)", _inside_project)
PROJECT_PATHS = ListOf(PROJECT_PATH, "a list of paths relative to pyproject.toml")

#: The keys of one ``[tool.pubflow.locales.<name>]`` table.
LOCALE_KEYS: dict[str, Schema] = {
    "label": Value((str,), "a string (the edition's name in its language)"),
    "produced-by": Value((str,), "a string: source, translation or opencc", _one_of(*METHODS)),
    "opencc-config": Value((str,), "a string naming an OpenCC configuration, such as s2twp"),
    "quotes": TableOf(STRING, 'a table of quotation marks, as in { "“" = "「" }', _one_character),
    "characters": TableOf(
        STRING, 'a table of characters replaced after OpenCC, as in { "佈" = "布" }', _one_replaced_character
    ),
    "threshold": PERCENTAGE,
    "reviewed-threshold": PERCENTAGE,
    "publish": Value((str,), "a publication policy such as 'complete'", publish_policy_problem),
    "outdated-shows": Value(
        (str,), "a string: previous-translation or source", _one_of("previous-translation", "source")
    ),
    "spelling": Value((str,), "a string naming a spelling dictionary, such as en_GB or en_US"),
}

#: Every key of ``[tool.pubflow]``: one line per setting.
SCHEMA = Table(
    {
        "source-language": Value((str,), "a string naming a locale, such as zh_CN"),
        "docs": PROJECT_PATH,
        "locale": PROJECT_PATH,
        "output": PROJECT_PATH,
        "glossary": PROJECT_PATH,
        "bilingual": ListOf(
            Value((str,), "a string naming two locales, as in 'zh_CN:en'", _pair),
            'a list of locale pairs, as in ["zh_CN:en"]',
        ),
        "locales": TableOf(Table(LOCALE_KEYS, "a table of settings"), "a table of locales"),
        "bilingual-publish": TableOf(
            Value((str,), "a publication policy such as 'complete'", publish_policy_problem),
            'a table of policies by locale pair, as in { "zh_CN:en" = "complete" }',
            _pair,
        ),
        "wrap-width": INTEGER,
        "wrap-style": Value((str,), "a string: gettext or translate-toolkit", _one_of(*WRAP_STYLES)),
        "strict-format": BOOLEAN,
        "memory-files": PROJECT_PATHS,
        "memory-threshold": PERCENTAGE,
        "spelling-words": PROJECT_PATH,
        "name": Value((str,), "a string (the publication's name in the source language)"),
        "copyright": STRING,
        "base-url": Value((str,), "a string: the http(s) address the site is published at"),
        "timezone": Value((str,), "a string: the UTC offset of bylines, such as +08:00"),
        "sphinx-credit": BOOLEAN,
        "redirects": TableOf(STRING, 'a table of renamed articles, as in { "old-name" = "new-name" }'),
    },
)


@dataclass(frozen=True)
class ConfigProblem:
    """What is wrong, and where: the dotted table (``tool.pubflow.locales.en``) and the key."""

    table: str
    key: str
    message: str


def validate(data: Any, schema: Schema = SCHEMA, table: str = "tool.pubflow") -> list[ConfigProblem]:
    """Every problem of ``data`` against ``schema``, in the order of the file."""
    name = table.rsplit(".", 1)[-1]
    parent = table.rsplit(".", 1)[0]
    if isinstance(schema, Value):
        problem = schema.problem(data)
        return [ConfigProblem(parent, name, f"{name} = {_show(data)}: {problem}")] if problem else []
    if isinstance(schema, ListOf):
        if not isinstance(data, list):
            return [ConfigProblem(parent, name, f"{name} = {_show(data)}: expected {schema.expected}")]
        problems = []
        for item in data:
            problem = schema.item.problem(item)
            if problem:
                problems.append(ConfigProblem(parent, name, f"{name}: item {_show(item)}: {problem}"))
        return problems
    if not isinstance(data, dict):
        return [ConfigProblem(parent, name, f"{name} = {_show(data)}: expected {schema.expected}")]
    problems = []
    for key, value in data.items():
        inner = f"{table}.{_toml_key(key)}"
        if isinstance(schema, TableOf):
            key_problem = schema.key_check(key) if schema.key_check else None
            if key_problem:
                problems.append(ConfigProblem(table, key, f"{_show(key)}: {key_problem}"))
            problems.extend(validate(value, schema.value, inner))
        elif key in schema.keys:
            problems.extend(validate(value, schema.keys[key], inner))
        else:
            problems.append(ConfigProblem(table, key, _unknown_key(key, list(schema.keys))))
    return problems


def _unknown_key(key: str, known: list[str]) -> str:
    nearest = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean {nearest[0]}?" if nearest else ""
    return f"unknown key {key!r}{hint} (known keys: {', '.join(known)})"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # As TOML would escape it: a control character is shown as \uXXXX, never sent to the terminal.
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + ANY_CONTROL_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04X}", quoted) + '"'
    if isinstance(value, dict):
        return "{…}"
    return repr(value) if not isinstance(value, list) else "[…]"


def setting_line(pyproject: Path, table: str, key: str) -> int | None:
    """The line of a setting in pyproject.toml, for an error found after loading (a dictionary not installed)."""
    try:
        return _line_of(pyproject.read_text(encoding="utf-8-sig"), table, key)
    except (OSError, UnicodeDecodeError):
        return None


def _line_of(text: str, table: str, key: str) -> int | None:
    """The line of ``key`` in ``[table]`` of the TOML text, as well as can be told without a TOML parser of our own."""
    lines = text.splitlines()
    key_pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is not None:
        for index in range(start + 1, len(lines)):
            if lines[index].lstrip().startswith("["):
                break
            if key_pattern.match(lines[index]):
                return index + 1
    sub_table = re.compile(rf"^\s*\[\s*{re.escape(table)}\.{re.escape(_toml_key(key))}\s*[].]")
    for index, line in enumerate(lines):
        if sub_table.match(line):
            return index + 1
    if start is None and "." in table and not key:
        # An empty key in an inline table (quotes = { "" = … }): the line of the table's own key.
        parent, name = table.rsplit(".", 1)
        return _line_of(text, parent, name)
    inline = re.compile(rf"""(?:^|[{{,\s]){re.escape(key)}\s*=|"{re.escape(key)}"\s*=""")
    for index in range(start + 1 if start is not None else 0, len(lines)):
        if inline.search(lines[index]):
            return index + 1
    return start + 1 if start is not None else None


# -- loading -------------------------------------------------------------------------------


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` whose pyproject.toml has [tool.pubflow]."""
    if start is not None and not start.is_dir():
        raise PubflowError("no such folder (given with -C)" if not start.exists() else "is not a folder", start)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        data = read_bytes(candidate)
        if b"[tool.pubflow" in data:
            return folder
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) and "[tool.pubflow" in data.decode("utf-16", "replace"):
            raise PubflowError("saved as UTF-16; save it as UTF-8 (TOML files are UTF-8)", candidate, 1)
    raise PubflowError(
        "no pyproject.toml with a [tool.pubflow] table here or above; run pubflow inside a pubflow project",
        here,
    )


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """A TOML document; any text tomllib cannot take is a PubflowError on its line where it has one."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise PubflowError(f"invalid TOML: {reason}", path, int(match.group(1)) if match else None) from None
    except ValueError:
        # tomllib gives no position for these: Python's 4,300-digit cap on integers.
        line = next((n for n, row in enumerate(text.splitlines(), 1) if re.search(r"\d{4300}", row)), None)
        raise PubflowError("invalid TOML: an integer of more than 4,300 digits", path, line) from None
    except RecursionError:
        raise PubflowError("invalid TOML: arrays or tables nested too deeply", path, _deepest_line(text)) from None


def _deepest_line(text: str) -> int | None:
    """The line that opens the most arrays and inline tables: where a too-deep nesting is."""
    depths = [(row.count("[") + row.count("{"), n) for n, row in enumerate(text.splitlines(), 1)]
    return max(depths)[1] if depths else None


def read_pubflow_table(path: Path) -> dict[str, Any]:
    """``[tool.pubflow]`` of a pyproject.toml, checked against :data:`SCHEMA`."""
    text = decode_utf8(read_bytes(path), path, "not UTF-8 (TOML files are UTF-8)")
    data = parse_toml(text, path)
    tool = data.get("tool", {})
    table = tool.get("pubflow", {}) if isinstance(tool, dict) else {}
    for name in tool if isinstance(tool, dict) else ():
        if name != "pubflow" and difflib.get_close_matches(name, ["pubflow"], n=1, cutoff=0.8):
            # Its settings would be silently ignored: the name, the bilingual editions, the thresholds.
            raise PubflowError(f"[tool.{name}]: did you mean [tool.pubflow]?", path, _line_of(text, "tool", name))
    problems = validate(table)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise PubflowError(f"[{first.table}] {first.message}{more}", path, _line_of(text, first.table, first.key))
    return table


def load_config(root: Path | None = None) -> ProjectConfig:
    root = find_project_root(root)
    path = root / "pyproject.toml"
    table = read_pubflow_table(path)
    source_language = table.get("source-language", "zh_CN")
    raw_locales = table.get("locales", {})
    if source_language not in raw_locales:
        raw_locales = {source_language: {}, **raw_locales}
    text = path.read_text(encoding="utf-8-sig")  # valid UTF-8: read_pubflow_table checked it
    locales: dict[str, LocaleConfig] = {}
    for name, spec in raw_locales.items():
        try:
            locales[name] = _locale_from_table(name, spec, source_language, path)
        except PubflowError as error:
            raise PubflowError(error.message, path, _line_of(text, "tool.pubflow.locales", name)) from None
    try:
        bilingual = [_bilingual_pair(value, locales, path) for value in table.get("bilingual", [])]
    except PubflowError as error:
        raise PubflowError(error.message, path, _line_of(text, "tool.pubflow", "bilingual")) from None
    bilingual = list(dict.fromkeys(bilingual))  # a pair listed twice is one edition, built once
    bilingual_publish: dict[tuple[str, str], str] = {}
    for value, policy in table.get("bilingual-publish", {}).items():
        try:
            pair = _bilingual_pair(value, locales, path)
        except PubflowError as error:
            raise PubflowError(error.message, path, _line_of(text, "tool.pubflow.bilingual-publish", value)) from None
        if pair not in bilingual:
            raise PubflowError(
                f"[tool.pubflow.bilingual-publish] {value!r} is no bilingual edition; add it to bilingual "
                "or remove its policy",
                path,
                _line_of(text, "tool.pubflow.bilingual-publish", value),
            )
        bilingual_publish[pair] = policy
    try:
        config = _project_config(root, path, table, source_language, locales, bilingual)
        config = replace(config, bilingual_publish=bilingual_publish)
        _check_folders(config, table)
    except PubflowError as error:
        if error.line is not None or error.path != path:
            raise
        key = re.match(r"\[tool\.pubflow\] ([A-Za-z-]+)", error.message)
        raise PubflowError(error.message, path, _line_of(text, "tool.pubflow", key[1]) if key else None) from None
    return config


def _project_config(
    root: Path,
    path: Path,
    table: dict[str, Any],
    source_language: str,
    locales: dict[str, LocaleConfig],
    bilingual: list[tuple[str, str]],
) -> ProjectConfig:
    return ProjectConfig(
        root=root,
        bilingual=bilingual,
        source_language=source_language,
        docs_dir=root / table.get("docs", "docs"),
        locale_dir=root / table.get("locale", "locale"),
        output_dir=root / table.get("output", "_build"),
        glossary_path=root / table.get("glossary", "glossary.csv"),
        locales=locales,
        wrap_width=_wrap_width(table.get("wrap-width", 0), path),
        wrap_style=table.get("wrap-style", "gettext"),
        strict_format=_strict_format(table.get("strict-format", False), path),
        memory_files=[root / name for name in _memory_files(table, path)],
        memory_threshold=_memory_threshold(table, path),
        spelling_words_path=root / table.get("spelling-words", "spelling-words.txt"),
        name=_text(table, "name", "pubflow", path),
        copyright=_text(table, "copyright", "", path),
        base_url=_base_url(_text(table, "base-url", "", path), path),
        timezone=_utc_offset(_text(table, "timezone", "+08:00", path), path),
        sphinx_credit=bool(table.get("sphinx-credit", False)),
        redirects=dict(table.get("redirects", {})),
    )


def _check_folders(config: ProjectConfig, table: dict[str, Any]) -> None:
    """Paths the configuration names that cannot work: each a one-line error on its key's line."""
    where = config.root / "pyproject.toml"
    if config.locale_dir.exists() and not config.locale_dir.is_dir():
        raise PubflowError(
            f"[tool.pubflow] locale = {table.get('locale')!r}: not a folder; name the folder of the catalogs "
            "(locale, as sphinx-intl has it)",
            where,
        )
    if not config.docs_dir.is_dir():
        raise PubflowError(
            f"[tool.pubflow] docs = {table.get('docs', 'docs')!r}: no such folder; create it "
            "(pubflow import puts articles there) or name the folder of the documents",
            where,
        )
    output = config.output_dir.resolve()
    sources = {"the project folder": config.root, "docs": config.docs_dir, "locale": config.locale_dir}
    for what, folder in sources.items():
        folder = folder.resolve()
        overlaps = output == folder or (folder != config.root.resolve() and folder in output.parents)
        if overlaps or (folder != config.root.resolve() and output in folder.parents):
            raise PubflowError(
                f"[tool.pubflow] output = {table.get('output')!r}: the output would mix with {what} "
                "(builds write and delete there); name a folder of its own, such as _build",
                where,
            )
    _check_redirects(config)
    for key, file in (("glossary", config.glossary_path), ("spelling-words", config.spelling_words_path)):
        if key in table and (file is None or not file.is_file()):
            raise PubflowError(
                f"[tool.pubflow] {key} = {table[key]!r}: no such file; create it or remove the setting", where
            )


def _check_redirects(config: ProjectConfig) -> None:
    """A redirect must lead from an address no document holds to a document that exists."""
    where = config.root / "pyproject.toml"
    for old, new in config.redirects.items():
        line = setting_line(where, "tool.pubflow.redirects", old)
        if not (config.docs_dir / f"{new}.rst").is_file():
            raise PubflowError(
                f"[tool.pubflow.redirects] {old!r} = {new!r}: no document {new}.rst in docs/; "
                "name the article's new name, without .rst",
                where,
                line,
            )
        if (config.docs_dir / f"{old}.rst").is_file():
            raise PubflowError(
                f"[tool.pubflow.redirects] {old!r}: docs/{old}.rst still exists; a redirect would hide it",
                where,
                line,
            )


#: Wider than any editor's window: beyond it a width is a typo (and gettext's tools misbehave on huge ones).
MAX_WRAP_WIDTH = 1000


def _wrap_width(value: object, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WRAP_WIDTH:
        raise PubflowError(
            f"[tool.pubflow] wrap-width = {value!r}; expected a whole number of columns up to {MAX_WRAP_WIDTH} "
            "(0: do not wrap; 79 as powrap)",
            path,
        )
    return value


def _strict_format(value: object, path: Path) -> bool:
    if not isinstance(value, bool):
        raise PubflowError(f"[tool.pubflow] strict-format = {value!r}; expected true or false", path)
    return value


def _memory_files(table: dict, path: Path) -> list[str]:
    value = table.get("memory-files", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PubflowError('[tool.pubflow] memory-files must be a list of file names, as in ["tm/legacy.tmx"]', path)
    return value


def _memory_threshold(table: dict, path: Path) -> float:
    value = table.get("memory-threshold", 75.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise PubflowError(
            f"[tool.pubflow] memory-threshold = {value!r}; expected a percentage above 0, at most 100", path
        )
    return float(value)


def _text(table: dict, key: str, default: str, path: Path) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise PubflowError(f"[tool.pubflow] {key} must be a string, not {value!r}", path)
    return value


def _base_url(value: str, path: Path) -> str:
    if value and not re.match(r"^https?://[^/\s]+", value):
        raise PubflowError(
            f"[tool.pubflow] base-url = {value!r}; expected an http(s) URL such as https://example.org/", path
        )
    return value if not value or value.endswith("/") else value + "/"


def _utc_offset(value: str, path: Path) -> str:
    if not re.fullmatch(r"[+-](?:0\d|1[0-4]):[0-5]\d|Z", value):
        raise PubflowError(f"[tool.pubflow] timezone = {value!r}; expected a UTC offset such as +08:00", path)
    return value


@cache
def opencc_configurations() -> frozenset[str]:
    """The configurations the installed OpenCC ships (s2twp, s2hk …), read without loading it; empty when unknown."""
    spec = importlib.util.find_spec("opencc")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return frozenset(
        path.stem for folder in folders for path in Path(folder).glob("clib/share/opencc/*.json") if path.is_file()
    )


#: A locale as gettext and Sphinx spell it: language, then optionally Script and REGION (zh_Hant_TW, en_GB).
GETTEXT_LOCALE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|\d{3}))?$")


def _locale_from_table(name: str, spec: dict, source_language: str, path: Path) -> LocaleConfig:
    from babel import Locale, UnknownLocaleError  # here: babel costs a tenth of a second to import

    try:
        babel_locale = Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        raise PubflowError(f"[tool.pubflow.locales.{name}]: {name!r} is not a locale", path) from None
    if not GETTEXT_LOCALE.match(name):
        # Catalog folders, Sphinx's language and the editions' folders are named by it: one spelling only.
        spelled = "_".join(
            part.lower() if index == 0 else part.title() if len(part) == 4 else part.upper()
            for index, part in enumerate(name.replace("-", "_").split("_"))
        )
        raise PubflowError(
            f"[tool.pubflow.locales.{name}]: write the locale as {spelled!r}, as gettext and Sphinx do", path
        )
    method: str = spec.get("produced-by", "source" if name == source_language else "translation")  # checked by SCHEMA
    if (method == "source") != (name == source_language):
        raise PubflowError(
            f"[tool.pubflow.locales.{name}]: only the source language {source_language} is produced-by = 'source'",
            path,
        )
    if method == "source" and "publish" in spec:
        raise PubflowError(
            f"[tool.pubflow.locales.{name}] publish: the source language's edition publishes every article; "
            "remove the setting",
            path,
        )
    opencc_config = spec.get("opencc-config")
    if method == "opencc" and not opencc_config:
        raise PubflowError(
            f"[tool.pubflow.locales.{name}] is produced by opencc but names no opencc-config "
            f"(for example s2twp or s2hk)",
            path,
        )
    if method != "opencc" and opencc_config:
        raise PubflowError(
            f"[tool.pubflow.locales.{name}] opencc-config = {opencc_config!r} does nothing: {name} is produced by "
            f"{method}; remove it, or set produced-by = 'opencc'",
            path,
        )
    known = opencc_configurations()
    if (
        method == "opencc"
        and known
        and opencc_config not in known
        and f"{opencc_config}".removesuffix(".json") not in known
    ):
        raise PubflowError(
            f"[tool.pubflow.locales.{name}] opencc-config = {opencc_config!r}: OpenCC has no such configuration; "
            f"it has {', '.join(sorted(known))}",
            path,
        )
    return LocaleConfig(
        name=name,
        label=spec.get("label") or babel_locale.get_display_name(babel_locale) or name,
        method=method,  # type: ignore[arg-type]
        opencc_config=opencc_config,
        quotes=dict(spec.get("quotes", {})),
        characters=dict(spec.get("characters", {})),
        threshold=float(spec.get("threshold", 0)),
        spelling=spec.get("spelling") or None,
        reviewed_threshold=float(spec["reviewed-threshold"]) if "reviewed-threshold" in spec else None,
        publish="always" if method == "source" else spec.get("publish", "complete"),
        outdated_shows=spec.get("outdated-shows", "previous-translation"),
    )


def parse_bilingual(value: str, locales: dict[str, LocaleConfig]) -> tuple[str, str]:
    """``zh_CN:en`` → ("zh_CN", "en"), both configured and different."""
    first, sep, second = value.partition(":")
    if not sep or not first or not second or first == second:
        raise PubflowError(f"bilingual edition {value!r} must name two different locales, as in zh_CN:en")
    for name in (first, second):
        if name not in locales:
            raise PubflowError(
                f"bilingual edition {value!r}: unknown locale {name!r}; configured are {', '.join(locales)}"
            )
    return first, second


def _bilingual_pair(value: str, locales: dict[str, LocaleConfig], path: Path) -> tuple[str, str]:
    try:
        return parse_bilingual(value, locales)
    except PubflowError as error:
        raise PubflowError(f"[tool.pubflow] {error.message}", path) from None


COPYRIGHT_SIGN = re.compile(r"^\s*(?:©|\(c\)|&copy;|copyright\b)[\s:]*", re.IGNORECASE)


def copyright_text(value: str) -> str:
    """The copyright line without a sign of its own: the page prints ©, so "© 2024 …" must not print "© © 2024"."""
    return COPYRIGHT_SIGN.sub("", value).strip()
