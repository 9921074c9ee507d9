"""Accepted findings (a baseline) and per-path ignores.

A baseline entry names a rule, a document and the numbers the finding is
about (from its message, expected and actual; line and page numbers left
out), so that an edit elsewhere in the document does not invalidate it. Each
entry hides one finding; an entry whose document was checked but that hid
nothing is stale and reported.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from budgetaudit.model import DocumentResult, Finding, InputError

VERSION = 1
_PLACE = re.compile(r"第\s*\d+\s*[行页]")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
HEADER = """\
# 已说明的问题（基线）。budgetaudit check … --baseline 本文件 时，这里列出的问题不再报告。
# 每条按规则、文件和所涉数字匹配，与行号无关：文件别处的修改不影响它。
# 请在 reason 中写明理由（例如“四舍五入所致，已在附注说明”）。
"""


@dataclass(frozen=True)
class Entry:
    """One accepted finding of a baseline file: its rule, document and numbers."""

    rule: str
    document: str  # as written in the file
    numbers: tuple[str, ...]
    reason: str = ""
    message: str = ""
    line: int = 0  # where the entry starts in the baseline file

    def key(self, folder: Path) -> tuple:
        return (self.rule, _resolved(folder, self.document), self.numbers)


@dataclass(frozen=True)
class Applied:
    """Results with the baseline's findings removed, how many, and the entries that matched nothing."""

    results: list[DocumentResult]
    hidden: int
    stale: list[Entry]


def numbers_of(finding: Finding) -> tuple[str, ...]:
    """The numbers a finding is about, sorted; places (第 N 行/页) excluded."""
    found = _NUMBER.findall(_PLACE.sub("", finding.message))
    found += [str(v) for v in (finding.expected, finding.actual) if v is not None]
    return tuple(sorted(found))


def finding_key(path: str, finding: Finding) -> tuple:
    return (finding.rule, _resolved(Path.cwd(), path), numbers_of(finding))


def _resolved(folder: Path, document: str) -> str:
    return os.path.normcase(os.path.abspath(folder / document))


def load(path: Path) -> list[Entry]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except FileNotFoundError:
        raise InputError(f"找不到基线文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取基线文件 {path}：{exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise InputError(f"基线文件 {path} 第 {line} 行：YAML 格式错误："
                         f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("accepted", []), list):
        raise InputError(f"基线文件 {path} 第 1 行：应有 accepted: 列表（用 --write-baseline 生成）")
    lines = _item_lines(node)
    return [_entry(path, item, line) for item, line in zip(data.get("accepted") or [], lines)]


def _item_lines(node) -> list[int]:
    for key, value in getattr(node, "value", []):
        if getattr(key, "value", None) == "accepted":
            return [item.start_mark.line + 1 for item in getattr(value, "value", [])]
    return []


def _entry(path: Path, item: object, line: int) -> Entry:
    if not isinstance(item, dict) or not isinstance(item.get("rule"), str) \
            or not isinstance(item.get("document"), str):
        raise InputError(f"基线文件 {path} 第 {line} 行：每条应有 rule 和 document")
    numbers = item.get("numbers") or []
    if isinstance(numbers, str):
        numbers = numbers.split()
    if not isinstance(numbers, list):
        raise InputError(f"基线文件 {path} 第 {line} 行：numbers 应是以空格分隔的数字")
    return Entry(rule=item["rule"], document=item["document"],
                 numbers=tuple(sorted(str(n) for n in numbers)),
                 reason=str(item.get("reason") or ""), message=str(item.get("message") or ""),
                 line=line)


def apply(results: Sequence[DocumentResult], entries: Sequence[Entry], folder: Path) -> Applied:
    """Results without the accepted findings; the entries that hid nothing."""
    wanted = Counter(entry.key(folder) for entry in entries)
    kept_results, hidden = [], 0
    for result in results:
        kept = []
        for finding in result.findings:
            key = finding_key(result.path, finding)
            if wanted[key] > 0:
                wanted[key] -= 1
                hidden += 1
            else:
                kept.append(finding)
        kept_results.append(replace(result, findings=tuple(kept)))
    checked = {_resolved(Path.cwd(), r.path) for r in results}
    stale = []
    for entry in entries:
        key = entry.key(folder)
        if key[1] in checked and wanted[key] > 0:
            wanted[key] -= 1
            stale.append(entry)
    return Applied(kept_results, hidden, stale)


def write(path: Path, results: Iterable[DocumentResult], previous: Sequence[Entry] = ()) -> int:
    """Write every finding as an entry (reasons of matching old entries kept); the count."""
    import yaml

    folder = path.resolve().parent
    reasons = {entry.key(folder): entry.reason for entry in previous if entry.reason}
    accepted = []
    for result in results:
        for finding in result.findings:
            key = finding_key(result.path, finding)
            accepted.append({"rule": finding.rule, "document": _relative(result.path, folder),
                             "numbers": " ".join(key[2]), "message": finding.message,
                             "reason": reasons.get(key, "")})
    body = yaml.safe_dump({"version": VERSION, "accepted": accepted}, allow_unicode=True,
                          sort_keys=False, width=100)
    try:
        path.write_text(HEADER + body, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"无法写入 {path}：{exc.strerror}") from None
    return len(accepted)


def _relative(document: str, folder: Path) -> str:
    """The document's path from the baseline's folder, with forward slashes."""
    try:
        return Path(os.path.relpath(Path(document).resolve(), folder)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(document).resolve().as_posix()


def ignore_by_path(results: Sequence[DocumentResult], patterns: Mapping[str, Sequence[str]],
                   folder: Path) -> list[DocumentResult]:
    """Drop the findings a per-path-ignores pattern switches off for that file."""
    if not patterns:
        return list(results)
    kept = []
    for result in results:
        codes = _codes_for(result.path, patterns, folder)
        findings = tuple(f for f in result.findings
                         if not any(f.rule.startswith(code) for code in codes))
        kept.append(replace(result, findings=findings))
    return kept


def _codes_for(path: str, patterns: Mapping[str, Sequence[str]], folder: Path) -> list[str]:
    relative = _relative(path, folder.resolve())
    name = Path(path).name
    return [code for glob, codes in patterns.items()
            if fnmatch(relative, glob) or fnmatch(name, glob) for code in codes]


def stale_lines(path: Path, stale: Sequence[Entry]) -> list[str]:
    """One line per stale entry, for stderr."""
    head = f"基线 {path} 中有 {len(stale)} 条已不再出现，可删除："
    return [head] + [f"  第 {e.line} 行 {e.rule} {e.document}：{e.message or ' '.join(e.numbers)}"
                     for e in stale]

