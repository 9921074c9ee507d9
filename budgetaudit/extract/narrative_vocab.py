"""How the narrative is read, as data (budgetaudit/vocab/narrative.yaml).

Which parts hold the narrative, what a section speaks of (topics, by the words
of its heading), how a change is worded and the fixed statements with their
named fields and relations. The shipped file is read on first use; a user's
files extend it (``--vocab``): their list entries are added, a topic or a
statement with a known id or kind replaces the shipped one. Every entry is
validated, a broken file is a one-line error naming the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from budgetaudit.extract.deferred import DeferredPattern
from budgetaudit.model import InputError

DEFAULT = Path(__file__).resolve().parent.parent / "vocab" / "narrative.yaml"
KEYS = ("parts", "topics", "changes", "statements")
PART_KEYS = ("skip", "overview", "keep")
CHANGE_KEYS = ("compare", "up", "down", "flat", "rate_up", "rate_down", "reasons",
               "reason_up", "reason_down", "reason_unclear")
READERS = ("projects", "carryover", "other")
UNIT_HEADING = "@单位"  # a topic's heading word: a heading that names a unit of the 支出总表
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
RELATION = re.compile(r"^\s*([\w.]+(?:\s*\+\s*[\w.]+)*)\s*(=|<=|>=)\s*([\w.]+(?:\s*\+\s*[\w.]+)*)\s*$")
# "share% = part / base": a percentage printed as the ratio of two numbers (fields of this
# statement or kind.field of another)
SHARE = re.compile(r"^\s*(\w+)\s*%\s*=\s*([\w.]+)\s*/\s*([\w.]+)\s*$")


@dataclass(frozen=True)
class Topic:
    """What a narrative section speaks of, known by the words of its heading."""

    id: str
    headings: tuple[str, ...]
    subjects: tuple[tuple[str, str, str], ...] = ()
    share_base: Optional[str] = None
    # the tables the section restates row by row, each (表名, 收支栏前缀, 列, 口径);
    # a figure is looked up in each in turn (functional classes, then economic ones)
    classes: tuple[tuple[str, str, str, str], ...] = ()
    reader: Optional[str] = None
    container: bool = False  # its （一） subsections that name a topic are read as that topic
    # a list opened by "人员经费：" restates that column of the classes' rows: {word: column}
    list_columns: tuple[tuple[str, str], ...] = ()
    # "@项目" in a subject's ref: what follows a project's name where the sentence names it
    # ("…病媒生物防制项目绩效自评综述："), so that a longer name is not read as a shorter one
    project_ends: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A statement with a fixed wording, its named fields and their relations."""

    kind: str
    subject: str
    pattern: DeferredPattern  # compiled where first used
    fields: dict
    counts: frozenset = frozenset()
    relations: tuple = ()  # (left names, "=" | "<=" | ">=" | "%", right names, says)
    rule: Optional[str] = None
    ref: Optional[str] = None
    items: Optional[DeferredPattern] = None  # one item of the list that follows, its number {n}
    items_into: Optional[str] = None  # the field that receives the items' sum


@dataclass
class Vocabulary:
    """How the narrative is read: parts, topics, change words and fixed statements."""

    parts: dict = field(default_factory=lambda: {k: () for k in PART_KEYS})
    topics: tuple[Topic, ...] = ()
    changes: dict = field(default_factory=lambda: {k: () for k in CHANGE_KEYS})
    statements: tuple[Statement, ...] = ()

    def topic(self, topic_id: Optional[str]) -> Optional[Topic]:
        return next((t for t in self.topics if t.id == topic_id), None)

    def heading_topic(self, title: str, units: frozenset = frozenset()) -> Optional[str]:
        """The first topic one of whose heading words the title holds; "@单位" is held
        by a title that is the name of a unit the document's tables print (`units`)."""
        words = re.sub(r"\s+", "", title)
        def holds(word: str) -> bool:
            return words in units if word == UNIT_HEADING else word in words

        return next((t.id for t in self.topics if any(holds(w) for w in t.headings)), None)


_CURRENT: list[Vocabulary] = []


def vocabulary() -> Vocabulary:
    if not _CURRENT:
        _CURRENT.append(_merge(Vocabulary(), *_read(DEFAULT)))
    return _CURRENT[0]


