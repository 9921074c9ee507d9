"""A cache of files compiled from YAML (rule sets, vocabularies), so that a run
does not parse and validate the same file again.

An entry is keyed by the file's content and path, the kind of file, the
package version, the Python version and the size and time of the package's
own source files: a changed file, a new release, an edited checkout or
another interpreter simply misses. Nothing read back is trusted blindly: the
entry must carry its own key and a digest of its payload, the payload must
pass the caller's check, and a cache folder that others may write to is not
used at all. Anything wrong means a miss: the file is compiled again and the
entry rewritten.

Where: $BUDGETAUDIT_CACHE if set ("off" or "0" disables the cache), else
$XDG_CACHE_HOME/budgetaudit, ~/.cache/budgetaudit, or on Windows
%LOCALAPPDATA%\\budgetaudit\\Cache.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Callable, Optional, TypeVar

T = TypeVar("T")
ENV = "BUDGETAUDIT_CACHE"
OFF = ("off", "0", "no", "false", "")
MAGIC = b"budgetaudit-cache-1\n"
DIGEST = 32  # sha256


def cache_dir() -> Optional[Path]:
    """The cache folder, or None when the cache is switched off."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return None if configured.strip().lower() in OFF else Path(configured)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "budgetaudit" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budgetaudit"


def cached(kind: str, path: Path, content: bytes, build: Callable[[], T],
           valid: Callable[[object], bool]) -> T:
    """``build()``'s value for this file content, from the cache when a sound
    entry exists; else built and stored. Errors raised by ``build`` propagate
    and nothing is stored."""
    folder = cache_dir()
    key = entry_key(kind, path, content)
    # one entry per file: a changed file replaces its entry instead of adding one
    name = f"{kind}-{hashlib.sha256(str(Path(path).resolve()).encode('utf-8', 'surrogatepass')).hexdigest()[:24]}.pickle"
    if folder is not None:
        found = read_entry(folder / name, key, valid)
        if found is not None:
            return found
    value = build()
    if folder is not None:
        write_entry(folder, name, key, value)
    return value


def entry_key(kind: str, path: Path, content: bytes) -> bytes:
    from budgetaudit import __version__

    digest = hashlib.sha256()
    for part in (kind, __version__, sys.version, str(Path(path).resolve()), _code_stamp()):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(content)
    return digest.digest()


_STAMP: list[str] = []


def _code_stamp() -> str:
    """Size and modification time of every module of the package: what a value
    compiled by one revision of the code looks like may differ in the next, and
    a checkout edited in place keeps its version number."""
    if not _STAMP:
        parts = []
        root = Path(__file__).resolve().parent
        for folder in [root, *sorted(p for p in root.iterdir() if p.is_dir() and p.name != "__pycache__")]:
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.endswith(".py"):
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    parts.append(f"{folder.name}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
        _STAMP.append(hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest())
    return _STAMP[0]


def read_entry(file: Path, key: bytes, valid: Callable[[object], bool]):
    """The stored value, or None for a missing, stale, corrupt or unsafe entry."""
    import pickle

    data = read_private(file)
    if data is None:
        return None
    head = len(MAGIC)
    if data[:head] != MAGIC or data[head:head + DIGEST] != key:
        return None
    payload_digest, payload = data[head + DIGEST:head + 2 * DIGEST], data[head + 2 * DIGEST:]
    if hashlib.sha256(payload).digest() != payload_digest:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # a payload from an incompatible version of a class
        return None
    return value if valid(value) else None


def write_entry(folder: Path, name: str, key: bytes, value) -> None:
    """Store atomically (write, then rename); a cache that cannot be written is
    no error, the run just goes on without it."""
    import pickle

    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    write_private(folder, name, MAGIC + key + hashlib.sha256(payload).digest() + payload)


def read_private(file: Path) -> Optional[bytes]:
    """The bytes of a cache file, or None when it is missing, unreadable, or
    not this user's alone (nor its folder)."""
    try:
        if not private(file.parent) or not private(file):
            return None
        return file.read_bytes()
    except OSError:
        return None


def write_private(folder: Path, name: str, data: bytes) -> bool:
    """Write a cache file atomically (write, then rename) into a folder of this
    user's alone; False when it cannot be, which is no error."""
    import tempfile

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(folder):
            return False
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, folder / name)
    except OSError:
        return False
    return True


def private(path: Path) -> bool:
    """Owned by this user and not writable by others (always true where
    ownership is not POSIX)."""
    if not hasattr(os, "getuid"):
        return True
    status = path.stat()
    return status.st_uid == os.getuid() and not status.st_mode & 0o022
