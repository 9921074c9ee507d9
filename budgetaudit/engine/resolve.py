"""Naming facts: from a rule's `表名[行].列` to the table cells of a document.

Table names are the words a reader uses: the short name (支出总表), the
standard number (表3), the title (部门支出总体情况表 or without its prefix) or
the canonical id. Rows are selected by code ("201", "2010301", "201 03 01"),
by label ("合计", "公务接待费", "本年收入", "财政拨款结转:一般公共预算拨款"),
with a side prefix in two-sided tables ("收入:本年收入", "支出:201"), or, inside
sum(), by level ("类", "款", "项").

A row the document does not print reads as zero (a blank line of the table),
except a class row whose items are printed: it reads as their sum, so a table
that omits its 301 subtotal still answers for 301.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Optional

from budgetaudit.engine.expr import Ref, ResolveError, Term
from budgetaudit.engine.interval import Interval
from budgetaudit.extract.numbers import compact
from budgetaudit.extract.specs import TableSpec, all_specs, row_spellings
from budgetaudit.extract.specs import memo as specs_memo
from budgetaudit.model import Claim, Facts, Location, Row, Table

TABLE_CELL_QUANTUM = Decimal("0.01")  # tables print 万元 to two decimals
SIDES = {"收入": "income", "支出": "expense"}
LEVELS = {"类": 3, "款": 5, "项": 7}
TOTAL_WORDS = ("合计", "总计", "收入总计", "支出总计", "收入合计", "支出合计")
_CODE = re.compile(r"^\d{3}(?:\s*\d{1,2}){0,2}$")
BLOCK = "›"  # 单位›行: the row named 行 in the block of rows under the unit's row
# 说明[词@行]: the amount the narrative states for 词 on that line (claim_build pairs
# "说明[词]" in a subject's reference with the figure its section states for 词)
NARRATIVE = "说明"
_SAID = re.compile(re.escape(NARRATIVE) + r"\[([^\]@]+)\]")  # 说明[词], not yet paired
_SAID_AT = re.compile(re.escape(NARRATIVE) + r"\[([^\]@]*)@\d+\]")  # 说明[词@行]
PATTERN = "项目~"  # 项目~REGEX selects the projects whose name the expression finds
_PATTERN_START = re.compile(r"项\s*目\s*~")


class TableAbsent(Exception):
    """The rule names a table this document does not have: not applicable."""


def _table_names(spec: TableSpec) -> set[str]:
    names = {spec.id, spec.name, spec.title, *spec.aliases}
    if spec.number:
        names.add(f"表{spec.number}")
    names |= {"部门" + spec.title, "单位" + spec.title}
    return {compact(n) for n in names}


def spec_named(name: str) -> Optional[TableSpec]:
    cache = specs_memo()
    if "by_name" not in cache:  # first use since the vocabulary was read
        cache["by_name"] = {n: spec for spec in reversed(all_specs())
                            for n in _table_names(spec)}
    return cache["by_name"].get(compact(name))


def known_columns(spec: TableSpec) -> set[str]:
    return {c.name for c in spec.columns + spec.expense_columns}


def cell_interval(value: Optional[Decimal]) -> Interval:
    """A table cell as the interval of values that round to it.

    Cells printed with fewer decimals ("5", "57.8") are the same two-decimal
    amounts with trailing zeros dropped, so they carry the table's ±0.005.
    """
    if value is None:
        return Interval.exact(Decimal(0))
    exponent = min(value.as_tuple().exponent, TABLE_CELL_QUANTUM.as_tuple().exponent)
    half = Decimal(5).scaleb(exponent - 1)
    return Interval(value - half, value + half)


def table_label(table: Table, spec: TableSpec) -> str:
    return f"表{table.number}" if table.number else spec.name


def row_label(row: Row) -> str:
    if row.project and row.code:
        return f"{row.code} 项目“{row.project}”"
    if row.code and row.label:
        return f"{row.code} {row.label}"
    if row.kind == "subtotal" and not row.label:
        return f"第 {row.line} 行小计"
    return row.label or row.code or ""


YUAN_TO_WAN = Decimal("0.0001")
UNIT_TO_WAN = {"元": YUAN_TO_WAN, "千元": Decimal("0.1")}  # tables printed in other units


def in_wan(table: Table, value: Optional[Decimal]) -> tuple[Optional[Decimal], Interval]:
    """A cell as 万元, the unit every relation is stated in, with its interval.

    Cells of a table in 元 or 千元 are scaled, at the precision they are printed
    in (whole 元 are rounded to the 元).
    """
    scale = UNIT_TO_WAN.get(table.unit)
    if scale is None:
        return value, cell_interval(value)
    if value is None:
        return None, Interval.exact(Decimal(0))
    if table.unit == "千元":
        return (value * scale).normalize(), Interval.printed(value) * scale
    return yuan_as_wan(value), Interval.printed(value) * YUAN_TO_WAN


def yuan_as_wan(value: Decimal) -> Decimal:
    """99800 元 -> 9.98 万元, shown as 万元 amounts are (50.00, not 5E+1)."""
    wan = value.scaleb(-4).normalize()
    return wan.quantize(TABLE_CELL_QUANTUM) if wan.as_tuple().exponent > -2 else wan


def where(claim: Claim) -> str:
    """"第 12 页" for a PDF, "第 480 行" for text: what the reader can find."""
    return f"第 {claim.page} 页" if claim.page else f"第 {claim.line} 行"


def place(claim: Claim) -> Location:
    return Location(line=claim.line, page=claim.page, table=None, row=claim.subject)


def amount_interval(value: Decimal, unit: str = "万元") -> Interval:
    """A narrative amount as 万元: 万元 figures carry two decimals even when the
    text drops trailing zeros ("57.8" is 57.80, "10" is 10.00); a figure in 元
    is scaled, at its printed precision."""
    if unit == "万元":
        return cell_interval(value)
    return Interval.printed(value) * YUAN_TO_WAN


def narrative_term(claim: Claim, role: str, label: Optional[str] = None,
                   exact: bool = False) -> Term:
    """A number of the narrative as a term: an amount, or an exact count."""
    value = claim.values[role]
    unit = claim.unit if role == "amount" else "万元"  # totals and deltas are read as 万元
    interval = Interval.exact(value) if exact else amount_interval(value, unit)
    if unit == "元" and not exact:
        value = yuan_as_wan(value)
    return Term(value, interval, f"{where(claim)} {label or claim.subject}", place(claim))


def said_words(ref: Optional[str]) -> list[str]:
    """The words of a reference's 说明[词] terms not yet paired with a line."""
    return list(dict.fromkeys(_SAID.findall(ref or "")))


