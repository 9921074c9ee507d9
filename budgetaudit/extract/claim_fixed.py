"""Statements with a fixed wording: staff numbers, procurement, assets, counts.

Each pattern reads one sentence the Xinjiang template prints in the same
words in every document; the numbers it holds must agree among themselves
(实有人数 = 在职 + 退休 + 离休, 采购 = 货物 + 工程 + 服务, …).
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
PROCUREMENT = re.compile(
    rf"政府采购预算\s*{N}\s*万元{SEP}其中\s*[:：]?\s*政府采购货物预算\s*{N}\s*万元{SEP}"
    rf"政府采购工程预算\s*{N}\s*万元{SEP}政府采购服务预算\s*{N}\s*万元"
)
RESERVED = re.compile(rf"面向中小企业预留政府采购项目预算金额\s*{N}\s*万元{SEP}"
                      rf"小微企业预留政府采购项目预算金额\s*{N}\s*万元")
VEHICLES = re.compile(
    rf"车辆\s*{N}\s*辆{SEP}价值\s*{N}\s*万元{SEP}其中\s*[:：]\s*一般公务用车\s*{N}\s*辆{SEP}"
    rf"价值\s*{N}\s*万元{SEP}执法执勤用车\s*{N}\s*辆{SEP}价值\s*{N}\s*万元{SEP}"
    rf"其他车辆\s*{N}\s*辆{SEP}价值\s*{N}\s*万元"
)
EQUIPMENT = re.compile(
    rf"(?:单位|部门)?(?:价值)?\s*50\s*万元以上大型设备\s*{N}\s*台(?:[（(]套[)）])?{SEP}"
    rf"(?:单位|部门)?(?:价值)?\s*100\s*万元以上大型设备\s*{N}\s*台"
)
PROJECT_COUNT = re.compile(rf"当年财政拨款项目\s*{N}\s*个{SEP}涉及(?:预算)?金额\s*{N}\s*万元")


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


SUBJECTS = {"procurement": "政府采购预算", "procurement_reserved": "政府采购预留份额",
            "vehicles": "车辆", "equipment": "大型设备", "project_count": "当年财政拨款项目"}


def _claims(stream: Stream, pattern: re.Pattern, kind: str, names: tuple[str, ...],
            facts: Facts, ref=None) -> Iterator[Claim]:
    from budgetaudit.extract.claim_build import section_of

    for match in pattern.finditer(stream.text):
        line = stream.line_at(match.start())
        numbers = [g for g in match.groups() if g is not None and re.fullmatch(N, g)]
        values = {name: _d(value) for name, value in zip(names, numbers)}
        yield Claim(kind=kind, subject=SUBJECTS[kind], line=line, text=match.group(0),
                    section=section_of(facts, line)[0], values=values, ref=ref,
                    page=stream.page_at(match.start()))


def fixed_claims(stream: Stream, facts: Facts) -> Iterator[Claim]:
    yield from _claims(stream, PROCUREMENT, "procurement",
                       ("total", "goods", "works", "services"), facts)
    yield from _claims(stream, RESERVED, "procurement_reserved", ("sme", "micro"), facts)
    yield from _claims(stream, VEHICLES, "vehicles",
                       ("count", "value", "general_count", "general_value", "law_count",
                        "law_value", "other_count", "other_value"), facts)
    yield from _claims(stream, EQUIPMENT, "equipment", ("over50", "over100"), facts)
    yield from _claims(stream, PROJECT_COUNT, "project_count", ("count", "amount"), facts,
                       ref="项目支出表[合计].项目支出合计")


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
