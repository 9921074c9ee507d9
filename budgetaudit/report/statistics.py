"""`check --statistics`: how often each rule fired across the run, with its title."""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Mapping, Sequence

from budgetaudit.model import DocumentResult, RuleMeta
from budgetaudit.report import SEVERITY_LABELS, SEVERITY_RANK

HEADERS = {"zh": ("规则", "级别", "次数", "文件数", "标题"),
           "en": ("rule", "severity", "count", "files", "title")}


def rule_counts(results: Sequence[DocumentResult]) -> list[tuple[str, str, int, int]]:
    """(rule, severity, findings, documents), most severe first, then most frequent."""
    findings, documents = Counter(), Counter()
    for result in results:
        seen = set()
        for finding in result.findings:
            key = (finding.rule, finding.severity)
            findings[key] += 1
            seen.add(key)
        documents.update(seen)
    rows = [(rule, severity, n, documents[(rule, severity)])
            for (rule, severity), n in findings.items()]
    return sorted(rows, key=lambda r: (SEVERITY_RANK[r[1]], -r[2], r[0]))


def render_statistics(results: Sequence[DocumentResult], rules: Mapping[str, RuleMeta],
                      lang: str = "zh") -> str:
    """An aligned plain-text table, one line per rule, and a total line."""
    rows = [HEADERS[lang]]
    for rule, severity, count, documents in rule_counts(results):
        meta = rules.get(rule)
        title = (meta.title_en if lang == "en" and meta and meta.title_en
                 else meta.title if meta else "")
        rows.append((rule, SEVERITY_LABELS[lang][severity], str(count), str(documents), title))
    widths = [max(width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [pad(row[0], widths[0]), pad(row[1], widths[1]),
                 pad(row[2], widths[2], right=True), pad(row[3], widths[3], right=True), row[4]]
        lines.append("  ".join(cells).rstrip())
    total = sum(r[2] for r in rule_counts(results))
    lines.append(f"共 {total} 个问题，{len(rows) - 1} 条规则" if lang == "zh"
                 else f"{total} findings, {len(rows) - 1} rules")
    return "\n".join(lines) + "\n"


def width(text: str) -> int:
    """Terminal cells: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int, right: bool = False) -> str:
    space = " " * (cells - width(text))
    return space + text if right else text + space
