"""The outline of a disclosure: 目录, 第N部分, 一、, （一）, 1. — with line ranges.

Headings are recognised by their numbering and shape, never by their wording,
because wording varies between departments while the numbering scheme does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from budgetaudit.model import Document, Line, Section

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL = "[一二三四五六七八九十]{1,3}"

TOC_LINE = re.compile(r"^目\s*录$")
PART = re.compile(rf"^第\s*({NUMERAL})\s*部分\s*[：:、.．]?\s*(.*)$")
NUMBERED = re.compile(rf"^({NUMERAL})\s*、\s*(.*)$")
SUBSECTION = re.compile(rf"^[（(]\s*({NUMERAL})\s*[)）]\s*(.*)$")
# "1. x", "1、x", "(1) x"; "1.6 万元" is a number, not an item, hence (?!\d).
ITEM = re.compile(r"^(?:(\d{1,2})(?:[.．](?!\d)|、)|[（(]\s*(\d{1,2})\s*[)）])\s*(.*)$")
BULLET = re.compile(r"^[-*•]\s+")
SPACE_AFTER_MARKER = re.compile(r"(?<=[、)）])\s+")

MAX_HEADING_CHARS = 80
MAX_CONTINUATION_CHARS = 40
# A sentence, not a heading: headings carry no such punctuation.
SENTENCE_PUNCTUATION = re.compile(r"[。，；！？,;]")
# A colon inside the text marks a definition ("财政拨款：指…"); a trailing one is allowed.
INNER_COLON = re.compile(r"[：:](?!\s*$)")
# How headings in these documents end; a wrapped heading is complete once it does.
HEADING_ENDINGS = ("说明", "情况", "职能", "事项", "概况", "解释", "表")

TABLES_PART = 2  # 第二部分 holds the tables: their titles are not sections
NARRATIVE_PART = 3  # only 第三部分 numbers its items as sections
TITLE_SCAN_LINES = 40
MAX_TITLE_LINES = 3
YEAR = re.compile(r"(?<!\d)((?:\d\s*){4})年")
MIN_YEAR, MAX_YEAR = 1990, 2100
TITLE_SUFFIX = re.compile(
    r"\s*(?:(?:\d\s*){4}\s*年\s*度?)?\s*(?:部门|单位)?\s*(?:预算|决算)\s*(?:信息)?\s*公开.*$"
)
YEAR_PREFIX = re.compile(r"^(?:\d\s*){4}\s*年\s*度?\s*")
COMPILER = re.compile(r"编制(?:部门|单位)\s*[：:]\s*([^\t]+)")
STANDARD_TABLE_TITLE = re.compile(
    r"收支总体情况表|收入总体情况表|支出总体情况表|基本支出情况表|项目支出情况表"
    r"|三公.{0,2}经费|上年结转结余情况明细表"
)
AMOUNT_UNIT = re.compile(r"单位\s*[：:]\s*万?元")


@dataclass(frozen=True)
class Heading:
    """A recognised heading before its end line is known."""

    key: str
    title: str
    level: int
    start: int


# ---------------------------------------------------------------- public API


def segment(doc: Document) -> tuple[Section, ...]:
    """The document's 目录 block and headings, in document order, with line ranges."""
    lines = doc.lines
    found_parts = real_part_headings(lines)
    toc = toc_heading(lines, found_parts)
    headings: list[Heading] = [toc] if toc else []
    taken = {toc.key} if toc else set()
    parts = [keyed(part, taken) for part in found_parts]
    for index, part in enumerate(parts):
        end = parts[index + 1].start - 1 if index + 1 < len(parts) else len(lines)
        headings.append(part)
        headings.extend(PartReader(lines, part, end, taken).headings())
    sections = with_ends(headings, len(lines))
    return tuple(_bounded_toc(s, lines) if s.key == "toc" else s for s in sections)


def _bounded_toc(toc: Section, lines: Sequence[Line]) -> Section:
    """The 目录 ends where the body begins: at the first sentence or table row
    (a document without 第N部分 headings has nothing else to end it)."""
    for line in lines[toc.start: toc.end]:
        text = line.text.strip()
        if "\t" in line.text or "。" in text or len(text) > TOC_ENTRY_MAX:
            return Section(toc.key, toc.title, toc.level, toc.start, max(toc.start, line.number - 1))
    return toc


