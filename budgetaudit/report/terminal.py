"""Terminal report.

A document's report is a list of styled lines (report.styled), written by a
LineConsole without importing rich; rich draws what needs more than lines: the
summary table of a batch, the rule list, and the progress bar
(report/progress.py). Text reaches rich as ``Text`` objects, never as markup
strings, so brackets in messages or paths are printed as they are.
"""
from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Mapping, Optional, Sequence

from budgetaudit.report.styled import LineConsole, Styled

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

from budgetaudit.model import DocumentResult, Finding, Location, RuleMeta
from budgetaudit.report import (
    FAIL,
    SEVERITY_LABELS,
    UNREADABLE,
    ReportOptions,
    RunSummary,
    at_or_above,
    count_by_severity,
    message_text,
    sort_findings,
    verdict,
)

MAX_LOCATIONS_SHOWN = 4  # the JSON report lists them all
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim"}
LABELS = {
    "zh": {
        "pass": "通过",
        "kind": " [{}]",
        "note": "（{}）",
        "unreadable": "无法读取：{}",
        "narrative": "情况说明/正文",
        "line": "第 {} 行",
        "page": "第 {} 页",
        "expected": "应为 {}",
        "actual": "实为 {}",
        "and": "，",
        "counts": ("{} 个错误", "{} 个警告", "{} 个提示"),
        "summary": "汇总",
        "columns": ("文件数", "通过", "未通过", "无法读取", "错误", "警告", "提示", "用时"),
        "seconds": "{:.2f} 秒",
        "progress": "检查",
        "slow": "（已 {:.0f} 秒）",
        "more": "…另有 {} 处（完整列表见 --format html 或 xlsx）",
        "quote": "原文：{}",
    },
    "en": {
        "pass": "passed",
        "kind": " [{}]",
        "note": " ({})",
        "unreadable": "unreadable: {}",
        "narrative": "Narrative / text",
        "line": "line {}",
        "more": "… {} more places (see --format html or xlsx)",
        "quote": "quote: {}",
        "page": "page {}",
        "expected": "expected {}",
        "actual": "actual {}",
        "and": ", ",
        "counts": ("{} error{s}", "{} warning{s}", "{} info"),
        "summary": "Summary",
        "columns": ("Files", "Passed", "Failed", "Unreadable", "Errors", "Warnings", "Info", "Time"),
        "seconds": "{:.2f} s",
        "progress": "Checking",
        "slow": "({:.0f} s so far)",
    },
}
FINDING_INDENT = 4
DETAIL_INDENT = 9
# Marks and their stand-ins for a console whose encoding lacks them (GBK, cp936).
GLYPHS = {"pass": "✔", "fail": "✘", "sep": "›"}
PLAIN_GLYPHS = {"pass": "√", "fail": "×", "sep": ">"}


def glyphs_for(encoding: Optional[str]) -> Mapping[str, str]:
    """GLYPHS when ``encoding`` can write them all, else PLAIN_GLYPHS."""
    try:
        "".join(GLYPHS.values()).encode(encoding or "utf-8")
        return GLYPHS
    except (UnicodeEncodeError, LookupError):
        return PLAIN_GLYPHS


def render_terminal(
    results: Sequence[DocumentResult],
    rules: Mapping[str, RuleMeta],
    options: ReportOptions,
    console: LineConsole,
    table_titles: Optional[Mapping[str, str]] = None,
) -> None:
    """Print a verdict and the findings for every document, then a summary."""
    from budgetaudit.report.stream import TerminalSink

    sink = TerminalSink(console, rules, options, table_titles or {})
    for result in results:
        sink.document(result)
    sink.close(results, options, len(results))


def print_document(
    console: LineConsole, result: DocumentResult, options: ReportOptions, titles: Mapping[str, str]
) -> bool:
    """Verdict line, then findings under table headings; True if a blank line ended it.

    The document is printed with one call: every print asks the console for
    its size and terminal state, which cost more than the text itself."""
    glyphs = glyphs_for(console.encoding)
    width = console.width
    parts: list = [verdict_line(result, options, glyphs)]
    findings = shown_findings(result, options)
    for place, group in groupby(findings, key=group_of):
        heading = titles.get(place, place) if place else LABELS[options.lang]["narrative"]
        parts.extend(wrapped(Styled(heading, "bold"), 2, width))
        for finding in group:
            parts.extend(finding_parts(finding, options.lang, titles, width, glyphs))
    if findings:
        parts.append(Styled())
    console.print(*parts)
    return bool(findings)


