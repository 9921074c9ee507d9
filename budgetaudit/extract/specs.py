"""The kinds of table a disclosure holds, as data (budgetaudit/vocab/tables.yaml).

A table is recognised by its title and header words, never by its "表 N"
number. The vocabulary names each kind's title variants and its canonical
columns with the spellings their headers are printed in. A user can extend it
with files of the same shape (``--vocab``); every entry is validated on load.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional

from budgetaudit.model import InputError

DEFAULT_VOCAB = Path(__file__).resolve().parent.parent / "vocab" / "tables.yaml"
LAYOUTS = ("coded", "two_sided", "items", "projects", "generic", "form", "item_grid")
KINDS = ("预算", "决算", "通用")
PATH_SEP = "›"


class VocabularyError(InputError):
    pass


@dataclass(frozen=True)
class Column:
    """A column of a table kind and the ways its header is printed."""

    name: str
    spellings: tuple[str, ...] = ()
    optional: bool = False  # only present when its header words are printed
    # where a layout does not print this column, it reads as the sum of these (合计 of a
    # table that prints only its 一般公共预算, 政府性基金 and 国有资本经营预算 columns)
    sum_of: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        """Does a header text (all header words run together) print this column?"""
        return any(s in header for s in self.words)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(s.replace(PATH_SEP, "") for s in (self.name, *self.spellings))

    def names_path(self, path: tuple[str, ...]) -> bool:
        """Is a column whose header path is `path` (top to bottom) this column?

        A spelling without "›" must equal the lowest header cell, or all the
        header cells run together; one with "›" must equal the end of the path.
        """
        joined = "".join(path)
        for spelling in (self.name, *self.spellings):
            if PATH_SEP in spelling:
                tail = tuple(spelling.split(PATH_SEP))
                printed = path[-len(tail):]
                if printed == tail or len(printed) == len(tail) and all(
                        _same_cell(p, t) for p, t in zip(printed, tail)):
                    return True
            elif path and (path[-1] == spelling or joined == spelling):
                return True
        return False


YEAR_MARK = "{年}"  # in a column's spelling: any year ("{年}政府采购项目" is "2026年政府采购项目")


def _same_cell(printed: str, spelling: str) -> bool:
    if not spelling.startswith(YEAR_MARK):
        return printed == spelling
    rest = spelling[len(YEAR_MARK):]
    return len(printed) == len(rest) + 5 and printed.endswith(rest) and printed[:4].isdigit() \
        and printed[4] == "年"


@dataclass(frozen=True)
class TableSpec:
    """A kind of table: its titles, layout and columns."""

    id: str
    number: int  # position in the standard 2024 layout (for "表N" aliases), 0 if none
    name: str  # short Chinese name used in rules and reports
    title: str  # canonical title, without 部门/单位 prefix
    layout: str  # "coded", "two_sided", "items", "projects", "generic"
    columns: tuple[Column, ...] = ()
    expense_columns: tuple[Column, ...] = ()  # right-hand side of two-sided tables
    code_kind: str = "functional"  # "functional" (类款项) or "economic" (类款)
    title_excludes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default_factory=tuple)
    kind: str = "预算"
    qualifiers: tuple[str, ...] = ()  # words of a subtitle "（按经济分类）" that choose this kind

    def title_match(self, compact_title: str) -> int:
        """Length of the longest title variant the title ends with (0: none)."""
        variants = (self.title, *self.aliases)
        if not compact_title.endswith(variants):  # most titles: one call says no
            return 0
        if any(word in compact_title for word in self.title_excludes):
            return 0
        return max(len(t) for t in variants if compact_title.endswith(t))

    def title_matches(self, compact_title: str) -> bool:
        return self.title_match(compact_title) > 0


@dataclass
class _Registry:
    """The table kinds read from the vocabulary files, and lookups on them."""

    specs: tuple[TableSpec, ...] = ()
    by_id: dict = field(default_factory=dict)
    row_names: dict = field(default_factory=dict)  # label -> its other spellings
    sources: tuple = ()  # the files read, for fingerprints
    memo: dict = field(default_factory=dict)  # lookups on these specs, dropped on reload


_REGISTRY = _Registry()


def _registry() -> _Registry:
    if not _REGISTRY.specs:
        load_vocabulary([DEFAULT_VOCAB], replace_all=True)
    return _REGISTRY


def load_vocabulary(paths: Iterable[Path], replace_all: bool = False) -> None:
    """Read vocabulary files; entries with a known id extend that table kind."""
    specs = {} if replace_all else dict(_registry().by_id)
    row_names = {} if replace_all else dict(_registry().row_names)
    for path in paths:
        file_specs, groups = _read_file(Path(path))
        for spec in file_specs:
            old = specs.get(spec.id)
            specs[spec.id] = _merge(old, spec) if old else spec
        for group in groups:
            for name in group:
                row_names[name] = tuple(dict.fromkeys(row_names.get(name, ()) + group))
    _REGISTRY.specs = tuple(specs.values())
    _REGISTRY.by_id = dict(specs)
    _REGISTRY.row_names = row_names
    _REGISTRY.sources = (() if replace_all else _REGISTRY.sources) + tuple(Path(p) for p in paths)
    _REGISTRY.memo = {}


def memo() -> dict:
    """A dict for results computed from the current specs (titles looked up,
    names indexed); a new vocabulary starts a new one."""
    return _registry().memo


def vocabulary_fingerprint() -> bytes:
    """The vocabulary's files and contents: what a cached, validated rule file
    was checked against."""
    import hashlib

    digest = hashlib.sha256()
    for path in _registry().sources:
        digest.update(str(path).encode("utf-8", "surrogateescape"))
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.digest()


def row_spellings(label: str) -> tuple[str, ...]:
    """The other ways a row label is printed (vocabulary row_names)."""
    return _registry().row_names.get(label, ())


def _merge(old: TableSpec, new: TableSpec) -> TableSpec:
    columns = {c.name: c for c in old.columns}
    for column in new.columns:
        known = columns.get(column.name)
        columns[column.name] = replace(known, spellings=known.spellings + column.spellings,
                                       sum_of=column.sum_of or known.sum_of) \
            if known else column
    return replace(old, aliases=tuple(dict.fromkeys(old.aliases + (new.title,) + new.aliases)),
                   qualifiers=tuple(dict.fromkeys(old.qualifiers + new.qualifiers)),
                   title_excludes=tuple(dict.fromkeys(old.title_excludes + new.title_excludes)),
                   columns=tuple(columns.values()))


_TABLE_KEYS = {"id", "number", "name", "kind", "layout", "code_kind", "titles", "exclude",
               "columns", "expense_columns", "qualifiers"}
_COLUMN_KEYS = {"name", "spellings", "optional", "sum_of"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _read_file(path: Path) -> tuple[list[TableSpec], list[tuple[str, ...]]]:
    """The table kinds and row-name groups of one vocabulary file, validated;
    from the compiled cache when the file is unchanged (no YAML parsing)."""
    from budgetaudit.yamlsrc import compiled_yaml

    return compiled_yaml(path, "vocab", "词汇文件", VocabularyError, _compile_file, _compiled)


def _compiled(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 2
            and all(isinstance(s, TableSpec) for s in value[0])
            and all(isinstance(g, tuple) for g in value[1]))


def _compile_file(data, ctx) -> tuple[tuple[TableSpec, ...], tuple[tuple[str, ...], ...]]:
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list):
        raise ctx.error((), "应包含 tables: 列表 (expected a top-level 'tables' list)")
    for key in data:
        if key not in ("version", "tables", "row_names"):
            raise ctx.error((key,), f"未知的键 {key!r}（unknown key）")
    if data.get("version", 1) != 1:
        raise ctx.error(("version",), f"不支持的词汇文件版本 {data['version']!r}，应为 1")
    specs, seen = [], set()
    for index, entry in enumerate(data["tables"]):
        spec = _spec(ctx, ("tables", index), entry)
        if spec.id in seen:
            raise ctx.error(("tables", index, "id"), f"表 id 重复：{spec.id}")
        seen.add(spec.id)
        specs.append(spec)
    groups = data.get("row_names") or []
    if not isinstance(groups, list):
        raise ctx.error(("row_names",), "row_names 应为列表，每项是同一行的几种写法")
    rows = [_strings(ctx, ("row_names", i), g, "row_names 的每一项") for i, g in enumerate(groups)]
    return tuple(specs), tuple(rows)


def _strings(ctx, where, value, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ctx.error(where, f"{what} 应为非空字符串列表")
    from budgetaudit.extract.numbers import compact

    return tuple(compact(v) for v in value)


def _spec(ctx, where, entry) -> TableSpec:
    if not isinstance(entry, dict):
        raise ctx.error(where, "每张表应是一个映射（id、name、titles…）")
    for key in entry:
        if key not in _TABLE_KEYS:
            raise ctx.error(where + (key,), f"未知的键 {key!r}（unknown key）")
    table_id = entry.get("id")
    if not isinstance(table_id, str) or not _ID.match(table_id):
        raise ctx.error(where + ("id",), "id 应为小写英文、数字和下划线，如 gpb_basic")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ctx.error(where + ("name",), f"表 {table_id} 缺少 name（简称）")
    layout = entry.get("layout", "generic")
    if layout not in LAYOUTS:
        raise ctx.error(where + ("layout",), f"layout 应为 {'/'.join(LAYOUTS)} 之一，而不是 {layout!r}")
    kind = entry.get("kind", "预算")
    if kind not in KINDS:
        raise ctx.error(where + ("kind",), f"kind 应为 {'/'.join(KINDS)} 之一，而不是 {kind!r}")
    code_kind = entry.get("code_kind", "functional")
    if code_kind not in ("functional", "economic"):
        raise ctx.error(where + ("code_kind",), "code_kind 应为 functional 或 economic")
    number = entry.get("number", 0)
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise ctx.error(where + ("number",), "number 应为非负整数")
    titles = _strings(ctx, where + ("titles",), entry.get("titles"), "titles")
    if not titles:
        raise ctx.error(where + ("titles",), f"表 {table_id} 至少要有一种标题写法（titles）")
    return TableSpec(
        id=table_id, number=number, name=name.strip(), title=titles[0], layout=layout,
        columns=_columns(ctx, where + ("columns",), entry.get("columns")),
        expense_columns=_columns(ctx, where + ("expense_columns",), entry.get("expense_columns")),
        code_kind=code_kind, title_excludes=_strings(ctx, where + ("exclude",), entry.get("exclude"), "exclude"),
        aliases=titles[1:], kind=kind,
        qualifiers=_strings(ctx, where + ("qualifiers",), entry.get("qualifiers"), "qualifiers"),
    )


def _columns(ctx, where, value) -> tuple[Column, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ctx.error(where, "columns 应为列表")
    columns = []
    for index, entry in enumerate(value):
        at = where + (index,)
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ctx.error(at, "每一列应有 name")
        for key in entry:
            if key not in _COLUMN_KEYS:
                raise ctx.error(at + (key,), f"未知的键 {key!r}（unknown key）")
        optional = entry.get("optional", False)
        if not isinstance(optional, bool):
            raise ctx.error(at + ("optional",), "optional 应为 true 或 false")
        from budgetaudit.extract.numbers import compact

        columns.append(Column(compact(entry["name"]),
                              _strings(ctx, at + ("spellings",), entry.get("spellings"), "spellings"),
                              optional,
                              tuple(compact(name) for name in _strings(
                                  ctx, at + ("sum_of",), entry.get("sum_of"), "sum_of"))))
    names = {column.name for column in columns}
    for index, column in enumerate(columns):
        unknown = [name for name in column.sum_of if name not in names or name == column.name]
        if unknown:
            raise ctx.error(where + (index, "sum_of"),
                            f"sum_of 应为本表的其他列：{'、'.join(unknown)}")
    return tuple(columns)


def all_specs() -> tuple[TableSpec, ...]:
    return _registry().specs


def spec_by_id(table_id: str) -> Optional[TableSpec]:
    return _registry().by_id.get(table_id)


def __getattr__(name: str):
    # SPECS and SPEC_BY_ID read the vocabulary when first asked for
    if name == "SPECS":
        return all_specs()
    if name == "SPEC_BY_ID":
        return _registry().by_id
    raise AttributeError(name)


# 三公 items as printed, in their canonical names (the label is matched by prefix).
THREE_PUBLIC_ITEMS = (
    ("合计", ("合计", "总计")),
    ("因公出国（境）费", ("因公出国",)),
    ("公务接待费", ("公务接待",)),
    ("公务用车购置及运行费", ("公务用车购置及运行",)),
    ("公务用车购置费", ("公务用车购置费", "购置费")),
    ("公务用车运行费", ("公务用车运行", "运行费", "运行维护费")),
    # printed beside the 三公 items by some layouts (西安 表13, 江苏): rows of their own,
    # not parts of the 三公 合计
    ("会议费", ("会议费",)),
    ("培训费", ("培训费",)),
)


def spec_for_title(compact_title: str, subtitle: str = "") -> TableSpec | None:
    """The table kind whose title variant the title ends with, the longest
    winning; a subtitle ("（按支出经济分类科目）") prefers the kind it qualifies."""
    cache = memo().setdefault("title", {})
    key = (compact_title, subtitle)
    if key not in cache:
        cache[key] = _spec_for_title(compact_title, subtitle)
    return cache[key]


def _spec_for_title(compact_title: str, subtitle: str) -> TableSpec | None:
    best, length = None, 0
    for spec in all_specs():
        found = spec.title_match(compact_title)
        if found > length or found and found == length and _qualified(spec, subtitle) \
                and not _qualified(best, subtitle):
            best, length = spec, found
    if best is not None and subtitle and not _qualified(best, subtitle):
        for spec in all_specs():
            if spec.title_match(compact_title) and _qualified(spec, subtitle):
                return spec
    return best


def _qualified(spec: Optional[TableSpec], subtitle: str) -> bool:
    return bool(spec and subtitle and any(q in subtitle for q in spec.qualifiers))


def generic_spec(table_id: str, title: str, columns: tuple[str, ...] = ()) -> TableSpec:
    """A table the vocabulary does not know: read by its structure alone."""
    return TableSpec(id=table_id, number=0, name=title, title=title, layout="generic",
                     columns=tuple(Column(c) for c in columns), kind="通用")


def spec_of(table) -> TableSpec:
    """The spec of a read table, known or generic."""
    return spec_by_id(table.id) or generic_spec(table.id, table.title, table.columns)
