"""Excel and HTML reports, written through the CLI from the shipped samples.

The .xlsx files are opened again with openpyxl; the HTML report is checked
for content and, where a Chromium is installed, rendered once headless.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import edits
from budgetaudit.cli import app

openpyxl = pytest.importorskip("openpyxl")
runner = CliRunner()
SAMPLES = [edits.SAMPLES / f"{name}.txt" for name in (edits.KASHI, edits.WUQIA, edits.XINJIANG)]
SHARED_PDF = edits.SAMPLES.parent.parent / "shared" / "samples" / f"{edits.WUQIA}.pdf"


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert "Traceback" not in result.output, result.output
    return result


def check_json(*paths):
    import json

    return json.loads(run("check", *paths, "-f", "json").stdout)


# ---------------------------------------------------------------- Excel


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    target = tmp_path_factory.mktemp("xlsx") / "审核结果.xlsx"
    result = run("check", *SAMPLES, "-f", "xlsx", "-o", target)
    assert result.exit_code == 1 and result.stdout == ""
    return openpyxl.load_workbook(target)


def test_workbook_sheets_and_headers(workbook):
    assert workbook.sheetnames == ["汇总", "问题清单"]
    summary = [c.value for c in workbook["汇总"][1]]
    assert summary == ["文件", "单位", "年度", "类型", "页数", "结论", "错误", "警告", "提示", "读取问题"]
    findings = [c.value for c in workbook["问题清单"][1]]
    assert findings[:4] == ["文件", "规则", "级别", "规则标题"]
    assert {"表", "页", "行", "原文", "应为", "实为", "差额", "问题说明"} <= set(findings)


def test_summary_has_one_row_per_document(workbook):
    rows = list(workbook["汇总"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [str(p) for p in SAMPLES]
    by_path = {r[0]: r for r in rows}
    wuqia = by_path[str(SAMPLES[1])]
    assert wuqia[2] == 2024 and wuqia[3] == "预算" and "乌恰" in wuqia[1]
    assert all(isinstance(r[6], int) for r in rows)  # counts are numbers
    assert "政府性基金" in wuqia[9]  # the missing table is a read problem


def test_findings_sheet_matches_the_json_report(workbook):
    data = check_json(*SAMPLES)
    sheet = workbook["问题清单"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [(d["path"], f["rule"]) for d in data["documents"] for f in d["findings"]]
    assert [(r["文件"], r["规则"]) for r in rows if r["规则"]] == expected
    assert {r["级别"] for r in rows} <= {"错误", "警告", "提示"}
    numeric = [r for r in rows if r["应为"] is not None]
    assert numeric and all(isinstance(r["应为"], (int, float)) for r in numeric)
    assert all(r["差额"] == pytest.approx(r["实为"] - r["应为"]) for r in numeric
               if r["实为"] is not None)
    assert any(r["表"] and r["表"].startswith("表") for r in rows)
    assert all(r["原文"] for r in rows if r["行"] is not None)


def test_passing_document_is_listed(tmp_path):
    target = tmp_path / "one.xlsx"
    run("check", SAMPLES[0], "--select", "A", "-f", "xlsx", "-o", target)
    book = openpyxl.load_workbook(target)
    assert [r[5] for r in book["汇总"].iter_rows(min_row=2, values_only=True)] == ["通过"]
    (row,) = book["问题清单"].iter_rows(min_row=2, values_only=True)
    assert row[0] == str(SAMPLES[0]) and "通过" in row[-2]


def test_xlsx_needs_an_output_file():
    result = run("check", SAMPLES[0], "-f", "xlsx")
    assert result.exit_code == 2 and "-o" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_openpyxl_xlsx_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)  # import fails
    result = run("check", SAMPLES[0], "-f", "xlsx", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and "budgetaudit[xlsx]" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "r.xlsx").exists()


def test_extract_xlsx_has_a_sheet_per_table_with_numbers(tmp_path):
    target = tmp_path / "tables.xlsx"
    assert run("extract", SAMPLES[1], "-f", "xlsx", "-o", target).exit_code == 0
    book = openpyxl.load_workbook(target)
    # wuqia's ten amount tables and its two 绩效目标表 forms
    assert len(book.sheetnames) == 12 and book.sheetnames[0].startswith("表1")
    sheet = next(book[n] for n in book.sheetnames if n.startswith("表3"))
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["页", "行"] and header[-3:] == ["合计", "基本支出", "项目支出"]
    total = next(r for r in sheet.iter_rows(min_row=2) if r[5].value in ("合计", "总计"))
    assert total[-3].value == pytest.approx(2015.18) and total[-3].number_format == "0.00"


@pytest.mark.skipif(not SHARED_PDF.is_file(), reason="../shared/samples absent")
def test_extract_xlsx_of_a_pdf_gives_pages(tmp_path):
    target = tmp_path / "tables.xlsx"
    assert run("extract", SHARED_PDF, "-f", "xlsx", "-o", target).exit_code == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    pages = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert pages and all(isinstance(p, int) and p > 0 for p in pages)


# ---------------------------------------------------------------- pages and quotes


def test_every_finding_quotes_its_row_or_sentence():
    for document in check_json(*SAMPLES)["documents"]:
        for finding in document["findings"]:
            located = [loc for loc in finding["locations"] if loc["line"] is not None]
            assert located and all(loc["quote"] for loc in located), finding
            assert all(len(loc["quote"]) <= 80 for loc in located)


@pytest.mark.skipif(not SHARED_PDF.is_file(), reason="../shared/samples absent")
def test_every_pdf_location_has_its_page():
    (document,) = check_json(SHARED_PDF)["documents"]
    locations = [loc for f in document["findings"] for loc in f["locations"]
                 if loc["line"] is not None]
    assert any(f["rule"] == "J901" for f in document["findings"])  # once given a line only
    assert locations and all(isinstance(loc["page"], int) for loc in locations)


# ---------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    target = tmp_path_factory.mktemp("html") / "报告.html"
    result = run("check", *SAMPLES, "-f", "html", "-o", target)
    assert result.exit_code == 1
    return target


def test_html_has_every_document_and_finding(html_report):
    text = html_report.read_text(encoding="utf-8")
    data = check_json(*SAMPLES)
    for number, document in enumerate(data["documents"], start=1):
        assert f'href="#doc-{number}"' in text and f'id="doc-{number}"' in text
        assert document["path"] in text
    codes = re.findall(r'<span class="code">([A-Z]\d+)</span>', text)
    assert sorted(codes) == sorted(f["rule"] for d in data["documents"] for f in d["findings"])
    assert "<details>" in text and "提示" in text  # notes are folded
    assert "第 21 行" in text and "政府性基金" in text


def test_html_is_self_contained(html_report):
    text = html_report.read_text(encoding="utf-8")
    assert not re.search(r"(?:src|href)\s*=\s*\"(?!#)", text)
    assert "http://" not in text and "https://" not in text and "@import" not in text
    assert "@page{size:A4" in text


def test_html_escapes_what_it_quotes(tmp_path):
    from budgetaudit.model import DocumentResult, Finding, Location
    from budgetaudit.report import ReportOptions
    from budgetaudit.report.html import render

    finding = Finding("X1", "error", "<script>alert(1)</script>",
                      (Location(line=3, quote="a < b & c"),))
    text = render([DocumentResult("<b>.txt", (finding,))], {}, ReportOptions())
    assert "<script>alert" not in text and "&lt;script&gt;" in text
    assert "a &lt; b &amp; c" in text and "&lt;b&gt;.txt" in text


def browser():
    return next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)


@pytest.mark.skipif(browser() is None, reason="no Chromium installed")
def test_html_renders_in_headless_chromium(html_report, tmp_path):
    dom = subprocess.run(
        [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--dump-dom", html_report.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-500:]
    assert dom.stdout.count('class="finding ') == len(re.findall(
        r'class="finding ', html_report.read_text(encoding="utf-8")))
    shot = tmp_path / "report.png"
    subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--window-size=1000,1400", f"--screenshot={shot}", html_report.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = tmp_path / "report.pdf"
    subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--no-pdf-header-footer", f"--print-to-pdf={printed}", html_report.as_uri()],
                   capture_output=True, timeout=120)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", printed.read_bytes())
    assert len(boxes) >= 3  # the index, then each document on a new page
    assert all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)  # A4
