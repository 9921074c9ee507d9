"""Mutation coverage of table cells (DESIGN.md, "Testing habits").

For each real sample: extract the facts once, run every rule once with
instrumentation to learn which table cells take part in at least one relation,
then raise each such cell by 1.00 (a blank cell becomes 1.00) in the frozen
Facts and assert that the rule set reports a new error naming that very cell.
Cells that take part in no relation are listed below with the reason.

A sample of cells of every table is also mutated in the text itself, re-read
through load and extract, to prove that the extraction path carries a retyped
number through to the rules.

Speed: a raised cell can only change the relations it takes part in, so each
mutation is checked with the rules (and tables) of those relations, on two
processes when the platform can fork. test_fast_mutation_agrees_with_full_check
verifies on a spread of cells that this gives exactly the new errors a full
check_facts with every rule and table gives.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

import pytest

import edits
from budgetaudit.extract.facts import extract_facts
from budgetaudit.extract.numbers import NotAnAmount, parse_amount
from budgetaudit.load import load
from budgetaudit.model import Facts
from edits import KASHI, WUQIA, XINJIANG
from mutation import (
    ONE, Analysis, Cell, _order, analyse, cells_of, describe, errors_naming, new_errors,
)
from mutation import undetected as undetected_cells

SAMPLES = (KASHI, WUQIA, XINJIANG)
SHORT = {KASHI: "kashi", WUQIA: "wuqia", XINJIANG: "xinjiang"}
TEXT_CELLS_PER_TABLE = 3
SPOT_CHECK_EVERY = 37  # cells between two full-check comparisons

# Cells that take part in no relation: (table id, column) -> (lines, reason).
OUTSIDE_EVERY_RELATION = {KASHI: {}, WUQIA: {}, XINJIANG: {}}


@lru_cache(maxsize=None)
def analysis(name: str) -> Analysis:
    return analyse(name, extract_facts(load(edits.SAMPLES / f"{name}.txt")))


@lru_cache(maxsize=None)
def undetected(name: str) -> tuple:
    """Participating cells whose +1.00 no error reports."""
    return undetected_cells(analysis(name))


@pytest.mark.parametrize("name", SAMPLES)
def test_mutation_coverage(name, capsys):
    found = analysis(name)
    missed = undetected(name)
    total = len(found.participating)
    caught = total - len(missed)
    with capsys.disabled():
        print(f"\nmutation coverage {SHORT[name]}: {caught}/{total} cells ({100 * caught / total:.1f}%)"
              f"; {len(found.cells) - total} of {len(found.cells)} cells in no relation")
    assert total > 500
    assert [describe(found, loc) for loc in missed] == []


@pytest.mark.parametrize("name", SAMPLES)
def test_cells_outside_every_relation(name):
    found = analysis(name)
    outside = defaultdict(list)
    for location in found.cells:
        if location not in found.codes:
            outside[(location.table, location.column)].append(location.line)
    expected = OUTSIDE_EVERY_RELATION[name]
    assert {k: tuple(sorted(v)) for k, v in outside.items()} == {k: v[0] for k, v in expected.items()}
    assert all(reason.strip() for _, reason in expected.values())


@pytest.mark.parametrize("name", SAMPLES)
def test_fast_mutation_agrees_with_full_check(name):
    """Rules and tables outside a cell's relations cannot report it: checked on a spread."""
    found = analysis(name)
    for location in found.participating[::SPOT_CHECK_EVERY]:
        fast = errors_naming(found, location, fast=True)
        assert fast, describe(found, location)
        assert fast == errors_naming(found, location, fast=False), describe(found, location)


# ---------------------------------------------------------------- text-level mutation


