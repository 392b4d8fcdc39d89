"""Script conversion: OpenCC, with the glossary's forms and the locale's quotation marks.

The pipeline for one message: hide reST markup and URLs → hide glossary terms
→ OpenCC → the locale's quotation marks and character fixes → restore terms in
their glossary form and markup as it was.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from dataclasses import dataclass
from functools import cached_property

from pubflow.config import LocaleConfig
from pubflow.errors import PubflowError
from pubflow.glossary import Glossary
from pubflow.masking import mask


@dataclass(frozen=True)
class EngineInfo:
    distribution: str
    version: str

    def __str__(self) -> str:
        return f"{self.distribution} {self.version}"


def engine_info() -> EngineInfo:
    """Which distribution provides the ``opencc`` module here, and its version."""
    # The usual providers first: asking for every installed distribution's modules takes half a second.
    for candidate in ("opencc", "opencc-python-reimplemented"):
        try:
            distribution = importlib.metadata.distribution(candidate)
        except importlib.metadata.PackageNotFoundError:
            continue
        if "opencc" in (distribution.read_text("top_level.txt") or "").split():
            return EngineInfo(distribution.metadata["Name"], distribution.version)
    providers = importlib.metadata.packages_distributions().get("opencc", [])
    if not providers:
        raise PubflowError("OpenCC is not installed; run scripts/setup.sh (it installs the official binding 'opencc')")
    name = providers[0]
    return EngineInfo(name, importlib.metadata.version(name))


class ScriptConverter:
    """Converts Simplified Chinese messages into one locale's script and vocabulary."""

    def __init__(self, locale: LocaleConfig, glossary: Glossary):
        if not locale.opencc_config:
            raise PubflowError(f"locale {locale.name} has no opencc-config")
        import opencc

        self.locale = locale
        self.engine = engine_info()
        config = locale.opencc_config
        try:
            # The official binding takes "s2twp"; the pure-Python one wants "s2twp" too,
            # while older official versions need the ".json" file name.
            self._opencc = opencc.OpenCC(config)
        except Exception:
            try:
                self._opencc = opencc.OpenCC(f"{config}.json")
            except Exception as exc:
                raise PubflowError(
                    f"OpenCC has no configuration {config!r} (locale {locale.name}); "
                    f"use one such as s2t, s2tw, s2twp, s2hk: {exc}"
                ) from None
        self._terms = {t.source: t.form(locale.name) for t in glossary.terms if t.form(locale.name)}
        self._term_pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(self._terms, key=len, reverse=True)))
            if self._terms
            else None
        )
        # The locale's quotation marks and its character fixes (佈 → 布, · → ‧ for Taiwan) are one table of
        # single characters replaced in OpenCC's output; glossary forms and masked markup are restored after it.
        replacements = {**locale.quotes, **locale.characters}
        self._quotes = str.maketrans(replacements) if replacements else None
        # One replacement after another is the same as one translation when no replacement makes a character
        # that a later one would replace again.
        plain = all(len(k) == 1 for k in replacements) and not any(
            k in "".join(replacements.values()) for k in replacements
        )
        self._quote_pairs = list(replacements.items()) if replacements and plain else []
        self._memo: dict[str, str] = {}
        self.calls = 0

    @cached_property
    def signature(self) -> str:
        """What the output depends on: engine, version, configuration, glossary terms, quotes, character fixes."""
        material = repr((str(self.engine), self.locale.opencc_config, sorted(self._terms.items()), self.locale.quotes))
        if self.locale.characters:  # only then, so that a locale without character fixes keeps its signature
            material += repr(sorted(self.locale.characters.items()))
        digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]
        return f"{self.engine}; config={self.locale.opencc_config}; rules={digest}"

    def convert(self, text: str) -> str:
        if text in self._memo:
            return self._memo[text]
        masked = mask(text, self._term_pattern, lambda m: self._terms[m.group()])
        self.calls += 1
        converted = self._opencc.convert(masked.text)
        if self._quote_pairs:
            for old, new in self._quote_pairs:  # str.translate looks up every character in a dict: far slower
                converted = converted.replace(old, new)
        elif self._quotes:
            converted = converted.translate(self._quotes)
        result = masked.restore(converted)
        self._memo[text] = result
        return result
