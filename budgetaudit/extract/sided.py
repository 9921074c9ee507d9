"""Two-sided tables (表1 收支总表, 表4 财政拨款收支表) and the 三公 item table.

A two-sided table prints income on the left and expense on the right of the
same lines; it is read as two lists of rows, told apart by Row.side. Income
labels carry their place in the hierarchy in their numbering ("一、" block,
"1." item, "其中：" detail), and the same label can stand in two blocks
("单位资金" under 本年收入 and under 上年结转结余), so such a row's key is
qualified by its parent.
"""
from __future__ import annotations

import re
from typing import Optional

from budgetaudit.extract.coded import split_code_label, table_rows
from budgetaudit.extract.grid import (
    INDEX_HEADERS, counts_rows, drop_empty_columns, header_paths, numeric,
)
from budgetaudit.extract.numbers import NotAnAmount, clean_label, compact, parse_amount
from budgetaudit.extract.specs import THREE_PUBLIC_ITEMS
from budgetaudit.extract.tables import Block
from budgetaudit.model import Line, Row

_SIDE_HEADER = {
    "收入", "支出", "项目", "预算数", "功能分类", "支出功能分类", "财政拨款收入",
    "财政拨款支出", "科目", "项目名称", "决算数",
}
_BLOCK = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
# "（一）一般公共预算拨款" under "一、本年收入" (中央's 财政拨款收支总表)
_CN_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[)）]\s*")
_ITEM = re.compile(r"^\d+\s*[、.．]\s*")
_SUB = re.compile(r"^[（(]\d+[)）]\s*")
_DETAIL = re.compile(r"^其中\s*[:：]\s*")
_SYNONYMS = {
    "基金预算拨款": "政府性基金预算拨款",
    "非财政拨款结转": "非财政拨款结转结余",
    "非财政拨款结余": "非财政拨款结转结余",
}


def _amounts(cells: list[str], names: tuple[str, ...]) -> tuple[dict, bool]:
    values, ok = {}, True
    for name, cell in zip(names, cells + [""] * len(names)):
        if name is None:
            continue
        try:
            values[name] = parse_amount(cell)
        except NotAnAmount:
            values[name], ok = None, False
    return values, ok


_LABEL_HEADERS = {"项目", "科目", "项目名称", "预算科目", "支出功能分类科目"}


def _split_position(grid: list[list[str]]):
    """Where the expense side starts: the second label column of a header row."""
    for cells in grid[:6]:
        labels = [pos for pos, cell in enumerate(cells) if compact(cell) in _LABEL_HEADERS]
        if len(labels) == 2 and labels[0] == 0:
            return labels[1]
    return None


def _is_side_header(cells: list[str]) -> bool:
    words = {_YEAR_WORD.sub("", compact(c)) for c in cells if c}
    return bool(words & _SIDE_HEADER) or any("※" in w for w in words)


def parse_two_sided(block: Block):
    spec = block.spec
    table = list(table_rows(block.lines))
    table, grid = _without_index_column(table, drop_empty_columns([cells for _, cells in table]))
    header = _header_rows(grid)
    labels = _label_columns(grid, len(header))
    split = labels[1] if len(labels) > 1 else _split_position(grid) or 1 + len(spec.columns)
    stop = labels[2] if len(labels) > 2 else None  # more lists (by economic class): not read
    width = max((len(c) for c in grid), default=0)
    paths = header_paths(header, width)
    income_names = _side_names(paths[1:split], spec.columns)
    expense_names = _side_names(paths[split + 1: stop], spec.expense_columns)
    income = _IncomeHierarchy()
    rows: list[Row] = []
    expense_rows: list[Row] = []
    low = False
    for (line, _), cells in zip(table, grid):
        if _is_side_header(cells) or compact(cells[0]) in INDEX_HEADERS | {"栏次"}:
            continue
        left, right = cells[:split], cells[split: stop]
        if left and left[0]:
            values, ok = _amounts(left[1:], income_names)
            rows.append(income.row(left[0], values, line))
            low = low or not ok
        if right and right[0]:
            values, ok = _amounts(right[1:], expense_names)
            if stop is not None and _TOTAL_WORD.search(right[0]) and not any(
                    v is not None for v in values.values()):
                values = _spanning_total(cells[stop:], expense_names, values)
            expense_rows.append(_expense_row(right[0], values, line))
            low = low or not ok
    columns = tuple(dict.fromkeys(n for n in income_names + expense_names if n))
    return income.finish(rows) + _expense_levels(expense_rows), columns, low


