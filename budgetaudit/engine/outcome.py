"""A relation the engine evaluated, and the finding it becomes.

Every check, built-in or equation, ends in the same shape: two sides made of
table cells, an operator and a verdict over the rounding intervals. One
function turns that into a Finding, so every finding carries the relation in
words and numbers, all the cells involved, and expected/actual as data.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from typing import Iterable, Optional

from budgetaudit.engine.expr import Evaluated, SignedTerm, Term
from budgetaudit.engine.interval import EXACT, FAILS, HOLDS, Verdict, _checked, compare
from budgetaudit.model import Finding, Location

MAX_TERMS_SHOWN = 8
ONE = Decimal(1)
NOT_EQUAL = {"=": "≠", ">=": "<", "<=": ">", ">": "≤", "<": "≥"}
RELATION_EN = {"=": "does not equal", ">=": "is less than", "<=": "is greater than",
               ">": "is not greater than", "<": "is not less than"}


@dataclass(frozen=True)
class Outcome:
    """A relation the engine judged: the verdict and both sides."""

    verdict: Verdict
    lhs: Evaluated
    rhs: Evaluated
    words: str = ""  # what the relation means, e.g. "合计应等于各类之和"
    lowered: Optional[str] = None  # a severity below the rule's, for a case that matters less


def evaluated(terms: Iterable[Term]) -> Evaluated:
    terms = tuple(terms)
    value = lo = hi = Decimal(0)
    with localcontext(EXACT):
        for term in terms:
            if term.value is not None:
                value += term.value
            lo += term.interval.lo
            hi += term.interval.hi
    # sums of valid intervals, exact: in order and finite without checking again
    return Evaluated(_checked(lo, hi), value, tuple(SignedTerm(ONE, t) for t in terms))


def judge(lhs: Iterable[Term], rhs, op: str = "=", words: str = "") -> Outcome:
    """`rhs` is terms added up, or an expression already evaluated (a table fact
    that subtracts: 收支总表 本年收入合计 − 财政拨款收支表 本年收入合计)."""
    left = evaluated(lhs)
    right = rhs if isinstance(rhs, Evaluated) else evaluated(rhs)
    with localcontext(EXACT):
        difference = left.value - right.value
    verdict = compare(left.interval, right.interval, op, difference)
    return Outcome(single_prints(verdict, left, right), left, right, words)


def single_prints(verdict: Verdict, lhs: Evaluated, rhs: Evaluated) -> Verdict:
    """Two single printed numbers are judged as printed.

    Rounding is monotone, so if the true values satisfy =, >= or <= so do
    their roundings to one precision: 1133.14 against 1133.15 is an error, not
    rounding. Only sums of rounded parts may drift. A coarser print (57.8)
    is compared with the finer one (57.80) rounded to its precision.
    """
    if verdict.fails:
        return verdict
    lefts, rights = _counted(lhs.terms), _counted(rhs.terms)
    if len(lefts) != 1 or len(rights) != 1:
        return verdict
    (left,), (right,) = lefts, rights
    if left.coefficient != 1 or right.coefficient != 1:
        return verdict
    if not (_is_print(left.term) and _is_print(right.term)):
        return verdict  # a computed value (quantity × price) is not a print
    a, b = _at_common_precision(left.term, right.term)
    if a is None:
        return verdict
    if _printed_satisfy(a - b, verdict.op):
        # 127.74 is 127.737000 printed to two decimals: the same number
        coarser = left.term.interval.width != right.term.interval.width
        return replace(verdict, status=HOLDS) if coarser and a == b else verdict
    return replace(verdict, status=FAILS)


def _counted(terms: tuple[SignedTerm, ...]) -> tuple[SignedTerm, ...]:
    """The terms that may carry rounding: an exact zero (a blank cell, a fund printed
    0.00 inside a sum) adds nothing, so 0 + 10.00 is judged as the print 10.00.
    A side that is nothing but zeros keeps one of them."""
    kept = tuple(t for t in terms if t.term.interval.width or t.term.value)
    return kept or terms[:1]


def _is_print(term: Term) -> bool:
    """A number as printed: its interval is one unit of a decimal place wide."""
    width = term.interval.width
    if term.value is None:
        return width == 0
    return width > 0 and width.normalize().as_tuple().digits == (1,)


def _at_common_precision(left: Term, right: Term) -> tuple[Optional[Decimal], Optional[Decimal]]:
    if left.value is None and right.value is None:
        return Decimal(0), Decimal(0)
    a, b = left.value or Decimal(0), right.value or Decimal(0)
    quantum = max(left.interval.width, right.interval.width)
    if quantum == 0:
        return None, None
    quantum = quantum.normalize()  # 11.645 − 11.635 is 0.010: round to 0.01, not 0.001
    with localcontext(EXACT) as context:
        context.traps[Inexact] = False  # rounding to the coarser print is the point
        return a.quantize(quantum, ROUND_HALF_UP), b.quantize(quantum, ROUND_HALF_UP)


def _printed_satisfy(difference: Decimal, op: str) -> bool:
    return {"=": difference == 0, ">=": difference >= 0, "<=": difference <= 0,
            ">": difference > 0, "<": difference < 0}[op]


def _common_place(outcome: Outcome) -> Optional[tuple[str, str]]:
    """(table label, column) when every cell of a relation shares them."""
    places = set()
    for side in (outcome.lhs, outcome.rhs):
        for signed in side.terms:
            location, label = signed.term.location, signed.term.label
            if not isinstance(location, Location) or not location.column or not location.row:
                return None
            places.add((label.split(" ", 1)[0], location.column))
    return places.pop() if len(places) == 1 else None


def describe(side: Evaluated, short: bool = False) -> str:
    """"表3 201 一般公共服务支出 合计 984.62 + … = 1247.22", blank cells left out (one
    cell left is shown alone, without "= " its own value again).

    short: name cells by their row only (the caller states table and column).
    """
    shown = [s for s in side.terms if s.term.value is not None and s.term.value != 0]
    if not side.terms:
        return "0"
    if len(side.terms) == 1:
        return _signed(side.terms[0], first=True, short=short)
    if not shown:
        return "0（各项均为空）"
    if len(shown) == 1 and shown[0].coefficient == 1:  # the one printed part is the sum
        return _signed(shown[0], first=True, short=short)
    parts = [_signed(s, first=i == 0, short=short) for i, s in enumerate(shown[:MAX_TERMS_SHOWN])]
    more = len(shown) - MAX_TERMS_SHOWN
    tail = f" …（另 {more} 项）" if more > 0 else ""
    return f"{' '.join(parts)}{tail} = {side.value}"


def _signed(signed: SignedTerm, first: bool, short: bool = False) -> str:
    value = "空" if signed.term.value is None else str(signed.term.value)
    label = signed.term.location.row if short else signed.term.label
    text = f"{label} {value}"
    if signed.coefficient < 0:
        return f"- {text}" if not first else f"-{text}"
    return text if first else f"+ {text}"


def locations(outcome: Outcome) -> tuple[Location, ...]:
    seen, result = set(), []
    for side in (outcome.lhs, outcome.rhs):
        for signed in side.terms:
            location = signed.term.location
            if isinstance(location, Location) and location not in seen:
                seen.add(location)
                result.append(location)
    return tuple(result)


def to_finding(outcome: Outcome, rule: str, severity: str, title: str) -> Optional[Finding]:
    """An error (or the rule's severity) when the relation cannot hold; info
    when it holds only within rounding; nothing when the printed numbers agree."""
    verdict = outcome.verdict
    if verdict.holds or (verdict.possible and verdict.printed_holds):
        return None
    place = _common_place(outcome)
    lhs, rhs = describe(outcome.lhs, bool(place)), describe(outcome.rhs, bool(place))
    prefix = f"{place[0]} {place[1]}列：" if place else ""
    sign = NOT_EQUAL[verdict.op]
    difference = verdict.difference
    if verdict.fails:
        message = f"{lhs} {sign} {rhs}，差 {difference}"
        message_en = f"{lhs} {RELATION_EN[verdict.op]} {rhs} (difference {difference})"
    else:
        severity = "info"
        allowance = verdict.allowance.normalize()
        message = (f"{lhs} 与 {rhs}，差 {difference}，在四舍五入误差范围（±{allowance}）内，"
                   f"不视为错误")
        message_en = (f"{lhs} and {rhs} differ by {difference}, within rounding "
                      f"(±{allowance}); not an error")
    message = prefix + message
    if outcome.words:
        message = f"{outcome.words}。{message}"
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        message_en=message_en,
        locations=locations(outcome),
        expected=outcome.rhs.value,
        actual=outcome.lhs.value,
        title=title,
    )
