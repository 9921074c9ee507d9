"""Document -> Facts: the tables and the outline of one disclosure."""
from __future__ import annotations

from dataclasses import replace

from budgetaudit.extract.claim_build import extract_claims
from budgetaudit.extract.parse import parse_block
from budgetaudit.extract.specs import SPECS
from budgetaudit.extract.tables import find_blocks
from budgetaudit.model import Document, Facts

# Tables every layout has; the others (表8, 表9, 表11) are absent from older ones.
_CORE = ("income_expense_summary", "income", "expense", "fiscal_income_expense",
         "gpb_expense", "gpb_basic", "gpb_project", "three_public")


def extract_facts(doc: Document) -> Facts:
    from budgetaudit.extract import sections

    blocks, listed = find_blocks(doc)
    tables = tuple(parse_block(block) for block in blocks)
    found = {table.id for table in tables}
    expected = listed or [spec.id for spec in SPECS if spec.id in _CORE]
    missing = tuple(table_id for table_id in expected if table_id not in found)
    facts = Facts(
        path=doc.path,
        sections=sections.segment(doc),
        tables=tables,
        listed=tuple(listed),
        toc_lines=dict(listed),
        missing=missing,
        year=sections.document_year(doc),
        unit_name=sections.document_unit(doc),
        lines=doc.lines,
    )
    return replace(facts, claims=extract_claims(facts))
