"""The findings on the real samples, each confirmed by hand against the text.

wuqia: its 目录 lists 八、政府性基金预算支出情况表 (line 21) but the document goes
from 表 7 straight to 表 9 (lines 297-330): J901.
xinjiang: 表6 row 301 prints 7708.73 while its eleven 款 rows add up to 7708.72,
and row 303 prints 1187.61 against 1187.62: rounding-level, reported as info only.
kashi: every table relation holds.
"""
from decimal import Decimal

import pytest

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load

RULES = load_rules()


def findings(name):
    return check_facts(extract_facts(load(edits.SAMPLES / f"{name}.txt")), RULES)


def test_kashi_is_clean():
    assert findings(edits.KASHI) == []


def test_wuqia_lists_a_table_it_does_not_contain():
    found = findings(edits.WUQIA)
    errors = [f for f in found if f.severity == "error"]
    assert [(f.rule, f.locations[0].line, f.locations[0].table) for f in errors] == [
        ("J901", 21, "gov_fund")]
    assert "政府性基金预算支出情况表" in errors[0].message
    assert [f for f in found if f.severity != "error"] == []


def test_xinjiang_rounding_differences_are_info_not_errors():
    found = findings(edits.XINJIANG)
    assert all(f.severity == "info" and f.rule == "A102" for f in found)
    summary = sorted((f.locations[0].line, f.locations[0].column, f.actual, f.expected)
                     for f in found)
    assert summary == [
        (313, "人员经费", Decimal("7708.73"), Decimal("7708.72")),
        (313, "合计", Decimal("7708.73"), Decimal("7708.72")),
        (341, "人员经费", Decimal("1187.61"), Decimal("1187.62")),
        (341, "合计", Decimal("1187.61"), Decimal("1187.62")),
    ]
    assert all("四舍五入" in f.message for f in found)
