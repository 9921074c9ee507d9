"""Turning a table block into a model.Table."""
from __future__ import annotations

from decimal import Decimal

import re
from typing import Optional

from budgetaudit.extract import coded, lists, sided
from budgetaudit.extract.coded import RowDraft
from budgetaudit.extract.grid import (
    CODE_TEXT, ColumnMap, drop_empty_columns, is_numbering_row, map_columns, numeric,
)
from budgetaudit.extract.numbers import NotAnAmount, clean_label, compact, parse_amount
from budgetaudit.extract.tables import Block, unit_of
from budgetaudit.model import Line, Row, Table

_LATE_CODE = re.compile(r"(?<=\D)(\d{7}|\d{5}|\d{3})\s*[-－—]\s*(\D.*)$")
_NOTE_PREFIX = re.compile(r"^(?:备注|注|说明)[:：]")
_EMPTY_WORDS = ("空表", "空白表", "没有使用", "未安排", "无上年结转", "无此", "表为空", "无数据")
_BOILERPLATE = ("编制部门", "编制单位", "单位：", "单位:", "金额单位")


def parse_block(block: Block) -> Table:
    spec = block.spec
    mapping = None
    if spec.layout == "two_sided":
        drafts, columns, low = sided.parse_two_sided(block)
    elif spec.layout == "items":
        drafts, columns, low = sided.parse_items(block)
    elif spec.layout == "item_grid":
        from budgetaudit.extract.itemgrid import parse_item_grid

        drafts, columns, low = parse_item_grid(block)
    elif spec.layout == "form":
        drafts, columns, low = _parse_form(block)
    else:
        drafts, columns, low, mapping = _parse_coded(block)
        drafts, columns = _listed_columns(spec, drafts, columns)
    note, note_line = _note(block.lines)
    low = low or any(line.low_confidence for line in block.lines)
    return Table(
        id=spec.id,
        title=block.title,
        unit=unit_of(block),
        columns=columns,
        rows=tuple(d.freeze() if isinstance(d, RowDraft) else d for d in drafts),
        start=block.start,
        end=block.end,
        number=block.number,
        note=note,
        note_line=note_line,
        low_confidence=low,
        explain=_explain(block, mapping, columns),
    )


def _listed_columns(spec, drafts: list, columns: tuple) -> tuple[list, tuple]:
    """A table whose columns are printed as rows (江苏 2017-2019 收入预算总表: "收入总计
    15897.44 / 一般公共预算资金 小计 15897.44 / 政府性基金 小计 / …", one 金额 column): one
    合计 row with the table's columns, each the row named by one of its spellings.
    Kept as printed when fewer than three rows name a column of the table."""
    if len(columns) != 1 or columns[0] in {c.name for c in spec.columns} or len(spec.columns) < 3:
        return drafts, columns
    rows = [d.freeze() if isinstance(d, RowDraft) else d for d in drafts]
    cells, first = {}, None
    for row in rows:
        column = next((c for c in spec.columns if not row.code and c.names_path((row.label,))), None)
        if column is not None and column.name not in cells:
            cells[column.name] = row.cells.get(columns[0])
            first = first or row
    if len(cells) < 3:
        return drafts, columns
    names = tuple(c.name for c in spec.columns if c.name in cells)
    total = Row(label="合计", cells={n: cells[n] for n in names}, line=first.line, text=first.text,
                kind="total", page=first.page)
    return [total], names


def _explain(block: Block, mapping: Optional[ColumnMap], columns) -> dict:
    """How the table was read: title, vocabulary entry, columns, unit."""
    spec = block.spec
    data = {"title": block.title, "vocabulary": spec.id if spec.layout != "generic" or
            not spec.id.startswith("other") else None, "layout": spec.layout,
            "unit": unit_of(block)}
    if mapping is not None:
        data["columns"] = [role.explain() for role in mapping.roles if role.role != "empty"]
        data["unmapped"] = list(mapping.unmapped)
        data["side_by_side"] = "side_by_side" in mapping.notes
    else:
        data["columns"] = [{"name": name, "role": "amount", "known": True} for name in columns]
        data["unmapped"] = []
    return data


