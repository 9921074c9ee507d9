"""Lists printed beside each other: 人员经费 | 公用经费 | 公用经费 (continued).

A basic-expenditure table by economic class prints two or three lists of
(科目代码, 科目名称, 决算数) side by side to save paper; a line of the page holds
one row of each list. Each list is read down its own columns and the lists
are put one after the other, so 302 and its items stay together and every
row has the same single amount column. The closing line ("人员经费合计 …
公用经费合计 …") gives one row per printed total, each with the amount that
follows its label.
"""
from __future__ import annotations

from typing import Optional

from budgetaudit.extract.grid import CODE_TEXT, ColumnMap, numeric
from budgetaudit.extract.numbers import NotAnAmount, clean_label, compact, parse_amount
from budgetaudit.extract.specs import TableSpec
from budgetaudit.model import Line, Row


def list_starts(columns: ColumnMap) -> list[int]:
    """Where each list begins: the first code column, and every later column
    whose header repeats its header."""
    first = next((r for r in columns.roles if r.role == "code"), None)
    if first is None or not first.path:
        return []
    return [first.position] + [r.position for r in columns.roles[first.position + 1:]
                               if r.path and r.path[-1] == first.path[-1]]


def read_lists(data: list[tuple[Line, list[str]]], columns: ColumnMap, spec: TableSpec):
    """The rows of every list, list after list; (rows, column names, low confidence)."""
    starts = list_starts(columns)
    roles = {r.position - starts[0]: r for r in columns.roles
             if starts[0] <= r.position < starts[1]}
    name_at = next((o for o, r in roles.items() if r.role == "name"), 1)
    amount_at = next((o for o, r in roles.items() if r.role == "amount"), None)
    if amount_at is None:
        return [], (), False
    name = _amount_name(roles[amount_at].path, spec)
    lists: list[list[Row]] = [[] for _ in starts]
    totals: list[Row] = []
    low = False
    for line, cells in data:
        if any(compact(c).endswith("合计") for c in cells):
            totals += _total_rows(line, cells, name)
            continue
        for number, start in enumerate(starts):
            row, ok = _list_row(line, cells[start:start + amount_at + 1], name_at, amount_at, name)
            low = low or not ok
            if row is not None:
                lists[number].append(row)
    return [row for rows in lists for row in rows] + totals, (name,), low


def _amount_name(path: tuple[str, ...], spec: TableSpec) -> str:
    column = next((c for c in spec.columns if c.names_path(path[-1:])), None)
    return column.name if column else path[-1]


def _list_row(line: Line, cells: list[str], name_at: int, amount_at: int, name: str):
    cells = cells + [""] * (amount_at + 1 - len(cells))
    code = compact(cells[0])
    if not CODE_TEXT.match(code):
        return None, True
    try:
        value = parse_amount(cells[amount_at])
    except NotAnAmount:
        return Row(label=clean_label(cells[name_at]), cells={name: None}, line=line.number,
                   text=line.text, code=code, page=line.page), False
    return Row(label=clean_label(cells[name_at]), cells={name: value}, line=line.number,
               text=line.text, code=code, page=line.page), True


def _total_rows(line: Line, cells: list[str], name: str) -> list[Row]:
    """"人员经费合计 7,967.72 公用经费合计 2,266.65": each label with the first
    amount printed after it."""
    rows: list[Row] = []
    label: Optional[str] = None
    for cell in cells:
        if compact(cell).endswith("合计"):
            label = clean_label(cell)
        elif label and cell.strip() and numeric(cell):
            rows.append(Row(label=label, cells={name: parse_amount(cell)}, line=line.number,
                            text=line.text, key=label, page=line.page))
            label = None
    return rows