def shown_findings(result: DocumentResult, options: ReportOptions) -> list[Finding]:
    """Document order, grouped by table or section; quiet keeps only failing severities."""
    findings = sort_findings(result.findings)
    if options.quiet:
        findings = [f for f in findings if at_or_above(f.severity, options.fail_on)]
    order: dict[Optional[str], int] = {}
    for finding in findings:
        order.setdefault(group_of(finding), len(order))
    return sorted(findings, key=lambda f: order[group_of(f)])


def group_of(finding: Finding) -> Optional[str]:
    """The table a finding is about, else the narrative section it stands in."""
    if not finding.locations:
        return None
    first = finding.locations[0]
    return first.table or first.section


def verdict_line(result: DocumentResult, options: ReportOptions,
                 glyphs: Mapping[str, str] = GLYPHS) -> Styled:
    """"✘ path [预算]  2 个错误，1 个警告": one line per document, never broken
    (a terminal folds it; `grep ✘` finds every failed file with its path whole)."""
    line = _verdict_spans(result, options, glyphs)
    line.wrap = False
    return line


def _verdict_spans(result: DocumentResult, options: ReportOptions,
                   glyphs: Mapping[str, str]) -> Styled:
    labels = LABELS[options.lang]
    value = verdict(result, options.fail_on)
    path = (result.path, "bold")
    if value == UNREADABLE:
        reason = labels["unreadable"].format(result.error)
        return Styled.assemble(("! ", "bold red"), path, "  ", (reason, "red"))
    counts = count_by_severity(result.findings)
    kind = result.info.kind if result.info else None
    tag = (labels["kind"].format(KIND_WORDS[options.lang][kind]), "dim") if kind else ""
    if value == FAIL:
        failed = counts_text(counts, options.lang)
        return Styled.assemble((f"{glyphs['fail']} ", "bold red"), path, tag, "  ", (failed, "red"))
    line = Styled.assemble((f"{glyphs['pass']} ", "bold green"), path, tag, "  ",
                         (labels["pass"], "green"))
    if result.findings:
        note = labels["note"].format(counts_text(counts, options.lang, all_kinds=False))
        line.append(note, "dim")
    return line


KIND_WORDS = {"zh": {"预算": "预算", "决算": "决算"},
              "en": {"预算": "budget", "决算": "final accounts"}}


def counts_text(counts: Mapping[str, int], lang: str, all_kinds: bool = True) -> str:
    """"2 个错误，1 个警告" always; info and zero counts only when relevant."""
    labels = LABELS[lang]
    parts = []
    for template, severity in zip(labels["counts"], ("error", "warning", "info")):
        always = all_kinds and severity != "info"
        if always or counts[severity]:
            count = counts[severity]
            parts.append(template.format(count, s="" if count == 1 else "s"))
    return labels["and"].join(parts)


def finding_parts(finding: Finding, lang: str, titles: Mapping[str, str],
                  width: Optional[int] = None, glyphs: Mapping[str, str] = GLYPHS) -> list:
    """The finding's message, then its places and values, each indented."""
    marker = SEVERITY_LABELS[lang][finding.severity].ljust(7 if lang == "en" else 2)
    head = Styled.assemble(
        (marker, SEVERITY_STYLES[finding.severity]),
        " ",
        (finding.rule, "cyan"),
        " ",
        message_text(finding, lang),
    )
    parts: list = wrapped(head, FINDING_INDENT, width, keep=len(marker) + len(finding.rule) + 2)
    shown = 1 if finding.severity == "info" else MAX_LOCATIONS_SHOWN
    details = [location_text(loc, lang, titles, glyphs["sep"])
               for loc in finding.locations[:shown]]
    quote = next((loc.quote for loc in finding.locations[:1] if loc.quote), None)
    if quote and quote not in message_text(finding, lang):
        details.append(LABELS[lang]["quote"].format(quote))
    hidden = len(finding.locations) - shown
    if hidden > 0:
        details.append(LABELS[lang]["more"].format(hidden))
    details.append(values_text(finding, lang))
    for detail in filter(None, details):
        parts.extend(wrapped(Styled(detail, "dim"), DETAIL_INDENT, width))
    return parts


def wrapped(text: Styled, indent: int, width: Optional[int], keep: int = 0) -> list[Styled]:
    """``text`` indented, broken where Chinese allows (Styled.broken) when it does
    not fit; the lines are written as they are, however wide (a code longer than
    a line)."""
    if width is None or "\n" not in text.plain and indent + text.cell_len <= width:
        return [Styled(" " * indent) + text]
    return text.broken(width, indent, keep)


