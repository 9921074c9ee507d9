"""`budgetaudit check` and `budgetaudit rules` end to end: exit codes, options,
rule files, batches of files and the public JSON contract.

Everything goes through typer's CliRunner except the tests that need a real
process (the exit code as a shell sees it, the stdout encoding).
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import edits
from budgetaudit.cli import app

runner = CliRunner()
# A wide, colourless console so that assertions see whole lines of plain text.
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None}
TABLES_YAML = edits.SAMPLES.parent / "rules" / "tables.yaml"
# Most tests run the table rules (rules/tables.yaml) alone: the samples'
# findings under them are known and stable, whatever other default rule files
# come and go. Tests of the default rule set say so.
TABLE_RULES = ("--no-default-rules", "--rules", TABLES_YAML)

# Under the table rules:
KASHI = edits.SAMPLES / f"{edits.KASHI}.txt"  # clean
WUQIA = edits.SAMPLES / f"{edits.WUQIA}.txt"  # J901: 目录 lists 表8, which is absent
XINJIANG = edits.SAMPLES / f"{edits.XINJIANG}.txt"  # 4 A102 infos (rounding), no error

# A rule every sample with project expenditure fails: 支出总表 total = basic expenditure.
EXTRA_RULE = """\
version: 1
rules:
  - code: X901
    title: 合计等于基本支出
    title_en: Total equals basic expenditure
    severity: warning
    description: 测试用规则：支出总表合计行的合计等于基本支出。
    examples:
      pass: 合计 1133.14 = 基本支出 1133.14
      fail: 合计 1247.22 ≠ 基本支出 1133.14，差 114.08
    equation: 支出总表[合计].合计 = 支出总表[合计].基本支出
