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

import multiprocessing
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Optional

import pytest

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.expr import ExprError
from budgetaudit.engine.outcome import Outcome
from budgetaudit.engine.resolve import FactIndex, TableAbsent, cell_term
from budgetaudit.engine.run import _outcomes, check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.extract.numbers import NotAnAmount, parse_amount
from budgetaudit.extract.specs import SPEC_BY_ID
from budgetaudit.load import load
from budgetaudit.model import Facts, Location
from edits import KASHI, WUQIA, XINJIANG

SAMPLES = (KASHI, WUQIA, XINJIANG)
SHORT = {KASHI: "kashi", WUQIA: "wuqia", XINJIANG: "xinjiang"}
ONE = Decimal("1.00")
TEXT_CELLS_PER_TABLE = 3
SPOT_CHECK_EVERY = 37  # cells between two full-check comparisons

# Cells that take part in no relation: (table id, column) -> (lines, reason).
OUTSIDE_EVERY_RELATION = {KASHI: {}, WUQIA: {}, XINJIANG: {}}


# ---------------------------------------------------------------- cells and relations


@dataclass(frozen=True)
class Cell:
    table: int  # index into Facts.tables
    row: int  # index into Table.rows
    column: str
    location: Location
    value: Optional[Decimal]


@dataclass
class Analysis:
    name: str
    facts: Facts
    rules: tuple
    cells: dict  # Location -> Cell, every cell of every table
    codes: dict = field(default_factory=lambda: defaultdict(set))  # Location -> rule codes
    tables: dict = field(default_factory=lambda: defaultdict(set))  # (Location, code) -> table ids
    baseline: frozenset = frozenset()  # (rule, message) of the published errors

    @cached_property
    def participating(self) -> list:
        """The cells of at least one relation, in document order (read once analysed)."""
        return sorted(self.codes, key=_order)


def _order(location: Location) -> tuple:
    return (location.line or 0, location.table or "", location.row or "", location.column or "")


def cells_of(facts: Facts) -> dict:
    cells = {}
    for t, table in enumerate(facts.tables):
        spec = SPEC_BY_ID[table.id]
        for r, row in enumerate(table.rows):
            for column, value in row.cells.items():
                location = cell_term(table, spec, row, column).location
                cells[location] = Cell(t, r, column, location, value)
    return cells


def cells_behind(location, facts: Facts, cells: dict) -> list:
    """The table cells a term stands for: itself, or the items of an unprinted
    class row (resolve.derived_or_zero); none for a row the table leaves out."""
    if not isinstance(location, Location):
        return []
    if location in cells:
        return [location]
    table = facts.table(location.table) if location.table else None
    if table is None or location.line is None or not location.column or not location.row:
        return []
    spec = SPEC_BY_ID[table.id]
    code = location.row
    return [cell_term(table, spec, row, location.column).location for row in table.rows
            if row.code and row.code.startswith(code) and len(row.code) == len(code) + 2]


def outcomes(rule, index: FactIndex) -> list:
    """The relations a rule evaluates, the way run.py evaluates them."""
    try:
        return [o for o in _outcomes(rule, index) if isinstance(o, Outcome)]
    except (TableAbsent, ExprError):
        return []


def new_errors(facts: Facts, rules, baseline) -> list:
    return [f for f in check_facts(facts, rules)
            if f.severity == "error" and (f.rule, f.message) not in baseline]


@lru_cache(maxsize=None)
def analysis(name: str) -> Analysis:
    facts = extract_facts(load(edits.SAMPLES / f"{name}.txt"))
    rules = tuple(load_rules())
    found = Analysis(name, facts, rules, cells_of(facts))
    index = FactIndex(facts)
    for rule in rules:
        for outcome in outcomes(rule, index):
            terms = outcome.lhs.terms + outcome.rhs.terms
            involved = [c for t in terms for c in cells_behind(t.term.location, facts, found.cells)]
            # every table the relation reads, also one whose row is unprinted (a zero term)
            tables = {t.term.location.table for t in terms
                      if isinstance(t.term.location, Location) and t.term.location.table}
            for location in involved:
                found.codes[location].add(rule.code)
                found.tables[(location, rule.code)] |= tables
    errors = check_facts(facts, rules)
    found.baseline = frozenset((f.rule, f.message) for f in errors if f.severity == "error")
    return found


# ---------------------------------------------------------------- facts-level mutation


def raised(facts: Facts, cell: Cell) -> Facts:
    table = facts.tables[cell.table]
    row = table.rows[cell.row]
    value = ONE if cell.value is None else cell.value + ONE
    row = replace(row, cells={**row.cells, cell.column: value})
    table = replace(table, rows=table.rows[:cell.row] + (row,) + table.rows[cell.row + 1:])
    return replace(facts, tables=facts.tables[:cell.table] + (table,) + facts.tables[cell.table + 1:])


def errors_naming(found: Analysis, location: Location, fast: bool = True) -> set:
    """(rule, message) of the new errors naming the cell once it is raised by 1.00."""
    mutated = raised(found.facts, found.cells[location])
    if not fast:
        runs = [(mutated, found.rules)]
    else:  # each rule of the cell's relations, on the tables of those relations only
        runs = []
        for rule in found.rules:
            if rule.code in found.codes[location]:
                keep = found.tables[(location, rule.code)]
                runs.append((replace(mutated, tables=tuple(t for t in mutated.tables if t.id in keep)),
                             [rule]))
    return {(f.rule, f.message) for facts, rules in runs
            for f in new_errors(facts, rules, found.baseline) if location in f.locations}


_JOB: Optional[Analysis] = None  # inherited by forked workers


def _detected(i: int) -> bool:
    return bool(errors_naming(_JOB, _JOB.participating[i]))


@lru_cache(maxsize=None)
def undetected(name: str) -> tuple:
    """Participating cells whose +1.00 no error reports."""
    global _JOB
    _JOB = analysis(name)
    positions = range(len(_JOB.participating))
    flags = None
    if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        try:
            with multiprocessing.get_context("fork").Pool(2) as pool:
                flags = pool.map(_detected, positions, chunksize=32)
        except OSError:  # no semaphores in this sandbox: fall back to one process
            flags = None
    if flags is None:
        flags = [_detected(i) for i in positions]
    return tuple(loc for loc, flag in zip(_JOB.participating, flags) if not flag)


def describe(found: Analysis, location: Location) -> str:
    return (f"line {location.line} {location.table} {location.row} {location.column} "
            f"= {found.cells[location].value} (rules {sorted(found.codes[location])})")


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
