from decimal import Decimal as D

import pytest

from budgetaudit.engine.expr import (
    BinOp,
    ExprError,
    Neg,
    Number,
    Ref,
    Relation,
    ResolveError,
    Scale,
    SumOf,
    Term,
    check,
    evaluate,
    parse,
    refs,
    render,
)
from budgetaudit.engine.interval import Interval

# --- parsing references ---------------------------------------------------------


@pytest.mark.parametrize("text, ref", [
    ("支出总表[合计].基本支出", Ref("支出总表", "合计", "基本支出")),
    ("基本支出表[301].人员经费", Ref("基本支出表", "301", "人员经费")),
    ("三公表[公务用车购置及运行费].合计", Ref("三公表", "公务用车购置及运行费", "合计")),
    ("收支总表[收入:本年收入].预算数", Ref("收支总表", "收入:本年收入", "预算数")),
    ("表3[合计].基本支出", Ref("表3", "合计", "基本支出")),
    ("表3[合计]", Ref("表3", "合计", None)),
    ("表3[  合计 ].基本支出", Ref("表3", "合计", "基本支出")),
    ("表1[政府办公厅（室）及相关机构事务].合计",
     Ref("表1", "政府办公厅（室）及相关机构事务", "合计")),
    ("三公表[合计].因公出国（境）费", Ref("三公表", "合计", "因公出国（境）费")),
    ("项目表[单位运转项目 (2024)].资本性支出（基本建设）",
     Ref("项目表", "单位运转项目 (2024)", "资本性支出（基本建设）")),
    ('财政拨款"三公"经费支出情况表[合计].合计', Ref('财政拨款"三公"经费支出情况表', "合计", "合计")),
    ("表3-1[合计].x", Ref("表3-1", "合计", "x")),
    ("2024年表[合计].x", Ref("2024年表", "合计", "x")),
    ("表[a[b]c].x", Ref("表", "a[b]c", "x")),
])
def test_parse_reference(text, ref):
    assert parse(text) == ref


def test_column_ends_at_ascii_operators_but_not_full_width_parentheses():
    node = parse("三公表[合计].因公出国（境）费-三公表[合计].公务接待费")
    assert node == BinOp("-", Ref("三公表", "合计", "因公出国（境）费"), Ref("三公表", "合计", "公务接待费"))
    node = parse("(表6[合计].人员经费)")
    assert node == Ref("表6", "合计", "人员经费")


# --- grammar ----------------------------------------------------------------------

A, B, C = Ref("t", "a", "x"), Ref("t", "b", "x"), Ref("t", "c", "x")


