"""Completing where a finding stands: the page of every line, the words quoted.

Checks locate what they compare by line (and by table, row and column); a
reader of a PDF looks for a page and the sentence or row itself. Both come
from the document's lines, once, after the checks have run.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Optional

from budgetaudit.model import DocumentInfo, Facts, Finding, Location

QUOTE_LIMIT = 80  # characters; longer lines are cut to the sentence that matters
_SENTENCE_END = re.compile(r"(?<=[。；;！？])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class Placer:
    """Adds page and quote to the locations of one document's findings."""

    def __init__(self, facts: Facts):
        self.lines = {line.number: line for line in facts.lines}

    def place(self, finding: Finding) -> Finding:
        numbers = finding_numbers(finding)
        located = tuple(self._location(loc, numbers) for loc in finding.locations)
        return replace(finding, locations=located)

    def _location(self, location: Location, numbers: set[str]) -> Location:
        line = self.lines.get(location.line) if location.line is not None else None
        if line is None:
            return location
        page = location.page if location.page is not None else line.page
        quote = location.quote or quote_of(line.text, numbers)
        return replace(location, page=page, quote=quote)


def finding_numbers(finding: Finding) -> set[str]:
    """The amounts a finding is about, as printed (expected, actual, message)."""
    found = set(_NUMBER.findall(finding.message))
    for value in (finding.expected, finding.actual):
        if value is not None:
            found.add(str(value))
    return found


def quote_of(text: str, numbers: Iterable[str] = ()) -> Optional[str]:
    """The line as one run of text, cut to the sentence naming a number."""
    flat = " ".join(text.split())
    if not flat:
        return None
    if len(flat) <= QUOTE_LIMIT:
        return flat
    sentences = [s for s in _SENTENCE_END.split(flat) if s.strip()]
    wanted = set(numbers)
    best = next((s for s in sentences if wanted & set(_NUMBER.findall(s))), sentences[0])
    return trim(best.strip())


def trim(text: str, limit: int = QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PRINTED_NUMBER = re.compile(r"^(?:附表|预算|决算|公开)?\s*\d+\s*表")  # "预算01表…" names itself


def document_info(facts: Facts) -> DocumentInfo:
    """Unit, year, kind, pages and printed table titles of one document."""
    from budgetaudit.extract.specs import SPEC_BY_ID

    titles = {}
    for table in facts.tables:  # the number only where the document prints one
        title = " ".join(table.title.split())
        numbered = table.number and not _PRINTED_NUMBER.match(title)
        titles[table.id] = f"表{table.number} {title}" if numbered else title
    problems = [f"缺少{SPEC_BY_ID[t].title}" for t in facts.missing if t in SPEC_BY_ID]
    problems += [f"{titles[t.id]}按空白分列，列可能不准" for t in facts.tables if t.low_confidence]
    pages = [line.page for line in facts.lines if line.page is not None]
    return DocumentInfo(unit_name=facts.unit_name, year=facts.year, kind=facts.kind,
                        pages=max(pages) if pages else None, tables=titles,
                        problems=tuple(problems))

