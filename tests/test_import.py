"""Import: raw article text → reST, checked against the text itself, not against expectations of it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.misc import Class

from pubflow.importer import FOOTER_MARKERS, INLINE_DATELINE, MEDIA_MARKERS, find_sections, fullwidth_punctuation
from tests.conftest import ARTICLE, FIXTURES, REPO, SEED, run_pubflow

# Sphinx's rst-class is docutils' class directive under another name.
directives.register_directive("rst-class", Class)


def document_texts(rst: str) -> list[str]:
    """Every title and paragraph of a reST document, in reading order, as rendered text."""
    tree = publish_doctree(rst, settings_overrides={"report_level": 2, "halt_level": 2})

    def is_text(node: nodes.Node) -> bool:
        # The leading field list is Sphinx's file-wide metadata, not article text.
        if not isinstance(node, (nodes.title, nodes.paragraph)):
            return False
        parent = node.parent
        while parent is not None:
            if isinstance(parent, (nodes.field_list, nodes.docinfo)):
                return False
            parent = parent.parent
        return True

    return [node.astext() for node in tree.findall(is_text)]


def seed_lines(raw: Path) -> list[str]:
    lines = [line.strip() for line in raw.read_text(encoding="utf-8").splitlines() if line.strip()]
    end = next(i for i, line in enumerate(lines) if line.startswith(FOOTER_MARKERS))
    return lines[:end]


def test_shipped_document_matches_seed_paragraph_by_paragraph() -> None:
    texts = document_texts((REPO / "docs" / f"{ARTICLE}.rst").read_text(encoding="utf-8"))
    raw = seed_lines(SEED)
    title, subtitle, byline, *body = raw
    author, source, date, *article_body = texts[2:]
    assert texts[0] == fullwidth_punctuation(title)
    assert texts[1] == fullwidth_punctuation(subtitle)
    # The byline is kept field by field, each with its own wording.
    assert f"{date} {author} {source}" == fullwidth_punctuation(byline)
    assert article_body == [fullwidth_punctuation(line) for line in body]
    assert article_body[-1] == "法制网北京9月24日讯"
    # Nothing but the listed punctuation differs from the seed.
    for ours, theirs in zip(article_body, body, strict=True):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            assert a == b or fullwidth_punctuation(f"中{b}中")[1] == a


def test_shipped_document_is_exactly_what_import_produces(project: Path) -> None:
    shipped = (project / "docs" / f"{ARTICLE}.rst").read_bytes()
    (project / "docs" / f"{ARTICLE}.rst").unlink()
    result = run_pubflow("import", str(SEED), "--name", ARTICLE, cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "docs" / f"{ARTICLE}.rst").read_bytes() == shipped


def test_import_reports_the_navigation_it_left_out(project: Path) -> None:
    (project / "docs" / f"{ARTICLE}.rst").unlink()  # else the import is refused as a second copy
    result = run_pubflow("import", str(SEED), "--name", "seed-again", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "left out 4 line(s)" in result.stderr
    for line in ["上一篇", "下一篇", "推荐图片文章", "热点文章"]:
        assert line in result.stderr
    rst = (project / "docs" / "seed-again.rst").read_text(encoding="utf-8")
    assert "上一篇" not in rst and "热点文章" not in rst
    assert "   seed-again" in (project / "docs" / "index.rst").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("安全,也没有", "安全，也没有"),
        ("述评(上)", "述评（上）"),
        ("作者:蔡长春", "作者：蔡长春"),
        ("大局?", "大局？"),
        ("必将实现!", "必将实现！"),
        ("同步;同频", "同步；同频"),
        ("日,15名", "日，15名"),
        ("组织(ICPO)是", "组织（ICPO）是"),
        ("10:15:37", "10:15:37"),
        ("Hello, world (really)!", "Hello, world (really)!"),
        ("中国-东盟", "中国-东盟"),
        ("“10·5”血案", "“10·5”血案"),
    ],
)
def test_fullwidth_punctuation(before: str, after: str) -> None:
    assert fullwidth_punctuation(before) == after


def test_article_without_subtitle_with_other_byline_and_leading_dateline(project: Path) -> None:
    raw = FIXTURES / "articles" / "no_subtitle.txt"
    result = run_pubflow("import", str(raw), "--name", "fraud", cwd=project)
    assert result.returncode == 0, result.stderr
    rst = (project / "docs" / "fraud.rst").read_text(encoding="utf-8")
    texts = document_texts(rst)
    assert texts[0] == "新型跨境电信诈骗案件呈现三大特点"
    # The dateline on its own line before the text joins the byline.
    assert texts[1:5] == ["作者：李明 王芳", "来源：人民日报", "2019年03月05日 08:30", "新华社北京3月4日电"]
    assert "pubflow-subtitle" not in rst
    assert ":pubflow-date: 2019-03-05" in rst
    assert "诈骗窝点加速向境外转移\n----" in rst and "资金流转链条日趋复杂\n----" in rst
    assert texts[-1] == "诈骗资金往往经过多级账户快速分散转移，给追赃挽损带来极大困难！"
    assert "警方表示，将进一步加强与有关国家的执法合作（包括联合侦查和证据移交）。" in texts
    assert "16.4万起，同比上升32.8%。" in texts[5]
    assert "责任编辑" not in rst and "相关新闻" not in rst


@pytest.mark.slow
def test_article_with_four_sections_and_no_dateline(project: Path) -> None:
    raw = FIXTURES / "articles" / "many_sections.txt"
    result = run_pubflow("import", str(raw), "--name", "drugs", cwd=project)
    assert result.returncode == 0, result.stderr
    rst = (project / "docs" / "drugs.rst").read_text(encoding="utf-8")
    assert rst.count("\n----") == 4
    assert "pubflow-dateline" not in rst
    texts = document_texts(rst)
    assert texts[:5] == [
        "边境地区禁毒宣传走进校园",
        "护航青少年健康成长",
        "记者：张三",
        "来源：法制日报",
        "2018-06-26 09:02",
    ]
    assert texts[-1] == "数百名师生在横幅上签名，表达远离毒品的决心；活动持续了整整一个下午。"
    # The new article builds with the others, without a warning.
    assert run_pubflow("extract", cwd=project).returncode == 0


def test_unparseable_text_is_refused_with_file_and_line(project: Path) -> None:
    raw = FIXTURES / "articles" / "no_byline.txt"
    result = run_pubflow("import", str(raw), cwd=project)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no_byline.txt:1: no byline found" in lines[0]
    assert "Traceback" not in result.stderr
    assert not list((project / "docs").glob("*no-byline*"))


def test_wrong_encoding_is_refused_with_line(project: Path, tmp_path: Path) -> None:
    raw = tmp_path / "gbk.txt"
    raw.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    result = run_pubflow("import", str(raw), cwd=project)
    assert result.returncode == 2
    assert "gbk.txt:1: not UTF-8" in result.stderr
    assert "iconv" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_existing_document_is_not_overwritten_without_force(project: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("以合作促安全", "以合作促进安全"), encoding="utf-8")
    before = (project / "docs" / f"{ARTICLE}.rst").read_bytes()
    result = run_pubflow("import", str(changed), "--name", ARTICLE, cwd=project)
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert (project / "docs" / f"{ARTICLE}.rst").read_bytes() == before
    assert run_pubflow("import", str(changed), "--name", ARTICLE, "--force", cwd=project).returncode == 0
    assert "以合作促进安全" in (project / "docs" / f"{ARTICLE}.rst").read_text(encoding="utf-8")


def docs_bytes(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "docs").iterdir())}


@pytest.mark.parametrize("name", ["index", "status"])
def test_force_never_replaces_a_page_that_is_no_article(project: Path, name: str) -> None:
    """The front page and the status page are the editors' own: --force replaces articles only."""
    before = docs_bytes(project)
    result = run_pubflow(
        "import", str(FIXTURES / "articles" / "no_subtitle.txt"), "--name", name, "--force", cwd=project
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == f"pubflow: error: docs/{name}.rst: is not an imported article; choose another --name than {name!r}"
    )
    assert docs_bytes(project) == before


