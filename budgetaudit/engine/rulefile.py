"""Rule files: YAML a finance officer can read, validated before use.

Every mistake in a rule file (an unknown key, a bad expression, a table or
column that does not exist, a duplicated code) is a RuleFileError naming the
file and line, so a broken rule never silently checks nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from budgetaudit.engine import expr
from budgetaudit.engine.checks import REGISTRY
from budgetaudit.engine.resolve import LEVELS, FactIndex, Selector, known_columns, spec_named
from budgetaudit.model import InputError, RuleMeta, SEVERITIES
from budgetaudit.extract.specs import vocabulary_fingerprint
from budgetaudit.yamlsrc import SourceContext, parse_source

SIDE_WORDS = ("收入", "支出")
RULE_KEYS = {"code", "title", "title_en", "severity", "description", "examples", "enabled",
             "equation", "check", "params", "kinds"}
DOCUMENT_KINDS = ("预算", "决算")
TOP_KEYS = {"version", "rules"}
CODE = re.compile(r"^[A-Z]{1,3}\d{2,4}$")


class RuleFileError(InputError):
    pass


_SPACE_NEAR_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def unwrap(text: str) -> str:
    """Chinese prose folded over several YAML lines, without the joining spaces."""
    return _SPACE_NEAR_CJK.sub("", text)


@dataclass(frozen=True)
class Rule:
    """One rule of a rule file, compiled: its description and what it checks."""

    code: str
    title: str
    severity: str
    description: str
    example_pass: str
    example_fail: str
    source: str  # "file:line"
    title_en: str = ""
    equation: Optional[Any] = None  # a parsed expr.Relation
    equation_text: str = ""
    check: Optional[str] = None
    params: dict = field(default_factory=dict)
    enabled: bool = True
    kinds: tuple[str, ...] = ()  # the document kinds it applies to; () = every kind

    def applies_to(self, kind: Optional[str]) -> bool:
        """A rule for some kinds only checks documents known to be of them."""
        return not self.kinds or kind in self.kinds

    @property
    def meta(self) -> RuleMeta:
        return RuleMeta(self.code, self.title, self.severity, self.description,
                        self.title_en, self.example_pass, self.example_fail)


class _Context(SourceContext):
    def __init__(self, path: Path, lines: dict):
        super().__init__(path, lines, "规则文件", RuleFileError)


def load_rule_file(path: Path) -> list[Rule]:
    """The rules of one file, validated; from the compiled cache when the file
    is unchanged since it was last validated."""
    from budgetaudit.cache import cached

    from budgetaudit.limits import current
    from budgetaudit.load.files import read_regular

    try:  # a regular file of bounded size: never a FIFO, a device or /dev/zero
        content = read_regular(Path(path), int(current().rule_kb * 1024), "rule_kb", "规则文件")
    except RuleFileError:
        raise
    except InputError as exc:
        raise RuleFileError(str(exc)) from None
    key = content + vocabulary_fingerprint()  # rules are validated against the vocabulary
    return cached("rules", Path(path), key, lambda: _compile(path, content),
                  lambda value: isinstance(value, list) and all(isinstance(r, Rule) for r in value))


def _compile(path: Path, content: bytes) -> list[Rule]:
    from budgetaudit.paths import shown

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"无法读取规则文件 {shown(path)}：不是 UTF-8 编码（第 {exc.start} 字节）"
                            f" (not UTF-8)") from None
    data, ctx = parse_source(text, Path(path), "规则文件", RuleFileError)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ctx.error((), "应包含 rules: 列表 (expected a top-level 'rules' list)")
    for key in data:
        if key not in TOP_KEYS:
            raise ctx.error((key,), f"未知的键 {key!r}（unknown key）")
    if data.get("version", 1) != 1:
        raise ctx.error(("version",), f"不支持的规则文件版本 {data['version']!r}，应为 1")
    return [_rule(ctx, i, entry) for i, entry in enumerate(data["rules"])]


def _text(ctx, where, entry: dict, key: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise ctx.error(where, f"缺少 {key}（missing '{key}'）")
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ctx.error(where + (key,), f"{key} 应为文字（'{key}' must be text）")
    return str(value).strip()


def _rule(ctx: _Context, index: int, entry: Any) -> Rule:
    where = ("rules", index)
    if not isinstance(entry, dict):
        raise ctx.error(where, "每条规则应为映射（each rule must be a mapping）")
    for key in entry:
        if key not in RULE_KEYS:
            raise ctx.error(where + (key,), f"未知的键 {key!r}（unknown key）")
    code = _text(ctx, where, entry, "code")
    if not CODE.match(code):
        raise ctx.error(where + ("code",), f"规则编号 {code!r} 格式不对，应如 A101（bad rule code）")
    severity = _text(ctx, where, entry, "severity")
    if severity not in SEVERITIES:
        raise ctx.error(where + ("severity",), f"severity 应为 {'/'.join(SEVERITIES)}")
    examples = entry.get("examples")
    if not isinstance(examples, dict) or set(examples) != {"pass", "fail"} or \
            not all(isinstance(v, str) and v.strip() for v in examples.values()):
        raise ctx.error(where + ("examples",), "examples 应含 pass 与 fail 两个非空的例子")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ctx.error(where + ("enabled",), "enabled 应为 true 或 false")
    if ("equation" in entry) == ("check" in entry):
        raise ctx.error(where, "每条规则须有 equation 或 check 之一（exactly one of equation/check）")
    rule = Rule(
        code=code,
        title=_text(ctx, where, entry, "title"),
        title_en=_text(ctx, where, entry, "title_en", required=False),
        severity=severity,
        description=unwrap(_text(ctx, where, entry, "description")),
        example_pass=str(examples["pass"]).strip(),
        example_fail=str(examples["fail"]).strip(),
        source=f"{ctx.path}:{ctx.lines.get(where, 1)}",
        enabled=enabled,
        kinds=_kinds(ctx, where, entry.get("kinds")),
    )
    if "equation" in entry:
        return _with_equation(ctx, where, rule, _text(ctx, where, entry, "equation"))
    return _with_check(ctx, where, rule, entry)


def _kinds(ctx, where, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value or any(v not in DOCUMENT_KINDS for v in value):
        raise ctx.error(where + ("kinds",), f"kinds 应为 {'、'.join(DOCUMENT_KINDS)} 的列表，"
                                            f"如 [决算]（kinds must list 预算 and/or 决算）")
    return tuple(value)


def _with_equation(ctx, where, rule: Rule, text: str) -> Rule:
    try:
        relation = expr.parse(text)
    except expr.ExprError as exc:
        raise ctx.error(where + ("equation",), f"表达式错误：{exc}") from None
    if not isinstance(relation, expr.Relation):
        raise ctx.error(where + ("equation",), "equation 须是等式或不等式（needs = or >=）")
    for ref in expr.refs(relation):
        _validate_ref(ctx, where + ("equation",), ref.table, ref.row, ref.column)
    return Rule(**{**rule.__dict__, "equation": relation, "equation_text": text})


def _validate_ref(ctx, where, table: str, row: str, column: Optional[str]) -> None:
    spec = spec_named(table)
    if spec is None:
        raise ctx.error(where, f"未知的表 {table!r}（unknown table）")
    selector = Selector.parse(row)
    side = selector.side
    if side and spec.layout != "two_sided":
        raise ctx.error(where, f"{spec.name} 不是两栏表，不能用“收入:”“支出:”")
    if selector.pattern is not None:
        try:
            re.compile(selector.pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise ctx.error(where, f"项目名称的正则表达式有误：{exc}（pattern {selector.pattern!r}）") from None
    if column is not None:
        try:
            FactIndex.column(spec, side, column)
        except expr.ExprError:
            names = "、".join(sorted(known_columns(spec)))
            raise ctx.error(where, f"{spec.name} 没有列 {column!r}，可用：{names}") from None


def _with_check(ctx, where, rule: Rule, entry: dict) -> Rule:
    name = _text(ctx, where, entry, "check")
    check = REGISTRY.get(name)
    if check is None:
        raise ctx.error(where + ("check",), f"未知的检查 {name!r}，可用：{'、'.join(sorted(REGISTRY))}")
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        raise ctx.error(where + ("params",), "params 应为映射（params must be a mapping）")
    for key in params:
        if key not in check.required + check.optional + ("side",):
            raise ctx.error(where + ("params", key), f"检查 {name} 不接受参数 {key!r}")
    for key in check.required:
        if key not in params:
            raise ctx.error(where + ("params",), f"检查 {name} 缺少参数 {key!r}")
    _validate_params(ctx, where + ("params",), params)
    return Rule(**{**rule.__dict__, "check": name, "params": params})


def _strings(ctx, where, value, what: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ctx.error(where, f"{what} 应为非空的文字列表（must be a list of names）")
    return value


def _side(ctx, where, value) -> str:
    if value is None:
        return ""
    if value not in SIDE_WORDS:
        raise ctx.error(where, f"side 应为 收入 或 支出，而不是 {value!r}")
    return value


def _validate_params(ctx, where, params: dict) -> None:
    side = _side(ctx, where + ("side",), params.get("side"))
    if "tables" in params:
        for name in _strings(ctx, where + ("tables",), params["tables"], "tables"):
            if spec_named(name) is None:
                raise ctx.error(where + ("tables",), f"未知的表 {name!r}（unknown table）")
            columns = [params["total"]] if "total" in params else []
            if "parts" in params:
                columns += _strings(ctx, where + ("parts",), params["parts"], "parts")
            for column in columns:
                if not isinstance(column, str):
                    raise ctx.error(where + ("total",), "total 应为列名（a column name）")
                _validate_ref(ctx, where, name, f"{side}:", column)
    for key in ("left", "right"):
        if key in params:
            _validate_side(ctx, where + (key,), params[key], key)
    if "op" in params and params["op"] not in expr_ops():
        raise ctx.error(where + ("op",), f"op 应为 {'、'.join(expr_ops())} 之一")
    if "levels" in params:
        for level in _strings(ctx, where + ("levels",), params["levels"], "levels"):
            if level not in LEVELS:
                raise ctx.error(where + ("levels",), f"levels 只能是 类、款、项，而不是 {level!r}")
    for key in ("others", "by_name"):
        if key in params and not isinstance(params[key], bool):
            raise ctx.error(where + (key,), f"{key} 应为 true 或 false")
    for key in ("basis", "exclude_basis"):
        if key in params:
            _strings(ctx, where + (key,), params[key], key)


def _validate_side(ctx, where, value, key: str) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("table"), str):
        raise ctx.error(where, f"{key} 应为含 table（表名）的映射")
    for extra in value:
        if extra not in ("table", "columns", "side"):
            raise ctx.error(where + (extra,), f"{key} 中未知的键 {extra!r}")
    if spec_named(value["table"]) is None:
        raise ctx.error(where + ("table",), f"未知的表 {value['table']!r}（unknown table）")
    side = _side(ctx, where + ("side",), value.get("side"))
    if "columns" in value:
        for column in _strings(ctx, where + ("columns",), value["columns"], "columns"):
            _validate_ref(ctx, where, value["table"], f"{side}:", column)


def expr_ops() -> tuple[str, ...]:
    from budgetaudit.engine.interval import OPS

    return OPS
