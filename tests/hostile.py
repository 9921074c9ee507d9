"""Hostile PDFs written byte by byte, small on disk, each aimed at one limit.

Every file is a valid PDF skeleton (catalog, page tree, pages, cross-reference
table) built here from raw objects, so that a test can put exactly the
damage it needs into it: a page whose /Contents points at the page itself,
form XObjects that draw each other ten times over, a Flate stream that
inflates a thousand-fold, a ruled grid of thousands of lines.
"""
from __future__ import annotations

import zlib
from pathlib import Path

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build(objects: dict[int, bytes]) -> bytes:
    """A PDF file of the numbered objects; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets.get(number, 0)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def one_page(content: bytes, resources: bytes = b"<< /Font << /F1 5 0 R >> >>",
             extra: dict[int, bytes] | None = None, size: tuple[int, int] = (595, 842)) -> bytes:
    """Catalog 1, pages 2, page 3, content 4, font 5, then `extra` objects."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R" % size
           + b" /Resources " + resources + b" >>",
        4: content,
        5: FONT,
    }
    objects.update(extra or {})
    return build(objects)


TEXT = b"BT /F1 12 Tf 72 760 Td (Budget 2024) Tj ET\n"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def plain(path: Path) -> Path:
    """A harmless one-page PDF with a line of text."""
    return write(path, one_page(stream(TEXT)))


def contents_is_its_page(path: Path) -> Path:
    """/Contents points back at the page object itself."""
    data = one_page(stream(TEXT)).replace(b"/Contents 4 0 R", b"/Contents 3 0 R")
    return write(path, data)


def resources_is_its_page(path: Path) -> Path:
    """/Resources is the page object itself (which names its resources again)."""
    return write(path, one_page(stream(TEXT), resources=b"3 0 R"))


def flate_bomb(path: Path, megabytes: int) -> Path:
    """A content stream of `megabytes` MB of spaces, compressed about 1000:1."""
    return write(path, one_page(stream(TEXT + b" " * (megabytes << 20), compress=True)))


def unbalanced_string(path: Path, megabytes: int) -> Path:
    """A string that never closes: pdfminer's own parser reads it buffer by buffer."""
    return write(path, one_page(stream(TEXT + b"(" + b"a" * (megabytes << 20))))


def ruled_grid(path: Path, lines: int) -> Path:
    """`lines` horizontal and `lines` vertical rulings 4 pt apart, crossing:
    a table of (lines - 1) squared cells on one large page."""
    side = 40 + 4 * lines
    drawing = bytearray(b"0.1 w\n")
    for i in range(lines):
        at = 20 + 4 * i
        drawing += b"%d 20 m %d %d l S\n20 %d m %d %d l S\n" % (at, at, side - 20, at, side - 20, at)
    return write(path, one_page(stream(TEXT + bytes(drawing), compress=True), size=(side, side)))


def many_operators(path: Path, count: int) -> Path:
    """`count` drawing operators (a dot each), compressed."""
    return write(path, one_page(stream(TEXT + b"1 1 m\n" * count, compress=True)))


def xobject_fan_out(path: Path, fan_out: int, depth: int) -> Path:
    """Form XObjects each drawing the next level `fan_out` times, `depth` deep:
    fan_out ** depth drawings from a file of a few hundred bytes."""
    first = 10
    extra = {}
    for level in range(depth):
        number = first + level
        calls = b"/X Do\n" * fan_out if level + 1 < depth else TEXT
        resources = b"<< /XObject << /X %d 0 R >> /Font << /F1 5 0 R >> >>" % (number + 1)
        extra[number] = stream(calls, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]"
                                      b" /Resources " + resources)
    page = b"<< /XObject << /X %d 0 R >> /Font << /F1 5 0 R >> >>" % first
    return write(path, one_page(stream(TEXT + b"/X Do\n"), resources=page, extra=extra))


def cmap_range(path: Path, first: bytes, last: bytes, extra_ranges: int = 0) -> Path:
    """A font whose ToUnicode CMap maps the code range <first> <last> (hex
    digits), plus `extra_ranges` single-code ranges: <00000000> <FFFFFFFF>
    asks pdfminer for four billion map entries."""
    ranges = b"<%s> <%s> <0041>\n" % (first, last)
    ranges += b"".join(b"<%04X> <%04X> <0042>\n" % (code, code) for code in range(extra_ranges))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"%d beginbfrange\n%sendbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
            % (1 + extra_ranges, ranges))
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    return write(path, one_page(stream(TEXT), extra={5: font, 6: stream(cmap)}))


def deep_xobjects(path: Path, depth: int) -> Path:
    """A chain of distinct form XObjects, each drawing the next once."""
    return xobject_fan_out(path, 1, depth)


# A rule file of one equation rule, for rule-file inputs ({equation} filled in).
RULE = """\
version: 1
rules:
  - code: X901
    title: 测试
    severity: error
    description: 测试用规则。
    examples: {{pass: 甲, fail: 乙}}
    equation: {equation}
"""
