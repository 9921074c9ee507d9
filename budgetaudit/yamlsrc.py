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
