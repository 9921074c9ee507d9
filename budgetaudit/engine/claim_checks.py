"""Checks over narrative claims: restated amounts, shares, year-over-year changes.

Narrative numbers are intervals like table cells, at the precision printed
("57.8" covers 57.75…57.85), so "住房保障支出 57.8 万元" agrees with a table's
57.80 while "150.00" does not agree with 154.00.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import Iterator, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.interval import Interval, center, ratio_percent, rounds_to, truncates_to
from budgetaudit.engine.outcome import Outcome, judge
from budgetaudit.engine.resolve import (
    FactIndex, TableAbsent, amount_interval, in_wan, narrative_term, place, unpaired, where,
    yuan_as_wan,
)
from budgetaudit.model import Claim, Location

ZERO = Interval.exact(Decimal(0))


EITHER = " || "


@lru_cache(maxsize=512)
def _parsed(ref: str):
    return expr.parse(ref)


def table_value(index: FactIndex, ref: Optional[str]) -> Optional[expr.Evaluated]:
    """The table fact a claim restates, or None when it cannot be read here."""
    if not ref:
        return None
    if EITHER in ref:  # the first of the figures the words may mean that the tables answer
        return next((v for v in (table_value(index, a) for a in either(ref)) if v is not None), None)
    try:
        return expr.evaluate(_parsed(ref), index)
    except (TableAbsent, expr.ExprError):
        return None


def either(ref: Optional[str]) -> list[str]:
    """"收支总表[支出:总计] || 收支总表[支出:本年支出合计]": words that, in one layout,
    may mean either figure (西安 2022 prints 结转下年 and 未安排支出的实户资金 between
    them, and its writers say 预算支出 of both); a plain ref is one."""
    return [a.strip() for a in ref.split(EITHER)] if ref else []


def claims_of(index: FactIndex, *kinds: str) -> list[Claim]:
    return [c for c in index.facts.claims if c.kind in kinds]


@builtin("claim_amounts", optional=("basis", "exclude_basis", "warn_basis"),
         doc="情况说明中的金额等于它所复述的表中数字")
def check_claim_amounts(index: FactIndex, params: dict) -> Iterator[Outcome]:
    """warn_basis: bases whose differences are reported as warnings (a figure whose
    words may draw its line elsewhere than the table: 深圳's 公用经费 by category)."""
    include, exclude = params.get("basis"), params.get("exclude_basis", [])
    warned = params.get("warn_basis", [])
    judged: set = set()  # figures judged together (a pair against one cell), once
    for claim in claims_of(index, "amount"):
        if include and claim.basis not in include or claim.basis in exclude:
            continue
        outcomes = []
        for ref in either(claim.ref):
            table = table_value(index, ref)
            if table is None:
                continue
            narrative = _against_finer(narrative_term(claim, "amount"), table, index)
            outcomes.append(judge([narrative], table, "=", "情况说明中的金额应与表中数字一致"))
            if not outcomes[-1].verdict.fails:
                break  # words that may mean either of two figures restate the one they match
        if outcomes:
            chosen = outcomes[-1] if not outcomes[-1].verdict.fails else outcomes[0]
            together = _narrative_places(chosen)
            if together is not None:
                if together in judged:
                    continue  # "在职人员经费 A = 301 − 增人增资 D" and "D = 301 − A": one relation
                judged.add(together)
            yield replace(chosen, lowered="warning") if claim.basis in warned else chosen


def _narrative_places(outcome) -> Optional[frozenset]:
    """Where the figures of an outcome that sets narrative figures against each other
    stand (None for one figure against table cells)."""
    terms = [s.term for s in (*outcome.lhs.terms, *outcome.rhs.terms)]
    if sum(1 for t in terms if t.location.table is None) < 2:
        return None
    return frozenset((t.location.line, t.location.table, t.location.row, t.location.column)
                     for t in terms)


def _against_finer(term: expr.Term, value: expr.Evaluated, index: FactIndex) -> expr.Term:
    """A narrative amount restating a table printed to more decimals (北京's six,
    or 元) is that value rounded or cut to the narrative's places, or the sum of
    its printed parts each rounded (DOMAIN: a sum of rounded parts is rounding):
    the parts are the finer classes under a class (each level of them), the items
    under an uncoded subtotal and the columns that make up a 合计. So are the
    value rounded one place at a time, and the value moved one unit where the
    narrative lists the rows beside it and it makes that list add up
    (_nudged_amount). Any of these is reported as rounding. A class's (or an item's)
    parts are all printed beside it, so any other figure for it is compared as
    printed; a total or another fact may be summed from elsewhere and keeps one
    unit either way. An exact zero is nothing, not a finer print."""

    unit = term.interval.width
    table = value.interval
    if not table.width < unit or table.width == 0 or term.value is None:
        return term  # an exact zero (blank, or funds of 0.00) is nothing, not a finer print
    whole = term.value == term.value.to_integral_value() and term.value.as_tuple().exponent == 0 \
        and table.width < Decimal("0.01")
    if whole:  # 上海 prints whole 万元 ("收入预算18037万元") for tables in 元
        term, unit = replace(term, interval=Interval.printed(term.value)), Decimal(1)
    if _rounds_half_up(table, unit) == term.value:
        return term
    parts = _other_classification_parts(index, value, unit)
    if parts:
        # a class of the second classification (西安 "机关商品和服务支出（502）") is printed
        # nowhere: where the narrative states every class and its figures add up to the
        # table's total, they are the writer's own rounding of the rows (per unit, not
        # printed; the sum of k rounded parts is within k half-units), or one figure moved
        # one unit so that they do
        reach, words = (parts * unit / 2, f"{parts} 行分别舍入后相加") if parts > 0 \
            else (unit, "为使所列各数之和与合计相符而调整末位")
        return replace(term, interval=Interval(term.value - reach, term.value + reach),
                       label=f"{term.label}（{words}）")
    found, coded = _roundings(index, value, unit, term.value)
    if _printed_in_wan(index, value):  # 北京's six decimals: the printed figure rounded twice
        found.setdefault(_stepwise(table, unit), "逐位舍入")
    found.setdefault(_cut(table, unit), "截尾")
    if term.value in found:  # the finding says which rounding explains the figure
        reach = abs(center(table) - term.value) + unit / 2
        return replace(term, interval=Interval(term.value - reach, term.value + reach),
                       label=f"{term.label}（{found[term.value]}）")
    if not coded and not whole:
        # a total, or a fact whose parts are unknown, may be summed from another table's
        # rounded figures (北京's 基本支出 from its 人员经费 and 公用经费): one unit either way
        return replace(term, interval=Interval(term.interval.lo - unit / 2, term.interval.hi + unit / 2))
    return term


def _other_classification_parts(index: FactIndex, value: expr.Evaluated, unit: Decimal) -> int:
    """How many rows a class of the second classification adds up, when the
    narrative states every class of that classification, its figures add up to
    their sum rounded and two or more of them are not their class rounded (西安商务局
    2022: 2137.56 + 5032.62 + … = 57398.06, as the table, with 501, 502 and 505 off
    their rows' sums): the writer rounded parts of their own. -1 when only this one
    is off, by one unit (a nudge); 0 otherwise, or when the value is not such a class."""
    from decimal import ROUND_HALF_UP

    if len(value.terms) < 2 or any(s.coefficient != 1 for s in value.terms):
        return 0
    found = [_cell_row(index, s.term.location) for s in value.terms]
    if not all(f is not None and f[1].alt_code for f in found):
        return 0
    table, column = found[0][0], value.terms[0].term.location.column
    size = len(found[0][1].alt_code) - 2 if len(found[0][1].alt_code) > 3 else 3
    classes: dict = {}
    for row in table.rows:
        if row.alt_code and row.code:
            amount = in_wan(table, row.cells.get(column))[0] or Decimal(0)
            classes[row.alt_code[:size]] = classes.get(row.alt_code[:size], Decimal(0)) + amount
    listed = _listed_rows(index)
    stated = {code: listed.get(code) for code, amount in classes.items() if amount}
    if None in stated.values():
        return 0
    places = unit.normalize()
    whole = sum(classes.values(), Decimal(0)).quantize(places, rounding=ROUND_HALF_UP)
    if sum(stated.values(), Decimal(0)) != whole:
        return 0
    off = {code: said - classes[code].quantize(places, rounding=ROUND_HALF_UP)
           for code, said in stated.items()}
    off = {code: gap for code, gap in off.items() if gap}
    if len(off) >= 2:
        return len(found)
    return -1 if [abs(gap) for gap in off.values()] == [places] else 0


def _printed_in_wan(index: FactIndex, value: expr.Evaluated) -> bool:
    """Whether the value is cells of tables printed in 万元 (to more places than the
    narrative), not converted from 元."""
    found = [_cell_row(index, signed.term.location) for signed in value.terms]
    return bool(found) and all(f is not None and f[0].unit == "万元" for f in found)


def _stepwise(table: Interval, unit: Decimal) -> Decimal:
    """The table's value rounded one place at a time (74.814680 → 74.8147 → 74.815 →
    74.82): rounding twice, an artefact of the pen, not a misprint."""
    from decimal import ROUND_HALF_UP

    value = center(table)
    places = -value.normalize().as_tuple().exponent
    target = -unit.normalize().as_tuple().exponent
    for place in range(places - 1, target - 1, -1):
        value = value.quantize(Decimal(1).scaleb(-place), rounding=ROUND_HALF_UP)
    return value


def _cut(table: Interval, unit: Decimal) -> Decimal:
    """The table's value cut (not rounded) to the narrative's places."""
    from decimal import ROUND_DOWN

    return center(table).quantize(unit.normalize(), rounding=ROUND_DOWN)


def _roundings(index: FactIndex, value: expr.Evaluated, unit: Decimal,
               stated: Optional[Decimal] = None) -> tuple[dict, bool]:
    """The sums of a table cell's printed parts each rounded to `unit` (its finer
    classes, level by level, and the columns that make up a 合计), and whether the
    cell's parts are all printed beside it: a coded row's (its classes), a row no
    other row is part of (北京's 公务接待费: nothing to sum but the cell) or an
    uncoded subtotal over the items printed under it. Each sum comes with the words
    that say how it was made."""
    from decimal import ROUND_HALF_UP

    if len(value.terms) > 1:
        return _summed_roundings(index, value, unit)
    if len(value.terms) != 1:
        return {}, False
    location = value.terms[0].term.location
    found = _cell_row(index, location)
    if found is None:
        return {}, False
    table, row = found
    under = _under(table, row)
    children = [r for r in under if r.kind == "item"]
    leaf = row.kind == "item" and not under
    # an uncoded subtotal whose items are printed under it (公务用车购置及运行费)
    parted = row.kind == "subtotal" and not row.code and bool(children)
    if not row.code and row.kind != "total" and not (leaf or parted):
        return {}, False
    places = unit.normalize()

    def wan(cell) -> Decimal:
        return in_wan(table, cell)[0] or Decimal(0)

    def rounded(cells) -> Decimal:
        return sum((wan(c).quantize(places, rounding=ROUND_HALF_UP) for c in cells), Decimal(0))

    found_values: dict = {}
    coded = [r for r in table.rows if r.code and r.kind != "total"]
    prefix = row.code or ""
    lengths = {len(r.code) for r in coded if len(r.code) > len(prefix)} \
        if row.code or row.kind == "total" else ()
    for length in sorted(lengths):
        level = [r for r in coded if len(r.code) == length and r.code.startswith(prefix)]
        if level:
            found_values.setdefault(rounded(r.cells.get(location.column) for r in level),
                                    "各下级科目分别舍入后相加")
    if parted:
        found_values.setdefault(rounded(r.cells.get(location.column) for r in children),
                                "各明细项分别舍入后相加")
    if stated is not None and _nudged_amount(table, row, location.column, wan, places, stated,
                                             _listed_rows(index)):
        found_values.setdefault(stated, "为使所列各数之和与合计相符而调整末位")
    others = [v for k, v in row.cells.items() if k != location.column and v is not None]
    if len(others) >= 2 and sum(others) == row.cells.get(location.column):
        found_values.setdefault(rounded(others), "各列分别舍入后相加")
    return found_values, bool(row.code) or leaf or parted


def _summed_roundings(index: FactIndex, value: expr.Evaluated, unit: Decimal) -> tuple[dict, bool]:
    """A figure restating the sum of rows (北京's 公务用车购置和运行维护费, whose 小计 is blank:
    购置费 + 运行费): the rows each rounded and added; strict when every row is one no
    other row is part of, as a single such row is."""
    from decimal import ROUND_HALF_UP

    total, strict = Decimal(0), True
    if any(evaluated.coefficient != 1 for evaluated in value.terms):
        return {}, False
    for evaluated in value.terms:
        location = evaluated.term.location
        if evaluated.term.value is None:
            continue  # a blank cell adds nothing
        found = _cell_row(index, location)
        if found is None:
            return {}, False
        table, row = found
        strict = strict and row.kind == "item" and not _under(table, row)
        total += (in_wan(table, row.cells.get(location.column))[0] or Decimal(0)).quantize(
            unit.normalize(), rounding=ROUND_HALF_UP)
    return {total: "各行分别舍入后相加"}, strict


def _under(table, row) -> list:
    """The rows printed as parts of `row` (their parent is it, on its side)."""
    names = {row.key or row.label, row.label}
    return [r for r in table.rows if r.parent in names and r.side == row.side]


def _listed_rows(index: FactIndex) -> dict:
    """The rows (code, key or label, without side) the narrative's amounts restate,
    each with the first amount (万元) stated for it."""
    rows = index.__dict__.get("_listed_rows")
    if rows is None:
        rows = {}
        for claim in index.facts.claims:
            if claim.kind != "amount" or "amount" not in claim.values:
                continue
            stated = claim.values["amount"]
            stated = yuan_as_wan(stated) if claim.unit == "元" else stated
            named = re.findall(r"\[([^\]]*)\]", claim.ref or "")
            if len(named) != 1:
                continue  # a sum of several rows is not a figure of one
            rows.setdefault(named[0].split(":", 1)[-1], stated)
            # the row as printed, when the reference names it in another spelling
            # (政府采购表[货物] for 北京's "A-货物")
            value = table_value(index, claim.ref)
            found = _cell_row(index, value.terms[0].term.location) \
                if value is not None and len(value.terms) == 1 else None
            if found is not None:
                for name in (found[1].code, found[1].key, found[1].label):
                    if name:
                        rows.setdefault(name, stated)
        index.__dict__["_listed_rows"] = rows
    return rows


def _nudged_amount(table, row, column: str, wan, places: Decimal, stated: Decimal,
                   listed: dict) -> bool:
    """Whether the figure is its row's rounding moved one unit so that the
    narrative's list adds up: the narrative states every row beside it (the
    classes under one parent, or the items beside it), those rows rounded do not
    add up to their sum rounded, and the stated figures do (上海 "“社会保障和就业
    支出”科目5,331万元" for 5,330.0945: 5,331 + 102 + 51 = 5,484, the 5,483.70 of the
    three rounded; DOMAIN: a nudged share is not a misprint, nor a nudged amount)."""
    from decimal import ROUND_HALF_UP

    if row.code:
        parent = row.code[:-2] if len(row.code) > 3 else ""
        siblings = [r for r in table.rows if r.code and len(r.code) == len(row.code)
                    and r.code.startswith(parent) and r.kind != "total" and r.side == row.side]
    else:
        siblings = [r for r in table.rows if not r.code and r.kind in ("item", "subtotal")
                    and r.parent == row.parent and r.side == row.side]
    others = [r for r in siblings if r is not row and wan(r.cells.get(column))]
    said = [next((listed[n] for n in (r.code, r.key, r.label) if n in listed), None) for r in others]
    if not others or None in said:
        return False  # the list is not the narrative's: nothing asks it to add up

    def rounded(amount: Decimal) -> Decimal:
        return amount.quantize(places, rounding=ROUND_HALF_UP)

    own = rounded(wan(row.cells.get(column)))
    whole = rounded(sum((wan(r.cells.get(column)) for r in siblings), Decimal(0)))
    return abs(stated - own) == places and stated + sum(said, Decimal(0)) == whole


def _cell_row(index: FactIndex, location: Location):
    """The (table, row) a cell's location names (its line, and its label where
    the two sides of a table share a line)."""
    from budgetaudit.engine.resolve import row_label

    for table in index.facts.tables:
        if table.id == location.table:
            rows = [r for r in table.rows if r.line == location.line]
            named = [r for r in rows if location.row is not None
                     and location.row.startswith(row_label(r))]
            row = (named or rows or [None])[0]
            if row is not None:
                return table, row
    return None


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


def restated_groups(index: FactIndex) -> list[list[Claim]]:
    """The amounts the narrative states more than once for one table fact (the same
    reference and basis), each group in document order."""
    groups: dict = {}
    for claim in claims_of(index, "amount"):
        if claim.ref and EITHER not in claim.ref and "amount" in claim.values:
            groups.setdefault((unpaired(claim.ref), claim.basis), []).append(claim)
    return [group for group in groups.values() if len(group) > 1]


@builtin("claim_restated", doc="同一数字在文中各处说法一致")
def check_claim_restated(index: FactIndex, params: dict) -> Iterator[Problem]:
    """A figure stated twice printed differently (深圳 lists a unit's 公用经费 in one
    sentence and restates it under "（二）公用经费"): whatever the tables say, one of
    the two is wrong. Compared as printed (57.8 and 57.80 agree), unless the table
    prints the figure finer and each is one of its roundings (64022.46938: 64022.47
    in one place, cut to 64022.46 in another, as D401 notes). A figure restating a
    cell less another figure of the narrative (在职人员经费) is no finer print."""
    for group in restated_groups(index):
        terms = [narrative_term(c, "amount") for c in group]
        table = table_value(index, group[0].ref)
        finer = table is not None and all(s.term.location.table for s in table.terms)
        if finer and not any(
                judge([_against_finer(t, table, index)], table).verdict.fails for t in terms):
            continue  # each a rounding, or the cut, of a figure the table prints finer
        differ = [judge([terms[0]], [t]).verdict.fails for t in terms]  # as printed
        if not any(differ):
            continue
        odd = next(c for c, d in zip(group, differ) if d)
        said = "，".join(f"{where(c)}为 {c.values['amount']} {c.unit}" for c in group)
        yield Problem(f"{group[0].subject}前后说法不一：{said}",
                      f"{group[0].subject} is stated as "
                      + ", ".join(f"{c.values['amount']} {c.unit} ({where(c)})" for c in group),
                      tuple(place(c) for c in group),
                      expected=group[0].values["amount"], actual=odd.values["amount"])
