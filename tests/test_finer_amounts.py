"""A narrative amount against a table printed finer (in 元, or to six decimals).

Generated facts, no document: an economic table in 元 whose 302 class has three
classes under it, chosen so that the sum of their rounded 万元 figures (10.02)
differs from the class's own value rounded (10.01, exactly 10.0135 万元), and a
leaf 30101 of 1.23456 万元. The narrative states one figure per case; the test
asks whether check_claim_amounts (D401) calls it an error.
"""
from decimal import Decimal

import pytest

from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.model import Claim, Facts, Row, Table

RULES = [r for r in load_rules() if r.code == "D401"]


def _row(code, label, yuan, line, kind="item"):
    return Row(label=label, cells={"合计": Decimal(yuan)}, line=line, text=label, code=code,
               kind=kind)


TABLE = Table(
    id="gpb_economic", title="一般公共预算支出表（按经济分类）", unit="元", columns=("合计",),
    rows=(
        _row(None, "合计", "112480.60", 10, kind="total"),
        _row("301", "工资福利支出", "12345.60", 11),
        _row("30101", "基本工资", "12345.60", 12),
        _row("302", "商品和服务支出", "100135.00", 13),
        _row("30201", "办公费", "33345.00", 14),   # 3.3345 -> 3.33 (half up: 3.33)
        _row("30202", "印刷费", "33345.00", 15),   # 3.3345 -> 3.33
        _row("30203", "咨询费", "33445.00", 16),   # 3.3445 -> 3.34 : the three make 10.00
    ),
    start=9, end=16)


def _errors(subject, code, amount):
    claim = Claim(kind="amount", subject=subject, line=1, text=f"{subject}{amount}万元",
                  values={"amount": Decimal(amount)}, ref=f"一般公共预算经济分类表[{code}].合计",
                  basis="gpb", page=1)
    facts = Facts(path="generated", sections=(), tables=(TABLE,), claims=(claim,))
    return [f for f in check_facts(facts, RULES) if f.rule == "D401" and f.severity == "error"]


@pytest.mark.parametrize("amount, wrong", [
    ("10.01", False),  # 10.0135 rounded
    ("10.00", False),  # the sum of its three classes rounded (3.33 + 3.33 + 3.34)
    ("10.02", True),   # neither: one unit off is not rounding for a class whose parts are printed
    ("9.99", True),
])
def test_a_class_is_its_value_or_its_printed_parts_rounded(amount, wrong):
    assert bool(_errors("商品和服务支出（302）", "302", amount)) is wrong


@pytest.mark.parametrize("amount, wrong", [
    ("1.23", False),   # 1.23456 rounded
    ("1.24", True),    # a leaf has no parts to round: 1.24 is not 1.23456 in any rounding
    ("1.22", True),
])
def test_a_leaf_is_its_value_rounded(amount, wrong):
    assert bool(_errors("基本工资（30101）", "30101", amount)) is wrong


def test_a_total_is_its_value_or_a_level_of_its_classes_rounded():
    """合计 is 11.24806 万元: 11.25 rounded, 11.24 its 类 rounded (1.23 + 10.01), 11.23
    its 款 rounded (1.23 + 3.33 + 3.33 + 3.34); 11.27 is none of these."""
    for amount in ("11.25", "11.24", "11.23"):
        assert _errors("一般公共预算支出", "合计", amount) == [], amount
    assert _errors("一般公共预算支出", "合计", "11.27")


def test_an_exact_zero_is_not_a_finer_print():
    zero = Table(id="gpb_economic", title="t", unit="元", columns=("合计",),
                 rows=(_row("310", "资本性支出", "0.00", 20),), start=19, end=20)
    claim = Claim(kind="amount", subject="资本性支出（310）", line=1, text="",
                  values={"amount": Decimal("0.01")}, ref="一般公共预算经济分类表[310].合计",
                  basis="gpb", page=1)
    facts = Facts(path="generated", sections=(), tables=(zero,), claims=(claim,))
    assert [f.rule for f in check_facts(facts, RULES) if f.severity == "error"] == ["D401"]
