"""Reading an input file safely: regular files only, never more than a limit.

A FIFO would block a read forever and a device (/dev/zero) never ends, so a
path is opened without blocking and judged by what was opened (fstat on the
descriptor, after the kernel followed any link): a race between a check and
the open cannot slip a device in. Only regular files are read, and at most
one byte past the size limit.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from budgetaudit.model import InputError
from budgetaudit.paths import shown

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


def read_regular(path: Path, limit_bytes: int, limit_name: str, what: str = "文件") -> bytes:
    """The bytes of a regular file; an InputError with the reason otherwise."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as error:
        raise InputError(_open_failure(path, error, what)) from None
    try:
        _check_kind(path, os.fstat(fd), limit_bytes, limit_name, what)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit_bytes + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"无法读取{what}：{shown(path)} (cannot read: {reason})") from None
    finally:
        os.close(fd)
    if len(data) > limit_bytes:  # it grew while we read it
        raise _too_big(path, limit_name)
    return data


def _check_kind(path: Path, info: os.stat_result, limit_bytes: int, limit_name: str,
                what: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"路径是目录而不是{what}：{shown(path)} (path is a directory)")
    if not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
        raise InputError(f"{what}不是普通文件（{kind[0]}），不读取：{shown(path)} "
                         f"(not a regular file: {kind[1]})")
    if info.st_size > limit_bytes:
        raise _too_big(path, limit_name)


def _too_big(path: Path, limit_name: str) -> InputError:
    from budgetaudit.limits import exceeded

    return exceeded(path, limit_name)


def _kind(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "命名管道", "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备", "device"
    if stat.S_ISSOCK(mode):
        return "套接字", "socket"
    return "特殊文件", "special file"


def _open_failure(path: Path, error: OSError, what: str) -> str:
    name = shown(path)
    if error.errno == errno.ELOOP:
        return f"符号链接循环，无法打开：{name} (symbolic link loop)"
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"符号链接指向的{what}不存在：{name} (broken symbolic link)"
        return f"{what}不存在：{name} (file not found)"
    if error.errno == errno.EISDIR:
        return f"路径是目录而不是{what}：{name} (path is a directory)"
    reason = error.strerror or type(error).__name__
    return f"无法读取{what}：{name} (cannot read: {reason})"
