"""Mutation coverage of table cells, for any document read into Facts.

Extract the facts once, run every rule once with instrumentation to learn which
table cells take part in at least one relation (and through which rules and
tables), then raise each such cell in the frozen Facts and ask whether the rule
set reports a new finding naming that very cell.

Speed: a raised cell can only change the relations it takes part in, so each
mutation is checked with the rules (and tables) of those relations, on two
processes when the platform can fork.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Optional

from budgetaudit.engine import load_rules
from budgetaudit.engine.expr import ExprError
from budgetaudit.engine.outcome import Outcome
from budgetaudit.engine.resolve import FactIndex, TableAbsent, cell_term
from budgetaudit.engine.run import _outcomes, check_facts
from budgetaudit.extract.specs import spec_of
from budgetaudit.model import Facts, Location

ONE = Decimal("1.00")
HUNDREDTH = Decimal("0.01")


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
        spec = spec_of(table)
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
    spec = spec_of(table)
    code = location.row
    return [cell_term(table, spec, row, location.column).location for row in table.rows
            if row.code and row.code.startswith(code) and len(row.code) == len(code) + 2]


def cells_under(location, facts: Facts, cells: dict) -> list:
    """The rows a blank block of a two-sided side stands over (checks._heading): raised,
    they make it a heading, and the sums it is part of take them instead."""
    from budgetaudit.engine.checks import _children

    cell = cells.get(location) if isinstance(location, Location) else None
    if cell is None or cell.value is not None:
        return []
    table = facts.tables[cell.table]
    row = table.rows[cell.row]
    if row.side is None:
        return []
    side = [r for r in table.rows if r.side == row.side]
    children = _children(side)
    spec = spec_of(table)
    found, pending = [], list(children.get(id(row), ()))
    while pending:
        child = pending.pop()
        found.append(cell_term(table, spec, child, cell.column).location)
        pending.extend(children.get(id(child), ()))
    return [c for c in found if c in cells]


def outcomes(rule, index: FactIndex) -> list:
    """The relations a rule evaluates, the way run.py evaluates them."""
    try:
        return [o for o in _outcomes(rule, index) if isinstance(o, Outcome)]
    except (TableAbsent, ExprError):
        return []


def new_errors(facts: Facts, rules, baseline) -> list:
    return new_findings(facts, rules, baseline, ("error",))


def new_findings(facts: Facts, rules, baseline, severities) -> list:
    return [f for f in check_facts(facts, rules)
            if f.severity in severities and (f.rule, f.message) not in baseline]


def analyse(name: str, facts: Facts) -> Analysis:
    """Which rules (and tables) each table cell of the facts takes part in."""
    rules = tuple(load_rules())
    found = Analysis(name, facts, rules, cells_of(facts))
    index = FactIndex(facts)
    for rule in rules:
        for outcome in outcomes(rule, index):
            terms = outcome.lhs.terms + outcome.rhs.terms
            involved = [c for t in terms for c in cells_behind(t.term.location, facts, found.cells)]
            involved += [c for t in terms for c in cells_under(t.term.location, facts, found.cells)]
            # every table the relation reads, also one whose row is unprinted (a zero term)
            tables = {t.term.location.table for t in terms
                      if isinstance(t.term.location, Location) and t.term.location.table}
            for location in involved:
                found.codes[location].add(rule.code)
                found.tables[(location, rule.code)] |= tables
    found.baseline = frozenset((f.rule, f.message) for f in check_facts(facts, rules))
    return found


# ---------------------------------------------------------------- facts-level mutation


def one_unit(cell: Cell) -> Decimal:
    """One unit of the cell's last printed digit (0.01 for 236.63, 1 for 2366300
    元); a blank cell of a table printed to two decimals gets 0.01."""
    if cell.value is None:
        return HUNDREDTH
    return Decimal(1).scaleb(min(cell.value.as_tuple().exponent, 0))


def hundred_units(cell: Cell) -> Decimal:
    """A change no rounding can hide: 1.00 for a 万元 table (100 of its last digit)."""
    return one_unit(cell) * 100


def raised(facts: Facts, cell: Cell, step=lambda cell: ONE) -> Facts:
    table = facts.tables[cell.table]
    row = table.rows[cell.row]
    value = step(cell) if cell.value is None else cell.value + step(cell)
    row = replace(row, cells={**row.cells, cell.column: value})
    table = replace(table, rows=table.rows[:cell.row] + (row,) + table.rows[cell.row + 1:])
    return replace(facts, tables=facts.tables[:cell.table] + (table,) + facts.tables[cell.table + 1:])


def errors_naming(found: Analysis, location: Location, fast: bool = True,
                  step=lambda cell: ONE, severities=("error",)) -> set:
    """(rule, message) of the new findings (errors by default) naming the cell
    once it is raised by step (1.00 by default)."""
    mutated = raised(found.facts, found.cells[location], step)
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
            for f in new_findings(facts, rules, found.baseline, severities) if location in f.locations}


_JOB: Optional[tuple] = None  # (analysis, step, severities), inherited by forked workers


def _detected(i: int) -> bool:
    found, step, severities = _JOB
    return bool(errors_naming(found, found.participating[i], step=step, severities=severities))


def undetected(found: Analysis, step=lambda cell: ONE, severities=("error",)) -> tuple:
    """Participating cells whose raise by step no new finding of those severities names."""
    global _JOB
    _JOB = (found, step, severities)
    positions = range(len(found.participating))
    flags = None
    if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        try:
            with multiprocessing.get_context("fork").Pool(2) as pool:
                flags = pool.map(_detected, positions, chunksize=32)
        except OSError:  # no semaphores in this sandbox: fall back to one process
            flags = None
    if flags is None:
        flags = [_detected(i) for i in positions]
    return tuple(loc for loc, flag in zip(found.participating, flags) if not flag)


def describe(found: Analysis, location: Location) -> str:
    return (f"line {location.line} {location.table} {location.row} {location.column} "
            f"= {found.cells[location].value} (rules {sorted(found.codes[location])})")
