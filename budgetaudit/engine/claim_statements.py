"""The relations of the vocabulary's fixed statements (narrative.yaml `statements`).

"政府采购预算 {total} 万元，其中：货物 {goods} …" with "total = goods + works +
services": each relation is judged like a rule's equation, on the numbers of
one statement; a name written kind.field is a field of another statement of
the same document (面向中小企业预留 ≤ procurement.total).

"share% = part / base" is a printed percentage: it must be what part ÷ base
rounds to at its printed precision (every value the two rounded numbers may
stand for is tried). One cut off instead of rounded is reported apart (part:
truncated, info); a base that may be nothing gives no percentage to check.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext
from typing import Iterator, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.claim_checks import claims_of
from budgetaudit.engine.interval import EXACT, Interval, ratio_percent, rounds_to, truncates_to
from budgetaudit.engine.outcome import Outcome, judge
from budgetaudit.engine.resolve import FactIndex, amount_interval, narrative_term, place
from budgetaudit.model import Claim

WORDS = {"=": "应等于", "<=": "不应超过", ">=": "不应少于"}


def _term(index: FactIndex, claim: Claim, name: str, statements: dict) -> list[Optional[expr.Term]]:
    """The terms a name stands for: this claim's field, or the field of each
    statement of another kind."""
    kind, _, field = name.rpartition(".")
    owners = [claim] if not kind else claims_of(index, kind)
    statement = statements.get(kind or claim.kind)
    if statement is None:
        return [None]
    label = statement.fields.get(field, field)
    return [_listed_term(owner, field, label) if field == statement.items_into and owner.items
            and field not in statement.counts else
            narrative_term(owner, field, label, exact=field in statement.counts)
            if field in owner.values else None for owner in owners]


def _listed_term(claim: Claim, field: str, label: str) -> expr.Term:
    """The sum of the amounts a statement lists, with the rounding of each of them
    (five parts printed to 0.01 may add up to 0.025 away from their printed sum)."""
    term = narrative_term(claim, field, label)
    with localcontext(EXACT):
        half = sum((amount_interval(value, claim.unit).width for _, value in claim.items),
                   Decimal(0)) / 2
        middle = term.interval.midpoint
        return replace(term, interval=Interval(middle - half, middle + half))


def _sides(index, claim, names, statements) -> list[list[expr.Term]]:
    """Every combination of terms for one side (a cross reference may name
    several statements)."""
    combos: list[list[expr.Term]] = [[]]
    for name in names:
        terms = _term(index, claim, name, statements)
        combos = [combo + [term] for combo in combos for term in terms]
    return [combo for combo in combos if all(term is not None for term in combo)]


@builtin("statement_relations", optional=("rule", "part"),
         doc="固定表述中各数之间的关系（词汇表 statements 的 relations）；"
             "part: truncated 只报告截断所得的百分比（不限 rule）")
def check_statement_relations(index: FactIndex, params: dict) -> Iterator[Outcome | Problem]:
    from budgetaudit.extract.narrative_vocab import vocabulary

    truncated = params.get("part") == "truncated"
    statements = {s.kind: s for s in vocabulary().statements}
    for statement in statements.values():
        if not statement.relations or (not truncated and statement.rule != params.get("rule")):
            continue
        for claim in claims_of(index, statement.kind):
            for left, op, right, says in statement.relations:
                if op == "%":
                    yield from _share(index, claim, left[0], right, says, statement, statements,
                                      truncated)
                    continue
                if truncated:
                    continue
                words = says or (f"{_labels(left, statement, statements)}"
                                 f"{WORDS[op]}{_labels(right, statement, statements)}")
                for lhs in _sides(index, claim, left, statements):
                    for rhs in _sides(index, claim, right, statements):
                        yield judge(lhs, rhs, op, words)


def _share(index, claim, stated_name, right, says, statement, statements,
           truncated: bool) -> Iterator[Problem]:
    """A printed percentage against part ÷ base: wrong (not truncated) or cut off
    instead of rounded (truncated)."""
    stated = claim.values.get(stated_name)
    part_name, base_name = right
    if stated is None:
        return
    for part in _term(index, claim, part_name, statements):
        for base in _term(index, claim, base_name, statements):
            if part is None or base is None or base.interval.lo <= 0:
                continue  # no base, or one that may be nothing: no percentage to check
            expected = ratio_percent(part.interval, base.interval)
            if rounds_to(expected, stated) or truncates_to(expected, stated) != truncated:
                continue
            value = (expected.lo + expected.hi) / 2  # shown, not judged: a ratio is not exact
            what = says or (f"{_labels((stated_name,), statement, statements)}应为"
                            f"{_labels((part_name,), statement, statements)}占"
                            f"{_labels((base_name,), statement, statements)}"
                            f"的百分比")
            cut = "，文中为截断所得（未四舍五入）" if truncated else ""
            yield Problem(
                f"{what}：{part.value} ÷ {base.value} = {value:.2f}%，文中为 {stated}%{cut}",
                f"{stated}% should be {value:.2f}% ({part_name} / {base_name})",
                tuple(dict.fromkeys((place(claim), part.location, base.location))),
                expected=value.quantize(stated), actual=stated)


def _labels(names, statement, statements) -> str:
    labels = []
    for name in names:
        kind, _, field = name.rpartition(".")
        owner = statements.get(kind, statement) if kind else statement
        labels.append(owner.fields.get(field, field))
    return labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "与" + labels[-1] + "之和"
