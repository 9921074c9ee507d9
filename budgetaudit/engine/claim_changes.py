"""Year-over-year claims: "比上年增加 A 万元，增长 B%".

The prior year is implied: current − A after 增加, current + A after 减少, and
B must be A / prior × 100 at the precision printed. A new item (prior 0) is
written "增长 100%" by convention. Prior values implied by items must add up
to the prior value of their whole.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator, Optional

from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.claim_checks import claims_of, table_value
from budgetaudit.engine.interval import Interval, center, ratio_percent, rounds_to, truncates_to
from budgetaudit.engine.resolve import FactIndex, amount_interval, place, where
from budgetaudit.model import Claim

NEGATION = "未|无|不|没有"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
SMALLEST = Decimal("0.0001")  # a prior that may be zero, taken as barely positive
LARGEST = Decimal(10) ** 9


def current_of(index: FactIndex, claim: Claim) -> Optional[Interval]:
    if "amount" in claim.values:
        return amount_interval(claim.values["amount"], claim.unit)
    table = table_value(index, claim.ref)
    return table.interval if table is not None else None


def prior_of(claim: Claim, current: Interval) -> Optional[Interval]:
    """Last year's value: stated ("比上年 35201.58 万元减少"), or implied by the
    delta; None when the claim gives neither."""
    if "prior" in claim.values:
        return amount_interval(claim.values["prior"], claim.unit)
    if "delta" not in claim.values:
        return None
    delta = amount_interval(claim.values["delta"], claim.unit)
    return current - delta if claim.direction == "增加" else current + delta


def delta_of(claim: Claim, current: Interval) -> Optional[Interval]:
    """The change as a positive amount: stated, or the distance from a stated prior."""
    if "delta" in claim.values:
        return amount_interval(claim.values["delta"], claim.unit)
    prior = prior_of(claim, current)
    if prior is None:
        return None
    return current - prior if claim.direction == "增加" else prior - current


def _quantum(value: Decimal) -> Decimal:
    return Decimal(1).scaleb(value.as_tuple().exponent)


def rate_verdict(claim: Claim, current: Interval) -> tuple[str, Optional[Decimal]]:
    """("ok" | "truncated" | "wrong" | "unknown", the rate the figures give)."""
    rate = claim.values["rate"]
    if claim.values.get("delta") == 0:
        return ("ok" if rate == 0 else "wrong"), Decimal(0)
    prior, delta = prior_of(claim, current), delta_of(claim, current)
    if prior is None or delta is None or delta.hi <= 0:
        return "unknown", None  # no prior to divide by, or the direction is wrong (F605)
    delta = Interval(max(delta.lo, Decimal(0)), delta.hi)
    if prior.hi <= 0:
        return "wrong", None  # more added than there is this year
    from_nothing = prior.lo <= 0
    if from_nothing:
        # last year may have had nothing: a new item is "增长 100%" by convention
        if claim.direction == "增加" and rate == HUNDRED:
            return "ok", HUNDRED
        prior = Interval(SMALLEST, prior.hi)
    exact = ratio_percent(delta, prior)
    # from (possibly) nothing the rate has no value to state: "增减率无从算出"
    computed = center(exact).quantize(_quantum(rate)) \
        if exact.hi < LARGEST and not from_nothing else None
    if rounds_to(exact, rate):
        return "ok", computed
    return ("truncated" if truncates_to(exact, rate) else "wrong"), computed


def _change_text(claim: Claim) -> str:
    v, unit = claim.values, claim.unit
    text = f"{claim.subject}{' ' + str(v['amount']) + ' ' + unit if 'amount' in v else ''}，比上年"
    if "prior" in v:
        text += f" {v['prior']} {unit} "
    text += claim.direction + (f" {v['delta']} {unit}" if "delta" in v else "")
    if "rate" in v:
        text += f"，{claim.rate_word or ''} {v['rate']}%"
    return text


@builtin("change_rates", optional=("kind",), doc="增长（下降）率等于增减额除以上年数")
def check_change_rates(index: FactIndex, params: dict) -> Iterator[Problem]:
    kind = params.get("kind", "wrong")
    for claim in claims_of(index, "change"):
        current = current_of(index, claim)
        if current is None or "rate" not in claim.values:
            continue
        verdict, computed = rate_verdict(claim, current)
        if verdict != kind:
            continue
        prior = center(prior_of(claim, current)).quantize(CENT)
        note = "（截断而非四舍五入所得）" if kind == "truncated" else ""
        should = f"增减率应为 {computed}%" if computed is not None else "增减率无从算出"
        message = (f"{_change_text(claim)}：上年数应为 {prior}，{should}，"
                   f"文中为 {claim.values['rate']}%{note}")
        yield Problem(message, f"{claim.subject}: rate should be {computed}%, "
                      f"stated {claim.values['rate']}%", (place(claim),),
                      expected=computed,
                      actual=claim.values["rate"])


@builtin("change_words", doc="增加与增长、减少与下降搭配")
def check_change_words(index: FactIndex, params: dict) -> Iterator[Problem]:
    pairs = {("增加", "下降"), ("减少", "增长")}
    for claim in claims_of(index, "change"):
        if (claim.direction, claim.rate_word) in pairs and claim.values.get("delta") != 0 \
                and claim.values.get("rate") != 0:
            yield Problem(f"{_change_text(claim)}：“{claim.direction}”与“{claim.rate_word}”方向相反",
                          f"{claim.subject}: '{claim.direction}' contradicts '{claim.rate_word}'",
                          (place(claim),))


def _words(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def reason_direction(reason: str) -> Optional[str]:
    """增加 or 减少 when the reason argues one way only; None when it argues
    both, neither, or is unclear (narrative.yaml changes.reason_*)."""
    from budgetaudit.extract.narrative_vocab import vocabulary

    words = vocabulary().changes
    up, down = _words(words["reason_up"]), _words(words["reason_down"])
    unclear = _words(words["reason_unclear"])
    if unclear and re.search(unclear, reason):
        return None
    if re.search(rf"(?:{NEGATION})(?:{up}|{down})", reason):
        return None  # 未压减, 不增加: negated
    rising, falling = bool(re.search(up, reason)), bool(re.search(down, reason))
    return ("增加" if rising else "减少") if rising != falling else None


@builtin("change_reasons", doc="“主要原因”与增减方向一致")
def check_change_reasons(index: FactIndex, params: dict) -> Iterator[Problem]:
    for claim in claims_of(index, "change"):
        reason = claim.reason or ""
        if not reason or claim.values.get("delta") == 0 or claim.values.get("rate") == 0 \
                or claim.direction not in ("增加", "减少"):
            continue
        argued = reason_direction(reason)
        if argued is not None and argued != claim.direction:
            yield Problem(f"{_change_text(claim)}，但主要原因说的是{argued}：“{reason}”",
                          f"{claim.subject} {claim.direction}, but the reason argues the "
                          f"opposite: {reason}", (place(claim),))


def _restatements(index: FactIndex) -> Iterator[tuple[Claim, Claim]]:
    """Pairs of changes of one subject (基本支出, 项目支出…) in two sections."""
    changes = [c for c in claims_of(index, "change")
               if "amount" in c.values and c.basis and "delta" in c.values]
    for position, first in enumerate(changes):
        for second in changes[position + 1:]:
            if first.subject == second.subject and first.section != second.section:
                yield first, second


def _restated_problem(first: Claim, second: Claim, note: str, expected, actual) -> Problem:
    def said(c: Claim) -> str:
        return (f"{where(c)}为 {c.values['amount']} 万元，比上年{c.direction} "
                f"{c.values['delta']} 万元，{c.rate_word} {c.values['rate']}%")

    return Problem(f"{first.subject}的变化前后说法不一：{said(first)}；{said(second)}。{note}",
                   f"{first.subject}: the change on lines {first.line} and {second.line} "
                   f"disagree", (place(first), place(second)), expected=expected, actual=actual)


@builtin("change_restated", doc="同一数字在不同部分说明的增减一致")
def check_change_restated(index: FactIndex, params: dict) -> Iterator[Problem]:
    """Same figure, same basis: the same change. All funds against the general
    budget alone (三 against 五): the all-funds prior year cannot be smaller,
    since it contains the general budget."""
    for first, second in _restatements(index):
        prior_a = prior_of(first, amount_interval(first.values["amount"], first.unit))
        prior_b = prior_of(second, amount_interval(second.values["amount"], second.unit))
        if first.basis == second.basis:
            if first.values["amount"] == second.values["amount"] and not prior_a.overlaps(prior_b):
                yield _restated_problem(first, second, "同一口径的同一数字，增减应相同",
                                        first.values["delta"], second.values["delta"])
            continue
        bases = {first.basis: prior_a, second.basis: prior_b}
        if set(bases) == {"all", "gpb"} and bases["all"].hi < bases["gpb"].lo:
            all_prior = center(bases["all"]).quantize(CENT)
            gpb_prior = center(bases["gpb"]).quantize(CENT)
            yield _restated_problem(first, second,
                                    f"由此推算上年全部资金 {all_prior} 小于其中的一般公共预算 "
                                    f"{gpb_prior}，不可能", gpb_prior, all_prior)


# Partitions whose items are, by construction, all there is: 基本 + 项目 支出.
COMPLETE_ITEMS = {"基本支出", "项目支出"}
# (partition that may miss discontinued items, complete partition of the same whole)
PARTITION_PAIRS = (("change:income", "change:expense"), ("change:gpb.3", "change:gpb.1"))


def _prior_sum(index: FactIndex, claims: list[Claim]) -> Optional[Interval]:
    total = Interval.exact(Decimal(0))
    for claim in claims:
        current = current_of(index, claim)
        prior = prior_of(claim, current) if current is not None else None
        if prior is None:
            return None
        total = total + prior
    return total


_BOTH = re.compile(r"购置(?:及|和)运行")


def _leaves(items: list[Claim]) -> list[Claim]:
    """The items without a parent stated beside its parts: 公务用车购置及运行费
    and, under it, 公务用车购置费 and 公务用车运行费 (上海) count once."""
    parts = [c for c in items if not _BOTH.search(c.subject)]
    has_parts = any("购置" in c.subject or "运行" in c.subject for c in parts)
    return parts if has_parts else items


def _wholes(index: FactIndex) -> Iterator[tuple[list[Claim], Claim | list[Claim], str]]:
    """(items, whole, what the whole is): a stated total, or a complete partition."""
    groups: dict[str, list[Claim]] = {}
    for claim in claims_of(index, "change"):
        groups.setdefault(claim.group or "", []).append(claim)
    for claims in groups.values():
        totals = [c for c in claims if "三公" in c.subject]
        if len(totals) == 1 and len(claims) > 1:
            yield _leaves([c for c in claims if c is not totals[0]]), totals[0], totals[0].subject
    for partial, complete in PARTITION_PAIRS:
        items, whole = groups.get(partial), groups.get(complete)
        if items and whole and {c.subject for c in whole} == COMPLETE_ITEMS:
            yield items, whole, "基本支出与项目支出"


@builtin("change_reconstruction", optional=("kind",),
         doc="各项推算的上年数之和等于总数推算的上年数")
def check_change_reconstruction(index: FactIndex, params: dict) -> Iterator[Problem]:
    kind = params.get("kind", "over")
    for items, whole, name in _wholes(index):
        whole_claims = whole if isinstance(whole, list) else [whole]
        parts, total = _prior_sum(index, items), _prior_sum(index, whole_claims)
        if parts is None or total is None:
            continue
        over, short = parts.lo > total.hi, parts.hi < total.lo
        if (kind == "over" and not over) or (kind == "short" and not short):
            continue
        parts_prior, whole_prior = center(parts).quantize(CENT), center(total).quantize(CENT)
        difference = parts_prior - whole_prior
        lines = "、".join(dict.fromkeys(where(c) for c in items))
        note = ("各项之和大于总数" if over else
                "各项之和小于总数（可能有本年已取消、未列出的项目）")
        yield Problem(
            f"由增减额推算的上年数：{lines}各项合计 {parts_prior}，"
            f"而{name}推算为 {whole_prior}，差 {difference}，{note}",
            f"prior-year values implied by the items add up to {parts_prior}, "
            f"the whole implies {whole_prior}",
            tuple(place(c) for c in whole_claims + items),
            expected=whole_prior, actual=parts_prior)
