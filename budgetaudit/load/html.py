"""Web-page disclosures (.html/.htm): text and tables as Document lines.

Some governments publish the whole disclosure as one web page. Its running
text becomes lines as a browser would break them (at block elements and
<br>), and each <table> row becomes one tab-separated line in grid order, the
same form the PDF reader gives: a cell spanning columns (colspan) stands in its
first column with blanks after it, a cell spanning rows (rowspan) leaves blanks
below it. Scripts and styles are skipped. The standard library's parser is
enough: it is forgiving with the unclosed tags real pages have.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from budgetaudit.load.text import decode, read_input_bytes
from budgetaudit.model import Document, InputError, Line

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
           "section", "article", "header", "footer", "title", "caption", "ul", "ol", "hr"}
_SKIP = {"script", "style", "noscript", "template", "head"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
MAX_SPAN = 200  # a colspan/rowspan larger than any real table is a broken page


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.text: list[str] = []
        self.skip = 0
        self.tables: list[dict] = []  # open tables (nested ones are read flat)

    # ---- text
    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.text)).strip()
        if text:
            self.lines.append(text)
        self.text = []

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables and self.tables[-1]["cell"] is not None:
            self.tables[-1]["cell"].append(data)
        else:
            self.text.append(data)

    # ---- structure
    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            self._flush()
            self.tables.append({"rows": [], "row": None, "cell": None, "spans": {}, "attrs": {}})
        elif self.tables and tag == "tr":
            self._end_row()
            self.tables[-1]["row"] = []
        elif self.tables and tag in ("td", "th"):
            table = self.tables[-1]
            self._end_cell()
            if table["row"] is None:
                table["row"] = []
            table["cell"] = []
            table["attrs"] = dict(attrs)
        elif tag == "br" and self.tables and self.tables[-1]["cell"] is not None:
            self.tables[-1]["cell"].append(" ")
        elif tag in _BLOCKS and not self.tables:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            self._end_row()
            table = self.tables.pop()
            self.lines.extend(_grid_lines(table["rows"]))
        elif self.tables and tag in ("td", "th"):
            self._end_cell()
        elif self.tables and tag == "tr":
            self._end_row()
        elif tag in _BLOCKS and not self.tables:
            self._flush()

    def _end_cell(self) -> None:
        table = self.tables[-1]
        if table["cell"] is None:
            return
        text = _SPACES.sub(" ", "".join(table["cell"])).strip()
        table["row"].append((text, _span(table["attrs"], "colspan"), _span(table["attrs"], "rowspan")))
        table["cell"] = None

    def _end_row(self) -> None:
        table = self.tables[-1]
        self._end_cell()
        if table["row"]:
            table["rows"].append(table["row"])
        table["row"] = None

    def close(self) -> None:
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._flush()


def _span(attrs: dict, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(attrs.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


def _grid_lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """Rows of (text, colspan, rowspan) cells as tab-separated lines in grid order."""
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    lines = []
    for row in rows:
        cells: list[str] = []
        column = 0
        queue = list(row)
        while queue or any(c >= column for c in pending):
            if pending.get(column, 0) > 0:
                pending[column] -= 1
                cells.append("")
                column += 1
                continue
            if not queue:
                break
            text, colspan, rowspan = queue.pop(0)
            for offset in range(colspan):
                cells.append(text if offset == 0 else "")
                if rowspan > 1:
                    pending[column + offset] = rowspan - 1
            column += colspan
        pending = {c: n for c, n in pending.items() if n > 0}
        if any(cells):
            lines.append("\t".join(cells) if len(cells) > 1 else cells[0] + "\t")
    return lines


def load_html(path: str | Path) -> Document:
    path = Path(path)
    data = read_input_bytes(path)
    text, encoding = decode(data, path)
    page = _Page()
    try:
        page.feed(text)
        page.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints
        raise InputError(f"无法读取网页 {path}：{exc}") from None
    lines = tuple(Line(number=i, text=t) for i, t in enumerate(page.lines, 1))
    return Document(path=str(path), lines=lines, encoding=encoding, source="html")