@pytest.mark.parametrize(
    ("byline", "error"),
    [
        ("2019年13月45日 08:30", "no_subtitle.txt:2: the byline's date '2019年13月45日 08:30' is no real date or time"),
        ("2019年02月29日", "no_subtitle.txt:2: the byline's date '2019年02月29日' is no real date or time"),
        ("2019年03月05日 25:30", "no_subtitle.txt:2: the byline's date '2019年03月05日 25:30' is no real date"),
        ("05/03/2019", "no_subtitle.txt:2: the byline's date is not recognised"),
    ],
)
def test_a_byline_date_that_is_no_date_is_refused_on_its_line(
    project: Path, tmp_path: Path, byline: str, error: str
) -> None:
    raw = tmp_path / "no_subtitle.txt"
    text = (FIXTURES / "articles" / "no_subtitle.txt").read_text(encoding="utf-8")
    raw.write_text(text.replace("2019年03月05日 08:30", byline), encoding="utf-8")
    before = docs_bytes(project)
    result = run_pubflow("import", str(raw), "--name", "dated", cwd=project)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert error in result.stderr
    assert docs_bytes(project) == before


@pytest.mark.slow
def test_an_empty_name_is_refused(project: Path) -> None:
    result = run_pubflow("import", str(FIXTURES / "articles" / "no_subtitle.txt"), "--name", "", cwd=project)
    assert result.returncode == 2 and "document name '' must be" in result.stderr


