"""Checking many files: worker processes, results streamed in file order.

Each worker is a process of its own that receives one path at a time and sends
back that file's result, so the runner always knows which file a worker holds:
a worker that dies (killed, out of memory) is replaced, the file it held is
tried once more in a fresh worker and, if that dies too, reported as such
while the other files are still checked. The rules reach each worker once,
when it starts; only paths go out and results come back.

Results are handed on (``emit``) in the order of the files as soon as every earlier file
is done, so a report can be written while later files are still checked and
is the same as that of a serial run.

Ctrl-C (SIGINT) and SIGTERM stop the batch: the workers are terminated and
``Interrupted`` is raised, carrying the results finished so far in file order.
On Linux a worker also ends with the runner if that is killed outright.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from budgetaudit.model import DocumentResult

PR_SET_PDEATHSIG = 1  # prctl(2)
TICK_SECONDS = 0.5  # how often the runner reports on files in progress
DIED = "检查时工作进程意外退出（{}）：{} (the worker checking this file died)"


class Interrupted(Exception):
    """Ctrl-C or SIGTERM during a batch; ``results`` are the files done, in order."""

    def __init__(self, results: list[DocumentResult], signum: int):
        super().__init__(f"interrupted by signal {signum}")
        self.results = results
        self.signum = signum


@dataclass
class InProgress:
    """A file being checked and since when (``time.monotonic()``)."""

    path: Path
    since: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.since


Ticker = Callable[[Sequence[InProgress]], None]


def run_batch(files: Sequence[Path], rules, workers: int, emit: Callable[[DocumentResult], None],
              tick: Optional[Ticker] = None) -> list[DocumentResult]:
    """Check every file; ``emit`` each result in the order of ``files`` as soon
    as it and every earlier one are known. Returns the results in that order.

    ``tick`` is called with the files in progress before each file starts and
    every TICK_SECONDS while any is in progress (a progress bar shows them).
    Raises ``Interrupted`` on Ctrl-C or SIGTERM, the workers stopped.
    """
    done: list[DocumentResult] = []
    with _signals_raise() as caught:
        try:
            source = _serial(files, rules, tick) if workers <= 1 else _parallel(files, rules, workers, tick)
            try:
                for result in source:
                    done.append(result)
                    emit(result)
            finally:
                source.close()  # stops the workers however the loop ends
        except KeyboardInterrupt:
            raise Interrupted(done, caught.get("signum", signal.SIGINT)) from None
    return done


class _signals_raise:
    """Within the block SIGTERM raises KeyboardInterrupt like Ctrl-C, so both
    stop the batch the same way; the previous handler is restored after."""

    def __enter__(self) -> dict:
        self.caught: dict = {}
        self.previous = None
        if hasattr(signal, "SIGTERM") and _main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._on_term)
        return self.caught

    def _on_term(self, signum, frame) -> None:
        self.caught["signum"] = signum
        raise KeyboardInterrupt

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _serial(files, rules, tick: Optional[Ticker]) -> Iterator[DocumentResult]:
    from budgetaudit.audit import audit

    for path in files:
        if tick:
            tick([InProgress(path)])
        yield audit(path, rules)


# ---------------------------------------------------------------- workers


def _serve(connection, rules, runner: int) -> None:
    """A worker's life: check each path received until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides what Ctrl-C does
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(runner)
    from budgetaudit.audit import audit

    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the runner is gone
            return
        if job is None:
            return
        index, path = job
        try:
            connection.send((index, audit(path, rules)))
        except (BrokenPipeError, OSError):
            return


def _die_with(runner: int) -> None:
    """On Linux, have the kernel end this worker when the runner ends, even by
    SIGKILL (otherwise a busy worker would finish its file first)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != runner:  # it ended before the request took effect
        os._exit(1)


class _Worker:
    def __init__(self, context, rules):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, rules, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.job: Optional[tuple[int, InProgress]] = None

    def give(self, index: int, path: Path) -> None:
        self.job = (index, InProgress(path))
        self.connection.send((index, path))

    def stop(self, wait: float) -> None:
        """Ask the worker to finish; terminate it if it does not within ``wait``."""
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(wait)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _context():
    """fork where it exists (workers start in milliseconds and share the loaded
    rules), the platform's default elsewhere."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else None)


def _parallel(files, rules, workers: int, tick: Optional[Ticker]) -> Iterator[DocumentResult]:
    from multiprocessing.connection import wait

    context = _context()
    todo = list(reversed(list(enumerate(files))))  # popped from the end: file order
    tries: dict[int, int] = {}
    finished: dict[int, DocumentResult] = {}
    pool = [_Worker(context, rules) for _ in range(min(workers, len(files)))]
    next_out = 0
    try:
        while next_out < len(files):
            for slot, worker in enumerate(pool):
                if worker.job is None and todo:
                    pool[slot] = _give(worker, todo, context, rules)
            if tick:
                tick([w.job[1] for w in pool if w.job])
            busy = [w for w in pool if w.job]
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy], TICK_SECONDS)
            for worker in busy:
                if worker.connection in ready or worker.process.sentinel in ready:
                    pool[pool.index(worker)] = _collect(worker, context, rules, finished, tries, todo)
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    finally:
        for worker in pool:
            worker.stop(wait=0 if worker.job else 1)


def _give(worker: _Worker, todo: list, context, rules) -> _Worker:
    """Hand the next file to an idle worker; one that died while idle is
    replaced by a fresh worker, which gets the file instead."""
    index, path = todo.pop()
    try:
        worker.give(index, path)
        return worker
    except OSError:
        worker.job = None
        worker.stop(wait=0)
        fresh = _Worker(context, rules)
        fresh.give(index, path)
        return fresh


def _collect(worker: _Worker, context, rules, finished, tries, todo) -> _Worker:
    """Take the worker's result; a dead worker's file is retried once, then
    reported. Returns the worker to keep (a fresh one replaces a dead one)."""
    index, job = worker.job
    try:
        got, result = worker.connection.recv()
        finished[got] = result
        worker.job = None
        return worker
    except (EOFError, OSError):
        pass
    worker.process.join(1)
    code = worker.process.exitcode
    worker.job = None
    worker.stop(wait=0)
    tries[index] = tries.get(index, 0) + 1
    if tries[index] < 2:
        todo.append((index, job.path))
    else:
        finished[index] = DocumentResult(str(job.path), (), DIED.format(_exit_text(code), job.path),
                                         job.seconds)
    return _Worker(context, rules)


def _exit_text(code: Optional[int]) -> str:
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def worker_count(jobs: int, files: int, threshold: int) -> int:
    """Processes for a batch: ``jobs`` (0: every core), one below ``threshold`` files."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    wanted = (cores or 1) if jobs == 0 else jobs
    return 1 if files < threshold else max(1, min(wanted, files))