def has_narrative_keys(data) -> bool:
    return isinstance(data, dict) and any(key in data for key in KEYS)


def extend(paths: Iterable[Path]) -> None:
    """Add the narrative entries of the user's files to the vocabulary."""
    current = vocabulary()
    for path in paths:
        current = _merge(current, *_read(Path(path)))
    _CURRENT[:] = [current]


def load_user_files(paths: Iterable[Path]) -> None:
    """--vocab: a file of table words (tables:) extends the table vocabulary, a
    file of narrative words (topics:, changes:, statements:, parts:) this one."""
    from budgetaudit.extract.specs import load_vocabulary
    from budgetaudit.yamlsrc import read_yaml

    tables, narrative = [], []
    for path in paths:
        data, ctx = read_yaml(Path(path), "词汇文件", InputError)
        if has_narrative_keys(data) and isinstance(data, dict) and "tables" in data:
            raise ctx.error(("tables",), "表名词汇（tables）与说明词汇（topics 等）请分两个文件")
        (narrative if has_narrative_keys(data) else tables).append(path)
    if tables:
        load_vocabulary(tables)
    extend(narrative)


def _read(path: Path):
    """(parts, changes, topics, statements) of one file, validated; from the
    compiled cache when the file is unchanged (no YAML parsing)."""
    from budgetaudit.yamlsrc import compiled_yaml

    return compiled_yaml(path, "narrative", "词汇文件", InputError, _compile, _compiled)


def _compiled(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 4
            and isinstance(value[0], dict) and isinstance(value[1], dict)
            and all(isinstance(t, Topic) for t in value[2])
            and all(isinstance(s, Statement) for s in value[3]))


def _compile(data, ctx):
    if not has_narrative_keys(data):
        raise ctx.error((), "应包含 parts、topics、changes 或 statements (no narrative entries)")
    for key in data:
        if key not in KEYS + ("version",):
            raise ctx.error((key,), f"未知的键 {key!r}（unknown key）")
    if data.get("version", 1) != 1:
        raise ctx.error(("version",), f"不支持的词汇文件版本 {data['version']!r}，应为 1")
    parts = _word_lists(ctx, data, "parts", PART_KEYS)
    changes = _word_lists(ctx, data, "changes", CHANGE_KEYS)
    topics = [_topic(ctx, ("topics", i), e) for i, e in enumerate(_list(ctx, data, "topics"))]
    statements = [_statement(ctx, ("statements", i), e)
                  for i, e in enumerate(_list(ctx, data, "statements"))]
    _unique(ctx, "topics", [t.id for t in topics])
    _unique(ctx, "statements", [s.kind for s in statements])
    return parts, changes, tuple(topics), tuple(statements)


def _merge(base: Vocabulary, parts, changes, topics, statements) -> Vocabulary:
    def joined(old: dict, new: dict) -> dict:
        return {k: tuple(dict.fromkeys(old.get(k, ()) + new.get(k, ()))) for k in old}

    new_topics = {t.id: t for t in topics}
    kept = tuple(new_topics.pop(t.id, t) for t in base.topics)
    new_statements = {s.kind: s for s in statements}
    statements_kept = tuple(new_statements.pop(s.kind, s) for s in base.statements)
    return Vocabulary(joined(base.parts, parts), kept + tuple(new_topics.values()),
                      joined(base.changes, changes),
                      statements_kept + tuple(new_statements.values()))


