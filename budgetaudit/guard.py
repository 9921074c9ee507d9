"""The boundary around one document: a wall-time limit and unexpected errors.

Whatever goes wrong while one document is read and checked ends as one line
for that document; the traceback is shown only when asked for with --debug
or BUDGETAUDIT_DEBUG=1 (for a bug report), on stderr.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

DEBUG_ENV = "BUDGETAUDIT_DEBUG"
RETRY_SECONDS = 0.05  # the timer strikes again this soon when its exception was dropped


class DocumentTimeout(BaseException):
    """The document's time is up. A BaseException, so that the `except
    Exception` of a library reading a damaged file does not swallow it."""


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in this thread after `seconds` of wall time.

    Uses a real-time interval timer where the platform has one and this is
    the main thread (as in a worker process); elsewhere it does nothing, and
    the per-page clock of the PDF reader still holds.

    An exception raised where Python cannot pass it on (a garbage-collector
    callback, a __del__ method, a weakref callback) is printed and dropped, so
    the signal may strike there and be lost: the timer then strikes again
    every RETRY_SECONDS, and a block that still ends normally after its time
    is up ends in DocumentTimeout all the same.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    expired = []

    def expire(signum, frame):
        expired.append(True)
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)  # in case this raise is dropped
        raise DocumentTimeout()

    def dropped(unraisable):  # Python's note of the dropped raise is no news to the user
        if not isinstance(unraisable.exc_value, DocumentTimeout):
            hook(unraisable)

    hook = sys.unraisablehook
    sys.unraisablehook = dropped
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook
    if expired:  # the time ran out, and the raise was dropped where it struck
        raise DocumentTimeout()


def unexpected(path: str, error: BaseException) -> str:
    """One line for an error nobody expected; the traceback when debugging."""
    if debugging():
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    name = type(error).__name__ + (f": {detail}" if detail else "")
    where = f"{path}：" if path else ""
    return (f"处理时出错：{where}{name}（程序内部错误，加 --debug 可显示详情）"
            f" (unexpected error; --debug shows the traceback)")
