"""Milliseconds per page of `budgetaudit check X.pdf` against pdfminer.six's
own `extract_text` on the same file, each as a fresh process.

For every PDF (default: samples/*.pdf) two commands are timed:

    python -m budgetaudit check X.pdf [--format json]
    python -c "from pdfminer.high_level import extract_text; extract_text(X)"

Runs are interleaved (every command once, then every command again, ...) so
that a slow moment of the machine is spread over all of them; the figure is
the median of the runs, divided by the file's page count. The target is
check ≤ 0.5 × extract_text on every sample and on the median of the corpus.
`--corpus N` adds every N-th PDF of ../shared/corpus (sorted by name, so the
same files each time) and prints the median ratio over them. `--against
PYTHON` also times the check with another interpreter's installed budgetaudit
(an earlier version), run from a temporary folder so that `-m budgetaudit`
finds that installation rather than this checkout, in the same interleaved
runs. `--report json` times the check writing JSON instead of the terminal
report (the default, what `budgetaudit check X.pdf` prints). Usage:

    python benchmarks/bench_pdf.py [--runs 5] [--json] [--corpus N] [--against PYTHON]
                                   [--report terminal|json] [FILE ...]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TARGET_RATIO = 0.5
CORPUS = ROOT.parent / "shared" / "corpus"


def page_count(path: Path) -> int:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with path.open("rb") as handle:
        return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(handle))))


def commands(path: Path, against: str | None = None, report: str = "terminal") -> dict[str, list[str]]:
    py = sys.executable
    fmt = [] if report == "terminal" else ["--format", report]
    jobs = {
        "check": [py, "-m", "budgetaudit", "check", str(path), *fmt],
        "extract_text": [py, "-c", "import sys; from pdfminer.high_level import extract_text; "
                                   "extract_text(sys.argv[1])", str(path)],
    }
    if against:
        jobs["against"] = [against, "-m", "budgetaudit", "check", str(path), *fmt]
    return jobs


def time_once(argv: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    completed = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    elapsed = (time.perf_counter() - started) * 1000
    if completed.returncode not in (0, 1):  # 1 = findings, still a full check
        raise SystemExit(f"{' '.join(argv)} exited with {completed.returncode}: "
                         f"{completed.stderr.decode(errors='replace').strip()}")
    return elapsed


def measure(files: list[Path], runs: int, against: str | None = None,
            report: str = "terminal") -> list[dict]:
    jobs = {(path, name): argv for path in files
            for name, argv in commands(path, against, report).items()}
    times: dict = {key: [] for key in jobs}
    with tempfile.TemporaryDirectory() as elsewhere:
        for _ in range(runs):
            for key, argv in jobs.items():
                times[key].append(time_once(argv, Path(elsewhere) if key[1] == "against" else ROOT))
    rows = []
    for path in files:
        pages = page_count(path)
        check = statistics.median(times[(path, "check")]) / pages
        extract = statistics.median(times[(path, "extract_text")]) / pages
        row = {"file": path.name, "pages": pages, "check_ms_per_page": round(check, 1),
               "extract_text_ms_per_page": round(extract, 1), "ratio": round(check / extract, 2)}
        if against:
            other = statistics.median(times[(path, "against")]) / pages
            row["against_ratio"] = round(other / extract, 2)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--corpus", type=int, default=0, metavar="N",
                        help="also every N-th PDF of ../shared/corpus (0: none)")
    parser.add_argument("--against", metavar="PYTHON",
                        help="also time this interpreter's installed budgetaudit, interleaved")
    parser.add_argument("--report", choices=("terminal", "json"), default="terminal",
                        help="the check's output (default terminal, as `budgetaudit check X.pdf`)")
    args = parser.parse_args()
    files = [p.resolve() for p in args.files] or sorted(SAMPLES.glob("*.pdf"))
    corpus = sorted(CORPUS.glob("*.pdf"))[:: args.corpus] if args.corpus > 0 else []
    rows = measure(files + corpus, args.runs, args.against, args.report)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"median of {args.runs} runs, fresh process each, ms per page; target ratio ≤ {TARGET_RATIO}")
    other = " against" if args.against else ""
    print(f"{'file':40} {'pages':>5} {'check':>8} {'extract_text':>13} {'ratio':>6}{other}")
    for row in rows:
        tail = f" {row['against_ratio']:>7.2f}" if args.against else ""
        print(f"{row['file'][:40]:40} {row['pages']:>5} {row['check_ms_per_page']:>8.1f} "
              f"{row['extract_text_ms_per_page']:>13.1f} {row['ratio']:>6.2f}{tail}")
    if corpus:
        for key, label in (("ratio", "this checkout"), ("against_ratio", "against")):
            if key in rows[0]:
                ratios = [row[key] for row in rows[len(files):]]
                print(f"corpus, {label}: {len(ratios)} PDFs, median ratio "
                      f"{statistics.median(ratios):.2f}, max {max(ratios):.2f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