@pytest.mark.slow
def test_an_article_already_imported_under_another_name_is_refused(project: Path, tmp_path: Path) -> None:
    """The same article under a second name would stand twice on every front page and in every feed."""
    renamed_raw = tmp_path / "same-article-saved-again.txt"
    renamed_raw.write_bytes(SEED.read_bytes())
    before = docs_bytes(project)
    result = run_pubflow("import", str(renamed_raw), cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"pubflow: error: {renamed_raw}: is already in docs/ as {ARTICLE!r} (same title and date); "
        f"to replace that one, run pubflow import {renamed_raw} --name {ARTICLE} --force, "
        "or pass --force to import a second copy"
    )
    assert docs_bytes(project) == before
    # Moved into a sub-folder, it is still found there.
    (project / "docs" / "2017").mkdir()
    (project / "docs" / f"{ARTICLE}.rst").rename(project / "docs" / "2017" / f"{ARTICLE}.rst")
    result = run_pubflow("import", str(renamed_raw), "--name", "again", cwd=project)
    assert result.returncode == 2 and f"as '2017/{ARTICLE}'" in result.stderr and "--name 2017" not in result.stderr
    # Another article with the same title on another day is no copy; --force imports a copy on purpose.
    other_day = tmp_path / "other-day.txt"
    other_day.write_text(SEED.read_text(encoding="utf-8").replace("2017-09-25", "2018-09-25"), encoding="utf-8")
    assert run_pubflow("import", str(other_day), "--name", "other-day", cwd=project).returncode == 0
    assert run_pubflow("import", str(renamed_raw), "--name", "again", "--force", cwd=project).returncode == 0
    assert (project / "docs" / "again.rst").exists()


def test_a_name_taken_by_another_article_asks_for_another_name_not_force(project: Path) -> None:
    """Raw files named in Chinese all derive <date>-article: --force would have replaced an unrelated article."""
    before = docs_bytes(project)
    raw = FIXTURES / "articles" / "no_subtitle.txt"
    result = run_pubflow("import", str(raw), "--name", ARTICLE, cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"pubflow: error: docs/{ARTICLE}.rst: already holds another article; name this one with --name, "
        f"as in pubflow import {raw} --name {ARTICLE}-2 (--force would replace the other article)"
    )
    assert docs_bytes(project) == before


