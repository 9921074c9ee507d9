"""PDF fixtures rendered from the real sample texts, with documented changes.

The rendered samples in samples/*.pdf come from one producer (LibreOffice)
and share its habits: no merged cells, landscape tables on landscape pages,
a repeated header on every page, amounts in 万元. ``render`` draws a sample's
text with reportlab and its built-in CID font STSong-Light (no font files),
so that the PDF loader meets what other producers do:

- header cells are merged across the columns and rows they head, inferred
  from the text form (a header cell followed by empty cells, or above an
  empty cell, spans them); the loader must write them back the same way;
- ``rotated``: the pages of the named tables are portrait pages with
  /Rotate 90 and their content turned so that they display upright;
- ``sideways``: the same content turned on a portrait page without /Rotate
  (the reader has to turn the paper);
- ``split``: a page break after N body rows of the named table, and no
  header repeated on the next page;
- ``yuan``: the named tables in 元: "单位：元" and every amount × 10000,
  printed with thousands separators;
- ``glued``: in the named tables the 类/款/项 cells and the name cell of each
  body row are one merged cell reading "2010301 行政运行" (or "合计");
- ``unruled``: the named tables drawn without any ruling lines.

Tables are named by their title as printed (e.g. "部门支出总体情况表").
Run as a script to write the variants to a folder for a look:
``python tests/pdfgen.py OUT_DIR``.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
A4 = (595.0, 842.0)
MARGIN = 56.0
TEXT_SIZE, TABLE_SIZE = 10.5, 8.0
LEADING = 1.5
WIDE_TABLE = 8  # tables with more columns get a landscape page
_LABEL = re.compile(r"^表\s*\d+$")
_PART = re.compile(r"^第[一二三四五六七八九十]部分")
_AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")
_DATA_START = re.compile(r"^(?:\d{3}|合\s*计|总\s*计|-?[\d,]+\.\d+)$")


@dataclass
class Variants:
    rotated: set = field(default_factory=set)
    sideways: set = field(default_factory=set)
    split: dict = field(default_factory=dict)  # title -> body rows before the break
    yuan: set = field(default_factory=set)
    glued: set = field(default_factory=set)
    unruled: set = field(default_factory=set)


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, size: float, limit: float) -> list[str]:
    lines, current = [], ""
    for char in text:
        if current and width(current + char, size) > limit:
            lines.append(current)
            current = ""
        current += char
    return lines + [current] if current else lines or [""]


def to_yuan(cell: str) -> str:
    if not _AMOUNT.match(cell.replace(" ", "")):
        return cell
    value = Decimal(cell.replace(" ", "").replace(",", "")) * 10000
    return f"{value:,.2f}"


def header_spans(rows: list[list[str]]) -> dict:
    """(row, column) -> (last row, last column) of each header cell's merge."""
    spans, covered = {}, set()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text or (r, c) in covered:
                continue
            end = c
            while (end + 1 < len(row) and not row[end + 1] and (r, end + 1) not in covered
                   and any(end + 1 < len(later) and later[end + 1] for later in rows[r + 1:])):
                end += 1
            bottom = r
            while bottom + 1 < len(rows) and all(
                    k >= len(rows[bottom + 1]) or (not rows[bottom + 1][k]
                                                   and (bottom + 1, k) not in covered)
                    for k in range(c, end + 1)):
                bottom += 1
            spans[(r, c)] = (bottom, end)
            covered |= {(i, k) for i in range(r, bottom + 1) for k in range(c, end + 1)}
    return spans


