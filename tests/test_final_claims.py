"""The 决算 narrative as claims (narrative.yaml statements completion,
procurement_final, procurement_contracts; changes), each with a real sentence
of a corpus 决算 and one documented edit of that sentence's line."""
from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import replace
from functools import lru_cache

import pytest

from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from final_docs import CENTRAL, CORPUS, FOSHAN, PUTUO_PLAN, PUTUO_SOCIAL, XIAN, needs_corpus

pytestmark = needs_corpus


@lru_cache(maxsize=None)
def document(name: str):
    return load(CORPUS / f"{name}.pdf")


@lru_cache(maxsize=None)
def rules():
    return tuple(load_rules())


def facts(name: str, old: str = "", new: str = ""):
    """The document's facts, with old replaced by new on the one line printing old."""
    doc = document(name)
    if old:
        hits = [l for l in doc.lines if old in re.sub(r"\s", "", l.text)]
        assert len(hits) == 1, (old, [h.text for h in hits])
        line = hits[0]
        text = re.sub(r"\s", "", line.text).replace(old, new)
        lines = tuple(replace(l, text=text) if l is line else l for l in doc.lines)
        doc = replace(doc, lines=lines)
    return extract_facts(doc)


def claims(found, kind: str) -> list:
    return [c for c in found.claims if c.kind == kind]


def findings(found, rule: str, severity: str = "error") -> list:
    return [f for f in check_facts(found, rules()) if f.rule == rule and f.severity == severity]


# 国家信访局 p. 18: "行政运行（项）年初预算为 5717.32 万元，支出决算为 5757.63 万元，完成年初
# 预算的 100.71%。决算数大于预算数的主要原因是 2024 年度预算执行中追加了预算"
SENTENCE = {"budget": "5717.32", "actual": "5757.63", "rate": "100.71"}


def test_completion_claim_is_read_and_holds():
    found = facts(CENTRAL)
    read = [c for c in claims(found, "completion")
            if {k: str(v) for k, v in c.values.items()} == SENTENCE]
    assert len(read) == 1 and "大于" in read[0].text and "原因" in read[0].text
    assert findings(found, "F606") == []


@pytest.mark.parametrize("old,new,why", [
    ("算的100.71%。决算数大于", "算的100.17%。决算数大于", "two digits swapped in the rate"),
    ("100.71%。决算数大于预算数", "100.71%。决算数小于预算数", "小于 for a 决算 above its budget"),
])
def test_completion_errors(old, new, why):
    found = findings(facts(CENTRAL, old, new), "F606")
    assert len(found) == 1, why


def test_completion_without_its_reason_is_noted():
    published = len(findings(facts(CENTRAL), "F607", "info"))
    edited = facts(CENTRAL, "算的100.71%。决算数大于预算数的主要原因是", "算的100.71%。")
    assert len(findings(edited, "F607", "info")) == published + 1


def test_truncated_completion_rate_is_info():
    """普陀 规划和自然资源局: 9746.50 ÷ 10210.34 = 95.457%, printed 95.45%."""
    found = findings(facts(PUTUO_PLAN), "F608", "info")
    assert len(found) == 1 and "95.45" in found[0].message
    assert findings(facts(PUTUO_PLAN), "F606") == []