def test_an_article_in_traditional_characters(project: Path) -> None:
    """A publication whose source is zh_TW: 記者, 來源, a 訊 dateline, 責任編輯 after the article, list items."""
    result = run_pubflow("import", str(FIXTURES / "articles" / "traditional.txt"), "--name", "fraud-tw", cwd=project)
    assert result.returncode == 0, result.stderr
    texts = document_texts((project / "docs" / "fraud-tw.rst").read_text(encoding="utf-8"))
    assert texts[:4] == ["跨境詐騙案件偵辦取得進展", "記者：李明", "來源：法制日報", "2019-03-05 08:30"]
    assert texts[-1] == "法制網北京3月4日訊"
    # Short lines of a list stay paragraphs, with their dash as text (never a heading, nor a reST list).
    assert "- 詐騙窩點位於境外" in texts and "- 資金經多層帳戶轉移" in texts
    assert texts.count("案件特點") == 1
    assert "責任編輯" not in "".join(texts) and "left out 2 line(s)" in result.stderr


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")])
def test_a_wide_encoding_is_named_as_it_is(project: Path, tmp_path: Path, encoding: str, name: str) -> None:
    raw = tmp_path / "wide.txt"
    bom = "\ufeff" if encoding.endswith("-be") else ""  # utf-16 and utf-32 write their own
    raw.write_bytes((bom + SEED.read_text(encoding="utf-8")).encode(encoding))
    result = run_pubflow("import", str(raw), cwd=project)
    assert result.returncode == 2 and f"wide.txt:1: not UTF-8: saved as {name}; save it as UTF-8" in result.stderr


def sections_of(rst: str) -> list[tuple[int, str]]:
    """(depth, title) of every section below the document's title, as docutils nests them."""
    tree = publish_doctree(rst, settings_overrides={"report_level": 2, "halt_level": 2})
    found = []
    for section in tree.findall(nodes.section):
        depth, parent = 0, section.parent
        while isinstance(parent, nodes.section):
            depth, parent = depth + 1, parent.parent
        if depth:
            found.append((depth, section[0].astext()))
    return found


def byline_of(rst: str) -> list[str]:
    tree = publish_doctree(rst, settings_overrides={"report_level": 2, "halt_level": 2})
    byline = next(n for n in tree.findall(nodes.container) if "pubflow-byline" in n["classes"])
    return [p.astext() for p in byline.findall(nodes.paragraph)]


