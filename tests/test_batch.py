"""Batches: results in file order while workers run, a dead worker's file
reported, Ctrl-C and SIGTERM stopping the workers and reporting what is done.

Worker misbehaviour is produced by replacing ``budgetaudit.audit.audit`` in
the process that starts the workers (they are forked from it, so they run the
replacement): for files named ``*die*`` the worker kills itself with SIGKILL,
for files named ``*hang*`` it writes its pid to a file and sleeps. Every other
file is a real sample, checked for real.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetaudit import audit as audit_module
from budgetaudit import batch
from budgetaudit.engine import load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
POSIX_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")
pytestmark = pytest.mark.skipif(not POSIX_FORK, reason="uses fork and POSIX signals")


def copies(folder: Path, count: int) -> list[Path]:
    """``count`` real sample files under distinct names, in file order."""
    folder.mkdir(exist_ok=True)
    made = []
    for index in range(count):
        source = SAMPLES[index % len(SAMPLES)]
        target = folder / f"{index:02d}-{source.name}"
        shutil.copyfile(source, target)
        made.append(target)
    return made


def misbehaving(real_audit, marks: Path):
    def audit(path, rules):
        name = Path(path).name
        if "die-once" in name and not (marks / name).exists():
            (marks / name).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        if "die-always" in name:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_audit(path, rules)
    return audit


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_parallel_results_are_those_of_a_serial_run_in_file_order(tmp_path, rules):
    files = copies(tmp_path / "docs", 9)
    serial, parallel = [], []
    batch.run_batch(files, rules, 1, serial.append)
    returned = batch.run_batch(files, rules, 2, parallel.append)
    assert [r.path for r in parallel] == [str(f) for f in files]
    assert returned == parallel
    assert [(r.path, r.findings, r.error) for r in parallel] == \
        [(r.path, r.findings, r.error) for r in serial]
    assert all(r.findings for r in parallel)  # real samples, real findings


def test_a_killed_worker_is_reported_for_its_file_and_the_rest_are_checked(tmp_path, rules, monkeypatch):
    files = copies(tmp_path / "docs", 6)
    dying = tmp_path / "docs" / "03-die-always.txt"
    shutil.copyfile(SAMPLES[0], dying)
    files.insert(3, dying)
    monkeypatch.setattr(audit_module, "audit", misbehaving(audit_module.audit, tmp_path))
    results = batch.run_batch(files, rules, 2, lambda result: None)
    assert [r.path for r in results] == [str(f) for f in files]
    dead = results[3]
    assert dead.error and "工作进程意外退出" in dead.error and "SIGKILL" in dead.error
    assert all(r.error is None and r.findings for i, r in enumerate(results) if i != 3)


def test_a_file_whose_worker_died_once_is_checked_again_in_a_fresh_worker(tmp_path, rules, monkeypatch):
    files = copies(tmp_path / "docs", 4)
    unlucky = tmp_path / "docs" / "01-die-once.txt"
    shutil.copyfile(SAMPLES[0], unlucky)
    files.insert(1, unlucky)
    monkeypatch.setattr(audit_module, "audit", misbehaving(audit_module.audit, tmp_path))
    results = batch.run_batch(files, rules, 2, lambda result: None)
    assert (tmp_path / unlucky.name).exists()  # it did die the first time
    assert results[1].error is None
    assert results[1].findings == results[0].findings  # the same text as 00-…, same findings


def test_slow_files_are_named_while_in_progress(tmp_path, rules):
    files = copies(tmp_path / "docs", 3)
    seen = []
    batch.run_batch(files, rules, 2, lambda result: None, tick=lambda running: seen.append(
        sorted(job.path.name for job in running)))
    assert any(files[0].name in names for names in seen)
    assert seen[-1] == [] or set(seen[-1]) <= {f.name for f in files}


# ---------------------------------------------------------------- the command, signalled

HARNESS = """
import os, sys, time
from pathlib import Path
import budgetaudit.audit as audit_module
real = audit_module.audit
PIDS = Path(sys.argv[1])
def audit(path, rules):
    if "hang" in Path(path).name:
        (PIDS / str(os.getpid())).touch()
        time.sleep(120)
    return real(path, rules)
