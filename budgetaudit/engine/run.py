"""Applying a rule set to the facts of one document."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Iterator, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import REGISTRY, Problem
from budgetaudit.engine.outcome import Outcome, single_prints, to_finding
from budgetaudit.engine.resolve import FactIndex, TableAbsent, forget_terms
from budgetaudit.engine.rulefile import Rule
from budgetaudit.extract.sections import find_section
from budgetaudit.model import Facts, Finding, Location


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
    try:
        findings = [f for rule in rules if rule.enabled for f in _findings(rule, index)]
    finally:
        forget_terms()
    headings = SectionHeadings(facts)
    findings = [replace(f, locations=tuple(headings.place(loc) for loc in f.locations))
                for f in findings]
    return sorted(findings, key=lambda f: f.sort_key)


class SectionHeadings:
    """Names the narrative section a location stands in ("三、支出预算情况说明")."""

    def __init__(self, facts: Facts):
        self.sections = tuple(s for s in facts.sections if s.level <= 2 and s.key != "toc")
        self.unit, self.year = facts.unit_name, facts.year

    def place(self, location: Location) -> Location:
        if location.table or location.section or location.line is None:
            return location
        section = find_section(self.sections, location.line)
        if section is None or section.key == "part2":
            return location
        return replace(location, section=short_title(section.title, self.unit, self.year))


def short_title(title: str, unit: Optional[str], year: Optional[int]) -> str:
    """"三、关于某某办公室部门 2024 年支出预算情况说明" -> "三、支出预算情况说明"."""
    text = re.sub(r"\s+", "", title)
    if unit:
        text = text.replace(re.sub(r"\s+", "", unit), "")
    if year:
        text = text.replace(f"{year}年", "")
    return re.sub(r"关于(?:部门|单位)?", "", text)
