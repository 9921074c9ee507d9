"""The narrative as one searchable text per part, mapped back to lines.

Sentences of the 情况说明 wrap across lines and even page breaks ("比上年预算减少
18.5" / "万元，下降 15.75%"), so claims are read from the joined text of a part
and every match is mapped back to the line it starts on. Lines of tables
(tab-separated) are left out; a paragraph break is kept as "\n" where the
previous line ends a sentence or the next one starts a numbered item.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from budgetaudit.model import Line, Section

_ENDS_SENTENCE = tuple("。；！？：:;")
_STARTS_ITEM = re.compile(
    r"^\s*(?:[-•]\s+|\d{1,2}\s*[.、．]\D|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|"
    r"[一二三四五六七八九十]{1,3}\s*、|设立的政策依据|预算安排规模|项目承担单位|资金分配情况|资金执行时间|项目名称)"
)
_BULLET = re.compile(r"^\s*[-•]\s+")
_MARKUP = re.compile(r"\*\*")


@dataclass(frozen=True)
class Stream:
    """Joined text of some lines, with the line each character came from."""

    text: str
    starts: tuple[int, ...]  # offset where each joined piece begins
    lines: tuple[int, ...]  # the line number of each piece
    pages: tuple[Optional[int], ...]

    def line_at(self, offset: int) -> int:
        return self.lines[max(bisect.bisect_right(self.starts, offset) - 1, 0)]

    def page_at(self, offset: int) -> Optional[int]:
        return self.pages[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


def build_stream(lines: Sequence[Line], headings: frozenset = frozenset()) -> Stream:
    """Join lines; `headings` are the first lines of headings, which stand as
    paragraphs of their own (with their wrapped continuation, in a PDF)."""
    text, starts, numbers, pages = [], [], [], []
    length = 0
    previous, wrapped = "", False
    in_heading = after_heading = False
    for line in lines:
        if "\t" in line.text or not line.text.strip():
            continue
        piece = _MARKUP.sub("", _BULLET.sub("", line.text.strip()))
        starts_heading = line.number in headings
        continues_heading = in_heading and wrapped and not starts_heading
        ends = previous.endswith(_ENDS_SENTENCE) or _STARTS_ITEM.match(piece)
        if text and not continues_heading and (starts_heading or after_heading or (ends and not wrapped)):
            text.append("\n")
            length += 1
        in_heading = starts_heading or continues_heading
        after_heading = in_heading and not line.wraps
        starts.append(length)
        numbers.append(line.number)
        pages.append(line.page)
        text.append(piece)
        length += len(piece)
        previous, wrapped = piece, line.wraps
    return Stream("".join(text), tuple(starts), tuple(numbers), tuple(pages))


def part_lines(lines: Sequence[Line], sections: Sequence[Section], key: str) -> list[Line]:
    """The lines of one part (e.g. "part3"), headings included."""
    for section in sections:
        if section.key == key:
            return [line for line in lines if section.start <= line.number <= section.end]
    return []