def _note(lines: tuple[Line, ...]) -> tuple[Optional[str], Optional[int]]:
    """The 备注 and 说明 lines under the table (a sentence saying it is empty
    among them), or a lone cell in the table saying so ("此表为空")."""
    notes, first = [], None
    for line in lines:
        cells = [c.strip() for c in line.text.split("\t") if c.strip()]
        text = cells[0] if len(cells) == 1 else ""
        if not text or text.startswith(_BOILERPLATE):
            continue
        if _NOTE_PREFIX.match(text) or any(w in text for w in _EMPTY_WORDS):
            notes.append(text)
            first = first or line.number
    return ("".join(notes), first) if notes else (None, None)


def _parse_coded(block: Block):
    """Rows of a coded, project or generic table, columns named by their header."""
    spec = block.spec
    rows = list(coded.table_rows(block.lines))
    if not rows:
        return [], (), False, None
    grid = drop_empty_columns(_align_pages(rows))
    rows = [(line, cells) for (line, _), cells in zip(rows, grid)]
    header, data = _split_header(rows)
    width = max(len(cells) for _, cells in rows)
    columns = map_columns([c for _, c in header], [c for _, c in data if not _repeats(c, header)],
                          spec, width)
    if "side_by_side" in columns.notes and len(lists.list_starts(columns)) > 1:
        rows, names, low = lists.read_lists(data, columns, spec)
        return rows, names, low, columns
    drafts: list[RowDraft] = []
    low = False
    group: Optional[RowDraft] = None
    after_header = False
    for line, cells in data:
        if _repeats(cells, header) or is_numbering_row(cells):
            after_header = True
            continue
        draft, ok = _coded_row(line, cells, columns, spec.code_kind)
        if draft is None:
            continue
        low = low or not ok
        if _continues_group(draft, drafts, group, after_header):
            group.label = clean_label(group.label + draft.label)
            group.group = group.label
            continue
        after_header = False
        if draft.kind == "group" or (spec.layout == "projects" and spec.id != "carryover"
                                     and draft.kind == "item" and draft.code is None
                                     and not draft.project):
            draft.kind = "group"
            group = draft
        if spec.id == "carryover" and draft.kind == "item":
            draft.project = draft.label or None
            if not draft.label:
                draft.kind = "subtotal"
        draft.group = group.label if group is not None and draft.kind != "total" else None
        drafts.append(draft)
    drafts = _repeated_totals(drafts)
    drafts = _lone_unit_is_total(_groups_with_members(_unit_groups(drafts)))
    return _unlabelled_row_is_total(drafts), columns.columns, low, columns


def _repeated_totals(drafts: list[RowDraft]) -> list[RowDraft]:
    """A 合计 row printed again at the top of a continued page, with the same
    amounts, is the same row: kept once."""
    seen, kept = set(), []
    for draft in drafts:
        if draft.kind == "total":
            key = (draft.label, tuple(sorted(draft.cells.items())))
            if key in seen:
                continue
            seen.add(key)
        kept.append(draft)
    return kept


def _groups_with_members(drafts: list[RowDraft]) -> list[RowDraft]:
    """A code-less row heads a group only when coded rows follow under it; a
    list of projects without codes is a list of items."""
    members = {d.group for d in drafts if d.kind != "group" and d.group}
    for draft in drafts:
        if draft.kind == "group" and draft.label not in members:
            draft.kind = "item"
    for draft in drafts:
        if draft.group and draft.group not in members:
            draft.group = None
    return drafts


def _unit_groups(drafts: list[RowDraft]) -> list[RowDraft]:
    """Rows keyed by unit code (241, 241001…): a unit whose code begins the
    codes of the units after it is their department, a group over them."""
    units = [(d, d.project) for d in drafts if d.kind == "unit"]
    for draft, code in units:
        members = [d for d, other in units if len(other) > len(code) and other.startswith(code)]
        draft.kind = "group" if members else "item"
        draft.project = None
        for member in members:
            member.group = draft.label
    return drafts


def _lone_unit_is_total(drafts: list[RowDraft]) -> list[RowDraft]:
    """A table of one unit whose unit row heads it and has no 合计: that row is the total."""
    groups = [d for d in drafts if d.kind == "group"]
    if len(groups) != 1 or drafts[0] is not groups[0] or any(d.kind == "total" for d in drafts):
        return drafts
    if not coded.has_amount(groups[0].cells):
        return drafts
    groups[0].kind = "total"
    for draft in drafts:
        draft.group = None
    return drafts