"""
# Line numbers in EXTRA_RULE, for the error messages below.
RULE_LINE, TITLE_LINE, SEVERITY_LINE, EXAMPLES_LINE, EQUATION_LINE = 3, 4, 6, 8, 11


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env=ENV)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def check(*args):
    """`budgetaudit check` with the table rules alone (see TABLE_RULES)."""
    return run("check", *args, *TABLE_RULES)


def report(*args, rules=TABLE_RULES):
    """`check ... --format json`, parsed; ``rules=()`` for the default rule set."""
    result = run("check", *args, *rules, "--format", "json")
    return result, json.loads(result.stdout)


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("budgetaudit: ")
    assert "Traceback" not in result.output
    for word in words:
        assert str(word) in lines[0], (word, lines[0])
    return lines[0]


def rule_file(tmp_path, text=EXTRA_RULE, name="extra.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(document):
    return [f["rule"] for f in document["findings"]]


def flat(text):
    """Text without any whitespace: rich wraps long lines wherever it likes."""
    return "".join(text.split())


# ---------------------------------------------------------------- exit codes

@pytest.mark.parametrize("paths,code", [
    ([KASHI], 0),
    ([WUQIA], 1),
    ([XINJIANG], 0),  # infos only
    ([KASHI, WUQIA], 1),
    ([WUQIA, "missing.txt"], 2),  # an input error outranks findings
])
def test_exit_codes(tmp_path, paths, code):
    paths = [p if isinstance(p, Path) else tmp_path / p for p in paths]
    assert check(*paths).exit_code == code


def test_default_rule_set_finds_the_missing_table(tmp_path):
    """Every default rule file together (tables, structure, narrative, ...)."""
    result, data = report(WUQIA, rules=())
    assert result.exit_code == 1
    assert "J901" in rules_of(data["documents"][0])
    result, data = report(KASHI, tmp_path / "missing.txt", rules=())
    assert result.exit_code == 2 and data["documents"][0]["error"] is None


def test_clean_sample_passes():
    result = check(KASHI)
    assert result.exit_code == 0 and result.stderr == ""
    assert "✔" in result.stdout and "通过" in result.stdout


def test_wuqia_names_the_missing_table():
    result = check(WUQIA)
    assert result.exit_code == 1
    assert "J901" in result.stdout and "政府性基金预算支出情况表" in result.stdout
    assert "第 21 行" in result.stdout


@pytest.mark.parametrize("content,word", [
    (None, "文件不存在"),
    (b"", "文件为空"),
    (b"\x00\x01\x02\x03" * 500, "二进制"),
    ("会议纪要\n今天讨论了食堂菜单。\n" * 20, "不是预算公开文件"),
])
def test_bad_input_is_unreadable_exit_2(tmp_path, content, word):
    path = tmp_path / "bad.txt"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    result, data = report(path)
    assert result.exit_code == 2
    (document,) = data["documents"]
    assert word in document["error"] and document["findings"] == []


def test_tables_without_a_single_amount_are_refused_once(tmp_path):
    # 喀什 with every amount cell of its 13 tables emptied (edits.blank_table_amounts),
    # as a template not yet filled in prints them: one input error, not a finding per
    # empty table; the rest of the batch is checked as usual
    blank = edits.write(tmp_path, "blank", edits.blank_table_amounts(edits.KASHI))
    result, data = report(blank, KASHI, rules=())
    assert result.exit_code == 2
    refused, kashi = data["documents"]
    assert "13 张表均未填写金额" in refused["error"] and "未填写的模板" in refused["error"]
    assert refused["findings"] == [] and "\n" not in refused["error"]
    assert kashi["error"] is None


def test_one_table_with_its_amounts_is_checked(tmp_path):
    # the same, but 收支总表 keeps its amounts: a document half filled in is checked,
    # and its empty tables are findings
    half = edits.write(tmp_path, "half", edits.blank_table_amounts(
        edits.KASHI, keep=frozenset({"income_expense_summary"})))
    result, data = report(half, rules=())
    (document,) = data["documents"]
    assert document["error"] is None and result.exit_code == 1
    assert document["findings"]


@pytest.mark.parametrize("content", [b"%PDF-1.4\ngarbage\n", b"not a pdf at all\x00" * 50])
def test_corrupt_pdf_is_unreadable(tmp_path, content):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    result, data = report(path, KASHI)
    assert result.exit_code == 2
    broken, kashi = data["documents"]
    assert broken["error"] and str(path) in broken["error"] and broken["findings"] == []
    assert kashi["error"] is None


def test_real_exit_codes_of_the_module():
    """The exit status a shell or CI job sees, from a fresh interpreter."""
    def status(*paths):
        return subprocess.run([sys.executable, "-m", "budgetaudit", "check", *map(str, paths),
                               *map(str, TABLE_RULES), "--format", "json"],
                              capture_output=True, text=True, encoding="utf-8")

    clean, findings, missing = status(KASHI), status(WUQIA), status(KASHI, "no/such/file.txt")
    assert (clean.returncode, findings.returncode, missing.returncode) == (0, 1, 2)
    for process in (clean, findings, missing):
        assert "Traceback" not in process.stdout + process.stderr
        json.loads(process.stdout)


# ---------------------------------------------------------------- --fail-on

@pytest.mark.parametrize("level,code", [("error", 0), ("warning", 0), ("info", 1)])
def test_fail_on_with_infos(level, code):
    """xinjiang has only infos: they fail the run at --fail-on info alone."""
    result = check(XINJIANG, "--fail-on", level)
    assert result.exit_code == code
    assert ("✘" in result.stdout) == bool(code)


@pytest.mark.parametrize("level,code", [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_with_a_warning(tmp_path, level, code):
    result = check(KASHI, "--rules", rule_file(tmp_path), "--fail-on", level)
    assert result.exit_code == code
    assert "X901" in result.stdout


@pytest.mark.parametrize("level", ["error", "warning", "info"])
def test_errors_fail_at_every_level(level):
    assert check(WUQIA, "--fail-on", level).exit_code == 1


def test_fail_on_rejects_unknown_level():
    result = check(KASHI, "--fail-on", "fatal")
    assert result.exit_code == 2


# ---------------------------------------------------------------- --select / --ignore

@pytest.mark.parametrize("options,code,rules", [
    (["--select", "J901"], 1, ["J901"]),
    (["--select", "J"], 1, ["J901"]),
    (["--select", "j9"], 1, ["J901"]),  # case does not matter
    (["--select", "A,B", "--select", "C"], 0, []),  # comma-separated and repeated
    (["--select", "A101, J901"], 1, ["J901"]),
    (["--ignore", "J901"], 0, []),
    (["--ignore", "J"], 0, []),
    (["--ignore", "A,B", "--ignore", "C3"], 1, ["J901"]),
    (["--select", "J", "--ignore", "A1"], 1, ["J901"]),
])
def test_select_and_ignore(options, code, rules):
    result, data = report(WUQIA, *options)
    assert result.exit_code == code
    assert rules_of(data["documents"][0]) == rules


def test_select_narrows_infos():
    _, data = report(XINJIANG, "--select", "A102")
    assert set(rules_of(data["documents"][0])) == {"A102"}
    _, data = report(XINJIANG, "--ignore", "A1")
    assert rules_of(data["documents"][0]) == []


@pytest.mark.parametrize("options,bad", [
    (["--select", "Z9"], "Z9"),
    (["--select", "J901,Q7"], "Q7"),
    (["--ignore", "A101", "--ignore", "A999"], "A999"),
])
def test_unknown_rule_code_is_a_usage_error(options, bad):
    result = check(KASHI, *options)
    one_line_error(result, "未知的规则编号", bad)
    assert result.stdout == ""


# ---------------------------------------------------------------- --rules / --no-default-rules

def test_extra_rule_file_adds_a_rule(tmp_path):
    result, data = report(KASHI, "--rules", rule_file(tmp_path))
    assert result.exit_code == 0  # a warning does not fail the default --fail-on error
    (finding,) = data["documents"][0]["findings"]
    assert finding["rule"] == "X901" and finding["severity"] == "warning"
    assert finding["title"] == "合计等于基本支出"
    assert (finding["expected"], finding["actual"]) == ("1133.14", "1247.22")
    assert finding["locations"][0]["table"] == "expense" and finding["locations"][0]["line"]


def test_extra_error_rule_fails_the_clean_sample(tmp_path):
    path = rule_file(tmp_path, EXTRA_RULE.replace("severity: warning", "severity: error"))
    result = check(KASHI, "--rules", path)
    assert result.exit_code == 1 and "X901" in result.stdout


def test_extra_rule_code_can_be_selected(tmp_path):
    _, data = report(WUQIA, "--rules", rule_file(tmp_path), "--select", "X")
    assert rules_of(data["documents"][0]) == ["X901"]


def test_no_default_rules(tmp_path):
    result, data = report(WUQIA, "--rules", rule_file(tmp_path), "--no-default-rules", rules=())
    assert result.exit_code == 0  # J901 is a default rule: it is not run
    assert rules_of(data["documents"][0]) == ["X901"]


def test_no_default_rules_and_no_rule_file():
    one_line_error(run("check", KASHI, "--no-default-rules"), "没有可用的审核规则")


def test_rule_file_that_does_not_exist(tmp_path):
    path = tmp_path / "nope.yaml"
    one_line_error(check(KASHI, "--rules", path), "规则文件不存在", path)


def _edit(old, new):
    def edit(text):
        assert old in text
        return text.replace(old, new)
    return edit


EQUATION = "    equation: 支出总表[合计].合计 = 支出总表[合计].基本支出"
EXAMPLES = ("    examples:\n      pass: 合计 1133.14 = 基本支出 1133.14\n"
            "      fail: 合计 1247.22 ≠ 基本支出 1133.14，差 114.08\n")

MALFORMED = {
    "yaml-syntax": (_edit("severity: warning", "severity: warning: loud"),
                    SEVERITY_LINE, "YAML 格式错误"),
    "unknown-key": (_edit("    title: 合计等于基本支出", "    title: 合计等于基本支出\n    colour: red"),
                    TITLE_LINE + 1, "未知的键 'colour'"),
    "missing-examples": (_edit(EXAMPLES, ""), RULE_LINE, "examples"),
    "one-example": (_edit("      fail: 合计 1247.22 ≠ 基本支出 1133.14，差 114.08\n", ""),
                    EXAMPLES_LINE, "examples"),
    "bad-severity": (_edit("severity: warning", "severity: fatal"),
                     SEVERITY_LINE, "severity 应为 error/warning/info"),
    "equation-syntax": (_edit(EQUATION, "    equation: 支出总表[合计].合计 = = 1"),
                        EQUATION_LINE, "表达式错误"),
    "equation-unclosed": (_edit(EQUATION, "    equation: 支出总表[合计.合计 = 1"),
                          EQUATION_LINE, "表达式错误"),
    "equation-no-relation": (_edit(EQUATION, "    equation: 支出总表[合计].合计"),
                             EQUATION_LINE, "equation 须是等式或不等式"),
    "unknown-table": (_edit(EQUATION, "    equation: 支出明细表[合计].合计 = 1"),
                      EQUATION_LINE, "未知的表 '支出明细表'"),
    "unknown-column": (_edit(EQUATION, "    equation: 支出总表[合计].人员经费 = 1"),
                       EQUATION_LINE, "没有列 '人员经费'"),
    "unknown-check": (_edit(EQUATION, "    check: sums"), EQUATION_LINE, "未知的检查 'sums'"),
    "unknown-param": (_edit(EQUATION, "    check: totals\n    params: {tables: [支出总表], strict: true}"),
                      EQUATION_LINE + 1, "不接受参数 'strict'"),
    "missing-param": (_edit(EQUATION, "    check: totals"), EQUATION_LINE - 8, "缺少参数 'tables'"),
    "param-unknown-table": (_edit(EQUATION, "    check: totals\n    params: {tables: [收支表]}"),
                            EQUATION_LINE + 1, "未知的表 '收支表'"),
    "param-unknown-column": (
        _edit(EQUATION, "    check: row_identity\n"
                        "    params: {tables: [支出总表], total: 合计, parts: [基本支出, 公用经费]}"),
        EQUATION_LINE + 1, "没有列 '公用经费'"),
    "equation-and-check": (_edit(EQUATION, EQUATION + "\n    check: totals"),
                           RULE_LINE, "equation 或 check"),
    "bad-code": (_edit("code: X901", "code: x-1"), RULE_LINE, "格式不对"),
    "no-rules-list": (lambda text: "version: 1\n", 1, "rules"),
}


@pytest.mark.parametrize("edit,line,word", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("command", ["check", "rules"])
def test_malformed_rule_file(tmp_path, command, edit, line, word):
    path = rule_file(tmp_path, edit(EXTRA_RULE), "broken.yaml")
    args = [command, KASHI] if command == "check" else [command]
    result = run(*args, "--rules", path)
    one_line_error(result, path, f"第 {line} 行", word)
    assert result.stdout == ""


def test_duplicate_code_across_rule_files(tmp_path):
    first = rule_file(tmp_path, name="first.yaml")
    second = rule_file(tmp_path, name="second.yaml")
    one_line_error(check(KASHI, "--rules", first, "--rules", second),
                   "X901 重复", f"{first}:{RULE_LINE}", f"{second}:{RULE_LINE}")


def test_duplicate_of_a_default_rule(tmp_path):
    path = rule_file(tmp_path, EXTRA_RULE.replace("X901", "A101"))
    one_line_error(run("check", KASHI, "--rules", path),
                   "A101 重复", "tables.yaml:", f"{path}:{RULE_LINE}")


# Mistakes of type or value inside params: each is a one-line error naming the
# file and line, never a traceback nor every document reported as unreadable.
BAD_PARAMS = {
    "parts-not-a-list": (
        "    check: row_identity\n    params: {tables: [支出总表], total: 合计, parts: 5}",
        "TypeError traceback in rulefile._validate_params"),
    "columns-not-a-list": (
        "    check: per_code\n    params: {left: {table: 支出总表, columns: 5},"
        " right: {table: 支出总表, columns: [合计]}}",
        "TypeError traceback in rulefile._validate_params"),
    "table-not-a-name": (
        "    check: per_code\n    params: {left: {table: [支出总表], columns: [合计]},"
        " right: {table: 支出总表, columns: [合计]}}",
        "AttributeError traceback in spec_named (numbers.compact)"),
    "unknown-op": (
        "    check: per_code\n    params: {left: {table: 支出总表, columns: [合计]},"
        " right: {table: 支出总表, columns: [合计]}, op: '<>'}",
        "op is not validated: every document becomes 'unreadable' (internal error)"),
    "unknown-level": (
        "    check: per_code\n    params: {left: {table: 支出总表, columns: [合计]},"
        " right: {table: 支出总表, columns: [合计]}, levels: [目]}",
        "levels are not validated: every document becomes 'unreadable' (KeyError)"),
}


@pytest.mark.parametrize("body", [
    pytest.param(body, id=name) for name, (body, _was) in BAD_PARAMS.items()
])
def test_bad_params_are_rule_file_errors(tmp_path, body):
    path = rule_file(tmp_path, EXTRA_RULE.replace(EQUATION, body), "broken.yaml")
    result = runner.invoke(app, ["check", str(KASHI), "--rules", str(path)], env=ENV)
    assert "Traceback" not in result.output
    one_line_error(result, path, "第 ")


def test_enabled_must_be_a_boolean(tmp_path):
    path = rule_file(tmp_path, EXTRA_RULE.replace(EQUATION, "    enabled: 'false'\n" + EQUATION))
    one_line_error(check(KASHI, "--rules", path), path, "enabled")


def test_empty_example_is_rejected(tmp_path):
    path = rule_file(tmp_path, EXTRA_RULE.replace("pass: 合计 1133.14 = 基本支出 1133.14", "pass:"))
    one_line_error(check(KASHI, "--rules", path), path, "examples")


# ---------------------------------------------------------------- --lang, --quiet

def test_jsonl_holds_the_json_report_a_line_per_document(tmp_path):
    # the same three documents as -f json, each on its own line with "type": "document",
    # then the summary; -o writes the same lines to a file
    _, whole = report(KASHI, WUQIA, XINJIANG)
    result = run("check", KASHI, WUQIA, XINJIANG, *TABLE_RULES, "-f", "jsonl")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    *documents, summary = [json.loads(line) for line in lines]
    assert [dict(d, type=None) for d in documents] == [dict(d, type=None) for d in whole["documents"]]
    assert all(d["type"] == "document" for d in documents)
    seconds = summary.pop("seconds")
    assert isinstance(seconds, float) and summary.pop("type") == "summary"
    whole["summary"].pop("seconds")
    assert summary == {"version": whole["version"], **whole["summary"]}
    out = tmp_path / "结果.jsonl"
    assert run("check", KASHI, WUQIA, XINJIANG, *TABLE_RULES, "-f", "jsonl", "-o", out).stdout == ""
    written = out.read_text(encoding="utf-8").splitlines()
    assert written[:-1] == lines[:-1] and json.loads(written[-1])["documents"] == 3


def test_jsonl_of_a_run_that_sees_findings_whole_is_the_same(tmp_path):
    # --statistics must see every finding first: the lines come at the end, unchanged
    streamed = run("check", KASHI, WUQIA, *TABLE_RULES, "-f", "jsonl").stdout.splitlines()
    whole = run("check", KASHI, WUQIA, *TABLE_RULES, "-f", "jsonl", "--statistics").stdout
    assert whole.splitlines()[:2] == streamed[:2]


def test_lang_en_terminal():
    result = check(WUQIA, "--lang", "en")
    assert result.exit_code == 1
    assert "1 error, 0 warnings" in result.stdout
    assert "the contents list 政府性基金预算支出情况表, but the document has no such table" \
        in result.stdout
    assert "line 21" in result.stdout and "第 21 行" not in result.stdout


def test_lang_en_batch_summary(tmp_path):
    result = check(KASHI, tmp_path / "nope.txt", "--lang", "en")
    assert "passed" in result.stdout and "unreadable: " in result.stdout
    assert "Summary" in result.stdout and "Unreadable" in result.stdout


def test_lang_en_csv_and_json():
    result = check(WUQIA, "--lang", "en", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff")))
    assert row["message"].startswith("the contents list") and row["severity"] == "error"
    _, data = report(WUQIA, "--lang", "en")
    finding = data["documents"][0]["findings"][0]
    assert finding["message"].startswith("目录列有")  # the contract's message stays Chinese
    assert finding["message_en"].startswith("the contents list")


def test_quiet_single_clean_file_prints_nothing():
    result = check(KASHI, "--quiet")
    assert result.exit_code == 0 and result.stdout == ""


def test_quiet_batch_shows_only_failures_and_the_summary():
    result = check(KASHI, WUQIA, XINJIANG, "-q")
    assert result.exit_code == 1
    assert edits.WUQIA in result.stdout
    assert edits.KASHI not in result.stdout and edits.XINJIANG not in result.stdout
    assert "汇总" in result.stdout


def test_quiet_hides_findings_below_fail_on(tmp_path):
    result = check(WUQIA, "--rules", rule_file(tmp_path), "--quiet")
    assert "J901" in result.stdout and "X901" not in result.stdout
    result = check(WUQIA, "--rules", rule_file(tmp_path))
    assert "J901" in result.stdout and "X901" in result.stdout


# ---------------------------------------------------------------- --output

def _parse(fmt, text):
    if fmt == "json":
        return rules_of(json.loads(text)["documents"][0])
    if fmt == "sarif":
        log = json.loads(text)
        assert log["version"] == "2.1.0"
        return [r["ruleId"] for r in log["runs"][0]["results"]]
    if fmt == "csv":
        assert text.startswith("\ufeff")
        return [row["规则"] for row in csv.DictReader(io.StringIO(text[1:]))]
    assert "\x1b[" not in text  # no colour codes in a file
    return ["J901"] if "J901" in text else []


@pytest.mark.parametrize("fmt", ["terminal", "json", "sarif", "csv"])
def test_output_file_for_every_format(tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    result = check(WUQIA, "--format", fmt, "--output", target)
    assert result.exit_code == 1
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert _parse(fmt, text) == ["J901"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "csv"])
def test_output_file_matches_stdout(tmp_path, fmt):
    target = tmp_path / "report"
    check(XINJIANG, "-f", fmt, "-o", target)
    shown = check(XINJIANG, "-f", fmt).stdout
    written = target.read_text(encoding="utf-8")
    if fmt == "json":  # only the timing differs
        for data in (shown, written):
            assert json.loads(data)["summary"]["info"] == 4
        shown, written = (json.loads(t)["documents"] for t in (shown, written))
    assert written == shown


def test_output_to_unwritable_place(tmp_path):
    one_line_error(check(KASHI, "-f", "json", "-o", tmp_path), "无法写入")
    one_line_error(check(KASHI, "-o", tmp_path / "no" / "dir.txt"), "无法写入")


# ---------------------------------------------------------------- JSON contract

LOCATION_KEYS = {"line", "page", "table", "row", "column", "section", "quote"}


def _assert_contract(data):
    assert data["version"] == 1
    assert isinstance(data["documents"], list)
    for document in data["documents"]:
        assert {"path", "error", "findings"} <= set(document)
        assert isinstance(document["path"], str)
        assert document["error"] is None or isinstance(document["error"], str)
        if document["error"] is not None:
            assert document["findings"] == []
        for finding in document["findings"]:
            assert {"rule", "severity", "message", "locations", "expected", "actual"} <= set(finding)
            assert finding["severity"] in ("error", "warning", "info")
            assert isinstance(finding["rule"], str) and isinstance(finding["message"], str)
            assert finding["locations"]
            for location in finding["locations"]:
                assert set(location) == LOCATION_KEYS
                assert location["line"] is None or isinstance(location["line"], int)
                assert location["page"] is None or isinstance(location["page"], int)
            for amount in (finding["expected"], finding["actual"]):
                assert amount is None or isinstance(amount, str)  # decimals as strings


def test_json_contract(tmp_path):
    result, data = report(WUQIA, XINJIANG, KASHI, tmp_path / "gone.txt",
                          "--rules", rule_file(tmp_path))
    assert result.exit_code == 2
    _assert_contract(data)
    wuqia, xinjiang, kashi, gone = data["documents"]
    assert [d["path"] for d in data["documents"]] == [
        str(WUQIA), str(XINJIANG), str(KASHI), str(tmp_path / "gone.txt")]
    j901 = wuqia["findings"][0]
    assert j901["rule"] == "J901" and j901["severity"] == "error"
    assert j901["locations"] == [
        {"line": 21, "page": None, "table": "gov_fund", "row": None, "column": None,
         "section": None, "quote": "- 八、政府性基金预算支出情况表"}]
    assert j901["expected"] is None and j901["actual"] is None
    assert wuqia["error"] is None
    info = next(f for f in xinjiang["findings"] if f["rule"] == "A102")
    assert (info["severity"], info["expected"], info["actual"]) == ("info", "7708.72", "7708.73")
    x901 = next(f for f in kashi["findings"] if f["rule"] == "X901")
    assert (x901["expected"], x901["actual"]) == ("1133.14", "1247.22")
    assert "文件不存在" in gone["error"]
    assert data["summary"]["documents"] == 4 and data["summary"]["unreadable"] == 1


def test_json_keeps_printed_precision():
    """Amounts are str(Decimal): trailing zeros survive, no floats anywhere."""
    _, data = report(XINJIANG)
    amounts = [f[k] for f in data["documents"][0]["findings"] for k in ("expected", "actual")]
    assert amounts and all(isinstance(a, str) and a.count(".") == 1 for a in amounts)


# ---------------------------------------------------------------- directories and batches

def _summary_row(stdout):
    """The numbers of the summary table's one data row."""
    rows = [line for line in stdout.splitlines() if line.startswith("│")]
    (row,) = rows
    return [cell.strip() for cell in row.strip("│").split("│")]


