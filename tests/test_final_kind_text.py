"""决算 as a document kind: told from what is printed, shown in the reports,
declared by rules; and the text rules of 决算 (J908 as-of year, template
placeholders, empty-table notes) on the real 决算 documents."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from functools import lru_cache

import pytest

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.rulefile import RuleFileError, load_rule_file
from budgetaudit.engine.run import check_facts
from budgetaudit.engine.wording import _years
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from final_docs import ALL, CENTRAL, FOSHAN, PUTUO_PLAN, TEMPLATE, XIAN, facts_of, needs_corpus


@lru_cache(maxsize=None)
def rules():
    return tuple(load_rules())


def errors(facts, rule: str) -> list:
    return [f for f in check_facts(facts, rules()) if f.rule == rule and f.severity == "error"]


# ---------------------------------------------------------------- the kind of a document


@needs_corpus
@pytest.mark.parametrize("name", ALL)
def test_final_accounts_are_told_as_such(name):
    assert facts_of(name).kind == "决算"


@pytest.mark.parametrize("name", [edits.KASHI, edits.WUQIA, edits.XINJIANG])
def test_budgets_are_told_as_such_whatever_the_file_is_called(name, tmp_path):
    misnamed = tmp_path / "2024年部门决算.txt"
    shutil.copy(edits.SAMPLES / f"{name}.txt", misnamed)
    assert extract_facts(load(misnamed)).kind == "预算"


@needs_corpus
def test_kind_in_json_report_terminal_and_extract(capsys):
    from budgetaudit.cli import app
    from typer.testing import CliRunner

    path = str(facts_of(CENTRAL).path)
    runner = CliRunner()
    report = json.loads(runner.invoke(app, ["check", path, "--format", "json"]).stdout)
    assert report["documents"][0]["kind"] == "决算"
    # the terminal wraps a long path at its width: compare with the line breaks as spaces
    assert "[决算]" in " ".join(runner.invoke(app, ["check", path]).stdout.split())
    english = runner.invoke(app, ["check", path, "--lang", "en"]).stdout
    assert "[final accounts]" in " ".join(english.split())
    assert json.loads(runner.invoke(app, ["extract", path]).stdout)["kind"] == "决算"


RULE = """version: 1
rules:
  - code: X101
    title: 测试
    severity: error
    description: 测试
    examples: {{pass: a, fail: b}}
    {kinds}
    equation: 支出总表[合计].合计 = 支出总表[合计].合计 + 1
"""


def test_rules_declare_the_kinds_they_apply_to(tmp_path):
    facts = extract_facts(load(edits.SAMPLES / f"{edits.KASHI}.txt"))
    for kinds, expected in (("", 1), ("kinds: [预算]", 1), ("kinds: [决算]", 0),
                            ("kinds: [预算, 决算]", 1)):
        path = tmp_path / f"r{expected}{len(kinds)}.yaml"
        path.write_text(RULE.format(kinds=kinds), encoding="utf-8")
        found = [f for f in check_facts(facts, load_rule_file(path)) if f.rule == "X101"]
        assert len(found) == expected, kinds


def test_a_rule_for_one_kind_skips_a_document_of_unknown_kind(tmp_path):
    facts = replace(extract_facts(load(edits.SAMPLES / f"{edits.KASHI}.txt")), kind=None)
    for kinds, expected in (("", 1), ("kinds: [预算]", 0)):
        path = tmp_path / f"u{expected}.yaml"
        path.write_text(RULE.format(kinds=kinds), encoding="utf-8")
        assert len([f for f in check_facts(facts, load_rule_file(path)) if f.rule == "X101"]) == expected


@needs_corpus
def test_a_narrative_without_title_lines_is_told_by_its_part_headings():
    """北京 2026 说明 files open with "第一部分 2026 年度部门预算情况说明"."""
    from final_docs import CORPUS

    facts = extract_facts(load(CORPUS / "beijing-2026-ys-bm-qixiangju-narr-19d0.pdf"))
    assert facts.kind == "预算"
    assert [f for f in check_facts(facts, rules()) if f.rule == "J908"] == []


@pytest.mark.parametrize("kinds", ["kinds: [年报]", "kinds: 决算", "kinds: []"])
def test_a_bad_kinds_list_is_a_rule_file_error(tmp_path, kinds):
    path = tmp_path / "bad.yaml"
    path.write_text(RULE.format(kinds=kinds), encoding="utf-8")
    with pytest.raises(RuleFileError, match="kinds"):
        load_rule_file(path)


def test_default_final_rules_apply_to_final_accounts_only():
    final = [r for r in rules() if r.code.startswith("K") or r.code == "J908"]
    assert final and all(r.kinds == ("决算",) for r in final)


# ---------------------------------------------------------------- J908 截至 year


def _with_line(facts, number: int, old: str, new: str):
    lines = list(facts.lines)
    line = lines[number - 1]
    assert line.number == number and old in line.text
    lines[number - 1] = replace(line, text=line.text.replace(old, new))
    return replace(facts, lines=tuple(lines))


def _line_with(facts, pattern: str):
    return next(l for l in facts.lines if re.search(pattern, re.sub(r"\s", "", l.text)))


@needs_corpus
@pytest.mark.parametrize("name", ALL)
def test_as_of_year_holds_as_published(name):
    assert errors(facts_of(name), "J908") == []


@needs_corpus
def test_as_of_a_prior_year_is_an_error():
    """Edit: the 2024 决算 of 国家信访局 says 截至 2023 年 12 月 31 日 (copied from last year)."""
    facts = facts_of(CENTRAL)
    line = _line_with(facts, r"截至2024年12月31日")
    text = line.text
    year = re.search(r"2\s*0\s*2\s*4", text).group(0)
    found = errors(_with_line(facts, line.number, year, "2023"), "J908")
    assert [f.locations[0].line for f in found] == [line.number]
    assert "2023" in found[0].message and "2024" in found[0].message


def test_as_of_a_prior_year_is_normal_in_a_budget(tmp_path):
    lines = edits.sample_lines(edits.KASHI)
    lines.insert(40, "截至2023年12月31日，本单位共有车辆3辆。")
    facts = extract_facts(load(edits.write(tmp_path, edits.KASHI, lines)))
    assert facts.kind == "预算"
    assert [f for f in check_facts(facts, rules()) if f.rule == "J908"] == []


# ---------------------------------------------------------------- template placeholders


@needs_corpus
def test_template_placeholders_are_reported_in_headings_and_text():
    facts = facts_of(TEMPLATE)
    found = errors(facts, "J905")
    lines = {f.locations[0].line for f in found}
    heading = _line_with(facts, r"^第一部分上海市XX局概况$")
    sentence = _line_with(facts, r"共有车辆XX辆")
    assert {heading.number, sentence.number} <= lines


@needs_corpus
def test_an_unmade_template_choice_is_reported():
    """普陀 规划和自然资源局 p. 25 prints "减少 0.15 万元，下降（增长）27.78%": the
    template's 下降（增长） left as it was (confirmed on the page)."""
    found = errors(facts_of(PUTUO_PLAN), "J905")
    assert [f for f in found if "下降（增长）" in f.message and f.locations[0].page == 25]
    assert errors(facts_of(CENTRAL), "J905") == []


