"""The typed values every pipeline stage passes on: documents, facts, findings.

All of them are frozen dataclasses; amounts are ``Decimal`` and keep the exponent
they were printed with (``57.8`` and ``57.80`` differ), because the printed
precision is what rounding intervals are derived from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Mapping, Optional

AMOUNT_UNITS = ("万元", "元")


@dataclass(frozen=True)
class Line:
    """One line of the document as loaded: 1-based number, original text.

    From a PDF, a line also says what the layout tells beyond the text:
    low_confidence marks a table row whose columns were guessed from white
    space (no ruling lines); wraps, running text that fills the line and goes
    on in the next one: the same paragraph, whatever it ends with.
    """

    number: int
    text: str
    page: Optional[int] = None
    low_confidence: bool = False
    wraps: bool = False


@dataclass(frozen=True)
class Document:
    """A loaded document: its lines, where it came from and how it was read."""

    path: str
    lines: tuple[Line, ...]
    encoding: str = "utf-8"
    source: str = "text"  # "text" or "pdf"

    def line(self, number: int) -> Line:
        return self.lines[number - 1]


@dataclass(frozen=True)
class Location:
    """Where a fact stands. Every field is optional; fill what is known."""

    line: Optional[int] = None
    page: Optional[int] = None
    table: Optional[str] = None
    row: Optional[str] = None
    column: Optional[str] = None
    section: Optional[str] = None  # the heading of the narrative section, shortened
    # the sentence or table row at ``line``, trimmed; derived, so not part of equality
    quote: Optional[str] = field(default=None, compare=False)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "section": self.section,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Section:
    """A heading of the document and the line range it governs (inclusive)."""

    key: str  # stable path, e.g. "part3", "part3.5", "part3.5.2"
    title: str
    level: int  # 1 = 第N部分, 2 = 一、…, 3 = （一）…, 4 = 1. …
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """One row of a table.

    ``cells`` maps canonical column names to a Decimal or None; None is a blank
    cell (which reads as zero), while a column missing from ``cells`` was not
    part of this row at all (e.g. the other side of a two-sided table).
    """

    label: str
    cells: Mapping[str, Optional[Decimal]]
    line: int
    text: str
    code: Optional[str] = None  # canonical digits: "2010301", "30217"
    kind: str = "item"  # "total", "subtotal", "group", "item"
    side: Optional[str] = None  # "income" / "expense" in two-sided tables
    key: Optional[str] = None  # label qualified by its parent where ambiguous
    parent: Optional[str] = None
    project: Optional[str] = None  # 项目名称 in 表7
    group: Optional[str] = None  # subordinate unit a 表7 row belongs to
    page: Optional[int] = None
    # the code of a second classification printed beside the first (西安's 政府经济科目编码
    # "50101" beside the 部门经济科目编码 "30101" of the same row)
    alt_code: Optional[str] = None

    @property
    def level(self) -> Optional[int]:
        """1 for 类, 2 for 款, 3 for 项 (functional codes), None otherwise."""
        if not self.code:
            return None
        return {3: 1, 5: 2, 7: 3}.get(len(self.code))

    def value(self, column: str) -> Decimal:
        """The cell as an amount, a blank cell reading as zero."""
        cell = self.cells.get(column)
        return Decimal(0) if cell is None else cell


@dataclass(frozen=True)
class Table:
    """A table as read: its kind, title, unit, columns and rows."""

    id: str  # stable canonical id, see extract.specs
    title: str  # as printed
    unit: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    start: int  # first line (title)
    end: int  # last line
    number: Optional[int] = None  # printed "表 N", when there is one
    note: Optional[str] = None  # 备注 / the sentence saying the table is empty
    note_line: Optional[int] = None
    low_confidence: bool = False
    explain: Mapping = field(default_factory=dict)  # how it was read (extract --explain)

    @property
    def is_empty(self) -> bool:
        # a form (绩效目标表) has no amount columns: it is never "empty"
        return bool(self.columns) and all(
            v is None or v == 0 for r in self.rows for v in r.cells.values())


@dataclass(frozen=True)
class Claim:
    """A statement of the narrative that can be checked.

    kind: "amount" (a figure restating a table value), "share" (占 X%),
    "change" (比上年增加/减少 A，增长/下降 B%), "enumeration" (items and their
    共计), "product" (quantity × unit price = total), "count" (N 个/人/辆…),
    "staff" (实有人数 = 在职 + 退休 + 离休), "procurement", "assets",
    "comparison". ``values`` holds the numbers by role ("amount", "share",
    "delta", "rate", "total", …) as printed; ``items`` the listed parts of an
    enumeration as (label, value) pairs; ``ref`` the table fact the claim
    restates, written as a rule reference (表名[行].列), when one is known.
    """

    kind: str
    subject: str
    line: int
    text: str
    section: Optional[str] = None
    values: Mapping[str, Decimal] = field(default_factory=dict)
    unit: str = "万元"
    items: tuple[tuple[str, Decimal], ...] = ()
    ref: Optional[str] = None
    direction: Optional[str] = None  # "增加" or "减少"
    rate_word: Optional[str] = None  # "增长" or "下降"
    reason: Optional[str] = None  # the 主要原因 sentence
    basis: Optional[str] = None  # what the figures cover: "all", "gpb", "fiscal"…
    base: Optional[str] = None  # a share's denominator, as a rule reference
    group: Optional[str] = None  # claims that partition one whole (shares, changes)
    page: Optional[int] = None


@dataclass(frozen=True)
class Unread:
    """A table that is in the document but could not be read (or not reliably)."""

    table_id: str
    title: str
    line: int
    page: Optional[int]
    reason: str


@dataclass(frozen=True)
class Facts:
    """Everything extraction read from one document."""

    path: str
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    listed: tuple[str, ...] = ()  # table ids named in 目录
    missing: tuple[str, ...] = ()  # standard table ids absent from the document
    toc_lines: Mapping[str, int] = field(default_factory=dict)  # table id -> 目录 line
    unread: tuple[Unread, ...] = ()  # tables present but not read
    claims: tuple[Claim, ...] = ()
    lines: tuple[Line, ...] = ()  # the document text, for wording checks
    year: Optional[int] = None
    unit_name: Optional[str] = None
    kind: Optional[str] = None  # "预算" or "决算", from the title, 目录 and table titles

    def table(self, table_id: str) -> Optional[Table]:
        """The first table of that kind, or None."""
        found = self.printed.get(table_id)
        return found[0] if found else None

    @cached_property
    def printed(self) -> Mapping[str, tuple[Table, ...]]:
        """Table id -> the tables of that kind in document order (a form is
        printed once for each project), made once: rules ask for tables by id
        thousands of times a document."""
        kinds: dict[str, list[Table]] = {}
        for table in self.tables:
            kinds.setdefault(table.id, []).append(table)
        return {kind: tuple(tables) for kind, tables in kinds.items()}


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """A problem a rule found, where it is, and the expected and actual amounts."""

    rule: str
    severity: str
    message: str  # Chinese
    locations: tuple[Location, ...]
    expected: Optional[Decimal] = None
    actual: Optional[Decimal] = None
    message_en: Optional[str] = None
    title: Optional[str] = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple:
        lines = [loc.line for loc in self.locations if loc.line is not None]
        return (min(lines) if lines else 10**9, self.rule)


class InputError(Exception):
    """Bad input: the message is one line, shown to the user as is (exit 2)."""


@dataclass(frozen=True)
class RuleMeta:
    """What a report needs to know about a rule (SARIF rule list, explanations)."""

    code: str
    title: str  # Chinese
    severity: str
    description: str = ""
    title_en: str = ""
    example_pass: str = ""
    example_fail: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """What a report says about a document besides its findings."""

    unit_name: Optional[str] = None
    year: Optional[int] = None
    kind: Optional[str] = None  # "预算" or "决算"
    pages: Optional[int] = None  # PDF pages; None for text
    tables: Mapping[str, str] = field(default_factory=dict)  # id -> "表5 一般公共…表"
    problems: tuple[str, ...] = ()  # what could not be read well (missing tables, …)


@dataclass(frozen=True)
class DocumentResult:
    """The outcome of checking one input file: findings, or the input error."""

    path: str
    findings: tuple[Finding, ...] = ()
    error: Optional[str] = None
    seconds: float = 0.0
    info: Optional[DocumentInfo] = None
