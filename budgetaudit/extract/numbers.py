"""Reading printed amounts and cleaning printed labels.

Text extracted from PDFs wraps cell contents: "1247.2 2" is one number,
"财政拨 款（补 助）小 计" one header. These helpers undo that without guessing:
a cell is an amount only if, once the wrapping spaces are gone, it is a
well-formed decimal (optionally with correct thousands grouping).
"""
from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal
from typing import Optional

_SPACES = re.compile(r"\s+")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
# Thousands separators; the first group may run longer where the PDF lost a
# separator ("120258,600" for 120,258,600): the groups after a comma are still
# exactly three digits, which no label or code is.
_GROUPED = re.compile(r"-?\d+(?:,\d{3})+(?:\.\d+)?")
_BLANK_MARKS = {"", "-", "—", "——", "－"}


class NotAnAmount(ValueError):
    pass


def parse_amount(cell: str) -> Optional[Decimal]:
    """The Decimal a table cell prints, None for a blank cell.

    Raises NotAnAmount for text that is not a number, so callers can tell a
    label from a value.
    """
    compact = _SPACES.sub("", cell)
    if compact in _BLANK_MARKS:
        return None
    if _PLAIN.fullmatch(compact):
        return Decimal(compact)
    if _GROUPED.fullmatch(compact):
        return Decimal(compact.replace(",", ""))
    raise NotAnAmount(cell)


_PAREN = str.maketrans({"(": "（", ")": "）", ":": "：", "\u3000": " "})
_CJK = r"[^\x00-\x7f]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def clean_label(text: str) -> str:
    """A label as a reader would type it: full-width brackets, no wrap spaces.

    Spaces next to a Chinese character are layout (wrapping, letter-spacing);
    spaces between two ASCII words are kept.
    """
    text = _SPACES.sub(" ", text.translate(_PAREN)).strip()
    return _SPACE_NEAR_CJK.sub("", text)


@lru_cache(maxsize=8192)  # the same titles and labels are compacted many times a document
def compact(text: str) -> str:
    """Text with every space removed and brackets made full-width (for matching)."""
    return _SPACES.sub("", text.translate(_PAREN)).replace("“", "\"").replace("”", "\"")
