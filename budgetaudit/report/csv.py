"""CSV report: one row per finding, header first.

The first location of a finding fills the line/page/table/row/column columns;
any further locations go, compactly, into ``other_locations`` joined by ";"
(each as ``line=120,page=5,table=t3,row=合计,column=基本支出``, known fields only).
An unreadable file gives one row with rule ``INPUT`` and the error as message.
Lines end with "\\n"; the caller picks the file encoding (utf-8-sig for Excel).
"""
from __future__ import annotations

import csv
import io
from typing import Mapping, Sequence

from budgetaudit.model import DocumentResult, Finding, Location, RuleMeta
from budgetaudit.report import ReportOptions, decimal_text, message_text, sort_findings

HEADER = (
    "path",
    "rule",
    "severity",
    "line",
    "page",
    "table",
    "row",
    "column",
    "section",
    "expected",
    "actual",
    "message",
    "other_locations",
)
INPUT_RULE = "INPUT"


def render(
    results: Sequence[DocumentResult],
    rules: Mapping[str, RuleMeta],
    options: ReportOptions,
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for result in results:
        writer.writerows(document_rows(result, options.lang))
    return buffer.getvalue()


def document_rows(result: DocumentResult, lang: str) -> list[list[str]]:
    if result.error is not None:
        return [input_row(result)]
    return [finding_row(result.path, f, lang) for f in sort_findings(result.findings)]


def input_row(result: DocumentResult) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update(path=result.path, rule=INPUT_RULE, severity="error", message=result.error or "")
    return [row[name] for name in HEADER]


def finding_row(path: str, finding: Finding, lang: str) -> list[str]:
    first, *others = finding.locations or (Location(),)
    row = {
        "path": path,
        "rule": finding.rule,
        "severity": finding.severity,
        **{key: cell(value) for key, value in first.as_dict().items()},
        "expected": decimal_text(finding.expected) or "",
        "actual": decimal_text(finding.actual) or "",
        "message": message_text(finding, lang),
        "other_locations": ";".join(compact_location(loc) for loc in others),
    }
    return [row[name] for name in HEADER]


def compact_location(location: Location) -> str:
    return ",".join(
        f"{key}={value}" for key, value in location.as_dict().items() if value is not None
    )


def cell(value: object) -> str:
    return "" if value is None else str(value)