#: Chinese news texts as news sites serve them (written for these tests): numbered sections two levels
#: deep, (图) and 【視頻】 markers, datelines run into the first paragraph, numbered lists and run-in numbers.
NEWS = {
    "brief": {
        "title": "云南警方破获一起跨境贩毒案",
        "dropped": "（图）",
        "byline": ["作者：李明", "来源：云南日报", "2021-11-05 18:20", "新华社昆明11月5日电（记者 李明）"],
        "first": "云南省公安厅5日通报，普洱市警方日前在边境一线破获一起跨境贩毒案",
        "sections": [],
        "left_out": ["【责任编辑:王芳】"],
    },
    "numbered_sections": {
        "title": "制造业企业加快数字化转型步伐",
        "dropped": "（组图）",
        "byline": ["作者：王强 刘洋", "来源：经济日报", "2023年06月12日 09:30", "本报上海6月11日讯（记者 王强 刘洋）"],
        "first": "今年以来，长三角地区制造业企业加快推进数字化",
        "sections": [
            (1, "一、技术升级带动产能提升"),
            (2, "（一）智能化改造"),
            (2, "（二）绿色化转型"),
            (1, "二、市场拓展取得新进展"),
            (1, "三、下一步工作安排"),
        ],
        # A numbered list of short lines stays paragraphs; the site's (责任编辑) line is left out.
        "paragraphs": ["1.出口额同比增长12%", "2.新增海外客户46家", "3.订单交付周期缩短20%"],
        "left_out": ["(责任编辑:陈静)", "分享到:"],
    },
    "traditional_numbered": {
        "title": "颱風「小犬」逼近 各地加強防颱準備",
        "dropped": "【視頻】",
        "byline": ["記者：陳美玲", "來源：中央社", "2023/10/04 18:05", "中央社台北4日電 （記者陳美玲）"],
        "first": "中颱小犬今天持續朝台灣東南部海面接近",
        "sections": [(1, "一、各地停班停課情形"), (1, "二、交通運輸調整")],
        "left_out": ["責任編輯:林怡君"],
    },
    "byline_lines": {
        # A byline set on three lines, the date after a label of the site's.
        "title": "公安部部署开展夏季治安打击整治行动",
        "dropped": None,
        "byline": ["作者：张伟", "来源：公安部网站", "发布时间：2023-06-20 10:00"],
        "first": "6月19日，公安部召开电视电话会议",
        "sections": [],
        "left_out": ["【打印】【关闭窗口】"],
    },
    "date_only": {
        # A byline with a date and the site's name, and no 作者: or 来源: field.
        "title": "国务院常务会议部署稳就业工作",
        "dropped": None,
        "byline": ["人民网 2022年05月18日 20:35"],
        "first": "国务院总理5月18日主持召开国务院常务会议",
        "sections": [],
    },
    "run_in_numbers": {
        "title": "我省出台措施支持民营经济发展",
        "dropped": None,
        "byline": ["来源：河南日报", "2022-03-18 16:42:05", "中新网郑州3月18日电"],
        "first": "河南省政府办公厅日前印发",
        # A number run into its sentence (（一）降低经营成本。对……) is a paragraph's, not a heading.
        "sections": [],
        "paragraphs": ["（一）降低经营成本。对符合条件的小微企业，减按50%征收房产税和城镇土地使用税。"],
        "left_out": ["上一篇:我省春耕生产有序推进"],
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("fixture", sorted(NEWS))
def test_a_news_text_becomes_sections_byline_and_text_with_nothing_lost(project: Path, fixture: str) -> None:
    expected = NEWS[fixture]
    raw = FIXTURES / "articles" / f"{fixture}.txt"
    result = run_pubflow("import", str(raw), "--name", "news", cwd=project)
    assert result.returncode == 0, result.stderr
    rst = (project / "docs" / "news.rst").read_text(encoding="utf-8")
    texts = document_texts(rst)
    assert texts[0] == expected["title"]
    assert byline_of(rst) == expected["byline"]
    body = texts[1 + len(expected["byline"]) + (1 if "pubflow-subtitle" in rst else 0) :]
    assert body[0].startswith(expected["first"]), body[0]
    assert sections_of(rst) == expected["sections"]
    for paragraph in expected.get("paragraphs", []):
        assert paragraph in body and f"{paragraph}\n-" not in rst and f"{paragraph}\n~" not in rst
    if expected["dropped"]:
        assert f"left out {expected['dropped']} from the title" in result.stderr
    for line in expected.get("left_out", []):
        assert f"  - {line}" in result.stderr
    # Nothing lost, nothing added: the document's characters are the raw text's, its half-width
    # punctuation made full-width, without the title's marker and the site's lines after the article.
    kept = [line for line in raw.read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [fullwidth_punctuation(line) for line in kept if line not in expected.get("left_out", [])]
    characters = Counter("".join("".join(kept).split()))
    characters.subtract(Counter("".join(str(expected["dropped"] or "").split())))
    assert +characters == Counter("".join("".join(texts).split())), +characters - Counter("".join(texts))


@pytest.mark.slow
def test_the_imported_news_texts_build_without_a_warning(project: Path) -> None:
    for fixture in NEWS:
        run_pubflow("import", str(FIXTURES / "articles" / f"{fixture}.txt"), cwd=project, check=True)
    result = run_pubflow("extract", cwd=project)
    assert result.returncode == 0, result.stderr
    template = (project / "_build" / "gettext").glob("*numbered-sections.pot")
    messages = next(template).read_text(encoding="utf-8")
    assert 'msgid "（一）智能化改造"' in messages and 'msgid "本报上海6月11日讯（记者 王强 刘洋）"' in messages


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Numbered lines in a row are a list; a heading needs text of its own before the next of its rank.
        (["一、甲", "正文。", "1.乙", "2.丙", "正文。"], ["heading1", "p", "p", "p", "p"]),
        (["一、甲", "二、乙", "正文。"], ["p", "p", "p"]),
        # A rank skipped is nested one level deeper only, as reST requires.
        (["（一）甲", "正文。", "1.乙", "正文。"], ["heading1", "p", "heading2", "p"]),
        (
            ["一、甲", "1.乙", "正文。", "二、丙", "（一）丁", "正文。"],
            ["heading1", "heading2", "p", "heading1", "heading2", "p"],
        ),
        # With numbered sections, a short unpunctuated line is text; without them, it is a heading.
        (["一、甲", "短行", "正文。"], ["heading1", "p", "p"]),
        (["短行", "正文。"], ["heading1", "p"]),
        # A sentence with a number is no heading; nor is a decimal.
        (["一、主要做法是加大投入。", "正文。"], ["p", "p"]),
        (["1.5亿元投入使用", "正文。"], ["p", "p"]),
    ],
)
def test_find_sections(lines: list[str], expected: list[str]) -> None:
    found = [f"heading{b.level}" if b.kind == "heading" else "p" for b in find_sections(lines)]
    assert found == expected


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("标题（图）", "标题"),
        ("标题 （组图）", "标题"),
        ("【视频】标题", "标题"),
        ("标题[高清组图]", "标题"),
        ("（图）标题（视频）", "标题"),
        ("地图（上）", "地图（上）"),
        ("图说：标题", "图说：标题"),
        ("标题（图表）中", "标题（图表）中"),
    ],
)
def test_media_markers_leave_the_title(title: str, kept: str) -> None:
    assert MEDIA_MARKERS.sub("", title).strip() == kept


