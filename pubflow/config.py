"""The project configuration: ``[tool.pubflow]`` in pyproject.toml, and nothing else.

Adding a locale is a change here, never in code: each locale says how its
edition is produced (``source``, ``translation`` or ``opencc``), which OpenCC
configuration converts it, which quotation marks it uses and what coverage
it must reach.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError

from pubflow.errors import PubflowError

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
    threshold: float = 0.0

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
    #: The publication's name in the source language (the front page's title; feeds, root page).
    name: str = "pubflow"
    copyright: str = ""
    #: Where the site is published, for absolute links in the feeds; empty: relative links.
    base_url: str = ""
    #: The UTC offset of the times printed in bylines (China Standard Time unless said otherwise).
    timezone: str = "+08:00"

    @property
    def source(self) -> LocaleConfig:
        return self.locales[self.source_language]

    @property
    def targets(self) -> list[LocaleConfig]:
        """Every locale that has catalogs, in configuration order."""
        return [loc for loc in self.locales.values() if loc.method != "source"]

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
        chosen = [self.locale(n) for n in names]
        for loc in chosen:
            if loc.method == "source":
                raise PubflowError(
                    f"{loc.name} is the source language; it has no catalogs",
                    self.root / "pyproject.toml",
                )
        return chosen


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` whose pyproject.toml has [tool.pubflow]."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.pubflow" in candidate.read_text(encoding="utf-8"):
            return folder
    raise PubflowError(
        "no pyproject.toml with a [tool.pubflow] table here or above; run pubflow inside a pubflow project",
        here,
    )


def load_config(root: Path | None = None) -> ProjectConfig:
    root = find_project_root(root)
    path = root / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PubflowError(f"invalid TOML: {exc}", path) from None
    table = data.get("tool", {}).get("pubflow", {})
    source_language = table.get("source-language", "zh_CN")
    raw_locales = table.get("locales", {})
    if source_language not in raw_locales:
        raw_locales = {source_language: {}, **raw_locales}
    locales: dict[str, LocaleConfig] = {}
    for name, spec in raw_locales.items():
        locales[name] = _locale_from_table(name, spec, source_language, path)
    bilingual = [_bilingual_pair(value, locales, path) for value in table.get("bilingual", [])]
    return ProjectConfig(
        root=root,
        bilingual=bilingual,
        source_language=source_language,
        docs_dir=root / table.get("docs", "docs"),
        locale_dir=root / table.get("locale", "locale"),
        output_dir=root / table.get("output", "_build"),
        glossary_path=root / table.get("glossary", "glossary.csv"),
        locales=locales,
        name=_text(table, "name", "pubflow", path),
        copyright=_text(table, "copyright", "", path),
        base_url=_base_url(_text(table, "base-url", "", path), path),
        timezone=_utc_offset(_text(table, "timezone", "+08:00", path), path),
    )


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


def _locale_from_table(name: str, spec: dict, source_language: str, path: Path) -> LocaleConfig:
    try:
        babel_locale = Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        raise PubflowError(f"[tool.pubflow.locales.{name}]: {name!r} is not a locale", path) from None
    method: str = spec.get("produced-by", "source" if name == source_language else "translation")
    if method not in METHODS:
        raise PubflowError(
            f"[tool.pubflow.locales.{name}] produced-by = {method!r}; expected one of {', '.join(METHODS)}",
            path,
        )
    if (method == "source") != (name == source_language):
        raise PubflowError(
            f"[tool.pubflow.locales.{name}]: only the source language {source_language} is produced-by = 'source'",
            path,
        )
    opencc_config = spec.get("opencc-config")
    if method == "opencc" and not opencc_config:
        raise PubflowError(
            f"[tool.pubflow.locales.{name}] is produced by opencc but names no opencc-config "
            f"(for example s2twp or s2hk)",
            path,
        )
    return LocaleConfig(
        name=name,
        label=spec.get("label") or babel_locale.get_display_name(babel_locale) or name,
        method=method,  # type: ignore[arg-type]
        opencc_config=opencc_config,
        quotes=dict(spec.get("quotes", {})),
        threshold=float(spec.get("threshold", 0)),
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
