"""Turn an input file into a Document, choosing the loader by the file's kind."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from budgetaudit import lazymodules
from budgetaudit.load.text import load_text, read_input_bytes
from budgetaudit.model import Document

# Every PDF module of this package imports pdfminer; what pdfminer's package
# file and its encoding guesser would add to a run is left until it is used
# (budgetaudit.lazymodules says what and why).
lazymodules.defer("pdfminer", "charset_normalizer")
# pdfminer.pdfdocument takes AES from cryptography (about 30 ms to load, its
# compiled bindings and OpenSSL) for PDFs encrypted with it, which are rare:
# the names stand in until a document needs them (lazymodules.stand_ins).
UNUSED_UNTIL_AES = {"cryptography.hazmat.backends": ("default_backend",),
                    "cryptography.hazmat.primitives.ciphers": ("Cipher", "algorithms", "modes")}

PDF_MAGIC = b"%PDF-"
# A PDF may be preceded by a few stray bytes (whitespace, a BOM) in the wild.
MAGIC_WINDOW = 16

__all__ = ["load", "load_text", "input_kind"]


def load(path: str | Path) -> Document:
    """Load a disclosure from a text, PDF or HTML file."""
    kind = input_kind(Path(path))
    return LOADERS[kind](path)


def input_kind(path: Path) -> str:
    """'pdf' by suffix or by magic bytes (files are often misnamed), else 'text'."""
    if path.suffix.lower() == ".pdf":
        read_input_bytes(path)  # missing/empty/directory errors come before "not supported"
        return "pdf"
    if path.suffix.lower() in (".html", ".htm"):
        return "html"
    return "pdf" if PDF_MAGIC in read_head(path) else "text"


def read_head(path: Path) -> bytes:
    """The first bytes of a regular file; anything else yields none, so that
    load_text reports the problem with its own message."""
    import os
    import stat

    from budgetaudit.load.files import OPEN_FLAGS

    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return b""
    try:
        return os.read(fd, MAGIC_WINDOW) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        return b""
    finally:
        os.close(fd)


def load_pdf(path: str | Path) -> Document:
    if "pdfminer.pdfdocument" not in sys.modules:  # a batch's later PDFs need not look
        with lazymodules.stand_ins(UNUSED_UNTIL_AES):
            import pdfminer.pdfdocument  # noqa: F401  the first import of it, AES standing in
    from budgetaudit.load.pdf import load_pdf as read_pdf  # pdfminer loads only for PDFs

    return read_pdf(path)


def load_html(path: str | Path) -> Document:
    from budgetaudit.load.html import load_html as read_html

    return read_html(path)


# One entry per input kind.
LOADERS: dict[str, Callable[[str | Path], Document]] = {
    "pdf": load_pdf,
    "text": load_text,
    "html": load_html,
}
