"""Report stage: turn a run's results into output.

Every reporter is ``render(results, rules, options) -> str`` (json, sarif, csv),
except the terminal one, ``render_terminal(results, rules, options, console)``,
which writes styled lines to a report.styled.LineConsole (rich only for tables
and the progress bar). Reporters never re-read documents: everything they show
comes from ``DocumentResult`` / ``Finding`` / ``RuleMeta``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Optional, Sequence

from budgetaudit.model import (
    SEVERITIES,
    DocumentResult,
    Finding,
    InputError,
    RuleMeta,
)

FORMATS = ("terminal", "json", "jsonl", "sarif", "csv", "html", "xlsx")
BINARY_FORMATS = ("xlsx",)  # written to a file only
LANGS = ("zh", "en")

PASS, FAIL, UNREADABLE = "pass", "fail", "unreadable"
VERDICT_LABELS = {
    "zh": {PASS: "通过", FAIL: "未通过", UNREADABLE: "无法读取"},
    "en": {PASS: "passed", FAIL: "failed", UNREADABLE: "unreadable"},
}
SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
# Lower rank = more severe; "at or above fail_on" compares ranks.
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class ReportOptions:
    """How a report is written: language, quiet, the level that fails a file."""

    lang: str = "zh"  # "zh" | "en"
    quiet: bool = False
    fail_on: str = "error"  # "error" | "warning" | "info"
    total_seconds: float = 0.0
    incomplete: bool = False  # the batch was interrupted: only the files done are reported

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {self.lang!r}")
        if self.fail_on not in SEVERITIES:
            raise ValueError(f"fail_on must be one of {SEVERITIES}, not {self.fail_on!r}")


@dataclass(frozen=True)
class RunSummary:
    """Counts over a whole run, shared by every reporter's summary."""

    documents: int
    passed: int
    failed: int
    unreadable: int
    error: int
    warning: int
    info: int
    seconds: float


def get_reporter(fmt: str) -> Callable[..., object]:
    """The render function for ``fmt`` (one of FORMATS).

    terminal -> render_terminal(results, rules, options, console) -> None;
    json / sarif / csv / html -> render(results, rules, options) -> str;
    xlsx -> render(results, rules, options) -> bytes. jsonl has no whole
    render: report.stream.LinesSink writes it a line at a time.
    """
    if fmt == "terminal":
        from budgetaudit.report.terminal import render_terminal

        return render_terminal
    if fmt not in FORMATS:
        raise InputError(f"未知的输出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    return importlib.import_module(f"budgetaudit.report.{fmt}").render


def at_or_above(severity: str, level: str) -> bool:
    """True when ``severity`` is as severe as ``level`` or more."""
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[level]


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n}``, every key present."""
    counts = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in document order (stable for equal positions)."""
    return sorted(findings, key=lambda finding: finding.sort_key)


def failing_findings(result: DocumentResult, fail_on: str) -> list[Finding]:
    return [f for f in result.findings if at_or_above(f.severity, fail_on)]


def verdict(result: DocumentResult, fail_on: str = "error") -> str:
    """PASS, FAIL (a finding at or above ``fail_on``) or UNREADABLE."""
    if result.error is not None:
        return UNREADABLE
    return FAIL if failing_findings(result, fail_on) else PASS


def verdict_label(value: str, lang: str = "zh") -> str:
    """通过 / 未通过 / 无法读取 (or the English words)."""
    return VERDICT_LABELS[lang][value]


def summarize(results: Sequence[DocumentResult], options: ReportOptions) -> RunSummary:
    verdicts = [verdict(result, options.fail_on) for result in results]
    counts = count_by_severity(f for result in results for f in result.findings)
    return RunSummary(
        documents=len(results),
        passed=verdicts.count(PASS),
        failed=verdicts.count(FAIL),
        unreadable=verdicts.count(UNREADABLE),
        error=counts["error"],
        warning=counts["warning"],
        info=counts["info"],
        seconds=options.total_seconds,
    )


def message_text(finding: Finding, lang: str = "zh") -> str:
    """The message in ``lang``, falling back to Chinese."""
    if lang == "en" and finding.message_en:
        return finding.message_en
    return finding.message


def rule_title(finding: Finding, rules: Mapping[str, RuleMeta], lang: str = "zh") -> Optional[str]:
    """The rule's title: the finding's own, else the rule set's, else None."""
    meta = rules.get(finding.rule)
    if lang == "en" and meta is not None and meta.title_en:
        return meta.title_en
    if finding.title:
        return finding.title
    return meta.title if meta is not None else None


def decimal_text(value: Optional[Decimal]) -> Optional[str]:
    """``str(Decimal)`` keeps the printed precision; None stays None."""
    return None if value is None else str(value)
