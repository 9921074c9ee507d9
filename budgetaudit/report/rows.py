"""Findings and documents as flat rows with Chinese (or English) headers.

Shared by the CSV, Excel and HTML reports. Values stay typed (Decimal, int,
None) so that Excel gets numbers; the CSV writer turns them into text.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Optional, Sequence

from budgetaudit.model import DocumentResult, Finding, Location, RuleMeta
from budgetaudit.report import (
    SEVERITY_LABELS,
    count_by_severity,
    message_text,
    rule_title,
    sort_findings,
    verdict,
    verdict_label,
)

# key, Chinese header, English header
FINDING_FIELDS = (
    ("path", "文件", "file"),
    ("rule", "规则", "rule"),
    ("severity", "级别", "severity"),
    ("title", "规则标题", "rule title"),
    ("table", "表", "table"),
    ("row", "行项目", "row"),
    ("column", "栏目", "column"),
    ("section", "说明部分", "section"),
    ("page", "页", "page"),
    ("line", "行", "line"),
    ("quote", "原文", "quote"),
    ("expected", "应为", "expected"),
    ("actual", "实为", "actual"),
    ("difference", "差额", "difference"),
    ("message", "问题说明", "message"),
    ("other", "其他位置", "other places"),
)
DOCUMENT_FIELDS = (
    ("path", "文件", "file"),
    ("unit", "单位", "unit"),
    ("year", "年度", "year"),
    ("kind", "类型", "kind"),
    ("pages", "页数", "pages"),
    ("verdict", "结论", "verdict"),
    ("error", "错误", "errors"),
    ("warning", "警告", "warnings"),
    ("info", "提示", "notes"),
    ("problems", "读取问题", "read problems"),
)
INPUT_RULE = "INPUT"


def headers(fields: Sequence[tuple[str, str, str]], lang: str) -> list[str]:
    return [zh if lang == "zh" else en for _, zh, en in fields]


def table_name(result: DocumentResult, table_id: Optional[str]) -> Optional[str]:
    """The table as printed ("表5 一般公共预算支出情况表"), else its standard title."""
    if table_id is None:
        return None
    if result.info is not None and table_id in result.info.tables:
        return result.info.tables[table_id]
    from budgetaudit.extract.specs import SPEC_BY_ID

    spec = SPEC_BY_ID.get(table_id)
    return f"表{spec.number} {spec.title}" if spec is not None else table_id


def place_text(result: DocumentResult, location: Location, lang: str) -> str:
    """"第 5 页 第 120 行 表3 … 合计 基本支出" for the other-places column."""
    parts = []
    if location.page is not None:
        parts.append(f"第 {location.page} 页" if lang == "zh" else f"page {location.page}")
    if location.line is not None:
        parts.append(f"第 {location.line} 行" if lang == "zh" else f"line {location.line}")
    table = table_name(result, location.table)
    parts += [p for p in (table or location.section, location.row, location.column) if p]
    return " ".join(parts)


def difference(finding: Finding) -> Optional[Decimal]:
    if finding.expected is None or finding.actual is None:
        return None
    return finding.actual - finding.expected


def finding_row(result: DocumentResult, finding: Finding, rules: Mapping[str, RuleMeta],
                lang: str) -> dict:
    first, *others = finding.locations or (Location(),)
    return {
        "path": result.path,
        "rule": finding.rule,
        "severity": SEVERITY_LABELS[lang][finding.severity],
        "title": rule_title(finding, rules, lang),
        "table": table_name(result, first.table),
        "row": first.row,
        "column": first.column,
        "section": first.section,
        "page": first.page,
        "line": first.line,
        "quote": first.quote,
        "expected": finding.expected,
        "actual": finding.actual,
        "difference": difference(finding),
        "message": message_text(finding, lang),
        "other": "；".join(place_text(result, loc, lang) for loc in others),
    }


def input_row(result: DocumentResult, lang: str) -> dict:
    row = dict.fromkeys(key for key, _, _ in FINDING_FIELDS)
    row.update(path=result.path, rule=INPUT_RULE, severity=SEVERITY_LABELS[lang]["error"],
               message=result.error)
    return row


def pass_row(result: DocumentResult, lang: str) -> dict:
    row = dict.fromkeys(key for key, _, _ in FINDING_FIELDS)
    row.update(path=result.path, message="通过，未发现问题" if lang == "zh" else "passed, no findings")
    return row


def finding_rows(result: DocumentResult, rules: Mapping[str, RuleMeta], lang: str,
                 with_passing: bool = True) -> list[dict]:
    """One row per finding; an unreadable document or (``with_passing``) a clean one gets one."""
    if result.error is not None:
        return [input_row(result, lang)]
    rows = [finding_row(result, f, rules, lang) for f in sort_findings(result.findings)]
    return rows or ([pass_row(result, lang)] if with_passing else [])


def document_row(result: DocumentResult, fail_on: str, lang: str) -> dict:
    info = result.info
    counts = count_by_severity(result.findings)
    problems = list(info.problems) if info is not None else []
    if result.error is not None:
        problems.insert(0, result.error)
    return {
        "path": result.path,
        "unit": info.unit_name if info else None,
        "year": info.year if info else None,
        "kind": info.kind if info else None,
        "pages": info.pages if info else None,
        "verdict": verdict_label(verdict(result, fail_on), lang),
        **counts,
        "problems": "；".join(problems),
    }
