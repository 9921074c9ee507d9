"""The command line speaks Chinese by default: help, usage errors, typer's own
words; English with --lang en. Glyphs survive a GBK console; long Chinese
lines wrap without parting a rule code from its message."""
import io
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import edits
from budgetaudit import cli_i18n
from budgetaudit.cli import app
from budgetaudit.report.styled import LineConsole, Styled
from budgetaudit.report.terminal import glyphs_for, wrapped
from budgetaudit.report.wrap import wrap_spans

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
WUQIA = edits.SAMPLES / f"{edits.WUQIA}.txt"
ENGLISH_WORDS = ("Usage", "Missing", "Show this message", "Options", "Arguments", "Error",
                 "Try ", "Invalid value", "No such")


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env=ENV)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def english():
    cli_i18n.install(app, "en")
    yield
    cli_i18n.install(app, "zh")


def usage_error(result):
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("budgetaudit: ")
    return line


@pytest.mark.parametrize("args,words", [
    (["check"], ["缺少参数", "用法：budgetaudit check", "--help"]),
    (["check", WUQIA, "--bogus"], ["没有选项 --bogus"]),
    (["check", WUQIA, "--fail-on", "严重"], ["--fail-on", "严重", "无效", "警告"]),
    (["check", WUQIA, "--jobs", "-1"], ["超出范围"]),
    (["check", WUQIA, "--format"], ["需要一个值"]),
    (["chek"], ["没有命令 chek", "check"]),
    (["extract", WUQIA, "extra"], ["多余的参数"]),
])
def test_usage_errors_are_one_chinese_line(args, words):
    line = usage_error(run(*args))
    for word in words:
        assert word in line
    assert not any(word in line for word in ENGLISH_WORDS), line


@pytest.mark.parametrize("command", [[], ["check"], ["extract"], ["rules"]])
def test_help_is_chinese(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：budgetaudit") and "显示本帮助并退出" in result.stdout
    assert not any(word in result.stdout for word in ENGLISH_WORDS), result.stdout
    if command:
        assert "选项" in result.stdout


def test_english_help_and_errors(english):
    result = run("check", "--help")
    assert result.stdout.startswith("Usage: budgetaudit check")
    assert "Show this message and exit." in result.stdout
    assert "Files or folders" in result.stdout and "报告格式" not in result.stdout
    line = usage_error(run("check"))
    assert "Missing argument" in line and "usage: budgetaudit check" in line


def test_lang_en_on_the_command_line_switches_help_in_a_real_process():
    process = subprocess.run([sys.executable, "-m", "budgetaudit", "check", "--lang", "en", "--help"],
                             capture_output=True, text=True, encoding="utf-8")
    assert process.returncode == 0 and "Report language" in process.stdout
    assert cli_i18n.language(["check", "--lang=en"]) == "en"
    assert cli_i18n.language(["check", "x"]) == "zh"


@pytest.mark.parametrize("level,code", [("错误", 1), ("警告", 1), ("提示", 1), ("warning", 1)])
def test_fail_on_takes_chinese_levels(level, code):
    result = run("check", WUQIA, "--fail-on", level)
    assert result.exit_code == code


def test_fail_on_chinese_level_decides_like_the_english_one():
    xinjiang = edits.SAMPLES / f"{edits.XINJIANG}.txt"
    # the table rules alone give xinjiang four infos (A102) and nothing worse
    rules = ("--no-default-rules", "--rules", edits.SAMPLES.parent / "rules" / "tables.yaml")
    assert run("check", xinjiang, *rules, "--fail-on", "警告").exit_code == 0
    assert run("check", xinjiang, *rules, "--fail-on", "提示").exit_code == 1


def test_gbk_console_gets_glyphs_it_can_show():
    process = subprocess.run([sys.executable, "-m", "budgetaudit", "check", str(WUQIA),
                              str(edits.SAMPLES / f"{edits.KASHI}.txt")],
                             capture_output=True, env={**os.environ, "PYTHONIOENCODING": "gbk",
                                                       "COLUMNS": "120"})
    assert process.returncode == 1 and b"Traceback" not in process.stderr
    text = process.stdout.decode("gbk")
    assert "?" not in text
    assert text.startswith("× ") and " > " in text
    assert glyphs_for("utf-8")["fail"] == "✘" and glyphs_for("gbk")["fail"] == "×"


def test_wrapping_keeps_the_code_with_its_message():
    out = io.StringIO()
    console = LineConsole(file=out, width=40, environ={})
    message = Styled("提示 H801 2024 年乌恰县人民政府办公室部门预算安排规模与各项之和不一致，差 0.01")
    console.print(*wrapped(message, 4, console.width, keep=len("提示 H801 ")))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("    提示 H801 2024 年") and len(lines) > 1
    assert all(len(line.rstrip()) <= 40 for line in lines)
    assert "".join("".join(lines).split()) == "".join(message.plain.split())


def test_wrap_never_breaks_numbers_or_before_closing_punctuation():
    text = "第 514 行 100 万元以上大型设备台数 1 > 第 514 行 50 万元以上大型设备台数 0，差 1"
    for width in range(12, 40):
        lines = [text[a:b] for a, b in wrap_spans(text, width)]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.startswith(("，", "行", "514")) for line in lines), lines
        assert all("第 514 行" in line or "514" not in line for line in lines), lines
