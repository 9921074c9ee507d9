"""rules/final.yaml (决算) on the real 决算 documents: every rule fails on a
documented edit and holds on the documents as published, except where a
published document really is inconsistent (confirmed by hand on the page)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from budgetaudit.engine import load_rules
from budgetaudit.engine.outcome import Outcome
from budgetaudit.engine.resolve import FactIndex, TableAbsent
from budgetaudit.engine.run import _outcomes, check_facts
from final_docs import REAL, TEMPLATE, edited, facts_of, find_row, needs_corpus

pytestmark = needs_corpus

TESTS = Path(__file__).resolve().parent
FINAL_RULES = TESTS.parent / "rules" / "final.yaml"
# the table relations (K); the narrative rules of final.yaml (F606-F608) have their
# cases in test_final_claims.py
CODES = [r["code"] for r in yaml.safe_load(FINAL_RULES.read_text(encoding="utf-8"))["rules"]
         if r["code"].startswith("K")]
FAILING = yaml.safe_load((TESTS / "final_cases.yaml").read_text(encoding="utf-8"))["failing"]

# Errors the published 决算 documents really contain, read on the printed page:
# (document, rule, words of the message).
CONFIRMED = {
    # 收入支出决算总表 (p. 7) prints 九、卫生健康支出 236.63 and 十一、城乡社区支出
    # 3845.25; 支出决算表 (pp. 10-11) prints 210 卫生健康支出 236.64 and 212 城乡社区支出
    # 3845.24; 财政拨款收入支出决算总表 (p. 12) 236.63 against 一般公共预算财政拨款支出决算表
    # (p. 14) 210 236.64. The same amount rounded twice cannot differ: a 尾差 left unadjusted.
    ("shanghai-putuo-2024-js-bm-guihuaheziranziyuanju-560c", "K203", "卫生健康支出 决算数 236.63"),
    ("shanghai-putuo-2024-js-bm-guihuaheziranziyuanju-560c", "K203", "城乡社区支出 决算数 3845.25"),
    ("shanghai-putuo-2024-js-bm-guihuaheziranziyuanju-560c", "K207", "卫生健康支出 一般公共预算 236.63"),
}


@lru_cache(maxsize=None)
def rules():
    return tuple(load_rules())


def final_rule(code: str):
    return next(r for r in rules() if r.code == code)


def test_every_final_rule_has_a_failing_case():
    assert sorted({case["expect"] for case in FAILING}) == sorted(CODES)


@pytest.mark.parametrize("case", FAILING, ids=[c["id"] for c in FAILING])
def test_failing_case(case):
    facts = facts_of(case["doc"])
    published = {(f.rule, f.message) for f in check_facts(facts, rules()) if f.severity == "error"}
    changed = edited(facts, case["table"], case["row"], case["column"], case["old"], case["new"])
    t, r = find_row(changed, case["table"], case["row"])
    line = changed.tables[t].rows[r].line
    new = [f for f in check_facts(changed, rules())
           if f.severity == "error" and (f.rule, f.message) not in published]
    naming = [f for f in new if f.rule == case["expect"] and any(
        loc.table == case["table"] and loc.line == line and loc.column == case["column"]
        for loc in f.locations)]
    assert naming, [(f.rule, f.message) for f in new]


@pytest.mark.parametrize("name", REAL)
def test_published_documents_pass_except_confirmed(name):
    facts = facts_of(name)
    found = [f for f in check_facts(facts, rules()) if f.severity == "error" and f.rule in CODES]
    unexpected = [f.message for f in found
                  if not any(doc == name and rule == f.rule and words in f.message
                             for doc, rule, words in CONFIRMED)]
    assert unexpected == []
    confirmed = [c for c in CONFIRMED if c[0] == name]
    for _, rule, words in confirmed:
        assert any(f.rule == rule and words in f.message for f in found), (rule, words)


@pytest.mark.parametrize("code", CODES)
def test_every_final_rule_holds_somewhere_as_published(code):
    """The passing case: the rule evaluates at least one relation on a real
    document, and none that is not a confirmed error fails."""
    evaluated = 0
    for name in REAL:
        index = FactIndex(facts_of(name))
        try:
            evaluated += sum(1 for o in _outcomes(final_rule(code), index) if isinstance(o, Outcome))
        except TableAbsent:
            continue
    assert evaluated > 0


def test_template_yields_no_arithmetic_findings():
    """The 普陀 决算 template prints empty tables: nothing to add up, nothing reported."""
    findings = check_facts(facts_of(TEMPLATE), rules())
    arithmetic = [f for f in findings if f.rule[0] in "ABCK"]
    assert arithmetic == []
    assert sum(1 for f in findings if f.rule == "J905") >= 50  # its XX placeholders
