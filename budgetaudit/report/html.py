"""A printable HTML report: one self-contained file, no network, A4 print.

For each document: a summary, then the findings grouped by table or narrative
section, each with the quoted row or sentence, the numbers on both sides, page
and line; notes (提示) folded in a <details>. A batch starts with an index of
the documents, linked to their sections. Every text is escaped.
"""
from __future__ import annotations

from html import escape
from itertools import groupby
from typing import Mapping, Optional, Sequence

from budgetaudit.model import DocumentResult, Finding, RuleMeta
from budgetaudit.report import (
    SEVERITY_LABELS,
    ReportOptions,
    count_by_severity,
    message_text,
    rule_title,
    sort_findings,
    summarize,
    verdict,
    verdict_label,
)
from budgetaudit.report.rows import difference, document_row, table_name

WORDS = {
    "zh": {"title": "预算公开文件审核报告", "index": "文件一览", "file": "文件", "unit": "单位",
           "year": "年度", "kind": "类型", "pages": "页数", "verdict": "结论",
           "problems": "读取问题", "narrative": "情况说明/正文", "page": "第 {} 页",
           "line": "第 {} 行", "expected": "应为", "actual": "实为", "diff": "差额",
           "notes": "提示 {} 条（点击展开）", "none": "未发现问题。", "top": "返回文件一览",
           "totals": "共 {documents} 个文件：通过 {passed}，未通过 {failed}，无法读取 {unreadable}；"
                     "错误 {error}，警告 {warning}，提示 {info}。", "unreadable": "无法读取："},
    "en": {"title": "Budget disclosure audit report", "index": "Documents", "file": "File",
           "unit": "Unit", "year": "Year", "kind": "Kind", "pages": "Pages",
           "verdict": "Verdict", "problems": "Read problems", "narrative": "Narrative / text",
           "page": "page {}", "line": "line {}", "expected": "expected", "actual": "actual",
           "diff": "difference", "notes": "{} notes (click to open)", "none": "No findings.",
           "top": "Back to the documents",
           "totals": "{documents} files: {passed} passed, {failed} failed, {unreadable} "
                     "unreadable; {error} errors, {warning} warnings, {info} notes.",
           "unreadable": "Unreadable: "},
}
STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","Source Han Sans SC",
 "WenQuanYi Micro Hei",sans-serif;font-size:11pt;line-height:1.5;color:#222;max-width:60em;
 margin:1em auto;padding:0 1em}
