"""Where a report goes: stdout that may be closed, full or a closed pipe, or a
file written whole or not at all.

A report file is written to a temporary file beside it and renamed into
place, so an interrupted run leaves the previous file (or none), never half
a report. A reader that stops early (`| head`) is not an error; a stdout
that cannot take the report (closed, disk full) is an OutputError.
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Iterable

from budgetaudit.paths import shown


class OutputError(Exception):
    """The report could not be written; the message is one line."""


def refuse_inputs(output: Path | None, inputs: Iterable[Path]) -> None:
    """An OutputError when the report would overwrite one of the inputs."""
    if output is None or not output.exists():
        return
    target = os.stat(output)
    for path in inputs:
        try:
            info = os.stat(path)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            raise OutputError(f"输出文件就是输入文件，拒绝覆盖：{shown(output)} "
                              f"(--output names an input file)")


def write_file(output: Path, text) -> None:
    """Write `text` to `output` whole: a temporary file renamed into place.

    A path that exists and is not a regular file (/dev/null, a FIFO) is
    written directly, since it cannot be replaced.
    """
    target = Path(os.path.realpath(output))
    data = text if isinstance(text, bytes) else text.encode("utf-8")  # xlsx is bytes
    try:
        if target.exists() and not stat.S_ISREG(os.stat(target).st_mode):
            with open(target, "wb") as handle:
                handle.write(data)
            return
        _replace(target, data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(f"无法写入 {shown(output)}：{reason} (cannot write output)") from None


def _replace(target: Path, data: bytes) -> None:
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def stdout_or_fail():
    """sys.stdout, or an OutputError when the process was started without one."""
    if sys.stdout is None:
        raise OutputError("标准输出已关闭，无法输出报告 (stdout is closed)")
    return sys.stdout


def write_stdout(text) -> None:
    """Text to stdout; bytes, or text that starts with a BOM (CSV for Excel),
    go out as UTF-8 bytes so that the console's encoding cannot change them."""
    stream = stdout_or_fail()
    with stdout_errors():
        if isinstance(text, str) and not text.startswith("\ufeff"):
            stream.write(text)
            stream.flush()
            return
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stream (a test runner's): write the text
            stream.write(data.decode("utf-8", "replace"))
            return
        buffer.write(data)
        buffer.flush()


class ReaderGone(Exception):
    """stdout's reader has stopped (`| head`): the command ends without a word."""


class stdout_errors:
    """Turn a failing stdout into OutputError; a closed pipe ends quietly: the
    write is dropped, or, with ``ending``, the command ends (ReaderGone), for a
    report that streams and whose later lines nobody reads."""

    def __init__(self, ending: bool = False):
        self.ending = ending

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if error is None:
            return False
        if isinstance(error, BrokenPipeError):
            silence_stdout()
            if self.ending:
                raise ReaderGone() from None
            return True
        if isinstance(error, OSError) or (isinstance(error, ValueError) and _closed_stdout()):
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise OutputError(f"无法写入标准输出：{reason} (cannot write to stdout)") from None
        return False


def _closed_stdout() -> bool:
    return sys.stdout is None or getattr(sys.stdout, "closed", False)


def silence_stdout() -> None:
    """Point stdout at the null device so nothing more fails on exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass


def flush_stdout() -> None:
    """Flush what is still buffered; the disk may turn out full only now."""
    if sys.stdout is None:
        return
    with stdout_errors():
        sys.stdout.flush()