# Fixed statements of a 决算 that add up by themselves: read, holding as published, and
# one documented edit of the sentence reported by their rule.
ADDING_UP = [
    # 国家信访局 p. 21: "政府采购支出总额 1967.42 万元，全部为财政资金，其中：政府采购货物支出
    # 171.7 万元、政府采购工程支出 3 万元、政府采购服务支出 1792.72 万元"
    (CENTRAL, "procurement_final",
     {"total": "1967.42", "goods": "171.7", "works": "3", "services": "1792.72"},
     "H804", "政府采购货物支出171.7万元", "政府采购货物支出172.7万元"),
    # 社会工作部 p. 20: "政府采购金额（以合同签订为准）为 21.07 万元，其中：货物采购金额 21.07
    # 万元、工程采购金额 0 万元、服务采购金额 0 万元"
    (PUTUO_SOCIAL, "procurement_contracts",
     {"total": "21.07", "goods": "21.07", "works": "0", "services": "0"},
     "H804", "其中：货物采购金额21.07万元", "其中：货物采购金额20.07万元"),
    # 社会工作部 p. 21: "截至 2024 年 12 月 31 日，本部门共有车辆 0 辆，其中：部级领导干部用车 0 辆、
    # 主要领导干部用车 0 辆、…、其他用车 0 辆"
    (PUTUO_SOCIAL, "vehicles_listed", {"count": "0", "listed": "0"},
     "H805", "其他用车0辆", "其他用车2辆"),
]


@pytest.mark.parametrize("name,kind,values,rule,old,new", ADDING_UP)
def test_final_statement_adds_up(name, kind, values, rule, old, new):
    found = facts(name)
    [claim] = claims(found, kind)
    assert {k: str(v) for k, v in claim.values.items()} == values
    assert findings(found, rule) == []
    assert len(findings(facts(name, old, new), rule)) == 1


def test_change_on_last_year_is_read_from_a_final_account():
    """国家信访局 p. 17: "收、支总计 22066.59 万元，与 2023 年相比，收、支总计各增加
    5834.37 万元，增长 35.74%" (35.94% is right: confirmed in test_final_kind_text)."""
    found = facts(CENTRAL)
    change = [c for c in claims(found, "change") if c.values.get("delta") is not None
              and str(c.values["delta"]) == "5834.37"]
    assert change and change[0].direction == "增加" and str(change[0].values["rate"]) == "35.74"


def test_every_narrative_rule_of_final_yaml_has_a_case_here():
    """F606 (test_completion_errors), F607 (…without_its_reason…), F608 (truncated),
    F609 and F612 (test_sme_contract_shares…), F610 (test_self_evaluated_projects…),
    F611 (test_project_execution_rate…)."""
    codes = {r.code for r in rules() if r.source.split(":")[0].endswith("final.yaml")}
    assert {c for c in codes if not c.startswith("K")} == {
        "F606", "F607", "F608", "F609", "F610", "F611", "F612"}


# 国家信访局 p. 26: "授予中小企业合同金额 1820.69 万元，占政府采购支出总额的 92.54%，其中：
# 授予小微企业合同金额 1015.5 万元，占授予中小企业合同金额的 55.78%" (1967.42 the 总额 above);
# 西安 卫健委 p. 22: "…24,498.01万元，占政府采购支出合同总额的9%，其中：…7,086.06万元，…28.93%"
@pytest.mark.parametrize("name,values", [
    (CENTRAL, {"sme": "1820.69", "sme_share": "92.54", "micro": "1015.5", "micro_share": "55.78"}),
    (XIAN, {"sme": "24498.01", "sme_share": "9", "micro": "7086.06", "micro_share": "28.93"}),
])
def test_sme_contract_shares_are_read_and_hold(name, values):
    found = facts(name)
    [claim] = claims(found, "sme_contracts")
    assert {k: str(v) for k, v in claim.values.items()} == values
    assert findings(found, "F609") == [] and findings(found, "F612", "info") == []


@pytest.mark.parametrize("old,new,why", [
    ("55.78%；货物", "55.87%；货物", "two digits swapped: 1015.5 ÷ 1820.69 is 55.78%"),
    ("合同金额1820.69万元", "合同金额1802.69万元", "the amount misprinted: 92.54% no longer follows"),
    ("合同金额1015.5万元", "合同金额1915.5万元", "小微 above 中小企业 (and its share wrong)"),
])
def test_sme_contract_shares_errors(old, new, why):
    found = findings(facts(CENTRAL, old, new), "F609")
    assert found, why
    assert all(any(loc.page == 26 for loc in f.locations) for f in found)


