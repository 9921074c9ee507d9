"""YAML files a user may edit (rule sets, vocabularies), read with line numbers.

Every problem in such a file becomes one InputError naming the file and the
line, so a broken file never silently does nothing and never shows a
traceback. yaml is imported only when a file is actually parsed (compiled
rule files come from the cache without it); parsing is bounded (safeyaml).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetaudit.model import InputError


class SourceContext:
    """Where the parts of one YAML file stand, to name them in errors."""

    def __init__(self, path: Path, lines: dict, what: str, error_class=InputError):
        self.path, self.lines, self.what, self.error_class = path, lines, what, error_class

    def error(self, where: tuple, message: str) -> InputError:
        line = None
        while line is None and where is not None:
            line = self.lines.get(where)
            where = where[:-1] if where else None
        return self.error_class(f"{self.what} {self.path} 第 {line or 1} 行：{message}")


def parse_source(text: str, path: Path, what: str, error_class=InputError) -> tuple[Any, SourceContext]:
    """The data of a YAML text and its context; `what` names the kind of file
    in messages ("规则文件", "词汇文件"). Aliases are expanded within bounds
    (budgetaudit.safeyaml): a "billion laughs" file is refused, not expanded."""
    from budgetaudit.paths import shown
    from budgetaudit.safeyaml import YamlFileError, parse

    try:
        _, data, lines = parse(text, shown(path), what)
    except YamlFileError as exc:
        raise error_class(str(exc)) from None
    return data, SourceContext(Path(path), lines, what, error_class)


def read_yaml(path: Path, what: str, error_class=InputError) -> tuple[Any, SourceContext]:
    """A YAML file (a regular file of bounded size), parsed within bounds."""
    from budgetaudit.paths import shown
    from budgetaudit.safeyaml import YamlFileError, read_yaml_file

    try:
        _, data, lines = read_yaml_file(Path(path), what)
    except YamlFileError as exc:
        raise error_class(str(exc)) from None
    return data, SourceContext(Path(shown(path)), lines, what, error_class)


def read_bytes(path: Path, what: str, error_class=InputError) -> bytes:
    """The content of a YAML file a user may edit: a regular file of bounded
    size (never a FIFO, a device or /dev/zero)."""
    from budgetaudit.limits import current
    from budgetaudit.load.files import read_regular

    try:
        return read_regular(Path(path), int(current().rule_kb * 1024), "rule_kb", what)
    except error_class:
        raise
    except InputError as exc:
        raise error_class(str(exc)) from None


def parse_bytes(content: bytes, path: Path, what: str, error_class=InputError) -> tuple[Any, SourceContext]:
    """read_bytes' content decoded (UTF-8, with or without BOM) and parsed."""
    from budgetaudit.paths import shown

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error_class(f"无法读取{what} {shown(path)}：不是 UTF-8 编码（第 {exc.start} 字节）"
                          f" (not UTF-8)") from None
    data, ctx = parse_source(text, Path(path), what, error_class)
    return data, SourceContext(Path(shown(path)), ctx.lines, what, error_class)


def compiled_yaml(path: Path, kind: str, what: str, error_class, build, valid):
    """``build(data, ctx)`` of a YAML file a user may edit, validated, from the
    compiled cache (budgetaudit.cache) when the file is unchanged: a cached
    run neither imports yaml nor parses the file."""
    from budgetaudit.cache import cached

    content = read_bytes(path, what, error_class)
    return cached(kind, Path(path), content,
                  lambda: build(*parse_bytes(content, path, what, error_class)), valid)
