"""YAML files written by users (rule sets, vocabularies), read within bounds.

A YAML alias may name a node that itself holds aliases ("billion laughs"),
or the node that contains it; walking such a tree naively takes exponential
time or never ends. Here the node tree is walked once, iteratively, counting
every node as often as aliases repeat it: past the rule_nodes limit, or past
MAX_DEPTH levels (which an alias inside its own anchor reaches), the file is refused with a one-line error that
names the file and line. The file itself is read as a regular file of at most
rule_kb kilobytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import yaml

from budgetaudit.model import InputError

# libyaml's parser is an order of magnitude faster than the pure-Python one,
# which matters because every check loads the rule set.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_DEPTH = 64  # levels of nesting; rule files use five


class YamlFileError(InputError):
    pass


def read_yaml_file(path: Path, what: str = "规则文件"):
    """(node tree, data, {path in the data: line}) of a YAML file, or a
    YamlFileError naming the file and line."""
    from budgetaudit.limits import current
    from budgetaudit.load.files import read_regular, shown

    try:
        raw = read_regular(Path(path), int(current().rule_kb * 1024), "rule_kb", what)
        text = raw.decode("utf-8-sig")
    except InputError as exc:
        raise YamlFileError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"无法读取{what} {shown(path)}：不是 UTF-8 编码（第 {exc.start} 字节）"
                            f" (not UTF-8)") from None
    return parse(text, shown(path), what)


def parse(text: str, name: str, what: str = "规则文件"):
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines = line_map(node, name, what) if node is not None else {}
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlFileError(f"{what} {name} 第 {line} 行：YAML 格式错误：{problem}") from None
    except RecursionError:
        raise YamlFileError(f"{what} {name}：嵌套过深 (nested too deeply)") from None
    finally:
        loader.dispose()
    return node, data, lines


def line_map(root: yaml.Node, name: str, what: str) -> dict:
    """Path (keys and indexes) -> 1-based line, walked without recursion and
    within the node limit."""
    from budgetaudit.limits import current

    limit = current().rule_nodes
    found: dict = {}
    count = 0
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        count += 1
        if count > limit:  # a billion laughs, or an alias inside its own anchor
            raise _error(name, what, node,
                         f"展开别名后节点超过 {limit} 个（别名层层引用或引用自身）"
                         f" (too many nodes after expanding aliases, or an alias refers to itself)")
        if len(path) > MAX_DEPTH:  # an alias inside its own anchor nests without end
            raise _error(name, what, node, f"嵌套超过 {MAX_DEPTH} 层（或别名引用了包含它自身的节点）"
                                           f" (nested too deeply, or an alias refers to itself)")
        found.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                key_path = path + (_key(key),)
                found.setdefault(key_path, key.start_mark.line + 1)
                stack.append((value, key_path))
        elif isinstance(node, yaml.SequenceNode):
            for index in range(len(node.value) - 1, -1, -1):
                stack.append((node.value[index], path + (index,)))
    return found


def _key(node: yaml.Node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else id(node)


def _error(name: str, what: str, node: Optional[yaml.Node], message: str) -> YamlFileError:
    line = node.start_mark.line + 1 if node is not None else 1
    return YamlFileError(f"{what} {name} 第 {line} 行：{message}")