def test_directory_with_a_corrupt_file(tmp_path):
    folder = tmp_path / "disclosures"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(KASHI, folder / "kashi.txt")
    shutil.copy(WUQIA, folder / "sub" / "wuqia.md")
    (folder / "junk.txt").write_bytes(b"\x00\x01\x02\x03\xff" * 400)
    (folder / "empty.md").write_bytes(b"")
    (folder / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not a disclosure kind

    result = check(folder)
    assert result.exit_code == 2
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    out = result.stdout
    assert f"! {folder / 'junk.txt'}" in out and "二进制" in out
    assert f"! {folder / 'empty.md'}" in out and "文件为空" in out
    assert f"✔ {folder / 'kashi.txt'}" in out
    assert f"✘ {folder / 'sub' / 'wuqia.md'}" in out and "J901" in out
    assert "table.csv" not in out
    files, passed, failed, unreadable, errors, warnings, infos, _ = _summary_row(out)
    assert (files, passed, failed, unreadable, errors, warnings, infos) == \
        ("4", "1", "1", "2", "1", "0", "0")

    _, data = report(folder)
    _assert_contract(data)
    assert data["summary"] == {**data["summary"], "documents": 4, "unreadable": 2, "error": 1}
    by_name = {Path(d["path"]).name: d for d in data["documents"]}
    assert set(by_name) == {"empty.md", "junk.txt", "kashi.txt", "wuqia.md"}
    assert "二进制" in by_name["junk.txt"]["error"]
    assert "文件为空" in by_name["empty.md"]["error"]
    assert by_name["kashi.txt"]["error"] is None and by_name["kashi.txt"]["findings"] == []
    assert rules_of(by_name["wuqia.md"]) == ["J901"]


def test_directory_with_a_not_a_disclosure_text(tmp_path):
    shutil.copy(KASHI, tmp_path / "kashi.txt")
    (tmp_path / "minutes.txt").write_text("会议纪要\n讨论了食堂菜单。\n" * 20, encoding="utf-8")
    result, data = report(tmp_path)
    assert result.exit_code == 2
    errors = {Path(d["path"]).name: d["error"] for d in data["documents"]}
    assert errors["kashi.txt"] is None and "不是预算公开文件" in errors["minutes.txt"]


def test_directory_without_disclosure_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "sub" / "notes.docx").write_bytes(b"PK\x03\x04")
    result = check(tmp_path)
    one_line_error(result, "没有找到要检查的文件")
    assert result.stdout == ""