def _unlabelled_row_is_total(drafts: list[RowDraft]) -> list[RowDraft]:
    """A table without a 合计 row whose one row without label or code is its whole:
    北京's 收入总表 prints only its header and the figures of the whole; its 基本支出表
    ends with the totals, the word 合计 lost. Such a row is the 合计 when it is the
    table's only row, or when it stands first or last and adds up the other rows
    (within rounding): a row that does not is left as read, since it may as well be
    a row whose name was lost."""
    if not drafts or any(d.kind == "total" for d in drafts):
        return drafts
    bare = [d for d in drafts if not d.label and d.code is None and d.kind == "item"
            and coded.has_amount(d.cells)]
    if len(bare) != 1 or (bare[0] is not drafts[0] and bare[0] is not drafts[-1]):
        return drafts
    row = bare[0]
    if len(drafts) == 1 or _adds_up(row, [d for d in drafts if d is not row]):
        row.label, row.kind = "合计", "total"
    return drafts


def _adds_up(row: RowDraft, others: list[RowDraft]) -> bool:
    """Each amount of row is the sum of the others' top-level rows (a row inside a
    printed row is not counted twice), within their rounding."""
    codes = {d.code for d in others if d.code}
    tops = [d for d in others if d.kind == "item" and not coded.under_printed_row(d.code, codes)]
    if not tops:
        return False
    for column, value in row.cells.items():
        if not isinstance(value, Decimal):
            continue
        parts = [d.cells.get(column) for d in tops]
        total = sum((v for v in parts if isinstance(v, Decimal)), Decimal(0))
        unit = Decimal(1).scaleb(min([value.as_tuple().exponent] +
                                     [v.as_tuple().exponent for v in parts if isinstance(v, Decimal)]))
        if abs(total - value) > unit * (len(parts) + 1) / 2:
            return False
    return True


def _parse_form(block: Block):
    """A form (绩效目标表, 绩效自评表): rows of label and text, kept as printed. A form
    whose kind names columns (the 项目资金 grid of a 绩效自评表: 年初预算数, 全年预算数,
    全年执行数) also gives the first row printed under that header its amounts, as
    the row of the project the form's 项目名称 names."""
    rows = []
    header: Optional[dict] = None  # column name -> position in the header row
    project, unit, amounts = None, None, None
    for line, cells in coded.table_rows(block.lines):
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        row = RowDraft(label=clean_label(filled[0]), cells={}, line=line, kind="text")
        rows.append(row)
        if project is None and compact(filled[0]) in _PROJECT_NAME_CELLS and len(filled) > 1:
            project = clean_label(filled[1])
        words = [compact(c) for c in filled]
        if unit is None and _UNIT_CELL in words[:-1]:
            unit = clean_label(filled[words.index(_UNIT_CELL) + 1])
        if block.spec.columns and amounts is None:
            if header is None:
                header = _form_header(block.spec, cells)
            elif _form_amounts(row, cells, header):
                amounts = row
    if amounts is None or project is None:
        return rows, (), False
    amounts.project, amounts.kind = compact(project), "item"
    amounts.group = compact(unit) if unit else None
    return rows, tuple(name for name in header if name in amounts.cells), False


_PROJECT_NAME_CELLS = ("项目名称",)
_UNIT_CELL = "实施单位"


def _form_header(spec, cells: list[str]) -> Optional[dict]:
    """The positions of the kind's columns in a header row of a form, when it prints
    at least two of them."""
    found = {}
    for index, cell in enumerate(cells):
        word = compact(cell)
        column = next((c for c in spec.columns if c.names_path((word,)) and c.name not in found), None)
        if column is not None:
            found[column.name] = index
    return found if len(found) >= 2 else None