def location_text(location: Location, lang: str, titles: Mapping[str, str],
                  sep: str = GLYPHS["sep"]) -> str:
    """"第 120 行 第 5 页  一般公共预算支出表 › 合计 › 基本支出"."""
    labels = LABELS[lang]
    # a PDF reader finds a page, not a line of the extracted text (JSON keeps both)
    where = []
    if location.page is not None:
        where.append(labels["page"].format(location.page))
    elif location.line is not None:
        where.append(labels["line"].format(location.line))
    table = titles.get(location.table, location.table) if location.table else None
    cell = f" {sep} ".join(part for part in (table, location.row, location.column) if part)
    return "  ".join(part for part in (" ".join(where), cell) if part)


def values_text(finding: Finding, lang: str) -> str:
    """"应为 1133.15，实为 1133.14" (either half alone when only one is known)."""
    labels = LABELS[lang]
    parts = []
    if finding.expected is not None:
        parts.append(labels["expected"].format(finding.expected))
    if finding.actual is not None:
        parts.append(labels["actual"].format(finding.actual))
    return labels["and"].join(parts)


def summary_table(summary: RunSummary, lang: str, console: Console) -> Table:
    """One row under eight headers; one header per row when that is too wide.
    ``console`` is a rich console (LineConsole.rich())."""
    from rich.measure import Measurement
    from rich.table import Table

    labels = LABELS[lang]
    values = summary_values(summary, labels)
    table = Table(title=labels["summary"], title_justify="left")
    for header in labels["columns"]:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_row(*values)
    unbounded = console.options.update(max_width=10_000)
    if Measurement.get(console, unbounded, table).maximum <= console.width:
        return table
    table = Table(title=labels["summary"], title_justify="left", show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    for header, value in zip(labels["columns"], values):
        table.add_row(header, value)
    return table


def summary_values(summary: RunSummary, labels: Mapping) -> list[Text]:
    from rich.text import Text

    counts = (summary.documents, summary.passed, summary.failed, summary.unreadable,
              summary.error, summary.warning, summary.info)
    styles = ("", "green", "red", "red", "red", "yellow", "")
    values = [Text(str(n), style=style if n else "") for n, style in zip(counts, styles)]
    return values + [Text(labels["seconds"].format(summary.seconds))]


def print_error(console: LineConsole, message: str) -> None:
    """One line in red, printed as given."""
    console.print(Styled(message, "red"))


def make_console(stderr: bool = False, file=None, width: Optional[int] = None) -> LineConsole:
    return LineConsole(stderr=stderr, file=file, width=width)


def rules_table(rules: Sequence) -> Table:
    """`budgetaudit rules`: one line per rule."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="审核规则 (rules)", show_lines=False)
    for header in ("编号", "级别", "标题", "类型"):
        table.add_column(header)
    for rule in sorted(rules, key=lambda r: r.code):
        kind = f"check: {rule.check}" if rule.check else "equation"
        style = SEVERITY_STYLES.get(rule.severity, "")
        table.add_row(Text(rule.code), Text(SEVERITY_LABELS["zh"][rule.severity], style=style),
                      Text(rule.title + ("" if rule.enabled else "（已停用）")), Text(kind))
    return table


def explain_rule(console: Console, rule) -> None:
    """`budgetaudit rules CODE`: what the rule checks, with its examples;
    ``console`` is a rich console."""
    from rich.text import Text

    console.print(Text(f"{rule.code}  {rule.title}", style="bold"))
    if rule.title_en:
        console.print(Text(rule.title_en, style="dim"))
    kinds = "、".join(getattr(rule, "kinds", ())) or "全部（预算、决算）"
    console.print(Text(f"级别：{SEVERITY_LABELS['zh'][rule.severity]}    适用：{kinds}    来源：{rule.source}"))
    console.print(Text(rule.description))
    if rule.equation_text:
        console.print(Text(f"等式：{rule.equation_text}"))
    else:
        params = "；".join(f"{k} = {v}" for k, v in rule.params.items())
        console.print(Text(f"内置检查：{rule.check}" + (f"（{params}）" if params else "")))
    console.print(Text(f"通过的例子：{rule.example_pass}", style="green"))
    console.print(Text(f"不通过的例子：{rule.example_fail}", style="red"))