def test_missing_path_in_a_batch_is_reported_and_the_batch_goes_on(tmp_path):
    missing = tmp_path / "nope.txt"
    result = check(missing, WUQIA, KASHI)
    assert result.exit_code == 2
    assert f"! {missing}" in result.stdout and "文件不存在" in result.stdout
    assert "J901" in result.stdout and f"✔ {KASHI}" in result.stdout
    files, passed, failed, unreadable, *_ = _summary_row(result.stdout)
    assert (files, passed, failed, unreadable) == ("3", "1", "1", "1")


def test_missing_folder_is_reported_as_unreadable(tmp_path):
    result, data = report(tmp_path / "no-such-folder", KASHI)
    assert result.exit_code == 2
    assert "文件不存在" in data["documents"][0]["error"]
    assert data["documents"][1]["error"] is None


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("name", [edits.KASHI, edits.WUQIA, edits.XINJIANG])
@pytest.mark.parametrize("codec", ["gbk", "utf-8-sig"])
def test_other_encodings_give_the_same_findings(tmp_path, name, codec):
    source = edits.SAMPLES / f"{name}.txt"
    copy = tmp_path / f"{name}.{codec}.txt"
    copy.write_bytes(source.read_text(encoding="utf-8").encode(codec))
    first, utf8 = report(source, rules=())  # every default rule, narrative ones too
    second, other = report(copy, rules=())
    assert first.exit_code == second.exit_code
    assert other["documents"][0]["error"] is None
    assert other["documents"][0]["findings"] == utf8["documents"][0]["findings"]


