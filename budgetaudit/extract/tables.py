"""Finding the tables of a document and cutting out their lines.

A title is a short line (or a ruled row with a single cell) that, once its
numbering ("表3", "预算05表", "附表1", "5．", "十一、", "（一）") and year
("2021年") are removed, ends with a title the vocabulary knows, or at least
ends in 表. It is confirmed by what follows: a unit line, an 编制部门 line or
a tab-separated header within a few lines. That keeps 目录 entries and
narrative sentences that mention a table by name from being taken for tables.
A title repeated on the next page continues the same table. The block of a
table runs to the next table's title, or to the next part heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from budgetaudit.extract.numbers import clean_label, compact
from budgetaudit.extract.specs import TableSpec, generic_spec, spec_for_title
from budgetaudit.model import Document, Line

_TABLE_LABEL = re.compile(r"^(?:附表|表)\s*(\d+)$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]部分")
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|千元|元)")
_NUMBERING = re.compile(
    r"^(?:(?:附表|表|预算表|预算|决算表|决算|公开)\s*\d+(?:[-－—.．]\d+)?\s*表?|[0-9]{1,2}(?=[.．、])"
    r"|[一二三四五六七八九十]{1,3}(?=[、.．])|[（(][一二三四五六七八九十\d]{1,3}[)）])\s*[:：、.．]?"
)
_YEAR = re.compile(r"^(?:\d{4}|[二〇一二三四五六七八九零○]{4})年?度?")
_CONTINUED = re.compile(r"[（(]?续表?[)）]?$")
_BULLET = re.compile(r"^[-•·]\s*")
_MAX_TITLE = 60
_CONFIRM_WINDOW = 8
_BODY_WORDS = ("编制部门", "编制单位", "部门名称", "单位名称：", "预算单位：", "填报单位")


@dataclass(frozen=True)
class Block:
    """A table found in the document: its kind, its title and the lines under it."""

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


def title_text(line: Line) -> Optional[str]:
    """The text of a line that could be a table title: one cell, short, no sentence."""
    text = line.text
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t") if c.strip()]
        if len(cells) != 1:
            return None
        text = cells[0]
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_TITLE or _BULLET.match(stripped):
        return None
    if stripped.endswith(("。", "，", "；", "：", ":")) or _PART_HEADING.match(stripped):
        return None
    return stripped


def normal_title(text: str) -> tuple[str, Optional[int]]:
    """A title without numbering, year and (续): "预算05表 2021年一般…表" -> ("一般…表", 5)."""
    title = compact(text)
    number = None
    for _ in range(3):
        match = _NUMBERING.match(title)
        year = _YEAR.match(title)
        if match and match.end() > 0:
            digits = re.search(r"\d+", match.group(0))
            if digits and number is None and re.match(r"^(?:附表|表|预算|决算)", match.group(0)):
                number = int(digits.group(0))
            title = title[match.end():]
        elif year and year.end() > 0:
            title = title[year.end():]
        else:
            break
    return _CONTINUED.sub("", title), number


def _is_generic_title(title: str) -> bool:
    return (len(title) >= 5 and title.endswith(("表", "表）", "表)")) and title[0] not in "（("
            and not title.endswith(("报表", "公开表")) and not re.search(r"\d{3,}", title))


_SUBTITLE = re.compile(r"^[（(][^）)]{2,40}[)）]$")
# closed, or broken by the line ("…一般公共预算支出明细表（按支出功能分类科" | "目-不含上年结转）")
_QUALIFIER = re.compile(r"[（(][^）)]{2,20}[)）]?$")


def _title_spec(line: Line, subtitle: str = "") -> tuple[Optional[TableSpec], str, Optional[int]]:
    text = title_text(line)
    if text is None:
        return None, "", None
    title, number = normal_title(text)
    return _spec_of(title, subtitle)[0], title, number


def _spec_of(title: str, subtitle: str = "") -> tuple[Optional[TableSpec], str]:
    """The kind a title names, and the words it was known by: the title, or the title
    without a bracket that qualifies it ("财政拨款支出预算表（功能科目）")."""
    spec = spec_for_title(title, subtitle)
    qualified = _QUALIFIER.search(title)
    if spec is None and qualified:
        return spec_for_title(title[: qualified.start()], qualified.group(0)), title[: qualified.start()]
    return spec, title


def _subtitle(lines: tuple[Line, ...], index: int) -> str:
    """A bracketed line under a title, "（按支出经济分类科目-不含上年结转）"."""
    for line in lines[index + 1: index + 3]:
        text = compact(line.text)
        if text:
            return text if _SUBTITLE.match(text) else ""
    return ""


def _confirmed(lines: tuple[Line, ...], index: int) -> bool:
    """Does a table body follow the title at lines[index]?"""
    for line in lines[index + 1: index + 1 + _CONFIRM_WINDOW]:
        text = line.text.strip()
        if not text:
            continue
        if _UNIT.search(compact(text)) or text.startswith(_BODY_WORDS):
            return True
        if title_text(line) is not None:
            if _title_spec(line)[0] or _TABLE_LABEL.match(text):
                return False
            continue
        if "\t" in line.text:
            return True
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


@dataclass
class _Start:
    """Where a table starts: its label or title line, and its kind."""

    first: int  # index of the first line ("表 N" label or title)
    index: int  # index of the title line
    spec: TableSpec
    number: Optional[int]
    title: str
    printed: Optional[str] = None  # a title wrapped over two lines, joined


def _wrapped_title(lines: tuple[Line, ...], index: int):
    """A title printed over two lines ("公开 09 表：一般公共预算“三公”经费、会议费、培训费" |
    "支出预算表"): the joined title, when it names a table by more words than its second
    line alone (which could be read as another, shorter title: 支出预算表)."""
    first = title_text(lines[index])
    if first is None or first.endswith("表"):
        return None
    following = next((i for i in range(index + 1, min(index + 3, len(lines)))
                      if lines[i].text.strip()), None)
    second = title_text(lines[following]) if following is not None else None
    if second is None:
        return None
    title, number = normal_title(first + second)
    # "…“三公”经费、" | "会议费、培训费表（不含上年结转）": the bracket qualifies, and both are
    # compared without it
    spec, words = _spec_of(title)
    alone, _ = normal_title(second)
    alone = alone.removesuffix(title[len(words):])
    if spec is None or spec.title_match(words) <= len(alone):
        return None
    return spec, title, number, first + second, following


def find_blocks(doc: Document) -> tuple[list[Block], dict[str, int]]:
    """The table blocks of a document, and the tables its 目录 lists (id -> line)."""
    lines = doc.lines
    starts: list[_Start] = []
    listed: dict[str, int] = {}
    generic_ids: dict[str, str] = {}
    wrapped_at = -1  # the second line of a title wrapped over two lines, already read
    for index, line in enumerate(lines):
        if index == wrapped_at:
            continue
        spec, title, number = _title_spec(line)
        printed, title_index = None, index
        wrapped = _wrapped_title(lines, index) if spec is None else None
        if wrapped is not None:
            spec, title, number, printed, title_index = wrapped
            wrapped_at = title_index
        if spec is not None:
            subtitle = _subtitle(lines, index)
            if subtitle:
                spec = spec_for_title(title, subtitle) or spec
                title += subtitle
        generic = spec is None and _is_generic_title(title)
        if (spec or generic) and _confirmed(lines, title_index):
            if spec is None:
                table_id = generic_ids.setdefault(title, f"other{len(generic_ids) + 1}")
                spec = generic_spec(table_id, clean_label(title))
            if starts and starts[-1].spec.id == spec.id and _same_table(starts[-1], title):
                continue  # the title repeated on a continuation page
            label, first = _label_before(lines, index)
            starts.append(_Start(first, title_index, spec, label or number, title, printed))
        elif not starts:
            entry = _toc_entry(line.text)
            if entry is not None and entry.id not in listed:
                listed[entry.id] = line.number
    blocks = []
    for position, start in enumerate(starts):
        stop = starts[position + 1].first if position + 1 < len(starts) else len(lines)
        body = _cut_at_part_heading(lines[start.index + 1: stop])
        title = clean_label(start.printed or title_text(lines[start.index])
                            or lines[start.index].text)
        blocks.append(Block(start.spec, title, lines[start.index].number, start.number, body))
    return blocks, listed


def _same_table(previous: _Start, title: str) -> bool:
    return previous.title == title


_TOC_ENTRY = re.compile(r"^[-\s]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
                        r"\d{1,2}[、.．]|(?:附表|表|预算)\s*\d+)")


def _toc_entry(text: str) -> Optional[TableSpec]:
    """A 目录 line naming a table, e.g. "- 一、部门收支总体情况表", "（三）支出总表"."""
    stripped = _BULLET.sub("", text.strip())
    if "\t" in text or not _TOC_ENTRY.match(stripped):
        return None
    stripped = re.sub(r"[.…·\s]*\d*$", "", stripped)  # leader dots and page numbers
    title, _ = normal_title(stripped)
    return spec_for_title(title)


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
        match = _UNIT.search(compact(line.text.strip()))
        if match:
            return match.group(1)
    return "万元"
