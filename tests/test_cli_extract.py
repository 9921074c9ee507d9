"""`budgetaudit extract`: the public JSON/CSV contract and input errors."""
import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import edits
from budgetaudit.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def sample(name):
    return str(edits.SAMPLES / f"{name}.txt")


def test_json_contract_fields():
    result = run("extract", sample(edits.KASHI))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["path"].endswith("kashi-city-gov-office-2024.txt")
    assert isinstance(data["sections"], list) and data["sections"]
    table = next(t for t in data["tables"] if t["id"] == "gpb_basic")
    assert table["title"] == "一般公共预算基本支出情况表" and table["unit"] == "万元"
    assert table["columns"] == ["合计", "人员经费", "公用经费"]
    row = next(r for r in table["rows"] if r["code"] == "30101")
    assert row["label"] == "基本工资" and row["line"] == 266
    assert row["cells"] == {"合计": "184.20", "人员经费": "184.20", "公用经费": None}


def test_csv_has_one_line_per_cell():
    result = run("extract", sample(edits.WUQIA), "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeff")  # utf-8-sig: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(result.stdout[1:])))
    total = [r for r in rows if r["表编号"] == "expense" and r["行类型"] == "total"]
    assert {r["栏目"]: r["金额"] for r in total} == {
        "合计": "2015.18", "基本支出": "1778.12", "项目支出": "237.06"}
    assert {r["页"] for r in rows} == {""}  # a text file has no pages


@pytest.mark.skipif(not (edits.SAMPLES.parent.parent / "shared" / "samples").is_dir(),
                    reason="../shared/samples absent")
def test_csv_of_a_pdf_gives_each_cell_its_page(tmp_path):
    pdf = edits.SAMPLES.parent.parent / "shared" / "samples" / f"{edits.WUQIA}.pdf"
    target = tmp_path / "cells.csv"
    assert run("extract", str(pdf), "-f", "csv", "-o", str(target)).exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    total = next(r for r in rows if r["表编号"] == "expense" and r["行类型"] == "total")
    assert int(total["页"]) > 1 and total["金额"]
    assert all(r["页"] for r in rows)


def test_output_file(tmp_path):
    target = tmp_path / "facts.json"
    result = run("extract", sample(edits.XINJIANG), "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["tables"]


def test_missing_tables_are_named_and_extraction_goes_on():
    result = run("extract", sample(edits.WUQIA))
    assert result.exit_code == 0
    assert "缺少表：政府性基金预算支出情况表" in result.stderr
    assert json.loads(result.stdout)["missing"] == ["gov_fund"]


def _one_line_error(result, *words):
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]


def test_not_a_disclosure(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了食堂菜单。\n" * 20, encoding="utf-8")
    _one_line_error(run("extract", str(path)), "不是预算公开文件")


@pytest.mark.parametrize("content,word", [
    (b"", "文件为空"),
    (b"\x00\x01\x02\x03" * 500, "二进制"),
    (b"\xff\xfe\xfd" + bytes(range(0x80, 0xff)) * 10, "编码"),
])
def test_unreadable_files(tmp_path, content, word):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    _one_line_error(run("extract", str(path)), word)


def test_path_that_does_not_exist(tmp_path):
    _one_line_error(run("extract", str(tmp_path / "nope.txt")), "文件不存在")


def test_gbk_disclosure_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((edits.SAMPLES / f"{edits.KASHI}.txt").read_text(encoding="utf-8")
                     .encode("gb18030"))
    result = run("extract", str(path))
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["tables"]) == 13  # 11 standard tables and 2 绩效目标表 forms


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "budgetaudit", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("budgetaudit ")