def test_sme_contract_share_truncated_is_info():
    """1015.5 ÷ 1820.69 = 55.775%: 55.77 is cut off, not wrong."""
    edited = facts(CENTRAL, "55.78%；货物", "55.77%；货物")
    assert findings(edited, "F609") == []
    [note] = findings(edited, "F612", "info")
    assert "55.77" in note.message and note.actual == Decimal("55.77")


# 佛山 轨道交通局 2019 p. 28: "组织对 7 个一般公共预算项目支出开展绩效自评，其中一级项目 6 个，
# 二级项目 1 个，共涉及资金 940.15 万元"; 国家信访局 p. 26 gives the levels without the total.
def test_self_evaluated_projects_add_up():
    found = facts(FOSHAN)
    [claim] = claims(found, "self_evaluation")
    assert {k: str(v) for k, v in claim.values.items()} == {
        "count": "7", "first": "6", "second": "1", "amount": "940.15"}
    assert findings(found, "F610") == []
    [central] = claims(facts(CENTRAL), "self_evaluation")
    assert "count" not in central.values and str(central.values["second"]) == "16"
    edited = facts(FOSHAN, "对7个一般公共预算项目支出开展", "对8个一般公共预算项目支出开展")
    assert len(findings(edited, "F610")) == 1


# 国家信访局 p. 27: "全年预算数为 536.20 万元，执行数为 413.57 万元，完成预算的 77.1%"
# (413.57 ÷ 536.20 = 77.13%). 佛山 p. 29 prints "全年预算数 0 万元，执行数 0 万元，完成预算的
# 0%": nothing to divide by, nothing reported.
def test_project_execution_rate_holds_as_published():
    found = facts(CENTRAL)
    assert len(claims(found, "project_execution")) == 4
    assert findings(found, "F611") == []
    foshan = facts(FOSHAN)
    assert any(c.values.get("full") == 0 for c in claims(foshan, "project_execution"))
    assert findings(foshan, "F611") == []


def test_project_execution_rate_error():
    found = findings(facts(CENTRAL, "完成预算的77.1%", "完成预算的71.1%"), "F611")
    assert len(found) == 1 and found[0].expected == Decimal("77.1")


def test_project_execution_rate_confirmed_in_xian():
    """Confirmed as published: 西安 卫健委 2022 p. 46, project 54 (西安市第三医院二期扩建):
    "全年预算数21143.98万元，执行数21143.98万元，完成预算的35%": spending all of
    the budget is 100%; the 35% is the previous project's (663.6 ÷ 1896)."""
    [found] = findings(facts(XIAN), "F611")
    assert found.locations[0].page == 46
    assert (found.expected, found.actual) == (Decimal("100"), Decimal("35"))


# The 三公 paragraph of a 决算 restates the 三公经费决算表: its 预算 figure the
# 预算数 column, its 决算 figure the 决算数 column (narrative.yaml, topic
# three_public: "A | B" alternatives and "三公+预算" subjects).
THREE_PUBLIC = [
    # 西安 卫健委 2022 p.21: "2022年度财政拨款安排公务接待费预算1.86万元，支出决算0.11万元"
    (XIAN, "公务接待费预算1.86万元", "公务接待费预算1.87万元",
     "三公经费决算表[公务接待费].预算数", "1.86"),
    # p.21: "国内公务接待支出0.11万元。"
    (XIAN, "国内公务接待支出0.11万元", "国内公务接待支出0.12万元",
     "三公经费决算表[公务接待费].决算数", "0.11"),
    # 国家信访局 2024 p.22: "“三公”经费财政拨款支出预算为 76.43 万元，2024 年度支出决算为 46.21 万元"
    (CENTRAL, "支出预算为76.43", "支出预算为76.44", "三公经费决算表[合计].预算数", "76.43"),
    (CENTRAL, "公务接待费支出决算为0.9万元", "公务接待费支出决算为0.8万元",
     "三公经费决算表[公务接待费].决算数", "0.9"),
]


