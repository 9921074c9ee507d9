"""Finding the standard tables in a document and cutting out their lines.

A title line is recognised by its words (spec.title_matches) and confirmed by
what follows it: a unit line, an 编制部门 line or a tab-separated header
within a few lines. That keeps 目录 entries and narrative sentences that
mention a table by name ("…支出情况表为空表。") from being taken for tables.
The block of a table runs to the next table's "表 N" label or title, or to the
next part heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from budgetaudit.extract.numbers import clean_label, compact
from budgetaudit.extract.specs import TableSpec, spec_for_title
from budgetaudit.model import Document, Line

_TABLE_LABEL = re.compile(r"^表\s*(\d+)$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]部分")
_UNIT = re.compile(r"^(?:金额)?单位[:：]\s*(万元|元)")
_MAX_TITLE = 60
_CONFIRM_WINDOW = 8


@dataclass(frozen=True)
class Block:
    spec: TableSpec
    title: str
    title_line: int
    number: Optional[int]
    lines: tuple[Line, ...]  # the lines after the title, up to the next table

    @property
    def start(self) -> int:
        return self.title_line

    @property
    def end(self) -> int:
        return self.lines[-1].number if self.lines else self.title_line


def _title_spec(text: str) -> Optional[TableSpec]:
    stripped = text.strip()
    if not stripped or "\t" in text or len(stripped) > _MAX_TITLE:
        return None
    if stripped.startswith("-") or stripped.endswith(("。", "，")):
        return None
    return spec_for_title(compact(stripped))


def _confirmed(lines: tuple[Line, ...], index: int) -> bool:
    """Does a table body follow the title at lines[index]?"""
    for line in lines[index + 1 : index + 1 + _CONFIRM_WINDOW]:
        text = line.text.strip()
        if not text:
            continue
        if "\t" in line.text or _UNIT.match(compact(text)) or text.startswith(("编制部门", "编制单位")):
            return True
        if _title_spec(line.text) or _TABLE_LABEL.match(text):
            return False
    return False


def _label_before(lines: tuple[Line, ...], index: int) -> tuple[Optional[int], int]:
    """The "表 N" number printed just above a title, and the line it is on."""
    for back in range(index - 1, max(index - 4, -1), -1):
        text = lines[back].text.strip()
        if not text:
            continue
        match = _TABLE_LABEL.match(text)
        return (int(match.group(1)), back) if match else (None, index)
    return None, index


def find_blocks(doc: Document) -> tuple[list[Block], dict[str, int]]:
    """The table blocks of a document, and the tables its 目录 lists (id -> line)."""
    lines = doc.lines
    starts: list[tuple[int, int, TableSpec, Optional[int]]] = []
    listed: dict[str, int] = {}
    for index, line in enumerate(lines):
        title_spec = _title_spec(line.text)
        spec = title_spec or _toc_entry(line.text)
        if spec is None:
            continue
        if title_spec and _confirmed(lines, index):
            number, first = _label_before(lines, index)
            starts.append((first, index, spec, number))
        elif not starts and spec.id not in listed:
            listed[spec.id] = line.number
    blocks = []
    for position, (first, index, spec, number) in enumerate(starts):
        stop = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        body = _cut_at_part_heading(lines[index + 1 : stop])
        title = clean_label(lines[index].text)
        blocks.append(Block(spec, title, lines[index].number, number, body))
    return blocks, listed


_TOC_ENTRY = re.compile(r"^[-\s]*[一二三四五六七八九十]+[、.．]\s*")


def _toc_entry(text: str) -> Optional[TableSpec]:
    """A 目录 line naming a table, e.g. "- 一、部门收支总体情况表"."""
    stripped = text.strip()
    if "\t" in text or not _TOC_ENTRY.match(stripped):
        return None
    return spec_for_title(compact(_TOC_ENTRY.sub("", stripped)))


def _cut_at_part_heading(body: tuple[Line, ...]) -> tuple[Line, ...]:
    for offset, line in enumerate(body):
        if _PART_HEADING.match(line.text.strip()):
            body = body[:offset]
            break
    while body and not body[-1].text.strip():
        body = body[:-1]
    return body


def unit_of(block: Block) -> str:
    for line in block.lines:
        match = _UNIT.match(compact(line.text.strip()))
        if match:
            return match.group(1)
    return "万元"
