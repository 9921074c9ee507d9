"""A batch of the corpus: -j 1 against -j 2, terminal against JSON, the time
to the first report line and the peak memory of each worker.

    python benchmarks/bench_batch.py [--runs 3] [--limit N] [--json] [FOLDER]

FOLDER defaults to ../shared/corpus (beside the repository); the benchmark is
skipped (exit 0, a note) when it is absent. Each configuration runs as a fresh
`python -m budgetaudit check FOLDER` process, interleaved with the others run
after run, output read as it comes:

    j1-json   --format json -j 1
    j2-json   --format json -j 2
    j2-term   terminal report (to a pipe, so no progress bar) -j 2
    j2-jsonl  --format jsonl -j 2

For each: wall time (min / median), the time until the first line of output
(the terminal and JSON Lines reports stream; JSON is one document written at
the end), and
on Linux the peak resident memory (VmHWM) of every worker process, read from
/proc while it runs (and of the main process, which does all the work at
-j 1), and the CPU time of the whole process tree: on a loaded machine the
wall times say little, while CPU at -j 2 close to CPU at -j 1 shows that
the workers add little work of their own. Speed-up is j1-json / j2-json on the medians.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CONFIGS = {
    "j1-json": ["--format", "json", "-j", "1"],
    "j2-json": ["--format", "json", "-j", "2"],
    "j2-term": ["-j", "2"],
    "j2-jsonl": ["--format", "jsonl", "-j", "2"],
}


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def peak_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def watch_workers(pid: int, peaks: dict[int, int], stop: threading.Event) -> None:
    """VmHWM only grows, so the last reading before a worker ends is its peak."""
    while not stop.is_set():
        value = peak_kib(pid)
        if value:
            peaks[-1] = max(value, peaks.get(-1, 0))  # the main process
        for child in children(pid):
            value = peak_kib(child)
            if value:
                peaks[child] = max(value, peaks.get(child, 0))
        stop.wait(0.05)


def run_once(folder: Path, options: list[str], env: dict) -> dict:
    argv = [sys.executable, "-m", "budgetaudit", "check", str(folder), *options]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=watch_workers, args=(process.pid, peaks, stop), daemon=True)
    watcher.start()
    first = None
    for _ in iter(process.stdout.readline, b""):
        if first is None:
            first = time.perf_counter() - started
    process.wait()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stop.set()
    watcher.join()
    if process.returncode not in (0, 1, 2):
        raise SystemExit(f"{' '.join(argv)} exited with {process.returncode}")
    main_peak = peaks.pop(-1, None)
    return {"seconds": elapsed, "cpu_seconds": cpu, "first_output": first,
            "main_peak_mib": round(main_peak / 1024, 1) if main_peak else None,
            "worker_peak_mib": [round(kib / 1024, 1) for kib in peaks.values()]}


def measure(folder: Path, runs: int, env: dict) -> dict:
    results: dict[str, list[dict]] = {name: [] for name in CONFIGS}
    for _ in range(runs):
        for name, options in CONFIGS.items():
            results[name].append(run_once(folder, options, env))
    return results


def summary(results: dict[str, list[dict]], files: int) -> dict:
    rows = {}
    for name, runs in results.items():
        seconds = [r["seconds"] for r in runs]
        firsts = [r["first_output"] for r in runs if r["first_output"] is not None]
        peaks = [p for r in runs for p in r["worker_peak_mib"]]
        mains = [r["main_peak_mib"] for r in runs if r["main_peak_mib"]]
        rows[name] = {"min_s": round(min(seconds), 2), "median_s": round(statistics.median(seconds), 2),
                      "cpu_median_s": round(statistics.median(r["cpu_seconds"] for r in runs), 2),
                      "first_output_median_s": round(statistics.median(firsts), 2) if firsts else None,
                      "worker_peak_mib_max": max(peaks) if peaks else None,
                      "main_peak_mib_max": max(mains) if mains else None}
    j1, j2 = rows["j1-json"]["median_s"], rows["j2-json"]["median_s"]
    return {"files": files, "cores": os.cpu_count(), "load_before": os.getloadavg()[0],
            "configs": rows, "speedup_j2": round(j1 / j2, 2),
            "terminal_over_json": round(rows["j2-term"]["median_s"] / j2, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"skipped: {args.folder} not found")
        return 0
    files = sum(1 for p in args.folder.rglob("*") if p.suffix.lower() in (".pdf", ".txt", ".md"))
    env = dict(os.environ)
    load = os.getloadavg()[0]
    result = summary(measure(args.folder, args.runs, env), files)
    result["load_before"] = round(load, 2)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{files} files, {result['cores']} cores, load average before: {result['load_before']}")
    print(f"{'config':<8} {'min s':>7} {'median s':>9} {'cpu s':>7} {'first line s':>13} {'worker peak MiB':>16}"
          f" {'main peak MiB':>14}")
    for name, row in result["configs"].items():
        first = "-" if row["first_output_median_s"] is None else f"{row['first_output_median_s']:.2f}"
        peak = "-" if row["worker_peak_mib_max"] is None else f"{row['worker_peak_mib_max']:.1f}"
        main = "-" if row["main_peak_mib_max"] is None else f"{row['main_peak_mib_max']:.1f}"
        print(f"{name:<8} {row['min_s']:>7.2f} {row['median_s']:>9.2f} {row['cpu_median_s']:>7.2f} {first:>13}"
              f" {peak:>16} {main:>14}")
    print(f"-j 2 speed-up: {result['speedup_j2']}x; terminal / JSON at -j 2: {result['terminal_over_json']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