@pytest.mark.parametrize("name,old,new,ref,printed", THREE_PUBLIC)
def test_three_public_figures_of_a_final_account_restate_its_table(name, old, new, ref, printed):
    published = facts(name)
    restating = [c for c in claims(published, "amount")
                 if c.ref and ref in c.ref.split(" | ") and str(c.values["amount"]) == printed]
    assert restating, [(c.subject, c.ref, c.values) for c in claims(published, "amount")
                       if c.ref and "三公" in c.ref]
    assert not [f for f in findings(published, "D401") if "三公经费决算表" in f.message]
    edited = findings(facts(name, old, new), "D401")
    assert any("三公经费决算表" in f.message for f in edited), [f.message for f in edited]


def test_a_part_in_brackets_is_not_its_whole():
    """普陀 规划和自然资源局 p.26: "国内公务接待支出0.39万（含外宾接待支出 0.00 万元）":
    the 0.00 is the 外宾 part, not the 公务接待费 of the table."""
    published = facts(PUTUO_PLAN)
    assert not [c for c in claims(published, "amount")
                if str(c.values["amount"]) == "0.00" and c.ref and "公务接待费" in c.ref]
    assert not [f for f in findings(published, "D401") if "外宾" in f.message]



# The same statement in the other 决算 wordings, whatever categories they list:
# 国家信访局 2024 p.24 "车辆15辆，其中，副部（省）级及以上领导干部用车1辆、机要通信用车2辆、
# 应急保障用车2辆、特种专业技术用车1辆、离退休干部用车3辆、其他用车6辆，其他用车主要是…"
# 西安 卫健委 2022 "车辆517辆，其中机要通信用车57辆，应急保障用车52辆，特种专业技术用车375辆，
# 其他用车33辆，主要是救护车、轿车等"
@pytest.mark.parametrize("name,count,old,new", [
    (CENTRAL, "15", "离退休干部用车3辆", "离退休干部用车4辆"),
    (XIAN, "517", "特种专业技术用车375辆", "特种专业技术用车376辆"),
])
def test_vehicle_lists_of_any_categories_add_up(name, count, old, new):
    found = facts(name)
    [claim] = [c for c in claims(found, "vehicles_listed") if str(c.values["count"]) == count]
    assert claim.values["listed"] == claim.values["count"]
    assert findings(found, "H805") == []
    assert len(findings(facts(name, old, new), "H805")) == 1


