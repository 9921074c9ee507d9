"""The outline of the three real samples. Line numbers were read with `cat -n`."""
from pathlib import Path

import pytest

from budgetaudit.extract.sections import (
    document_unit,
    document_year,
    find_section,
    looks_like_disclosure,
    segment,
)
from budgetaudit.load.text import load_text
from budgetaudit.model import Document, Line

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sample(name: str) -> Document:
    return load_text(SAMPLES / f"{name}.txt")


def from_lines(texts, path="synthetic.txt") -> Document:
    return Document(path=path, lines=tuple(Line(i, t) for i, t in enumerate(texts, 1)))


def by_key(sections):
    return {s.key: s for s in sections}


@pytest.fixture(scope="module")
def kashi():
    return sample("kashi-city-gov-office-2024")


@pytest.fixture(scope="module")
def wuqia():
    return sample("wuqia-county-gov-office-2024")


@pytest.fixture(scope="module")
def xinjiang():
    return sample("xinjiang-gov-general-office-2024")


@pytest.fixture(scope="module")
def kashi_sections(kashi):
    return segment(kashi)


@pytest.fixture(scope="module")
def wuqia_sections(wuqia):
    return segment(wuqia)


@pytest.fixture(scope="module")
def xinjiang_sections(xinjiang):
    return segment(xinjiang)


# ------------------------------------------------------------------ kashi


def test_kashi_toc_and_parts(kashi_sections):
    level1 = [(s.key, s.start, s.end) for s in kashi_sections if s.level == 1]
    assert level1 == [
        ("toc", 6, 66),
        ("part1", 67, 78),
        ("part2", 79, 366),
        ("part3", 367, 571),
        ("part4", 572, 594),
    ]
    sections = by_key(kashi_sections)
    assert sections["toc"].title == "目 录"
    assert sections["part1"].title == "第一部分 2024 年部门概况"
    assert sections["part4"].title == "第四部分 名词解释"


def test_kashi_part3_has_twelve_numbered_sections(kashi_sections):
    numbered = [s for s in kashi_sections if s.level == 2 and s.key.startswith("part3.")]
    assert [s.key for s in numbered] == [f"part3.{n}" for n in range(1, 13)]
    assert [s.start for s in numbered] == [
        369, 377, 393, 401, 411, 448, 456, 470, 474, 478, 484, 488,
    ]
    assert numbered[-1].end == 571  # up to the line before 第四部分
    assert numbered[0].title == (
        "一、关于新疆维吾尔自治区喀什地区喀什市人民政府办公室部门 2024 年收支预算情况的总体说明"
    )
    assert numbered[11].title == "十二、其他重要事项的情况说明"


def test_kashi_part1_sections(kashi_sections):
    sections = by_key(kashi_sections)
    assert (sections["part1.1"].start, sections["part1.1"].end) == (69, 72)
    assert (sections["part1.2"].start, sections["part1.2"].end) == (73, 78)
    # "1、及时了解…" in 主要职能 is not numbered as a section outside 第三部分.
    assert not any(s.key.startswith("part1.1.") for s in kashi_sections)


def test_kashi_tables_part_has_no_subsections(kashi_sections):
    assert not any(s.key.startswith("part2.") for s in kashi_sections)


def test_kashi_subsections_and_items(kashi_sections):
    sections = by_key(kashi_sections)
    assert [(k, sections[k].start) for k in ("part3.5.1", "part3.5.2", "part3.5.3")] == [
        ("part3.5.1", 413),
        ("part3.5.2", 423),
        ("part3.5.3", 430),
    ]
    items = [s for s in kashi_sections if s.key.startswith("part3.5.3.")]
    assert [s.start for s in items] == [432, 434, 436, 440, 442, 444, 446]
    assert all(s.level == 4 for s in items)
    assert sections["part3.5.3.2"].title.startswith("2. 一般公共服务支出（类）")
    # Line 436 wraps onto 438 ("…减少 18.5" / "万元，…"): one item, not two.
    assert (sections["part3.5.3.3"].start, sections["part3.5.3.3"].end) == (436, 439)


def test_kashi_project_block_is_level_4(kashi_sections):
    project = by_key(kashi_sections)["part3.7.1"]
    assert (project.level, project.start, project.end) == (4, 458, 469)
    assert project.title == "(1)项目名称：单位运转项目"


