"""A table's cells by the meaning of their columns, not by their position.

The rows of a table arrive as tab-separated cells in grid order (the PDF
reader and the text samples keep one cell per ruled column, a spanning cell
standing in its first column). The header rows are read into one path per
column, top to bottom ("本年收入 › 财政拨款 › 一般公共预算拨款"): a header cell
stands over the columns to its right until a cell of a row above it starts a
new column group. Each column is then given a role from its header words and
its content (code, name, project, unit group, amount, text) and each amount
column a name: the canonical one when the vocabulary knows its header, else
its printed header. A column is never named by its position alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from budgetaudit.extract.numbers import NotAnAmount, compact, parse_amount
from budgetaudit.extract.specs import PATH_SEP, Column, TableSpec

_CODE_HEADERS = ("编码", "代码", "科目编号")
_CODE_LEAVES = {"类", "款", "项"}
_NAME_HEADERS = ("名称", "项目", "科目", "类别", "功能分类", "经济分类")
_GROUP_HEADERS = ("预算单位", "单位名称", "单位", "部门")
INDEX_HEADERS = {"序号", "行次", "栏次", "序列"}
_REMARK_HEADERS = {"备注", "说明", "备注说明"}
_UNIT_CODE_HEADERS = ("单位编码", "单位代码", "预算单位编码", "单位编号")
_NUMBERING_CELL = re.compile(r"^(?:※|\*{1,2}|栏次|\d{1,2}|[一二三四五六七八九十]{1,2})$")  # 西安 2020 "** ** 1 2 3"
CODE_TEXT = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
GLUED_CODE = re.compile(r"^\[?(\d{3}(?:\s?\d{2}){0,2})\]?\s*[-－—_.．、:：]?\s*(?=\D)(.+)$")


def numeric(cell: str) -> bool:
    try:
        return parse_amount(cell) is not None
    except NotAnAmount:
        return False


def is_numbering_row(cells: list[str]) -> bool:
    """A "※ ※ 1 2 3" or "栏次 1 2 3" row that only numbers the columns."""
    filled = [compact(c) for c in cells if c.strip()]
    return len(filled) >= 3 and all(_NUMBERING_CELL.match(c) for c in filled) and (
        any(not c.isdigit() for c in filled) or _consecutive(filled))


def _consecutive(cells: list[str]) -> bool:
    numbers = [int(c) for c in cells if c.isdigit()]
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


_UNIT_CAPTION = re.compile(r"^(?:金额)?单位[:：]\s*(?:万元|元)$")


def header_paths(rows: list[list[str]], width: int) -> list[tuple[str, ...]]:
    """One header path per column from the header rows (top first)."""
    paths: list[list[str]] = [[] for _ in range(width)]
    boundaries: set[int] = set()
    for cells in rows:
        if is_numbering_row(cells):
            continue
        current = None
        starts = set()
        for pos in range(width):
            cell = compact(cells[pos]) if pos < len(cells) else ""
            if _UNIT_CAPTION.match(cell):
                cell = ""  # "金额单位：万元" printed in the header's corner names no column
            if cell:
                current = cell
                starts.add(pos)
            elif pos in boundaries:
                current = None
            if current and (not paths[pos] or paths[pos][-1] != current):
                paths[pos].append(current)
        boundaries |= starts
    return [tuple(p) for p in paths]


@dataclass
class ColumnRole:
    """What one column of a table holds, read from its header."""

    position: int
    path: tuple[str, ...]
    role: str  # "code", "code2", "name", "glued", "project", "group", "amount", "text", "empty"
    name: str = ""  # for amount columns: canonical or printed name
    canonical: bool = False

    @property
    def printed(self) -> str:
        return PATH_SEP.join(self.path)

    def explain(self) -> dict:
        return {"position": self.position, "header": self.printed, "role": self.role,
                "name": self.name or None, "known": self.canonical}


@dataclass
class ColumnMap:
    """The roles of a table's columns and the names of its amount columns."""

    roles: list[ColumnRole]
    columns: tuple[str, ...] = ()  # amount column names in print order
    unmapped: tuple[str, ...] = ()  # amount columns the vocabulary does not know
    notes: list = field(default_factory=list)

    def of(self, role: str) -> list[int]:
        return [r.position for r in self.roles if r.role == role]

    def first(self, role: str) -> Optional[int]:
        found = self.of(role)
        return found[0] if found else None

    def amount_columns(self) -> list[ColumnRole]:
        return [r for r in self.roles if r.role == "amount"]


