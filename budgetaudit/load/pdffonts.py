"""Fonts' PostScript parts read with the fast tokeniser, and bounded.

Two parts of a font are small PostScript programs that pdfminer reads with its
byte-by-byte parser: the ToUnicode CMap (which glyph is which character) and,
for an embedded Type 1 font without an /Encoding, the clear-text header of the
font program. On a document set in a dozen such fonts this was a tenth of the
time of reading it.

``install()`` gives pdfminer's two parsers a faster way through the same text:
the fast tokeniser of pdfstream yields the very tokens pdfminer's own lexer
yields (``tokens(flat=True)``), and ``_drive`` feeds them to the parser's
stack machine exactly as pdfminer's ``nextobject`` does, so the parser's own
``do_keyword`` builds the map. Text outside the tokeniser's subset is left to
pdfminer, as before. tests/test_pdf.py checks that both ways give the same
maps on every font of the samples and of a slice of the corpus.

It also bounds what a CMap may cost: a range such as ``<00000000> <FFFFFFFF>``
asks for four billion entries, which pdfminer would build until memory runs
out. Each parser counts the codes its ranges map, and a CMap over the limit
``cmap_codes`` stops the document with the usual one-line limit error.
"""
from __future__ import annotations

from io import BytesIO

from pdfminer import settings
from pdfminer.cmapdb import CMapParser
from pdfminer.encodingdb import name2unicode
from pdfminer.pdffont import Type1FontHeaderParser, log as font_log
from pdfminer.psparser import (
    KEYWORD_ARRAY_BEGIN,
    KEYWORD_ARRAY_END,
    KEYWORD_DICT_BEGIN,
    KEYWORD_DICT_END,
    KEYWORD_PROC_BEGIN,
    KEYWORD_PROC_END,
    PSKeyword,
    PSSyntaxError,
    PSTypeError,
    literal_name,
)
from pdfminer.utils import choplist, nunpack

from budgetaudit.load import pdfbudget
from budgetaudit.load.pdfstream import Unsupported, tokens

_ENDS = {KEYWORD_ARRAY_END: "a", KEYWORD_PROC_END: "p"}
_BEGINS = {KEYWORD_ARRAY_BEGIN: "a", KEYWORD_PROC_BEGIN: "p", KEYWORD_DICT_BEGIN: "d"}
_RANGE_ENDS = (CMapParser.KEYWORD_ENDBFRANGE, CMapParser.KEYWORD_ENDCIDRANGE)
_installed = False
ORIGINAL: dict = {}  # pdfminer's own methods, as install() found them


def install() -> None:
    """Put the fast paths and the CMap bound into pdfminer (once per process)."""
    global _installed
    if _installed:
        return
    original_run = CMapParser.run
    original_keyword = CMapParser.do_keyword
    original_encoding = Type1FontHeaderParser.get_encoding
    ORIGINAL.update(run=original_run, get_encoding=original_encoding)

    def run(parser: CMapParser) -> None:
        if not fast(parser):
            original_run(parser)

    def do_keyword(parser: CMapParser, pos: int, token: PSKeyword) -> None:
        if token in _RANGE_ENDS:
            _count_range_codes(parser, token)
        original_keyword(parser, pos, token)

    def get_encoding(parser: Type1FontHeaderParser) -> dict:
        if not fast(parser):
            return original_encoding(parser)
        # what pdfminer's get_encoding does with each result, in order
        for cid, name in parser.results:
            try:
                parser._cid2unicode[cid] = name2unicode(name)
            except KeyError as error:
                font_log.debug(str(error))
        parser.results = []
        return parser._cid2unicode

    CMapParser.run = run
    CMapParser.do_keyword = do_keyword
    Type1FontHeaderParser.get_encoding = get_encoding
    _installed = True


def fast(parser) -> bool:
    """Run `parser` over its whole text through the fast tokeniser; False
    (nothing done) when its input or syntax is not for the fast path."""
    source = parser.fp
    if (source.__class__ is not BytesIO or source.tell() or parser.curstack
            or parser.context or parser.results):
        return False
    budget = pdfbudget.current()
    try:
        found = tokens(source.getvalue(), -1, budget.check_deadline if budget else None,
                       flat=True)
    except Unsupported:
        return False
    _drive(parser, found)
    source.seek(0, 2)  # read to the end, as pdfminer's parser leaves it
    return True


def _drive(parser, found: list) -> None:
    """pdfminer's PSStackParser.nextobject over a list of tokens, for parsers
    whose flush does nothing (every token is pushed, paired or handed to
    do_keyword; results stay in parser.results)."""
    push = parser.push
    for token in found:
        if token.__class__ is not PSKeyword:
            push((0, token))
        elif token in _BEGINS:
            parser.start_type(0, _BEGINS[token])
        elif token in _ENDS:
            try:
                push(parser.end_type(_ENDS[token]))
            except PSTypeError:
                if settings.STRICT:
                    raise
        elif token is KEYWORD_DICT_END:
            try:
                pos, objects = parser.end_type("d")
                if len(objects) % 2 != 0:
                    raise PSSyntaxError(f"Invalid dictionary construct: {objects!r}")
                push((pos, {literal_name(k): v for k, v in choplist(2, objects)
                            if v is not None}))
            except PSTypeError:
                if settings.STRICT:
                    raise
        else:
            parser.do_keyword(0, token)


def _count_range_codes(parser: CMapParser, token: PSKeyword) -> None:
    """Count the codes that the ranges on the stack will map, as pdfminer's
    do_keyword expands them, against the document's budget."""
    budget = pdfbudget.current()
    if budget is None:
        return
    # a bfrange runs over its whole codes, a cidrange over their last 4 bytes
    tail = 0 if token is CMapParser.KEYWORD_ENDBFRANGE else -4
    objects = [obj for _, obj in parser.curstack]
    count = 0
    for start, end, _ in choplist(3, objects):
        if isinstance(start, bytes) and isinstance(end, bytes) and len(start) == len(end):
            count += max(0, nunpack(end[tail:]) - nunpack(start[tail:]) + 1)
    budget.take_cmap_codes(count)
