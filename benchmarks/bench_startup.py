"""Where the start-up of `budgetaudit check FILE` goes: imports by package,
rule loading and the work, from fresh processes.

    python benchmarks/bench_startup.py [--runs 7] [--json] [--pycache-prefix DIR] [FILE]

Two measurements, each the minimum over --runs fresh processes (the minimum
is the figure least disturbed by other load):

1. `python -X importtime -m budgetaudit check FILE --format json`: the
   self-time of every imported module, summed by group (the interpreter's
   own start-up modules, the standard library, typer, rich, yaml, pdfminer,
   and budgetaudit by subpackage);
2. inside one process, with time.perf_counter: starting as the launcher
   does for a plain check (budgetaudit.launch, which imports commands.py
   and not typer), loading the rules and checking the file, with the caches
   (compiled rule and vocabulary files, dataclass methods and regular
   expressions: budgetaudit/cache.py, budgetaudit/codecache.py) filled by an
   earlier run, then with them off.

FILE defaults to samples/wuqia-county-gov-office-2024.txt. The cache folder is
pointed at a temporary folder, so the user's own is not touched.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "samples" / "wuqia-county-gov-office-2024.txt"
GROUPS = ("typer", "rich", "yaml", "pdfminer", "budgetaudit.engine", "budgetaudit.extract",
          "budgetaudit.report", "budgetaudit.load", "budgetaudit")
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")

PHASES = """
import sys, time, json
t0 = time.perf_counter()
import budgetaudit.launch  # as the launcher starts a plain check: commands.py, no typer
t1 = time.perf_counter()
from budgetaudit.engine import load_rules
rules = load_rules()
t2 = time.perf_counter()
from budgetaudit.audit import audit
from budgetaudit.report import json as report
result = audit(__import__("pathlib").Path(sys.argv[1]), rules)
report.render([result], {r.code: r.meta for r in rules}, __import__("budgetaudit.report").report.ReportOptions())
t3 = time.perf_counter()
print(json.dumps({"start": t1 - t0, "load_rules": t2 - t1, "check": t3 - t2}))
"""


def group_of(module: str, first_party: set[str]) -> str:
    for group in GROUPS:
        if module == group or module.startswith(group + "."):
            return group
    top = module.split(".")[0]
    return "interpreter start-up" if top in first_party else "standard library and others"


def import_breakdown(file: Path, env: dict) -> dict[str, float]:
    """Module self-times (ms) summed by group, from one run."""
    argv = [sys.executable, "-X", "importtime", "-m", "budgetaudit", "check", str(file), "--format", "json"]
    stderr = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True).stderr
    startup = {m for m in sys.builtin_module_names} | {"site", "encodings", "codecs", "io", "abc", "os",
                                                        "stat", "posixpath", "genericpath", "_collections_abc",
                                                        "_sitebuiltins", "_distutils_hack"}
    totals: dict[str, float] = defaultdict(float)
    for match in LINE.finditer(stderr):
        totals[group_of(match.group(4), startup)] += int(match.group(1)) / 1000
    return dict(totals)


def phases(file: Path, env: dict) -> dict[str, float]:
    completed = subprocess.run([sys.executable, "-c", PHASES, str(file)], cwd=ROOT, env=env,
                               capture_output=True, text=True, check=True)
    return {k: v * 1000 for k, v in json.loads(completed.stdout.splitlines()[-1]).items()}


def minimum(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = {k for s in samples for k in s}
    return {k: round(min(s.get(k, 0.0) for s in samples), 1) for k in sorted(keys)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pycache-prefix", type=Path, metavar="DIR",
                        help="let the child processes cache bytecode in DIR even where "
                             "PYTHONDONTWRITEBYTECODE is set (as an installation would have it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, BUDGETAUDIT_CACHE=cache)
        if args.pycache_prefix is not None:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(args.pycache_prefix)
        imports, cached, uncached = [], [], []
        for _ in range(args.runs):
            imports.append(import_breakdown(args.file, env))
            cached.append(phases(args.file, env))
            uncached.append(phases(args.file, dict(env, BUDGETAUDIT_CACHE="off")))
    result = {"file": str(args.file), "imports_ms": minimum(imports),
              "phases_ms": minimum(cached), "phases_without_cache_ms": minimum(uncached),
              "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.file.name}, minimum of {args.runs} runs, load average {result['load_average']}")
    print("imports (self time by group, ms):")
    for group, ms in sorted(result["imports_ms"].items(), key=lambda kv: -kv[1]):
        print(f"  {group:<30} {ms:7.1f}")
    print(f"  {'total':<30} {sum(result['imports_ms'].values()):7.1f}")
    print("in-process phases (ms):         caches on   off")
    for phase, ms in result["phases_ms"].items():
        print(f"  {phase:<30} {ms:7.1f} {result['phases_without_cache_ms'][phase]:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
