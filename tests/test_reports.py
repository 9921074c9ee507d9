"""Report stage: JSON contract, SARIF structure, CSV rows, terminal text."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from rich.console import Console

from budgetaudit.model import DocumentResult, Finding, InputError, Location, RuleMeta
from budgetaudit.report import (
    FAIL,
    PASS,
    UNREADABLE,
    ReportOptions,
    count_by_severity,
    get_reporter,
    sort_findings,
    verdict,
    verdict_label,
)
from budgetaudit.report import csv as csv_report
from budgetaudit.report import json as json_report
from budgetaudit.report import sarif as sarif_report
from budgetaudit.report.progress import make_progress
from budgetaudit.report.styled import LineConsole
from budgetaudit.report.terminal import print_error, render_terminal

RULES = {
    "EQ-T3-T6": RuleMeta(
        code="EQ-T3-T6",
        title="表3 基本支出与表6 合计一致",
        severity="error",
        description="一般公共预算基本支出合计应等于基本支出表合计。",
        title_en="Basic expenditure matches table 6",
        example_pass="1133.14 = 1133.14",
        example_fail="1133.14 ≠ 1133.15",
    ),
    "SHARE": RuleMeta(code="SHARE", title="占比与金额一致", severity="warning"),
    "ROUND": RuleMeta(code="ROUND", title="舍入差异", severity="info"),
}
MISMATCH = Finding(
    rule="EQ-T3-T6",
    severity="error",
    message="表3 合计 基本支出 1133.14 ≠ 表6 合计 1133.15，差 0.01",
    message_en="table 3 total basic 1133.14 ≠ table 6 total 1133.15, off by 0.01",
    locations=(
        Location(line=120, page=5, table="t3", row="合计", column="基本支出"),
        Location(line=240, page=9, table="t6", row="合计", column="合计"),
    ),
    expected=Decimal("1133.15"),
    actual=Decimal("1133.14"),
)
SHARE = Finding(
    rule="SHARE",
    severity="warning",
    message="“占 12.5%” 与金额算得 12.46% 不符 [注1]",
    locations=(Location(line=30),),
    expected=Decimal("12.46"),
    actual=Decimal("12.5"),
)
ROUND = Finding(
    rule="ROUND",
    severity="info",
    message="差额 0.01 在舍入范围内",
    locations=(Location(line=250, table="t6", row="301", column="合计"),),
)
FLAWED = DocumentResult(path="samples/flawed.txt", findings=(ROUND, MISMATCH, SHARE))
BROKEN = DocumentResult(path="samples/broken.pdf", error="PDF 已加密，无法读取")
CLEAN = DocumentResult(path="samples/clean.txt")
RESULTS = (FLAWED, BROKEN, CLEAN)
OPTIONS = ReportOptions(total_seconds=1.5)


# --- shared helpers -------------------------------------------------------------


def test_helpers():
    assert [f.rule for f in sort_findings(FLAWED.findings)] == ["SHARE", "EQ-T3-T6", "ROUND"]
    assert count_by_severity(FLAWED.findings) == {"error": 1, "warning": 1, "info": 1}
    assert [verdict(r) for r in RESULTS] == [FAIL, UNREADABLE, PASS]
    assert verdict(DocumentResult(path="x", findings=(SHARE,))) == PASS
    assert verdict(DocumentResult(path="x", findings=(SHARE,)), "warning") == FAIL
    assert [verdict_label(verdict(r)) for r in RESULTS] == ["未通过", "无法读取", "通过"]


def test_options_and_reporter_lookup():
    with pytest.raises(ValueError):
        ReportOptions(lang="fr")
    with pytest.raises(ValueError):
        ReportOptions(fail_on="fatal")
    assert get_reporter("json") is json_report.render
    assert get_reporter("sarif") is sarif_report.render
    assert get_reporter("csv") is csv_report.render
    assert get_reporter("terminal") is render_terminal
    with pytest.raises(InputError):
        get_reporter("docx")


# --- JSON -----------------------------------------------------------------------

OPTIONAL_STR = (str, type(None))
OPTIONAL_INT = (int, type(None))


def test_json_contract():
    data = json.loads(json_report.render(RESULTS, RULES, OPTIONS))
    assert data["version"] == 1
    assert data["summary"] == {
        "documents": 3, "unreadable": 1, "error": 1, "warning": 1, "info": 1, "seconds": 1.5,
    }
    assert [d["path"] for d in data["documents"]] == [r.path for r in RESULTS]
    for document in data["documents"]:
        assert {"path", "error", "findings", "summary"} <= document.keys()
        assert isinstance(document["error"], OPTIONAL_STR)
        for finding in document["findings"]:
            assert_finding_contract(finding)
    flawed, broken, clean = data["documents"]
    assert broken["error"] == "PDF 已加密，无法读取" and broken["findings"] == []
    assert clean["error"] is None and clean["findings"] == []
    assert clean["summary"] == {"error": 0, "warning": 0, "info": 0}
    assert [f["rule"] for f in flawed["findings"]] == ["SHARE", "EQ-T3-T6", "ROUND"]


def assert_finding_contract(finding: dict) -> None:
    assert {"rule", "severity", "message", "locations", "expected", "actual"} <= finding.keys()
    assert isinstance(finding["rule"], str) and isinstance(finding["message"], str)
    assert finding["severity"] in ("error", "warning", "info")
    assert isinstance(finding["expected"], OPTIONAL_STR)
    assert isinstance(finding["actual"], OPTIONAL_STR)
    for location in finding["locations"]:
        assert set(location) == {"line", "page", "table", "row", "column", "section", "quote"}
        assert isinstance(location["line"], OPTIONAL_INT)
        assert isinstance(location["page"], OPTIONAL_INT)
        for key in ("table", "row", "column"):
            assert isinstance(location[key], OPTIONAL_STR)


def test_json_finding_values():
    text = json_report.render([FLAWED], RULES, OPTIONS)
    assert "表3 合计" in text  # ensure_ascii=False
    mismatch = json.loads(text)["documents"][0]["findings"][1]
    assert mismatch["expected"] == "1133.15" and mismatch["actual"] == "1133.14"
    assert mismatch["title"] == "表3 基本支出与表6 合计一致"
    assert mismatch["message_en"].startswith("table 3")
    assert [loc["line"] for loc in mismatch["locations"]] == [120, 240]
    assert mismatch["locations"][0] == {
        "line": 120, "page": 5, "table": "t3", "row": "合计", "column": "基本支出",
        "section": None, "quote": None,
    }
    share = json.loads(text)["documents"][0]["findings"][0]
    assert share["actual"] == "12.5" and share["message_en"] is None


def test_json_keeps_printed_precision():
    finding = Finding("R", "error", "m", (), expected=Decimal("57.80"), actual=Decimal("-0.01"))
    data = json.loads(json_report.render([DocumentResult("a", (finding,))], {}, OPTIONS))
    found = data["documents"][0]["findings"][0]
    assert (found["expected"], found["actual"], found["title"]) == ("57.80", "-0.01", None)


# --- SARIF ----------------------------------------------------------------------


def sarif_log() -> dict:
    return json.loads(sarif_report.render(RESULTS, RULES, OPTIONS))


def test_sarif_log_and_driver():
    log = sarif_log()
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "budgetaudit" and "informationUri" not in driver
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == set(RULES)
    eq = rules["EQ-T3-T6"]
    assert eq["shortDescription"]["text"] == "表3 基本支出与表6 合计一致"
    assert eq["fullDescription"]["text"].startswith("一般公共预算")
    assert eq["name"] == "Basic expenditure matches table 6"
    levels = {code: rule["defaultConfiguration"]["level"] for code, rule in rules.items()}
    assert levels == {"EQ-T3-T6": "error", "SHARE": "warning", "ROUND": "note"}


def test_sarif_results():
    run = sarif_log()["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["SHARE", "EQ-T3-T6", "ROUND"]
    assert [r["level"] for r in results] == ["warning", "error", "note"]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in results:
        assert {"ruleId", "level", "message", "locations"} <= result.keys()
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert isinstance(result["message"]["text"], str)
    mismatch = results[1]
    assert mismatch["message"]["text"].startswith("表3 合计 基本支出")
    assert mismatch["properties"]["expected"] == "1133.15"
    first, second = mismatch["locations"]
    physical = first["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "samples/flawed.txt"
    assert physical["region"] == {"startLine": 120}
    assert second["physicalLocation"]["region"]["startLine"] == 240
    assert first["logicalLocations"] == [
        {"name": "基本支出", "fullyQualifiedName": "t3/合计/基本支出", "kind": "column"}
    ]
    assert "logicalLocations" not in results[0]["locations"][0]


def test_sarif_unreadable_documents_are_notifications():
    invocation = sarif_log()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "PDF 已加密" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "samples/broken.pdf"
    clean = json.loads(sarif_report.render([CLEAN], RULES, OPTIONS))
    assert clean["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert clean["runs"][0]["results"] == []


def test_sarif_unknown_rule_and_odd_paths():
    finding = Finding("NEW", "error", "m", ())
    log = json.loads(sarif_report.render([DocumentResult("my dir\\a#1.txt", (finding,))], {}, OPTIONS))
    run = log["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["id"] == "NEW"
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "my%20dir/a%231.txt"}}


# --- CSV ------------------------------------------------------------------------


def csv_rows(results=RESULTS, options=OPTIONS) -> list[dict]:
    text = csv_report.render(results, RULES, options)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_rows():
    text = csv_report.render(RESULTS, RULES, OPTIONS)
    assert text.splitlines()[0] == (
        "\ufeff文件,规则,级别,规则标题,表,行项目,栏目,说明部分,页,行,原文,应为,实为,差额,问题说明,其他位置"
    )
    rows = csv_rows()
    assert [(r["文件"], r["规则"]) for r in rows] == [
        ("samples/flawed.txt", "SHARE"),
        ("samples/flawed.txt", "EQ-T3-T6"),
        ("samples/flawed.txt", "ROUND"),
        ("samples/broken.pdf", "INPUT"),
        ("samples/clean.txt", ""),  # a passing document is listed too
    ]
    mismatch = rows[1]
    assert mismatch["级别"] == "错误" and mismatch["规则标题"] == "表3 基本支出与表6 合计一致"
    assert (mismatch["行"], mismatch["页"], mismatch["表"]) == ("120", "5", "t3")
    assert (mismatch["行项目"], mismatch["栏目"]) == ("合计", "基本支出")
    assert (mismatch["应为"], mismatch["实为"], mismatch["差额"]) == ("1133.15", "1133.14", "-0.01")
    assert mismatch["问题说明"].startswith("表3 合计 基本支出 1133.14")
    assert mismatch["其他位置"] == "第 9 页 第 240 行 t6 合计 合计"
    assert rows[0]["页"] == "" and rows[0]["其他位置"] == "" and rows[0]["级别"] == "警告"
    broken = rows[3]
    assert broken["问题说明"] == "PDF 已加密，无法读取" and broken["级别"] == "错误"
    assert rows[4]["问题说明"] == "通过，未发现问题"


def test_csv_reads_back_in_excels_encoding():
    data = csv_report.render(RESULTS, RULES, OPTIONS).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "文件" and rows[2][2] == "错误"


def test_csv_names_standard_tables_as_printed():
    finding = Finding(rule="B209", severity="error", message="m",
                      locations=(Location(line=3, table="three_public", row="合计"),))
    (row,) = csv_rows([DocumentResult("a.txt", (finding,))])
    assert row["表"].startswith("表10 ") and "三公" in row["表"]


def test_csv_english_messages():
    rows = csv_rows([FLAWED], ReportOptions(lang="en"))
    assert rows[1]["message"].startswith("table 3 total") and rows[1]["severity"] == "error"
    assert rows[0]["message"].startswith("“占 12.5%”")  # no English: Chinese kept


# --- terminal -------------------------------------------------------------------

TITLES = {"t3": "一般公共预算支出表", "t6": "一般公共预算基本支出表"}


def terminal_text(results=RESULTS, options=OPTIONS, width=100, titles=TITLES) -> str:
    out = io.StringIO()
    console = LineConsole(file=out, width=width, environ={})
    render_terminal(results, RULES, options, console, table_titles=titles)
    return out.getvalue()


def test_terminal_verdicts_findings_and_summary():
    text = terminal_text()
    assert "✘ samples/flawed.txt  1 个错误，1 个警告，1 个提示" in text
    assert "! samples/broken.pdf  无法读取：PDF 已加密，无法读取" in text
    assert "✔ samples/clean.txt  通过" in text
    assert "错误 EQ-T3-T6 表3 合计 基本支出 1133.14 ≠ 表6 合计 1133.15，差 0.01" in text
    assert "警告 SHARE" in text and "[注1]" in text  # brackets are not markup
    assert "提示 ROUND" in text
    assert "第 5 页  一般公共预算支出表 › 合计 › 基本支出" in text
    assert "第 9 页  一般公共预算基本支出表 › 合计 › 合计" in text
    assert "应为 1133.15，实为 1133.14" in text
    for header in ("文件数", "通过", "未通过", "无法读取", "错误", "警告", "提示", "用时"):
        assert header in text
    assert "1.50 秒" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_terminal_groups_by_table_in_document_order():
    lines = terminal_text().splitlines()
    headings = [line.strip() for line in lines if line.startswith("  ") and not line.startswith("   ")]
    assert headings == ["情况说明/正文", "一般公共预算支出表", "一般公共预算基本支出表"]
    assert lines.index("  一般公共预算支出表") < next(
        i for i, line in enumerate(lines) if "EQ-T3-T6" in line
    )


def test_a_verdict_line_stays_whole_on_a_narrow_console():
    """One line per document, path and counts together, so that `grep ✘` finds them."""
    deep = DocumentResult(path="各区县/2024年/某某区财政局/部门预算公开文件（最终版）.txt",
                          findings=FLAWED.findings)
    broken = DocumentResult(path="samples/pipe.txt", error="文件不是普通文件（命名管道），不读取\n(not a regular file)")
    lines = terminal_text([deep, broken], width=40).splitlines()
    assert f"✘ {deep.path}  1 个错误，1 个警告，1 个提示" in lines
    assert "! samples/pipe.txt  无法读取：文件不是普通文件（命名管道），不读取" in lines
    assert "(not a regular file)" in lines
    findings = [line for line in lines if line.startswith("    ")]
    assert findings and all(len(line) <= 40 for line in findings)


def test_terminal_table_titles_default_to_ids():
    text = terminal_text([FLAWED], titles=None)
    assert "\n  t3\n" in text and "t3 › 合计 › 基本支出" in text


def test_terminal_single_document_has_no_summary():
    text = terminal_text([CLEAN])
    assert text.strip() == "✔ samples/clean.txt  通过"
    passing = terminal_text([DocumentResult("a.txt", (SHARE,))])
    assert "✔ a.txt  通过（1 个警告）" in passing


def test_terminal_quiet_shows_only_failing_documents_and_findings():
    text = terminal_text(options=ReportOptions(quiet=True))
    assert "samples/clean.txt" not in text
    assert "EQ-T3-T6" in text and "SHARE" not in text and "ROUND" not in text
    assert "samples/broken.pdf" in text and "文件数" in text


def test_terminal_english():
    text = terminal_text(options=ReportOptions(lang="en"))
    assert "✘ samples/flawed.txt  1 error, 1 warning, 1 info" in text
    assert "error   EQ-T3-T6 table 3 total basic" in text
    assert "page 5" in text and "expected 1133.15, actual 1133.14" in text
    assert "unreadable: PDF" in text and "Narrative / text" in text
    assert "Files" in text and "Failed" in text


def test_terminal_narrow_console_keeps_content():
    text = terminal_text(width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "文件数" in text and "应为 1133.15，实为 1133.14" in text


def test_progress_and_error_line():
    console = Console(record=True, width=100, force_terminal=False)
    with make_progress(console, total=3) as progress:
        task = progress.task_ids[0]
        progress.advance(task)
        assert progress.tasks[0].total == 3 and progress.tasks[0].completed == 1
    out = io.StringIO()
    print_error(LineConsole(file=out, width=100, environ={}), "找不到文件：[x].pdf")
    assert out.getvalue() == "找不到文件：[x].pdf\n"
