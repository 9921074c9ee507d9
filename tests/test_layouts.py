"""Layout-independent reading: columns by header, the vocabulary, the misread
gate, two-file publications and web pages.

Fixtures are the real kashi sample with one documented edit each (built here,
from samples/), or generated from it (the HTML rendition says how).
"""
import html
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import edits
import golden_tools
from budgetaudit.cli import app
from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract import specs
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from budgetaudit.pairing import Paired, load_input, pair_files
from edits import KASHI

# 表3 (部门支出总体情况表) of kashi: header lines 164-166, data lines 167-182.
EXPENSE_HEADER = range(164, 167)
EXPENSE_DATA = range(167, 183)


def kashi() -> list[str]:
    return edits.sample_lines(KASHI)


def facts_of(tmp_path, lines, name="edited"):
    return extract_facts(load(edits.write(tmp_path, name, lines)))


def findings_of(facts):
    return check_facts(facts, load_rules())


def edit_cells(lines, numbers, change):
    lines = list(lines)
    for number in numbers:
        lines[number - 1] = "\t".join(change(lines[number - 1].split("\t")))
    return lines


@pytest.fixture(scope="module")
def original():
    facts = extract_facts(load(edits.SAMPLES / f"{KASHI}.txt"))
    return facts, findings_of(facts)


def key(finding):
    return finding.rule, finding.severity, finding.message


# ---------------------------------------------------------------- columns by header


def test_columns_printed_in_another_order_keep_their_names(tmp_path, original):
    """Edit: 基本支出 and 项目支出 change places in 表3's header and every row."""
    swap = lambda c: c[:5] + [c[6], c[5]] + c[7:]  # noqa: E731
    lines = edit_cells(kashi(), list(EXPENSE_HEADER) + list(EXPENSE_DATA), swap)
    facts = facts_of(tmp_path, lines)
    expense = facts.table("expense")
    assert expense.columns == ("合计", "项目支出", "基本支出")
    row = next(r for r in expense.rows if r.code == "2010301")
    assert row.cells["基本支出"] == Decimal("870.54") and row.cells["项目支出"] is None
    assert sorted(map(key, findings_of(facts))) == sorted(map(key, original[1]))


def test_a_column_the_vocabulary_does_not_know_is_kept_under_its_header(tmp_path, original):
    """Edit: 表3 gains a column "其中：政府采购": 12.00 in 行政运行, its 款, its 类
    and the 合计, blank elsewhere. The relations apply to it as to any column."""
    def add(cells):
        return cells + [""]
    lines = edit_cells(kashi(), EXPENSE_HEADER, add)
    lines[164] += "其中：政府采购"
    lines = edit_cells(lines, EXPENSE_DATA, add)
    for number in (167, 168, 169, 182):  # 201, 20103, 2010301 行政运行, 合计
        lines[number - 1] += "12.00"
    facts = facts_of(tmp_path, lines)
    expense = facts.table("expense")
    # the new column stands under the 支出预算 header that spans the amounts
    assert expense.columns == ("合计", "基本支出", "项目支出", "支出预算›其中：政府采购")
    assert next(r for r in expense.rows if r.code == "2010301").cells["支出预算›其中：政府采购"] == 12
    assert expense.explain["unmapped"] == ["支出预算›其中：政府采购"]
    assert sorted(map(key, findings_of(facts))) == sorted(map(key, original[1]))


def test_extract_explains_how_each_column_was_read():
    result = CliRunner().invoke(app, ["extract", str(edits.SAMPLES / f"{KASHI}.txt")])
    assert result.exit_code == 0
    tables = {t["id"]: t for t in json.loads(result.stdout)["tables"]}
    explain = tables["income"]["explain"]
    assert explain["vocabulary"] == "income" and explain["unit"] == "万元"
    roles = {c["header"]: (c["role"], c["name"]) for c in explain["columns"]}
    assert roles["功能分类科目编码›类"] == ("code", None)
    assert roles["功能分类科目名称"] == ("name", None)
    assert roles["财政拨款（补助）›财政拨款（补助）小计"] == ("amount", "财政拨款（补助）小计")


# ---------------------------------------------------------------- the misread gate


def test_a_table_read_with_shifted_columns_gives_one_warning_not_a_flood(tmp_path):
    """Edit: in every data row of 表3 the 合计 and 项目支出 cells change places,
    as a misaligned reading would give: most of its relations then fail."""
    swap = lambda c: c[:4] + [c[6], c[5], c[4]] + c[7:]  # noqa: E731
    lines = edit_cells(kashi(), EXPENSE_DATA, swap)
    findings = findings_of(facts_of(tmp_path, lines))
    about_expense = [f for f in findings if any(l.table == "expense" for l in f.locations)]
    assert [(f.rule, f.severity) for f in about_expense] == [("J907", "warning")]
    assert "未能可靠读取" in about_expense[0].message
    assert about_expense[0].actual > about_expense[0].expected / 2  # failed of checked