def _form_amounts(row: RowDraft, cells: list[str], header: dict) -> bool:
    """Fills the row's cells from the header's positions; False (row untouched) when one
    of them is not an amount (the grid's text is not aligned with its header)."""
    values = {}
    for name, index in header.items():
        try:
            values[name] = parse_amount(cells[index]) if index < len(cells) else None
        except NotAnAmount:
            return False
    if all(v is None for v in values.values()):
        return False
    row.label = clean_label(next((c for c in cells if c.strip() and not numeric(c)), row.label))
    row.cells.update(values)
    return True


def _align_pages(rows) -> list[list[str]]:
    """The cells of each page without the blank margin columns on its left:
    pages of one table may be cut with or without an empty first column. Only
    a page wider than the narrowest one loses its blank leading columns."""
    pages: list[list[list[str]]] = []
    current = object()
    for line, cells in rows:
        if line.page != current or not pages:
            pages.append([])
            current = line.page
        pages[-1].append(cells)
    narrowest = min(max(len(c) for c in page) for page in pages)
    out = []
    for page in pages:
        extra = max(len(c) for c in page) - narrowest
        margin = min(extra, min(_blank_lead(c) for c in page))
        out.extend(c[margin:] for c in page)
    return out


def _blank_lead(cells: list[str]) -> int:
    lead = 0
    while lead < len(cells) and not cells[lead].strip():
        lead += 1
    return lead


def _is_data(cells: list[str]) -> bool:
    """A row with a number, or a lone 合计 row (an empty table's total)."""
    if is_numbering_row(cells):
        return False
    if any(numeric(c) for c in cells):
        return True
    filled = [compact(c) for c in cells if c.strip()]
    return len(filled) == 1 and filled[0] in coded.TOTAL_LABELS


def _split_header(rows):
    """The header rows (before the first row with a number) and the rest."""
    for index, (_, cells) in enumerate(rows):
        if _is_data(cells):
            return rows[:index], rows[index:]
    return rows, []


def _repeats(cells: list[str], header) -> bool:
    """A header row printed again on a later page."""
    if _is_data(cells):
        return False
    key = [compact(c) for c in cells]
    if any(key == [compact(c) for c in h] for _, h in header):
        return True
    return coded.is_header(cells)


# The last characters of a long name pushed into the next (amount) cell:
# "机关事业单位基本养老保险缴费" | "支 2947399.16"
_SPILLED = re.compile(r"^([\u4e00-\u9fff]{1,3})\s*(-?\d[\d,]*(?:\.\d+)?)$")