def test_terminal_report_on_a_gbk_stdout():
    """✔/✘/› cannot be written in GBK (Windows cp936 redirected to a file)."""
    process = subprocess.run([sys.executable, "-m", "budgetaudit", "check", str(KASHI),
                              *map(str, TABLE_RULES)],
                             capture_output=True, env={**os.environ, "PYTHONIOENCODING": "gbk"})
    assert b"Traceback" not in process.stderr
    assert process.returncode == 0


def test_machine_formats_on_a_gbk_stdout():
    process = subprocess.run([sys.executable, "-m", "budgetaudit", "check", str(WUQIA),
                              *map(str, TABLE_RULES), "--format", "json"],
                             capture_output=True, env={**os.environ, "PYTHONIOENCODING": "gbk"})
    assert process.returncode == 1
    assert rules_of(json.loads(process.stdout.decode("gbk"))["documents"][0]) == ["J901"]


# ---------------------------------------------------------------- budgetaudit rules

def _default_rules():
    return yaml.safe_load(TABLES_YAML.read_text(encoding="utf-8"))["rules"]


def test_rules_lists_every_default_code():
    result = run("rules")
    assert result.exit_code == 0
    codes = [rule["code"] for rule in _default_rules()]
    assert len(codes) > 40
    for code in codes:
        assert code in result.stdout, code


