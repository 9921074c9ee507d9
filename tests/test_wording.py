"""Family J, text and structure (rules/structure.yaml, J902-J907).

Real findings, each confirmed by reading the sample:
- kashi line 484, the heading "十一、关于…部门 2024年上半年结转结余预算情况说明", and
  line 486, "…2024年无上半年结转结余预算的支出…": 上半年 for 上年 (J903, warning);
  its 目录 (lines 61-62) prints the correct "上年结转结余".
- xinjiang line 701, the same heading, and line 703, "…2024 年上半年结转结余
  240.58 万元…" (J903, warning); its 目录 line 48 is correct.
- wuqia: nothing. Its narrative line 640 says the 政府性基金 table "为空表" while the
  document has no such table at all; that is J901's finding (table missing), not J902's.
Everything else (empty-table notes, heading years, placeholders, comparisons) is
quiet on all three samples; the failing cases below are the samples with one
documented edit each.
"""
from pathlib import Path

import pytest

import edits
from budgetaudit.engine.checks import REGISTRY
from budgetaudit.engine.resolve import FactIndex
from budgetaudit.engine.rulefile import RuleFileError, load_rule_file
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from edits import KASHI, WUQIA, XINJIANG

RULE_FILE = Path(__file__).resolve().parent.parent / "rules" / "structure.yaml"
RULES = load_rule_file(RULE_FILE)
CODES = {r.code for r in RULES}

_CACHE = {}


def facts_of(name):
    if name not in _CACHE:
        _CACHE[name] = extract_facts(load(edits.SAMPLES / f"{name}.txt"))
    return _CACHE[name]


def findings_of(name):
    return check_facts(facts_of(name), RULES)


def findings_for(tmp_path, lines, name="edited"):
    return check_facts(extract_facts(load(edits.write(tmp_path, name, lines))), RULES)


def edit(lines, number, old, new):
    """Replace `old` by `new` inside line `number` (1-based), which must contain it."""
    assert old in lines[number - 1], (number, lines[number - 1])
    return edits.replace_line(lines, number, lines[number - 1],
                              lines[number - 1].replace(old, new, 1))


def summary(findings, code=None):
    return [(f.rule, f.severity, [loc.line for loc in f.locations])
            for f in findings if code is None or f.rule == code]


# ---------------------------------------------------------------- the rule file


def test_rule_file_has_one_rule_per_check():
    assert [(r.code, r.check, r.severity) for r in RULES] == [
        ("J902", "empty_table_note", "error"),
        ("J903", "heading_wording", "warning"),
        ("J904", "heading_year", "error"),
        ("J905", "placeholders", "error"),
        ("J906", "comparison_words", "error"),
        ("J907", "tables_unread", "warning"),
        ("J908", "as_of_year", "error"),
        ("J909", "copied_text", "warning"),
    ]
    for rule in RULES:
        assert rule.title and rule.title_en and rule.description
        assert rule.example_pass and rule.example_fail


