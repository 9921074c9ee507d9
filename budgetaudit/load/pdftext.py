"""Glyphs to text: lines by baseline, words by gaps, cells' lines joined.

A line is the glyphs whose baselines agree within a fraction of their size,
not those whose boxes overlap: digits set in a Latin font sit a point or two
off the Chinese text of the same line, and their boxes differ more than that.
Within a line, a gap wider than a few characters separates fragments that a
reader sees as apart (编制部门… on the left, 单位：万元 on the right).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from budgetaudit.load.pdfdevice import Glyph

BASELINE_TOLERANCE = 0.35  # of the glyph size: baselines this close share a line
MIN_BASELINE_TOLERANCE = 1.5  # pt
SPACE_GAP = 0.25  # of the size: a wider gap between glyphs reads as a space
# Between two Chinese characters a gap is mostly justification or letter-spacing.
CJK_SPACE_GAP = 0.6
FRAGMENT_GAP = 2.5  # of the size: a wider gap splits a line into fragments
CELL_GAP = 0.8  # of the size: in a table without rulings, a wider gap parts cells
DUPLICATE_OVERLAP = 0.6  # glyphs printed twice to look bold overlap this much

_CJK = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Fragment:
    """A run of text on one line, with its horizontal extent and top."""

    text: str
    x0: float
    x1: float
    top: float
    size: float


def baseline_rows(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines, the top line first, each line left to right."""
    rows: list[list[Glyph]] = []
    reference = size = 0.0
    for glyph in sorted(glyphs, key=lambda g: -g.base):
        tolerance = max(MIN_BASELINE_TOLERANCE, BASELINE_TOLERANCE * max(size, glyph.size))
        if rows and reference - glyph.base <= tolerance:
            rows[-1].append(glyph)
            size = max(size, glyph.size)
        else:
            rows.append([glyph])
            reference, size = glyph.base, glyph.size
    for row in rows:
        row.sort(key=lambda g: g.x0)
    return rows


def fragments(row: Sequence[Glyph], gap: float = FRAGMENT_GAP) -> list[Fragment]:
    """A line cut where the space between two visible glyphs is wider than
    `gap` times their size."""
    pieces: list[list[Glyph]] = []
    last = None
    for glyph in row:
        visible = not glyph.text.isspace()
        if visible and last is not None:
            if glyph.x0 - last.x1 > gap * max(glyph.size, last.size):
                pieces.append([])
        if not pieces:
            pieces.append([])
        pieces[-1].append(glyph)
        if visible:
            last = glyph
    found = []
    for piece in pieces:
        text = text_of(piece)
        if text:
            seen = [g for g in piece if not g.text.isspace()]
            found.append(Fragment(text, seen[0].x0, seen[-1].x1, max(g.y1 for g in piece),
                                  max(g.size for g in seen)))
    return found


def text_of(row: Sequence[Glyph]) -> str:
    """The glyphs of one line as text: a space where the gap is wide, a glyph
    printed twice over itself (fake bold) once."""
    parts: list[str] = []
    previous = None
    for glyph in row:
        if previous is not None:
            if glyph.text == previous.text and _overlap(previous, glyph) > DUPLICATE_OVERLAP:
                continue
            gap = glyph.x0 - previous.x1
            size = max(glyph.size, previous.size)
            # most glyphs sit closer than either threshold: no need to ask which applies
            if gap > min(SPACE_GAP * size, CJK_SPACE_GAP * size):
                wide = CJK_SPACE_GAP if _CJK.match(glyph.text) and _CJK.match(
                    previous.text[-1:]) else SPACE_GAP
                if gap > wide * size and not (glyph.text.isspace() or previous.text.isspace()):
                    parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
    return " ".join("".join(parts).split())


def _overlap(a: Glyph, b: Glyph) -> float:
    width = min(a.x1 - a.x0, b.x1 - b.x0)
    if width <= 0:
        return 1.0 if abs(a.x0 - b.x0) < 0.5 else 0.0
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) / width


def join_lines(lines: Sequence[str]) -> str:
    """The lines of one table cell as one text: wrapped Chinese joins without
    a space, two ASCII words (or digit groups, "1247.2" / "2") with one."""
    text = ""
    for line in lines:
        if not line:
            continue
        if text and not (_CJK.match(text[-1]) or _CJK.match(line[0])):
            text += " "
        text += line
    return text


def cell_text(glyphs: Sequence[Glyph]) -> str:
    return join_lines([text_of(row) for row in baseline_rows(glyphs)])
