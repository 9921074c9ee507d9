"""Usage errors as one line, Chinese first, instead of a boxed usage text.

The command-line parser raises its own exceptions; this module reads their
attributes (no import of the parser here) and says what was wrong.
"""
from __future__ import annotations


def is_usage_error(error: BaseException) -> bool:
    """Is this the parser's UsageError (or a subclass)? By name, so that any
    version of the parser's exception classes is recognised."""
    return any(kind.__name__ == "UsageError" for kind in type(error).__mro__)


def usage_line(error, command: str = "budgetaudit") -> str:
    """One line for a usage error of the command-line parser; with no
    arguments at all, the help text."""
    if type(error).__name__ == "NoArgsIsHelpError" and getattr(error, "ctx", None):
        return error.ctx.get_help()
    english = error.format_message().replace("\n", " ")
    ctx = getattr(error, "ctx", None)
    if ctx is not None and getattr(ctx, "command_path", None):
        command = ctx.command_path
    zh = _chinese(error)
    return f"budgetaudit: {zh}；见 {command} --help (usage error: {english})"


def _chinese(error) -> str:
    kind = type(error).__name__
    if kind == "NoSuchOption":
        return f"没有选项 {error.option_name}"
    if kind == "MissingParameter":
        return f"缺少参数 {_hint(error)}".rstrip()
    param = getattr(error, "param", None)
    if kind == "BadParameter" and param is not None:
        return f"{_hint(error)} 的值无效：{_expected(param.type)}"
    if kind == "BadOptionUsage":
        return f"选项 {error.option_name} 用法有误"
    if kind == "BadArgumentUsage":
        return "参数用法有误"
    return "用法错误"


def _hint(error) -> str:
    param = getattr(error, "param", None)
    if param is not None and getattr(param, "opts", None):
        return "/".join(param.opts)
    if param is not None and getattr(param, "name", None):
        return param.name
    hint = getattr(error, "param_hint", None)
    return hint if isinstance(hint, str) else ""


def _expected(kind) -> str:
    choices = getattr(kind, "choices", None)
    if choices:
        return f"应为 {'、'.join(str(c) for c in choices)} 之一"
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    if low is not None and high is not None:
        return f"应在 {low} 与 {high} 之间"
    if low is not None:
        return f"应不小于 {low}"
    if high is not None:
        return f"应不大于 {high}"
    name = getattr(kind, "name", "")
    return {"integer": "应为整数", "float": "应为数字", "boolean": "应为 true 或 false"}.get(
        name, "格式不对")
