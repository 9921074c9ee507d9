"""Table recognition and parsing, on the real samples and documented edits."""
import dataclasses
from decimal import Decimal

import pytest

import edits
from budgetaudit.extract.facts import extract_facts
from budgetaudit.extract.numbers import NotAnAmount, clean_label, parse_amount
from budgetaudit.load import load
from edits import KASHI, WUQIA, XINJIANG

_CACHE = {}


def facts_of(name):
    if name not in _CACHE:
        _CACHE[name] = extract_facts(load(edits.SAMPLES / f"{name}.txt"))
    return _CACHE[name]


def facts_from(tmp_path, lines, name="edited"):
    return extract_facts(load(edits.write(tmp_path, name, lines)))


def row_at(table, line, side=None):
    rows = [r for r in table.rows if r.line == line and (side is None or r.side == side)]
    assert len(rows) == 1, rows
    return rows[0]


STANDARD = ("income_expense_summary", "income", "expense", "fiscal_income_expense",
            "gpb_expense", "gpb_basic", "gpb_project", "gov_fund", "state_capital",
            "three_public", "carryover")


@pytest.mark.parametrize("name", [KASHI, XINJIANG])
def test_every_standard_table_is_found(name):
    facts = facts_of(name)
    standard = [t for t in facts.tables if t.id in STANDARD]
    assert [t.id for t in standard] == list(STANDARD)
    assert [t.number for t in standard] == list(range(1, 12))
    assert facts.missing == ()
    # the 绩效目标表 forms of 第三部分 are read too, as text rows
    forms = [t for t in facts.tables if t.id not in STANDARD]
    assert [t.id for t in forms] == ["overall_performance", "project_performance"]
    assert all(not t.columns and t.rows for t in forms)


def test_tables_by_kind_keep_every_form_in_document_order():
    # a 项目支出绩效目标表 is printed once for each project: here 喀什's one form is
    # followed by a second (the same form again, as the facts of a longer document
    # would hold it); rules ask for the first table of a kind, or for all of them
    facts = facts_of(KASHI)
    form = facts.table("project_performance")
    second = dataclasses.replace(form, start=form.start + 1000, end=form.end + 1000)
    longer = dataclasses.replace(facts, tables=facts.tables + (second,))
    kinds = longer.printed
    assert kinds["project_performance"] == (form, second)
    assert sum(len(tables) for tables in kinds.values()) == len(longer.tables) == 14
    for kind, tables in kinds.items():
        assert longer.table(kind) is tables[0] and tables[0].id == kind
    assert longer.table("no_such_table") is None
    assert len(facts.printed["project_performance"]) == 1  # the sample's own facts are unchanged


def test_a_table_listed_in_the_contents_but_absent_is_named():
    facts = facts_of(WUQIA)
    assert "gov_fund" in facts.listed
    assert facts.missing == ("gov_fund",)
    assert facts.table("gov_fund") is None


def test_titles_keep_their_department_or_unit_prefix():
    assert facts_of(KASHI).table("expense").title == "部门支出总体情况表"
    assert facts_of(WUQIA).table("expense").title == "单位支出总体情况表"


def test_a_table_without_its_number_line_is_still_recognised(tmp_path):
    lines = edits.replace_line(edits.sample_lines(KASHI), 156, "表 3", "")
    expense = facts_from(tmp_path, lines).table("expense")
    assert expense.number is None
    assert row_at(expense, 182).cells == facts_of(KASHI).table("expense").rows[-1].cells


def test_a_title_worded_differently_from_the_contents_is_recognised(tmp_path):
    title = "新疆维吾尔自治区喀什地区喀什市人民政府办公室2024年部门支出总体情况表"
    lines = edits.replace_line(edits.sample_lines(KASHI), 158, "部门支出总体情况表", title)
    expense = facts_from(tmp_path, lines).table("expense")
    assert expense.title == title and len(expense.rows) == 16


def test_contents_entries_and_narrative_mentions_are_not_tables():
    facts = facts_of(KASHI)
    assert len(facts.listed) == 11
    amounts = [t for t in facts.tables if t.columns]  # not the 绩效目标表 forms of 第三部分
    assert len(amounts) == 11
    assert all(t.start > 67 for t in amounts)  # 目录 ends before 第一部分
    assert all(t.end < 367 for t in amounts)  # 第三部分 starts at 367


def test_a_table_continued_with_a_repeated_header_keeps_every_row():
    income = facts_of(KASHI).table("income")
    assert [r.line for r in income.rows] == [133, 134, 135, 136, 137, 138, 142, 143, 144,
                                             145, 146, 147, 148, 152, 153, 154]


