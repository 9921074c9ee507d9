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

from budgetaudit.extract.specs import SPEC_BY_ID
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
    for name in ("side", "parent", "project", "group", "page"):
        value = getattr(row, name)
        if value is not None:
            data[name] = value
    data["text"] = row.text
    return data


def _table(table: Table) -> dict:
    spec = SPEC_BY_ID[table.id]
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
        "sections": [_section(s) for s in facts.sections],
        "tables": [_table(t) for t in facts.tables],
        "claims": [_claim(c) for c in facts.claims],
        "listed": list(facts.listed),
        "missing": list(facts.missing),
    }


def facts_json(facts: Facts) -> str:
    return json.dumps(facts_dict(facts), ensure_ascii=False, indent=2) + "\n"


CSV_FIELDS = ("path", "table", "title", "unit", "line", "side", "group", "code", "label",
              "project", "kind", "column", "value")


def facts_csv(facts: Facts, header: bool = True) -> str:
    """One line per table cell (long format), blank cells included as empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(CSV_FIELDS)
    for table in facts.tables:
        for row in table.rows:
            for column, value in row.cells.items():
                writer.writerow((facts.path, table.id, table.title, table.unit, row.line,
                                 row.side or "", row.group or "", row.code or "", row.label,
                                 row.project or "", row.kind, column, _decimal(value) or ""))
    return out.getvalue()