def test_a_column_whose_relations_mostly_fail_gives_one_warning(tmp_path):
    """Edit: the 合计 cell of each 款 row of 表3 (lines 168, 172, 176, 180) raised by
    1.00, as a column read against the wrong rows would give. Over the whole table
    the rules fail on a third of what they check, but in the 合计 column every 类 =
    Σ款 and 款 = Σ项 fails: the column, so the table, is not read reliably."""
    def raise_total(cells):
        return cells[:4] + [f"{Decimal(cells[4]) + 1:.2f}"] + cells[5:]

    lines = edit_cells(kashi(), [168, 172, 176, 180], raise_total)
    findings = findings_of(facts_of(tmp_path, lines))
    about_expense = [f for f in findings if any(l.table == "expense" for l in f.locations)]
    assert [(f.rule, f.severity) for f in about_expense] == [("J907", "warning")]
    assert "合计列" in about_expense[0].message


def test_a_slip_in_one_row_is_still_an_error(tmp_path):
    """Edit: one cell of 表3 (行政运行 合计 870.54 -> 871.54)."""
    lines = edit_cells(kashi(), [169], lambda c: c[:4] + ["871.54"] + c[5:])
    findings = findings_of(facts_of(tmp_path, lines))
    assert not any(f.rule == "J907" for f in findings)
    assert any(f.rule == "A103" and f.severity == "error" for f in findings)


# ---------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize("text,words", [
    ("tables:\n  - id: x\n    name: 表\n    titles: [某表]\n    colour: red\n", "第 5 行"),
    ("tables:\n  - id: x\n    name: 表\n", "titles"),
    ("tables:\n  - id: x\n    name: 表\n    titles: [某表]\n    layout: round\n", "layout"),
    ("tables:\n  - id: x\n    name: 表\n    titles: [甲表]\n  - id: x\n    name: 乙\n    titles: [乙表]\n",
     "重复"),
    ("tables:\n  - id: Bad-Id\n    name: 表\n    titles: [某表]\n", "id"),
    ("tables: [\n", "YAML"),
    ("tables:\n  - id: x\n    name: 表\n    titles: [某表]\n    columns:\n      - {spellings: [a]}\n",
     "name"),
    ("tables:\n  - id: x\n    name: 表\n    titles: [某表]\n    columns:\n"
     "      - {name: 合计, sum_of: [甲, 乙]}\n      - {name: 甲}\n", "sum_of 应为本表的其他列：乙"),
])
def test_a_broken_vocabulary_file_is_a_one_line_error(tmp_path, text, words):
    path = tmp_path / "vocab.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--vocab", str(path),
                                      str(edits.SAMPLES / f"{KASHI}.txt")])
    assert result.exit_code == 2
    message = result.output.strip()
    assert "\n" not in message and "词汇文件" in message and words in message
    assert "Traceback" not in result.output


def test_a_title_variant_added_by_the_user_is_recognised(tmp_path):
    """Edit: 表3's title reads "部门支出汇总表", a wording the shipped vocabulary lacks."""
    lines = edits.replace_line(kashi(), 158, "部门支出总体情况表", "部门支出汇总表")
    path = edits.write(tmp_path, "renamed", lines)
    before = extract_facts(load(path))
    assert before.table("expense") is None
    assert any(t.title == "部门支出汇总表" and t.explain["vocabulary"] is None for t in before.tables)
    extra = tmp_path / "mine.yaml"
    extra.write_text("tables:\n  - id: expense\n    name: 支出总表\n    titles: [支出汇总表]\n",
                     encoding="utf-8")
    try:
        specs.load_vocabulary([extra])
        after = extract_facts(load(path))
        assert after.table("expense") is not None and len(after.table("expense").rows) == 16
        assert "expense" not in after.missing
    finally:
        specs.load_vocabulary([specs.DEFAULT_VOCAB], replace_all=True)


def test_titles_are_matched_without_their_numbering_and_year():
    from budgetaudit.extract.tables import normal_title

    assert normal_title("预算05表 一般公共预算支出表") == ("一般公共预算支出表", 5)
    assert normal_title("公开03表：支出预算总表")[0] == "支出预算总表"
    assert normal_title("（七）一般公共预算支出表（按功能分类）")[0] == "一般公共预算支出表（按功能分类）"
    assert normal_title("2022年部门综合预算收支总表")[0] == "部门综合预算收支总表"
    spec = specs.spec_for_title("部门综合预算财政拨款收支总表")
    assert spec.id == "fiscal_income_expense"  # the longest title wins over 收支总表
    assert specs.spec_for_title("基本支出总表").id == "basic_all"  # not 支出总表
    assert specs.spec_for_title("一般公共预算支出明细表", "（按支出经济分类科目）").id == "gpb_economic"


# ---------------------------------------------------------------- two files, one disclosure