_TOTAL_WORD = re.compile(r"合计|小计|总计")


def _without_index_column(table: list, grid: list[list[str]]) -> tuple[list, list[list[str]]]:
    """The table without a first column that numbers the lines (西安 2021-2022 prints
    序号 1, 2, 3… left of the income side): the income labels are then the first column.
    A data line with no number of its own holds the ends of the labels above it, wrapped
    ("其中：财政拨款" over "资金结转"), and is joined to them."""
    header = _header_rows(grid)
    if not _numbers_lines(header, grid[len(header):]):
        return table, grid
    lines, cells_out = [], []
    for index, ((line, raw), cells) in enumerate(zip(table, grid)):
        if index >= len(header) and cells_out and len(cells_out) > len(header) and \
                not (cells and cells[0].strip()) and not any(numeric(c) for c in cells):
            previous = cells_out[-1]
            for pos, cell in enumerate(cells[1:]):
                if cell.strip() and pos < len(previous):
                    previous[pos] = previous[pos] + cell.strip()
            continue
        lines.append((line, raw))
        cells_out.append(list(cells[1:]))
    return lines, cells_out


def _spanning_total(rest: list[str], names, values: dict) -> dict:
    """A total row across the expense lists prints its amount once, at the far
    right: it is the first list's total too."""
    printed = [c for c in rest if c.strip() and numeric(c)]
    first = next((n for n in names if n), None)
    if len(printed) == 1 and first is not None:
        values = {**values, first: parse_amount(printed[0])}
    return values


def _is_text(cell: str) -> bool:
    try:
        parse_amount(cell)
    except NotAnAmount:
        return True
    return False


def _label_columns(grid: list[list[str]], header_rows: int) -> list[int]:
    """The columns that name rows (text in most of their data cells): the
    income list starts at the first, the expense list at the second."""
    data = [cells for cells in grid[header_rows:] if not _is_side_header(cells)]
    width = max((len(c) for c in grid), default=0)
    found = []
    for pos in range(width):
        cells = [c[pos].strip() for c in data if pos < len(c) and c[pos].strip()]
        texts = sum(1 for c in cells if _is_text(c))  # "-" marks a blank, not a label
        if cells and texts * 2 > len(cells):
            found.append(pos)
    return found if found and found[0] == 0 else []


def _header_rows(grid: list[list[str]]) -> list[list[str]]:
    """The rows above the first row that prints a number."""
    rows = []
    for cells in grid:
        if any(numeric(c) for c in cells):
            break
        rows.append(cells)
    return rows


def _side_names(paths, known) -> tuple[str, ...]:
    """The amount columns of one side, named by their header; with no header
    words to go by, the side's columns in the vocabulary's order."""
    if not any(paths):
        return tuple(c.name for c in known)
    if len(paths) == 1 and known and not any(c.names_path(
            tuple(_YEAR_WORD.sub("", p) for p in paths[0])) for c in known) \
            and (not paths[0] or paths[0][-1] not in INDEX_HEADERS):
        # one amount column whose header the text layer garbled (西安 2019 "部门预预算算数支",
        # two header cells woven together): the side's amount, its first column
        return (known[0].name,)
    names, used = [], set()
    for position, path in enumerate(paths):
        path = tuple(_YEAR_WORD.sub("", p) for p in path)
        if path and path[-1] in INDEX_HEADERS:
            names.append(None)  # 行次: numbers the lines, not an amount
            continue
        column = next((c for c in known if c.name not in used and c.names_path(path)), None)
        name = column.name if column else ("›".join(path) or f"第{position + 2}列")
        if name in used:
            name = f"{name}（第{position + 2}列）"
        used.add(name)
        names.append(name)
    return tuple(names)


_YEAR_WORD = re.compile(r"^\d{4}年(?:度)?")


def _expense_row(text: str, values: dict, line: Line) -> Row:
    code, label = split_code_label(text)
    label = clean_label(label)
    kind = "total" if "总计" in label or compact(label) in ("合计", "支出合计") else "item"
    return Row(label=label, cells=values, line=line.number, text=line.text, code=code,
               kind=kind, side="expense", key=label, page=line.page)


