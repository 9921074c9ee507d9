"""决算 completion statements: "年初预算为 X 万元，支出决算为 Y 万元，完成年初预算的
Z%。决算数大于预算数的主要原因是……" (narrative.yaml statement `completion`).

Z must be Y / X (the 全年预算 when one is printed beside the 年初预算), the
word after it (大于 / 小于 / 等于 / 持平) must say how Y stands to X, and a
决算数 that differs from its 预算数 should come with its 主要原因.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.claim_checks import claims_of
from budgetaudit.engine.interval import Interval, ratio_percent, rounds_to, truncates_to
from budgetaudit.engine.resolve import FactIndex, amount_interval
from budgetaudit.model import Claim, Location

_WORD = re.compile(r"决算数[^。；;]{0,16}?(大于|高于|小于|低于|等于|持平)")
_SAYS = {"大于": 1, "高于": 1, "小于": -1, "低于": -1, "等于": 0, "持平": 0}
_ORDER_WORDS = {1: "大于", -1: "小于", 0: "等于"}


def _base(claim: Claim) -> tuple[Optional[Interval], str]:
    """The budget the 决算 is measured against, and its name."""
    if "full" in claim.values:
        return amount_interval(claim.values["full"], claim.unit), "全年预算"
    if "budget" in claim.values:
        return amount_interval(claim.values["budget"], claim.unit), "年初预算"
    return None, ""


def _order(actual: Interval, base: Interval) -> int:
    """How the printed 决算数 stands to the printed 预算数: 1, -1 or 0 (2.22 is
    less than 2.23, though both could round from 2.225)."""
    difference = actual.midpoint - base.midpoint
    return (difference > 0) - (difference < 0)


def _where(claim: Claim) -> tuple:
    return (Location(line=claim.line, page=claim.page),)


@builtin("completion_rates", optional=("part",),
         doc="决算说明“完成年初预算的 Z%”：Z = 决算 ÷ 预算，大于/小于/等于与数字相符（part: rate）；"
             "两者不等时说明主要原因（part: reason）")
def check_completion(index: FactIndex, params: dict) -> Iterator[Problem]:
    part = params.get("part", "rate")
    for claim in claims_of(index, "completion"):
        base, name = _base(claim)
        if base is None or "actual" not in claim.values:
            continue
        actual = amount_interval(claim.values["actual"], claim.unit)
        order = _order(actual, base)
        if part in ("rate", "truncated"):
            yield from _rate(claim, actual, base, name, truncated=part == "truncated")
        if part == "rate":
            yield from _direction(claim, order, name)
        if part == "reason" and order != 0 and "原因" not in claim.text:
            yield Problem(
                f"{name} {claim.values.get('full', claim.values.get('budget'))} 万元，支出决算 "
                f"{claim.values['actual']} 万元，二者不等，但未说明主要原因",
                "the final figure differs from the budget, but no main reason is given",
                _where(claim))


def _rate(claim: Claim, actual: Interval, base: Interval, name: str,
          truncated: bool = False) -> Iterator[Problem]:
    """A wrong rate (or, with truncated, one cut off instead of rounded)."""
    stated = claim.values.get("rate")
    if stated is None or base.lo <= 0:
        return
    expected = ratio_percent(actual, base)
    rounds = rounds_to(expected, stated)
    cut = not rounds and truncates_to(expected, stated)
    if rounds or cut != truncated:
        return  # F606 reports a wrong rate, F608 a truncated one
    value = (expected.lo + expected.hi) / 2
    cut = "，文中为截断所得（未四舍五入）" if truncated else ""
    yield Problem(
        f"完成{name}的 {stated}%：支出决算 {claim.values['actual']} ÷ {name} "
        f"{claim.values.get('full', claim.values.get('budget'))} 应为 {value:.2f}%{cut}",
        f"completion rate {stated}% should be {value:.2f}% (actual / budget)",
        _where(claim), expected=value.quantize(stated), actual=stated)


def _direction(claim: Claim, order: int, name: str) -> Iterator[Problem]:
    match = _WORD.search(claim.text)
    if match is None or _SAYS[match.group(1)] == order:
        return
    yield Problem(
        f"文中说决算数{match.group(1)}预算数，但支出决算 {claim.values['actual']} 万元"
        f"{_ORDER_WORDS[order]}{name} {claim.values.get('full', claim.values.get('budget'))} 万元",
        f"the text says the final figure is {match.group(1)} the budget, the numbers say otherwise",
        _where(claim))
