"""Turn an input file into a Document, choosing the loader by the file's kind."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from budgetaudit.load.text import load_text, read_input_bytes, shown
from budgetaudit.model import Document, InputError

PDF_MAGIC = b"%PDF-"
# A PDF may be preceded by a few stray bytes (whitespace, a BOM) in the wild.
MAGIC_WINDOW = 16

__all__ = ["load", "load_text", "input_kind"]


def load(path: str | Path) -> Document:
    """Load a disclosure from a text or (later) PDF file."""
    kind = input_kind(Path(path))
    return LOADERS[kind](path)


def input_kind(path: Path) -> str:
    """'pdf' by suffix or by magic bytes (files are often misnamed), else 'text'."""
    if path.suffix.lower() == ".pdf":
        read_input_bytes(path)  # missing/empty/directory errors come before "not supported"
        return "pdf"
    return "pdf" if PDF_MAGIC in read_head(path) else "text"


def read_head(path: Path) -> bytes:
    """The first bytes of the file; a missing or unreadable path yields none,
    so that load_text reports the problem with its own message."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAGIC_WINDOW)
    except OSError:
        return b""


def pdf_not_supported(path: str | Path) -> Document:
    raise InputError(f"暂不支持 PDF 输入：{shown(path)} (PDF input is not supported yet)")


# One entry per input kind: the PDF loader replaces pdf_not_supported here.
LOADERS: dict[str, Callable[[str | Path], Document]] = {
    "pdf": pdf_not_supported,
    "text": load_text,
}