def _is_subtotal_label(label: str) -> bool:
    """"本年收入合计", "当年支出小计": a subtotal of the blocks above it; so is an unnumbered
    "当年收入" printed under them (江苏 2017: "一、财政拨款 … 三、其他资金" then "当 年 收 入
    13,649.07", over 上年结转资金)."""
    return ("合计" in label or label.endswith("小计") or label in _YEAR_INCOME) \
        and "总计" not in label and label not in ("合计", "收入合计", "支出合计", "小计")


_YEAR_INCOME = ("当年收入", "本年收入")


def _close_subtotals(rows: list[Row]) -> list[Row]:
    """A 合计 row printed under top-level blocks is their parent; the blocks
    after it (上年结转结余, 结转下年) stand beside it under the 总计."""
    pending: list[int] = []
    rows = list(rows)
    for index, row in enumerate(rows):
        if row.parent is not None or row.kind in ("total", "detail"):
            continue
        if _is_subtotal_label(row.label):
            for child in pending:
                rows[child] = Row(**{**rows[child].__dict__, "parent": row.label})
            pending = []
            continue
        pending.append(index)
    return rows


def _lone_details(rows: list[Row]) -> list[Row]:
    """A parent with a single "其中：" row names a part of it, not its breakdown:
    that row is a detail, outside the sums."""
    children: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.parent and row.kind == "item":
            children.setdefault(row.parent, []).append(index)
    rows = list(rows)
    for indexes in children.values():
        if len(indexes) == 1 and _DETAIL.match(_first_label(rows[indexes[0]].text)):
            rows[indexes[0]] = Row(**{**rows[indexes[0]].__dict__, "kind": "detail"})
    return rows


def _first_label(text: str) -> str:
    """A line's first cell, after the 序号 that numbers it where one is printed."""
    cells = [c.strip() for c in text.split("\t")]
    while len(cells) > 1 and cells[0].isdigit():
        cells = cells[1:]
    return cells[0] if cells else ""


def numbered(row: Row) -> bool:
    """Whether the row's label is printed with its place in the numbering ("1、财政拨款",
    "（1）一般公共预算拨款收入"), not placed under the row above for want of one."""
    if not row.label:
        return False
    return re.search(_NUMBER_MARK + re.escape(compact(row.label)[:4]), compact(row.text)) is not None


_NUMBER_MARK = r"(?:[一二三四五六七八九十]+[、.．]|\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）])"


def _expense_levels(rows: list[Row]) -> list[Row]:
    """Expense rows without codes: "一、…支出" rows are the classes; the
    unnumbered rows under them are details whose level cannot be told apart."""
    if any(r.code for r in rows):
        return rows
    # "一、本年支出" over "（一）一般公共服务支出": the blocks are numbered 一、 and the classes （一）
    # "一、部门预算" over "1、一般公共服务支出" (西安 2021-2022): the same, numbered 1、
    sub = next((m for m in (_CN_SUB, _ITEM) if any(m.match(r.label) for r in rows)), None)
    nested = sub is not None and any(_BLOCK.match(r.label) for r in rows)
    mark = sub if nested else _BLOCK
    out, current, head = [], None, None
    for index, row in enumerate(rows):
        numbered = mark.match(row.label)
        following = rows[index + 1].label if index + 1 < len(rows) else ""
        restarts = numbered and _BLOCK.match(following) and \
            numbered.group(0).strip() == _BLOCK.match(following).group(0).strip()
        if restarts or (nested and _BLOCK.match(row.label)):
            # "一、本年支出" then "一、一般公共服务支出" (or "（一）…"): a block over the classes
            head = _BLOCK.sub("", row.label)
            current = None
            row = Row(**{**row.__dict__, "label": head, "key": head})
        elif numbered:
            current = mark.sub("", row.label)
            row = Row(**{**row.__dict__, "label": current, "key": current, "parent": head})
        elif row.kind == "item" and current and not _is_subtotal_label(row.label) \
                and not _TOP_WORDS.search(row.label):
            row = Row(**{**row.__dict__, "kind": "detail", "parent": current})
        elif row.kind == "item":
            # an unnumbered row right above the classes ("本年支出") is their block
            printed = any(v is not None for v in row.cells.values())
            current, head = None, row.label if mark.match(following) and printed else None
        out.append(row)
    return _IncomeHierarchy.finish(_close_subtotals(out))


