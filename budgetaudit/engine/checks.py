"""Built-in checks: relations applied to every row, code or column of a kind.

Each check is a function from (FactIndex, params) to Outcomes, registered
with the parameters it accepts, so rule files can be validated before any
document is read. The traps of DOMAIN.md live here: totals may stand at the
top, 表7 rows are grouped under subordinate units that are subtotals, a
class row may be missing while its items are printed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterator, Optional

from budgetaudit.engine.outcome import Outcome, judge
from budgetaudit.engine.resolve import (
    SIDES, FactIndex, Selector, TableAbsent, cell_term, derived_or_zero,
)
from budgetaudit.extract.coded import under_printed_row
from budgetaudit.extract.specs import TableSpec, spec_of
from budgetaudit.model import Row, Table

CheckFn = Callable[[FactIndex, dict], Iterator[Outcome]]


@dataclass(frozen=True)
class Check:
    """A built-in check: its function, the parameters it takes and what it checks."""

    name: str
    run: CheckFn
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    doc: str = ""


REGISTRY: dict[str, Check] = {}


def builtin(name: str, required=(), optional=(), doc: str = ""):
    def register(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = Check(name, fn, tuple(required), tuple(optional), doc)
        return fn
    return register


def _tables(index: FactIndex, names: list[str], others: bool = False
            ) -> Iterator[tuple[Table, TableSpec]]:
    """The named tables the document has; with others, every other table with
    amount columns too (kinds the rule does not name, and unknown tables):
    their structure alone gives the relation."""
    named = set()
    for name in names:
        try:
            _, spec = index.table(name)
        except TableAbsent:
            continue
        if spec.id in named:
            continue
        named.add(spec.id)
        for table in index.facts.tables:  # every table of that kind (two 基本支出表 are two)
            if table.id == spec.id:
                yield table, spec
    if others:
        for table in index.facts.tables:
            spec = spec_of(table)
            if spec.id not in named and table.columns and spec.layout in STRUCTURED \
                    and any(r.code for r in table.rows) and not table.explain.get("side_by_side"):
                yield table, spec  # without codes, a list's nesting is not printed


# Layouts whose rows add up by structure (forms and item lists do not).
STRUCTURED = ("coded", "projects", "generic", "two_sided")


def _sides(table: Table, spec: TableSpec):
    """(side, rows, columns) for each list a table holds."""
    if spec.layout != "two_sided":
        yield None, list(table.rows), list(table.columns)
        return
    for side in ("income", "expense"):
        rows = [r for r in table.rows if r.side == side]
        yield side, rows, list(dict.fromkeys(name for r in rows for name in r.cells))


def _scopes(rows: list[Row]) -> list[tuple[Optional[Row], list[Row]]]:
    """(head, members): the total over the whole table, or each 表7 unit group."""
    groups = [r for r in rows if r.kind == "group"]
    if not groups:
        return [(next((r for r in rows if r.kind == "total"), None), rows)]
    return [(g, [r for r in rows if r.group == g.label and r.kind != "group"]) for g in groups]


def _top_level(rows: list[Row]) -> list[Row]:
    """Coded rows none of whose ancestors is printed: 类 rows, or 款 rows of an
    unprinted 类 (a table may leave out the 301 subtotal); 3010201 under a printed
    301 is inside it even where 30102 is not printed."""
    codes = {r.code for r in rows if r.code}
    return [r for r in rows if r.code and r.kind != "total" and not under_printed_row(r.code, codes)]


def _sum(table, spec, head: Row, parts: list[Row], columns, words) -> Iterator[Outcome]:
    for column in columns:
        yield judge([cell_term(table, spec, head, column)],
                    [cell_term(table, spec, r, column) for r in parts], "=", words)


@builtin("totals", required=("tables",), optional=("others",),
         doc="合计（总计）行等于各类（或各单位、各项目）之和；others: true 时也用于其他各表")
def check_totals(index: FactIndex, params: dict) -> Iterator[Outcome]:
    for table, spec in _tables(index, params["tables"], params.get("others", False)):
        for side, rows, columns in _sides(table, spec):
            total = next((r for r in rows if r.kind == "total"), None)
            if total is None:
                continue
            if side == "income":
                parts = [r for r in rows if r.parent is None and r.kind != "total"]
                words = "收入总计应等于各收入项之和"
            elif side == "expense" and not any(r.code for r in rows):
                parts = [r for r in rows if r.parent is None and r.kind not in ("total", "detail")]
                words = "支出总计应等于各支出项之和"
            elif spec.id == "carryover":
                parts = [r for r in rows if r.kind == "item"]
                words = "总计应等于各项目之和"
            elif any(r.kind == "group" for r in rows):
                parts = [r for r in rows if r.kind == "group"]
                words = "总计应等于各单位之和"
            elif any(r.code for r in rows):
                parts = _top_level(rows)
                words = "合计应等于各类之和"
            else:
                parts = [r for r in rows if r.kind == "item"]
                words = "合计应等于各行之和"
            if not parts:
                continue  # a table printing only its whole (北京's 收入总表): nothing to add up
            if side == "income" or side == "expense" and not any(r.code for r in rows):
                children = _children(rows)  # a heading printed blank: its rows stand for it
                for column in columns:
                    yield from _sum(table, spec, total, _printed_parts(parts, children, column),
                                    [column], words)
                continue
            yield from _sum(table, spec, total, parts, columns, words)


@builtin("hierarchy", required=("tables",), optional=("others",),
         doc="类等于其款之和、款等于其项之和；单位小计、收入分项小计等于其明细之和；others: true 时也用于其他各表")
def check_hierarchy(index: FactIndex, params: dict) -> Iterator[Outcome]:
    for table, spec in _tables(index, params["tables"], params.get("others", False)):
        for side, rows, columns in _sides(table, spec):
            if side == "income" or side == "expense" and not any(r.code for r in rows):
                yield from _income_parents(table, spec, rows, columns)
                continue
            if spec.id == "carryover":
                yield from _carryover_subtotals(table, spec, rows, columns)
                continue
            for head, members in _scopes(rows):
                if head is not None and head.kind == "group":
                    coded_members = any(r.code for r in members)
                    parts = _top_level(members) if coded_members else \
                        [r for r in members if r.kind == "item"]
                    yield from _sum(table, spec, head, parts, columns,
                                    "单位小计应等于其各类之和" if coded_members else "部门小计应等于其各单位之和")
                yield from _code_parents(table, spec, members, columns)


def _code_parents(table, spec, rows: list[Row], columns) -> Iterator[Outcome]:
    """Each 类 and 款 equals the rows right under it: its children, or, where a
    child is not printed, that child's own rows (301 = 30101 + … + 3010201 + 3010202
    when 30102 is left out)."""
    codes = {r.code for r in rows if r.code}
    below: dict[str, list[Row]] = {}
    for row in rows:
        if row.code and len(row.code) > 3:
            parent = next((row.code[:n] for n in range(len(row.code) - 2, 2, -2)
                           if row.code[:n] in codes), None)
            if parent is not None:
                below.setdefault(parent, []).append(row)
    for parent in rows:
        if not parent.code or len(parent.code) >= 7:
            continue
        children = below.get(parent.code)
        if children:
            level = "类" if len(parent.code) == 3 else "款"
            words = f"{level}应等于其{'款' if level == '类' else '项'}之和"
            yield from _sum(table, spec, parent, children, columns, words)


def _children(rows: list[Row]) -> dict[int, list[Row]]:
    """Each row named as a parent -> its children: the nearest row of that name above the
    child, or (for a 合计 printed under its blocks) below it. Details whose level is
    unknown are not among them."""
    children: dict[int, list[Row]] = {}
    for index, row in enumerate(rows):
        if not row.parent or row.kind == "detail":
            continue
        above = [r for r in rows[:index] if r.label == row.parent]
        below = [r for r in rows[index + 1:] if r.label == row.parent]
        parent = above[-1] if above else (below[0] if below else None)
        if parent is not None:
            children.setdefault(id(parent), []).append(row)
    return children


def _income_parents(table, spec, rows: list[Row], columns) -> Iterator[Outcome]:
    """Each row named as a parent equals the sum of its children."""
    children = _children(rows)
    for row in rows:
        if id(row) not in children:
            continue
        for column in columns:
            if _heading(row, children, column):
                continue
            parts = _printed_parts(children[id(row)], children, column)
            yield from _sum(table, spec, row, parts, [column], f"{row.label}应等于其明细之和")


def _heading(row: Row, children: dict, column: str) -> bool:
    """A block printed without a figure over rows that print theirs ("一、部门预算" over its
    classes, 西安 2020): a heading, which states no sum; its rows stand for it in the sums
    it is part of. A block blank with all its rows is nothing, and is summed as such."""
    from budgetaudit.extract.sided import numbered

    below = children.get(id(row), ())
    # its rows numbered under it (江苏 2017's unnumbered 当年收入 under a blank "三、其他资金" is
    # the sum of the blocks above, placed there for want of a number)
    return row.cells.get(column) is None and _prints(below, children, column) \
        and all(numbered(c) for c in below)


def _prints(rows, children: dict, column: str) -> bool:
    """Whether any of the rows, or of the rows under them, prints a figure in the column."""
    return any(r.cells.get(column) is not None or _prints(children.get(id(r), ()), children, column)
               for r in rows)


def _printed_parts(parts: list[Row], children: dict, column: str) -> list[Row]:
    out = []
    for part in parts:
        if _heading(part, children, column):
            out.extend(_printed_parts(children[id(part)], children, column))
        else:
            out.append(part)
    return out


def _carryover_subtotals(table, spec, rows: list[Row], columns) -> Iterator[Outcome]:
    pending: list[Row] = []
    for row in rows:
        if row.kind == "item":
            pending.append(row)
        elif row.kind == "subtotal":
            yield from _sum(table, spec, row, pending, columns, "小计应等于其上各项目之和")
            pending = []


@builtin("row_identity", required=("tables", "total", "parts"),
         doc="每一行：合计列等于各分列之和，例如 合计 = 基本支出 + 项目支出")
def check_row_identity(index: FactIndex, params: dict) -> Iterator[Outcome]:
    for table, spec in _tables(index, params["tables"]):
        side = SIDES.get(params.get("side"))
        total = index.column(spec, side, params["total"])
        parts = [index.column(spec, side, p) for p in params["parts"]]
        absent = [p for p in parts if p not in table.columns]
        if any(not _optional(spec, side, p) for p in absent):
            continue  # the table does not print every part: the identity cannot be read
        parts = [p for p in parts if p not in absent]
        words = f"{total}应等于{'、'.join(parts)}之和"
        for row in table.rows:
            if side and row.side != side or row.kind == "group" and not row.cells:
                continue
            if total not in row.cells:
                continue
            yield judge([cell_term(table, spec, row, total)],
                        [cell_term(table, spec, row, p) for p in parts], "=", words)


def _optional(spec, side, name: str) -> bool:
    columns = spec.expense_columns if side == "expense" else spec.columns
    return any(c.name == name and c.optional for c in columns)


@builtin("per_code", required=("left", "right"), optional=("levels", "op", "by_name"),
         doc="两张表中同一功能分类科目的金额相等（或满足给定关系）；by_name: true 时，"
             "不印编码的一方按类名（一般公共服务支出）对上另一方的编码")
def check_per_code(index: FactIndex, params: dict) -> Iterator[Outcome]:
    try:
        left = _code_side(index, params["left"])
        right = _code_side(index, params["right"])
    except TableAbsent:
        return
    if params.get("by_name"):
        left.name_classes(right)
        right.name_classes(left)
    if not left.rows() or not right.rows() or not left.columns or not right.columns:
        return  # a table that lists no codes (or lacks the column) cannot be compared by code
    levels = [{"类": 3, "款": 5, "项": 7}[level] for level in params.get("levels", ["类"])]
    op = params.get("op", "=")
    codes = sorted({code for side in (left, right) for code in side.codes(levels)})
    words = f"{left.describe()}与{right.describe()}按科目应{'相等' if op == '=' else '满足 ' + op}"
    for code in codes:
        yield judge(left.terms(code), right.terms(code), op, words)


@dataclass
class _CodeSide:
    """One side of a per-code comparison: a table's coded rows in the columns compared."""

    table: Table
    spec: TableSpec
    side: Optional[str]
    columns: list
    names: dict = field(default_factory=dict)  # class name -> code, for rows printed without
    by_code: Optional[dict] = None  # code -> its rows in table order, made on first use

    def name_classes(self, other: "_CodeSide") -> None:
        if not any(r.code for r in self.table.rows):
            self.names = {r.label: r.code for r in other.rows() if len(r.code) == 3}
            self.by_code = None

    def code_of(self, row: Row) -> Optional[str]:
        return row.code or self.names.get(row.label)

    def rows(self) -> list[Row]:
        return [r for r in self.table.rows
                if self.code_of(r) and (self.side is None or r.side == self.side)]

    def codes(self, levels) -> set:
        return {self.code_of(r) for r in self.rows() if len(self.code_of(r)) in levels}

    def terms(self, code: str):
        if self.by_code is None:
            self.by_code = {}
            for row in self.rows():
                self.by_code.setdefault(self.code_of(row), []).append(row)
        rows = self.by_code.get(code)
        if not rows:
            return [derived_or_zero(self.table, self.spec, Selector(self.side, code), c)
                    for c in self.columns]
        return [cell_term(self.table, self.spec, r, c) for r in rows for c in self.columns]

    def describe(self) -> str:
        return f"{self.spec.name}（{'+'.join(self.columns)}）"