# The 决算 情况说明 restates its tables section by section (narrative.yaml topics
# final_total, final_income, final_expense, final_fiscal, final_gpb): each amount
# below is read, resolved to its table fact, and an edit of it is reported.
RESTATED = [
    # 国家信访局 p. 21: "1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为 5717.32
    # 万元，支出决算为 5757.63 万元": the row the paragraph names (@item)
    (CENTRAL, "支出决算为5757.63万元", "支出决算为5757.36万元",
     "一般公共预算财政拨款支出决算表[2014001].合计", "5757.63"),
    # p. 21: "2024 年度财政拨款支出年初预算为 15068.55 万元，支出决算为 13733.8 万元": no
    # item named, the table's 合计
    (CENTRAL, "支出决算为13733.8万元", "支出决算为13737.8万元",
     "一般公共预算财政拨款支出决算表[合计].合计", "13733.8"),
    # p. 22: "教育（类）进修及培训（款）培训支出（项）": a 类 written without its 支出
    (CENTRAL, "支出决算为180.03万元", "支出决算为180.30万元",
     "一般公共预算财政拨款支出决算表[2050803].合计", "180.03"),
    # 西安 卫健委 p. 12: "2.教育支出（类）普通教育（款）学前教育（项）。年初预算999.83万元，
    # 支出决算1,182.59万元"
    (XIAN, "支出决算1,182.59万元", "支出决算1,182.95万元",
     "一般公共预算财政拨款支出决算表[2050201].合计", "1182.59"),
    # 普陀 规划和自然资源局 p. 19: "本年收入合计 9746.50 万元，其中：财政拨款收入 9746.50 万元"
    (PUTUO_PLAN, "本年收入合计9746.50万元", "本年收入合计9746.05万元",
     "收入决算表[合计].合计", "9746.50"),
    # p. 19: "本年支出合计 9759.38 万元，其中：基本支出 5377.64 万元，占 55.10%"
    (PUTUO_PLAN, "本年支出合计9759.38万元", "本年支出合计9759.83万元",
     "支出决算表[合计].合计", "9759.38"),
    # 佛山 p. 24: "（一）年度收入总体情况 …总收入 1668.14 万元，其中本年收入 1668.14 万元"
    (FOSHAN, "2019年度总收入1668.14万元", "2019年度总收入1668.41万元",
     "收入支出决算总表[收入:总计]", "1668.14"),
    # p. 25: "2019 年度财政拨款收入合计 1668.14 万元"
    (FOSHAN, "财政拨款收入合计1668.14万", "财政拨款收入合计1668.41万",
     "财政拨款收入支出决算总表[收入:本年收入合计]", "1668.14"),
]


@pytest.mark.parametrize("name,old,new,ref,printed", RESTATED)
def test_final_narrative_amounts_restate_their_tables(name, old, new, ref, printed):
    found = facts(name)
    read = [c for c in claims(found, "amount") if c.ref == ref and str(c.values["amount"]) == printed]
    assert read, [(c.subject, c.ref) for c in claims(found, "amount")][:40]
    published = len(findings(found, "D401"))
    assert len(findings(facts(name, old, new), "D401")) == published + 1


def test_final_item_without_a_row_is_left_unresolved():
    """国家信访局 p. 22 names 项 by their former names ("社会保障和就业（类）行政事业单位离退休
    （款）归口管理的行政单位离退休（项）"; the table prints 行政事业单位养老支出 / 行政单位离退休):
    kept, visible, not guessed."""
    found = facts(CENTRAL)
    kept = [c for c in claims(found, "amount") if str(c.values["amount"]) == "1028.48"]
    assert kept and all(c.ref is None for c in kept)


def test_final_shares_of_the_income_and_expense_sections_hold():
    """普陀 规划和自然资源局 p. 19: 5377.64 ÷ 9759.38 = 55.10%, 4381.74 ÷ 9759.38 = 44.90%."""
    found = facts(PUTUO_PLAN)
    shares = {(str(c.values["amount"]), str(c.values["share"])): c.base for c in claims(found, "share")}
    assert shares[("5377.64", "55.10")] == shares[("4381.74", "44.90")] == "支出决算表[合计].合计"
    assert shares[("9746.50", "100.00")] == "收入决算表[合计].合计"
    assert findings(found, "E501") == []


def test_confirmed_basic_spending_of_all_funds_stated_as_the_general_budget():
    """Confirmed as published: 普陀 规划和自然资源局 p. 24 "一般公共预算财政拨款基本支出 5377.64
    万元。其中：人员经费 4896.98 万元…公用经费 480.66 万元": 5377.64 is the 基本支出 of all
    funds (支出决算表); the 一般公共预算财政拨款基本支出决算表 prints 人员经费合计 4884.09 and
    公用经费合计 480.66, 5364.75 in all (as does the 一般公共预算财政拨款支出决算表)."""
    found = [f for f in findings(facts(PUTUO_PLAN), "D401") if any(l.page == 24 for l in f.locations)]
    assert len(found) == 2
    assert any("5377.64" in f.message and "5364.75" in f.message for f in found)
    assert any("4896.98" in f.message and "4884.09" in f.message for f in found)
