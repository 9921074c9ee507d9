"""What one PDF page draws, recorded lean: glyphs and ruling segments.

pdfminer's layout objects (LTChar, LTLine …) carry more than the loader needs and
cost time to build; this device keeps, per glyph, its text, box and baseline,
and per stroked path its horizontal and vertical segments. At the end of the
page everything is turned so that most text reads left to right: a page
whose /Rotate pdfminer already applied stays as it is, while a table printed
sideways on a portrait page is turned upright.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import atan2, degrees, hypot
from typing import Callable, Optional

from pdfminer.layout import LTChar
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.utils import apply_matrix_pt

from budgetaudit.load.pdfstream import PageTimeout

THIN = 3.0  # a filled shape this thin (pt) is a drawn line
MIN_SEGMENT = 1.5  # shorter strokes are dots, corners and arrowheads
AXIS_SLOPE = 0.02  # |dy/dx| below which a stroke counts as horizontal
CHECK_EVERY = 256  # glyphs between two looks at the clock

# Kangxi radicals and compatibility ideographs that some PDF producers map
# glyphs to ("⼀般" for "一般"); a reader sees the unified ideograph.
_RADICALS = {chr(code): None for code in (*range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00))}


def _unified(char: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", char)


_UNIFY = str.maketrans({char: _unified(char) for char in _RADICALS})


class Glyph:
    """One drawn character: its text, box, baseline (y) and size, all upright."""

    __slots__ = ("text", "x0", "y0", "x1", "y1", "base", "size")

    def __init__(self, text, x0, y0, x1, y1, base, size):
        self.text, self.x0, self.y0, self.x1, self.y1 = text, x0, y0, x1, y1
        self.base, self.size = base, size

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def __repr__(self) -> str:
        return f"Glyph({self.text!r} x={self.x0:.1f}-{self.x1:.1f} base={self.base:.1f})"


@dataclass
class PageContent:
    """A page as drawn, turned upright: glyphs, rulings, count of images."""

    width: float
    height: float
    glyphs: list = field(default_factory=list)
    horizontal: list = field(default_factory=list)  # (y, x0, x1)
    vertical: list = field(default_factory=list)  # (x, y0, y1)
    images: int = 0
    turned: int = 0  # degrees the content was turned to read upright


class PageRecorder(PDFTextDevice):
    """A pdfminer device that records glyphs and segments of the current page."""

    def __init__(self, rsrcmgr, clock: Callable[[], float]) -> None:
        super().__init__(rsrcmgr)
        self.clock = clock
        self.deadline: Optional[float] = None
        self.result: Optional[PageContent] = None
        self._drawn: list = []  # (glyph, direction, origin) of each glyph drawn
        self._segments: list = []  # ((x0, y0), (x1, y1)) in device space
        self._images = 0
        self._size = (0.0, 0.0)
        self._fonts: dict = {}  # font -> {cid: (text, width)}, for the document

    # ------------------------------------------------------------ pdfminer hooks

    def begin_page(self, page, ctm) -> None:
        x0, y0, x1, y1 = page.mediabox
        corners = [apply_matrix_pt(ctm, p) for p in ((x0, y0), (x1, y1))]
        self._size = (abs(corners[1][0] - corners[0][0]), abs(corners[1][1] - corners[0][1]))
        self._drawn, self._segments, self._images = [], [], 0
        self.result = None

    def end_page(self, page) -> None:
        self.result = self._finish()

    def begin_figure(self, name, bbox, matrix) -> None:
        pass

    def end_figure(self, name) -> None:
        pass

    def render_image(self, name, stream) -> None:
        self._images += 1

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace,
                                 wordspace, rise, dxscale, ncs, graphicstate):
        """pdfminer's loop over the glyphs of a string (same positions, same
        arithmetic), with each glyph's text and width looked up once per font
        and recorded here rather than through render_char."""
        x, y = pos
        a, b, c, d, e, f = matrix
        table = self._fonts.get(font)
        if table is None:
            table = self._fonts[font] = {}
        drawn = self._drawn
        descent = font.get_descent() * fontsize
        low, high = descent + rise, descent + rise + fontsize
        upright = b == 0 and c == 0 and a > 0 and d > 0  # the usual case: the box at once
        checked = self.deadline is not None
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    entry = table.get(cid)
                    if entry is None:
                        entry = table[cid] = _glyph_entry(font, cid)
                    adv = entry[1] * fontsize * scaling
                    origin_x, origin_y = x * a + y * c + e, x * b + y * d + f
                    if upright:
                        drawn.append((Glyph(entry[0], origin_x, origin_y + d * low,
                                            origin_x + a * adv, origin_y + d * high, origin_y,
                                            d * fontsize), 0, (origin_x, origin_y)))
                    else:
                        drawn.append(_turned_glyph(entry[0], (a, b, c, d, origin_x, origin_y),
                                                   adv, low, high, fontsize))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
                    if checked and len(drawn) % CHECK_EVERY == 0:
                        self.check_deadline()
        return x, y

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        """One glyph of vertical writing (horizontal strings are recorded by
        render_string_horizontal): pdfminer's LTChar works its box out."""
        text, width = _glyph_entry(font, cid)
        adv = width * fontsize * scaling
        char = LTChar(matrix, font, fontsize, scaling, rise, text, width,
                      font.char_disp(cid), ncs, graphicstate)
        x0, y0, x1, y1 = char.bbox
        self._drawn.append((Glyph(text, x0, y0, x1, y1, y0, char.size), 0, (x0, y0)))
        if self.deadline is not None and len(self._drawn) % CHECK_EVERY == 0:
            self.check_deadline()
        return adv

    def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:
        if not (stroke or fill):
            return
        for points, pieces in _subpaths(path, self.ctm):
            if stroke:
                self._segments.extend(pieces)
            else:  # borders are often drawn as thin filled rectangles
                self._segments.extend(_thin_shape(points))

    # ------------------------------------------------------------ the page

    def check_deadline(self) -> None:
        if self.deadline is not None and self.clock() > self.deadline:
            raise PageTimeout()

    def _finish(self) -> PageContent:
        glyphs = self._drawn
        turn = _dominant_turn(glyphs)
        page = PageContent(*self._size, images=self._images, turned=turn)
        page.glyphs = [_upright(g, turn, self._size) for g in glyphs]
        if turn in (90, 270):
            page.width, page.height = page.height, page.width
        for a, b in self._segments:
            _add_segment(page, _turn_point(a, turn, self._size), _turn_point(b, turn, self._size))
        return page


