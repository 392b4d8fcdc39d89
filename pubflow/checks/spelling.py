"""Spelling: every word of a translation is in a real dictionary, the glossary or the project's word list.

A locale opts in with ``spelling = "en_GB"`` (or ``en_US``, ``fr_FR``,
``de_DE``, ``ko_KR``) in its table of ``[tool.pubflow.locales]``. Words are
looked up with Enchant (pyenchant) in the system's Hunspell dictionaries
(Debian's ``hunspell-en-gb``, ``hunspell-en-us``, ``hunspell-fr``,
``hunspell-de-de``, ``hunspell-ko``). Debian has no Hunspell dictionary for
Japanese or Chinese (their words are not separated by spaces, which Hunspell
needs), and pubflow says so rather than pretend to check them. Also known: the words of the glossary's forms for the
locale (Naw Kham, Mengxi, Lancang) and those of the project word list,
``spelling-words.txt`` (one word a line, ``#`` comments), for names and terms
the glossary does not hold. Markup, URLs and literals are not prose and are
not read (see ``prose.py``); nor are acronyms (INTERPOL, UN), words with digits, and
Latin words the Chinese source has too (CNN, a name or code carried over).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pubflow.checks.model import EntryContext, Finding
from pubflow.checks.prose import prose
from pubflow.config import setting_line
from pubflow.errors import PubflowError
from pubflow.fileio import read_text
from pubflow.glossary import Glossary

if TYPE_CHECKING:
    import enchant

# A word: letters with inner apostrophes or hyphens (China's, counter-terrorism, Jean-Pierre).
WORD = re.compile(r"(?<!\w)[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
DEBIAN_PACKAGES = {
    "en_GB": "hunspell-en-gb", "en_US": "hunspell-en-us", "en_AU": "hunspell-en-au", "fr_FR": "hunspell-fr",
    "fr": "hunspell-fr", "de_DE": "hunspell-de-de", "de_AT": "hunspell-de-at", "de_CH": "hunspell-de-ch",
    "ko_KR": "hunspell-ko", "ko": "hunspell-ko",
}  # fmt: skip
#: Languages Debian has no Hunspell dictionary for, by name.
NO_DICTIONARY = {"ja": "Japanese", "zh": "Chinese"}
# Korean particles written onto the word before them: 메콩강에서 is 메콩강 (a glossary name) + 에서 "in".
KOREAN_PARTICLES = (
    "에서", "에게", "으로", "까지", "부터", "처럼", "로", "은", "는", "이", "가",
    "을", "를", "의", "와", "과", "도", "만", "에",
)  # fmt: skip
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def load_word_list(path: Path | None) -> frozenset[str]:
    """The project's own words, one a line; a missing file is an empty list."""
    if path is None or not path.is_file():
        return frozenset()
    words = set()
    for line in read_text(path).splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


def glossary_words(glossary: Glossary, locale: str) -> frozenset[str]:
    """Every word of every form the glossary gives for a locale."""
    words: set[str] = set()
    for term in glossary.terms:
        for form in term.alternatives(locale):
            words.update(m.group().replace("’", "'") for m in WORD.finditer(form))
    return frozenset(words)


def open_dictionary(tag: str, where: Path) -> enchant.Dict:
    try:
        import enchant
    except ImportError as error:  # pyenchant is installed, the C library is not
        raise PubflowError(
            f"spelling needs the Enchant library ({error}); install Debian's libenchant-2-2", where
        ) from None
    try:
        return enchant.Dict(tag)
    except enchant.errors.DictNotFoundError:
        language = NO_DICTIONARY.get(tag.split("_")[0])
        if language:
            raise PubflowError(
                f"Debian has no {language} spelling dictionary (Hunspell needs words separated by spaces), "
                "so pubflow cannot check its spelling; remove the spelling setting",
                where,
            ) from None
        package = DEBIAN_PACKAGES.get(tag, f"hunspell-{tag.lower().replace('_', '-')}")
        raise PubflowError(
            f"no {tag} spelling dictionary is installed; install Debian's {package}, "
            f"or set spelling to one of {', '.join(sorted(d for d, _ in enchant.list_dicts()))}",
            where,
        ) from None


