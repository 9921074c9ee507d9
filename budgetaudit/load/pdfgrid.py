"""Tables rebuilt from their ruling lines.

Horizontal and vertical rulings that touch form a grid: its column edges are
the x of the vertical rulings, its row edges the y of the horizontal ones. A
grid cell whose border with its neighbour is not drawn is merged with it, so
a header spanning columns or rows is one region. Each glyph belongs to the
region its centre falls in. A row is emitted the way the text form of a
table writes it: one cell per grid column, a spanning region's text in its
first (top-left) cell and empty cells after it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional, Sequence

from budgetaudit.load.pdftext import cell_text

SNAP = 1.5  # pt: rulings this close are one line
JOIN_GAP = 3.0  # pt: collinear pieces closer than this are one ruling
TOUCH = 3.0  # pt: a ruling ending this close to another meets it
MIN_COLUMNS = MIN_ROWS = 2
MAX_RULINGS = 2000  # per direction and page

_CODE_HEADER = ("类", "款", "项")
_TOTAL_WORDS = ("合计", "总计", "小计")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# 201 / 20103 / 2010301 / "201 03 01" / "201 3 99", then the name.
_GLUED_CODE = re.compile(r"^(\d{3})(?:\s+(\d{1,2})|(\d{2}))?(?:\s+(\d{1,2})|(\d{2}))?\s*(?=[^\d\s.,])(.+)$")


@dataclass
class Grid:
    """The ruled grid of a table region: column and row edges and the rulings drawn."""

    xs: list  # column edges, left to right
    ys: list  # row edges, top to bottom
    horizontal: list = field(repr=False, default_factory=list)
    vertical: list = field(repr=False, default_factory=list)
    anchors: dict = field(repr=False, default_factory=dict)  # cell -> its region's top-left

    def __post_init__(self) -> None:
        self._depths = [-y for y in self.ys]  # ascending, for bisect

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    def cell_at(self, x: float, y: float) -> Optional[tuple[int, int]]:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[-1] <= y <= self.ys[0]):
            return None
        column = min(bisect_right(self.xs, x) - 1, self.columns - 1)
        row = min(bisect_right(self._depths, -y) - 1, self.rows - 1)
        return self.anchors[(row, column)]

    def rows_text(self, glyphs: Sequence) -> list[list[str]]:
        """The text of every cell, row by row; covered cells of a region are ''."""
        by_region: dict = {}
        for glyph in glyphs:
            by_region.setdefault(self.cell_at(glyph.cx, glyph.cy), []).append(glyph)
        table = [[""] * self.columns for _ in range(self.rows)]
        for cell, members in by_region.items():
            if cell is not None:
                table[cell[0]][cell[1]] = cell_text(members)
        return table

    def spans_all(self, row: int, column: int) -> bool:
        """Does the region anchored at (row, column) cover the whole row?"""
        return all(self.anchors[(row, c)] == (row, column) for c in range(self.columns))


def find_grids(horizontal: list, vertical: list) -> list[Grid]:
    """The ruled tables of a page, top first. A page with more rulings than
    MAX_RULINGS is a drawing (a map, a chart), not a table."""
    hs = _merge(horizontal)
    vs = _merge(vertical)
    if len(hs) > MAX_RULINGS or len(vs) > MAX_RULINGS:
        return []
    grids = []
    for h_group, v_group in _components(hs, vs):
        grids.extend(_grids(h_group, v_group))
    return sorted(grids, key=lambda g: -g.ys[0])


def _merge(rulings: list) -> list[tuple[float, float, float]]:
    """Rulings on one line (positions within SNAP) joined where they touch."""
    merged: list[tuple[float, float, float]] = []
    ordered = sorted(rulings)
    start = 0
    while start < len(ordered):
        end = start + 1
        while end < len(ordered) and ordered[end][0] - ordered[end - 1][0] <= SNAP:
            end += 1
        line = ordered[start:end]
        pos = sum(r[0] for r in line) / len(line)
        pieces = sorted((low, high) for _, low, high in line)
        low, high = pieces[0]
        for next_low, next_high in pieces[1:]:
            if next_low > high + JOIN_GAP:
                merged.append((pos, low, high))
                low = next_low
            high = max(high, next_high)
        merged.append((pos, low, high))
        start = end
    return merged


def _components(hs: list, vs: list):
    """Groups of rulings connected by crossings or touching ends."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - TOUCH <= x <= x1 + TOUCH and y0 - TOUCH <= y <= y1 + TOUCH:
                parent[find(i)] = find(len(hs) + j)
    groups: dict = {}
    for i in range(len(hs) + len(vs)):
        groups.setdefault(find(i), []).append(i)
    for members in groups.values():
        h_group = [hs[i] for i in members if i < len(hs)]
        v_group = [vs[i - len(hs)] for i in members if i >= len(hs)]
        if h_group and v_group:
            yield h_group, v_group


