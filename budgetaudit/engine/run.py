"""Applying a rule set to the facts of one document."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Iterable, Iterator, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import REGISTRY, Problem, lowered_severity
from budgetaudit.engine.placing import Placer
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


def _findings(rule: Rule, index: FactIndex, tally: Optional["ReadTally"] = None) -> Iterator[Finding]:
    try:
        for outcome in _outcomes(rule, index):
            if isinstance(outcome, Problem):
                yield outcome.finding(rule.code, rule.severity, rule.title)
                continue
            finding = to_finding(outcome, rule.code, lowered_severity(rule.severity, outcome.lowered),
                                 rule.title)
            if tally is not None and rule.code.startswith(WITHIN_TABLE):
                tally.count(rule.code, outcome, finding)
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
    tally = ReadTally()
    rules = [rule for rule in rules if rule.enabled and rule.applies_to(facts.kind)]
    try:
        findings = [f for rule in rules for f in _findings(rule, index, tally)]
    finally:
        forget_terms()
    findings = tally.withhold(findings, facts, rules)
    headings, placer = SectionHeadings(facts), Placer(facts)
    findings = [placer.place(replace(f, locations=tuple(headings.place(loc) for loc in f.locations)))
                for f in findings]
    return sorted(findings, key=lambda f: f.sort_key)


# Relations within one table (family A): when most of them fail, the table was
# misread (a column shifted, a header not understood), not misprinted.
WITHIN_TABLE = "A"
MISREAD_SHARE = Decimal("0.5")  # more than half of a table's relations failing
MISREAD_MIN = 3  # and at least this many: two slips in a small table are real errors


class ReadTally:
    """Counts, per table and rule, the within-table relations evaluated and failed.

    One rule failing on most rows of a table (合计 ≠ 基本支出 + 项目支出 on 15 of
    16 rows), or on most rows of one of its columns (类 ≠ Σ款 on four classes of
    five in the 合计 column, whose figures are shifted by a row), is the mark of a
    misread column; slips in a printed table are few."""

    def __init__(self) -> None:
        self.checked: dict[tuple, int] = {}
        self.failed: dict[tuple, int] = {}

    def count(self, rule: str, outcome, finding: Optional[Finding]) -> None:
        terms = [t.term for side in (outcome.lhs, outcome.rhs) for t in side.terms]
        tables = {t.location.table for t in terms if t.location and t.location.table}
        if len(tables) != 1:
            return
        table = tables.pop()
        columns = {t.location.column for t in terms if t.location}
        keys = [(table, rule)]
        if len(columns) == 1:
            keys.append((table, rule, columns.pop()))
        for key in keys:
            self._count(key, finding)

    def _count(self, key: tuple, finding: Optional[Finding]) -> None:
        self.checked[key] = self.checked.get(key, 0) + 1
        if finding is not None and finding.severity == "error":
            self.failed[key] = self.failed.get(key, 0) + 1

    def misread(self) -> dict[str, tuple[int, int, Optional[str]]]:
        """table -> (failed, checked, column) of its worst rule (over the table, or one
        column of it), for the misread tables."""
        found: dict[str, tuple[int, int, Optional[str]]] = {}
        for key, checked in self.checked.items():
            table, failed = key[0], self.failed.get(key, 0)
            if failed >= MISREAD_MIN and Decimal(failed) / checked > MISREAD_SHARE:
                if table not in found or failed > found[table][0]:
                    found[table] = (failed, checked, key[2] if len(key) > 2 else None)
        return found

    def withhold(self, findings: list[Finding], facts: Facts, rules) -> list[Finding]:
        """One warning for each misread table instead of its flood of errors."""
        misread = self.misread()
        if not misread:
            return findings
        rule = next((r for r in rules if r.check == "tables_unread"), None)
        kept = [f for f in findings
                if not (f.severity == "error" and any(loc.table in misread for loc in f.locations))]
        if rule is None:
            return kept
        for table_id, (failed, checked, column) in misread.items():
            table = next((t for t in facts.tables if t.id == table_id), None)
            if table is None:
                continue
            page = next((r.page for r in table.rows if r.page), None)
            rows = f"{column}列的 {checked} 行" if column else f" {checked} 行"
            reason = (f"同一表内关系在{rows}中有 {failed} 行不成立，多半是读错了列或表头，"
                      f"而不是印错了数")
            where = f"第 {page} 页" if page else f"第 {table.start} 行"
            kept.append(Finding(
                rule=rule.code, severity=rule.severity, title=rule.title,
                message=f"“{table.title}”（{where}）未能可靠读取：{reason}；本表的核对结果从略",
                message_en=f"{table.title} ({where}) could not be read reliably: one of its own "
                           f"relations fails on {failed} of {checked} rows"
                           f"{f' of its {column} column' if column else ''}; its checks are withheld",
                locations=(Location(line=table.start, page=page, table=table_id),),
                expected=Decimal(checked), actual=Decimal(failed)))
        return kept


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
