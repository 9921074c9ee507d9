"""Applying a rule set to the facts of one document."""
from __future__ import annotations

from typing import Iterable, Iterator

from budgetaudit.engine import expr
from budgetaudit.engine.checks import REGISTRY, Problem
from budgetaudit.engine.outcome import Outcome, single_prints, to_finding
from budgetaudit.engine.resolve import FactIndex, TableAbsent
from budgetaudit.engine.rulefile import Rule
from budgetaudit.model import Facts, Finding


def _outcomes(rule: Rule, index: FactIndex) -> Iterator[Outcome | Problem]:
    if rule.equation is not None:
        verdict, lhs, rhs = expr.check(rule.equation, index)
        yield Outcome(single_prints(verdict, lhs, rhs), lhs, rhs, rule.title)
    else:
        yield from REGISTRY[rule.check].run(index, rule.params)


def _findings(rule: Rule, index: FactIndex) -> Iterator[Finding]:
    try:
        for outcome in _outcomes(rule, index):
            if isinstance(outcome, Problem):
                yield outcome.finding(rule.code, rule.severity, rule.title)
                continue
            finding = to_finding(outcome, rule.code, rule.severity, rule.title)
            if finding is not None:
                yield finding
    except TableAbsent:
        return  # the rule is about a table this document does not have
    except expr.ExprError as exc:
        yield _not_evaluated(rule, str(exc))
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # one faulty rule must not cost the document its other findings
        yield _not_evaluated(rule, f"{type(exc).__name__}: {exc}")


def _not_evaluated(rule: Rule, reason: str) -> Finding:
    return Problem(f"规则 {rule.code} 无法在本文件中求值：{reason}",
                   f"rule {rule.code} could not be evaluated here: {reason}",
                   ()).finding(rule.code, "warning", rule.title)


def check_facts(facts: Facts, rules: Iterable[Rule]) -> list[Finding]:
    index = FactIndex(facts)
    findings = [f for rule in rules if rule.enabled for f in _findings(rule, index)]
    return sorted(findings, key=lambda f: f.sort_key)
