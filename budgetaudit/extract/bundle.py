"""A file that holds several disclosures one after another.

Checked as one document, such a file mixes the tables and narratives of
different departments and every relation between them is wrong, so it is
recognised and refused instead. A disclosure numbers its parts 第一部分,
第二部分, …; its 目录 lists them first, so within one disclosure the numbering
starts over once at most. A file where it starts over twice or more holds
several. (Two disclosures without a 目录 each look like one with a 目录 and
pass; a real disclosure may print 目录 twice, so that alone proves nothing.)
"""
from __future__ import annotations

from budgetaudit.extract.sections import TOC_LINE, heading_text, part_candidates, part_number
from budgetaudit.model import Document


def disclosure_count(doc: Document) -> int:
    """How many disclosures the document seems to hold (1 for a normal one)."""
    numbers = [part_number(part) for part in part_candidates(doc.lines)]
    restarts = sum(1 for before, after in zip(numbers, numbers[1:]) if after <= before)
    tables_of_contents = sum(1 for line in doc.lines
                             if (text := heading_text(line)) and TOC_LINE.match(text))
    if restarts < 2:
        return 1
    # with a 目录 each, every disclosure starts the numbering over twice
    per_disclosure = 2 if tables_of_contents > 1 else 1
    return max(2, (restarts + 1) // per_disclosure)
