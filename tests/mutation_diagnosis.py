"""Why a narrative mutant went uncaught: a first diagnosis, for listing it.

Used by benchmarks/narrative_mutation.py --skeleton to draft the exceptions and
gaps of tests/mutation_corpus.yaml; each drafted line is read before it is kept.
"Tolerance" is decided by the interval arithmetic of budgetaudit.engine: the
raised numbers are still consistent with the others at their printed precision.
"""
from __future__ import annotations

from typing import Optional

from mutation_support import Mutation, Target, claim_key, table_cells

FINER = ("金额已解析到更细的表值（元表或多位小数），claim_checks._against_finer 容许末位一个单位，"
         "改后只报 D401 info（叶行的精确值也无从四舍五入到改后之数）")
TOLERANCE = "exception"
GAP = "gap"


def mutated_claim(mutation: Mutation, target: Target, published: tuple):
    wanted = claim_key(target.claim, published)
    return {claim_key(c, mutation.facts.claims): c for c in mutation.facts.claims}.get(wanted)


def diagnose(mutation: Mutation, published) -> tuple[str, str]:
    """(TOLERANCE | GAP, one line saying why) for an uncaught mutation."""
    from budgetaudit.engine import run  # noqa: F401  (registers the checks first)
    from budgetaudit.engine.resolve import FactIndex

    index = FactIndex(mutation.facts)
    verdicts = [_unresolved(published, target) or
                _one(index, target, mutated_claim(mutation, target, published.claims))
                for target in mutation.targets]
    gaps = [why for kind, why in verdicts if kind == GAP]
    return (GAP, gaps[0]) if gaps else verdicts[0]


def _unresolved(published, target: Target) -> Optional[tuple[str, str]]:
    """An amount that restates a table cell but was not resolved to it."""
    if target.role != "amount" or target.claim.ref:
        return None
    cells = table_cells(published, target.value, target.claim.unit)
    if not cells:
        return None
    return GAP, "未解析到表（ref 为空），而所读的表中印有同数"


def _one(index, target: Target, claim) -> tuple[str, str]:
    from budgetaudit.engine.claim_checks import table_value

    table = table_value(index, claim.ref)
    if target.role == "amount" and table is not None:
        return GAP, FINER
    if claim.kind == "share":
        return _share(index, claim)
    if claim.kind == "change":
        return _change(index, target, claim)
    return GAP, f"{target.label}：未报错（它所在的关系按区间判，可能是容差，须人工核对）"


def _share(index, claim) -> tuple[str, str]:
    from budgetaudit.engine.claim_checks import _share_interval
    from budgetaudit.engine.interval import rounds_to

    if not claim.base:
        return GAP, "占比未解析出分母（base 为空），也未解析到表：没有规则核对它"
    exact = _share_interval(index, claim)
    if exact is None:
        return GAP, "占比的分母在表中取不到值"
    if rounds_to(exact, claim.values["share"]):
        return TOLERANCE, "容差：改后占比仍可由金额与分母四舍五入得到"
    return GAP, "占比改后与金额/分母不符，却未报错"


def _change(index, target: Target, claim) -> tuple[str, str]:
    from budgetaudit.engine.claim_changes import current_of, rate_verdict

    current = current_of(index, claim)
    if "rate" in claim.values and current is not None:
        verdict, computed = rate_verdict(claim, current)
        if verdict == "ok":
            return TOLERANCE, "容差：改后增减率仍可由本年与增减额（在印出精度内）四舍五入得到"
        if verdict == "unknown":
            return GAP, "增减率无从核算（缺上年数或方向不符）"
        return GAP, f"增减率改后与本年、增减额不符（{verdict}），却未报错"
    if "prior" in claim.values and "delta" in claim.values and current is not None:
        return _sum(claim, current)
    return GAP, f"{target.label}：变动的其他数字未读出，无从核对"


def _sum(claim, current) -> tuple[str, str]:
    from budgetaudit.engine.resolve import amount_interval

    prior = amount_interval(claim.values["prior"], claim.unit)
    delta = amount_interval(claim.values["delta"], claim.unit)
    implied = prior + delta if claim.direction == "增加" else prior - delta
    if implied.lo <= current.hi and current.lo <= implied.hi:
        return TOLERANCE, "容差：上年数 ± 增减额 = 本年在三者各自的舍入范围内仍成立"
    return GAP, "上年数 ± 增减额 ≠ 本年（超出舍入范围），却未报错"

