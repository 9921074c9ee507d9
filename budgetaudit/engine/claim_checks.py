"""Checks over narrative claims: restated amounts, shares, year-over-year changes.

Narrative numbers are intervals like table cells, at the precision printed
("57.8" covers 57.75…57.85), so "住房保障支出 57.8 万元" agrees with a table's
57.80 while "150.00" does not agree with 154.00.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Iterator, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.interval import Interval, center, ratio_percent, rounds_to, truncates_to
from budgetaudit.engine.outcome import Outcome, judge
from budgetaudit.engine.resolve import (
    YUAN_TO_WAN, FactIndex, TableAbsent, cell_interval, yuan_as_wan,
)
from budgetaudit.model import Claim, Location

ZERO = Interval.exact(Decimal(0))


@lru_cache(maxsize=512)
def _parsed(ref: str):
    return expr.parse(ref)


def table_value(index: FactIndex, ref: Optional[str]) -> Optional[expr.Evaluated]:
    """The table fact a claim restates, or None when it cannot be read here."""
    if not ref:
        return None
    try:
        return expr.evaluate(_parsed(ref), index)
    except (TableAbsent, expr.ExprError):
        return None


def where(claim: Claim) -> str:
    """"第 12 页" for a PDF, "第 480 行" for text: what the reader can find."""
    return f"第 {claim.page} 页" if claim.page else f"第 {claim.line} 行"


def place(claim: Claim) -> Location:
    return Location(line=claim.line, page=claim.page, table=None, row=claim.subject)


def amount_interval(value: Decimal, unit: str = "万元") -> Interval:
    """A narrative amount as 万元: 万元 figures carry two decimals even when the
    text drops trailing zeros ("57.8" is 57.80, "10" is 10.00); a figure in 元
    is scaled, at its printed precision."""
    if unit == "万元":
        return cell_interval(value)
    return Interval.printed(value) * YUAN_TO_WAN


def narrative_term(claim: Claim, role: str, label: Optional[str] = None,
                   exact: bool = False) -> expr.Term:
    """A number of the narrative as a term: an amount, or an exact count."""
    value = claim.values[role]
    unit = claim.unit if role == "amount" else "万元"  # totals and deltas are read as 万元
    interval = Interval.exact(value) if exact else amount_interval(value, unit)
    if unit == "元" and not exact:
        value = yuan_as_wan(value)
    return expr.Term(value, interval, f"{where(claim)} {label or claim.subject}",
                     place(claim))


def claims_of(index: FactIndex, *kinds: str) -> list[Claim]:
    return [c for c in index.facts.claims if c.kind in kinds]


@builtin("claim_amounts", optional=("basis", "exclude_basis"),
         doc="情况说明中的金额等于它所复述的表中数字")
def check_claim_amounts(index: FactIndex, params: dict) -> Iterator[Outcome]:
    include, exclude = params.get("basis"), params.get("exclude_basis", [])
    for claim in claims_of(index, "amount"):
        if include and claim.basis not in include or claim.basis in exclude:
            continue
        table = table_value(index, claim.ref)
        if table is None:
            continue
        narrative = _against_finer(narrative_term(claim, "amount"), table.interval,
                                   _leaf_cell(index, table))
        yield judge([narrative], [t.term for t in table.terms], "=",
                    "情况说明中的金额应与表中数字一致")


def _against_finer(term: expr.Term, table: Interval, leaf: bool = False) -> expr.Term:
    """A narrative amount restating a table printed to more decimals (北京's six,
    or 元) may be the sum of rounded parts: one unit of its last digit either way
    is rounding (reported as such), not a misprint. A leaf of the table (a class
    with no finer class under it) has no parts: only its value rounded or cut to
    the narrative's places is (so too a class with a single finer class under
    it), and an exact zero is nothing to round."""
    from dataclasses import replace
    from decimal import ROUND_DOWN

    unit = term.interval.width
    if not table.width < unit or table.width == 0:
        return term  # an exact zero (blank, or funds of 0.00) is nothing, not a finer print
    if term.value is not None and term.value == term.value.to_integral_value() \
            and term.value.as_tuple().exponent == 0 and table.width < Decimal("0.01"):
        # 上海 prints whole 万元 ("收入预算18037万元") for tables in 元: as printed
        return replace(term, interval=Interval.printed(term.value))
    if term.value is not None and _rounds_half_up(table, unit) == term.value:
        return term
    if leaf or center(table) == 0:
        places = unit.normalize()
        if term.value is None or center(table).quantize(places, rounding=ROUND_DOWN) != term.value:
            return term
    return replace(term, interval=Interval(term.interval.lo - unit / 2, term.interval.hi + unit / 2))


def _leaf_cell(index: FactIndex, value: expr.Evaluated) -> bool:
    """Whether a table fact is one cell of a coded row with at most one finer
    class under it: the sum of its rounded parts is then its own value rounded."""
    if len(value.terms) != 1:
        return False
    location = value.terms[0].term.location
    for table in index.facts.tables:
        if table.id != location.table:
            continue
        row = next((r for r in table.rows if r.line == location.line), None)
        if row is not None:
            if not row.code:
                return False
            parts = {r.code for r in table.rows
                     if r.code and len(r.code) > len(row.code) and r.code.startswith(row.code)}
            return len({c[:len(row.code) + 2] for c in parts}) <= 1
    return False


def _rounds_half_up(table: Interval, unit: Decimal) -> Decimal:
    """The table's value printed to the narrative's places (125.875 → 125.88)."""
    from decimal import ROUND_HALF_UP

    return center(table).quantize(unit.normalize(), rounding=ROUND_HALF_UP)


def _share_interval(index: FactIndex, claim: Claim) -> Optional[Interval]:
    base = table_value(index, claim.base)
    if base is None or base.interval.lo <= 0:
        return None
    return ratio_percent(amount_interval(claim.values["amount"], claim.unit), base.interval)


def _share_verdicts(index: FactIndex) -> Iterator[tuple[Claim, Interval, str]]:
    """(claim, exact share interval, "rounded" | "truncated" | "nudged" | "wrong")."""
    shares = [c for c in claims_of(index, "share") if c.base]
    for claim in shares:
        exact = _share_interval(index, claim)
        if exact is None:
            continue
        stated = claim.values["share"]
        if rounds_to(exact, stated):
            verdict = "rounded"
        elif _nudged(index, claim, shares, exact):
            verdict = "nudged"  # before truncation: it explains the one odd share in a list
        elif truncates_to(exact, stated):
            verdict = "truncated"
        else:
            verdict = "wrong"
        yield claim, exact, verdict


def _nudged(index: FactIndex, claim: Claim, shares: list[Claim], exact: Interval) -> bool:
    """Shifted by one last-place unit so that the list adds up to exactly 100%."""
    stated = claim.values["share"]
    unit = Decimal(1).scaleb(stated.as_tuple().exponent)
    rounded = center(exact).quantize(unit)
    siblings = [c for c in shares if c.group == claim.group]
    total = sum((c.values["share"] for c in siblings), Decimal(0))
    return abs(stated - rounded) <= unit and total == 100 and total - stated + rounded != 100


def _share_problem(claim: Claim, exact: Interval, note: str) -> Problem:
    stated = claim.values["share"]
    unit = Decimal(1).scaleb(stated.as_tuple().exponent)
    computed = center(exact).quantize(unit)
    message = (f"{claim.subject} {claim.values['amount']} 万元占比：按表中总数计算为 "
               f"{computed}%，文中写 {stated}%{note}")
    return Problem(message, f"{claim.subject}: share computes to {computed}%, stated {stated}%",
                   (place(claim),), expected=computed, actual=stated)


@builtin("claim_shares", optional=("kind",), doc="“占 X%”与所占金额、总数相符")
def check_claim_shares(index: FactIndex, params: dict) -> Iterator[Problem]:
    kind = params.get("kind", "wrong")
    notes = {"wrong": "，四舍五入也得不到此数",
             "truncated": "（文中为截断而非四舍五入所得）",
             "nudged": "（为使各项合计为 100% 而调整了末位）"}
    for claim, exact, verdict in _share_verdicts(index):
        if verdict == kind:
            yield _share_problem(claim, exact, notes[kind])
