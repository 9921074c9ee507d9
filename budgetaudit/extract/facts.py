"""Document -> Facts: the tables and the outline of one disclosure."""
from __future__ import annotations

from dataclasses import replace

from budgetaudit.extract.claim_build import extract_claims
from budgetaudit.extract.parse import parse_block
from budgetaudit.extract.numbers import clean_label
from budgetaudit.extract.specs import spec_for_title
from budgetaudit.extract.tables import Block, find_blocks, normal_title, title_text
from budgetaudit.model import Document, Facts, Unread

# Tables every 预算 layout of the corpus has, when the document has no 目录 to
# say which it holds (the others differ by region and year).
_CORE = ("income_expense_summary", "income", "expense", "fiscal_income_expense")


def extract_facts(doc: Document) -> Facts:
    from budgetaudit.extract import sections

    blocks, listed = find_blocks(doc)
    tables, unread = [], []
    for block in blocks:
        try:
            table = parse_block(block)
        except Exception as exc:  # noqa: BLE001 - a bug in one table costs that table only
            unread.append(Unread(block.spec.id, block.title, block.start, _page(block),
                                 f"读取出错（{type(exc).__name__}: {exc}）"))
            continue
        if not table.rows and _prints_amounts(block):
            unread.append(Unread(block.spec.id, block.title, block.start, _page(block),
                                 "表中印有金额，但没有一行能按其表头读出（版式未能识别）"))
            continue
        tables.append(table)
    found = {table.id for table in tables} | {u.table_id for u in unread}
    expected = listed or (list(_CORE) if tables else [])
    missing = []
    for table_id in expected:
        if table_id in found:
            continue
        printed = _printed_title(doc, table_id, listed.get(table_id, 0))
        if printed is None and tables:
            missing.append(table_id)
        elif printed is None:
            continue  # no table at all: a narrative whose tables are published apart
        else:
            unread.append(Unread(table_id, clean_label(printed.text), printed.number, printed.page,
                                 "标题在文中，但其下没有能读取的表格（可能是图片，或版式未能识别）"))
    outline = sections.segment(doc)
    facts = Facts(
        path=doc.path,
        sections=outline,
        tables=tuple(tables),
        listed=tuple(listed),
        toc_lines=dict(listed),
        missing=tuple(missing),
        unread=tuple(unread),
        year=sections.document_year(doc),
        unit_name=sections.document_unit(doc),
        lines=doc.lines,
        kind=_kind(doc, outline, tables),
    )
    return replace(facts, claims=extract_claims(facts))


def _kind(doc: Document, outline, tables) -> str | None:
    from budgetaudit.extract.doc_kind import document_kind
    from budgetaudit.extract.sections import title_lines
    from budgetaudit.extract.specs import SPEC_BY_ID

    toc = [s for s in outline if s.key == "toc"]
    toc_lines = [line for line in doc.lines for s in toc if s.start <= line.number <= s.end]
    toc_lines += [doc.lines[s.start - 1] for s in outline  # part headings: 第一部分 …预算情况说明
                  if s.level == 1 and s.key != "toc" and 0 < s.start <= len(doc.lines)]
    kinds = {spec_id: spec.kind for spec_id, spec in SPEC_BY_ID.items()}
    return document_kind(title_lines(doc.lines), toc_lines, tables, kinds)


def _prints_amounts(block: Block) -> bool:
    from budgetaudit.extract.grid import is_numbering_row, numeric

    rows = [line.text.split("\t") for line in block.lines if "\t" in line.text]
    return any(numeric(cell) for cells in rows if not is_numbering_row(cells) for cell in cells)


def _page(block: Block):
    return next((line.page for line in block.lines if line.page), None)


def _printed_title(doc: Document, table_id: str, after: int):
    """A line past the 目录 entry that prints the table's title, though no table
    could be read under it."""
    for line in doc.lines[after:]:
        text = title_text(line)
        if text is None:
            continue
        spec = spec_for_title(normal_title(text)[0])
        if spec is not None and spec.id == table_id:
            return line
    return None
