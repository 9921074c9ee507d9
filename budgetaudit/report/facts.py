"""Extraction output: the facts of one document as JSON or CSV.

The JSON shape is a public contract (README, "extract JSON"): fields may be
added, never renamed or removed. Decimals are strings, exactly as printed.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Optional

from budgetaudit.extract.specs import spec_of
from budgetaudit.model import Claim, Facts, Row, Section, Table

FACTS_VERSION = 1


def _decimal(value: Optional[Decimal]) -> Optional[str]:
    return None if value is None else str(value)


def _row(row: Row) -> dict:
    data = {
        "code": row.code,
        "label": row.label,
        "cells": {name: _decimal(value) for name, value in row.cells.items()},
        "line": row.line,
        "kind": row.kind,
        "key": row.key,
    }
    for name in ("side", "parent", "project", "group", "page", "alt_code"):
        value = getattr(row, name)
        if value is not None:
            data[name] = value
    data["text"] = row.text
    return data


def _table(table: Table) -> dict:
    spec = spec_of(table)
    return {
        "id": table.id,
        "name": spec.name,
        "title": table.title,
        "number": table.number,
        "unit": table.unit,
        "columns": list(table.columns),
        "start": table.start,
        "end": table.end,
        "empty": table.is_empty,
        "note": table.note,
        "note_line": table.note_line,
        "low_confidence": table.low_confidence,
        "explain": dict(table.explain),
        "rows": [_row(row) for row in table.rows],
    }


def _section(section: Section) -> dict:
    return {
        "key": section.key,
        "title": section.title,
        "level": section.level,
        "start": section.start,
        "end": section.end,
    }


def _claim(claim: Claim) -> dict:
    data = {
        "kind": claim.kind,
        "subject": claim.subject,
        "line": claim.line,
        "section": claim.section,
        "values": {role: str(value) for role, value in claim.values.items()},
        "unit": claim.unit,
        "ref": claim.ref,
    }
    if claim.items:
        data["items"] = [[label, str(value)] for label, value in claim.items]
    for name in ("direction", "rate_word", "reason", "basis", "base", "group", "page"):
        value = getattr(claim, name)
        if value is not None:
            data[name] = excerpt(value, ()) if name == "reason" else value
    data["text"] = excerpt(claim.text, claim.values.values())
    return data


EXCERPT_CHARS = 160  # a claim's text in the output: its sentence, not its whole paragraph


def excerpt(text: str, values) -> str:
    """At most EXCERPT_CHARS characters of `text`, around the first printed value
    found in it, with … where it was cut."""
    if len(text) <= EXCERPT_CHARS:
        return text
    found = [text.find(str(v)) for v in values]
    at = min((i for i in found if i >= 0), default=0)
    start = max(0, min(at - EXCERPT_CHARS // 3, len(text) - EXCERPT_CHARS))
    end = start + EXCERPT_CHARS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def facts_dict(facts: Facts) -> dict:
    return {
        "version": FACTS_VERSION,
        "path": facts.path,
        "year": facts.year,
        "unit_name": facts.unit_name,
        "kind": facts.kind,
        "sections": [_section(s) for s in facts.sections],
        "tables": [_table(t) for t in facts.tables],
        "claims": [_claim(c) for c in facts.claims],
        "listed": list(facts.listed),
        "missing": list(facts.missing),
    }


def facts_json(facts: Facts) -> str:
    return json.dumps(facts_dict(facts), ensure_ascii=False, indent=2) + "\n"


CSV_FIELDS = (  # key, Chinese header
    ("path", "文件"), ("table", "表编号"), ("title", "表名"), ("unit", "金额单位"),
    ("page", "页"), ("line", "行"), ("side", "收支"), ("group", "所属单位"),
    ("code", "科目编码"), ("label", "项目"), ("project", "项目名称"), ("kind", "行类型"),
    ("column", "栏目"), ("value", "金额"),
)


def cell_records(facts: Facts):
    """Every table cell as a dict of CSV_FIELDS keys, blank cells with value None."""
    for table in facts.tables:
        for row in table.rows:
            for column, value in row.cells.items():
                yield {"path": facts.path, "table": table.id, "title": table.title,
                       "unit": table.unit, "page": row.page, "line": row.line,
                       "side": row.side, "group": row.group, "code": row.code,
                       "label": row.label, "project": row.project, "kind": row.kind,
                       "column": column, "value": value}


def facts_csv(facts: Facts, header: bool = True) -> str:
    """One line per table cell (long format), blank cells empty; utf-8-sig for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        out.write("\ufeff")
        writer.writerow([title for _, title in CSV_FIELDS])
    for record in cell_records(facts):
        writer.writerow(["" if record[key] is None else str(record[key]) for key, _ in CSV_FIELDS])
    return out.getvalue()