def test_the_column_number_row_is_not_data_and_the_total_may_stand_at_the_top():
    income = facts_of(XINJIANG).table("income")
    first = income.rows[0]
    assert first.line == 156 and first.kind == "total" and first.label == "总计"
    assert 155 not in [r.line for r in income.rows] and 173 not in [r.line for r in income.rows]
    assert facts_of(KASHI).table("income").rows[-1].kind == "total"


def test_twelve_column_income_table_maps_cells_by_the_column_numbers():
    total = facts_of(XINJIANG).table("income").rows[0]
    assert total.cells["上级一般公共预算安排的转移支付"] == Decimal("30.00")
    assert total.cells["上级国有资本经营预算安排的转移支付"] is None
    assert total.cells["财政专户（教育收费）"] == Decimal("10.84")
    assert total.cells["非财政拨款结转结余"] == Decimal("9.20")
    assert len(facts_of(KASHI).table("income").columns) == 11


def test_codes_in_separate_cells_and_abbreviated_codes():
    project = facts_of(WUQIA).table("gpb_project")
    assert row_at(project, 309).code == "2010399"  # printed "201 3 99"
    assert row_at(project, 308).code == "20103"
    assert row_at(facts_of(KASHI).table("gpb_basic"), 266).code == "30101"


def test_wrapped_numbers_and_thousands_separators():
    assert row_at(facts_of(KASHI).table("income"), 154).cells["总计"] == Decimal("1247.22")
    assert row_at(facts_of(WUQIA).table("income"), 151).cells["总计"] == Decimal("2015.18")


def test_a_wrapped_header_gives_the_same_columns(tmp_path):
    lines = edits.sample_lines(KASHI)
    wrapped = lines[149:151]  # the third page's header, words broken by spaces
    lines = lines[:130] + wrapped + lines[132:]
    edited = facts_from(tmp_path, lines).table("income")
    original = facts_of(KASHI).table("income")
    assert edited.columns == original.columns
    assert [r.cells for r in edited.rows] == [r.cells for r in original.rows]


def test_blank_cells_are_none_and_an_absent_row_is_absent():
    expense = facts_of(KASHI).table("expense")
    running = row_at(expense, 169)
    assert "项目支出" in running.cells and running.cells["项目支出"] is None
    assert running.value("项目支出") == 0
    basic = facts_of(WUQIA).table("gpb_basic")
    assert "301" not in [r.code for r in basic.rows]  # no 工资福利支出 subtotal row
    assert "302" in [r.code for r in basic.rows]


def test_project_table_grouped_by_subordinate_unit():
    project = facts_of(XINJIANG).table("gpb_project")
    groups = [r.label for r in project.rows if r.kind == "group"]
    assert groups == [
        "新疆维吾尔自治区人民政府办公厅（本级）",
        "新疆维吾尔自治区人民政府办公厅机关服务中心",
        "新疆维吾尔自治区人民政府驻广州办事处",
        "新疆维吾尔自治区人民政府驻上海办事处",
        "新疆维吾尔自治区人民政府驻西安办事处",
        "天山幼儿园",
        "新疆维吾尔自治区人民政府办公厅文印中心",  # name wrapped across a page break
    ]
    assert 401 not in [r.line for r in project.rows]
    printing = row_at(project, 404)
    assert printing.group == "新疆维吾尔自治区人民政府办公厅文印中心"
    assert printing.project == "印刷费" and printing.code == "2010399"
    assert row_at(project, 358).kind == "total" and row_at(project, 358).group is None


def test_carryover_subtotal_rows_without_a_name():
    carryover = facts_of(XINJIANG).table("carryover")
    subtotals = [r for r in carryover.rows if r.kind == "subtotal"]
    assert [(r.line, r.label, r.cells["总计"]) for r in subtotals] == [
        (470, "", Decimal("211.25")), (473, "", Decimal("29.33"))]
    assert row_at(carryover, 471).project == "2023年支持学前教育发展项目"