TOC_ENTRY_MAX = 60


def find_section(sections: Iterable[Section], line: int) -> Optional[Section]:
    """The deepest section whose range contains the line (the first of equally
    deep ones), or None. A tuple of sections is indexed once by line, since
    every table row and claim asks."""
    if isinstance(sections, tuple):
        return _line_index(sections).get(line)
    containing = [s for s in sections if s.start <= line <= s.end]
    return max(containing, key=lambda s: s.level, default=None)


class _LineIndex:
    """The deepest section of every line: shallower sections are painted first,
    so deeper ones overwrite them; among equals the first is painted last."""

    def __init__(self, sections: tuple[Section, ...]):
        self.sections = sections
        last = max((s.end for s in sections), default=0)
        self.deepest: list[Optional[Section]] = [None] * (last + 1)
        order = sorted(range(len(sections)), key=lambda i: (sections[i].level, -i))
        for i in order:
            section = sections[i]
            start = max(section.start, 0)
            if start <= section.end:
                self.deepest[start : section.end + 1] = [section] * (section.end + 1 - start)

    def get(self, line: int) -> Optional[Section]:
        return self.deepest[line] if 0 <= line < len(self.deepest) else None


_last_index: list[_LineIndex] = []


def _line_index(sections: tuple[Section, ...]) -> _LineIndex:
    if not _last_index or _last_index[0].sections is not sections:
        _last_index[:] = [_LineIndex(sections)]
    return _last_index[0]


NARRATIVE_TITLE = re.compile(r"(?:预算|决算)(?:情况|编制)?的?说明")


def looks_like_disclosure(doc: Document) -> bool:
    """True when the text carries the marks of a budget disclosure."""
    top = " ".join(line.text for line in doc.lines[:TITLE_SCAN_LINES])
    parts = real_part_headings(doc.lines)
    titled = any(w in top for w in ("预算", "决算")) or any("预算" in part.title for part in parts)
    compact = re.sub(r"\s+", "", "\n".join(line.text for line in doc.lines))
    markers = [
        "第二部分" in compact or "公开表" in compact,
        bool(STANDARD_TABLE_TITLE.search(compact)),
        bool(AMOUNT_UNIT.search(compact)),
        # a narrative published apart from its tables: "2019 年部门综合预算说明"
        bool(NARRATIVE_TITLE.search(re.sub(r"\s+", "", top))),
    ]
    return titled and sum(markers) >= 2


def document_year(doc: Document) -> Optional[int]:
    """The budget year, from the title lines or else the first 第一部分 heading."""
    for line in title_lines(doc.lines):
        if "预算" in line.text or "决算" in line.text:
            year = year_in(line.text)
            if year:
                return year
    parts = part_candidates(doc.lines)
    first_parts = [part for part in parts if part_number(part) == 1]
    for part in first_parts + parts:
        year = year_in(part.title)
        if year:
            return year
    return None


def document_unit(doc: Document) -> Optional[str]:
    """The publishing department: the title above "…预算公开", else 编制部门/编制单位."""
    return unit_from_title(doc.lines) or unit_from_compiler(doc.lines)


# ---------------------------------------------------------------- line shapes


def heading_text(line: Line) -> Optional[str]:
    """The line as a candidate heading (bullet and bold marks removed), or None
    for lines that can never be headings: blank lines and table rows (tabs)."""
    if "\t" in line.text:
        return None
    text = BULLET.sub("", line.text.strip()).replace("**", "").strip()
    return text or None


def normalise_spaces(text: str) -> str:
    """One space between words; none after a numbering mark ("一、 主要职能")."""
    return SPACE_AFTER_MARKER.sub("", " ".join(text.split()))


def looks_like_heading(rest: str) -> bool:
    """Short, and not a sentence or a definition."""
    return (
        len(rest) <= MAX_HEADING_CHARS
        and not SENTENCE_PUNCTUATION.search(rest)
        and not INNER_COLON.search(rest)
    )


def chinese_number(numeral: str) -> Optional[int]:
    """一 … 九十九 as an int; None for malformed numerals such as 十十."""
    if numeral == "十":
        return 10
    tens, ten, units = numeral.partition("十")
    if not ten:
        return CHINESE_DIGITS.get(numeral) if len(numeral) == 1 else None
    high = CHINESE_DIGITS.get(tens, 0 if not tens else -1)
    low = CHINESE_DIGITS.get(units, 0 if not units else -1)
    if high < 0 or low < 0:
        return None
    return (high or 1) * 10 + low