@pytest.mark.parametrize("code", ["A101", "a101", " A101 "])
def test_rules_explains_a101(code):
    result = run("rules", code)
    assert result.exit_code == 0
    rule = next(r for r in _default_rules() if r["code"] == "A101")
    shown = flat(result.stdout)
    assert "A101" in shown
    for text in (rule["title"], rule["title_en"], rule["examples"]["pass"], rule["examples"]["fail"]):
        assert flat(text) in shown, text


def test_rules_explains_an_extra_rule(tmp_path):
    result = run("rules", "X901", "--rules", rule_file(tmp_path))
    assert result.exit_code == 0
    shown = flat(result.stdout)
    assert flat("支出总表[合计].合计 = 支出总表[合计].基本支出") in shown
    assert flat("合计 1247.22 ≠ 基本支出 1133.14，差 114.08") in shown


def test_rules_with_extra_and_without_defaults(tmp_path):
    path = rule_file(tmp_path)
    assert "X901" in run("rules", "--rules", path).stdout
    only = run("rules", "--rules", path, "--no-default-rules").stdout
    assert "X901" in only and "A101" not in only


def test_rules_unknown_code():
    result = run("rules", "Z999")
    one_line_error(result, "未知的规则编号", "Z999")
    assert result.stdout == ""


def test_select_and_ignore_that_leave_no_rule():
    one_line_error(check(KASHI, "--select", "J901", "--ignore", "J"), "没有剩下任何规则")


