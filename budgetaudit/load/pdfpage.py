"""One upright page to the lines a reader sees, tables written as text tables.

Glyphs inside a ruled grid become the grid's rows (cells joined by tabs, as
the text form of a disclosure prints them); the other glyphs become lines by
baseline. Both are put in reading order by their top edge. Lines of text that
line up in columns without any ruling are read as a table too, but only as a
fallback, and marked low-confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from budgetaudit.load.pdfdevice import PageContent
from budgetaudit.load.pagenumber import PAGE_NUMBER
from budgetaudit.load.pdfgrid import Grid, code_columns, find_grids, place_codes
from budgetaudit.load.pdftext import CELL_GAP, Fragment, baseline_rows, fragments

# Lines of a table head or foot that are not table cells.
_CAPTION = re.compile(r"^(?:编制(?:部门|单位)|(?:金额)?单位\s*[:：]|备\s*注|注\s*[:：])")
MARGIN = 0.12  # page numbers stand in the outer 12 % of the page height
# An amount as tables print it: decimals or thousands separators (not a page number).
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$|^-?\d{1,3}(?:,\d{3})+$")
MIN_SPACED_ROWS = 3  # lines in a row with columns before they count as a table
WIDE_LINE = 10  # characters: lines this long show where the text block's edges are
WRAP_SLACK = 1.5  # sizes: a line ending this close to the right edge is full
INDENT = 0.5  # sizes: a line starting further right than this is indented


@dataclass(frozen=True)
class PageLine:
    """A line of the page. For running text, `full` says it reaches the right
    edge of the text block and `indented` that it starts right of the left one:
    a full line followed by one that is not indented is a wrapped paragraph."""

    text: str
    top: float
    low_confidence: bool = False
    table: bool = False
    full: bool = False
    indented: bool = False


class TableMemory:
    """What a table continued on the next page without its header still needs:
    where its 类/款/项 code columns are."""

    def __init__(self) -> None:
        self.codes: Optional[tuple[int, ...]] = None
        self.width = 0

    def codes_for(self, rows: list[list[str]], width: int, continued: bool):
        found = code_columns(rows)
        if found is not None or not continued:
            self.codes, self.width = found, width
            return found
        return self.codes if width == self.width else None


def page_lines(page: PageContent, memory: TableMemory) -> list[PageLine]:
    grids = find_grids(page.horizontal, page.vertical)
    members: list[list] = [[] for _ in grids]
    free = []
    for glyph in page.glyphs:
        x, y = glyph.cx, glyph.cy
        for index, grid in enumerate(grids):
            if grid.xs[0] <= x <= grid.xs[-1] and grid.ys[-1] <= y <= grid.ys[0]:
                members[index].append(glyph)
                break
        else:
            free.append(glyph)
    lines = _text_lines(free)
    for index, (grid, glyphs) in enumerate(zip(grids, members)):
        # the first thing on its page: the table of the page before, continued
        continued = index == 0 and not any(line.top > grid.ys[0] and not _furniture(line)
                                           for line in lines)
        lines.extend(_grid_lines(grid, glyphs, memory, continued))
    lines.sort(key=lambda line: -line.top)
    return _without_page_numbers(lines, page.height)


def _grid_lines(grid: Grid, glyphs: list, memory: TableMemory, continued: bool) -> list[PageLine]:
    rows = grid.rows_text(glyphs)
    codes = memory.codes_for(rows, grid.columns, continued)
    kinds = [_row_kind(grid, r, cells) for r, cells in enumerate(rows)]
    body = [r for r, kind in enumerate(kinds) if kind == "row"]
    lines = []
    for r, cells in enumerate(rows):
        top = grid.ys[r]
        if kinds[r] == "empty":
            continue
        if kinds[r] == "caption" and (not body or r < body[0] or r > body[-1]):
            lines.extend(PageLine(cell, top) for cell in cells if cell)
            continue
        if codes is not None:
            cells = place_codes(cells, codes)
        lines.append(PageLine("\t".join(cells), top, table=True))
    return lines


def _row_kind(grid: Grid, row: int, cells: list[str]) -> str:
    """'empty', 'caption' (a title, unit or note line ruled into the table) or 'row'."""
    filled = [c for c, text in enumerate(cells) if text]
    if not filled:
        return "empty"
    if len(filled) == 1 and grid.spans_all(row, filled[0]):
        return "caption"
    if all(_CAPTION.match(cells[c]) for c in filled):
        return "caption"
    return "row"


def _text_lines(glyphs: list) -> list[PageLine]:
    """Lines of running text, split where a wide gap parts them; runs of lines
    that fall into columns are written as table rows (low confidence)."""
    coarse, fine = [], []
    for row in baseline_rows(glyphs):
        pieces = fragments(row)
        if pieces:
            coarse.append(pieces)
            fine.append(fragments(row, CELL_GAP) if len(row) > 1 else pieces)
    left, right = _text_block(coarse)
    lines: list[PageLine] = []
    start = 0
    while start < len(coarse):
        end = start
        while end < len(fine) and len(fine[end]) > 1 and not _CAPTION.match(fine[end][0].text):
            end += 1
        if end - start and _tabular(fine[start:end]):
            lines.extend(_spaced_table(fine[start:end]))
            start = end
            continue
        end = max(end, start + 1)
        for pieces in coarse[start:end]:
            lines.extend(_running(piece, pieces, left, right) for piece in pieces)
        start = end
    return lines


def _text_block(rows: list[list[Fragment]]) -> tuple[float, float]:
    """Left and right edge of the running text."""
    pieces = [p for row in rows for p in row if len(p.text) >= WIDE_LINE]
    if not pieces:
        return 0.0, 0.0
    return min(p.x0 for p in pieces), max(p.x1 for p in pieces)


def _running(piece: Fragment, row: list[Fragment], left: float, right: float) -> PageLine:
    size = piece.size
    full = piece is row[-1] and right > left and piece.x1 >= right - WRAP_SLACK * size
    indented = piece is not row[0] or piece.x0 > left + INDENT * size
    return PageLine(piece.text, piece.top, full=full, indented=indented)


def _tabular(run: list[list[Fragment]]) -> bool:
    with_amounts = sum(1 for row in run if any(_AMOUNT.match(p.text) for p in row))
    return len(run) >= MIN_SPACED_ROWS and with_amounts * 2 >= len(run)


def _spaced_table(run: list[list[Fragment]]) -> list[PageLine]:
    """Rows of fragments placed in columns found from the narrowest pieces:
    a piece that overlaps two columns spans them and goes to the first."""
    columns: list[list[float]] = []
    for piece in sorted((p for row in run for p in row), key=lambda p: p.x1 - p.x0):
        hit = [c for c in columns if piece.x0 <= c[1] and piece.x1 >= c[0]]
        if not hit:
            columns.append([piece.x0, piece.x1])
        elif len(hit) == 1:
            hit[0][0], hit[0][1] = min(hit[0][0], piece.x0), max(hit[0][1], piece.x1)
    columns.sort()
    lines = []
    for row in run:
        cells = [""] * len(columns)
        for piece in row:
            index = next((i for i, c in enumerate(columns) if piece.x0 <= c[1] and piece.x1 >= c[0]), 0)
            cells[index] = f"{cells[index]} {piece.text}".strip()
        lines.append(PageLine("\t".join(cells), max(p.top for p in row), low_confidence=True,
                              table=True))
    return lines


def _furniture(line: PageLine) -> bool:
    return "\t" not in line.text and bool(PAGE_NUMBER.match(line.text))


def _without_page_numbers(lines: list[PageLine], height: float) -> list[PageLine]:
    """The page without its printed page number (first or last line, in the margin)."""
    if lines and _furniture(lines[-1]) and lines[-1].top <= MARGIN * height:
        lines = lines[:-1]
    if lines and _furniture(lines[0]) and lines[0].top >= (1 - MARGIN) * height:
        lines = lines[1:]
    return lines
