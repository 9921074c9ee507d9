"""Excel workbooks (openpyxl, the optional ``xlsx`` extra; imported only here).

``render`` (check): sheet 汇总, one row per document, passing and unreadable
ones included; sheet 问题清单, one row per finding. ``facts_xlsx`` (extract):
one sheet per table, amounts as numbers with the printed decimals, each row
with its page and line. Both return the .xlsx file as bytes.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from budgetaudit.model import DocumentResult, Facts, InputError, RuleMeta, Table
from budgetaudit.report import ReportOptions
from budgetaudit.report.rows import (
    DOCUMENT_FIELDS,
    FINDING_FIELDS,
    document_row,
    finding_rows,
    headers,
)

SHEET_NAMES = {"zh": ("汇总", "问题清单"), "en": ("Summary", "Findings")}
WIDE = {"path": 40, "title": 28, "table": 30, "quote": 50, "message": 60, "other": 40,
        "problems": 40, "unit": 28, "section": 24, "row": 24, "label": 30, "project": 30}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise InputError("Excel 格式需要 openpyxl：pip install \"budgetaudit[xlsx]\""
                         "（xlsx needs the optional openpyxl package）") from None
    return openpyxl


def render(results: Sequence[DocumentResult], rules: Mapping[str, RuleMeta],
           options: ReportOptions) -> bytes:
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    summary_name, findings_name = SHEET_NAMES[options.lang]
    summary = book.active
    summary.title = summary_name
    _fill(summary, DOCUMENT_FIELDS, options.lang,
          (document_row(r, options.fail_on, options.lang) for r in results))
    findings = book.create_sheet(findings_name)
    _fill(findings, FINDING_FIELDS, options.lang,
          (row for r in results for row in finding_rows(r, rules, options.lang)))
    return _bytes(book)


def facts_xlsx(facts: Facts) -> bytes:
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in facts.tables:
        sheet = book.create_sheet(_sheet_name(table, used))
        _table_sheet(sheet, table)
    if not facts.tables:
        book.create_sheet("无预算表")
    return _bytes(book)


def _fill(sheet, fields, lang: str, rows: Iterable[dict]) -> None:
    keys = [key for key, _, _ in fields]
    _header(sheet, headers(fields, lang), keys)
    for row in rows:
        _append(sheet, [row[key] for key in keys])
    sheet.auto_filter.ref = sheet.dimensions


def _header(sheet, titles: list[str], keys: list[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDE.get(key, 10)
    sheet.freeze_panes = "A2"


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values):
        if isinstance(value, Decimal):
            cell.number_format = number_format(value)


def number_format(value: Decimal) -> str:
    """Excel's format for the printed decimals: 57.80 -> "0.00", 5 -> "0"."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _table_sheet(sheet, table: Table) -> None:
    fixed = ["页", "行", "收支", "所属单位", "科目编码", "项目", "项目名称"]
    keys = ["page", "line", "side", "group", "code", "label", "project"]
    _header(sheet, fixed + list(table.columns), keys + ["amount"] * len(table.columns))
    for row in table.rows:
        values = [row.page, row.line, row.side, row.group, row.code, row.label, row.project]
        _append(sheet, values + [row.cells.get(column) for column in table.columns])
    sheet.auto_filter.ref = sheet.dimensions


def _sheet_name(table: Table, used: set[str]) -> str:
    """"表5 一般公共预算支出情况表", cut to Excel's 31 characters, unique."""
    number = f"表{table.number} " if table.number else ""
    base = _BAD_SHEET_CHARS.sub("", number + "".join(table.title.split()))[:31] or table.id
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
