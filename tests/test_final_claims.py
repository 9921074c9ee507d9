"""The 决算 narrative as claims (narrative.yaml statements completion,
procurement_final, procurement_contracts; changes), each with a real sentence
of a corpus 决算 and one documented edit of that sentence's line."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pytest

from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from final_docs import CENTRAL, CORPUS, PUTUO_PLAN, PUTUO_SOCIAL, needs_corpus

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


# 国家信访局 p. 21: "政府采购支出总额 1967.42 万元，全部为财政资金，其中：政府采购货物支出
# 171.7 万元、政府采购工程支出 3 万元、政府采购服务支出 1792.72 万元"
def test_final_procurement_claim_adds_up():
    found = facts(CENTRAL)
    [claim] = claims(found, "procurement_final")
    assert {k: str(v) for k, v in claim.values.items()} == {
        "total": "1967.42", "goods": "171.7", "works": "3", "services": "1792.72"}
    assert findings(found, "H804") == []
    edited = facts(CENTRAL, "政府采购货物支出171.7万元", "政府采购货物支出172.7万元")
    assert len(findings(edited, "H804")) == 1


# 社会工作部 p. 20: "政府采购金额（以合同签订为准）为 21.07 万元，其中：货物采购金额 21.07
# 万元、工程采购金额 0 万元、服务采购金额 0 万元"
def test_contract_procurement_claim_adds_up():
    found = facts(PUTUO_SOCIAL)
    [claim] = claims(found, "procurement_contracts")
    assert str(claim.values["total"]) == "21.07" and str(claim.values["goods"]) == "21.07"
    assert findings(found, "H804") == []
    edited = facts(PUTUO_SOCIAL, "其中：货物采购金额21.07万元", "其中：货物采购金额20.07万元")
    assert len(findings(edited, "H804")) == 1


# 社会工作部 p. 21: "截至 2024 年 12 月 31 日，本部门共有车辆 0 辆，其中：部级领导干部用车 0 辆、
# 主要领导干部用车 0 辆、…、其他用车 0 辆"
def test_final_vehicle_counts_add_up():
    found = facts(PUTUO_SOCIAL)
    [claim] = claims(found, "vehicles_final")
    assert len(claim.values) == 9 and all(v == 0 for v in claim.values.values())
    assert findings(found, "H805") == []
    edited = facts(PUTUO_SOCIAL, "其他用车0辆", "其他用车2辆")
    assert len(findings(edited, "H805")) == 1


def test_change_on_last_year_is_read_from_a_final_account():
    """国家信访局 p. 17: "收、支总计 22066.59 万元，与 2023 年相比，收、支总计各增加
    5834.37 万元，增长 35.74%" (35.94% is right: confirmed in test_final_kind_text)."""
    found = facts(CENTRAL)
    change = [c for c in claims(found, "change") if c.values.get("delta") is not None
              and str(c.values["delta"]) == "5834.37"]
    assert change and change[0].direction == "增加" and str(change[0].values["rate"]) == "35.74"


def test_every_narrative_rule_of_final_yaml_has_a_case_here():
    """F606 (test_completion_errors), F607 (…without_its_reason…), F608 (truncated)."""
    codes = {r.code for r in rules() if r.source.split(":")[0].endswith("final.yaml")}
    assert {c for c in codes if not c.startswith("K")} == {"F606", "F607", "F608"}
