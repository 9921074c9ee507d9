"""Wall-clock time of `budgetaudit check FILE` as a fresh process, per sample.

Each measurement starts a new interpreter, as a user or a CI job would:

    python -m budgetaudit check FILE [--format json]    (one per text sample)
    python -m budgetaudit --version                     (import cost of the CLI)
    python -c pass                                      (interpreter start-up)
    python -c "import yaml, decimal, json"              (the reference: a minimal YAML tool)

Runs are interleaved (every command once, then every command again, ...) so
that a slow moment of the machine is spread over all of them. Output is
discarded. Usage:

    python benchmarks/bench_check.py [--runs 7] [--json] [--pycache-prefix DIR]
                                     [--against PYTHON] [--report terminal|json] [FILE ...]

--report chooses the check's output: terminal (the default, what
`budgetaudit check FILE` prints) or json.

--against PYTHON also times each check with another interpreter whose
environment has budgetaudit installed (an earlier version, say), in the same
interleaved runs: the fair way to compare two versions on a busy machine.

With PYTHONDONTWRITEBYTECODE set (as in some containers) every run compiles
budgetaudit's sources again; --pycache-prefix DIR lets the child processes
cache bytecode in DIR instead, as a normal installation would.
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
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TARGET_MS = 150.0
REFERENCE = "python -c 'import yaml, decimal, json'"


AGAINST = "against "


def commands(files: list[Path], against: Optional[str] = None,
             report: str = "terminal") -> dict[str, list[str]]:
    py = sys.executable
    fmt = [] if report == "terminal" else ["--format", report]
    jobs = {
        "python -c pass": [py, "-c", "pass"],
        REFERENCE: [py, "-c", "import yaml, decimal, json"],
        "budgetaudit --version": [py, "-m", "budgetaudit", "--version"],
    }
    for path in files:
        jobs[f"check {path.name}"] = [py, "-m", "budgetaudit", "check", str(path), *fmt]
        if against:
            jobs[f"{AGAINST}check {path.name}"] = [against, "-m", "budgetaudit", "check", str(path),
                                                   *fmt]
    return jobs


def child_env(pycache_prefix: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if pycache_prefix is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache_prefix)
    return env


def time_once(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    completed = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=cwd, env=env)
    elapsed = (time.perf_counter() - started) * 1000
    if completed.returncode not in (0, 1):  # 1 = findings, still a full check
        raise SystemExit(f"{' '.join(argv)} exited with {completed.returncode}")
    return elapsed


def measure(jobs: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    # the other interpreter runs from elsewhere, so that `-m budgetaudit` finds its own
    # installation and not this checkout
    with tempfile.TemporaryDirectory() as elsewhere:
        where = {name: Path(elsewhere) if name.startswith(AGAINST) else ROOT for name in jobs}
        for name, argv in jobs.items():  # warm the file cache and .pyc files; not counted
            time_once(argv, env, where[name])
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(runs):
            for name, argv in jobs.items():
                times[name].append(time_once(argv, env, where[name]))
    return times


def summary(times: dict[str, list[float]], env: dict[str, str], report: str = "terminal") -> dict:
    rows = {
        name: {"min_ms": round(min(t), 1), "median_ms": round(statistics.median(t), 1),
               "max_ms": round(max(t), 1), "runs": len(t)}
        for name, t in times.items()
    }
    checks = [t for name, ts in times.items() if name.startswith("check ") for t in ts]
    overall = round(statistics.median(checks), 1) if checks else None
    reference = statistics.median(times[REFERENCE])
    others = [t for name, ts in times.items() if name.startswith(AGAINST) for t in ts]
    return {
        "against_median_ms": round(statistics.median(others), 1) if others else None,
        "python": sys.version.split()[0],
        "report": report,
        "bytecode_cache": "PYTHONDONTWRITEBYTECODE" not in env,
        "target_ms": TARGET_MS,
        "results": rows,
        "check_median_ms": overall,
        "within_target": overall is not None and overall <= TARGET_MS,
        "check_over_reference": round(overall / reference, 2) if checks else None,
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def print_table(result: dict) -> None:
    rows = result["results"]
    width = max(len(name) for name in rows)
    runs = next(iter(rows.values()))["runs"]
    print(f"{'command':<{width}}  {'min':>8}  {'median':>8}  {'max':>8}   (ms, {runs} runs each)")
    for name, row in rows.items():
        print(f"{name:<{width}}  {row['min_ms']:>8.1f}  {row['median_ms']:>8.1f}  {row['max_ms']:>8.1f}")
    overall = result["check_median_ms"]
    if overall is not None:
        verdict = "within" if result["within_target"] else "OVER"
        print(f"\noverall median of all checks: {overall:.1f} ms "
              f"({verdict} the {TARGET_MS:.0f} ms target, Python {result['python']}); "
              f"{result['check_over_reference']}x the reference {REFERENCE}; "
              f"load average {result['load_average']}")
    if result["against_median_ms"] is not None:
        print(f"the other interpreter's checks, interleaved with these: median "
              f"{result['against_median_ms']:.1f} ms")
    if not result["bytecode_cache"]:
        print("note: PYTHONDONTWRITEBYTECODE is set, so sources are compiled on every run; "
              "try --pycache-prefix DIR")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="disclosures to check (default: samples/*.txt)")
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--pycache-prefix", type=Path, metavar="DIR",
                        help="let the child processes cache bytecode in DIR")
    parser.add_argument("--against", metavar="PYTHON",
                        help="also check each file with this interpreter's installed budgetaudit "
                             "(another version, say), interleaved with this checkout's")
    parser.add_argument("--report", choices=("terminal", "json"), default="terminal",
                        help="the check's output (default terminal, as `budgetaudit check FILE`)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    files = [p.resolve() for p in args.files] or sorted(SAMPLES.glob("*.txt"))
    if not files:
        parser.error(f"no text samples in {SAMPLES}")
    env = child_env(args.pycache_prefix)
    result = summary(measure(commands(files, args.against, args.report), args.runs, env), env,
                     args.report)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