def year_in(text: str) -> Optional[int]:
    match = YEAR.search(text)
    if not match:
        return None
    year = int(re.sub(r"\s", "", match.group(1)))
    return year if MIN_YEAR <= year <= MAX_YEAR else None


# ---------------------------------------------------------------- parts and 目录


def part_candidates(lines: Sequence[Line]) -> list[Heading]:
    """Every 第N部分 heading, the 目录 listing's included. Several steps ask
    about the same document's lines in turn: the last answer is kept."""
    if isinstance(lines, tuple) and _last_parts and _last_parts[0] is lines:
        return list(_last_parts[1])
    found = _scan_parts(lines)
    _last_parts[:] = [lines, tuple(found)]
    return found


_last_parts: list = []


def _scan_parts(lines: Sequence[Line]) -> list[Heading]:
    found = []
    for line in lines:
        text = heading_text(line)
        match = PART.match(text) if text else None
        number = chinese_number(match.group(1)) if match else None
        if number and looks_like_heading(match.group(2)):
            found.append(Heading(f"part{number}", normalise_spaces(text), 1, line.number))
    return found


def real_part_headings(lines: Sequence[Line]) -> list[Heading]:
    """The part headings of the body: the 目录 lists them first, so the body
    starts where the part numbering starts over."""
    candidates = part_candidates(lines)
    highest = 0
    for index, part in enumerate(candidates):
        number = part_number(part)
        if number <= highest:
            return candidates[index:]
        highest = number
    return candidates


def part_number(part: Heading) -> int:
    """The N of 第N部分 (a repeated part's key carries a "~k" suffix)."""
    return int(part.key.removeprefix("part").partition("~")[0])


def keyed(heading: Heading, taken: set[str]) -> Heading:
    return Heading(claim_key(heading.key, taken), heading.title, heading.level, heading.start)


def toc_heading(lines: Sequence[Line], parts: Sequence[Heading]) -> Optional[Heading]:
    """The 目录 block, when the document has one before its first part."""
    body_start = parts[0].start if parts else len(lines) + 1
    for line in lines[: body_start - 1]:
        text = heading_text(line)
        if text and TOC_LINE.match(text):
            return Heading("toc", normalise_spaces(text), 1, line.number)
    return None


# ---------------------------------------------------------------- inside a part


class PartReader:
    """Finds the level 2-4 headings of one part, line by line."""

    def __init__(self, lines: Sequence[Line], part: Heading, end: int, taken: set[str]):
        self.lines = lines
        self.part = part
        self.end = end
        self.number = part_number(part)
        self.taken = taken  # keys used so far in the document
        self.open_headings = [part]  # the chain the current line is nested in

    def headings(self) -> list[Heading]:
        if self.number == TABLES_PART:
            return []
        found: list[Heading] = []
        skip_until = self.part.start
        for line in self.lines[self.part.start : self.end]:
            if line.number <= skip_until:
                continue  # the second line of a wrapped heading
            heading, skip_until = self.read_heading(line)
            if heading:
                found.append(heading)
        return found

    def read_heading(self, line: Line) -> tuple[Optional[Heading], int]:
        """The heading starting on this line, if any, and the line it ends on."""
        text = heading_text(line)
        if not text:
            return None, line.number
        numbered = NUMBERED.match(text)
        if numbered and looks_like_heading(numbered.group(2)):
            return self.wrapped(line, text, numbered.group(1), 2)
        subsection = SUBSECTION.match(text)
        if subsection:
            return self.wrapped(line, text, subsection.group(1), 3)
        item = ITEM.match(text)
        if item and self.number == NARRATIVE_PART and self.open_headings[-1].level >= 2:
            number = int(item.group(1) or item.group(2))
            return self.open(4, number, text, line.number), line.number
        return None, line.number

    def wrapped(
        self, line: Line, text: str, numeral: str, level: int
    ) -> tuple[Optional[Heading], int]:
        """A level-2/3 heading, joined with its second line when it wraps."""
        number = chinese_number(numeral)
        if number is None:
            return None, line.number
        continuation = continuation_of(self.lines, line, text)
        if continuation is None:
            return self.open(level, number, text, line.number), line.number
        joined = join_wrapped(text, heading_text(continuation) or "")
        return self.open(level, number, joined, line.number), continuation.number

    def open(self, level: int, number: int, text: str, start: int) -> Heading:
        """Key the heading under the nearest open heading of a higher level and
        make it the innermost open heading."""
        while self.open_headings[-1].level >= level:
            self.open_headings.pop()
        key = claim_key(f"{self.open_headings[-1].key}.{number}", self.taken)
        heading = Heading(key, normalise_spaces(text), level, start)
        self.open_headings.append(heading)
        return heading


