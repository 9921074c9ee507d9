"""How close real PDFs come to each resource limit (budgetaudit.limits).

Reads every PDF given (files or folders) with the limits in force, records
what each document used (decompressed bytes, operators, form XObjects, codes
of font CMap ranges, the largest ruled grid, the longest line, seconds) and prints the largest use of
each next to its default, so that a default can be judged against the
corpus. One line per file with --each.

    python benchmarks/limits_usage.py ../shared/corpus
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--each", action="store_true", help="one line per file")
    args = parser.parse_args()
    files = [p for path in args.paths
             for p in (sorted(path.rglob("*.pdf")) if path.is_dir() else [path])]
    peaks: dict[str, float] = {}
    failures = 0
    for path in files:
        use, error = measure(path)
        failures += error is not None
        for name, value in use.items():
            peaks[name] = max(peaks.get(name, 0), value)
        if args.each:
            shown = " ".join(f"{k}={v:g}" for k, v in use.items())
            print(f"{path.name}\t{shown}\t{error or ''}")
    from budgetaudit.limits import Limits

    defaults = Limits()
    print(f"{len(files)} PDFs, {failures} not read")
    for name, peak in peaks.items():
        print(f"{name:16} largest {peak:>14,.2f}   default {getattr(defaults, name):>14,}")


def measure(path: Path) -> tuple[dict, str | None]:
    """What reading one PDF used, and its error if it could not be read."""
    from budgetaudit.limits import MB
    from budgetaudit.load import pdf, pdfbudget, pdfgrid
    from budgetaudit.model import InputError

    seen: dict = {"grid_cells": 0}
    original_check, original_opened = pdfgrid._check_size, pdfbudget.opened

    def check_size(columns: int, rows: int) -> None:
        seen["grid_cells"] = max(seen["grid_cells"], columns * rows)
        original_check(columns, rows)

    def opened(budget):
        seen["budget"] = budget
        return original_opened(budget)

    pdfgrid._check_size = check_size
    pdfbudget.opened = opened
    started = time.perf_counter()
    error = None
    try:
        document = pdf.load_pdf(path)
        seen["line_chars"] = max((len(line.text) for line in document.lines), default=0)
    except InputError as exc:
        error = str(exc)
    finally:
        pdfgrid._check_size, pdfbudget.opened = original_check, original_opened
    budget = seen.pop("budget", None)
    use = {"document_seconds": time.perf_counter() - started, **seen}
    if budget is not None:
        use.update(stream_mb=budget.used_bytes / MB, operators=budget.used_operators,
                   xobjects=budget.used_xobjects, cmap_codes=budget.used_cmap_codes)
    return use, error


if __name__ == "__main__":
    main()
