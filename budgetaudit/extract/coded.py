"""Rows of tables keyed by classification codes and of project lists: the
cells of a tab-separated line, codes read from their cells, row drafts.

Which cell is which comes from the header (extract.grid), never from its
position alone; a header may repeat on every page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from budgetaudit.extract.numbers import compact
from budgetaudit.model import Line, Row

TOTAL_LABELS = ("合计", "总计")
_HEADER_CELLS = {"类", "款", "项", "※"}
_HEADER_WORDS = ("名称", "编码", "科目")
_CODE_CELL = re.compile(r"\d{1,3}")
_CODE_PREFIX = re.compile(r"^(\d{3})(?:\s*(\d{1,2}))?(?:\s*(\d{1,2}))?(?=\s|[^\d\s.,]|$)\s*")


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
    alt_code: Optional[str] = None

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
            alt_code=self.alt_code,
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


def has_amount(cells: dict) -> bool:
    return any(v is not None for v in cells.values())


def under_printed_row(code: Optional[str], codes: set) -> bool:
    """Whether a row of this code lies inside a printed row of the table: 3010201
    is inside a printed 301 even where 30102 is not printed."""
    return bool(code) and any(code[:n] in codes for n in range(3, len(code), 2))
