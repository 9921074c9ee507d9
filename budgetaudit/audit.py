"""One document from path to result: load, extract, check. Used by the CLI."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from budgetaudit.model import DocumentResult, InputError

INPUT_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm")


def collect(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to check: each file given, and every disclosure below each folder.

    A path that does not exist is passed on, so that it is reported as
    unreadable instead of silently skipped.
    """
    for path in paths:
        if path.is_dir():
            # links, broken links, FIFOs and devices are passed on too, to be
            # reported rather than skipped; only real folders are not files
            yield from sorted(p for p in path.rglob("*")
                              if p.suffix.lower() in INPUT_SUFFIXES
                              and (p.is_symlink() or not p.is_dir()))
        else:
            yield path


def read_facts(path):
    """The facts of one input: a file, or a pairing.Paired narrative and tables."""
    from budgetaudit.extract import sections
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.pairing import load_input

    document = load_input(path)
    if not sections.looks_like_disclosure(document):
        raise InputError(f"不是预算公开文件：{path}（未找到预算表或预算说明）(not a budget disclosure)")
    if not isinstance(path, tuple):  # a pair's halves restart their numbering by design
        refuse_bundle(path, document)
    return extract_facts(document)


def refuse_bundle(path: Path, document) -> None:
    """A file holding several disclosures is an input error, not one document."""
    from budgetaudit.extract.bundle import disclosure_count

    count = disclosure_count(document)
    if count > 1:
        raise InputError(f"文件中有多份预算公开文件（约 {count} 份，“第一部分”多次从头开始），"
                         f"请分成每份一个文件再检查：{path} (the file holds several disclosures)")


def refuse_blank(path, facts) -> None:
    """Tables read but not one amount in any of them: a template not filled in
    (上海市XX局), or a draft whose tables are still empty. Every rule would
    only say that again, table by table, so it is one input error instead.
    A narrative without its tables (no table read) is checked as usual."""
    from budgetaudit.paths import shown

    if not facts.tables or any(amount is not None for table in facts.tables
                               for row in table.rows for amount in row.cells.values()):
        return
    raise InputError(f"文件中的 {len(facts.tables)} 张表均未填写金额（似为未填写的模板），无从检查："
                     f"{shown(path)} (no table holds an amount: an unfilled template?)")


def audit(path, rules: Sequence) -> DocumentResult:
    """One document checked, or the one-line reason it could not be."""
    from budgetaudit.engine.placing import document_info
    from budgetaudit.engine.run import check_facts
    from budgetaudit.paths import shown

    started = time.perf_counter()
    findings, error, info = (), None, None

    def work():
        facts = read_facts(path)
        refuse_blank(path, facts)
        return tuple(check_facts(facts, rules)), document_info(facts)

    try:
        findings, info = guarded(path, work)
    except InputError as exc:
        error = str(exc)
    return DocumentResult(shown(path), findings, error, time.perf_counter() - started, info)


def guarded(path: Path, work):
    """`work()` for one document within its time limit; whatever goes wrong
    comes out as a one-line InputError."""
    from budgetaudit import guard
    from budgetaudit.limits import current, exceeded
    from budgetaudit.paths import shown

    try:
        with guard.time_limit(current().document_seconds):
            return work()
    except InputError:
        raise
    except guard.DocumentTimeout:
        raise exceeded(path, "document_seconds") from None
    except Exception as exc:  # one broken file must not stop a batch of hundreds
        raise InputError(guard.unexpected(shown(path), exc)) from None
