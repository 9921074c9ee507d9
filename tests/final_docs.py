"""The 决算 documents of ../shared/corpus, read once per test run.

Tests that use them skip when the corpus is absent (it is kept beside the
project, never in it). Cells are named as a reader names them: table id,
row (key, code or label, with 收入:/支出: for two-sided tables) and column.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from budgetaudit.model import Facts

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")

CENTRAL = "central-2024-js-bm-xinfangju-a428"
FOSHAN = "foshan-2019-js-bm-guidaojiaotongju-8332"
PUTUO_PLAN = "shanghai-putuo-2024-js-bm-guihuaheziranziyuanju-560c"
PUTUO_SOCIAL = "shanghai-putuo-2024-js-bm-weishehuigongzuobu-36c8"
TEMPLATE = "shanghai-putuo-2024-other-bm-xxju-template-bff8"
XIAN = "xian-2022-js-bm-weishengjiankangweiyuanhui-32ad"
REAL = (CENTRAL, FOSHAN, PUTUO_PLAN, PUTUO_SOCIAL, XIAN)
ALL = REAL + (TEMPLATE,)
SIDES = {"收入": "income", "支出": "expense"}


@lru_cache(maxsize=None)
def facts_of(name: str) -> Facts:
    return extract_facts(load(CORPUS / f"{name}.pdf"))


def find_row(facts: Facts, table_id: str, row: str):
    """(table index, row index) of the row a case names."""
    side, _, name = row.rpartition("|")
    t = next(i for i, t in enumerate(facts.tables) if t.id == table_id)
    for r, candidate in enumerate(facts.tables[t].rows):
        if side and candidate.side != SIDES[side]:
            continue
        if name in (candidate.key, candidate.code, candidate.label):
            return t, r
    raise LookupError(f"{table_id} has no row {row!r}")


def edited(facts: Facts, table_id: str, row: str, column: str, old, new) -> Facts:
    """The facts with one cell changed from old (None: blank) to new, as the
    documented edit of a case says; the old value must be what is printed."""
    t, r = find_row(facts, table_id, row)
    table = facts.tables[t]
    target = table.rows[r]
    old = None if old is None else Decimal(str(old))
    assert target.cells.get(column) == old, (table_id, row, column, target.cells.get(column))
    target = replace(target, cells={**target.cells, column: Decimal(str(new))})
    table = replace(table, rows=table.rows[:r] + (target,) + table.rows[r + 1:])
    return replace(facts, tables=facts.tables[:t] + (table,) + facts.tables[t + 1:])
