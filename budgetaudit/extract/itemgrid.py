"""Item tables printed across: the items in the header, the amounts below.

The 决算 三公 table prints its items (合计, 因公出国（境）费, 公务用车…) as
column headers, each with a 预算数 and a 决算数 column under it (or the two
measures over the items, or one row per measure with the items across). Each
amount cell is named by the item and the measure found on its header path and
its row label, and the table is read as one row per item with one column per
measure, so rules say 三公经费决算表[公务接待费].决算数 whatever the layout.
"""
from __future__ import annotations

from typing import Optional

from budgetaudit.extract.coded import table_rows
from budgetaudit.extract.grid import drop_empty_columns, header_paths, is_numbering_row, numeric
from budgetaudit.extract.numbers import NotAnAmount, compact, parse_amount
from budgetaudit.extract.tables import Block
from budgetaudit.model import Row

_VEHICLES = "公务用车购置及运行费"
_LEAVES = {"小计": _VEHICLES, "购置费": "公务用车购置费",
           "运行费": "公务用车运行费", "运行维护费": "公务用车运行费"}


def parse_item_grid(block: Block):
    from budgetaudit.extract.sided import _item_kind

    measures = block.spec.columns
    lines = list(table_rows(block.lines))
    grid = drop_empty_columns([cells for _, cells in lines])
    first = next((i for i, cells in enumerate(grid) if _is_data(cells)), len(grid))
    paths = header_paths(grid[:first], max((len(c) for c in grid), default=0))
    found: dict[str, dict] = {}
    where: dict[str, tuple] = {}
    low = False
    for (line, _), cells in zip(lines[first:], grid[first:]):
        if is_numbering_row(cells) or not _is_data(cells):
            continue
        label = "" if numeric(cells[0]) else compact(cells[0])
        for pos, cell in enumerate(cells):
            if pos == 0 and label:
                continue  # a blank cell under an item is a blank amount, not a missing item
            words = (paths[pos] if pos < len(paths) else ()) + (label,)
            item, measure = item_of_path(words), _measure(words, measures)
            if item is None or measure is None:
                continue
            try:
                value = parse_amount(cell)
            except NotAnAmount:
                value, low = None, True
            found.setdefault(item, {})[measure] = value
            where.setdefault(item, (line.number, line.text, line.page))
    rows = [Row(label=item, cells={m.name: cells.get(m.name) for m in measures}, line=where[item][0],
                text=where[item][1], kind=_item_kind(item), key=item, page=where[item][2])
            for item, cells in found.items()]
    return rows, tuple(m.name for m in measures), low


def _is_data(cells: list[str]) -> bool:
    """A row of amounts, perhaps under a label (预算数, 决算数)."""
    rest = cells[1:] if cells and not numeric(cells[0]) else cells
    return any(numeric(c) for c in rest) and all(numeric(c) or not c.strip() for c in rest)


def item_of_path(words: tuple[str, ...]) -> Optional[str]:
    """The most specific item the header path names: 小计 under 公务用车… is the
    vehicle subtotal, a 小计 or 合计 above every item is the total."""
    from budgetaudit.extract.sided import _item_name

    found = None
    for word in map(compact, words):
        if not word:
            continue
        if found == _VEHICLES and word in _LEAVES:
            found = _LEAVES[word]
        elif found is None and word in ("小计", "合计"):
            found = "合计"
        else:
            found = _item_name(word) or found
    return found


def _measure(words: tuple[str, ...], measures) -> Optional[str]:
    """预算数 or 决算数 from the header path or the row label; a table that
    prints one measure only is the last (决算数)."""
    for word in words:
        column = next((m for m in measures if m.matches(compact(word))), None)
        if column is not None:
            return column.name
    return measures[-1].name if measures else None
