"""Resource limits: how much of the machine one input may take.

Every limit has a default that real disclosures stay far below and can be
raised with an environment variable ``BUDGETAUDIT_LIMIT_<NAME>`` (e.g.
``BUDGETAUDIT_LIMIT_PAGE_SECONDS=60``) or ``check --limit NAME=VALUE``; the
option writes the variable, so worker processes of a batch inherit it.
Reaching a limit is a LimitError: a one-line InputError for that file, and
a batch goes on with the next one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

from budgetaudit.model import InputError

ENV_PREFIX = "BUDGETAUDIT_LIMIT_"
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The resource limits in force."""

    document_seconds: float = 300.0  # wall time for one document, all stages
    page_seconds: float = 10.0  # wall time for one PDF page
    file_mb: float = 64.0  # size of an input file
    stream_mb: float = 64.0  # decompressed PDF streams, all of a document together
    operators: int = 5_000_000  # content-stream operators of a document
    xobject_depth: int = 12  # form XObjects drawn inside each other
    xobjects: int = 10_000  # XObjects drawn in a document (fan-out)
    cmap_codes: int = 500_000  # codes mapped by the ranges of a document's font CMaps
    grid_cells: int = 50_000  # cells of one ruled table grid
    line_chars: int = 100_000  # characters of one text line
    rule_kb: float = 1024.0  # size of a rule file
    rule_nodes: int = 200_000  # YAML nodes of a rule file, aliases expanded
    expression_terms: int = 200  # terms and nesting of one rule expression


# What each limit is called in messages (Chinese, English).
DESCRIPTIONS = {
    "document_seconds": ("单个文件处理时间（秒）", "seconds per document"),
    "page_seconds": ("单页处理时间（秒）", "seconds per PDF page"),
    "file_mb": ("输入文件大小（MB）", "input file size in MB"),
    "stream_mb": ("PDF 解压后数据量（MB）", "decompressed PDF data in MB"),
    "operators": ("PDF 绘制指令数", "PDF content operators"),
    "xobject_depth": ("PDF 表单对象嵌套层数", "nesting of PDF form XObjects"),
    "xobjects": ("PDF 表单对象绘制次数", "PDF form XObjects drawn"),
    "cmap_codes": ("PDF 字体编码映射（CMap）的码位数", "codes mapped by PDF font CMaps"),
    "grid_cells": ("单个表格网格的单元格数", "cells of one ruled grid"),
    "line_chars": ("单行字符数", "characters per line"),
    "rule_kb": ("规则文件大小（KB）", "rule file size in KB"),
    "rule_nodes": ("规则文件展开后的节点数", "rule file nodes after alias expansion"),
    "expression_terms": ("规则表达式的项数与嵌套层数", "terms and nesting of a rule expression"),
}
NAMES = tuple(f.name for f in fields(Limits))


class LimitError(InputError):
    """An input went past one of the limits."""


def exceeded(path: object, name: str, page: int | None = None) -> LimitError:
    """The one-line error for `path` going past limit `name`."""
    from budgetaudit.paths import shown

    value = getattr(current(), name)
    zh, en = DESCRIPTIONS[name]
    where = f"第 {page} 页" if page else ""
    flag = f"BUDGETAUDIT_LIMIT_{name.upper()}"
    return LimitError(
        f"{where}超出限制：{zh}上限 {value:g}：{shown(path)}"
        f"（可用 --limit {name}=… 或环境变量 {flag} 调高）"
        f" (limit reached: {en} {value:g})"
    )


def current() -> Limits:
    """The limits in force: defaults, raised or lowered by the environment."""
    values = {}
    for name in NAMES:
        raw = os.environ.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = parse_value(name, raw)
    return Limits(**values)


def parse_value(name: str, raw: str):
    """The value of limit `name` from text; ValueError with a Chinese reason."""
    kind = type(getattr(Limits(), name))
    try:
        value = kind(float(raw)) if kind is int else kind(raw)
    except ValueError:
        raise ValueError(f"限制 {name} 的值应为数字，而不是 {raw!r}") from None
    if not value > 0:
        raise ValueError(f"限制 {name} 的值应大于 0，而不是 {raw!r}")
    return value


def apply_options(options: list[str]) -> None:
    """Check `NAME=VALUE` options and put them into the environment."""
    for option in options:
        name, sep, raw = option.partition("=")
        name = name.strip().lower().replace("-", "_")
        if not sep or name not in NAMES:
            known = "、".join(NAMES)
            raise ValueError(f"--limit 应写作 名称=数值，名称为 {known} 之一，而不是 {option!r}")
        parse_value(name, raw.strip())
        os.environ[ENV_PREFIX + name.upper()] = raw.strip()


def validate_environment() -> None:
    """A malformed BUDGETAUDIT_LIMIT_* variable is a usage error, said once."""
    for key, raw in os.environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX):].lower()
            if name not in NAMES:
                raise ValueError(f"未知的环境变量 {key}；可用的限制：{'、'.join(NAMES)}")
            parse_value(name, raw)
