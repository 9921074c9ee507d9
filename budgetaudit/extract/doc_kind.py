"""Is a disclosure a budget (预算) or a final account (决算)?

Told from what the document prints, never from its file name: the title
lines ("国家信访局2024年度部门决算"), the 目录 entries and the titles of the
tables read. Each source votes; the title counts most because a 决算 quotes
its 预算数 and a 预算 may mention last year's 决算 in passing.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from budgetaudit.model import Line, Table

KINDS = ("预算", "决算")
_WORD = re.compile(r"(预算|决算)")
_TITLE_WEIGHT = 3


def document_kind(title: Sequence[Line], toc: Sequence[Line], tables: Iterable[Table],
                  table_kinds: dict[str, str]) -> Optional[str]:
    """"预算", "决算", or None when nothing printed says which."""
    votes = {kind: 0 for kind in KINDS}
    for line in title:
        for kind in _kinds_in(line.text):
            votes[kind] += _TITLE_WEIGHT
    for line in toc:
        for kind in _kinds_in(line.text):
            votes[kind] += 1
    for table in tables:
        kind = table_kinds.get(table.id)
        if kind in votes:
            votes[kind] += 1
    best = max(KINDS, key=lambda k: votes[k])
    if votes[best] == 0 or votes["预算"] == votes["决算"]:
        return None
    return best


def _kinds_in(text: str) -> set[str]:
    """The kind a line names as a document or table: "部门决算", "决算表",
    "预算公开"; a 决算 line names "年初预算数" too, which does not count."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(年初|全年|调整)预算数?", "", text)
    return set(_WORD.findall(text))