def _content(rows: list[list[str]], pos: int) -> tuple[int, int, int]:
    """(numbers, codes, texts) among the data cells of one column."""
    numbers = codes = texts = 0
    for cells in rows:
        cell = cells[pos].strip() if pos < len(cells) else ""
        if not cell:
            continue
        flat = cell.replace(" ", "")
        if CODE_TEXT.match(flat) or (flat.isdigit() and len(flat) <= 2):
            codes += 1
        elif numeric(cell):
            numbers += 1
        else:
            texts += 1
    return numbers, codes, texts


def counts_rows(rows: list[list[str]], pos: int) -> bool:
    """A column numbering the rows 1, 2, 3…: a 序号, not a code."""
    cells = [c[pos].strip() for c in rows if pos < len(c) and c[pos].strip()]
    return len(cells) >= 3 and all(c.isdigit() and not c.startswith("0") for c in cells) and \
        [int(c) for c in cells] == list(range(int(cells[0]), int(cells[0]) + len(cells)))


def _glued(rows: list[list[str]], pos: int) -> bool:
    cells = [cells[pos].strip() for cells in rows if pos < len(cells) and cells[pos].strip()]
    hits = sum(1 for c in cells if GLUED_CODE.match(c))
    return bool(cells) and hits >= max(1, len(cells) // 2)


def map_columns(header: list[list[str]], data: list[list[str]], spec: TableSpec,
                width: int) -> ColumnMap:
    paths = header_paths(header, width)
    roles = [ColumnRole(pos, paths[pos], "empty") for pos in range(width)]
    name_pos = _name_position(paths, data, width)
    for role in roles:
        pos, words = role.position, "".join(role.path)
        numbers, codes, texts = _content(data, pos)
        leaf = role.path[-1] if role.path else ""
        if not role.path and not (numbers or codes or texts):
            continue
        if leaf in INDEX_HEADERS or (pos < (name_pos or 0) and leaf not in _CODE_LEAVES
                                     and counts_rows(data, pos)):
            role.role = "index"
        elif any(w in words for w in _UNIT_CODE_HEADERS):
            role.role = "unitcode"
        elif name_pos is not None and pos > name_pos and any(w in words for w in _CODE_HEADERS) \
                and codes and not numbers:
            role.role = "code2"  # a second classification's code (政府经济科目编码) beside the first
        elif leaf in _REMARK_HEADERS or (name_pos is not None and pos > name_pos
                                         and any(w in words for w in _CODE_HEADERS)):
            role.role = "text"  # 备注, or a second code column holding no codes
        elif name_pos is not None and pos < name_pos:
            if leaf in _CODE_LEAVES or any(w in words for w in _CODE_HEADERS) or (codes and not texts):
                role.role = "code"
            elif _glued(data, pos):
                role.role = "glued"
            elif texts:
                role.role = "group"
            else:
                role.role = "code" if codes else "text"
        elif pos == name_pos:
            role.role = "glued" if _glued(data, pos) and not _has_code_role(roles, pos) else "name"
        elif spec.layout == "projects" and "项目名称" in leaf and texts >= numbers:
            role.role = "project"
        elif texts > numbers + codes and texts >= 1:
            role.role = "text"
        else:
            role.role = "amount"
    columns = _name_amounts(roles, spec)
    notes = []
    if _side_by_side(roles):
        notes.append("side_by_side")
    if _inconsistent(roles, spec) and _by_vocabulary_order(roles, spec, header):
        columns = tuple(r.name for r in roles if r.role == "amount")
        notes.append("表头各层未对齐，列按词汇表顺序与表头列数对应读取")
    unmapped = tuple(r.name for r in roles if r.role == "amount" and not r.canonical)
    return ColumnMap(roles, columns, unmapped, notes)


def _side_by_side(roles: list[ColumnRole]) -> bool:
    """Two or more lists printed beside each other (人员经费 | 公用经费): a
    code or name header printed again to the right of the amounts."""
    first = next((r for r in roles if r.role in ("code", "name", "glued")), None)
    if first is None or not first.path:
        return False
    seen_amount = False
    for role in roles[first.position + 1:]:
        seen_amount = seen_amount or role.role == "amount"
        if seen_amount and role.path and role.path[-1] == first.path[-1]:
            return True
    return False


def _inconsistent(roles: list[ColumnRole], spec: TableSpec) -> bool:
    """A header path that runs through two known columns cannot be a real
    column: the header rows are shifted against each other."""
    for role in roles:
        if role.role != "amount" or len(role.path) < 2:
            continue
        upper = [c for c in spec.columns if c.names_path(role.path[:-1])]
        lower = [c for c in spec.columns if c.names_path(role.path)]
        if upper and lower and upper[0].name != lower[0].name:
            return True
    return False


def _by_vocabulary_order(roles: list[ColumnRole], spec: TableSpec, header) -> bool:
    """Name the amount columns in the vocabulary's order when their count is
    exactly that of the vocabulary's columns the header prints."""
    words = "".join(compact(c) for cells in header for c in cells)
    present = [c for c in spec.columns if c.matches(words)]
    amounts = [r for r in roles if r.role == "amount"]
    if len(present) != len(amounts):
        return False
    for role, column in zip(amounts, present):
        role.name, role.canonical = column.name, True
    return True


def _has_code_role(roles: list[ColumnRole], pos: int) -> bool:
    return any(r.role in ("code", "glued") for r in roles[:pos])


def _name_position(paths: list[tuple[str, ...]], data: list[list[str]], width: int) -> Optional[int]:
    """The column that names each row: by its header words, else the first text column."""
    for words in (("名称",), _NAME_HEADERS):
        for pos, path in enumerate(paths):
            text = "".join(path)
            if any(w in text for w in words) and not any(w in text for w in _CODE_HEADERS):
                numbers, codes, texts = _content(data, pos)
                if texts or not (numbers or codes):
                    return pos
    for pos in range(width):
        numbers, codes, texts = _content(data, pos)
        if texts and texts >= numbers:
            return pos
    return None


def _name_amounts(roles: list[ColumnRole], spec: TableSpec) -> tuple[str, ...]:
    """Give each amount column its canonical name, or its printed header."""
    used: set[str] = set()
    names = []
    known = spec.columns
    for role in roles:
        if role.role != "amount":
            continue
        column = _match(known, role.path, used)
        if column is not None:
            role.name, role.canonical = column.name, True
        else:
            printed = role.printed or f"第{role.position + 1}列"
            role.name = printed if printed not in used else f"{printed}（第{role.position + 1}列）"
        used.add(role.name)
        names.append(role.name)
    return tuple(names)


def _match(columns: tuple[Column, ...], path: tuple[str, ...], used: set) -> Optional[Column]:
    if not path:
        return None
    for column in columns:
        if column.name not in used and column.names_path(path):
            return column
    return None


def drop_empty_columns(rows: list[list[str]]) -> list[list[str]]:
    """Rows without the columns that are blank in every row (margins of the grid)."""
    width = max((len(r) for r in rows), default=0)
    keep = [pos for pos in range(width) if any(pos < len(r) and r[pos].strip() for r in rows)]
    if len(keep) == width:
        return rows
    return [[r[pos] if pos < len(r) else "" for pos in keep] for r in rows]