def test_kashi_section_twelve_subsections(kashi_sections):
    sub = [s for s in kashi_sections if s.level == 3 and s.key.startswith("part3.12.")]
    assert [(s.key, s.start) for s in sub] == [
        ("part3.12.1", 490),
        ("part3.12.2", 496),
        ("part3.12.3", 502),
        ("part3.12.4", 518),
        ("part3.12.5", 568),
    ]
    assert sub[-1].title == "(五)其他需说明的事项"
    assert sub[-1].end == 571


def test_performance_tables_hold_no_headings(kashi_sections):
    # 绩效目标表 rows (tab-separated, lines 526-566) are never headings,
    # e.g. line 528 "年度绩效目标\t\t<p>1. 不断提升…".
    inside = [s for s in kashi_sections if 519 <= s.start <= 567]
    assert inside == []


def test_toc_entries_are_not_sections(kashi_sections, wuqia_sections, xinjiang_sections):
    for sections in (kashi_sections, wuqia_sections, xinjiang_sections):
        toc = by_key(sections)["toc"]
        inside = [s.key for s in sections if toc.start <= s.start <= toc.end]
        assert inside == ["toc"]


# ------------------------------------------------------------------ wuqia


def test_wuqia_parts_and_toc(wuqia_sections):
    level1 = [(s.key, s.start, s.end) for s in wuqia_sections if s.level == 1]
    assert level1 == [
        ("toc", 5, 52),
        ("part1", 53, 76),
        ("part2", 77, 374),
        ("part3", 375, 924),
        ("part4", 925, 947),
    ]


def test_wuqia_numbered_sections(wuqia_sections):
    numbered = [s for s in wuqia_sections if s.level == 2 and s.key.startswith("part3.")]
    assert [s.start for s in numbered] == [
        377, 385, 401, 409, 421, 464, 472, 638, 642, 646, 654, 658,
    ]


def test_wuqia_projects_are_level_4_items(wuqia_sections):
    projects = [s for s in wuqia_sections if s.key.startswith("part3.7.")]
    assert [s.key for s in projects] == [f"part3.7.{n}" for n in range(1, 14)]
    assert all(s.level == 4 for s in projects)
    assert projects[0].start == 474
    assert projects[0].title == "1、项目名称：2024年外办出国经费"
    assert projects[-1].start == 626 and projects[-1].end == 637


def test_wuqia_bulleted_items(wuqia_sections):
    # "- 1、一般公共服务支出(类)…" on lines 431-434
    items = [s for s in wuqia_sections if s.key.startswith("part3.5.2.")]
    assert [s.start for s in items] == [431, 432, 433, 434]
    assert items[0].title.startswith("1、一般公共服务支出(类)")


# ------------------------------------------------------------------ xinjiang


def test_xinjiang_parts(xinjiang_sections):
    level1 = [(s.key, s.start, s.end) for s in xinjiang_sections if s.level == 1]
    assert level1 == [
        ("toc", 7, 53),
        ("part1", 54, 100),
        ("part2", 101, 474),
        ("part3", 475, 1000),
        ("part4", 1001, 1021),
    ]


def test_xinjiang_projects_are_level_3(xinjiang_sections):
    projects = [s for s in xinjiang_sections if s.key.startswith("part3.7.")]
    assert [s.key for s in projects] == [f"part3.7.{n}" for n in range(1, 9)]
    assert all(s.level == 3 for s in projects)
    assert [s.start for s in projects] == [585, 597, 611, 623, 635, 647, 659, 671]
    assert projects[0].title == "(一)项目名称：各项业务工作管理经费"
    assert projects[-1].end == 684  # the line before 八、 on 685


def test_xinjiang_numbered_sections(xinjiang_sections):
    numbered = [s for s in xinjiang_sections if s.level == 2 and s.key.startswith("part3.")]
    assert [s.start for s in numbered] == [
        477, 485, 509, 517, 527, 575, 583, 685, 689, 693, 701, 715,
    ]


def test_xinjiang_glossary_definitions_are_not_headings(xinjiang_sections):
    # "一、**财政拨款**:指由…" (line 1003) defines a term; it is not a section.
    assert not any(s.key.startswith("part4.") for s in xinjiang_sections)


def test_xinjiang_item_list_in_section_eleven(xinjiang_sections):
    items = [s for s in xinjiang_sections if s.key.startswith("part3.11.")]
    assert [s.start for s in items] == [705, 707, 709, 711, 713]


# ------------------------------------------------------------------ wrapped headings


