"""The relations of the vocabulary's fixed statements (narrative.yaml `statements`).

"政府采购预算 {total} 万元，其中：货物 {goods} …" with "total = goods + works +
services": each relation is judged like a rule's equation, on the numbers of
one statement; a name written kind.field is a field of another statement of
the same document (面向中小企业预留 ≤ procurement.total).
"""
from __future__ import annotations

from typing import Iterator, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import builtin
from budgetaudit.engine.claim_checks import claims_of, narrative_term
from budgetaudit.engine.outcome import Outcome, judge
from budgetaudit.engine.resolve import FactIndex
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
    return [narrative_term(owner, field, label, exact=field in statement.counts)
            if field in owner.values else None for owner in owners]


def _sides(index, claim, names, statements) -> list[list[expr.Term]]:
    """Every combination of terms for one side (a cross reference may name
    several statements)."""
    combos: list[list[expr.Term]] = [[]]
    for name in names:
        terms = _term(index, claim, name, statements)
        combos = [combo + [term] for combo in combos for term in terms]
    return [combo for combo in combos if all(term is not None for term in combo)]


@builtin("statement_relations", optional=("rule",),
         doc="固定表述中各数之间的关系（词汇表 statements 的 relations）")
def check_statement_relations(index: FactIndex, params: dict) -> Iterator[Outcome]:
    from budgetaudit.extract.narrative_vocab import vocabulary

    statements = {s.kind: s for s in vocabulary().statements}
    for statement in statements.values():
        if statement.rule != params.get("rule") or not statement.relations:
            continue
        for claim in claims_of(index, statement.kind):
            for left, op, right, says in statement.relations:
                words = says or (f"{_labels(left, statement, statements)}"
                                 f"{WORDS[op]}{_labels(right, statement, statements)}")
                for lhs in _sides(index, claim, left, statements):
                    for rhs in _sides(index, claim, right, statements):
                        yield judge(lhs, rhs, op, words)


def _labels(names, statement, statements) -> str:
    labels = []
    for name in names:
        kind, _, field = name.rpartition(".")
        owner = statements.get(kind, statement) if kind else statement
        labels.append(owner.fields.get(field, field))
    return labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "与" + labels[-1] + "之和"
