"""YAML files a user may edit (rule sets, vocabularies), read with line numbers.

Every problem in such a file becomes one InputError naming the file and the
line, so a broken file never silently does nothing and never shows a
traceback. yaml is imported only when a file is actually parsed (compiled
rule files come from the cache without it).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetaudit.model import InputError


def parse_yaml(text: str):
    """The node tree (for line numbers) and the data, from one parse."""
    import yaml

    # libyaml's parser is an order of magnitude faster than the pure-Python one
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def node_lines(node, path=()) -> dict:
    """Path (keys and indexes) -> 1-based line, for error messages."""
    import yaml

    found = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found[path + (key.value,)] = key.start_mark.line + 1
            found.update({k: v for k, v in node_lines(value, path + (key.value,)).items()
                          if k != path + (key.value,)})
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(node_lines(item, path + (i,)))
    return found


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
    in messages ("规则文件", "词汇文件")."""
    import yaml

    try:
        node, data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error_class(f"{what} {path} 第 {line} 行：YAML 格式错误：{problem}") from None
    return data, SourceContext(Path(path), node_lines(node) if node is not None else {},
                               what, error_class)


def read_yaml(path: Path, what: str, error_class=InputError) -> tuple[Any, SourceContext]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error_class(f"无法读取{what} {path}：{exc}") from None
    return parse_source(text, path, what, error_class)