_TOP_WORDS = re.compile(r"结转|结余")


class _IncomeHierarchy:
    """Tracks numbering levels down the income side to give rows parents."""

    def __init__(self) -> None:
        self.ancestors: dict[int, str] = {}
        self.in_detail = False
        self.last_level = 0
        self.seen: set[str] = set()
        self.after_subtotal = False
        self.nested = 0  # numbering that restarts under an unnumbered block
        self.opener = False
        self.breakdown = False  # inside the by-fund breakdown of a block after the subtotal

    def row(self, text: str, values: dict, line: Line) -> Row:
        label, level = self._level(clean_label(text))
        label = _SYNONYMS.get(label, label)
        parent = next((self.ancestors[l] for l in range(level - 1, 0, -1) if l in self.ancestors), None)
        self.ancestors = {l: a for l, a in self.ancestors.items() if l < level}
        self.ancestors[level] = label
        key = f"{parent}:{label}" if label in self.seen and parent else label
        self.seen.add(label)
        kind = "total" if "总计" in label or label in ("合计", "收入合计") else "item"
        return Row(label=label, cells=values, line=line.number, text=line.text, kind=kind,
                   side="income", key=key, parent=None if kind == "total" else parent,
                   page=line.page)

    def _level(self, label: str) -> tuple[str, int]:
        for pattern, level in ((_BLOCK, 1), (_CN_SUB, 2), (_ITEM, 3), (_SUB, 4)):
            if pattern.match(label):
                if self.opener:  # "上年结转结余" then "一、…": numbering restarts under it
                    self.nested, self.opener = 1, False
                self.in_detail = False
                self.last_level = level + self.nested
                return pattern.sub("", label), level + self.nested
        if _DETAIL.match(label):
            self.in_detail = True
            return _DETAIL.sub("", label), self.last_level + 1
        if self.after_subtotal and (label in self.seen or self.breakdown) and 1 in self.ancestors \
                and not _is_subtotal_label(label) and "总计" not in label:
            # 年初财政拨款结转和结余 then 一般公共预算财政拨款 again: its breakdown by
            # fund, down to the 总计 (the last fund may be spelled another way)
            self.last_level, self.breakdown = 2, True
            return label, 2
        self.breakdown = False
        if "总计" in label or _is_subtotal_label(label) or self.after_subtotal:
            # after 本年收入合计, an unnumbered row (上年结转结余) opens a block of its own
            subtotal = _is_subtotal_label(label)
            self.opener = self.after_subtotal and not subtotal and "总计" not in label
            self.after_subtotal = (subtotal or self.after_subtotal) and "总计" not in label
            self.nested = 0
            self.last_level = 1
            return label, 1
        return label, self.last_level + 1

    @staticmethod
    def finish(rows: list[Row]) -> list[Row]:
        """Rows that other rows name as parent are subtotals."""
        rows = _lone_details(_close_subtotals(rows))
        parents = {r.parent for r in rows if r.kind != "detail"}
        return [
            Row(**{**r.__dict__, "kind": "subtotal"}) if r.key in parents and r.kind == "item" else r
            for r in rows
        ]


def _item_kind(name: str) -> str:
    if name == "合计":
        return "total"
    return "subtotal" if name == "公务用车购置及运行费" else "item"


def _item_name(text: str) -> Optional[str]:
    label = _DETAIL.sub("", compact(text))
    for name, spellings in THREE_PUBLIC_ITEMS:
        if any(label.startswith(s) for s in spellings):
            return name
    return None