h1{font-size:18pt;border-bottom:2px solid #333}h2{font-size:14pt;margin-top:1.6em;
 border-bottom:1px solid #999}h3{font-size:12pt;margin:1em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.3em 0}
th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eee;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass,.fail{white-space:nowrap}
.finding{border-left:4px solid #999;padding:.2em .6em;margin:.5em 0;page-break-inside:avoid}
.error{border-color:#c00}.warning{border-color:#d80}.info{border-color:#888}
.sev{font-weight:bold}.error .sev{color:#c00}.warning .sev{color:#a60}.info .sev{color:#666}
.code{font-family:monospace;font-weight:bold}.quote{color:#444;background:#f6f6f6;
 padding:1px 4px}.where{color:#555;font-size:10pt}.pass{color:#080}.fail{color:#c00}
dl{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.3em 0}dt{color:#555}
dd{margin:0}details summary{cursor:pointer;color:#555}.top{font-size:9pt}
@page{size:A4;margin:15mm}
@media print{body{max-width:none;margin:0;font-size:10pt}a{color:inherit;text-decoration:none}
 .top{display:none}h2{page-break-before:always}h2.first{page-break-before:avoid}}
"""


def render(results: Sequence[DocumentResult], rules: Mapping[str, RuleMeta],
           options: ReportOptions) -> str:
    words = WORDS[options.lang]
    parts = [f"<h1>{escape(words['title'])}</h1>",
             f"<p>{escape(words['totals'].format(**vars(summarize(results, options))))}</p>"]
    if len(results) > 1:
        parts.append(index_table(results, options))
    for number, result in enumerate(results, start=1):
        parts.append(document_section(number, result, rules, options))
    lang = "zh-CN" if options.lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(words['title'])}</title><style>{STYLE}</style></head>\n"
            f'<body id="top">\n' + "\n".join(parts) + "\n</body></html>\n")


def index_table(results: Sequence[DocumentResult], options: ReportOptions) -> str:
    words = WORDS[options.lang]
    severities = SEVERITY_LABELS[options.lang]
    head = [words["file"], words["unit"], words["year"], words["verdict"],
            severities["error"], severities["warning"], severities["info"]]
    rows = []
    for number, result in enumerate(results, start=1):
        row = document_row(result, options.fail_on, options.lang)
        cells = [f'<a href="#doc-{number}">{escape(result.path)}</a>', _text(row["unit"]),
                 _text(row["year"]), _verdict(result, options)]
        cells += [f'<td class="n">{row[s]}</td>' for s in ("error", "warning", "info")]
        rows.append("<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>"
                                     for c in cells) + "</tr>")
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (f"<h2 class=\"first\">{escape(words['index'])}</h2>"
            f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def document_section(number: int, result: DocumentResult, rules: Mapping[str, RuleMeta],
                     options: ReportOptions) -> str:
    words = WORDS[options.lang]
    first = ' class="first"' if number == 1 else ""
    parts = [f'<section id="doc-{number}"><h2{first}>{escape(result.path)}</h2>',
             summary_list(result, options)]
    if result.error is not None:
        parts.append(f'<p class="fail">{escape(words["unreadable"] + result.error)}</p>')
    elif not result.findings:
        parts.append(f'<p class="pass">{escape(words["none"])}</p>')
    findings = sort_findings(result.findings)
    order: dict = {}
    for finding in findings:
        order.setdefault(group_key(finding), len(order))
    findings.sort(key=lambda f: order[group_key(f)])
    for key, group in groupby(findings, key=group_key):
        parts.append(finding_group(result, key, list(group), rules, options.lang))
    parts.append(f'<p class="top"><a href="#top">{escape(words["top"])}</a></p></section>')
    return "\n".join(parts)


def summary_list(result: DocumentResult, options: ReportOptions) -> str:
    words = WORDS[options.lang]
    row = document_row(result, options.fail_on, options.lang)
    counts = count_by_severity(result.findings)
    severities = SEVERITY_LABELS[options.lang]
    items = [(words["unit"], row["unit"]), (words["year"], row["year"]),
             (words["kind"], row["kind"]), (words["pages"], row["pages"])]
    items += [(severities[s], counts[s]) for s in ("error", "warning", "info")]
    items.append((words["problems"], row["problems"] or None))
    body = "".join(f"<dt>{escape(k)}</dt><dd>{_text(v)}</dd>" for k, v in items if v is not None)
    verdict_dd = f"<dt>{escape(words['verdict'])}</dt><dd>{_verdict(result, options)}</dd>"
    return f"<dl>{verdict_dd}{body}</dl>"


def finding_group(result: DocumentResult, key: Optional[str], findings: list[Finding],
                  rules: Mapping[str, RuleMeta], lang: str) -> str:
    words = WORDS[lang]
    first = findings[0].locations[0] if findings[0].locations else None
    heading = (table_name(result, first.table) if first is not None and first.table
               else key or words["narrative"])
    shown = [finding_block(result, f, rules, lang) for f in findings if f.severity != "info"]
    notes = [finding_block(result, f, rules, lang) for f in findings if f.severity == "info"]
    if notes:
        shown.append(f"<details><summary>{escape(words['notes'].format(len(notes)))}</summary>"
                     + "".join(notes) + "</details>")
    return f"<h3>{escape(heading)}</h3>" + "".join(shown)


def finding_block(result: DocumentResult, finding: Finding, rules: Mapping[str, RuleMeta],
                  lang: str) -> str:
    words = WORDS[lang]
    title = rule_title(finding, rules, lang)
    head = (f'<span class="sev">{escape(SEVERITY_LABELS[lang][finding.severity])}</span> '
            f'<span class="code">{escape(finding.rule)}</span> '
            + (f"{escape(title)}" if title else ""))
    lines = [f"<div>{head}</div>", f"<div>{escape(message_text(finding, lang))}</div>"]
    lines += [place_line(result, loc, lang) for loc in finding.locations]
    numbers = [(words["expected"], finding.expected), (words["actual"], finding.actual),
               (words["diff"], difference(finding))]
    shown = "，".join(f"{escape(k)} {v}" for k, v in numbers if v is not None)
    if shown:
        lines.append(f'<div class="where">{shown}</div>')
    return f'<div class="finding {finding.severity}">{"".join(lines)}</div>'


def place_line(result: DocumentResult, location, lang: str) -> str:
    words = WORDS[lang]
    where = []
    if location.page is not None:
        where.append(words["page"].format(location.page))
    if location.line is not None:
        where.append(words["line"].format(location.line))
    cell = [p for p in (table_name(result, location.table) or location.section,
                        location.row, location.column) if p]
    text = escape(" ".join(where) + ("  " if where and cell else "") + " › ".join(cell))
    quote = f' <span class="quote">{escape(location.quote)}</span>' if location.quote else ""
    return f'<div class="where">{text}{quote}</div>'


def group_key(finding: Finding) -> Optional[str]:
    if not finding.locations:
        return None
    first = finding.locations[0]
    return first.table or first.section


def _verdict(result: DocumentResult, options: ReportOptions) -> str:
    value = verdict(result, options.fail_on)
    css = "pass" if value == "pass" else "fail"
    return f'<span class="{css}">{escape(verdict_label(value, options.lang))}</span>'


def _text(value: object) -> str:
    return "" if value is None else escape(str(value))
