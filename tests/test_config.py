"""Strict configuration: every key of [tool.pubflow] is declared in one schema, with its type."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pubflow.config import SCHEMA, Table, load_config, validate
from pubflow.errors import PubflowError
from tests.conftest import REPO

EN = "[tool.pubflow.locales.en]"


def shipped_table() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pubflow"]


def problems(table: dict) -> list[str]:
    return [f"[{p.table}] {p.message}" for p in validate(table)]


def test_the_shipped_configuration_is_valid() -> None:
    assert problems(shipped_table()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t["locales"]["en"].update(thresold=100), f"{EN} unknown key 'thresold'; did you mean threshold?"),
        (lambda t: t.update(glosary="g.csv"), "[tool.pubflow] unknown key 'glosary'; did you mean glossary?"),
        (lambda t: t.update(colour="red"), "[tool.pubflow] unknown key 'colour' (known keys: source-language,"),
        (lambda t: t["locales"]["en"].update(produced_by=""), "unknown key 'produced_by'; did you mean produced-by?"),
        (lambda t: t["locales"]["en"].update(threshold="high"), f'{EN} threshold = "high": expected a number'),
        (lambda t: t["locales"]["en"].update(threshold=True), "threshold = true: expected a number"),
        (lambda t: t["locales"]["en"].update(threshold=101), "threshold = 101: expected a percentage from 0 to 100"),
        (lambda t: t.update(bilingual="zh_CN:en"), 'bilingual = "zh_CN:en": expected a list of locale pairs'),
        (lambda t: t.update(bilingual=["zh_CN"]), "bilingual: item \"zh_CN\": expected two locales as in 'zh_CN:en'"),
        (lambda t: t.update(locales="x"), '[tool.pubflow] locales = "x": expected a table of locales'),
        (lambda t: t["locales"]["zh_TW"].update(quotes={"“": 5}),
          '[tool.pubflow.locales.zh_TW.quotes] "“" = 5: expected'),
        (lambda t: t.update(output="/srv/www"), 'output = "/srv/www": expected a path inside the project'),
        (lambda t: t.update(docs="../elsewhere"), 'docs = "../elsewhere": expected a path inside the project'),
        (lambda t: t["locales"]["en"].update({"produced-by": "magic"}), "expected one of source, translation, opencc"),
    ],
)  # fmt: skip
def test_an_unknown_key_or_a_wrong_type_is_named_with_its_table(change, expected: str) -> None:  # type: ignore[no-untyped-def]
    table = shipped_table()
    change(table)
    found = problems(table)
    assert len(found) == 1, found
    assert expected in found[0], found[0]


def test_a_setting_is_one_line_of_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """How another stage adds its key: one entry in SCHEMA; before that, the key is an error."""
    from pubflow.config import INTEGER

    table = {**shipped_table(), "page-width": 79}
    assert problems(table)[0].startswith("[tool.pubflow] unknown key 'page-width'")
    extended = Table({**SCHEMA.keys, "page-width": INTEGER})
    assert validate(table, extended) == []
    assert [p.message for p in validate({**table, "page-width": "79"}, extended)] == [
        'page-width = "79": expected an integer'
    ]


def test_every_problem_is_counted_and_the_first_named_with_its_line(tmp_path: Path) -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace("threshold = 100", "thresold = 100").replace('label = "English"', "label = 5")
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PubflowError) as raised:
        load_config(tmp_path)
    error = raised.value
    assert error.path == tmp_path / "pyproject.toml"
    assert error.line == text.splitlines().index("label = 5") + 1
    assert error.message.startswith("[tool.pubflow.locales.en] label = 5: expected a string")
    assert error.message.endswith("(and 2 more problem(s))")  # thresold in en and in zh_TW
