"""Load a PDF disclosure into the same Document the text loader produces.

One pdfminer pass per page (the fast content-stream reader of pdfstream with
the lean device of pdfdevice) yields the page's glyphs and ruling lines;
pdfpage turns them into lines: running text grouped by baseline, and every
ruled table rebuilt from its grid and written one row per line with
tab-separated cells, one cell per grid column, exactly as the text form of a
disclosure prints tables, so the text table parser reads them unchanged.
Each Line carries its 1-based page; numbers run through the document.

Problems are one-line InputErrors: encrypted (a password is needed to open
it; a file that only restricts copying opens as in any viewer), corrupt, no
text layer (scanned, or more than half of the pages without text), text that
cannot be decoded, or a limit of budgetaudit.limits reached: time per page and
per document, decompressed bytes, operators, form XObjects (pdfbudget).
"""
from __future__ import annotations

import logging
import time
import warnings
from io import BytesIO
from pathlib import Path

from budgetaudit.limits import current as current_limits, exceeded
from budgetaudit.load.text import check_line_length, read_input_bytes, shown
from budgetaudit.model import Document, InputError, Line

MAX_UNDECODED_SHARE = 0.5  # more "(cid:N)" glyphs than this: the text is unreadable
MAX_BLANK_SHARE = 0.5  # more pages than this without any text: a scan (with a typed cover)

# pdfminer logs every oddity of a file; without a handler of its own Python
# would print them on stderr. The user gets our one-line errors instead.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())


def clock() -> float:
    """The clock page deadlines are measured on (tests replace it)."""
    return time.monotonic()


def load_pdf(path: str | Path) -> Document:
    from budgetaudit.load.pdfbudget import Budget, BudgetExceeded, DeadlinePassed, opened

    path = Path(path)
    data = read_input_bytes(path)
    budget = Budget(current_limits(), clock)
    budget.deadline = budget.ends = clock() + budget.limits.document_seconds
    with warnings.catch_warnings(), opened(budget):
        warnings.simplefilter("ignore")
        try:
            document = _open(data, path)
            lines = _read_pages(document, path, budget)
        except BudgetExceeded as limit:
            raise exceeded(path, limit.name, budget.page) from None
        except DeadlinePassed:
            raise _timeout(path, budget) from None
    check_line_length(lines, path)
    return Document(path=str(path), lines=tuple(lines), source="pdf")


def _open(data: bytes, path: Path):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFDocument(PDFParser(BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise _encrypted(path) from None
    except Exception as error:  # pdfminer reports damage with many exception types
        if b"/Encrypt" in data:
            raise _encrypted(path) from None
        raise _corrupt(path, error) from None


def _read_pages(document, path: Path, budget) -> list[Line]:
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    from budgetaudit.load.pdfdevice import PageRecorder
    from budgetaudit.load.pdfpage import TableMemory, page_lines
    from budgetaudit.load.pdfstream import FastInterpreter

    manager = PDFResourceManager(caching=True)
    device = PageRecorder(manager, clock)
    interpreter = FastInterpreter(manager, device)
    interpreter.clock = clock
    memory = TableMemory()
    found: list = []  # (PageLine, page number)
    glyphs = undecoded = blank = 0
    number = 0
    for number, page in enumerate(_pages(PDFPage, document, path), 1):
        budget.page = number
        budget.deadline = min(clock() + budget.limits.page_seconds, budget.ends)
        content = _interpret(interpreter, device, page, number, path, budget)
        glyphs += len(content.glyphs)
        undecoded += sum(1 for g in content.glyphs if g.text.startswith("(cid:"))
        blank += not any(not g.text.isspace() for g in content.glyphs)
        found.extend((line, number) for line in page_lines(content, memory))
        budget.check_deadline()
    budget.page = None
    if number == 0:
        raise _corrupt(path, "no pages")
    lines = [Line(index, line.text, page, line.low_confidence, _wraps(found, index))
             for index, (line, page) in enumerate(found, 1)]
    if not lines or blank > MAX_BLANK_SHARE * number:
        pages = f"（{number} 页中 {blank} 页没有文字）" if lines else ""
        raise InputError(f"PDF 没有文字层，疑似扫描件{pages}：{shown(path)} "
                         f"(PDF appears to be scanned: no text layer)")
    if undecoded > MAX_UNDECODED_SHARE * glyphs:
        raise InputError(f"PDF 的文字无法解码（字体缺少 Unicode 映射）：{shown(path)} "
                         f"(text layer cannot be decoded: fonts lack a Unicode map)")
    return lines


def _wraps(found: list, number: int) -> bool:
    """Does line `number` (1-based) run on into the next line?"""
    if number >= len(found):
        return False
    line, following = found[number - 1][0], found[number][0]
    return line.full and not line.table and not following.table and not following.indented


def _pages(page_class, document, path: Path):
    iterator = page_class.create_pages(document)
    while True:
        try:
            page = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            raise _corrupt(path, error) from None
        yield page


def _interpret(interpreter, device, page, number: int, path: Path, budget):
    from budgetaudit.load.pdfstream import PageTimeout

    interpreter.deadline = device.deadline = budget.deadline
    try:
        interpreter.process_page(page)
    except PageTimeout:
        raise _timeout(path, budget) from None
    except Exception as error:  # damaged content streams, fonts, filters
        raise _corrupt(path, error, number) from None
    return device.result


def _encrypted(path: Path) -> InputError:
    return InputError(f"文件已加密，无法读取：{shown(path)} (encrypted PDF)")


def _corrupt(path: Path, error, page: int | None = None) -> InputError:
    where = f"第 {page} 页" if page else "文件结构"
    reason = error if isinstance(error, str) else type(error).__name__
    return InputError(f"PDF 文件已损坏（{where}无法解析）：{shown(path)} (corrupt PDF: {reason})")


def _timeout(path: Path, budget) -> InputError:
    """The page's time is up, or the document's (its own limit and message)."""
    if clock() > budget.ends or budget.page is None:
        return exceeded(path, "document_seconds", budget.page)
    page, seconds = budget.page, budget.limits.page_seconds
    return InputError(f"第 {page} 页处理超时（超过 {seconds:g} 秒）：{shown(path)} "
                      f"(page {page} exceeded the time limit of {seconds:g} s; "
                      f"--limit page_seconds=… raises it)")
