"""One document from path to result: load, extract, check. Used by the CLI."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from budgetaudit.model import DocumentResult, InputError

INPUT_SUFFIXES = (".txt", ".md", ".pdf")


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


def read_facts(path: Path):
    from budgetaudit.extract import sections
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.load import load

    document = load(path)
    if not sections.looks_like_disclosure(document):
        raise InputError(f"不是预算公开文件：{path}（未找到预算表或预算说明）(not a budget disclosure)")
    return extract_facts(document)


def audit(path: Path, rules: Sequence) -> DocumentResult:
    """One document checked, or the one-line reason it could not be."""
    from budgetaudit.engine.run import check_facts
    from budgetaudit.paths import shown

    started = time.perf_counter()
    findings, error = (), None
    try:
        findings = guarded(path, lambda: tuple(check_facts(read_facts(path), rules)))
    except InputError as exc:
        error = str(exc)
    return DocumentResult(shown(path), findings, error, time.perf_counter() - started)


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