def continuation_of(lines: Sequence[Line], line: Line, text: str) -> Optional[Line]:
    """The line that completes a heading wrapped by the PDF converter: within the
    next two lines (a blank line may intervene), short, unpunctuated, not itself
    numbered, and ending the way headings end while the first line does not."""
    if text.endswith(HEADING_ENDINGS) or SENTENCE_PUNCTUATION.search(text):
        return None
    for candidate in lines[line.number : line.number + 2]:
        if not candidate.text.strip():
            continue
        rest = heading_text(candidate)
        return candidate if rest and is_continuation(rest) else None
    return None


def is_continuation(text: str) -> bool:
    numbered = any(p.match(text) for p in (PART, NUMBERED, SUBSECTION, ITEM, TOC_LINE))
    return (
        not numbered
        and len(text) <= MAX_CONTINUATION_CHARS
        and not SENTENCE_PUNCTUATION.search(text)
        and not INNER_COLON.search(text)
        and text.endswith(HEADING_ENDINGS)
    )


def join_wrapped(first: str, second: str) -> str:
    """Rejoin a wrapped heading: no space inside Chinese words, one between
    ASCII words (the converter breaks lines at either)."""
    ascii_boundary = first[-1:].isascii() and second[:1].isascii()
    return f"{first} {second}" if ascii_boundary else first + second


# ---------------------------------------------------------------- assembly


def claim_key(key: str, taken: set[str]) -> str:
    """The key, or "key~2", "key~3"… when a number is printed twice."""
    unique, count = key, 1
    while unique in taken:
        count += 1
        unique = f"{key}~{count}"
    taken.add(unique)
    return unique


def with_ends(headings: list[Heading], last_line: int) -> tuple[Section, ...]:
    """Each heading governs the lines up to the next heading of its level or higher."""
    sections = []
    for index, heading in enumerate(headings):
        following = (h.start for h in headings[index + 1 :] if h.level <= heading.level)
        end = next(following, last_line + 1) - 1
        sections.append(Section(heading.key, heading.title, heading.level, heading.start, end))
    return tuple(sections)


# ---------------------------------------------------------------- title block


def title_lines(lines: Sequence[Line]) -> list[Line]:
    """Non-blank lines above the 目录 / first part heading, within the first 40."""
    found = []
    for line in lines[:TITLE_SCAN_LINES]:
        text = heading_text(line)
        if text and (TOC_LINE.match(text) or PART.match(text)):
            break
        if line.text.strip():
            found.append(line)
    return found


def unit_from_title(lines: Sequence[Line]) -> Optional[str]:
    """"X 2024 年部门预算公开" on one line, or X on the line(s) above it."""
    for line in title_lines(lines):
        text = normalise_spaces(line.text)
        if TITLE_SUFFIX.search(text):
            unit = YEAR_PREFIX.sub("", TITLE_SUFFIX.sub("", text)).strip()
            return unit or title_block_above(lines, line) or None
    return None


def title_block_above(lines: Sequence[Line], line: Line) -> str:
    """The consecutive non-blank lines just above a line (blank lines between
    them and the line skipped), joined: a long unit name may wrap."""
    block: list[str] = []
    for previous in reversed(lines[: line.number - 1]):
        text = previous.text.strip()
        if not text and block or len(block) == MAX_TITLE_LINES:
            break
        if text:
            block.insert(0, text)
    return normalise_spaces("".join(block))


def unit_from_compiler(lines: Sequence[Line]) -> Optional[str]:
    for line in lines:
        match = COMPILER.search(line.text)
        if match and match.group(1).strip():
            return normalise_spaces(match.group(1))
    return None