def chosen_cells(found: Analysis) -> dict:
    """Table id -> up to three cells spread over the table (first, middle, last):
    printed amounts, or blank cells when the table prints none."""
    by_table = defaultdict(list)
    for location in sorted(found.cells, key=_order):
        by_table[location.table].append(found.cells[location])
    chosen = {}
    for table_id, cells in by_table.items():
        pool = [c for c in cells if c.value is not None] or cells
        picks = [pool[0], pool[len(pool) // 2], pool[-1]]
        chosen[table_id] = list(dict.fromkeys(picks))
    return chosen


def printed(text: str, value: Decimal) -> str:
    """value as the document would print it, thousands separators kept."""
    return f"{value:,}" if "," in text else str(value)


def cell_values(facts: Facts) -> dict:
    return {loc: cell.value for loc, cell in cells_of(facts).items()}


def retype(found: Analysis, cell: Cell, tmp_path):
    """Edit the cell's number in the line text and re-extract: facts that differ
    from the published ones in exactly that cell, raised by 1.00. A line may
    print the same number in several cells, so each candidate is tried."""
    lines = edits.sample_lines(found.name)
    row = found.facts.tables[cell.table].rows[cell.row]
    assert lines[row.line - 1] == row.text
    parts = row.text.split("\t")
    published = cell_values(found.facts)
    tried = []
    for i, text in enumerate(parts):
        try:
            value = parse_amount(text)
        except NotAnAmount:
            continue
        if value != cell.value:
            continue
        new = ONE if value is None else value + 1
        edited = parts[:i] + [printed(text, new)] + parts[i + 1:]
        text_lines = edits.replace_line(lines, row.line, row.text, "\t".join(edited))
        facts = extract_facts(load(edits.write(tmp_path, found.name, text_lines)))
        values = cell_values(facts)
        changed = {loc for loc in published.keys() | values.keys()
                   if published.get(loc) != values.get(loc)}
        if changed == {cell.location} and values[cell.location] == new:
            return facts
        tried.append((i, sorted(changed, key=_order)[:3]))
    pytest.fail(f"no single text edit of line {row.line} changes only "
                f"{describe(found, cell.location)}: {tried}")


@pytest.mark.parametrize("name", SAMPLES)
def test_text_mutation_reaches_the_rules(name, tmp_path, capsys):
    found = analysis(name)
    chosen = chosen_cells(found)
    non_empty = {t.id for t in found.facts.tables if t.columns and not t.is_empty}
    assert all(len(chosen[t]) >= TEXT_CELLS_PER_TABLE for t in non_empty)
    missed, count = [], 0
    for table_id, cells in chosen.items():
        for cell in cells:
            if cell.location not in found.codes:
                continue  # listed in OUTSIDE_EVERY_RELATION
            facts = retype(found, cell, tmp_path)
            count += 1
            if not any(cell.location in f.locations for f in new_errors(facts, found.rules, found.baseline)):
                missed.append(describe(found, cell.location))
    with capsys.disabled():
        print(f"\ntext mutations {SHORT[name]}: {count - len(missed)}/{count} cells "
              f"in {len(chosen)} tables ({len(non_empty)} non-empty) reported")
    assert missed == []
    assert count >= TEXT_CELLS_PER_TABLE * len(non_empty)


# ---------------------------------------------------------------- a column named only on the header's second line


def test_upper_state_capital_transfer_column_is_checked(tmp_path):
    """表2 2050201 学前教育: 1.00 typed into 上级国有资本经营预算安排的转移支付
    without updating 财政拨款（补助）小计 498.24 must break A106."""
    lines = edits.sample_lines(XINJIANG)
    old = lines[164]
    parts = old.split("\t")
    assert parts[3] == "学前教育" and parts[11] == "" and parts[5] == "498.24"
    parts[11] = "1.00"
    lines = edits.replace_line(lines, 165, old, "\t".join(parts))
    facts = extract_facts(load(edits.write(tmp_path, XINJIANG, lines)))
    income = facts.table("income")
    row = next(r for r in income.rows if r.line == 165)
    assert row.cells["上级国有资本经营预算安排的转移支付"] == ONE  # extraction reads it
    found = new_errors(facts, analysis(XINJIANG).rules, analysis(XINJIANG).baseline)
    assert any(f.rule == "A106" and any(loc.line == 165 for loc in f.locations) for f in found)
