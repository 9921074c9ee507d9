"""A faster reading of PDF content streams for pdfminer.six's page interpreter.

pdfminer spends most of a page's time tokenising the content stream one byte
state at a time (PSBaseParser). Content streams written by office suites use a
small, regular part of the syntax, which one regular expression reads many
times faster. ``FastInterpreter`` tokenises each stream that way into the very
objects pdfminer's own parser produces (ints, floats, PSLiteral, PSKeyword,
bytes, lists, dicts) and then runs pdfminer's operator methods unchanged. Any
construct outside that subset (inline images, unbalanced brackets, odd bytes)
makes it hand the whole stream list to pdfminer's own ``execute``, so the result
is never worse than pdfminer's. tests/test_pdf.py checks that both tokenisers
agree on every content stream of the samples.
"""
from __future__ import annotations

import re
import time
from typing import Callable, Optional

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, keyword_name, literal_name

from budgetaudit.load import pdfbudget
from budgetaudit.load.pdfbudget import BudgetExceeded

# Each match takes the white space and comments before a token, then the token;
# every position matches one alternative (`bad` at worst), so that finditer
# walks the stream from token to token without skipping anything.
_TOKEN = re.compile(
    rb"""
    (?:[\s\x00]+ | %[^\r\n]*)*
    (?:
      (?P<int>[+-]?\d+)(?![.\d])
    | (?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*|['"])
    | (?P<real>[+-]?\d+\.\d* | [+-]?\.\d* | [+-])
    | <(?P<hex>[0-9A-Fa-f\s]*)>
    | /(?P<name>[^/%\[\]()<>{}\s]*)
    | (?P<open><<|\[)
    | (?P<close>>>|\])
    | \((?P<plain>[^()\\]*)\)
    | (?P<string>\()
    | (?P<brace>[{}])
    | (?P<end>\Z)
    | (?P<bad>[\s\S])
    )
    """,
    re.VERBOSE,
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{0,2})")
_STRING_STOP = re.compile(rb"[()\\]")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_STRING_ESCAPES = {ord(k): v for k, v in {
    "b": 8, "t": 9, "n": 10, "f": 12, "r": 13, "(": 40, ")": 41, "\\": 92}.items()}
_SPACE = re.compile(rb"\s")
# keyword bytes -> pdfminer's interned PSKeyword (or the two booleans), so that
# a keyword costs a dict lookup; bounded, as hostile streams invent keywords
_KEYWORDS: dict = {b"true": True, b"false": False}
MAX_KEYWORDS = 4096
_INLINE_IMAGE = KWD(b"BI")
CHECK_EVERY = 512  # operators between two looks at the clock
TOKENISER_CHECK = 0x3FFF  # a mask: the tokeniser looks every 16384 operators


class Unsupported(Exception):
    """Syntax the fast tokeniser leaves to pdfminer's own parser."""


class PageTimeout(Exception):
    """The page took longer than its deadline."""


def tokens(data: bytes, max_operators: int = -1, check: Optional[Callable] = None,
           flat: bool = False) -> list:
    """The objects and operators of one content stream, in pdfminer's types.

    Operators come as PSKeyword; arrays and dictionaries arrive complete, as
    pdfminer's PSStackParser builds them. More than `max_operators` operators
    (when not negative) raise BudgetExceeded before memory fills up; `check`
    is called every TOKENISER_CHECK operators (to look at the clock).

    With `flat`, the tokens are those pdfminer's PSBaseParser yields for any
    PostScript text (a CMap, a font's header): brackets and braces come as
    the keywords ``[ ] << >> { }`` for a parser's own stack to pair.
    """
    out: list = []
    stack: list[tuple[str, list]] = []
    append = out.append
    finditer = _TOKEN.finditer
    keywords = _KEYWORDS
    pos = 0
    while True:
        for found in finditer(data, pos):
            kind = found.lastgroup
            if kind == "int":
                value = int(found.group("int"))
            elif kind == "keyword":
                word = found.group("keyword")
                value = keywords.get(word)
                if value is None:
                    value = KWD(word)
                    if len(keywords) < MAX_KEYWORDS:
                        keywords[word] = value
                if value.__class__ is PSKeyword:
                    if value is _INLINE_IMAGE and not flat:
                        raise Unsupported(word)
                    max_operators -= 1
                    if not max_operators & TOKENISER_CHECK:
                        if not max_operators:
                            raise BudgetExceeded("operators")
                        if check is not None:
                            check()
            elif kind == "real":
                try:
                    value = float(found.group("real"))
                except ValueError:
                    continue  # a lone sign or dot: pdfminer drops it too
            elif kind == "hex":
                value = _hex(found.group("hex"))
            elif kind == "name":
                value = _literal(found.group("name"))
            elif flat and (kind == "open" or kind == "close" or kind == "brace"):
                value = KWD(found.group(kind))
            elif kind == "open":
                stack.append((found.group("open"), out))
                out = []
                append = out.append
                continue
            elif kind == "close":
                value = _closed(stack, out, found.group("close"))
                out = stack.pop()[1]
                append = out.append
            elif kind == "plain":
                value = found.group("plain")
            elif kind == "string":  # escapes or nesting: read it, then go on after it
                value, pos = _string(data, found.end())
                append(value)
                break
            elif kind == "end":
                if stack:
                    raise Unsupported(b"unclosed")
                return out
            else:  # procedures are no content-stream syntax; odd bytes are none at all
                raise Unsupported(found.group())
            append(value)
        else:
            raise Unsupported(b"")  # unreachable: the end of the data always matches