def _list(ctx, data: dict, key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ctx.error((key,), f"{key} 应为列表")
    return value


def _words(ctx, where, value, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ctx.error(where, f"{what} 应为非空字符串列表")
    return tuple(v.strip() for v in value)


def _word_lists(ctx, data: dict, key: str, allowed: tuple) -> dict:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        raise ctx.error((key,), f"{key} 应为映射（{'、'.join(allowed)}）")
    for name in section:
        if name not in allowed:
            raise ctx.error((key, name), f"{key} 中未知的键 {name!r}")
    return {name: _words(ctx, (key, name), section.get(name), f"{key}.{name}") for name in allowed}


def _unique(ctx, key: str, names: list) -> None:
    for index, name in enumerate(names):
        if name in names[:index]:
            raise ctx.error((key, index), f"{key} 中重复：{name}")


def _text(ctx, where, entry: dict, key: str, required: bool = True) -> Optional[str]:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(where + (key,), f"{key} 应为非空字符串")
    return value.strip()


def _ref(ctx, where, text: str, alternatives: bool = False) -> str:
    from budgetaudit.engine import expr

    try:  # a subject's ref may list alternatives, the first whose table a document has: "A | B",
        # or the figures its words may mean: "A || B"
        for alternative in (re.split(r" \|\|? ", text) if alternatives else [text]):
            expr.parse(alternative.strip())
    except expr.ExprError as exc:
        raise ctx.error(where, f"表中数字的写法有误：{text}（{exc}）") from None
    return text


def _topic(ctx, where, entry) -> Topic:
    if not isinstance(entry, dict):
        raise ctx.error(where, "每个主题应为映射（id、headings …）")
    for key in entry:
        if key not in ("id", "headings", "subjects", "share_base", "classes", "reader", "container",
                       "list_columns", "project_ends"):
            raise ctx.error(where + (key,), f"主题中未知的键 {key!r}")
    reader = _text(ctx, where, entry, "reader", required=False)
    if reader is not None and reader not in READERS:
        raise ctx.error(where + ("reader",), f"reader 应为 {'、'.join(READERS)} 之一")
    subjects = []
    for index, item in enumerate(entry.get("subjects") or []):
        spot = where + ("subjects", index)
        if not (isinstance(item, list) and len(item) == 3 and all(isinstance(v, str) and v for v in item)):
            raise ctx.error(spot, "subjects 的每一项应为 [主语用词, 表中数字, 口径]")
        item_ref = item[1] == "@item" or item[1].startswith("@item.")
        if item_ref and not entry.get("classes"):
            raise ctx.error(spot, "@item（段中前文所说的科目）要求本主题写 classes")
        ref = None if item[1] == "-" else item[1] if item_ref else \
            _ref(ctx, spot, item[1], alternatives=True)
        subjects.append((item[0], ref, item[2]))
    classes = _classes(ctx, where + ("classes",), entry.get("classes"))
    for index, (_, ref, _) in enumerate(subjects):
        if ref and ref.startswith("@item."):  # the column must be one the classes table has
            _ref(ctx, where + ("subjects", index), f"{classes[0][0]}[合计].{ref[len('@item.'):]}")
    share_base = _text(ctx, where, entry, "share_base", required=False)
    container = entry.get("container", False)
    if not isinstance(container, bool):
        raise ctx.error(where + ("container",), "container 应为 true 或 false")
    list_columns = entry.get("list_columns") or {}
    if not isinstance(list_columns, dict) or not all(
            isinstance(k, str) and k and isinstance(v, str) and v for k, v in list_columns.items()):
        raise ctx.error(where + ("list_columns",), "list_columns 应为 引出用词: 列 的映射")
    if list_columns and not classes:
        raise ctx.error(where + ("list_columns",), "list_columns 要求本主题写 classes")
    from budgetaudit.engine.resolve import known_columns, spec_named

    for word, column in list_columns.items():  # a column every classes table has
        for name, *_ in classes:
            spec = spec_named(name)
            if spec is not None and column not in known_columns(spec):
                raise ctx.error(where + ("list_columns", word), f"{name} 没有列 {column}")
    return Topic(_text(ctx, where, entry, "id"),
                 _words(ctx, where + ("headings",), entry.get("headings"), "headings"),
                 tuple(subjects), share_base and _ref(ctx, where + ("share_base",), share_base),
                 classes, reader, container, tuple(list_columns.items()),
                 _words(ctx, where + ("project_ends",), entry.get("project_ends"), "project_ends"))


def _classes(ctx, where, value) -> tuple[tuple[str, str, str, str], ...]:
    """One [表名, 收支栏前缀, 列, 口径], or a list of them tried in turn."""
    if value is None:
        return ()
    entries = value if isinstance(value, list) and value and isinstance(value[0], list) else [value]
    found = []
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 4 and all(isinstance(v, str) for v in entry)):
            raise ctx.error(where, "classes 应为 [表名, 收支栏前缀, 列, 口径]，或若干个这样的列表")
        _ref(ctx, where, f"{entry[0]}[合计].{entry[2]}")
        found.append(tuple(entry))
    return tuple(found)


def _statement(ctx, where, entry) -> Statement:
    if not isinstance(entry, dict):
        raise ctx.error(where, "每条固定表述应为映射（kind、pattern、fields …）")
    for key in entry:
        if key not in ("kind", "subject", "pattern", "fields", "counts", "relations", "rule", "ref",
                       "items"):
            raise ctx.error(where + (key,), f"固定表述中未知的键 {key!r}")
    fields = entry.get("fields")
    if not isinstance(fields, dict) or not fields or \
            not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
        raise ctx.error(where + ("fields",), "fields 应为 字段: 中文名 的映射")
    pattern = compile_pattern(ctx, where + ("pattern",), _text(ctx, where, entry, "pattern"), fields)
    counts = _words(ctx, where + ("counts",), entry.get("counts"), "counts")
    items = entry.get("relations") or []
    if not isinstance(items, list):
        raise ctx.error(where + ("relations",), "relations 应为列表")
    relations = tuple(_relation(ctx, where + ("relations", i), item, fields)
                      for i, item in enumerate(items))
    rule = _text(ctx, where, entry, "rule", required=False)
    if relations and rule is None:
        raise ctx.error(where, "写了 relations 就要写 rule（报告这些关系的规则编号）")
    ref = _text(ctx, where, entry, "ref", required=False)
    items, into = _items(ctx, where + ("items",), entry.get("items"), fields)
    return Statement(_text(ctx, where, entry, "kind"), _text(ctx, where, entry, "subject"),
                     pattern, dict(fields), frozenset(counts), relations, rule,
                     ref and _ref(ctx, where + ("ref",), ref), items, into)


def _items(ctx, where, value, fields: dict):
    """items: {pattern: "…用车 {n} 辆", into: listed}: a list of any length after the
    statement (to the end of its sentence), its numbers summed into a field."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or set(value) != {"pattern", "into"} or \
            not all(isinstance(v, str) and v for v in value.values()):
        raise ctx.error(where, "items 应为 {pattern: 一项的模式（含 {n}）, into: 字段}")
    if value["into"] not in fields:
        raise ctx.error(where, f"items 的 into {value['into']!r} 不在 fields 中")
    if re.findall(r"\{(\w+)\}", value["pattern"]) != ["n"]:
        raise ctx.error(where, "items 的 pattern 应有且只有一个 {n}")
    return compile_pattern(ctx, where, value["pattern"], {"n": "数"}), value["into"]


def compile_pattern(ctx, where, text: str, fields: dict) -> DeferredPattern:
    """{name} is a number read into that field; a space may or may not be
    printed; "，" stands for any separator (or none)."""
    used = re.findall(r"\{(\w+)\}", text)
    for name in used:
        if name not in fields:
            raise ctx.error(where, f"模式中的 {{{name}}} 不在 fields 中")
    if sorted(used) != sorted(set(used)):
        raise ctx.error(where, "模式中同一字段出现了两次")
    source = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>{NUM})", text)
    source = source.replace("，", r"\s*[，,；;、]?\s*").replace(" ", r"\s*")
    try:
        return DeferredPattern.checked(source)
    except re.error as exc:
        raise ctx.error(where, f"模式不是有效的正则表达式：{exc}") from None


def _relation(ctx, where, item, fields: dict):
    """"a = b + c", or {check: "a = b + c", says: the sentence a finding gives}."""
    says = None
    if isinstance(item, dict) and set(item) <= {"check", "says"} and "check" in item:
        text, says = item["check"], item.get("says")
    else:
        text = item
    if not isinstance(text, str) or (says is not None and not isinstance(says, str)):
        raise ctx.error(where, "关系应为字符串，或 {check: 关系, says: 说明}")
    share = SHARE.match(text)
    if share:
        stated, part, base = share.groups()
        for name in (stated, part, base):
            if "." not in name and name not in fields:
                raise ctx.error(where, f"关系中的 {name} 不在 fields 中")
        return (stated,), "%", (part, base), says
    match = RELATION.match(text)
    if not match:
        raise ctx.error(where, f"关系应写作 a = b + c、a <= b 或 率% = a / b：{text}")
    left, op, right = match.group(1), match.group(2), match.group(3)
    sides = [tuple(p.strip() for p in side.split("+")) for side in (left, right)]
    for name in sides[0] + sides[1]:
        if "." not in name and name not in fields:
            raise ctx.error(where, f"关系中的 {name} 不在 fields 中")
    return sides[0], op, sides[1], says
