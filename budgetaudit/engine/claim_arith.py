"""A change that states its prior year: the numbers must agree among themselves.

"2026年度收入预算33112.47万元，比2025年年初预算数35201.58万元减少2089.11万元":
the current and prior amounts give the change, so the stated delta and the
direction word are checked against them (the rate is F601's), whatever the
layout and whether or not a table was read.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.claim_changes import current_of
from budgetaudit.engine.claim_checks import claims_of
from budgetaudit.engine.interval import Interval, center
from budgetaudit.engine.resolve import FactIndex, amount_interval, place
from budgetaudit.model import Claim

CENT = Decimal("0.01")
ZERO = Interval.exact(Decimal(0))


def _stated(claim: Claim) -> Optional[Interval]:
    """The change as the text signs it: +delta after 增加, −delta after 减少."""
    if claim.direction == "持平":
        return ZERO
    if "delta" not in claim.values:
        return None
    delta = amount_interval(claim.values["delta"], claim.unit)
    return delta if claim.direction == "增加" else -delta


def _wrong_direction(claim: Claim, change: Interval) -> bool:
    if claim.direction == "增加":
        return change.hi <= 0
    if claim.direction == "减少":
        return change.lo >= 0
    return not change.contains(0)


def _said(claim: Claim) -> str:
    delta = claim.values.get("delta")
    return claim.direction + (f" {delta} {claim.unit}" if delta is not None else "")


@builtin("change_arithmetic", doc="上年数、本年数与增减额、增减方向一致")
def check_change_arithmetic(index: FactIndex, params: dict) -> Iterator[Problem]:
    for claim in claims_of(index, "change"):
        if "prior" not in claim.values or "amount" not in claim.values:
            continue
        current = current_of(index, claim)
        prior = amount_interval(claim.values["prior"], claim.unit)
        change = current - prior
        stated = _stated(claim)
        if not _wrong_direction(claim, change) and (stated is None or stated.overlaps(change)):
            continue
        actual = center(change).quantize(CENT)
        word = "增加" if actual > 0 else "减少" if actual < 0 else "持平"
        amount = f" {abs(actual)} {claim.unit}" if actual else ""
        yield Problem(
            f"{claim.subject}：本年 {claim.values['amount']}、上年 {claim.values['prior']} {claim.unit}，"
            f"实为{word}{amount}，文中为“{_said(claim)}”",
            f"{claim.subject}: {claim.values['prior']} -> {claim.values['amount']} is a change of "
            f"{actual}, stated '{_said(claim)}'", (place(claim),),
            expected=actual, actual=stated and center(stated).quantize(CENT))
