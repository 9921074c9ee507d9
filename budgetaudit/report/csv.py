"""CSV report: one row per finding, Chinese headers, ready for Excel.

The text starts with a byte-order mark (written as UTF-8 it is utf-8-sig), so
Excel on a Chinese Windows opens it as UTF-8 instead of GBK. Columns are those
of ``report.rows.FINDING_FIELDS`` (文件, 规则, 级别, …, 原文, 应为, 实为, 差额);
a document that passes gets one row saying so, an unreadable one a row with
rule ``INPUT`` and the reason as message. Severity words and headers follow
``--lang``.
"""
from __future__ import annotations

import csv
import io
from typing import Mapping, Sequence

from budgetaudit.model import DocumentResult, RuleMeta
from budgetaudit.report import ReportOptions
from budgetaudit.report.rows import FINDING_FIELDS, INPUT_RULE, finding_rows, headers

BOM = "\ufeff"
__all__ = ["render", "INPUT_RULE", "BOM"]


def render(
    results: Sequence[DocumentResult],
    rules: Mapping[str, RuleMeta],
    options: ReportOptions,
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers(FINDING_FIELDS, options.lang))
    keys = [key for key, _, _ in FINDING_FIELDS]
    for result in results:
        for row in finding_rows(result, rules, options.lang):
            writer.writerow([cell(row[key]) for key in keys])
    return BOM + buffer.getvalue()


def cell(value: object) -> str:
    """Text as is; a Decimal as printed (``str`` keeps its precision); None empty."""
    return "" if value is None else str(value)