def said_at(ref: str, word: str, line: int) -> str:
    """The reference with its 说明[词] paired with the figure stated on that line."""
    return ref.replace(f"{NARRATIVE}[{word}]", f"{NARRATIVE}[{word}@{line}]")


def unpaired(ref: str) -> str:
    """The reference with each 说明[词@行] written 说明[词]: the same figure restated in
    another sentence takes its partner from that sentence."""
    return _SAID_AT.sub(lambda m: f"{NARRATIVE}[{m.group(1)}]", ref)


_TERMS: dict = {}  # (id(table), id(spec), id(row), column) -> (table, spec, row, Term)
_MAX_TERMS = 20_000


def cell_term(table: Table, spec: TableSpec, row: Row, column: str) -> Term:
    """The cell as a term of a relation; the same cell is used by many rules,
    so each is built once (keyed by identity, the objects kept alongside so
    that an id cannot be reused while its entry exists)."""
    key = (id(table), id(spec), id(row), column)
    hit = _TERMS.get(key)
    if hit is not None and hit[0] is table and hit[1] is spec and hit[2] is row:
        return hit[3]
    if len(_TERMS) >= _MAX_TERMS:
        _TERMS.clear()
    term = _build_cell_term(table, spec, row, column)
    _TERMS[key] = (table, spec, row, term)
    return term


def forget_terms() -> None:
    """Drop the terms of the document just checked (and the tables they hold)."""
    _TERMS.clear()


def _build_cell_term(table: Table, spec: TableSpec, row: Row, column: str) -> Term:
    value, interval = in_wan(table, row.cells.get(column))
    place = f"（{row.group}）" if row.group and row.kind != "group" else ""
    row_name = row_label(row) + place
    label = f"{table_label(table, spec)} {row_name}" + ("" if row_name == column else f" {column}")
    location = Location(line=row.line, page=row.page, table=table.id,
                        row=row_label(row) + place, column=column)
    return Term(value, interval, label, location)