def _grids(hs: list, vs: list) -> list[Grid]:
    """The grids of one group of touching rulings. Tables drawn one right
    under the other touch, but their columns differ: a new grid starts where
    neither row's set of column borders contains the other's (a header's
    borders are a subset of the body's, so a header stays with its body)."""
    xs = _edges([v[0] for v in vs] + [min(h[1] for h in hs), max(h[2] for h in hs)])
    ys = _edges([h[0] for h in hs] + [min(v[1] for v in vs), max(v[2] for v in vs)])[::-1]
    _check_size(len(xs) - 1, len(ys) - 1)
    outer = {0, len(xs) - 1}
    at_x = _spans_at(vs, xs)
    borders = [outer | {i for i, spans in enumerate(at_x) if _covered(spans, (top + bottom) / 2)}
               for top, bottom in zip(ys, ys[1:])]
    grids, start = [], 0
    for row in range(1, len(borders) + 1):
        if row == len(borders) or not (borders[row] <= borders[row - 1]
                                       or borders[row - 1] <= borders[row]):
            used = set().union(*borders[start:row])
            grid = _grid([x for i, x in enumerate(xs) if i in used], ys[start : row + 1], hs, vs)
            if grid is not None:
                grids.append(grid)
            start = row
    return grids


def _check_size(columns: int, rows: int) -> None:
    """A grid past the grid_cells limit would take minutes to read: refuse it."""
    from budgetaudit.load.pdfbudget import BudgetExceeded, current

    budget = current()
    if budget is not None and columns * rows > budget.limits.grid_cells:
        raise BudgetExceeded("grid_cells")


def _grid(xs: list, ys: list, hs: list, vs: list) -> Optional[Grid]:
    if len(xs) - 1 < MIN_COLUMNS or len(ys) - 1 < MIN_ROWS:
        return None
    grid = Grid(xs, ys, hs, vs)
    grid.anchors = _regions(grid)
    return grid


def _edges(values: list) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if edges and value - edges[-1] <= 2 * SNAP:
            continue
        edges.append(value)
    return edges


def _spans_at(rulings: list, edges: list) -> list[list[tuple[float, float]]]:
    """For each edge, the (low, high) extent of the rulings lying on it."""
    return [[(low, high) for p, low, high in rulings if abs(p - edge) <= 2 * SNAP]
            for edge in edges]


def _covered(spans: list, at: float) -> bool:
    """Does one of the rulings on an edge (its `spans`) run through `at`?"""
    return any(low - TOUCH <= at <= high + TOUCH for low, high in spans)


def _regions(grid: Grid) -> dict:
    """Each cell's region anchor: cells not parted by a drawn border merge."""
    parent = {(r, c): (r, c) for r in range(grid.rows) for c in range(grid.columns)}

    def find(cell):
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the top-left cell stays the anchor

    at_x = _spans_at(grid.vertical, grid.xs)
    at_y = _spans_at(grid.horizontal, grid.ys)
    for r in range(grid.rows):
        middle_y = (grid.ys[r] + grid.ys[r + 1]) / 2
        for c in range(grid.columns):
            middle_x = (grid.xs[c] + grid.xs[c + 1]) / 2
            if c + 1 < grid.columns and not _covered(at_x[c + 1], middle_y):
                union((r, c), (r, c + 1))
            if r + 1 < grid.rows and not _covered(at_y[r + 1], middle_x):
                union((r, c), (r + 1, c))
    return {cell: find(cell) for cell in parent}


# ---------------------------------------------------------------- code columns


def code_columns(rows: list[list[str]]) -> Optional[tuple[int, ...]]:
    """The 类/款/项 columns named by a header row, e.g. (0, 1, 2)."""
    for cells in rows:
        words = [c.replace(" ", "") for c in cells]
        for start in range(len(words) - 1):
            if words[start] == _CODE_HEADER[0] and words[start + 1] == _CODE_HEADER[1]:
                width = 3 if start + 2 < len(words) and words[start + 2] == _CODE_HEADER[2] else 2
                return tuple(range(start, start + width))
    return None


def place_codes(cells: list[str], columns: tuple[int, ...]) -> list[str]:
    """Put a code printed with its name back into the 类/款/项 columns and the
    name after them: "2010301 行政运行" in the name cell, or code and name in
    one cell merged over the code columns; a label merged over the code
    columns ("合计") moves to the name column."""
    name_at = columns[-1] + 1
    if name_at >= len(cells):
        return cells
    codes = [cells[c] for c in columns]
    if any(codes[1:]) or (codes[0] and cells[name_at]):
        return cells
    text = codes[0] or cells[name_at]
    match = _GLUED_CODE.match(text)
    placed = list(cells)
    if match is None:
        if codes[0] and _is_row_label(text, cells[name_at + 1:]):
            placed[columns[0]], placed[name_at] = "", text
        return placed
    parts = [match.group(1)] + [a or b for a, b in (match.group(2, 3), match.group(4, 5)) if a or b]
    if len(parts) > len(columns):
        return cells
    for offset, column in enumerate(columns):
        placed[column] = parts[offset] if offset < len(parts) else ""
    placed[name_at] = match.group(6).strip()
    return placed


def _is_row_label(text: str, rest: list[str]) -> bool:
    """A total's label, or any label followed by amounts (not a header cell)."""
    return text.replace(" ", "") in _TOTAL_WORDS or any(_AMOUNT.match(c.replace(" ", "")) for c in rest)