def parse_items(block: Block):
    """The 三公 table, printed as item rows or (older layout) as one row."""
    names = tuple(c.name for c in block.spec.columns)
    rows: list[Row] = []
    header: list[list[str]] = []
    low = False
    labelled: list[tuple[tuple, Line, list[str], int]] = []
    above: list[list[str]] = []  # header lines over the one that names the items
    in_header = False  # the previous line was a header line: a header of several lines
    for line, cells in _unnumbered(list(table_rows(block.lines))):
        was_header, in_header = in_header, False
        if _names_items(cells):
            # 西安 names items on three lines (“三公”经费 › 小计 | 因公出国… › 公务用车… › 购置费)
            header, above = (header if was_header else above) + [cells], []
            in_header = True
        elif header and _all_amounts(cells):
            rows.extend(_horizontal_rows(header, cells, line))
        elif header and (start := _amounts_from(cells)):
            labelled.append((tuple(header), line, cells, start))
        elif header:
            header.append(cells)
            in_header = _is_header_text(cells)
        elif _is_header_text(cells):
            above.append(cells)  # "合计 | “三公”经费 | … | 会议费 | 培训费" over the items
        elif _item_name(cells[0]):
            above = []
            values, ok = _amounts(cells[1:], names)
            low = low or not ok
            item = _item_name(cells[0])
            rows.append(Row(label=item, cells=values, line=line.number, text=line.text,
                            kind=_item_kind(item), key=item, page=line.page))
    if labelled:
        title_year = re.search(r"(\d{4})\s*年", block.title or "")
        found = _budget_year_rows(labelled, block.spec.columns,
                                  int(title_year.group(1)) if title_year else None)
        rows.extend(found)
        low = low or not found
        return rows, tuple(n for n in names if any(n in r.cells for r in rows)), low
    columns = names if not rows or rows[0].cells.keys() == set(names) else ("合计",)
    return rows, columns, low


def _unnumbered(lines: list) -> list:
    """The lines without the 序号 column that numbers the units (西安 2022 "序号 | 单位编码 |
    单位名称 | 2021年 …" over "1 | | 合计 | 746130 …"; the header word may be split, "序 | 号单位
    编码", and the numbers 1, 2, 3… tell it)."""
    grid = [cells for _, cells in lines]
    numbered = _numbers_lines(grid[:4], [c for c in grid if any(numeric(x) for x in c[1:])])
    return [(line, cells[1:] or cells) for line, cells in lines] if numbered else lines


def _numbers_lines(header: list[list[str]], data: list[list[str]]) -> bool:
    """Whether the first column numbers the lines: headed 序号 (行次…), or 1, 2, 3… down
    the data."""
    return any(cells and compact(cells[0]) in INDEX_HEADERS for cells in header) \
        or counts_rows(data, 0)


_YEAR_LABEL = re.compile(r"^(\d{4})年(?:度)?(?:预算(?:数)?)?$")


def _amounts_from(cells: list[str]) -> int:
    """Where a row of amounts under labels starts (深圳: 单位 | 2026年 | 32.56 | 0.00 …):
    the position of its first amount after one or more label cells, 0 if it is not one."""
    for pos, cell in enumerate(cells):
        try:
            value = parse_amount(cell)
        except NotAnAmount:
            continue
        if value is None:
            continue
        lead, rest = cells[:pos], cells[pos:]
        if pos == 0 or not any(c.strip() for c in lead) or sum(1 for c in rest if c.strip()) < 2:
            return 0
        return pos if _all_amounts(rest) and not any(numeric(c) for c in lead) else 0
    return 0


def _budget_year_rows(labelled, measures, title_year: Optional[int] = None) -> list[Row]:
    """A 三公 table with its items across and the year told per row or per column.

    深圳: one row per year under the items (2025年, 2026年, 增减变化金额, for each unit
    in turn): the latest year's amounts of the first unit (the department, or the one
    unit the table is about). 西安: the years are column groups (上年 | 当年 | 增减变化
    情况, each with every item) and the rows units (合计, then each unit): the current
    year's columns of the first row. One row per item with one column per measure
    (一般公共预算 …; a column path ending in no measure is the 合计). A change is not
    read, and a table that tells no year gives nothing, rather than a guess; one year's
    column group is the current year's where the title names that year (西安 2021 "2021年部门
    综合预算…“三公”经费及会议费、培训费支出预算表" over its one "2021年" group)."""
    first: list[tuple] = []
    for header, line, cells, start in labelled:
        lead = [compact(c) for c in cells[:start]]
        if first and len(lead) > 1 and lead[0]:
            break  # the next unit's rows
        year = _YEAR_LABEL.match(lead[-1])
        if year:
            first.append((int(year.group(1)), header, line, cells, start))
    if not first:
        return _current_columns(labelled, measures, title_year)
    latest = max(entry[0] for entry in first)
    chosen = [entry for entry in first if entry[0] == latest]
    if len(chosen) != 1:
        return []
    _, header, line, cells, start = chosen[0]
    paths = _paths(header, cells)
    return _item_rows(line, cells, [(pos, paths[pos] if pos < len(paths) else ())
                                    for pos in range(start, len(cells))], measures)


