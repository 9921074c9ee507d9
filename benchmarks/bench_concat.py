"""Extraction time of one disclosure against several copies of it in one file.

A text file is made of N copies of a sample, one after another, and timed in
this process (best of --runs): loading plus extraction of the facts, with the
check that refuses such a file bypassed, so the cost of extraction itself
shows; and the full `audit` of the file (the refusal path). Extraction should
grow linearly: N copies should cost no more than N times one.

    python benchmarks/bench_concat.py [--copies 20] [--runs 5] [SAMPLE.txt]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "samples" / "xinjiang-gov-general-office-2024.txt"


def best(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def extraction(path: Path):
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.load import load

    return lambda: extract_facts(load(path))


def full_audit(path: Path, rules):
    from budgetaudit.audit import audit

    return lambda: audit(path, rules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from budgetaudit.engine import load_rules

    rules = load_rules()
    text = args.sample.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        one, many = Path(tmp) / "one.txt", Path(tmp) / "many.txt"
        one.write_text(text, encoding="utf-8")
        many.write_text("\n".join([text] * args.copies), encoding="utf-8")
        extraction(one)()  # warm caches
        rows = {
            "extract 1": best(extraction(one), args.runs),
            f"extract {args.copies}": best(extraction(many), args.runs),
            "audit 1": best(full_audit(one, rules), args.runs),
            f"audit {args.copies}": best(full_audit(many, rules), args.runs),
        }
        verdict = full_audit(many, rules)()
    for name, ms in rows.items():
        print(f"{name:<12} {ms:9.1f} ms")
    ratio = rows[f"extract {args.copies}"] / rows["extract 1"]
    print(f"extraction of {args.copies} copies = {ratio:.1f} x one (linear: <= {args.copies})")
    print(f"audit of the {args.copies} copies: {verdict.error or f'{len(verdict.findings)} findings'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