def test_two_sided_tables_are_read_as_two_lists():
    summary = facts_of(XINJIANG).table("income_expense_summary")
    income = [r for r in summary.rows if r.side == "income"]
    expense = [r for r in summary.rows if r.side == "expense"]
    assert len(income) == 26 and len(expense) == 31
    keys = {r.key: r for r in income}
    assert keys["财政拨款结转:一般公共预算拨款"].cells["预算数"] == Decimal("231.38")
    assert keys["一般公共预算拨款"].cells["预算数"] == Decimal("14725.46")
    assert keys["非财政拨款结转结余:单位资金"].parent == "非财政拨款结转结余"
    assert keys["本年收入"].kind == "subtotal"
    assert row_at(summary, 143, "income").kind == "total"
    assert row_at(summary, 143, "expense").cells["预算数"] == Decimal("15372.08")
    assert row_at(summary, 117, "expense").code == "205"
    fiscal = facts_of(KASHI).table("fiscal_income_expense")
    assert row_at(fiscal, 224, "expense").cells == {
        "合计": Decimal("1247.22"), "一般公共预算": Decimal("1247.22"),
        "政府性基金预算": None, "国有资本经营预算": None}


def test_empty_tables_carry_their_note():
    kashi = facts_of(KASHI)
    fund = kashi.table("gov_fund")
    assert fund.is_empty and fund.note_line == 316 and fund.note.startswith("备注")
    assert kashi.table("three_public").is_empty and kashi.table("three_public").note_line == 350
    xinjiang_fund = facts_of(XINJIANG).table("gov_fund")
    assert xinjiang_fund.rows == () and xinjiang_fund.note_line == 419
    assert not facts_of(WUQIA).table("three_public").is_empty
    assert facts_of(WUQIA).table("three_public").note is None


def test_three_public_items():
    table = facts_of(WUQIA).table("three_public")
    assert [(r.label, r.kind, r.cells["合计"]) for r in table.rows] == [
        ("合计", "total", Decimal("72.04")),
        ("因公出国（境）费", "item", None),
        ("公务接待费", "item", Decimal("2.00")),
        ("公务用车购置及运行费", "subtotal", Decimal("70.04")),
        ("公务用车购置费", "item", Decimal("50.04")),
        ("公务用车运行费", "item", Decimal("20.00")),
    ]


def test_older_nine_table_layout(tmp_path):
    facts = facts_from(tmp_path, edits.wuqia_old_layout())
    assert facts.table("carryover") is None and facts.table("state_capital") is None
    assert "carryover" not in facts.missing  # not listed in this layout's 目录
    three = facts.table("three_public")
    assert {r.label: r.cells["合计"] for r in three.rows} == {
        "合计": Decimal("72.04"), "因公出国（境）费": None, "公务用车购置及运行费": Decimal("70.04"),
        "公务用车购置费": Decimal("50.04"), "公务用车运行费": Decimal("20.00"),
        "公务接待费": Decimal("2.00")}
    summary = facts.table("income_expense_summary")
    income = {r.key: r for r in summary.rows if r.side == "income"}
    assert list(income) == ["一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款",
                            "财政专户核拨", "单位资金", "收入总计"]
    assert all(r.parent is None for r in income.values())
    assert income["单位资金"].cells["预算数"] == Decimal("1.00")


def test_unit_line_in_yuan(tmp_path):
    lines = edits.replace_line(edits.sample_lines(KASHI), 162, "单位：万元", "单位：元")
    facts = facts_from(tmp_path, lines)
    assert facts.table("expense").unit == "元"
    assert facts.table("income").unit == "万元"


@pytest.mark.parametrize("text,value", [
    ("1247.2 2", "1247.22"), ("2,015.18", "2015.18"), ("15,372.08", "15372.08"),
    ("57.80", "57.80"), ("-3.50", "-3.50"), ("0", "0"), ("1, 234.5", "1234.5"),
])
def test_parse_amount(text, value):
    parsed = parse_amount(text)
    assert parsed == Decimal(value) and str(parsed) == value


def test_a_lost_thousands_separator_still_reads():
    """上海 2026 职业能力考试院 prints "120258,600" for 120,258,600 (one separator
    lost in the PDF); the groups after a comma are still three digits."""
    assert parse_amount("120258,600") == Decimal("120258600")
    assert parse_amount("7880,000.50") == Decimal("7880000.50")


@pytest.mark.parametrize("text", ["", " ", "-", "—"])
def test_blank_cells(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["合计", "1,23.4", "12.3.4", "201 一般", "12%"])
def test_not_amounts(text):
    with pytest.raises(NotAnAmount):
        parse_amount(text)


def test_clean_label_removes_wrapping_spaces_only():
    assert clean_label("政府办公厅(室)及相关机构 事务") == "政府办公厅（室）及相关机构事务"
    assert clean_label("收 入 总 计") == "收入总计"
    assert clean_label("Project A  B") == "Project A B"