def split_kashi(folder: Path) -> tuple[Path, Path]:
    """kashi cut in two as Beijing publishes: 第二部分 (the tables) in one file,
    the rest (概况, 情况说明, 名词解释) in the other."""
    lines = kashi()
    start = next(i for i, l in enumerate(lines) if l.startswith("第二部分"))
    end = next(i for i, l in enumerate(lines) if l.startswith("第三部分") and i > start)
    narrative = folder / "附件1：喀什市人民政府办公室2024年部门预算情况说明.txt"
    tables = folder / "附件2：喀什市人民政府办公室2024年部门预算报表.txt"
    narrative.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    tables.write_text("\n".join(lines[start:end]), encoding="utf-8")
    return narrative, tables


def test_narrative_and_tables_files_of_one_folder_are_paired(tmp_path, original):
    narrative, tables = split_kashi(tmp_path)
    other = tmp_path / "另一单位2024年部门预算.txt"
    other.write_text("x", encoding="utf-8")
    inputs = pair_files(sorted(tmp_path.iterdir()))
    assert Paired(narrative, tables) in inputs and other in inputs and len(inputs) == 2
    facts = extract_facts(load_input(Paired(narrative, tables)))
    assert [t.id for t in facts.tables] == [t.id for t in original[0].tables]
    assert sorted(f.rule for f in findings_of(facts)) == sorted(f.rule for f in original[1])


def test_check_reports_a_pair_as_one_document(tmp_path):
    narrative, tables = split_kashi(tmp_path)
    result = CliRunner().invoke(app, ["check", "--format", "json", str(tmp_path)])
    documents = json.loads(result.stdout)["documents"]
    assert len(documents) == 1
    assert documents[0]["path"] == f"{narrative} + {tables}"
    assert documents[0]["error"] is None and documents[0]["findings"]
    unpaired = CliRunner().invoke(app, ["check", "--no-pair", "--format", "json", str(tmp_path)])
    assert len(json.loads(unpaired.stdout)["documents"]) == 2


def test_extract_reads_a_pair_with_tables_option(tmp_path):
    narrative, tables = split_kashi(tmp_path)
    result = CliRunner().invoke(app, ["extract", str(narrative), "--tables", str(tables)])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["tables"]) == 13


# ---------------------------------------------------------------- web pages


def kashi_as_html(path: Path) -> Path:
    """The kashi sample as a web page: each run of tab-separated lines becomes a
    <table> (one <tr> per line, one <td> per cell), every other line a <p>."""
    out, table = ["<html><head><meta charset='utf-8'><script>var x = '<p>';</script></head><body>"], []
    for line in kashi() + [""]:
        if "\t" in line:
            table.append(line.split("\t"))
            continue
        if table:
            out.append("<table>" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                for cells in table) + "</table>")
            table = []
        if line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    path.write_text("\n".join(out) + "</body></html>", encoding="utf-8")
    return path


def test_a_web_page_reads_like_its_text(tmp_path, original):
    facts = extract_facts(load(kashi_as_html(tmp_path / "kashi.html")))
    snapshot = [golden_tools.table_snapshot(t) for t in facts.tables if t.columns]
    expected = [golden_tools.table_snapshot(t) for t in original[0].tables if t.columns]
    strip = lambda tables: [{**t, "rows": [{k: v for k, v in r.items() if k != "line"}  # noqa: E731
                                           for r in t["rows"]], "note_line": None} for t in tables]
    assert strip(snapshot) == strip(expected)
    assert sorted(f.rule for f in findings_of(facts)) == sorted(f.rule for f in original[1])


def test_spanning_cells_of_a_web_table_stand_in_their_first_column():
    from budgetaudit.load.html import _grid_lines

    rows = [[("科目", 2, 1), ("合计", 1, 2), ("其中", 2, 1)],
            [("类", 1, 1), ("款", 1, 1), ("基本", 1, 1), ("项目", 1, 1)],
            [("201", 1, 1), ("03", 1, 1), ("5.00", 1, 1), ("3.00", 1, 1), ("2.00", 1, 1)]]
    assert _grid_lines(rows) == ["科目\t\t合计\t其中\t", "类\t款\t\t基本\t项目",
                                 "201\t03\t5.00\t3.00\t2.00"]


def test_check_takes_a_web_page(tmp_path):
    result = CliRunner().invoke(app, ["check", str(kashi_as_html(tmp_path / "kashi.html"))])
    assert result.exit_code in (0, 1) and "H806" in result.stdout


# ---------------------------------------------------------------- units


def test_a_table_in_thousands_of_yuan_is_compared_in_wan(tmp_path, original):
    """Edit: 表3 printed in 千元: its unit line reads 单位：千元 and every amount
    is ten times the printed 万元 figure. Nothing new may be found."""
    lines = edits.replace_line(kashi(), 162, "单位：万元", "单位：千元")
    lines = edit_cells(lines, EXPENSE_DATA,
                       lambda c: c[:4] + [str(Decimal(x) * 10) if x else x for x in c[4:]])
    facts = facts_of(tmp_path, lines)
    assert facts.table("expense").unit == "千元"
    errors = lambda found: sorted(f.rule for f in found if f.severity == "error")  # noqa: E731
    assert errors(findings_of(facts)) == errors(original[1])
