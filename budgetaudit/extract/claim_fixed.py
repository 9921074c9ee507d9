"""Statements with a fixed wording: staff numbers, procurement, assets, counts.

The statements of budgetaudit/vocab/narrative.yaml are patterns with named
fields (政府采购预算 {total} 万元，其中 …); the numbers each holds must agree
among themselves (采购 = 货物 + 工程 + 服务, …), as its relations say. The
organisation part's staff and unit lists are read here too: their counts are
checked against the lists that follow them.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from budgetaudit.extract.narrative import Stream
from budgetaudit.model import Claim, Facts

N = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
SEP = r"\s*[，,；;、]?\s*"

STAFF = re.compile(
    rf"实有人数\s*{N}\s*人{SEP}其中\s*[:：]?\s*在职\s*{N}\s*人(?P<c1>[^退]*?)"
    rf"退休\s*{N}\s*人(?P<c2>[^离]*?)离休\s*{N}\s*人(?P<c3>[^。]*)"
)
CHANGE_PEOPLE = re.compile(r"(增加|减少)\s*(\d+)\s*人")


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def fixed_claims(stream: Stream, facts: Facts, section_of) -> Iterator[Claim]:
    """The statements of the vocabulary (政府采购, 车辆, 设备, 项目个数 …), each
    with its numbers by field name."""
    from budgetaudit.extract.narrative_vocab import vocabulary

    for statement in vocabulary().statements:
        for match in statement.pattern.finditer(stream.text):
            line = stream.line_at(match.start())
            values = {name: _d(value) for name, value in match.groupdict().items()
                      if value is not None and name in statement.fields}
            items: tuple = ()
            if statement.items is not None:
                items = _listed(statement.items, stream.text, match.end())
                if not items:
                    continue  # no list follows: not this statement
                values[statement.items_into] = sum((v for _, v in items), Decimal(0))
            yield Claim(kind=statement.kind, subject=statement.subject, line=line,
                        text=match.group(0), section=section_of(line), values=values,
                        items=items, ref=statement.ref, page=stream.page_at(match.start()))


_LIST_END = re.compile(r"[。；;\n]|其中")
_ITEM_EDGES = " \t，,、；;：:"


def _listed(item, text: str, start: int) -> tuple[tuple[str, Decimal], ...]:
    """The items listed from `start` to the end of the sentence or a 其中 that details
    one of them ("机要通信用车 2 辆、应急保障用车 2 辆、…"), each as its words and its number."""
    end = _LIST_END.search(text, start)
    return tuple((text[m.start():m.start("n")].strip(_ITEM_EDGES), _d(m.group("n")))
                 for m in item.finditer(text, start, end.start() if end else len(text)))


OFFICES = re.compile(r"下设\s*(\d+)\s*个(?:处室|科室|内设机构|机构|股室|部门)[，,]?\s*分别是\s*[:：]"
                     r"(?P<list>[^。\n]+)")
UNIT_COUNT = re.compile(r"下属\s*(\d+)\s*家预算单位")
UNIT_KINDS = re.compile(r"行政单位\s*(\d+)\s*家[，,]\s*事业单位\s*(\d+)\s*家")
UNIT_ITEM = re.compile(r"^\s*(\d+)\s*[、.．]\s*(?P<name>\S+)")


def organisation_claims(stream: Stream) -> Iterator[Claim]:
    """Counts of 第一部分 against what it lists: offices, budget units."""
    for match in OFFICES.finditer(stream.text):
        listed = [part for part in re.split(r"[、，,]", match.group("list")) if part.strip()]
        yield Claim(kind="listed_count", subject="内设处室", line=stream.line_at(match.start()),
                    text=match.group(0), section="part1",
                    values={"stated": Decimal(match.group(1)), "listed": Decimal(len(listed))},
                    page=stream.page_at(match.start()))
    kinds = UNIT_KINDS.search(stream.text)
    if kinds is None:
        return
    items = _listed_units(stream.text[kinds.end():])
    values = {"administrative": Decimal(kinds.group(1)), "public": Decimal(kinds.group(2)),
              "listed": Decimal(len(items))}
    count = UNIT_COUNT.search(stream.text)
    if count:
        own = 1 if items and "本级" in items[0] else 0
        values["subordinate"] = Decimal(count.group(1)) + own
    yield Claim(kind="units", subject="预算单位", line=stream.line_at(kinds.start()),
                text=kinds.group(0), section="part1", values=values,
                page=stream.page_at(kinds.start()))


def _listed_units(text: str) -> list[str]:
    """The numbered list after "…预算单位包括：", one unit per paragraph."""
    names = []
    for paragraph in text.split("\n")[1:]:
        match = UNIT_ITEM.match(paragraph)
        if not match or int(match.group(1)) != len(names) + 1:
            break
        names.append(match.group("name"))
    return names


def staff_claims(stream: Stream) -> Iterator[Claim]:
    """实有人数 = 在职 + 退休 + 离休, and each group's change versus last year."""
    for match in STAFF.finditer(stream.text):
        total, active, retired, veteran = (Decimal(match.group(i)) for i in (1, 2, 4, 6))
        values = {"total": total, "active": active, "retired": retired, "veteran": veteran}
        for name, tail in (("active", "c1"), ("retired", "c2"), ("veteran", "c3")):
            change = CHANGE_PEOPLE.search(match.group(tail) or "")
            if change:
                sign = 1 if change.group(1) == "增加" else -1
                values[f"{name}_change"] = Decimal(change.group(2)) * sign
        yield Claim(kind="staff", subject="实有人数", line=stream.line_at(match.start()),
                    text=match.group(0), section="part1", values=values,
                    page=stream.page_at(match.start()))
