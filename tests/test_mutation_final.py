"""Mutation coverage of the 决算 documents of ../shared/corpus (tests/mutation.py).

Each table cell that takes part in a relation is raised, one at a time, on the
facts read from the PDF, and the rule set must report a new error naming it.

Two steps are measured. One unit of the cell's last printed digit (0.01 万元)
is what a slip of the last digit does; relations are judged on intervals
(every printed amount is a rounded one), so such a change is an error only
where it exceeds what rounding allows: between two cells (a = b), not in a sum
of three or more, where it is reported as a rounding difference (info). That
share is printed, not asserted. A hundred units (1.00 万元) no rounding can
hide: there coverage must be complete but for the exceptions listed.
One document runs by default; all of them with -m slow.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from final_docs import CENTRAL, FOSHAN, PUTUO_PLAN, PUTUO_SOCIAL, XIAN, facts_of, needs_corpus
from mutation import analyse, describe, hundred_units, one_unit, undetected

pytestmark = needs_corpus
TARGET = 0.99

# Cells whose +1.00 no error reports, with the reason: (document, table, row) -> why.
EXCEPTIONS: dict = {}


@lru_cache(maxsize=None)
def analysis(name: str):
    return analyse(name, facts_of(name))


def coverage(name: str, capsys) -> list:
    found = analysis(name)
    total = len(found.participating)
    missed = undetected(found, step=hundred_units)
    last_digit = undetected(found, step=one_unit)
    reported = undetected(found, step=one_unit, severities=("error", "info", "warning"))
    with capsys.disabled():
        print(f"\n决算 mutation {name}: {len(found.cells)} cells, {total} in a relation; "
              f"+1.00: {total - len(missed)}/{total} errors ({100 * (total - len(missed)) / total:.1f}%); "
              f"+1 last digit: {total - len(last_digit)}/{total} errors "
              f"({100 * (total - len(last_digit)) / total:.1f}%), "
              f"{total - len(reported)}/{total} any finding ({100 * (total - len(reported)) / total:.1f}%)")
    assert total > 50
    unexplained = [describe(found, loc) for loc in missed
                   if (name, loc.table, loc.row) not in EXCEPTIONS]
    assert unexplained == []
    assert (total - len(missed)) / total >= TARGET
    return missed


def test_mutation_coverage_one_final_account(capsys):
    coverage(PUTUO_SOCIAL, capsys)


@pytest.mark.slow
@pytest.mark.parametrize("name", [CENTRAL, FOSHAN, PUTUO_PLAN, XIAN])
def test_mutation_coverage_every_final_account(name, capsys):
    coverage(name, capsys)