@dataclass(frozen=True)
class Selector:
    """The row part of a reference: a row name, code or pattern, on one side of a two-sided table."""

    side: Optional[str]
    text: str
    optional: bool = False  # "年终结转结余?": a row some layouts print; absent, it is zero

    @classmethod
    def parse(cls, raw: str) -> "Selector":
        text = compact(raw).replace("：", ":")
        head, sep, rest = text.partition(":")
        side = SIDES[head] if sep and head in SIDES else None
        body = rest if side else text
        if body.startswith(PATTERN):  # a pattern is used exactly as written
            body = PATTERN + _PATTERN_START.split(raw, 1)[1].strip()
            return cls(side, body)
        optional = body.endswith(("?", "？"))
        return cls(side, body.rstrip("?？"), optional)

    @property
    def pattern(self) -> Optional[str]:
        """The regular expression of a 项目~ selector, as the rule wrote it."""
        return self.text[len(PATTERN):] if self.text.startswith(PATTERN) else None

    @property
    def code(self) -> Optional[str]:
        if not _CODE.match(self.text):
            return None
        digits = re.split(r"\s+", self.text)
        return digits[0] if len(digits) == 1 else digits[0] + "".join(d.zfill(2) for d in digits[1:])


def _optional_column(spec: TableSpec, side: Optional[str], name: str) -> bool:
    columns = spec.expense_columns if side == "expense" else spec.columns
    return any(c.name == name and c.optional for c in columns)


def _printed_parts(spec: TableSpec, side: Optional[str], name: str, table: Table) -> tuple[str, ...]:
    """The printed columns a column not printed by this layout adds up to (its
    vocabulary `sum_of`), or () when it has none or one of them is not printed
    either."""
    columns = spec.expense_columns if side == "expense" else spec.columns
    parts = next((c.sum_of for c in columns if c.name == name), ())
    return parts if parts and all(p in table.columns for p in parts) else ()