def _literal(raw: bytes):
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", raw)
    try:
        return LIT(str(raw, "utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _hex(digits: bytes) -> bytes:
    try:  # pairs of digits, white space at most between pairs: the usual string
        return bytes.fromhex(digits.decode())
    except ValueError:
        pass
    digits = _SPACE.sub(b"", digits)
    if len(digits) % 2:  # pdfminer reads a lone last digit as its own value
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


def _string(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string with nesting and escapes, read as pdfminer reads it."""
    out = bytearray()
    depth = 1
    while True:
        stop = _STRING_STOP.search(data, pos)
        if stop is None:
            raise Unsupported(b"(")
        out += data[pos : stop.start()]
        pos = stop.end()
        char = data[stop.start()]
        if char == 0x5C:  # backslash
            octal = _OCTAL.match(data, pos)
            if octal:
                code = int(octal.group(), 8)
                if code > 255:
                    raise Unsupported(b"\\")
                out.append(code)
                pos = octal.end()
            elif pos < len(data):
                escaped = data[pos]
                if escaped in _STRING_ESCAPES:
                    out.append(_STRING_ESCAPES[escaped])
                elif data[pos : pos + 2] == b"\r\n":
                    pos += 1
                pos += 1  # any other escaped byte is dropped, as pdfminer does
        elif char == 0x28:
            depth += 1
            out.append(char)
        else:
            depth -= 1
            if not depth:
                return bytes(out), pos
            out.append(char)


def _closed(stack: list, items: list, bracket: bytes):
    if not stack:
        raise Unsupported(bracket)
    opener = stack[-1][0]
    if bracket == b"]":
        if opener != b"[":
            raise Unsupported(bracket)
        return items
    if opener != b"<<" or len(items) % 2:
        raise Unsupported(bracket)
    return {literal_name(k): v for k, v in zip(items[::2], items[1::2]) if v is not None}


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter with the fast tokeniser and a page deadline.

    ``deadline`` is a value of ``clock`` after which the page is abandoned
    with PageTimeout; the device checks it too, so that the slow path is
    bounded as well.
    """

    deadline: Optional[float] = None
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def dup(self) -> "FastInterpreter":
        twin = super().dup()
        twin.deadline, twin.clock = self.deadline, self.clock
        return twin

    def execute(self, streams) -> None:
        valid = self._valid_streams(streams)
        budget = pdfbudget.current()
        left = budget.operators - budget.used_operators + 1 if budget else -1
        try:
            program = [t for stream in valid
                       for t in tokens(stream.get_data(), left, self.check_deadline)]
        except Unsupported:
            return super().execute(streams)
        self._run(program)

    def do_Do(self, xobjid_arg) -> None:
        """Draw an XObject, counted (fan-out) and nested at most so deep."""
        budget = pdfbudget.current()
        if budget is None:
            return super().do_Do(xobjid_arg)
        budget.take_xobject()
        budget.depth += 1
        try:
            super().do_Do(xobjid_arg)
        finally:
            budget.depth -= 1

    def _valid_streams(self, streams) -> list[PDFStream]:
        """The streams pdfminer would run: indirect ones not already running."""
        valid = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                continue
            valid.append(stream)
            self.stream_ids.add(stream.objid)
        return valid

    def _run(self, program: list) -> None:
        operators: dict = {}
        stack = self.argstack
        push = stack.append
        count = 0
        for item in program:
            if item.__class__ is not PSKeyword:
                push(item)
                continue
            entry = operators.get(item)
            if entry is None:
                entry = operators[item] = self._operator(item)
            func, nargs = entry
            if func is not None:
                if not nargs:
                    func()
                elif len(stack) >= nargs:  # what pdfminer's pop(nargs) takes
                    args = stack[-nargs:]
                    del stack[-nargs:]
                    func(*args)
                else:  # too few operands: pop takes them all and the call is skipped
                    stack.clear()
                if self.argstack is not stack:  # an operator popped (pop rebinds the list)
                    stack = self.argstack
                    push = stack.append
            count += 1
            if count % CHECK_EVERY == 0:
                self._checkpoint(CHECK_EVERY)
        self._checkpoint(count % CHECK_EVERY)

    def _checkpoint(self, operators: int) -> None:
        budget = pdfbudget.current()
        if budget is not None:
            budget.take_operators(operators)
        if self.deadline is not None:
            self.check_deadline()

    def _operator(self, keyword: PSKeyword):
        name = keyword_name(keyword)
        method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
        func = getattr(self, method, None)
        if func is None:
            return None, 0
        return func, func.__code__.co_argcount - 1

    def check_deadline(self) -> None:
        if self.deadline is not None and self.clock() > self.deadline:
            raise PageTimeout()