# the wrapped end of a name woven into the amount beside it by the text layer
# ("西安市人工影响天气服务保 | 障中18心39311.66", "机关事业单位职业年金 | 缴费支出43608.96")
_WOVEN = re.compile(r"^(?=.*[\u4e00-\u9fff])(?=.*\d)[\u4e00-\u9fff\d,.]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_A_NAME_END = re.compile(r"[年月日元万个人项次]")


def _unspill(cells: list[str], columns: ColumnMap) -> list[str]:
    """The end of a wrapped name printed in the amount cell beside the name: the
    name made whole and the amount alone (a few characters before it, or, with an
    amount in decimals, characters woven into its digits). So with a second code
    printed beside the name (西安气象局 2022 "机关事业单位基本养老保" / "险50缴5费01":
    the name ends 险缴费, the code is 50501)."""
    name = columns.first("name")
    if name is None or name + 1 >= len(cells) or not cells[name].strip():
        return cells
    text = cells[name + 1].strip()
    if columns.first("code2") == name + 1:
        woven = re.sub(r"\s+", "", text)
        words, digits = "".join(_CJK.findall(woven)), _CJK.sub("", woven)
        if not _WOVEN.match(woven) or not CODE_TEXT.match(digits) or _NOT_A_NAME_END.search(words):
            return cells
        cells = list(cells)
        cells[name], cells[name + 1] = cells[name].rstrip() + words, digits
        return cells
    spilled = _SPILLED.match(text)
    if spilled is not None:
        words, amount = spilled.groups()
    else:
        woven = re.sub(r"\s+", "", text)
        if not _WOVEN.match(woven):
            return cells
        words, amount = "".join(_CJK.findall(woven)), _CJK.sub("", woven)
        if _NOT_A_NAME_END.search(words) or not _DECIMAL_AMOUNT.match(amount):
            return cells
    cells = list(cells)
    cells[name] = cells[name].rstrip() + words
    cells[name + 1] = amount
    return cells


# An amount with decimals: never a name or a code
_DECIMAL_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")


def _shifted_amounts(cells: list[str], columns: ColumnMap) -> list[str]:
    """An amount printed one cell left of its empty column, in a name or code column
    (北京's 合计 row: "合 计" spans the code columns and pushes the 合计 figure left)."""
    amounts = {role.position for role in columns.amount_columns()}
    for position in sorted(amounts):
        before = position - 1
        if before in amounts or before < 0 or position >= len(cells) or cells[position].strip():
            continue
        if _DECIMAL_AMOUNT.match(cells[before].strip()):
            cells = list(cells)
            cells[position], cells[before] = cells[before], ""
    return cells


def _coded_row(line: Line, cells: list[str], columns: ColumnMap, code_kind: str):
    """A RowDraft from a data row, or (None, ok) for a row that is not data."""
    cells = _shifted_amounts(_unspill(cells, columns), columns)
    values, ok = _amounts(cells, columns)
    code, label = _code_and_label(cells, columns, code_kind)
    project = _cell(cells, columns.first("project"))
    project = clean_label(project) or None if project else None
    group = _cell(cells, columns.first("group"))
    if not ok and not coded.has_amount(values) and code is None:
        return None, False
    if compact(label) in coded.TOTAL_LABELS or compact(project or "") in coded.TOTAL_LABELS \
            or (not label and compact(group) in coded.TOTAL_LABELS):
        name = compact(label) or compact(project or "") or compact(group)
        return RowDraft(label=name, cells=values, line=line, kind="total"), ok
    if code is None and not label and group:
        return RowDraft(label=clean_label(group), cells=values, line=line, kind="group"), ok
    unit = _cell(cells, columns.first("unitcode")).replace(" ", "")
    if unit and code is None:
        return RowDraft(label=label, cells=values, line=line, kind="unit", project=unit), ok
    if code is None and not label and not coded.has_amount(values):
        return None, ok
    alt = _cell(cells, columns.first("code2")).replace(" ", "")
    return RowDraft(label=label, cells=values, line=line, code=code, project=project,
                    alt_code=alt if code and CODE_TEXT.match(alt) else None), ok


def _cell(cells: list[str], pos: Optional[int]) -> str:
    return cells[pos].strip() if pos is not None and pos < len(cells) else ""


def _code_and_label(cells: list[str], columns: ColumnMap, code_kind: str):
    label = clean_label(_cell(cells, columns.first("name")))
    glued = columns.first("glued")
    if glued is not None:
        text = _cell(cells, glued)
        code, rest = coded.split_code_label(text.replace("-", " ", 1))
        if code is not None:
            return code, label or clean_label(rest.lstrip("-－—_.．、:： "))
        # the end of the row above, wrapped onto this one: "缴费支出2080506-机关事业…"
        late = _LATE_CODE.search(text)
        if late:
            return late.group(1), label or clean_label(late.group(2))
        return None, label or clean_label(text)
    parts = [_cell(cells, pos) for pos in columns.of("code")]
    code = coded.functional_code(parts, code_kind) if any(parts) else None
    filled = [p for p in parts if p]
    if code is None and len(filled) == 1:  # one cell with the whole code: "2010301", "201 03 01"
        flat = filled[0].replace(" ", "")
        code = flat if CODE_TEXT.match(flat) else None
        if not label and compact(flat) in coded.TOTAL_LABELS:
            label = compact(flat)  # "合计" printed across the code and name columns
    return code, label


def _amounts(cells: list[str], columns: ColumnMap) -> tuple[dict, bool]:
    values: dict = {}
    ok = True
    for role in columns.amount_columns():
        try:
            values[role.name] = parse_amount(_cell(cells, role.position))
        except NotAnAmount:
            values[role.name] = None
            ok = False
    return values, ok


def _continues_group(draft: RowDraft, drafts, group, after_header: bool) -> bool:
    """A blank, code-less row right after a page break continues a unit name."""
    return (
        group is not None
        and after_header
        and drafts
        and drafts[-1] is group
        and draft.code is None
        and draft.kind == "item"
        and not coded.has_amount(draft.cells)
    )

