"""Tables keyed by classification codes (表2, 3, 5, 6, 8, 9) and project lists
(表7, 表11).

Text conversion keeps one tab-separated cell per column, so a row is read by
position: the header says where the name column is, the amounts start after
it (after the 项目名称 column in 表7). The header may repeat on every page and
is re-read each time; a "※ ※ 1 2 3" row only numbers the columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from budgetaudit.extract.numbers import NotAnAmount, compact, parse_amount
from budgetaudit.extract.specs import Column, TableSpec
from budgetaudit.model import Line, Row

TOTAL_LABELS = ("合计", "总计")
_HEADER_CELLS = {"类", "款", "项", "※"}
_HEADER_WORDS = ("名称", "编码", "科目")
_CODE_CELL = re.compile(r"\d{1,3}")
_CODE_PREFIX = re.compile(r"^(\d{3})(?:\s*(\d{1,2}))?(?:\s*(\d{1,2}))?(?=\s|[^\d\s.,]|$)\s*")


@dataclass
class Layout:
    """Where the cells of a row stand, as the last header said."""

    name_pos: int
    project_pos: Optional[int]
    columns: tuple[Column, ...]

    @property
    def first_amount(self) -> int:
        return max(self.name_pos, self.project_pos or 0) + 1


@dataclass
class RowDraft:
    """A row being built; frozen into a model.Row once the table is read."""

    label: str
    cells: dict
    line: Line
    code: Optional[str] = None
    kind: str = "item"
    project: Optional[str] = None
    group: Optional[str] = None
    extra_text: list = field(default_factory=list)

    def freeze(self) -> Row:
        return Row(
            label=self.label,
            cells=dict(self.cells),
            line=self.line.number,
            text=self.line.text,
            code=self.code,
            kind=self.kind,
            project=self.project,
            group=self.group,
            key=self.label,
            page=self.line.page,
        )


def split_cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("\t")]


def table_rows(lines):
    """(line, cells) for every tab-separated line: the rows and headers of a table."""
    for line in lines:
        if "\t" in line.text and line.text.strip():
            yield line, split_cells(line.text)


def is_header(cells: list[str]) -> bool:
    for cell in cells:
        word = compact(cell)
        if word in _HEADER_CELLS or any(w in word for w in _HEADER_WORDS):
            return True
    return False


def header_text(rows: list[list[str]]) -> str:
    return "".join(compact(cell) for cells in rows for cell in cells)


def choose_columns(spec_columns: tuple[Column, ...], header: str) -> tuple[Column, ...]:
    return tuple(c for c in spec_columns if not c.optional or c.matches(header))


def layout_from_header(rows: list[list[str]], spec: TableSpec) -> Optional[Layout]:
    """Positions of the name (and project) columns, from a header block."""
    name_pos = project_pos = None
    for cells in rows:
        for pos, cell in enumerate(cells):
            word = compact(cell)
            if spec.layout == "projects" and spec.id == "gpb_project" and word == "项目名称":
                project_pos = pos
            elif "名称" in word or word in ("项目", "项目名称"):
                if name_pos is None or pos < name_pos:
                    name_pos = pos
    if name_pos is None:
        return None
    if project_pos is not None and project_pos <= name_pos:
        project_pos = None
    return Layout(name_pos, project_pos, choose_columns(spec.columns, header_text(rows)))


def functional_code(cells: list[str], kind: str) -> Optional[str]:
    """A canonical code from 类/款/项 cells: "201","3","99" -> "2010399"."""
    parts = [c for c in cells if c]
    if not parts or not all(_CODE_CELL.fullmatch(p) for p in parts):
        return None
    if len(parts[0]) != 3 or len(parts) > (2 if kind == "economic" else 3):
        return None
    return parts[0] + "".join(p.zfill(2) for p in parts[1:])


def split_code_label(text: str) -> tuple[Optional[str], str]:
    """"201 一般公共服务支出" -> ("201", "一般公共服务支出")."""
    match = _CODE_PREFIX.match(text.strip())
    if not match:
        return None, text
    code = match.group(1) + "".join(g.zfill(2) for g in match.groups()[1:] if g)
    return code, text.strip()[match.end():]


def read_amounts(cells: list[str], layout: Layout) -> tuple[dict, bool]:
    """The amount cells of a row by column name; False when a cell is text."""
    values: dict[str, Optional[Decimal]] = {}
    ok = True
    start = layout.first_amount
    for offset, column in enumerate(layout.columns):
        pos = start + offset
        try:
            values[column.name] = parse_amount(cells[pos]) if pos < len(cells) else None
        except NotAnAmount:
            values[column.name] = None
            ok = False
    for cell in cells[start + len(layout.columns):]:
        if cell:
            ok = False
    return values, ok


def has_amount(cells: dict) -> bool:
    return any(v is not None for v in cells.values())
