"""File paths as a user reads them in a message or a report."""
from __future__ import annotations

import os
from pathlib import Path


def shown(path: str | Path) -> str:
    """The path as printed: one line, and bytes that are not UTF-8 escaped
    losslessly (\\xff), so that any console and any report can carry it. A
    narrative and tables pair (pairing.Paired) shows both."""
    if isinstance(path, tuple):
        return " + ".join(shown(part) for part in path)
    text = os.fsencode(path).decode("utf-8", "backslashreplace") if _has_surrogates(path) \
        else str(path)
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _has_surrogates(path: str | Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
