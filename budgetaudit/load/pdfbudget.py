"""What one PDF may cost: decompressed bytes, operators, form XObjects, time.

pdfminer.six has no limits of its own: a Flate bomb is inflated whole, a
content stream's parser has no clock, and form XObjects may fan out to a
billion drawings. The loader opens a Budget for each document; three small
hooks consult it, all cheap counters:

- Flate decoding in pdfminer.pdftypes goes through ``_BoundedZlib``, which
  inflates at most the bytes left in the budget (a bomb stops at the limit,
  not at the end of memory);
- every decoded stream is counted against the document's total;
- pdfminer's byte parsers (the general one and the content streams' own)
  check the page deadline each time they read a buffer (4 KB), so even their
  slow paths end in time;
- the code ranges of font CMaps are counted before pdfminer expands them
  (pdffonts), so that one range cannot ask for billions of entries.

The interpreter counts operators and form XObjects itself (pdfstream).
"""
from __future__ import annotations

import zlib
from typing import Callable, Optional


class BudgetExceeded(BaseException):
    """A limit of limits.Limits was reached; `name` says which. A
    BaseException, so that no `except Exception` inside pdfminer hides it."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class DeadlinePassed(BaseException):
    """The page's deadline passed inside pdfminer's parser."""


class Budget:
    """The counters of one document against its limits."""

    def __init__(self, limits, clock: Callable[[], float]):
        from budgetaudit.limits import MB

        self.limits = limits
        self.clock = clock
        self.stream_bytes = int(limits.stream_mb * MB)
        self.operators = limits.operators
        self.xobjects = limits.xobjects
        self.cmap_codes = limits.cmap_codes
        self.used_cmap_codes = 0
        self.deadline: Optional[float] = None
        self.used_bytes = self.used_operators = self.used_xobjects = 0
        self.depth = 0  # form XObjects being drawn inside each other now
        self.page: Optional[int] = None  # the page being read
        self.ends = float("inf")  # the document's deadline

    def take_bytes(self, count: int) -> None:
        self.used_bytes += count
        if self.used_bytes > self.stream_bytes:
            raise BudgetExceeded("stream_mb")

    def bytes_left(self) -> int:
        return max(0, self.stream_bytes - self.used_bytes)

    def take_operators(self, count: int) -> None:
        self.used_operators += count
        if self.used_operators > self.operators:
            raise BudgetExceeded("operators")

    def take_cmap_codes(self, count: int) -> None:
        """Codes mapped by the ranges of the document's font CMaps."""
        self.used_cmap_codes += count
        if self.used_cmap_codes > self.cmap_codes:
            raise BudgetExceeded("cmap_codes")

    def take_xobject(self) -> None:
        self.used_xobjects += 1
        if self.used_xobjects > self.xobjects:
            raise BudgetExceeded("xobjects")
        if self.depth >= self.limits.xobject_depth:
            raise BudgetExceeded("xobject_depth")

    def check_deadline(self) -> None:
        if self.deadline is not None and self.clock() > self.deadline:
            raise DeadlinePassed()


_current: Optional[Budget] = None


def current() -> Optional[Budget]:
    return _current


class opened:
    """`with opened(budget):` makes it the budget of the document being read."""

    def __init__(self, budget: Budget):
        self.budget = budget

    def __enter__(self) -> Budget:
        global _current
        install()
        _current = self.budget
        return self.budget

    def __exit__(self, *exc) -> None:
        global _current
        _current = None


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        budget = _current
        if budget is None:
            return zlib.decompress(data, *args)
        inflater = zlib.decompressobj(*args[:1])
        out = inflater.decompress(data, budget.bytes_left() + 1)
        if inflater.unconsumed_tail:
            raise BudgetExceeded("stream_mb")
        if not inflater.eof:  # truncated or damaged: what zlib.decompress would refuse
            raise zlib.error("incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args):
        return _BoundedInflater(zlib.decompressobj(*args))


class _BoundedInflater:
    """A decompressobj whose output, over all calls, stays within the budget
    (pdfminer feeds damaged streams to one byte by byte)."""

    def __init__(self, inflater):
        self.inflater = inflater
        self.produced = 0

    def decompress(self, data: bytes, *args) -> bytes:
        out = self.inflater.decompress(data, *args)
        self.produced += len(out)
        budget = _current
        if budget is not None and self.produced > budget.bytes_left():
            raise BudgetExceeded("stream_mb")
        return out

    def __getattr__(self, name: str):
        return getattr(self.inflater, name)


_installed = False


def _with_deadline(fillbuf):
    def checked(parser):
        if _current is not None and parser.charpos >= len(parser.buf):
            _current.check_deadline()
        return fillbuf(parser)

    return checked


def install() -> None:
    """Put the hooks into pdfminer (once per process)."""
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes, psparser
    from pdfminer.pdfinterp import PDFContentParser

    pdftypes.zlib = _BoundedZlib
    original_decode = pdftypes.PDFStream.decode

    def decode(stream) -> None:
        original_decode(stream)
        if _current is not None and stream.data is not None:
            _current.take_bytes(len(stream.data))

    pdftypes.PDFStream.decode = decode
    # content streams have a reader of their own; both read 4 KB at a time
    for parser_class in (psparser.PSBaseParser, PDFContentParser):
        parser_class.fillbuf = _with_deadline(parser_class.fillbuf)
    from budgetaudit.load import pdffonts

    pdffonts.install()
    _installed = True
