"""JSON Lines report: one JSON object per line, written as each document is done
(by report.stream.LinesSink; a run that must first see every finding hands
them over at the end, line by line all the same).

For batches read by programs while they run, or too large to hold as one JSON
document: a line per document, in file order, the same object as an entry of
the JSON report's ``documents`` with ``"type": "document"`` added, then one
line ``{"type": "summary", "version": 1, …}`` with the JSON report's summary.
A run that was interrupted ends with a summary that says ``"incomplete": true``;
a run that was killed ends without a summary, and every line before is whole.

    {"type": "document", "path": …, "error": …, "kind": …, "summary": {…}, "findings": […]}
    {"type": "summary", "version": 1, "documents": …, "unreadable": …, "error": …, …}
"""
from __future__ import annotations

import json
from typing import Mapping, Sequence

from budgetaudit.model import DocumentResult, RuleMeta
from budgetaudit.report import ReportOptions
from budgetaudit.report.json import VERSION, document_dict, run_summary


def document_line(result: DocumentResult, rules: Mapping[str, RuleMeta]) -> str:
    return _line({"type": "document", **document_dict(result, rules)})


def summary_line(results: Sequence[DocumentResult], options: ReportOptions) -> str:
    return _line({"type": "summary", "version": VERSION, **run_summary(results, options)})


def _line(payload: dict) -> str:
    # ensure_ascii=False keeps the Chinese readable; json.dumps escapes line breaks
    # inside strings, so a line is always one object
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
