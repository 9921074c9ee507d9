"""Line breaking for Chinese text mixed with codes and numbers.

A line may break between two Chinese characters, or at a space between two
Latin words; never inside a number or code, never at a space next to a Chinese
character ("第 514 行" stays whole), never before closing punctuation or after
opening punctuation, and never inside the first ``keep`` characters (the
severity and rule code stay with the start of their message).
"""
from __future__ import annotations

import unicodedata

CLOSING = set("，。、；：！？）》」』”’％,.;:!?)]}%…")
OPENING = set("（《「『“‘([{")


def cells(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def breakable(text: str, i: int) -> bool:
    """May a line end before ``text[i]``? (Spaces: see ``_space_break``.)"""
    before, after = text[i - 1], text[i]
    if before == " " or after == " ":
        return False
    if after in CLOSING or before in OPENING:
        return False
    return is_wide(before) or is_wide(after)


def _space_break(text: str, start: int, end: int) -> bool:
    """A run of spaces text[start:end] may become a line break between Latin words."""
    if start == 0 or end >= len(text):
        return False
    return not is_wide(text[start - 1]) and not is_wide(text[end])


def opportunities(text: str, keep: int = 0) -> dict[int, int]:
    """Break positions: line end -> where the next line starts (spaces dropped)."""
    found: dict[int, int] = {}
    i = max(1, keep + 1)
    while i < len(text):
        if text[i] == " ":
            end = i
            while end < len(text) and text[end] == " ":
                end += 1
            if _space_break(text, i, end):
                found[i] = end
            i = end
            continue
        if breakable(text, i):
            found[i] = i
        i += 1
    return found


def wrap_spans(text: str, width: int, keep: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` in at most ``width`` cells."""
    width = max(width, 4)
    breaks = opportunities(text, keep)
    lines, start, used, last = [], 0, 0, None
    i = 0
    while i < len(text):
        if i in breaks and i > start:
            last = i
        used += cells(text[i])
        if used > width and i > start:
            end = last if last is not None and last > start else i
            lines.append((start, end))
            start = breaks.get(end, end)
            i, used, last = start, 0, None
            continue
        i += 1
    if start < len(text):
        lines.append((start, len(text)))
    return lines