class FactIndex:
    """Answers rule references for one document's facts."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.forms = facts.printed  # a form is printed once for each project
        self._units: Optional[frozenset] = None
        self._said: Optional[dict] = None  # the narrative's amounts by line

    def table(self, name: str) -> tuple[Table, TableSpec]:
        spec = spec_named(name)
        if spec is None:
            raise ResolveError(f"未知的表：{name}（unknown table）", Ref(name, ""))
        table = self.facts.table(spec.id)
        if table is None:
            raise TableAbsent(spec.id)
        return table, spec

    def __call__(self, ref: Ref) -> list[Term]:
        if ref.table == NARRATIVE:
            return [self._narrative_term(ref)]
        table, spec = self.table(ref.table)
        selector = Selector.parse(ref.row)
        if spec.layout == "form":  # the form that prints the row ("项目=…": the project's form)
            table = next((t for t in self.forms[spec.id] if self.rows(t, selector)), table)
        column = self.column(spec, selector.side, ref.column)
        if column not in table.columns:
            parts = _printed_parts(spec, selector.side, column, table)
            if parts:  # the sum of printed columns (vocabulary sum_of)
                rows = self.rows(table, selector)
                if not rows:
                    raise TableAbsent(spec.id)  # neither the row nor the column is printed
                return [_summed_term(table, spec, row, column, parts) for row in rows]
            if not _optional_column(spec, selector.side, column):
                raise TableAbsent(spec.id)  # this layout does not print the column
        rows = self.rows(table, selector)
        if BLOCK in selector.text:
            return self._block_terms(table, spec, selector, column, rows)
        if rows is None and selector.optional:
            if not selector.code and not any(r.side for r in table.rows) \
                    and not _printed_rows_make_total(table, column):
                # a list (of 政府采购 kinds) leaves out a row that is nothing only where the
                # rest add up to its total; a two-sided table's sides are summed by rules of their own
                raise TableAbsent(spec.id)
            return [derived_or_zero(table, spec, selector, column)]
        if rows is None and not selector.code:
            raise TableAbsent(spec.id)  # this layout does not print the row
        if rows is None and not any(r.code and r.code[0] == selector.code[0]
                                    or r.alt_code and r.alt_code[0] == selector.code[0]
                                    for r in table.rows):
            # no row of that classification at all (北京 prints 基本支出 by 政府预算支出经济分类,
            # 501…, not 301…): this layout does not print the row, it is not a zero
            raise TableAbsent(spec.id)
        if rows is None:
            return [derived_or_zero(table, spec, selector, column)]
        return [cell_term(table, spec, row, column) for row in rows]

    def _narrative_term(self, ref: Ref) -> Term:
        """说明[词@行]: the one amount stated on that line for 词 (none where the narrative
        states none, or two)."""
        if self._said is None:
            self._said = {}
            for claim in self.facts.claims:
                if claim.kind == "amount" and "amount" in claim.values:
                    self._said.setdefault(str(claim.line), []).append(claim)
        word, _, line = ref.row.rpartition("@")
        found = [c for c in self._said.get(line, ()) if compact(word) in compact(c.subject)]
        if len(found) != 1 or ref.column is not None:
            raise ResolveError(f"情况说明第 {line} 行没有唯一的“{word}”金额"
                               f"（no single amount for {word} on line {line}）", ref)
        return narrative_term(found[0], "amount")

    @staticmethod
    def _block_terms(table: Table, spec: TableSpec, selector: Selector, column: str,
                     rows: Optional[list[Row]]) -> list[Term]:
        """A row of a unit's block: zero where the block does not print it and the ref
        says "?"; no answer where the unit has no block."""
        if rows is None or not rows and not selector.optional:
            raise TableAbsent(spec.id)
        if not rows:
            return [derived_or_zero(table, spec, selector, column)]
        unit = selector.text.split(BLOCK)[0]
        return [_of_unit(cell_term(table, spec, row, column), unit) for row in rows]

    @staticmethod
    def column(spec: TableSpec, side: Optional[str], name: Optional[str]) -> str:
        columns = spec.expense_columns if side == "expense" else spec.columns
        if name is None:
            return columns[0].name
        wanted = compact(name)
        for column in columns:
            if wanted == column.name or wanted in column.spellings:
                return column.name
        raise ResolveError(f"{spec.name} 没有列：{name}（unknown column）", Ref(spec.name, "", name))

    def rows(self, table: Table, selector: Selector) -> Optional[list[Row]]:
        """The rows a selector names; None when the document prints no such row
        ([] for a unit's block that does not print it)."""
        candidates = [r for r in table.rows if selector.side is None or r.side == selector.side]
        text = selector.text
        if text.startswith("项目="):
            return _project_rows(candidates, text[3:]) or None
        if BLOCK in text:  # "深圳市水务局（本级）›商品和服务支出": a row of that unit's block
            return self._block_rows(candidates, *text.split(BLOCK, 1))
        if selector.pattern is not None:  # the pattern as written, against the name normalised
            pattern = re.compile(selector.pattern)
            return [r for r in candidates if r.project and pattern.search(compact(r.project))]
        if text in LEVELS:
            return [r for r in candidates if r.code and len(r.code) == LEVELS[text]]
        if text in TOTAL_WORDS:
            found = [r for r in candidates if r.kind == "total"]
        elif selector.code:
            found = [r for r in candidates if r.code == selector.code] or alt_rows(candidates, selector.code)
        else:
            found = [r for r in candidates if r.key == text]
            found = found or [r for r in candidates if r.label == text]
            if not found and row_spellings(text):
                # another spelling of the row: its first, unqualified print
                names = set(row_spellings(text))
                found = [r for r in candidates if r.label in names and r.key == r.label][:1]
            if not found and ":" in text:
                found = _qualified(candidates, *text.split(":", 1))
        return found or None

    def _block_rows(self, candidates: list[Row], unit: str, label: str) -> Optional[list[Row]]:
        """The row named `label` in the block of rows a table prints under the unit's row,
        which ends where the next unit's row is (深圳's 基本支出表 prints each unit's row
        and then its economic classes and items, by name, with no codes): [] when the
        block does not print it. A unit printed twice, a unit whose row the next unit's
        follows (a department's total over its units), or a block that prints the name
        twice tells nothing (None)."""
        units = self._unit_names()
        starts = [i for i, r in enumerate(candidates) if compact(r.label) == unit]
        if len(starts) != 1:
            return None
        names = {label, *row_spellings(label)}
        block = []
        for row in candidates[starts[0] + 1:]:
            if compact(row.label) in units:
                break
            block.append(row)
        found = [row for row in block if row.label in names]
        return found if block and len(found) <= 1 else None

    def _unit_names(self) -> frozenset:
        if self._units is None:
            from budgetaudit.extract.topics import unit_names

            self._units = unit_names(self.facts)
        return self._units


def _of_unit(term: Term, unit: str) -> Term:
    """A cell of a unit's block, named with its unit: the block's rows repeat the
    names every other unit's block prints."""
    location = term.location
    row = f"{unit}{BLOCK}{location.row}"
    table_part, _, rest = term.label.partition(f" {location.row}")
    return replace(term, label=f"{table_part} {row}{rest}", location=replace(location, row=row))


def _printed_rows_make_total(table: Table, column: str) -> bool:
    """Whether the rows printed at the top add up to the printed total (北京's 政府采购表:
    A-货物 716.974000 + C-服务 12231.513100 = 合计 12948.487100, so 工程, not printed, is
    nothing); a table without a total tells nothing against it."""
    rows = table.rows
    total = next((r for r in rows if r.kind == "total"), None)
    if total is None:
        return True
    parts = [r.cells.get(column) for r in rows
             if r.parent is None and r.kind not in ("total", "detail")]
    printed = total.cells.get(column)
    return printed is not None and sum((v for v in parts if v is not None), Decimal(0)) == printed


def alt_rows(rows, code: str) -> list[Row]:
    """The rows a class of the second classification is made of, when the table
    prints that code beside its own (西安's 政府经济科目编码: 501 is every row
    marked 501xx, under 301, 302 … of the 部门 classification)."""
    return [r for r in rows if r.alt_code and r.alt_code.startswith(code)]


def _qualified(candidates: list[Row], parent: str, label: str) -> list[Row]:
    """"年初财政拨款结转和结余:一般公共预算财政拨款" where the parent (or the
    row) is printed in another spelling (年初结转和结余)."""
    parents = {parent, *row_spellings(parent)}
    labels = {label, *row_spellings(label)}
    return [r for r in candidates if r.parent in parents and r.label in labels][:1]


def _project_rows(candidates: list[Row], wanted: str) -> list[Row]:
    """Rows of a project, "名称" or "名称@单位" when two units share a name."""
    name, _, unit = wanted.partition("@")
    rows = [r for r in candidates if r.project and compact(r.project) == name]
    if unit:
        rows = [r for r in rows if r.group and (unit in compact(r.group) or compact(r.group) in unit)]
    return rows


def _summed_term(table: Table, spec: TableSpec, row: Row, column: str,
                 parts: tuple[str, ...]) -> Term:
    """A cell of a column this layout does not print, as the sum of the printed
    columns it adds up to (深圳's 三公 table: 合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算)."""
    terms = [cell_term(table, spec, row, part) for part in parts]
    values = [t.value for t in terms if t.value is not None]
    total = sum(values, Decimal(0)) if values else None
    # a part printed 0.00 is a fund with no money (as a blank cell is), not an amount
    # under half a cent: it adds nothing to the sum's rounding
    interval = sum((t.interval for t in terms if t.value), Interval.exact(Decimal(0)))
    label = f"{table_label(table, spec)} {row_label(row)} {column}（未列示，{'+'.join(parts)}）"
    first = terms[0].location
    location = Location(line=first.line, page=first.page, table=first.table, row=first.row,
                        column=column)
    return Term(total, interval, label, location)


def derived_or_zero(table: Table, spec: TableSpec, selector: Selector, column: str) -> Term:
    """A row the document does not print: its items' sum, or zero."""
    code = selector.code
    children = []
    if code:
        children = [r for r in table.rows if r.code and r.code.startswith(code)
                    and len(r.code) == len(code) + 2]
    if children:
        cells = [in_wan(table, r.cells.get(column)) for r in children]
        total = sum((v for v, _ in cells if v is not None), Decimal(0))
        interval = sum((i for _, i in cells), Interval.exact(Decimal(0)))
        label = f"{table_label(table, spec)} {code}（未列示，按其明细合计）{column}"
        location = Location(line=children[0].line, table=table.id, row=code, column=column)
        return Term(total, interval, label, location)
    label = f"{table_label(table, spec)} {selector.text}（未列示）{column}"
    return Term(None, Interval.exact(Decimal(0)), label, Location(table=table.id, row=selector.text))