def test_heading_wrapped_over_two_lines(kashi):
    # Put the 十一、 heading of the body (line 484) in the wrapped form the
    # 目录 prints on lines 60-61.
    texts = [line.text for line in kashi.lines]
    assert texts[59:61] == [
        "十一、关于新疆维吾尔自治区喀什地区喀什市人民政府办公室部",
        "门 2024 年上年结转结余预算情况说明",
    ]
    wrapped = texts[:483] + texts[59:61] + texts[484:]
    sections = by_key(segment(from_lines(wrapped)))
    eleven = sections["part3.11"]
    assert eleven.start == 484
    assert eleven.title == (
        "十一、关于新疆维吾尔自治区喀什地区喀什市人民政府办公室部门 2024 年上年结转结余预算情况说明"
    )
    assert eleven.end == 488  # one line later than in the original file
    assert sections["part3.12"].start == 489
    assert len([s for s in sections.values() if s.level == 2 and s.key.startswith("part3")]) == 12


def test_heading_wrapped_across_a_blank_line():
    # As in the xinjiang 目录, lines 34-36.
    doc = from_lines([
        "第三部分 2024 年部门预算情况说明",
        "",
        "五、 关于新疆维吾尔自治区人民政府办公厅 2024 年一般公共预算当年拨",
        "",
        "款情况说明",
        "",
        "新疆维吾尔自治区人民政府办公厅2024年一般公共预算拨款合计14,725.46万元，其中：",
    ])
    section = by_key(segment(doc))["part3.5"]
    assert section.title == "五、关于新疆维吾尔自治区人民政府办公厅 2024 年一般公共预算当年拨款情况说明"
    assert (section.start, section.end) == (3, 7)


def test_short_body_line_after_a_complete_heading_is_not_joined(kashi_sections):
    # Line 415 "新疆…办公室部门 2024 年" follows （一）… on 413 but is body text.
    assert by_key(kashi_sections)["part3.5.1"].title == "（一）一般公共预算当年拨款规模变化情况"


# ------------------------------------------------------------------ find_section


def test_find_section_returns_the_deepest(kashi_sections):
    assert find_section(kashi_sections, 434).key == "part3.5.3.2"
    assert find_section(kashi_sections, 431).key == "part3.5.3"  # blank line before item 1
    assert find_section(kashi_sections, 371).key == "part3.1"
    assert find_section(kashi_sections, 200).key == "part2"
    assert find_section(kashi_sections, 20).key == "toc"
    assert find_section(kashi_sections, 3) is None  # the title block precedes the 目录
    assert find_section(kashi_sections, 594).key == "part4"


# ------------------------------------------------------------------ document facts


def test_samples_look_like_disclosures(kashi, wuqia, xinjiang):
    assert all(looks_like_disclosure(doc) for doc in (kashi, wuqia, xinjiang))


@pytest.mark.parametrize(
    "texts",
    [
        ["春眠不觉晓，处处闻啼鸟。", "夜来风雨声，花落知多少。"],
        ["The quick brown fox", "jumps over the lazy dog.", "单位：万元"],
        ["关于做好2024年预算编制工作的通知", "各单位：请按时报送预算。"],
    ],
)
def test_other_text_does_not_look_like_a_disclosure(texts):
    assert not looks_like_disclosure(from_lines(texts))


def test_document_year(kashi, wuqia, xinjiang):
    assert document_year(kashi) == 2024
    assert document_year(xinjiang) == 2024
    # wuqia's title "乌恰县人民政府办公室预算公开" has no year: from 第一部分.
    assert document_year(wuqia) == 2024


def test_document_year_tolerates_spaces_and_is_none_without_one():
    assert document_year(from_lines(["某某局", "2 0 2 3 年部门预算公开"])) == 2023
    assert document_year(from_lines(["某某局部门预算公开"])) is None


def test_document_unit(kashi, wuqia, xinjiang):
    assert document_unit(kashi) == "新疆维吾尔自治区喀什地区喀什市人民政府办公室"
    assert document_unit(wuqia) == "乌恰县人民政府办公室"
    assert document_unit(xinjiang) == "新疆维吾尔自治区人民政府办公厅"


def test_document_unit_on_the_title_line_and_from_the_compiler():
    assert document_unit(from_lines(["某某市财政局 2024 年部门预算公开"])) == "某某市财政局"
    assert document_unit(from_lines(["2024年某某县教育局单位预算公开"])) == "某某县教育局"
    compiler_only = from_lines(["表 1", "部门收支总体情况表", "编制单位：某某县水利局", "单位：万元"])
    assert document_unit(compiler_only) == "某某县水利局"