def _subpaths(path, ctm):
    """(points, straight pieces) of each subpath, in device space; curves
    move the pen but are no rulings."""
    points: list = []
    pieces: list = []
    start = current = None
    for segment in path:
        op = segment[0]
        if op == "m":
            if points:
                yield points, pieces
            start = current = apply_matrix_pt(ctm, segment[1:3])
            points, pieces = [current], []
        elif current is None:
            continue
        elif op == "l":
            point = apply_matrix_pt(ctm, segment[1:3])
            pieces.append((current, point))
            points.append(point)
            current = point
        elif op == "h":
            if current != start:
                pieces.append((current, start))
            current = start
        elif op in ("c", "v", "y"):
            current = apply_matrix_pt(ctm, segment[-2:])
            points.append(current)
    if points:
        yield points, pieces


def _thin_shape(points: list) -> list:
    """A filled shape thin enough to be a line, as that line."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if y1 - y0 <= THIN < x1 - x0:
        middle = (y0 + y1) / 2
        return [((x0, middle), (x1, middle))]
    if x1 - x0 <= THIN < y1 - y0:
        middle = (x0 + x1) / 2
        return [((middle, y0), (middle, y1))]
    return []


def _glyph_entry(font, cid: int) -> tuple[str, float]:
    """The text a glyph stands for (as a reader sees it) and its width."""
    try:
        text = font.to_unichr(cid)
    except PDFUnicodeNotDefined:
        text = f"(cid:{cid})"
    return text.translate(_UNIFY), font.char_width(cid)


def _turned_glyph(text: str, matrix: tuple, adv: float, low: float, high: float,
                  fontsize: float):
    """(glyph, direction in degrees, origin) of a glyph drawn turned or mirrored:
    its box spans the four corners of its advance and height in device space."""
    a, b, c, d, e, f = matrix
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (0, adv) for y in (low, high)]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    direction = round(degrees(atan2(b, a)) / 90) % 4 * 90
    glyph = Glyph(text, min(xs), min(ys), max(xs), max(ys), f, hypot(c, d) * fontsize)
    return glyph, direction, (e, f)


def _dominant_turn(glyphs: list) -> int:
    """The direction most glyphs advance in (0, 90, 180 or 270 degrees)."""
    counts = {0: 0, 90: 0, 180: 0, 270: 0}
    for _, direction, _ in glyphs:
        counts[direction] += 1
    return max(counts, key=lambda d: (counts[d], d == 0))


def _turn_point(point, turn: int, size: tuple):
    """The point on the page turned by -turn degrees, so that text advancing
    in direction `turn` reads left to right; the page keeps its corner at 0, 0."""
    x, y = point
    width, height = size
    if turn == 90:
        return y, width - x
    if turn == 180:
        return width - x, height - y
    if turn == 270:
        return height - y, x
    return x, y


def _upright(record, turn: int, size: tuple) -> Glyph:
    glyph, _, origin = record
    if not turn:
        return glyph
    a = _turn_point((glyph.x0, glyph.y0), turn, size)
    b = _turn_point((glyph.x1, glyph.y1), turn, size)
    glyph.x0, glyph.x1 = min(a[0], b[0]), max(a[0], b[0])
    glyph.y0, glyph.y1 = min(a[1], b[1]), max(a[1], b[1])
    glyph.base = _turn_point(origin, turn, size)[1]
    glyph.size = glyph.y1 - glyph.y0
    return glyph


def _add_segment(page: PageContent, a, b) -> None:
    (x0, y0), (x1, y1) = a, b
    dx, dy = abs(x1 - x0), abs(y1 - y0)
    if max(dx, dy) < MIN_SEGMENT:
        return
    if dy <= AXIS_SLOPE * dx:
        page.horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif dx <= AXIS_SLOPE * dy:
        page.vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