def _code_side(index: FactIndex, params: dict) -> _CodeSide:
    table, spec = index.table(params["table"])
    side = SIDES.get(params.get("side"))
    columns = params.get("columns") or [None]
    names = [index.column(spec, side, c) for c in columns]
    names = [n for n in names if n in table.columns]
    return _CodeSide(table, spec, side, names)


SEVERITY_ORDER = ("info", "warning", "error")


def lowered_severity(severity: str, lowered: Optional[str]) -> str:
    """The rule's severity, or the lower one a finding asks for (a case that matters less)."""
    if lowered in SEVERITY_ORDER and SEVERITY_ORDER.index(lowered) < SEVERITY_ORDER.index(severity):
        return lowered
    return severity


@dataclass(frozen=True)
class Problem:
    """A finding that is not an arithmetic relation (a missing table, …)."""

    message: str
    message_en: str
    locations: tuple
    expected: Optional[Decimal] = None
    actual: Optional[Decimal] = None
    lowered: Optional[str] = None  # a severity below the rule's, for a case that matters less

    def finding(self, rule: str, severity: str, title: str):
        from budgetaudit.model import Finding

        severity = lowered_severity(severity, self.lowered)
        return Finding(rule=rule, severity=severity, message=self.message,
                       message_en=self.message_en, locations=self.locations, title=title,
                       expected=self.expected, actual=self.actual)