def test_a_broken_link_in_a_folder_is_reported(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "good.txt").write_bytes(KASHI.read_bytes())
    result = run("check", tmp_path, "--format", "json", *map(str, TABLE_RULES))
    documents = json.loads(result.stdout)["documents"]
    assert [Path(d["path"]).name for d in documents] == ["gone.txt", "good.txt"]
    assert documents[0]["error"] and "不存在" in documents[0]["error"]
    assert result.exit_code == 2


def test_parallel_batch_gives_the_same_report_in_the_same_order(tmp_path):
    for i in range(4):  # 12 files, more than it takes to start worker processes
        for sample in (KASHI, WUQIA, edits.SAMPLES / f"{edits.XINJIANG}.txt"):
            (tmp_path / f"{i}-{sample.name}").write_bytes(sample.read_bytes())
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01" * 100)
    serial = run("check", tmp_path, "--format", "json", "-j", "1")
    parallel = run("check", tmp_path, "--format", "json", "-j", "2")
    assert serial.exit_code == parallel.exit_code == 2
    first, second = json.loads(serial.stdout), json.loads(parallel.stdout)
    assert first["documents"] == second["documents"]
    assert [Path(d["path"]).name for d in second["documents"]][:2] == [
        "0-kashi-city-gov-office-2024.txt", "0-wuqia-county-gov-office-2024.txt"]


def test_debug_flag_runs_the_check_as_without_it():
    """--debug only shows tracebacks of unexpected errors; the check itself is the same."""
    plain = runner.invoke(app, ["check", str(KASHI)])
    debug = runner.invoke(app, ["--debug", "check", str(KASHI)])
    assert debug.exit_code == plain.exit_code and "Traceback" not in debug.output
    assert debug.stdout == plain.stdout