audit_module.audit = audit
sys.argv = ["budgetaudit", *sys.argv[2:]]
from budgetaudit.cli import main
main()
"""


def start_hanging_batch(tmp_path: Path, count: int, *options: str):
    files = copies(tmp_path / "docs", count)
    hanging = tmp_path / "docs" / "zz-hang.txt"  # last in file order
    shutil.copyfile(SAMPLES[0], hanging)
    pids = tmp_path / "pids"
    pids.mkdir()
    argv = [sys.executable, "-c", HARNESS, str(pids), "check", str(tmp_path / "docs"), *options]
    # as from a terminal: a test run started as a background job of a shell inherits SIGINT
    # ignored, and a program started so rightly keeps ignoring Ctrl-C
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8",
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return process, files, pids


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signalled_parallel_batch_reports_the_files_done_and_stops_its_workers(tmp_path, signum):
    report = tmp_path / "report.txt"
    process, files, pids = start_hanging_batch(tmp_path, 8, "-j", "2", "-o", str(report))
    try:
        # every sample is reported before the hanging file, which holds a worker
        wait_for(lambda: any(pids.iterdir()) and report.exists()
                 and report.read_text(encoding="utf-8").count("✘") == len(files))
        workers = [int(p.name) for p in pids.iterdir()]
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    text = report.read_text(encoding="utf-8")
    assert process.returncode == 130, stderr
    assert f"已中断：{len(files)} / {len(files) + 1} 个文件已检查，报告不完整" in text
    assert "汇总" in text
    assert all(not alive(pid) for pid in workers)


def test_sigterm_json_batch_marks_the_report_incomplete(tmp_path):
    report = tmp_path / "report.json"
    process, files, pids = start_hanging_batch(tmp_path, 3, "-f", "json", "-o", str(report))
    try:
        wait_for(lambda: any(pids.iterdir()))  # serial: the samples come first, so all are done
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["incomplete"] is True
    assert [d["path"] for d in data["documents"]] == [str(f) for f in files]


def test_jsonl_lines_are_written_while_a_later_file_is_still_checked(tmp_path):
    # the last file hangs: every earlier document's line is in the file before the run ends,
    # each whole; SIGTERM then ends the run with a summary line marked incomplete
    report = tmp_path / "report.jsonl"
    process, files, pids = start_hanging_batch(tmp_path, 3, "-f", "jsonl", "-o", str(report))
    try:
        wait_for(lambda: any(pids.iterdir()) and report.exists()
                 and report.read_text(encoding="utf-8").count("\n") == len(files))
        assert process.poll() is None  # still running
        written = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert [d["type"] for d in written] == ["document"] * len(files)
    assert [d["path"] for d in written] == [str(f) for f in files]
    *documents, summary = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert documents == written
    assert summary["type"] == "summary" and summary["incomplete"] is True
    assert summary["documents"] == len(files)


def test_a_worker_that_died_while_idle_is_replaced(tmp_path, rules, monkeypatch):
    files = copies(tmp_path / "docs", 3)
    started = []
    real_worker = batch._Worker

    class KilledWhenIdle(real_worker):
        def __init__(self, context, rules):
            super().__init__(context, rules)
            if not started:  # the first worker dies before it gets any file
                self.process.kill()
                self.process.join()
            started.append(self)

    monkeypatch.setattr(batch, "_Worker", KilledWhenIdle)
    results = batch.run_batch(files, rules, 2, lambda result: None)
    assert [r.error for r in results] == [None] * 3
    assert len(started) == 3  # two at the start, one replacing the dead one


def test_the_terminal_report_of_a_parallel_batch_is_that_of_a_serial_one(tmp_path):
    copies(tmp_path / "docs", 8)
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.txt"
        completed = subprocess.run([sys.executable, "-m", "budgetaudit", "check", str(tmp_path / "docs"),
                                    "-j", jobs, "-o", str(out)], cwd=ROOT, capture_output=True)
        assert completed.returncode == 1, completed.stderr
        text = out.read_text(encoding="utf-8")
        reports[jobs] = text[: text.index("汇总")]  # the summary holds the elapsed time
    assert reports["1"] == reports["2"]
    assert reports["1"].count("✘") == 8


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel ends workers on Linux")
def test_workers_end_when_the_runner_is_killed(tmp_path):
    process, files, pids = start_hanging_batch(tmp_path, 8, "-j", "2", "-f", "json")
    try:
        wait_for(lambda: any(pids.iterdir()))
        workers = [int(p.name) for p in pids.iterdir()]
        process.kill()
        process.communicate(timeout=30)
        wait_for(lambda: not any(alive(pid) for pid in workers), seconds=10)
    finally:
        process.kill()


def test_the_progress_bar_names_a_slow_file_with_its_time():
    from budgetaudit.report.progress import BatchProgress
    from budgetaudit.report.terminal import make_console

    bar = BatchProgress(make_console(file=open(os.devnull, "w")).rich(), 3)
    quick = batch.InProgress(Path("a.txt"))
    slow = batch.InProgress(Path("b.txt"), since=time.monotonic() - 12)
    bar.tick([quick])
    assert bar.slow_note() == ""
    bar.tick([quick, slow])
    assert bar.progress.tasks[0].description == "检查 b.txt"
    assert bar.slow_note() == "（已 12 秒）"