@pytest.mark.slow
def test_a_title_that_is_only_a_marker_is_refused_on_its_line(project: Path, tmp_path: Path) -> None:
    raw = tmp_path / "marker.txt"
    raw.write_text("(组图)\n2021-11-05 18:20 来源:云南日报\n\n正文。\n", encoding="utf-8")
    result = run_pubflow("import", str(raw), cwd=project)
    assert result.returncode == 2 and "marker.txt:1: the title is only a picture or video marker" in result.stderr


@pytest.mark.parametrize(
    ("first_paragraph", "dateline"),
    [
        ("新华社北京11月5日电（记者张三、李四）记者从公安部获悉，", "新华社北京11月5日电（记者张三、李四）"),
        ("中国日报网11月5日电 近日，", "中国日报网11月5日电"),
        ("本报讯（记者 张三 通讯员 李四）日前，", "本报讯（记者 张三 通讯员 李四）"),
        ("南方日报讯（记者/张三）近日，", "南方日报讯（记者/张三）"),
        ("澎湃新闻11月5日讯 今天，", "澎湃新闻11月5日讯"),
        ("央视网消息（新闻联播）：国务院新闻办公室今天举行发布会。", "央视网消息（新闻联播）："),
        # A sentence that only looks like one: no news organisation reports it.
        ("习近平11月5日电贺新当选总统。", None),
        ("我们从11月5日电视台的报道获悉，", None),
        ("2015年12月，为落实中美两国元首的共识，", None),
    ],
)
def test_an_inline_dateline_is_a_news_organisations(first_paragraph: str, dateline: str | None) -> None:
    match = INLINE_DATELINE.match(first_paragraph)
    assert (match.group("dateline") if match else None) == dateline
    if match:  # nothing lost but the space between them
        assert first_paragraph.startswith(match.group("dateline")) and first_paragraph.endswith(match.group("text"))