def test_a_parameter_the_check_does_not_take_is_rejected(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(RULE_FILE.read_text(encoding="utf-8").replace(
        "check: heading_year", "check: heading_year\n    params: {pairs: []}"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="heading_year 不接受参数 'pairs'"):
        load_rule_file(path)


# ---------------------------------------------------------------- the real samples


def test_kashi_writes_shang_ban_nian_twice():
    found = findings_of(KASHI)
    assert summary(found) == [("J903", "warning", [484]), ("J903", "warning", [486])]
    assert all("“上半年结转结余”应为“上年结转结余”" in f.message for f in found)
    assert "2024年上半年结转结余预算情况说明" in found[0].message
    assert "无上半年结转结余预算的支出" in found[1].message


def test_xinjiang_writes_shang_ban_nian_twice():
    found = findings_of(XINJIANG)
    assert summary(found) == [("J903", "warning", [701]), ("J903", "warning", [703])]
    assert "上半年结转结余240.58万元" in found[1].message
    assert found[0].message_en == "wrong wording “上半年结转结余”: the standard term is “上年结转结余”"


def test_wuqia_is_clean():
    assert findings_of(WUQIA) == []


@pytest.mark.parametrize("name", [KASHI, WUQIA, XINJIANG])
def test_untouched_samples_have_no_error_level_finding(name):
    assert [f for f in findings_of(name) if f.severity == "error"] == []


def test_the_empty_tables_of_the_samples_carry_notes():
    """What J902 relies on: every empty table in the samples has its note."""
    empty = {name: [(t.id, t.note_line) for t in facts_of(name).tables if t.is_empty]
             for name in (KASHI, WUQIA, XINJIANG)}
    assert empty == {
        KASHI: [("gov_fund", 316), ("state_capital", 331), ("three_public", 350),
                ("carryover", 365)],
        WUQIA: [("state_capital", 341), ("carryover", 373)],
        XINJIANG: [("gov_fund", 419), ("state_capital", 434)],
    }


# ---------------------------------------------------------------- J902 empty tables


NARRATIVE_SAYS_FUND_EMPTY = 472  # kashi: "…没有使用政府性基金预算拨款安排的支出，…为空表。"


def without_narrative_statement(lines):
    return edits.replace_line(lines, NARRATIVE_SAYS_FUND_EMPTY, lines[NARRATIVE_SAYS_FUND_EMPTY - 1], "")


def test_empty_table_without_its_note(tmp_path):
    """kashi with the 备注 under 表8 (line 316) blanked out, and the narrative's
    sentence saying the table is empty (line 472) too."""
    lines = without_narrative_statement(edits.sample_lines(KASHI))
    lines = edits.replace_line(lines, 316, lines[315], "")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J902"]
    assert summary(found) == [("J902", "error", [305])]
    assert found[0].locations[0].table == "gov_fund"
    assert "表8“政府性基金预算支出情况表”各栏均为空" in found[0].message
    assert "没有说明本表为空表的备注" in found[0].message


def test_empty_table_said_empty_in_the_narrative_needs_no_note(tmp_path):
    """kashi with the 备注 under 表8 blanked out: the narrative (line 472) still says
    the table is empty, so a reader is not left guessing."""
    lines = edits.sample_lines(KASHI)
    lines = edits.replace_line(lines, 316, lines[315], "")
    assert summary(findings_for(tmp_path, lines), "J902") == []


def test_empty_table_whose_note_does_not_say_so(tmp_path):
    """kashi with the 备注 under 表8 replaced by a note about something else, and
    the narrative's sentence saying the table is empty (line 472) blanked out."""
    lines = without_narrative_statement(edits.sample_lines(KASHI))
    lines = edits.replace_line(lines, 316, lines[315], "备注：本表金额单位为万元。")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J902"]
    assert summary(found) == [("J902", "error", [305, 316])]
    assert "备注：本表金额单位为万元。" in found[0].message


def test_table_with_amounts_whose_note_says_it_is_empty(tmp_path):
    """kashi with 公务接待费 2.00 entered in 表10 (line 345), whose 备注 (line 350)
    still says the table is empty."""
    lines = edits.sample_lines(KASHI)
    lines = edits.replace_line(lines, 345, "公务接待费\t\t\t\t", "公务接待费\t2.00\t2.00\t\t")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J902"]
    assert summary(found) == [("J902", "error", [350, 335])]
    assert found[0].locations[0].table == "three_public"
    assert "有金额（如 公务接待费 合计 2.00）" in found[0].message
    assert "为空表" in found[0].message


def test_narrative_calling_a_table_with_amounts_empty(tmp_path):
    """xinjiang line 691 naming the 三公 table (72.04 … in 表10) instead of 表9."""
    lines = edit(edits.sample_lines(XINJIANG), 691,
                 "国有资本经营预算支出情况表为空表", "财政拨款“三公”经费支出情况表为空表")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J902"]
    assert summary(found) == [("J902", "error", [691, 438])]
    assert "说明中称“财政拨款“三公”经费支出情况表为空表”" in found[0].message
    assert found[0].locations[0].table == "three_public"


def test_narrative_naming_an_empty_table_by_a_loose_name_is_fine():
    """kashi line 486 calls 表11 "结转结余预算支出情况表": the table is empty, so no J902."""
    assert "结转结余预算支出情况表为空表" in facts_of(KASHI).lines[485].text
    assert summary(findings_of(KASHI), "J902") == []


def test_empty_table_note_can_be_limited_to_named_tables(tmp_path):
    """kashi without the 备注 under 表8 (line 316) or the narrative's sentence about
    it (line 472): checking only 三公表 finds nothing."""
    lines = without_narrative_statement(edits.sample_lines(KASHI))
    lines = edits.replace_line(lines, 316, lines[315], "")
    index = FactIndex(extract_facts(load(edits.write(tmp_path, "edited", lines))))
    check = REGISTRY["empty_table_note"]
    assert list(check.run(index, {"tables": ["三公表", "政府性基金表"]}))
    assert list(check.run(index, {"tables": ["三公表"]})) == []


# ---------------------------------------------------------------- J903 wording


def test_wording_pairs_are_a_parameter():
    check = REGISTRY["heading_wording"]
    index = FactIndex(facts_of(WUQIA))
    found = list(check.run(index, {"pairs": {"国有资本经营预算拨款情况说明": "国有资本经营预算情况说明"}}))
    assert [p.locations[0].line for p in found] == [43, 642]  # 目录 and heading
    assert "应为“国有资本经营预算情况说明”" in found[0].message
    as_list = list(check.run(index, {"pairs": [["国有资本经营预算拨款情况说明", "x"]]}))
    assert [p.locations[0].line for p in as_list] == [43, 642]


def test_an_empty_wording_list_checks_nothing():
    assert list(REGISTRY["heading_wording"].run(FactIndex(facts_of(KASHI)), {"pairs": []})) == []


def test_wording_ignores_the_converters_spaces(tmp_path):
    """wuqia line 654 with "上年" written "上 半 年" (spaced, as a PDF converter may)."""
    lines = edit(edits.sample_lines(WUQIA), 654, "2024 年上年结转结余", "2024 年上 半 年结转结余")
    assert summary(findings_for(tmp_path, lines)) == [("J903", "warning", [654])]


def test_bad_wording_pairs_are_reported_not_crashed(tmp_path):
    path = tmp_path / "rules.yaml"
    text = RULE_FILE.read_text(encoding="utf-8")
    path.write_text(text.replace("- [上半年结转结余, 上年结转结余]", "- [上半年结转结余]"),
                    encoding="utf-8")
    found = check_facts(facts_of(WUQIA), load_rule_file(path))
    assert [(f.rule, f.severity) for f in found] == [("J903", "warning")]
    assert "pairs" in found[0].message


# ---------------------------------------------------------------- J904 heading years


def test_part_heading_with_last_years_year(tmp_path):
    """kashi line 67: "第一部分 2024 年部门概况" → 2023."""
    lines = edit(edits.sample_lines(KASHI), 67, "2024", "2023")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J904"]
    assert summary(found) == [("J904", "error", [67])]
    assert found[0].message == ("标题中的年份“2023 年”与本文件预算年度 2024 年不一致："
                                "“第一部分 2023 年部门概况”")


def test_section_heading_contents_entry_and_table_title(tmp_path):
    """xinjiang: 目录 line 44, section heading line 689 and the 绩效目标表 title
    year line 749 "(2024 年)" each changed to 2023."""
    lines = edits.sample_lines(XINJIANG)
    lines = edit(lines, 44, "2024", "2023")
    lines = edit(lines, 689, "2024", "2023")
    lines = edit(lines, 749, "2024", "2023")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J904"]
    assert summary(found) == [("J904", "error", [44]), ("J904", "error", [689]),
                              ("J904", "error", [749])]
    assert [f.message.split("中的")[0] for f in found] == ["目录", "标题", "表名"]


def test_a_wrong_cover_year_is_reported_once_not_every_heading(tmp_path):
    """kashi line 4, the cover "2024 年部门预算公开" → 2023: every heading says 2024,
    so the cover is the odd one out."""
    lines = edit(edits.sample_lines(KASHI), 4, "2024", "2023")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J904"]
    assert summary(found) == [("J904", "error", [4])]
    assert found[0].message.startswith("封面标题中的年份“2023 年”与本文件预算年度 2024 年不一致")


def test_prior_state_years_in_headings_are_fine(tmp_path):
    """kashi line 502 "（三）国有资产占用使用情况" → "（三）截至2023年底国有资产占用使用情况",
    and line 490 → "（一）2023年度工作总结": years of a prior state, not errors."""
    lines = edits.sample_lines(KASHI)
    lines = edit(lines, 502, "（三）", "（三）截至2023年底")
    lines = edit(lines, 490, "（一）单位运行经费情况", "（一）2023年度工作总结")
    assert summary(findings_for(tmp_path, lines), "J904") == []


def test_years_outside_headings_are_not_checked():
    """The samples' own non-2024 years stand in sentences and 绩效 cells:
    kashi 504 截至 2023 年底, 534 2023 年度工作总结, xinjiang 705 a 2023 project."""
    assert summary(findings_of(KASHI), "J904") == []
    assert summary(findings_of(XINJIANG), "J904") == []


# ---------------------------------------------------------------- J905 placeholders


def test_xx_left_for_an_amount(tmp_path):
    """kashi line 399: "项目支出 114.08 万元" → "项目支出XX万元"."""
    lines = edit(edits.sample_lines(KASHI), 399, "114.08", "XX")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J905"]
    assert summary(found) == [("J905", "error", [399])]
    assert found[0].message.startswith("残留模板占位符“XX”（原文：“项目支出XX万元")


@pytest.mark.parametrize("old, new, words", [
    ("本年单位运转项目中政府网站建设资金减少", "（此处填写主要原因）", "“（此处填写主要原因）”"),
    ("本年单位运转项目中政府网站建设资金减少", "待补充", "“待补充”"),
    ("114.08 万元，占", "××万元，占", "“××”"),
    ("114.08 万元，占", "X万元，占", "“X”"),
    ("114.08 万元，占 9.15%，比上年预算减少 77.52", "XXX 万元，占 9.15%，比上年预算减少……", "“XXX”、“……”"),
])
def test_other_placeholders(tmp_path, old, new, words):
    """kashi line 399 with one placeholder each."""
    lines = edit(edits.sample_lines(KASHI), 399, old, new)
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J905"]
    assert summary(found) == [("J905", "error", [399])]
    assert found[0].message.startswith(f"残留模板占位符{words}")


@pytest.mark.parametrize("old, new, severity", [
    # a choice left unmade before a real change: the figure's direction is missing
    ("比上年预算减少 77.52 万元，下降 40.46%", "比上年预算增加（减少）77.52 万元，下降 40.46%", "error"),
    # before a change of nothing (江苏 2019 人大常委会办公厅 p.7 "与上年相比增加（减少）0万元，
    # 增长（减少）0%"; 西安 2022 医疗保障局 "较上年增加（减少）0万元（0%），增加（减少）的主要
    # 原因"): nothing is missing, the wording is left over: a warning
    ("比上年预算减少 77.52 万元，下降 40.46%，主要原因是", "比上年预算增加（减少）0万元（0%），增加（减少）的主要原因是",
     "warning"),
    ("比上年预算减少 77.52 万元，下降 40.46%", "比上年预算增加（减少）0万元，增长（减少）0%", "warning"),
    # one moot, one not: the line is an error
    ("比上年预算减少 77.52 万元，下降 40.46%", "比上年预算增加（减少）0万元，增长（减少）40.46%", "error"),
])
def test_an_unmade_choice(tmp_path, old, new, severity):
    """kashi line 399 with the template's 增加（减少） left in."""
    lines = edit(edits.sample_lines(KASHI), 399, old, new)
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J905"]
    assert summary(found) == [("J905", severity, [399])]


def test_an_unmade_choice_before_a_zero_on_the_next_line(tmp_path):
    """江苏 2019 人大常委会办公厅 p.7 wraps "与上年相比增加（减少）" | "─ 7 ─" | "0万元，
    增长（减少）0%": kashi lines 399-401 rewritten so."""
    lines = edits.sample_lines(KASHI)
    lines = lines[:398] + ["上年结转资金预算数为0万元。与上年相比增加（减少）", "─ 7 ─",
                           "0万元，增长（减少）0%。主要原因是本部门无此项收入。"] + lines[401:]
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J905"]
    assert summary(found) == [("J905", "warning", [399]), ("J905", "warning", [401])]


@pytest.mark.parametrize("text", [
    "喀什财预【2024】3 号", "XXL", "Excel", "X光机 2 台", "3 × 4 台", "www.xjxx.gov.cn",
    "0210640C", "Xinjiang", "2×3万元",
])
def test_real_words_are_not_placeholders(tmp_path, text):
    """kashi line 497 (blank) replaced by text that is not a placeholder."""
    lines = edits.replace_line(edits.sample_lines(KASHI), 497, "", text)
    assert summary(findings_for(tmp_path, lines), "J905") == []


# ---------------------------------------------------------------- J906 comparisons


def test_comparison_contradicting_its_amounts(tmp_path):
    """kashi line 454: "公用经费 9.99 万元，主要包括：…" → "公用经费 9.99 万元，高于人员经费
    1123.15 万元。"."""
    lines = edits.sample_lines(KASHI)
    lines = edits.replace_line(lines, 454, lines[453], "公用经费 9.99 万元，高于人员经费 1123.15 万元。")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J906"]
    assert summary(found) == [("J906", "error", [454])]
    assert found[0].message == ("比较用语与数字矛盾：“公用经费 9.99 万元，高于人员经费 1123.15 万元。”，"
                                "但 9.99 万元 < 1123.15 万元，“高于”不成立")
    assert found[0].message_en == ("the comparison contradicts its numbers: 9.99 万元 is not "
                                   "greater than 1123.15 万元")


@pytest.mark.parametrize("sentence, contradicts", [
    ("人员经费 1123.15 万元，高于公用经费 9.99 万元。", False),
    ("支出 1247.22 万元，小于收入 1247.22 万元。", True),
    ("本年 9.99 万元，与上年 10.23 万元持平。", True),
    ("本年 9.99 万元，与上年 9.990 万元持平。", False),
    ("预算 9.99 万元，不超过 10 万元。", False),
    ("预算 99900 元，不超过 9 万元。", True),  # 元 and 万元 compared in one unit
    ("增长 5.87%，低于上年 3.10%。", True),
    ("公用经费 9.99 万元，用于单价超过 50 万元的设备。", False),  # 超过 qualifies another subject
    ("公用经费 9.99 万元，比上年减少 0.24 万元，高于 1 万元。", False),  # three amounts: ambiguous
    ("公用经费 9.99 万元，低于 10%。", False),  # an amount and a share: not comparable
])
def test_comparison_cases(tmp_path, sentence, contradicts):
    """kashi line 454 replaced by one sentence."""
    lines = edits.sample_lines(KASHI)
    lines = edits.replace_line(lines, 454, lines[453], sentence)
    found = summary(findings_for(tmp_path, lines), "J906")
    assert found == ([("J906", "error", [454])] if contradicts else [])


# ---------------------------------------------------------------- J907 tables not read


def test_a_table_printed_but_not_read_is_a_warning_not_listed_but_absent(tmp_path):
    """Edit: everything under 表3's title (编制部门, unit, header and rows, lines
    159-183) is gone, as when a table is printed as a picture: its title stands
    alone. The 目录 lists it and the title is there, so it is J907, not J901."""
    lines = edits.delete_lines(edits.sample_lines(edits.KASHI), 159, 183)
    assert lines[157] == "部门支出总体情况表"
    findings = findings_for(tmp_path, lines)
    assert summary(findings, "J907") == [("J907", "warning", [158])]
    rules = load_rule_file(RULE_FILE.parent / "tables.yaml")
    facts = extract_facts(load(edits.write(tmp_path, "cut", lines)))
    assert not any(f.rule == "J901" for f in check_facts(facts, rules))


def test_the_samples_have_every_table_read():
    for name in (edits.KASHI, edits.WUQIA, edits.XINJIANG):
        assert facts_of(name).unread == ()
        assert summary(findings_of(name), "J907") == []


# ---------------------------------------------------------------- J909 copied text


def test_the_samples_speak_of_their_own_budget():
    for name in (KASHI, WUQIA, XINJIANG):
        assert summary(findings_of(name), "J909") == []


def test_a_unit_document_saying_ben_bumen(tmp_path):
    """kashi with its cover "2024 年部门预算公开" made "2024 年单位预算公开": its p. 520
    "2024年，本部门预算绩效管理…" is now a department's words in a unit's document."""
    lines = edit(edits.sample_lines(KASHI), 4, "2024 年部门预算公开", "2024 年单位预算公开")
    found = findings_for(tmp_path, lines)
    assert summary(found, "J909") == [("J909", "warning", [520])]
    assert "“本部门”" in next(f.message for f in found if f.rule == "J909")


def test_a_paragraph_stating_another_units_budget(tmp_path):
    """kashi line 379 "新疆维吾尔自治区喀什地区喀什市人民政府办公室部门收入预算 1247.22 万元" made
    the income of 疏附县人民政府办公室: a unit neither the cover nor the tables name."""
    lines = edit(edits.sample_lines(KASHI), 379, "喀什地区喀什市人民政府办公室部门收入预算",
                 "喀什地区疏附县人民政府办公室部门收入预算")
    found = [f for f in findings_for(tmp_path, lines) if f.rule == "J909"]
    assert [(f.severity, f.locations[0].line) for f in found] == [("warning", 379)]
    assert "疏附县人民政府办公室" in found[0].message


def test_copied_text_words_are_parameters(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(RULE_FILE.read_text(encoding="utf-8").replace(
        "department_words: [本部门, 部门预算安排, 部门决算安排]", "department_words: [本部门, 7]"),
        encoding="utf-8")
    rules = load_rule_file(path)
    lines = edit(edits.sample_lines(KASHI), 4, "2024 年部门预算公开", "2024 年单位预算公开")
    found = check_facts(extract_facts(load(edits.write(tmp_path, "edited", lines))),
                        [r for r in rules if r.code == "J909"])
    assert [(f.severity, "无法在本文件中求值" in f.message, "department_words" in f.message)
            for f in found] == [("warning", True, True)]
