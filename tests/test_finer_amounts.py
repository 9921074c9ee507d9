"""A narrative amount against a table printed finer (in 元, or to six decimals).

Generated facts, no document: an economic table in 元 whose 302 class has three
classes under it, chosen so that the sum of their rounded 万元 figures (10.00)
differs from the class's own value rounded (10.01, exactly 10.0135 万元), and a
leaf 30101 of 1.23456 万元; a 三公 table in 元 and a two-sided 财政拨款收支表 in 元
(described where they are built). The narrative states one figure per case (or
a list, where the case is a list); the test asks whether check_claim_amounts
(D401) calls it an error.
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
    ("1.24", True),    # a leaf has no parts to round; 12,345.60 元 is converted and rounded once
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


# A 三公 table in 元 (北京's layout, generated): items without codes, 公务用车购置及运行费
# the subtotal of the two rows printed under it (44.924 + 39.496 万元 = 84.42).
THREE_PUBLIC = Table(
    id="three_public", title="财政拨款“三公”经费支出表", unit="元", columns=("合计",),
    rows=(
        _row(None, "合计", "2238000.00", 30, kind="total"),
        _row(None, "因公出国（境）费", "1277400.00", 31),
        _row(None, "公务用车购置及运行费", "844200.00", 32, kind="subtotal"),
        Row(label="公务用车购置费", cells={"合计": Decimal("449240.00")}, line=33, text="",
            parent="公务用车购置及运行费"),
        Row(label="公务用车运行费", cells={"合计": Decimal("394960.00")}, line=34, text="",
            parent="公务用车购置及运行费"),
        _row(None, "公务接待费", "116400.00", 35),
    ),
    start=29, end=35)


def _three_public_errors(row, amount):
    claim = Claim(kind="amount", subject=row, line=1, text=f"{row}{amount}万元",
                  values={"amount": Decimal(amount)}, ref=f"三公表[{row}].合计", basis="fiscal",
                  page=1)
    facts = Facts(path="generated", sections=(), tables=(THREE_PUBLIC,), claims=(claim,))
    return [f for f in check_facts(facts, RULES) if f.rule == "D401" and f.severity == "error"]


@pytest.mark.parametrize("row, amount, wrong", [
    ("公务接待费", "11.64", False),            # 116,400 元
    ("公务接待费", "11.65", True),             # an item no row is part of: nothing else rounds to it
    ("公务接待费", "11.63", True),
    ("公务用车购置费", "44.92", False),         # 44.924 rounded
    ("公务用车购置费", "44.93", True),
    ("公务用车购置及运行费", "84.42", False),   # 84.42 exactly, and 44.92 + 39.50
    ("公务用车购置及运行费", "84.43", True),    # neither it nor its printed items rounded
    ("合计", "223.80", False),
    ("合计", "223.81", False),                 # a total keeps one unit: it may be summed elsewhere
])
def test_uncoded_items_and_subtotals_are_their_values_or_their_items_rounded(row, amount, wrong):
    assert bool(_three_public_errors(row, amount)) is wrong


def test_a_figure_rounded_twice_is_rounding():
    # 北京市应急管理局 2026 p.8 prints "公务用车购置费预算 74.82 万元" for 74.814680 (a table in
    # 万元 to six places): rounded one place at a time (74.8147, 74.815, 74.82); 74.83 is not.
    table = Table(id="three_public", title="三公", unit="万元", columns=("合计",), rows=(
        _row(None, "公务用车购置及运行费", "165.344680", 40, kind="subtotal"),
        Row(label="公务用车购置费", cells={"合计": Decimal("74.814680")}, line=41, text="",
            parent="公务用车购置及运行费"),
        Row(label="公务用车运行费", cells={"合计": Decimal("90.530000")}, line=42, text="",
            parent="公务用车购置及运行费"),
    ), start=39, end=42)

    def wrong(amount):
        claim = Claim(kind="amount", subject="公务用车购置费", line=1, text="",
                      values={"amount": Decimal(amount)}, ref="三公表[公务用车购置费].合计",
                      basis="fiscal", page=1)
        facts = Facts(path="generated", sections=(), tables=(table,), claims=(claim,))
        return [f for f in check_facts(facts, RULES) if f.severity == "error"]

    assert not wrong("74.81") and not wrong("74.82")
    assert wrong("74.83") and wrong("74.80")


# 上海市退役军人服务中心 2026 (its figures, generated facts): the 财政拨款收支表 in 元, two
# sides on the same lines; the classes 5,330.0945 + 102.4037 + 51.2018 = 5,483.70 万元,
# printed as whole 万元 "5,331 / 102 / 51" so that the list adds up to 5,484.
FISCAL = Table(
    id="fiscal_income_expense", title="财政拨款收支表", unit="元", columns=("合计",),
    rows=(
        Row(label="一般公共预算", cells={"合计": Decimal("54837000")}, line=61, text="", side="income"),
        Row(label="社会保障和就业支出", cells={"合计": Decimal("53300945")}, line=61, text="",
            side="expense"),
        Row(label="卫生健康支出", cells={"合计": Decimal("1024037")}, line=62, text="", side="expense"),
        Row(label="住房保障支出", cells={"合计": Decimal("512018")}, line=63, text="", side="expense"),
        Row(label="支出总计", cells={"合计": Decimal("54837000")}, line=64, text="", side="expense",
            kind="total"),
    ),
    start=60, end=64)


@pytest.mark.parametrize("row, amount, wrong", [
    ("社会保障和就业支出", "5330", False),   # rounded
    ("社会保障和就业支出", "5331", False),   # moved up one, the list rounded falls one short
    ("社会保障和就业支出", "5329", True),    # moved the other way: no sum asks for it
    ("社会保障和就业支出", "5332", True),
    ("卫生健康支出", "103", False),          # any of the list may be the one moved
    ("卫生健康支出", "101", True),
])
def test_a_figure_moved_one_unit_so_its_list_adds_up_is_rounding(row, amount, wrong):
    listed = {"社会保障和就业支出": "5330", "卫生健康支出": "102", "住房保障支出": "51", row: amount}
    claims = tuple(Claim(kind="amount", subject=name, line=n, text="", values={"amount": Decimal(v)},
                         ref=f"财政拨款收支表[支出:{name}].合计", basis="fiscal", page=1)
                   for n, (name, v) in enumerate(listed.items(), 1))
    facts = Facts(path="generated", sections=(), tables=(FISCAL,), claims=claims)
    found = [f for f in check_facts(facts, RULES) if f.rule == "D401" and f.severity == "error"]
    assert bool(found) is wrong


def test_a_figure_is_not_moved_when_its_list_is_not_stated():
    # the same 5,331 alone: nothing in the narrative asks the classes to add up
    claim = Claim(kind="amount", subject="社会保障和就业支出", line=1, text="",
                  values={"amount": Decimal("5331")}, ref="财政拨款收支表[支出:社会保障和就业支出].合计",
                  basis="fiscal", page=1)
    facts = Facts(path="generated", sections=(), tables=(FISCAL,), claims=(claim,))
    assert [f for f in check_facts(facts, RULES) if f.rule == "D401" and f.severity == "error"]


@pytest.mark.parametrize("amount, wrong", [
    ("84.42", False),  # 44.924 + 39.496 = 84.42, and 44.92 + 39.50 rounded each
    ("84.43", True),   # neither
])
def test_a_figure_restating_the_sum_of_two_items_is_strict(amount, wrong):
    # 北京 leaves the 小计 of 公务用车购置及运行费 blank: the narrative's figure is the sum of
    # the two items under it, as the three_public subjects of narrative.yaml say.
    claim = Claim(kind="amount", subject="公务用车购置和运行维护费", line=1, text="",
                  values={"amount": Decimal(amount)},
                  ref="三公表[公务用车购置费].合计 + 三公表[公务用车运行费].合计", basis="fiscal", page=1)
    facts = Facts(path="generated", sections=(), tables=(THREE_PUBLIC,), claims=(claim,))
    found = [f for f in check_facts(facts, RULES) if f.rule == "D401" and f.severity == "error"]
    assert bool(found) is wrong


def test_the_finding_says_which_rounding_explains_the_figure():
    listed = {"社会保障和就业支出": "5331", "卫生健康支出": "102", "住房保障支出": "51"}
    claims = tuple(Claim(kind="amount", subject=name, line=n, text="", values={"amount": Decimal(v)},
                         ref=f"财政拨款收支表[支出:{name}].合计", basis="fiscal", page=1)
                   for n, (name, v) in enumerate(listed.items(), 1))
    facts = Facts(path="generated", sections=(), tables=(FISCAL,), claims=claims)
    messages = [f.message for f in check_facts(facts, RULES) if f.rule == "D401"]
    assert any("社会保障和就业支出（为使所列各数之和与合计相符而调整末位） 5331" in m for m in messages)
    assert len(messages) == 1  # the figures rounded as such need no word
    cut = Claim(kind="amount", subject="商品和服务支出（302）", line=1, text="",
                values={"amount": Decimal("10.00")}, ref="一般公共预算经济分类表[302].合计",
                basis="gpb", page=1)
    facts = Facts(path="generated", sections=(), tables=(TABLE,), claims=(cut,))
    assert any("（各下级科目分别舍入后相加）" in f.message for f in check_facts(facts, RULES)
               if f.rule == "D401")
