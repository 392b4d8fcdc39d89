"""Init: a new publication in one command, from the templates shipped in ``pubflow/templates/project``.

The project it writes is the same as pubflow's own repository is for its one
article: ``pyproject.toml`` with ``[tool.pubflow]``, ``conf.py``, ``docs/``
with the front page and the status page, an empty ``locale/``, a glossary
with its header, ``scripts/setup.sh``, ``scripts/publish.sh``,
``scripts/test.sh`` and ``.ci/run``. The templates of the files without
substitutions are the repository's own files (symbolic links in the source
tree, copies in a built wheel), so the two never drift apart.

The new project's ``pyproject.toml`` depends on pubflow by name and version
range (by default the releases compatible with the running pubflow,
``pubflow>=0.1.0,<0.2``; ``--pubflow-spec`` takes another range), never by a
path into one person's checkout, which a colleague or CI could not install:
pip finds pubflow where the project's set-up is pointed (a folder of wheels,
or pubflow installed into ``.venv`` first; README.md says how).
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from babel import Locale, UnknownLocaleError
from docutils.utils import column_width
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from pubflow.config import (
    ANY_CONTROL_CHARACTER,
    GETTEXT_LOCALE,
    METHODS,
    Method,
    copyright_text,
    opencc_configurations,
    publish_policy_problem,
)
from pubflow.errors import PubflowError
from pubflow.fileio import write_atomic
from pubflow.glossary import FORBIDDEN_COLUMN, NOTE_COLUMN

TEMPLATES = Path(__file__).resolve().parent / "templates" / "project"

#: Files copied as they are: project path → template path.
VERBATIM = {
    "conf.py": "conf.py",
    "scripts/setup.sh": "scripts/setup.sh",
    "scripts/publish.sh": "scripts/publish.sh",
    "scripts/test.sh": "scripts/test.sh",
    ".ci/run": "ci/run",
    ".gitignore": "gitignore",
    # Its title, prose and table are pubflow's own strings, in each edition's language: nothing to translate.
    "docs/status.rst": "docs/status.rst",
    ".github/workflows/pages.yml": "github/workflows/pages.yml",
}
EXECUTABLE = {"scripts/setup.sh", "scripts/publish.sh", "scripts/test.sh", ".ci/run"}

#: Labels Babel would word differently from how Chinese editions name themselves.
LABELS = {"zh_CN": "简体中文", "zh_SG": "简体中文（新加坡）", "zh_TW": "繁體中文", "zh_HK": "繁體中文（香港）"}
#: Corner brackets for Traditional Chinese, as Taiwan and Hong Kong set them.
CORNER_QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}
#: Taiwan's standard forms (教育部) where OpenCC's s2tw and s2twp write others: 布 for 佈, ‧ for the interpunct.
TAIWAN_CHARACTERS = {"佈": "布", "·": "‧"}


@dataclass
class LocaleSpec:
    name: str
    method: Method
    opencc_config: str | None = None

    @classmethod
    def parse(cls, value: str) -> LocaleSpec:
        """``en``, ``en:translation``, ``zh_TW:opencc:s2twp``."""
        name, _, rest = value.partition(":")
        method, _, opencc_config = rest.partition(":")
        method = method or "translation"
        if method not in METHODS or method == "source":
            raise PubflowError(
                f"--locale {value!r}: the method must be translation or opencc, as in en or zh_TW:opencc:s2twp"
            )
        if method == "opencc" and not opencc_config:
            raise PubflowError(f"--locale {value!r}: name the OpenCC configuration, as in zh_TW:opencc:s2twp")
        if method != "opencc" and opencc_config:
            raise PubflowError(f"--locale {value!r}: only an opencc locale takes an OpenCC configuration")
        known = opencc_configurations()
        if opencc_config and known and opencc_config.removesuffix(".json") not in known:
            raise PubflowError(
                f"--locale {value!r}: OpenCC has no configuration {opencc_config!r}; it has {', '.join(sorted(known))}"
            )
        _check_locale(name, f"--locale {value!r}")
        return cls(name, method, opencc_config or None)  # type: ignore[arg-type]


@dataclass
class InitOptions:
    name: str
    source_language: str = "zh_CN"
    locales: list[LocaleSpec] = field(default_factory=list)
    bilingual: list[str] = field(default_factory=list)
    threshold: float = 100.0
    copyright: str = ""
    pubflow_spec: str | None = None
    #: Each target edition's publication policy (``--publish zh_TW=reviewed``); unnamed ones publish complete articles.
    publish: dict[str, str] = field(default_factory=dict)


def parse_publish(value: str) -> tuple[str, str]:
    """``zh_TW=reviewed``: a target locale and its publication policy."""
    name, sep, policy = value.partition("=")
    problem = publish_policy_problem(policy) if sep and name else "write it as LOCALE=POLICY, as in zh_TW=reviewed"
    if problem:
        raise PubflowError(f"--publish {value!r}: {problem}")
    return name, policy


@dataclass
class InitResult:
    root: Path
    written: list[Path]
    requirement: str


def _check_locale(name: str, where: str) -> None:
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        raise PubflowError(f"{where}: {name!r} is not a locale (for example en, zh_CN, zh_TW)") from None
    if not GETTEXT_LOCALE.match(name):
        raise PubflowError(f"{where}: write the locale as gettext and Sphinx do (for example en, zh_CN, zh_TW)")


def label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    locale = Locale.parse(name)
    return locale.get_display_name(locale) or name


def compatible_range(version: str) -> str:
    """The releases compatible with ``version``: the same minor release line before 1.0, the same major after."""
    parsed = Version(version)
    if parsed.major == 0:
        return f">={parsed.base_version},<0.{parsed.minor + 1}"
    return f">={parsed.base_version},<{parsed.major + 1}"


def requirement_for(spec: str | None) -> str:
    """``--pubflow-spec``: a version range (``>=0.1,<0.3``) or a requirement on pubflow by name and range.

    Default: the releases compatible with the running pubflow. A path or URL is refused: a
    direct reference names one person's file and carries no version range.
    """
    if not spec:
        return f"pubflow{compatible_range(metadata.version('pubflow'))}"
    text = spec.strip()
    if text[:1] in "<>=!~":
        text = f"pubflow{text}"
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        requirement = None
    if requirement is None or requirement.name != "pubflow" or requirement.url or not requirement.specifier:
        raise PubflowError(
            f"--pubflow-spec {spec!r}: give a version range, as in '>=0.1,<0.3' or 'pubflow>=0.1,<0.3'; "
            "a publication depends on pubflow by name and range, and its set-up finds pubflow in a folder of "
            "wheels (PIP_FIND_LINKS) or installed into .venv first (see README: A new publication)"
        )
    return str(requirement)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def tool_pubflow(options: InitOptions) -> str:
    """The ``[tool.pubflow]`` tables for these options."""
    lines = [
        "[tool.pubflow]",
        f"name = {_toml_string(options.name)}",
    ]
    if options.copyright:
        lines.append(f"copyright = {_toml_string(copyright_text(options.copyright))}")
    lines += [
        f"source-language = {_toml_string(options.source_language)}",
        'docs = "docs"',
        'locale = "locale"',
        'output = "_build"',
        'glossary = "glossary.csv"',
        "# Parallel editions (source column : translation column) that publish builds.",
        f"bilingual = [{', '.join(_toml_string(pair) for pair in options.bilingual)}]",
        "",
        f"[tool.pubflow.locales.{options.source_language}]",
        f"label = {_toml_string(label(options.source_language))}",
    ]
    threshold = int(options.threshold) if options.threshold.is_integer() else options.threshold
    for locale in options.locales:
        lines += ["", f"[tool.pubflow.locales.{locale.name}]", f"label = {_toml_string(label(locale.name))}"]
        lines.append(f"produced-by = {_toml_string(locale.method)}")
        if locale.opencc_config:
            lines.append(f"opencc-config = {_toml_string(locale.opencc_config)}")
            if locale.opencc_config.startswith(("s2t", "s2hk")):
                quotes = ", ".join(f"{_toml_string(k)} = {_toml_string(v)}" for k, v in CORNER_QUOTES.items())
                lines.append(f"quotes = {{ {quotes} }}")
            if locale.opencc_config.startswith("s2tw"):
                fixes = ", ".join(f"{_toml_string(k)} = {_toml_string(v)}" for k, v in TAIWAN_CHARACTERS.items())
                lines.append(f"characters = {{ {fixes} }}")
        lines.append(f"threshold = {threshold}")
        # Written out, so a new publisher sees which articles the edition publishes (README: Editions).
        lines.append(f"publish = {_toml_string(options.publish.get(locale.name, 'complete'))}")
        if locale.method == "translation" and locale.name.split("_")[0] == "en":
            # An English edition is spell-checked; British unless the locale says en_US.
            spelling = "en_US" if locale.name == "en_US" else "en_GB"
            lines.append(f"spelling = {_toml_string(spelling)}")
    return "\n".join(lines) + "\n"


def _validate(options: InitOptions) -> None:
    _check_locale(options.source_language, "--source-language")
    names = [options.source_language, *(loc.name for loc in options.locales)]
    if len(set(names)) != len(names):
        raise PubflowError(f"a locale is named twice: {', '.join(names)}")
    for pair in options.bilingual:
        first, sep, second = pair.partition(":")
        if not sep or first == second or first not in names or second not in names:
            raise PubflowError(f"--bilingual {pair!r}: name two different configured locales, as in zh_CN:en")
    for name in options.publish:
        if name not in names[1:]:
            raise PubflowError(f"--publish {name!r}: name a target locale given with --locale, as in zh_TW=reviewed")
    if not options.name.strip():
        raise PubflowError("--name must not be empty")
    for flag, value in (("--name", options.name), ("--copyright", options.copyright or "")):
        # A line break would split the front page's title; other control characters TOML refuses.
        if ANY_CONTROL_CHARACTER.search(value):
            raise PubflowError(f"{flag} must be one line of text, without control characters")


def project_files(root: Path, options: InitOptions, requirement: str) -> dict[str, str]:
    """Every file of the new project and its content."""
    files = {target: (TEMPLATES / source).read_text(encoding="utf-8") for target, source in VERBATIM.items()}
    slug = re.sub(r"[^a-z0-9]+", "-", root.name.lower()).strip("-") or "publication"
    files["pyproject.toml"] = string.Template((TEMPLATES / "pyproject.toml.in").read_text(encoding="utf-8")).substitute(
        project=slug,
        description=_toml_string(options.name)[1:-1],
        requirement=requirement.replace("\\", "\\\\").replace('"', '\\"'),
        tool_pubflow=tool_pubflow(options),
    )
    files["docs/index.rst"] = string.Template(
        (TEMPLATES / "docs" / "index.rst.in").read_text(encoding="utf-8")
    ).substitute(title=options.name, underline="=" * column_width(options.name))
    columns = [options.source_language, *(loc.name for loc in options.locales), NOTE_COLUMN, FORBIDDEN_COLUMN]
    files["glossary.csv"] = ",".join(columns) + "\n"
    return files


def init_project(root: Path, options: InitOptions) -> InitResult:
    """Write a new publication into ``root``; refuse to overwrite any file that differs."""
    _validate(options)
    requirement = requirement_for(options.pubflow_spec)
    files = project_files(root, options, requirement)
    clashes = [
        name for name, content in files.items()
        if (root / name).exists() and (root / name).read_text(encoding="utf-8") != content
    ]  # fmt: skip
    if clashes:
        raise PubflowError(
            f"would overwrite {', '.join(sorted(clashes))}; pubflow init leaves files of yours alone: "
            "choose a folder without them (an empty one, or one of other files)",
            root,
        )
    written = []
    for name, content in files.items():
        path = root / name
        if write_atomic(path, content):
            written.append(path)
        if name in EXECUTABLE:
            path.chmod(0o755)
    (root / "locale").mkdir(parents=True, exist_ok=True)
    return InitResult(root, written, requirement)
