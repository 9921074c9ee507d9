"""Compare the JSON findings of two versions of budgetaudit on the same documents.

A change meant to make the tool faster must not change what it finds. This
script checks every document with two versions and prints each document whose
findings (or read error) differ; the exit code is 1 when any do.

    python benchmarks/findings_diff.py revs BASE [OTHER]     # git revisions; OTHER defaults to the working tree
    python benchmarks/findings_diff.py snapshot OUT.json [--rev REV]
    python benchmarks/findings_diff.py compare A.json B.json

With --cached (revs, snapshot) each version checks the documents twice with
a fresh cache folder and its second run is compared: the findings as read
through the caches (compiled rules and vocabularies, regular expressions,
dataclass methods) rather than without them.

A revision is exported with `git archive` into a temporary folder and run from
there with the same interpreter (`python -m budgetaudit check … --format json
-j 1`), so nothing needs installing. The documents are samples/*, and, when
present, ../shared/samples/* and ../shared/corpus/* (relative to the repository
root). Timings are left out of the comparison.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".txt", ".md", ".pdf")


def documents() -> list[Path]:
    folders = [ROOT / "samples", ROOT.parent / "shared" / "samples", ROOT.parent / "shared" / "corpus"]
    return [p for folder in folders if folder.is_dir()
            for p in sorted(folder.iterdir()) if p.suffix.lower() in SUFFIXES]


def export(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_check(source: Path, files: list[Path], cache: str = "off") -> dict[str, dict]:
    """{path: {"error": …, "findings": […]}} from one version's JSON report."""
    # the rule files are named explicitly: an editable install would otherwise
    # supply its own tree's rules to every version
    rules = [arg for path in sorted((source / "rules").glob("*.yaml")) for arg in ("--rules", str(path))]
    argv = [sys.executable, "-m", "budgetaudit", "check", *map(str, files), "--format", "json",
            "-j", "1", "--no-default-rules", *rules]
    env = {"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin", "BUDGETAUDIT_CACHE": cache}
    completed = subprocess.run(argv, cwd=source, env=env, capture_output=True, text=True)
    if completed.returncode not in (0, 1, 2) or not completed.stdout.strip():
        raise SystemExit(f"check failed in {source} ({completed.returncode}): {completed.stderr[-500:]}")
    report = json.loads(completed.stdout)
    return {doc["path"]: {"error": doc["error"], "findings": doc["findings"]}
            for doc in report["documents"]}


def snapshot(rev: str | None, cached: bool = False) -> dict[str, dict]:
    files = documents()
    with tempfile.TemporaryDirectory() as tmp:
        source = ROOT if rev is None else export(rev, Path(tmp) / "tree")
        if not cached:
            return run_check(source, files)
        cache = Path(tmp) / "cache"
        run_check(source, files, str(cache))  # fills the caches
        return run_check(source, files, str(cache))


def compare(a: dict[str, dict], b: dict[str, dict]) -> list[str]:
    lines = []
    for path in sorted(set(a) | set(b)):
        if a.get(path) != b.get(path):
            count = lambda side: "absent" if side is None else (
                f"error {side['error']!r}" if side["error"] else f"{len(side['findings'])} findings")
            lines.append(f"{path}: {count(a.get(path))} -> {count(b.get(path))}")
    return lines


def report(a: dict[str, dict], b: dict[str, dict]) -> int:
    differences = compare(a, b)
    findings = sum(len(doc["findings"]) for doc in a.values())
    print("\n".join(differences) if differences else
          f"identical: {len(a)} documents, {findings} findings")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    revs = commands.add_parser("revs", help="compare two git revisions (OTHER: the working tree)")
    revs.add_argument("base")
    revs.add_argument("other", nargs="?")
    revs.add_argument("--cached", action="store_true", help="compare the second of two runs with a cache")
    snap = commands.add_parser("snapshot", help="write one version's findings to a file")
    snap.add_argument("out", type=Path)
    snap.add_argument("--rev", help="git revision (default: the working tree)")
    snap.add_argument("--cached", action="store_true", help="the second of two runs with a cache")
    comp = commands.add_parser("compare", help="compare two snapshot files")
    comp.add_argument("a", type=Path)
    comp.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        args.out.write_text(json.dumps(snapshot(args.rev, args.cached), ensure_ascii=False, indent=1),
                            encoding="utf-8")
        return 0
    if args.command == "compare":
        load = lambda p: json.loads(p.read_text(encoding="utf-8"))
        return report(load(args.a), load(args.b))
    return report(snapshot(args.base, args.cached), snapshot(args.other, args.cached))


if __name__ == "__main__":
    sys.exit(main())
