"""JSON report: a public contract (``"version": 1``).

Fields may be added, never removed or retyped. Amounts are strings holding
``str(Decimal)`` so the printed precision survives and nobody gets a float.

    {"version": 1,
     "summary": {"documents", "unreadable", "error", "warning", "info", "seconds",
                 "incomplete" (present, true, when the batch was interrupted)},
     "documents": [{"path", "error", "kind" (预算/决算 or null), "summary": {"error", "warning", "info"},
                    "findings": [{"rule", "title", "severity", "message", "message_en",
                                  "locations": [{"line", "page", "table", "row", "column", "section"}],
                                  "expected", "actual", "extra"}]}]}
"""
from __future__ import annotations

import json
from typing import Mapping, Sequence

from budgetaudit.model import DocumentResult, Finding, RuleMeta
from budgetaudit.report import (
    ReportOptions,
    count_by_severity,
    decimal_text,
    rule_title,
    sort_findings,
    summarize,
)

VERSION = 1


def render(
    results: Sequence[DocumentResult],
    rules: Mapping[str, RuleMeta],
    options: ReportOptions,
) -> str:
    payload = {
        "version": VERSION,
        "summary": run_summary(results, options),
        "documents": [document_dict(result, rules) for result in results],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def run_summary(results: Sequence[DocumentResult], options: ReportOptions) -> dict:
    summary = summarize(results, options)
    incomplete = {"incomplete": True} if options.incomplete else {}
    return {
        "documents": summary.documents,
        "unreadable": summary.unreadable,
        "error": summary.error,
        "warning": summary.warning,
        "info": summary.info,
        "seconds": round(summary.seconds, 3),
        **incomplete,
    }


def document_dict(result: DocumentResult, rules: Mapping[str, RuleMeta]) -> dict:
    return {
        "path": result.path,
        "error": result.error,
        "kind": result.info.kind if result.info else None,
        "summary": count_by_severity(result.findings),
        "findings": [finding_dict(f, rules) for f in sort_findings(result.findings)],
    }


def finding_dict(finding: Finding, rules: Mapping[str, RuleMeta]) -> dict:
    return {
        "rule": finding.rule,
        "title": rule_title(finding, rules),
        "severity": finding.severity,
        "message": finding.message,
        "message_en": finding.message_en or None,
        "locations": [location.as_dict() for location in finding.locations],
        "expected": decimal_text(finding.expected),
        "actual": decimal_text(finding.actual),
        "extra": {str(key): str(value) for key, value in finding.extra.items()},
    }