@pytest.mark.parametrize("text, tree", [
    ("t[a].x + t[b].x * 2", BinOp("+", A, Scale(B, D(2)))),
    ("t[a].x - t[b].x - t[c].x", BinOp("-", BinOp("-", A, B), C)),
    ("t[a].x - (t[b].x - t[c].x)", BinOp("-", A, BinOp("-", B, C))),
    ("(t[a].x + t[b].x) * 0.5", Scale(BinOp("+", A, B), D("0.5"))),
    ("-t[a].x", Neg(A)),
    ("-t[a].x * 2", Scale(Neg(A), D(2))),
    ("--t[a].x", Neg(Neg(A))),
    ("t[a].x - -t[b].x", BinOp("-", A, Neg(B))),
    ("-(t[a].x + 1)", Neg(BinOp("+", A, Number(D(1))))),
    ("100", Number(D(100))),
    ("57.80", Number(D("57.80"))),
    ("sum(t[类].x)", SumOf(Ref("t", "类", "x"))),
    ("sum ( t[类].x )", SumOf(Ref("t", "类", "x"))),
    ("sum[合计].x", Ref("sum", "合计", "x")),
])
def test_precedence_and_shapes(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("op, normal", [
    ("=", "="), ("==", "="), (">=", ">="), ("<=", "<="), (">", ">"), ("<", "<"),
    ("≥", ">="), ("≤", "<="),
])
def test_relation_operators_are_normalised(op, normal):
    assert parse(f"t[a].x {op} t[b].x") == Relation(A, normal, B)
    assert parse(f"t[a].x{op}t[b].x") == Relation(A, normal, B)


def test_sum_rule_from_the_catalogue():
    node = parse("支出总表[合计].合计 = 支出总表[合计].基本支出 + 支出总表[合计].项目支出")
    assert isinstance(node, Relation) and node.op == "="
    assert refs(node) == [
        Ref("支出总表", "合计", "合计"),
        Ref("支出总表", "合计", "基本支出"),
        Ref("支出总表", "合计", "项目支出"),
    ]


def test_refs_include_sum_and_nested_and_keep_order():
    node = parse("基本支出表[合计].合计 = sum(基本支出表[类].合计) - (表1[a].x * 2 + -表2[b])")
    assert refs(node) == [
        Ref("基本支出表", "合计", "合计"),
        Ref("基本支出表", "类", "合计"),
        Ref("表1", "a", "x"),
        Ref("表2", "b", None),
    ]
    assert refs(parse("1 + 2")) == []


# --- render -----------------------------------------------------------------------


@pytest.mark.parametrize("text, normal", [
    ("t[a].x+t[b].x*2", "t[a].x + t[b].x * 2"),
    ("t[a].x==t[b].x", "t[a].x = t[b].x"),
    ("t[a].x ≥ t[b].x", "t[a].x >= t[b].x"),
    ("t[ a ].x-(t[b].x-t[c].x)", "t[a].x - (t[b].x - t[c].x)"),
    ("((t[a].x))", "t[a].x"),
    ("-(t[a].x*2)", "-(t[a].x * 2)"),
    ("-t[a].x*2", "-t[a].x * 2"),
    ("(t[a].x*2)*3", "(t[a].x * 2) * 3"),
    ("--t[a].x", "--t[a].x"),
    ("sum( t[类].x )", "sum(t[类].x)"),
    ("三公表[合计].因公出国（境）费", "三公表[合计].因公出国（境）费"),
    ("57.80", "57.80"),
])
def test_render(text, normal):
    assert render(parse(text)) == normal
    assert parse(render(parse(text))) == parse(text)


# --- parse errors ------------------------------------------------------------------


@pytest.mark.parametrize("text, position, words", [
    ("支出总表[合计.基本支出", 13, '缺少 "]"'),
    ("基本支出 = 人员经费 + 公用经费", 5, '缺少 "["'),
    ("t[a].x +", 9, "意外结束"),
    ("t[a].x + * 2", 10, '却是 "*"'),
    ("t[a].x * t[b].x", 10, "应为 数字"),
    ("t[a].x = t[b].x = t[c].x", 17, "表达式结束"),
    ("t[a].x t[b].x", 8, "运算符或表达式结束"),
    ("(t[a].x + t[b].x", 17, '缺少 ")"'),
    ("t[a].x )", 8, '却是 ")"'),
    ("t[].x", 3, "缺少 行名"),
    ("t[a].", 6, "缺少 列名"),
    ("t[a]. + 1", 6, "缺少 列名"),
    ("[a].x", 1, '却是 "["'),
    ("", 1, "意外结束"),
    ("   ", 4, "意外结束"),
    ("sum(1)", 5, "应为 引用"),
    ("sum(t[a].x", 11, '缺少 ")"'),
    ("t[a].x <> t[b].x", 9, '却是 ">"'),
    ("t[a].x, t[b].x", 7, '却是 ","'),
])
def test_parse_errors_name_position_and_expectation(text, position, words):
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.position == position
    message = str(info.value)
    assert message.startswith(f"第 {position} 个字符处")
    assert words in message
    assert f"at character {position}" in message
    assert "\n" not in message


def test_example_error_message_wording():
    with pytest.raises(ExprError) as info:
        parse("支出总表[合计].基本支出 = 支出总表[合计.x")
    assert str(info.value) == '第 26 个字符处缺少 "]"（expected "]" at character 26）'


@pytest.mark.parametrize("text", [
    "__import__('os')",
    "__import__('os').system('rm -rf /')",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd').read()",
    "1 if 1 else 2",
    "lambda: 1",
    "eval('1')",
    "[x for x in ()]",
    "1 ** 2",
    "1 / 2",
    "2 * 3 * 4",
    "1e5",
])
def test_python_code_is_a_parse_error(text):
    with pytest.raises(ExprError):
        parse(text)


def test_import_error_points_after_the_name():
    with pytest.raises(ExprError) as info:
        parse("__import__('os')")
    assert info.value.position == 11


# --- evaluation --------------------------------------------------------------------

# The Kashi city office (表3 / 表6 of its 2024 budget).
FACTS = {
    ("表3", "合计", "合计"): ["1247.22"],
    ("表3", "合计", "基本支出"): ["1133.14"],
    ("表3", "合计", "项目支出"): ["114.08"],
    ("表6", "合计", "合计"): ["1133.14"],
    ("表6", "合计", "人员经费"): ["1123.15"],
    ("表6", "合计", "公用经费"): ["9.99"],
    ("表6", "类", "合计"): ["1022.29", "9.99", "100.86"],
    ("表6", "301", "公用经费"): [None],
    ("表6", "空", "合计"): [],
    ("表6", "重复", "合计"): ["1.00", "2.00"],
}


def resolve(ref):
    values = FACTS.get((ref.table, ref.row, ref.column), [])
    return [
        Term(None if v is None else D(v), Interval.printed(None if v is None else D(v)),
             ref.column if ref.row in ("合计", "301") else ref.row, ref)
        for v in values
    ]


def test_evaluate_sum_of_printed_values():
    result = evaluate(parse("表3[合计].基本支出 + 表3[合计].项目支出"), resolve)
    assert result.value == D("1247.22")
    assert result.interval == Interval(D("1247.21"), D("1247.23"))
    assert [(t.coefficient, t.term.value) for t in result.terms] == [(1, D("1133.14")), (1, D("114.08"))]
    assert result.terms[0].term.location == Ref("表3", "合计", "基本支出")
    assert result.explain() == "基本支出 1133.14 + 项目支出 114.08 = 1247.22"


def test_evaluate_signs_scale_and_constants():
    result = evaluate(parse("表3[合计].合计 - (表3[合计].基本支出 - 表3[合计].项目支出 * 2) + 1"), resolve)
    assert [t.coefficient for t in result.terms] == [1, -1, 2, 1]
    assert result.value == D("1247.22") - D("1133.14") + 2 * D("114.08") + 1
    assert result.interval.width == D("0.04")  # 0.01 + 0.01 + 2 × 0.01; the constant is exact
    assert result.explain() == "合计 1247.22 - 基本支出 1133.14 + 项目支出 114.08 × 2 + 1 = 343.24"


def test_evaluate_unary_minus():
    result = evaluate(parse("-表6[合计].公用经费"), resolve)
    assert result.value == D("-9.99")
    assert result.interval == Interval(D("-9.995"), D("-9.985"))
    assert result.explain() == "-公用经费 9.99 = -9.99"


def test_single_term_explains_without_total():
    assert evaluate(parse("表6[合计].合计"), resolve).explain() == "合计 1133.14"


def test_blank_cell_is_exact_zero():
    result = evaluate(parse("表6[301].公用经费"), resolve)
    assert result.value == 0 and result.interval == Interval.exact(0)
    assert result.explain() == "公用经费 空"


def test_sum_over_a_pattern():
    result = evaluate(parse("sum(表6[类].合计)"), resolve)
    assert result.value == D("1133.14")
    assert len(result.terms) == 3
    assert result.interval.width == D("0.03")


def test_sum_over_nothing_is_zero():
    result = evaluate(parse("sum(表6[空].合计)"), resolve)
    assert result.value == 0 and result.terms == () and result.interval == Interval.exact(0)
    assert result.explain() == "0"


def test_plain_ref_must_resolve_to_exactly_one():
    with pytest.raises(ResolveError) as info:
        evaluate(parse("表9[合计].合计"), resolve)
    assert "找不到 表9[合计].合计" in str(info.value)
    assert info.value.ref == Ref("表9", "合计", "合计")
    with pytest.raises(ResolveError) as info:
        evaluate(parse("表6[类].合计"), resolve)
    assert "匹配到 3 个值" in str(info.value) and "sum()" in str(info.value)
    assert isinstance(info.value, ExprError)


def test_evaluate_rejects_a_relation():
    with pytest.raises(TypeError):
        evaluate(parse("1 = 1"), resolve)


# --- check -------------------------------------------------------------------------


def test_check_total_equals_parts_on_real_numbers():
    verdict, lhs, rhs = check(parse("表3[合计].合计 = 表3[合计].基本支出 + 表3[合计].项目支出"), resolve)
    assert verdict.possible and verdict.printed_holds and verdict.difference == 0
    assert lhs.value == rhs.value == D("1247.22")


def test_check_cross_table_and_class_sum():
    verdict, _, _ = check(parse("表3[合计].基本支出 = 表6[合计].合计"), resolve)
    assert verdict.printed_holds and not verdict.fails
    verdict, _, rhs = check(parse("表6[合计].合计 = sum(表6[类].合计)"), resolve)
    assert verdict.printed_holds and rhs.value == D("1133.14")


def test_check_detects_a_mismatch_with_its_size():
    FACTS[("表6", "合计", "篡改")] = ["1133.24"]
    try:
        verdict, lhs, rhs = check(parse("表3[合计].基本支出 = 表6[合计].篡改"), resolve)
    finally:
        del FACTS[("表6", "合计", "篡改")]
    assert verdict.fails
    assert verdict.difference == D("-0.10")
    assert verdict.gap == D("0.09")


def test_check_rounding_level_difference():
    FACTS[("表6", "合计", "差一分")] = ["1133.15"]
    try:
        verdict, _, _ = check(parse("表3[合计].基本支出 = 表6[合计].差一分"), resolve)
    finally:
        del FACTS[("表6", "合计", "差一分")]
    assert verdict.possible and not verdict.printed_holds
    assert verdict.difference == D("-0.01")


def test_check_inequality_and_constant():
    verdict, _, _ = check(parse("表3[合计].项目支出 ≤ 表3[合计].合计"), resolve)
    assert verdict.holds
    verdict, _, _ = check(parse("表6[合计].公用经费 > 10"), resolve)
    assert verdict.fails and verdict.gap == D("0.005")


def test_check_needs_a_relation():
    with pytest.raises(TypeError):
        check(parse("表3[合计].合计"), resolve)


def test_absurd_nesting_is_an_error_not_a_crash():
    with pytest.raises(ExprError) as info:
        parse("(" * 5000 + "1" + ")" * 5000)
    assert "嵌套过深" in str(info.value)
    assert parse("(" * 50 + "1" + ")" * 50) == Number(D(1))


def test_parser_never_calls_eval(monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must not be used")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert render(parse("表3[合计].合计 ≥ sum(表6[类].合计) * 2 - 1")) == "表3[合计].合计 >= sum(表6[类].合计) * 2 - 1"


def test_an_optional_row_reads_as_zero_where_the_layout_does_not_print_it():
    """"收支总表[支出:年终结转结余?]": 北京 prints the row, the Xinjiang layout does not;
    a row without ? that the document lacks makes the rule not apply."""
    from pathlib import Path

    from budgetaudit.engine.resolve import FactIndex, Selector, TableAbsent
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.load import load

    assert Selector.parse("支出:年终结转结余?") == Selector("expense", "年终结转结余", True)
    sample = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "kashi-city-gov-office-2024.txt"
    if not sample.exists():
        pytest.skip("../shared/samples absent")
    index = FactIndex(extract_facts(load(sample)))
    [zero] = index(parse("收支总表[支出:年终结转结余?]"))
    assert zero.value is None and zero.interval.lo == zero.interval.hi == 0
    with pytest.raises(TableAbsent):
        index(parse("收支总表[支出:年终结转结余]"))


def test_a_row_of_a_units_block_is_found_under_that_unit_only():
    """"基本支出总表[单位›商品和服务支出]": 深圳's 基本支出表 prints each unit's row, then its
    economic classes by name, uncoded; the units are the uncoded rows of the 支出总表.
    Generated tables (figures of 深圳市水务局 2026's 本级 and the unit after it)."""
    from budgetaudit.engine.resolve import FactIndex, TableAbsent
    from budgetaudit.model import Facts, Row, Table

    def row(label, value, line):
        return Row(label=label, cells={"合计": D(value)}, line=line, text=label)

    units = ["深圳市水务局", "深圳市水务局（本级）", "深圳市水务工程质量安全监督站"]
    expense = Table("expense", "部门支出总表", "万元", ("合计",),
                    tuple(row(u, "1", i) for i, u in enumerate(units)), 0, 3)
    basic = Table("basic_all", "基本支出预算表", "万元", ("合计",), (
        row("深圳市水务局", "9361.16", 10),
        row("深圳市水务局（本级）", "7823.97", 11),
        row("商品和服务支出", "897.48", 12), row("办公费", "0.50", 13),
        row("对个人和家庭的补助", "1361.17", 14), row("资本性支出", "40.00", 15),
        row("深圳市水务工程质量安全监督站", "1537.19", 16),
        row("商品和服务支出", "200.29", 17), row("对个人和家庭的补助", "112.99", 18),
    ), 10, 18)
    index = FactIndex(Facts(path="x", sections=(), tables=(expense, basic)))

    def value(ref):
        return evaluate(parse(ref), index).value

    assert value("基本支出总表[深圳市水务局（本级）›商品和服务支出].合计") == D("897.48")
    assert value("基本支出总表[深圳市水务工程质量安全监督站›商品和服务支出].合计") == D("200.29")
    [term] = index(parse("基本支出总表[深圳市水务局（本级）›对个人和家庭的补助].合计"))
    assert "深圳市水务局（本级）›对个人和家庭的补助" in term.label  # which unit's, in the report
    # a unit's block that does not print the row: zero where the ref says "?", else not read
    assert value("基本支出总表[深圳市水务工程质量安全监督站›资本性支出?].合计") == 0
    with pytest.raises(TableAbsent):
        index(parse("基本支出总表[深圳市水务工程质量安全监督站›资本性支出].合计"))
    # the department's row is followed at once by its first unit's: it has no block of its own
    with pytest.raises(TableAbsent):
        index(parse("基本支出总表[深圳市水务局›对个人和家庭的补助?].合计"))
    with pytest.raises(TableAbsent):  # a unit the table does not print
        index(parse("基本支出总表[深圳市气象局›商品和服务支出?].合计"))


def test_a_narrative_figure_is_a_term_of_a_reference():
    """"说明[增人增资@12]": the amount the narrative states for 增人增资 on line 12, at its
    printed precision and placed on its page (深圳's 在职人员经费 is the unit's 工资福利支出
    less it). Generated facts (figures of 深圳市水务局 2026, p. 11)."""
    from budgetaudit.engine.expr import ResolveError
    from budgetaudit.engine.resolve import FactIndex
    from budgetaudit.model import Claim, Facts, Row, Table

    basic = Table("basic_all", "基本支出预算表", "万元", ("合计",), (
        Row(label="工资福利支出", cells={"合计": D("5525.33")}, line=3, text="工资福利支出"),), 3, 3)
    said = Claim(kind="amount", subject="增人增资", line=12, text="…增人增资 319.16 万元…",
                 values={"amount": D("319.16")}, page=11)
    index = FactIndex(Facts(path="x", sections=(), tables=(basic,), claims=(said,)))
    result = evaluate(parse("基本支出总表[工资福利支出].合计 - 说明[增人增资@12]"), index)
    assert result.value == D("5206.17")
    assert (result.interval.lo, result.interval.hi) == (D("5206.160"), D("5206.180"))  # two roundings
    [term] = index(parse("说明[增人增资@12]"))
    assert term.location.page == 11 and "增人增资" in term.label
    for missing in ("说明[增人增资@13]", "说明[在职人员经费@12]", "说明[增人增资@12].合计"):
        with pytest.raises(ResolveError):
            index(parse(missing))