def test_a_lone_unlabelled_row_of_amounts_is_the_total(tmp_path):
    """A table of only its header and the figures of the whole (北京's 收入总表): the
    row is the 合计. Kashi's 收入总表 (lines 131-154) cut to its first header and its
    合计 row (line 154) with the word 合计 removed (a documented edit)."""
    lines = edits.sample_lines(KASHI)
    assert lines[153] == "\t\t\t合计\t1247.2 2\t1247.2 2\t1247.2 2" + "\t" * 8
    kept = lines[:132] + [lines[153].replace("合计", "")] + lines[154:]
    edited = facts_from(tmp_path, kept).table("income")
    assert [(r.kind, r.label) for r in edited.rows] == [("total", "合计")]
    [total] = [r for r in facts_of(KASHI).table("income").rows if r.kind == "total"]
    assert edited.rows[0].cells == total.cells


def test_the_end_of_a_long_name_pushed_into_the_amount_cell(tmp_path):
    """西安市科学技术局 2022 p. 52 prints "机关事业单位基本养老保险缴费" | "支 2947399.16":
    the name's last character fell into the 合计 cell. The same in Kashi's 收入总表
    (line 143, a documented edit): the row reads as published."""
    lines = edits.sample_lines(KASHI)
    assert lines[142].startswith("208\t05\t05\t机关事业单位基本养老保险缴费支出\t71.30\t")
    lines[142] = lines[142].replace("缴费支出\t71.30", "缴费支\t出 71.30", 1)
    edited = row_at(facts_from(tmp_path, lines).table("income"), 143)
    original = row_at(facts_of(KASHI).table("income"), 143)
    assert (edited.label, edited.cells) == (original.label, original.cells)


def test_an_amount_pushed_into_the_cell_before_its_column(tmp_path):
    """北京市水务局 2026 表3's 合计 row reads "合 计" | "" | "1,024,807.171785" | "" |
    "186,874.722488": the spanning word 合计 pushed the 合计 figure into the code column
    on its left. The same in Kashi's 支出总表 合计 row (a documented edit): the total is
    read as published."""
    lines = edits.sample_lines(KASHI)
    [at] = [i for i, l in enumerate(lines[160:200], 160) if l.startswith("\t\t\t合计\t1247.2")]
    cells = lines[at].split("\t")  # "", "", "", 合计, 1247.22, 1133.14, 114.08
    lines[at] = "\t".join(["", "合计", "", cells[4], ""] + cells[5:])
    edited = [r for r in facts_from(tmp_path, lines).table("expense").rows if r.kind == "total"]
    original = [r for r in facts_of(KASHI).table("expense").rows if r.kind == "total"]
    assert [r.cells for r in edited] == [r.cells for r in original]


def test_rules_read_the_first_of_two_tables_of_one_kind():
    """A document that prints a kind of table twice (a title taken for another table's,
    a table repeated in an annex): a rule's 支出总表[合计] is the first, as Facts.table
    gives. Edit: kashi's facts with a copy of 表3 whose 合计 is raised by 1, appended."""
    from dataclasses import replace

    from budgetaudit.engine.expr import Ref
    from budgetaudit.engine.resolve import FactIndex

    facts = extract_facts(load(edits.SAMPLES / f"{KASHI}.txt"))
    expense = facts.table("expense")
    copy = replace(expense, rows=tuple(
        replace(r, cells={k: (v + 1 if v is not None else v) for k, v in r.cells.items()})
        if r.kind == "total" else r for r in expense.rows))
    both = replace(facts, tables=facts.tables + (copy,))
    [term] = FactIndex(both)(Ref("支出总表", "合计", "合计"))
    [printed] = [r.cells["合计"] for r in expense.rows if r.kind == "total"]
    assert term.value == printed and both.table("expense") is expense


def test_a_column_spelling_may_leave_the_year_open():
    # 深圳's 支出总表 heads a column group "2026年政府采购项目 | 小计" one year, "2025年…" the
    # year before: "{年}" in a spelling is any year, and nothing else
    from budgetaudit.extract.specs import Column

    column = Column("政府采购项目", ("{年}政府采购项目›小计",))
    assert column.names_path(("2026年政府采购项目", "小计"))
    assert column.names_path(("支出", "2025年政府采购项目", "小计"))
    assert not column.names_path(("政府采购项目", "小计"))
    assert not column.names_path(("2026年度政府采购项目", "小计"))
    assert not column.names_path(("2026年政府采购项目", "其中：预留给中小企业"))
