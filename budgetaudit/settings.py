"""The settings file: ``budgetaudit.toml``, or ``[tool.budgetaudit]`` in ``pyproject.toml``.

Found from the folder of the first checked path upwards (the first folder
holding either file wins; a pyproject.toml without the table is passed over),
or named with ``--config``; ``--isolated`` ignores it. Keys::

    select = ["A", "B"]            # rule codes or prefixes
    ignore = ["H801"]
    fail-on = "警告"               # error|warning|info or 错误|警告|提示
    format = "html"                # terminal|json|jsonl|sarif|csv|html|xlsx
    lang = "zh"
    rules = ["本地规则.yaml"]      # extra rule files, relative to the settings file
    no-default-rules = false
    baseline = "已说明.yaml"       # accepted findings, relative to the settings file
    [per-path-ignores]             # (in pyproject: [tool.budgetaudit.per-path-ignores])
    "乡镇/*.pdf" = ["J903"]        # glob on the path relative to the settings file

A mistake is an InputError naming the file and the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from budgetaudit.model import InputError

FILE_NAME = "budgetaudit.toml"
SEVERITY_NAMES = {"error": "error", "warning": "warning", "info": "info",
                  "错误": "error", "警告": "warning", "提示": "info"}
FORMATS = ("terminal", "json", "jsonl", "sarif", "csv", "html", "xlsx")
_LIST_KEYS = ("select", "ignore", "rules")
_CHOICES = {"fail-on": tuple(SEVERITY_NAMES), "format": FORMATS, "lang": ("zh", "en")}
_KEYS = (*_LIST_KEYS, *_CHOICES, "no-default-rules", "baseline", "per-path-ignores")


@dataclass(frozen=True)
class Settings:
    """The options a settings file (budgetaudit.toml, pyproject.toml) gives."""

    path: Optional[Path] = None  # the file they came from; None: no settings file
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Optional[str] = None
    format: Optional[str] = None
    lang: Optional[str] = None
    rules: tuple[Path, ...] = ()
    no_default_rules: bool = False
    baseline: Optional[Path] = None
    per_path_ignores: dict = field(default_factory=dict)  # glob -> tuple of codes

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def severity_name(text: str) -> str:
    """"警告" or "warning" -> "warning"."""
    try:
        return SEVERITY_NAMES[text.strip().lower()]
    except KeyError:
        raise InputError(f"未知的级别：{text}（可选：错误、警告、提示 或 error、warning、info）") from None


def discover(paths: Sequence[Path]) -> Optional[Path]:
    """The settings file governing the first path, looking upwards from its folder."""
    if not paths:
        return None
    start = paths[0].resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / FILE_NAME).is_file():
            return candidate / FILE_NAME
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and re.search(r"^\s*\[tool\.budgetaudit[\].]",
                                             _read(pyproject), re.M):
            return pyproject
    return None


def load(path: Path) -> Settings:
    """Settings from ``path``, validated; an InputError names file and line."""
    text = _read(path)
    data = _parse(path, text)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("budgetaudit", {})
    if not isinstance(data, dict):
        raise _error(path, text, "budgetaudit", "[tool.budgetaudit] 应是一个表")
    for key in data:
        if key not in _KEYS:
            raise _error(path, text, key, f"未知的设置项 {key}（可用：{'、'.join(_KEYS)}）")
    return _settings(path, text, data)


def _settings(path: Path, text: str, data: dict) -> Settings:
    for key in _LIST_KEYS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _error(path, text, key, f"{key} 应是字符串列表，例如 [\"A\", \"B2\"]")
    for key, choices in _CHOICES.items():
        if key in data and data[key] not in choices:
            raise _error(path, text, key, f"{key} 的值 {data[key]!r} 无效（可选：{'、'.join(choices)}）")
    if not isinstance(data.get("no-default-rules", False), bool):
        raise _error(path, text, "no-default-rules", "no-default-rules 应是 true 或 false")
    if "baseline" in data and not isinstance(data["baseline"], str):
        raise _error(path, text, "baseline", "baseline 应是文件名（字符串）")
    folder = path.parent
    return Settings(
        path=path,
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        fail_on=severity_name(data["fail-on"]) if "fail-on" in data else None,
        format=data.get("format"),
        lang=data.get("lang"),
        rules=tuple(folder / p for p in data.get("rules", ())),
        no_default_rules=data.get("no-default-rules", False),
        baseline=folder / data["baseline"] if "baseline" in data else None,
        per_path_ignores=_per_path(path, text, data.get("per-path-ignores", {})),
    )


def _per_path(path: Path, text: str, table: object) -> dict:
    if not isinstance(table, dict):
        raise _error(path, text, "per-path-ignores", "per-path-ignores 应是一个表：\"路径模式\" = [\"规则\"]")
    for glob, codes in table.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise _error(path, text, glob, f"per-path-ignores 中 {glob} 的值应是规则编号列表")
    return {glob: tuple(c.strip().upper() for c in codes) for glob, codes in table.items()}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"找不到设置文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取设置文件 {path}：{exc}") from None


def _parse(path: Path, text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = found.group(1) if found else "?"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError(f"设置文件 {path} 第 {line} 行：TOML 格式错误：{reason}") from None


def _error(path: Path, text: str, key: str, message: str) -> InputError:
    """The error at the first line that sets ``key`` (1 when none does)."""
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=|^[ \t]*\[.*{re.escape(key)}", re.M)
    table = re.search(r"^\s*\[tool\.budgetaudit", text, re.M) if path.name == "pyproject.toml" else None
    found = pattern.search(text, table.start() if table else 0)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return InputError(f"设置文件 {path} 第 {line} 行：{message}")
