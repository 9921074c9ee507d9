"""Tables printed in 元 are compared in 万元 with the rest of the document."""
from decimal import Decimal

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load

RULES = load_rules()


def kashi_expense_table_in_yuan() -> list[str]:
    """kashi with 表3 (lines 167-182) restated in 元: its unit line says 元 and every
    amount is × 10000, as some provinces print their tables."""
    lines = edits.replace_line(edits.sample_lines(edits.KASHI), 162, "单位：万元", "单位：元")
    for number in range(167, 183):
        cells = lines[number - 1].split("\t")
        lines[number - 1] = "\t".join(
            str((Decimal(c) * 10000).quantize(Decimal("0.01"))) if "." in c else c for c in cells)
    return lines


def errors(tmp_path, lines, name="yuan"):
    facts = extract_facts(load(edits.write(tmp_path, name, lines)))
    return [f for f in check_facts(facts, RULES) if f.severity == "error"]


def test_a_table_in_yuan_agrees_with_the_tables_in_wan(tmp_path):
    lines = kashi_expense_table_in_yuan()
    assert lines[166].split("\t")[4] == "9846200.00"
    assert [f.rule for f in errors(tmp_path, lines)] == ["H806"]  # as published


def test_a_hundred_yuan_off_is_an_error(tmp_path):
    lines = kashi_expense_table_in_yuan()
    lines[180] = lines[180].replace("578000.00", "578100.00")  # 2210201 住房公积金
    found = [f for f in errors(tmp_path, lines) if f.rule != "H806"]
    assert {f.rule for f in found} == {"A102", "B205"}
    b205 = next(f for f in found if f.rule == "B205")
    assert str(b205.actual) == "57.80" and str(b205.expected) == "57.81"


KASHI_454 = ("公用经费 9.99 万元，主要包括：办公费、水费、电费、邮电费、差旅费、其他商品和服务支出等。")


def test_a_narrative_amount_in_yuan_is_compared_in_wan(tmp_path):
    lines = edits.sample_lines(edits.KASHI)
    lines = edits.replace_line(lines, 454, KASHI_454, KASHI_454.replace("9.99 万元", "99900 元"))
    assert [f.rule for f in errors(tmp_path, lines)] == ["H806"]  # as published
    lines[453] = lines[453].replace("99900 元", "99800 元")
    found = [f for f in errors(tmp_path, lines, "yuan-off") if f.rule == "D401"]
    assert len(found) == 1 and found[0].locations[0].line == 454
    assert str(found[0].actual) == "9.98" and str(found[0].expected) == "9.99"