_CURRENT = re.compile(r"^(?:当年|本年|本年度)(?:预算(?:数)?)?$")
_PRIOR = re.compile(r"^(?:上年|上年度)(?:预算(?:数)?)?$")
_CHANGE = re.compile(r"增减|变化|变动")


def _current_columns(labelled, measures, title_year: Optional[int] = None) -> list[Row]:
    """The first row's amounts in the columns of the current year, when column
    groups tell the year (当年 or the latest of several years beside 上年, 增减…)."""
    header, line, cells, start = labelled[0]
    paths = _paths(header, cells)
    periods = [_period(paths[pos]) if pos < len(paths) else None for pos in range(len(cells))]
    years = {p for p in periods if isinstance(p, int)}
    current = "current" if "current" in periods else max(years) if len(years) > 1 \
        else title_year if years == {title_year} and _periods_only(periods, title_year) else None
    if current is None:
        return []
    return _item_rows(line, cells, [(pos, paths[pos]) for pos in range(start, len(cells))
                                    if periods[pos] == current], measures)


def _periods_only(periods: list, year: int) -> bool:
    """No column tells another period (上年, 增减…) beside the year's."""
    return all(p in (None, year) for p in periods)


def _period(words: tuple[str, ...]):
    """"current", "prior", "change", a year, or None: what period a column path names."""
    for word in map(compact, words):
        if _CHANGE.search(word):
            return "change"
        if _CURRENT.match(word):
            return "current"
        if _PRIOR.match(word):
            return "prior"
        year = _YEAR_LABEL.match(word)
        if year:
            return int(year.group(1))
    return None


def _paths(header, cells: list[str]) -> list[tuple[str, ...]]:
    width = max(len(cells), *(len(h) for h in header))
    return header_paths([list(h) for h in header], width)


def _item_rows(line: Line, cells: list[str], columns, measures) -> list[Row]:
    """One row per item of the (position, header path) columns, each amount under
    the measure the path ends in (合计 when it ends in none); where two columns give
    one item the same measure, the more specific path wins."""
    from budgetaudit.extract.itemgrid import item_of_path

    chosen: dict[tuple[str, str], tuple[int, int]] = {}
    for pos, words in columns:
        item = item_of_path(words)
        if item is None:
            continue
        last = next((compact(w) for w in reversed(words) if compact(w)), "")
        measure = next((m.name for m in measures if m.matches(last)), "合计")
        key = (item, measure)
        if key not in chosen or len(words) > chosen[key][0]:
            chosen[key] = (len(words), pos)
    found: dict[str, dict] = {}
    for (item, measure), (_, pos) in sorted(chosen.items(), key=lambda entry: entry[1][1]):
        try:
            found.setdefault(item, {})[measure] = parse_amount(cells[pos])
        except NotAnAmount:
            return []
    return [Row(label=item, cells=values, line=line.number, text=line.text,
                kind=_item_kind(item), key=item, page=line.page) for item, values in found.items()]


def _is_header_text(cells: list[str]) -> bool:
    """Three or more cells of words and none of amounts: a header line (an item row
    with a word for its amount, "公务用车购置费 | 无", is not one)."""
    filled = [c for c in cells if c.strip()]
    return len(filled) >= 3 and not any(numeric(c) for c in filled)


def _all_amounts(cells: list[str]) -> bool:
    try:
        return all(parse_amount(c) is not None or not c for c in cells)
    except NotAnAmount:
        return False


def _names_items(cells: list[str]) -> bool:
    """A header row of the horizontal layout names three or more items."""
    return sum(1 for c in cells if c and _item_name(c)) >= 3


def _horizontal_rows(header: list[list[str]], cells: list[str], line: Line) -> list[Row]:
    """One row of amounts under item headers, turned into one row per item.

    Each column is named by its header path ("公务用车购置及运行维护费 › 小计" is the
    vehicles' subtotal, "“三公”经费 › 小计" the 三公 total); where two columns name one
    item, the more specific path wins (江苏 prints a 合计 over 三公, 会议费 and 培训费
    before the 三公 小计)."""
    paths = _paths(header, cells)
    return _item_rows(line, cells, [(pos, paths[pos]) for pos in range(len(cells))], ())
