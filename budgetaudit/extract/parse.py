"""Turning a table block into a model.Table."""
from __future__ import annotations

import re
from typing import Optional

from budgetaudit.extract import coded, sided
from budgetaudit.extract.coded import Layout, RowDraft
from budgetaudit.extract.numbers import clean_label, compact
from budgetaudit.extract.tables import Block, unit_of
from budgetaudit.model import Line, Table

_NOTE_PREFIX = re.compile(r"^(?:备注|注)[:：]")
_EMPTY_WORDS = ("空表", "空白表", "没有使用", "未安排", "无上年结转", "无此")
_BOILERPLATE = ("编制部门", "编制单位", "单位：", "单位:", "金额单位")


def parse_block(block: Block) -> Table:
    spec = block.spec
    if spec.layout == "two_sided":
        drafts, columns, low = sided.parse_two_sided(block)
    elif spec.layout == "items":
        drafts, columns, low = sided.parse_items(block)
    else:
        drafts, columns, low = _parse_coded(block)
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
    )


def _note(lines: tuple[Line, ...]) -> tuple[Optional[str], Optional[int]]:
    """The 备注, or the sentence under the table saying it is empty."""
    for line in lines:
        text = line.text.strip()
        if not text or "\t" in line.text or text.startswith(_BOILERPLATE):
            continue
        if _NOTE_PREFIX.match(text) or any(w in text for w in _EMPTY_WORDS):
            return text, line.number
    return None, None


def _parse_coded(block: Block):
    """Rows of a coded or project table, re-reading the header on every page."""
    spec = block.spec
    layout: Optional[Layout] = None
    header: list[list[str]] = []
    drafts: list[RowDraft] = []
    columns: tuple = ()
    low = False
    group: Optional[RowDraft] = None
    after_header = False
    for line, cells in coded.table_rows(block.lines):
        if coded.is_header(cells) or layout is None:
            header.append(cells)
            found = coded.layout_from_header(header, spec)
            if found is not None:
                layout = found
                if not drafts:  # the first header block, all its rows, names the columns
                    columns = tuple(c.name for c in found.columns)
            after_header = True
            continue
        header = []
        draft, ok = _coded_row(line, cells, layout, spec.code_kind)
        if draft is None:
            if not ok:
                header.append(cells)  # text in amount columns: a header row
            continue
        low = low or not ok
        if _continues_group(draft, drafts, group, after_header):
            group.label = clean_label(group.label + draft.label)
            group.group = group.label
            continue
        after_header = False
        if spec.id == "gpb_project" and draft.kind == "item" and draft.code is None:
            draft.kind = "group"
            group = draft
        if spec.id == "carryover" and draft.kind == "item":
            draft.project = draft.label or None
            if not draft.label:
                draft.kind = "subtotal"
        draft.group = group.label if group is not None and draft.kind != "total" else None
        drafts.append(draft)
    return drafts, columns, low


def _coded_row(line: Line, cells: list[str], layout: Layout, code_kind: str):
    """A RowDraft from a data row, or (None, ok) for a row that is not data."""
    amounts, ok = coded.read_amounts(cells, layout)
    code = coded.functional_code(cells[: layout.name_pos], code_kind)
    label = clean_label(cells[layout.name_pos]) if layout.name_pos < len(cells) else ""
    project = None
    if layout.project_pos is not None and layout.project_pos < len(cells):
        project = clean_label(cells[layout.project_pos]) or None
    if not ok and not coded.has_amount(amounts) and code is None:
        return None, False
    if code is None and any(cells[: layout.name_pos]):
        return None, ok  # text where codes belong: not a row we understand
    if compact(label) in coded.TOTAL_LABELS or compact(project or "") in coded.TOTAL_LABELS:
        return RowDraft(label=compact(label) or compact(project), cells=amounts, line=line,
                        kind="total"), ok
    if code is None and not label and not coded.has_amount(amounts):
        return None, ok
    return RowDraft(label=label, cells=amounts, line=line, code=code, project=project), ok


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