@builtin("tables_listed", doc="目录列出的预算表都应出现在文件中")
def check_tables_listed(index: FactIndex, params: dict) -> Iterator[Problem]:
    from budgetaudit.extract.specs import SPEC_BY_ID
    from budgetaudit.model import Location

    for table_id in index.facts.missing:
        spec = SPEC_BY_ID.get(table_id)
        if spec is None:
            continue
        line = index.facts.toc_lines.get(table_id)
        if line is not None:
            message = f"目录列有“{spec.title}”，但文件中没有这张表"
            english = f"the contents list {spec.title}, but the document has no such table"
        else:
            message = f"文件中没有必备的“{spec.title}”"
            english = f"the required table {spec.title} is missing"
        yield Problem(message, english, (Location(line=line, table=table_id),))


@builtin("tables_unread", doc="文件中有、但未能读取（或未能可靠读取）的表，逐张说明一次")
def check_tables_unread(index: FactIndex, params: dict) -> Iterator[Problem]:
    from budgetaudit.model import Location

    for unread in index.facts.unread:
        where = f"第 {unread.page} 页" if unread.page else f"第 {unread.line} 行"
        yield Problem(f"“{unread.title}”（{where}）未能可靠读取：{unread.reason}；"
                      "本表的核对结果从略",
                      f"{unread.title} ({where}) could not be read reliably: {unread.reason}",
                      (Location(line=unread.line, page=unread.page, table=unread.table_id),))


# Checks defined in other modules register themselves on import.
from budgetaudit.engine import (  # noqa: E402,F401
    as_of, claim_arith, claim_changes, claim_checks, claim_completion, claim_counts,
    claim_statements, wording,
)