# ---------------------------------------------------------------- J902 empty tables, J904


@needs_corpus
def test_empty_final_table_needs_its_note():
    """Edit: 国家信访局 政府性基金 决算表 (empty) loses its 说明 "…故本表无数据" (the line
    under the table, p. 12, and the note read from it)."""
    facts = facts_of(CENTRAL)
    t = next(i for i, t in enumerate(facts.tables) if t.id == "final_gov_fund")
    table = facts.tables[t]
    assert table.is_empty and "本表无数据" in table.note
    assert [f for f in errors(facts, "J902") if f.locations[0].table == "final_gov_fund"] == []
    bare = replace(table, note="注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。")
    lines = tuple(replace(l, text="") if l.text.startswith("说明：国家信访局没有政府性基金收入") else l
                  for l in facts.lines)
    assert lines != facts.lines
    facts = replace(facts, tables=facts.tables[:t] + (bare,) + facts.tables[t + 1:], lines=lines)
    assert [f for f in errors(facts, "J902") if f.locations[0].table == "final_gov_fund"]


def test_a_bracketed_fund_name_year_is_not_the_heading_year():
    title = "西安市级1.5TMRI（2021年医疗卫生机构能力提升补助资金）项目绩效自评表"
    assert list(_years(title)) == []
    assert [y for y, _ in _years("（2021年）")] == [2021]
    assert [y for y, _ in _years("第一部分 2021年部门概况")] == [2021]


# ---------------------------------------------------------------- confirmed narrative errors


CONFIRMED_CHANGES = [
    # p. 17: 收、支总计 22066.59 万元 "各增加 5834.37 万元，增长 35.74%": the prior year
    # is 16232.22, so the rise is 35.94%.
    (CENTRAL, "35.74"),
    # p. 26: 一般公共预算财政拨款支出 1668.14 万元 "比年初预算数增加 1668.14 万元，增长
    # 0%": a rise from nothing has no rate, and 0% it is not.
    (FOSHAN, "1668.14"),
    # p. 27: 机关运行经费 97.19 万元 "比预算数增加 97.19 万元，增长 0%", the same.
    (FOSHAN, "97.19"),
]


@needs_corpus
@pytest.mark.parametrize("name,words", CONFIRMED_CHANGES)
def test_confirmed_change_errors_of_final_accounts(name, words):
    found = [f for f in errors(facts_of(name), "F601") if words in f.message]
    assert found
    if name == FOSHAN:  # from nothing: no rate to state, not an absurd one
        assert all("增减率无从算出" in f.message for f in found), [f.message for f in found]


@needs_corpus
def test_final_accounts_have_no_other_error_findings():
    """Every error-level finding on the 决算 documents was read against the page:
    those confirmed are pinned here, in test_final_rules.py and test_final_claims.py
    (西安 F611: a project's 35% for 21143.98 of 21143.98; 普陀 规划和自然资源局 D401: p. 21
    卫生健康支出 236.63 where the 一般公共预算财政拨款支出决算表 prints 236.64, as K207 says,
    and p. 24's 基本支出 of all funds given as the general budget's; 西安 D401: six project
    figures against their 绩效自评表, test_corpus_narrative.py
    test_xian_final_project_reviews_against_their_forms); nothing else."""
    expected = {CENTRAL: {"F601": 1}, FOSHAN: {"F601": 2}, XIAN: {"F611": 1, "D401": 6},
                PUTUO_PLAN: {"K203": 2, "K207": 1, "J905": 1, "D401": 3},
                "shanghai-putuo-2024-js-bm-weishehuigongzuobu-36c8": {}}
    for name, counts in expected.items():
        found = {}
        for f in check_facts(facts_of(name), rules()):
            if f.severity == "error":
                found[f.rule] = found.get(f.rule, 0) + 1
        assert found == counts, name