#: Distinct unknown words a run suggests spellings for; the others are still reported, without a hint.
SUGGESTION_BUDGET = 10
LONGEST_SUGGESTED = 40


class Speller:
    """A dictionary with the project's words, asked once per distinct word."""

    def __init__(self, dictionary: enchant.Dict, known: frozenset[str], hangul: bool = False):
        self.dictionary = dictionary
        self.hangul = hangul  # a Korean dictionary reads Hangul words, and leaves Latin ones (INTERPOL) alone
        self.known = known
        self.known_lower = frozenset(w.lower() for w in known)
        self.correct = cache(self._correct)
        self.suggestions = cache(self._suggestions)
        self.suggested = 0

    def _in_dictionary(self, word: str) -> bool:
        return (
            word in self.known
            or word.lower() in self.known_lower
            or self.dictionary.check(word)
            or (word[0].isupper() and word[1:].islower() and self.dictionary.check(word.lower()))
        )

    def _correct(self, word: str) -> bool:
        letters = word.replace("'", "").replace("’", "").replace("-", "")
        other_script = not HANGUL.fullmatch(letters[0]) if self.hangul else any(c > "\u024f" for c in letters)
        if not letters.isalpha() or other_script:
            return True  # s², or a word in another script: the script check's business, not spelling's
        if word.isupper() or (any(c.isupper() for c in word[1:] if c.isalpha()) and "-" not in word):
            return True  # acronyms and CamelCase names: INTERPOL, UN, OpenCC
        word = word.replace("’", "'")
        if self._in_dictionary(word):
            return True
        for suffix in ("'s", "'"):
            if word.endswith(suffix) and self._in_dictionary(word[: -len(suffix)]):
                return True
        if self.hangul:
            stems = (word[: -len(p)] for p in KOREAN_PARTICLES if word.endswith(p) and len(word) > len(p))
            if any(stem in self.known or self.dictionary.check(stem) for stem in stems):
                return True
        if "-" in word:
            return all(self._correct(part) for part in word.split("-") if part)
        return False

    def _suggestions(self, word: str) -> tuple[str, ...]:
        # Hunspell's suggestions cost a tenth of a second or more a word (1,000 unknown words took 35 s):
        # ask once per distinct word, for at most SUGGESTION_BUDGET words a run, none longer than a word.
        if self.suggested >= SUGGESTION_BUDGET or len(word) > LONGEST_SUGGESTED:
            return ()
        self.suggested += 1
        return tuple(self.dictionary.suggest(word.replace("’", "'"))[:3])

    def misspelt(self, text: str, source: str = "") -> list[str]:
        """The unknown words of ``text``; a Latin word its ``source`` also has is a name or code carried over."""
        carried = {m.group().lower() for m in LATIN_WORD.finditer(source)} if source else set()
        seen: dict[str, None] = {}
        for match in WORD.finditer(prose(text)):
            word = match.group().strip("'’-")
            if len(word) > 1 and word not in seen and word.lower() not in carried and not self.correct(word):
                seen[word] = None
        return list(seen)


def make_check_spelling(
    tag: str, word_list: Path | None, glossary: Glossary, locale: str, where: Path
) -> Callable[[EntryContext], Iterator[Finding]]:
    try:
        dictionary = open_dictionary(tag, where)
    except PubflowError as error:
        table = f"tool.pubflow.locales.{locale}"
        line = setting_line(where, table, "spelling") if where.name == "pyproject.toml" else None
        raise PubflowError(f"[{table}] spelling = {tag!r}: {error.message}", where, line) from None
    known = load_word_list(word_list) | glossary_words(glossary, locale)
    speller = Speller(dictionary, known, hangul=tag.startswith("ko"))
    list_name = word_list.name if word_list else "spelling-words.txt"

    def check_spelling(ctx: EntryContext) -> Iterator[Finding]:
        for word in speller.misspelt(ctx.entry.msgstr, ctx.entry.msgid):
            hint = speller.suggestions(word)
            advice = f"did you mean {', '.join(hint)}? " if hint else ""
            yield ctx.finding(
                "spelling", f"{word!r} is not in the {tag} dictionary; {advice}a name or term goes in {list_name}"
            )

    return check_spelling