class Renderer:
    """Lays out lines and tables page by page; a table block whose title is
    in Variants.rotated / .sideways is drawn turned."""

    def __init__(self, path: Path, variants: Variants):
        _font()
        self.canvas = canvas.Canvas(str(path), pagesize=A4)
        self.variants = variants
        self.page_open = False
        self.landscape = False
        self.turn = ""  # "", "rotated", "sideways"
        self.y = 0.0

    # ------------------------------------------------------------ pages

    @property
    def size(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4

    def new_page(self) -> None:
        if self.page_open:
            self.canvas.restoreState()
            self.canvas.showPage()
        self.canvas.setPageSize(A4 if self.turn or not self.landscape else (A4[1], A4[0]))
        if self.turn == "rotated":
            self.canvas.setPageRotation(90)
        self.canvas.saveState()
        if self.turn:  # draw in a landscape frame turned onto the portrait page
            self.canvas.rotate(90)
            self.canvas.translate(0, -A4[0])
        self.page_open = True
        self.y = self.size[1] - MARGIN

    def room(self, height: float) -> None:
        if not self.page_open or self.y - height < MARGIN:
            self.new_page()

    def finish(self) -> None:
        if self.page_open:
            self.canvas.restoreState()
            self.canvas.showPage()
        self.canvas.save()

    # ------------------------------------------------------------ content

    def text(self, line: str) -> None:
        for piece in wrap(line, TEXT_SIZE, self.size[0] - 2 * MARGIN):
            self.room(TEXT_SIZE * LEADING)
            self.y -= TEXT_SIZE * LEADING
            self.canvas.setFont(FONT, TEXT_SIZE)
            self.canvas.drawString(MARGIN, self.y + 0.25 * TEXT_SIZE, piece)

    def table(self, rows: list[list[str]], title: str) -> None:
        v = self.variants
        columns = max(len(r) for r in rows)
        rows = [r + [""] * (columns - len(r)) for r in rows]
        if title in v.yuan:
            rows = [[to_yuan(c) for c in row] for row in rows]
        head = next((i for i, r in enumerate(rows) if _DATA_START.match(r[0].replace(" ", ""))
                     or any(_AMOUNT.match(c.replace(" ", "")) for c in r)), len(rows))
        xs = self._edges(rows, columns)
        ruled = title not in v.unruled
        codes = next((3 if r[2] == "项" else 2 for r in rows[:head] if r[:2] == ["类", "款"]), 3)
        self._block(rows[:head], header_spans(rows[:head]), xs, ruled)
        for index in range(head, len(rows)):
            if v.split.get(title) == index - head:
                self.new_page()  # the rest of the table, without its header
            row = rows[index]
            cells = {(0, c): (0, c) for c in range(columns)}
            if title in v.glued:  # 类/款/项 and name in one merged cell
                row = [" ".join(c for c in row[: codes + 1] if c)] + [""] * codes + row[codes + 1:]
                cells = {(0, 0): (0, codes), **{(0, c): (0, c) for c in range(codes + 1, columns)}}
            self._block([row], cells, xs, ruled)

    def _edges(self, rows, columns) -> list[float]:
        need = [max(18.0, max(min(width(r[c], TABLE_SIZE), 110) for r in rows) + 6)
                for c in range(columns)]
        scale = (self.size[0] - 2 * MARGIN) / sum(need)
        xs = [MARGIN]
        for n in need:
            xs.append(xs[-1] + n * scale)
        return xs

    def _block(self, rows: list[list[str]], spans: dict, xs: list[float], ruled: bool) -> None:
        """Rows drawn together on one page; `spans` maps each cell that is
        drawn to the last (row, column) it covers."""
        if not rows:
            return
        line = TABLE_SIZE * 1.3
        texts = {cell: wrap(rows[cell[0]][cell[1]], TABLE_SIZE, xs[end[1] + 1] - xs[cell[1]] - 4)
                 for cell, end in spans.items() if rows[cell[0]][cell[1]]}
        heights = [line + 4] * len(rows)
        for cell, end in sorted(spans.items(), key=lambda item: item[1][0] - item[0][0]):
            if cell in texts:
                need = len(texts[cell]) * line + 4
                have = sum(heights[cell[0]: end[0] + 1])
                heights[end[0]] += max(0.0, need - have)
        self.room(sum(heights))
        ys = [self.y]
        for height in heights:
            ys.append(ys[-1] - height)
        draw = self.canvas
        draw.setFont(FONT, TABLE_SIZE)
        draw.setLineWidth(0.5)
        for (r, c), (r2, c2) in spans.items():
            left, right, top, bottom = xs[c], xs[c2 + 1], ys[r], ys[r2 + 1]
            pieces = texts.get((r, c), [])
            first = (top + bottom) / 2 + len(pieces) * line / 2  # centred vertically
            for k, piece in enumerate(pieces):
                draw.drawString(left + 2, first - (k + 1) * line + 0.3 * TABLE_SIZE, piece)
            if ruled:
                draw.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
        self.y = ys[-1]


def render(lines: list[str], path: Path, variants: Variants | None = None) -> Path:
    """Draw the lines of a disclosure as a PDF: text wrapped to the page,
    each run of tab-separated lines as a ruled table."""
    variants = variants or Variants()
    out = Renderer(path, variants)
    title = ""
    index = 0
    while index < len(lines):
        line = lines[index].replace("**", "")
        if "\t" in line:
            end = index
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            out.table([l.split("\t") for l in lines[index:end]], title)
            index = end
            continue
        stripped = line.strip()
        if _LABEL.match(stripped) or _PART.match(stripped):
            title = _title_after(lines, index) if _LABEL.match(stripped) else ""
            _start_block(out, lines, index, title, variants)
        if stripped:
            out.text(stripped)
        index += 1
    out.finish()
    return path


def _title_after(lines: list[str], index: int) -> str:
    return next((l.strip() for l in lines[index + 1:] if l.strip()), "")


def _start_block(out: Renderer, lines, index, title, variants: Variants) -> None:
    """A new page for each table (landscape when wide, turned when asked)."""
    columns = 0
    for line in lines[index + 1:]:
        stripped = line.strip()
        if _LABEL.match(stripped) or _PART.match(stripped):
            break
        columns = max(columns, line.count("\t") + 1)
    out.landscape = columns > WIDE_TABLE or title in variants.rotated | variants.sideways
    out.turn = ("rotated" if title in variants.rotated else
                "sideways" if title in variants.sideways else "")
    out.new_page()


def sample_text(name: str, variants: Variants) -> list[str]:
    """The sample's lines, with the unit line of each 元 table changed."""
    from edits import sample_lines

    lines = sample_lines(name)
    title = ""
    out = []
    for index, line in enumerate(lines):
        if _LABEL.match(line.strip()):
            title = _title_after(lines, index)
        elif _PART.match(line.strip()):
            title = ""
        out.append(line.replace("单位：万元", "单位：元") if title in variants.yuan else line)
    return out


def render_sample(name: str, path: Path, variants: Variants | None = None) -> Path:
    variants = variants or Variants()
    return render(sample_text(name, variants), path, variants)


# The variants tests/test_pdf.py renders, by fixture name.
EXAMPLES = {
    "rotated": Variants(rotated={"部门收入总体情况表", "一般公共预算基本支出情况表"}),
    "sideways": Variants(sideways={"部门收入总体情况表"}),
    "yuan": Variants(yuan={"部门支出总体情况表"}),
    "glued": Variants(glued={"部门支出总体情况表", "部门收入总体情况表", "一般公共预算基本支出情况表"}),
    "unruled": Variants(unruled={"部门支出总体情况表"}),
}

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from edits import KASHI

    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for label, example in {"plain": Variants(), **EXAMPLES}.items():
        print("wrote", render_sample(KASHI, target / f"{KASHI}-{label}.pdf", example))
