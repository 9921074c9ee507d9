"""report.styled: the terminal report's lines, written without rich, as rich writes them."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from budgetaudit.report.styled import LineConsole, Styled

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
SPANS = [("✘ ", "bold red"), ("samples/a [1].txt", "bold"), (" [预算]", "dim"), ("  ", ""),
         ("2 个错误，1 个警告", "red"), (" 提示", "yellow"), (" H801", "cyan"), ("（通过）", "green")]


def rich_output(spans, **options) -> str:
    out = io.StringIO()
    Console(file=out, width=200, **options).print(Text.assemble(*spans))
    return out.getvalue()


def line_output(spans, environ, width=200) -> str:
    out = io.StringIO()
    LineConsole(file=out, width=width, environ=environ).print(Styled.assemble(*spans))
    return out.getvalue()


def test_colours_are_the_escape_codes_rich_writes():
    ours = line_output(SPANS, {"FORCE_COLOR": "1"})
    assert "\x1b[1;31m✘ \x1b[0m" in ours
    assert ours == rich_output(SPANS, force_terminal=True, color_system="standard")


def test_no_color_keeps_bold_and_dim_as_rich_does():
    ours = line_output(SPANS, {"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[31m" not in ours and "\x1b[1m" in ours
    assert ours == rich_output(SPANS, force_terminal=True, color_system="standard", no_color=True)


def test_a_file_or_a_pipe_gets_plain_text():
    assert line_output(SPANS, {}) == "".join(text for text, _ in SPANS) + "\n"
    assert line_output(SPANS, {}) == rich_output(SPANS, force_terminal=False)


@pytest.mark.parametrize("environ, terminal, colour", [
    ({"TTY_COMPATIBLE": "1"}, True, True),
    ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, False, False),
    ({"FORCE_COLOR": ""}, False, False),
    ({"FORCE_COLOR": "1", "TERM": "dumb"}, True, False),
])
def test_terminal_and_colour_follow_the_environment_as_rich_does(environ, terminal, colour):
    console = LineConsole(file=io.StringIO(), environ=environ)
    assert console.is_terminal is terminal
    assert console.is_terminal == Console(file=io.StringIO(), _environ=environ).is_terminal
    assert ("\x1b[" in line_output(SPANS, environ)) is colour


def test_width_from_columns_else_80_for_a_file():
    assert LineConsole(file=io.StringIO(), environ={"COLUMNS": "132"}).width == 132
    assert LineConsole(file=io.StringIO(), environ={"COLUMNS": "x"}).width == \
        Console(file=io.StringIO(), _environ={"COLUMNS": "x"}).width
    assert LineConsole(file=io.StringIO(), width=50, environ={"COLUMNS": "132"}).width == 50


def test_slices_and_rstrip_keep_each_characters_style():
    line = Styled.assemble(("错误", "red"), " ", ("EQ-1", "cyan"), " 合计  ")
    assert line[1:7].spans == [("误", "red"), (" ", ""), ("EQ-1", "cyan")]
    assert line.rstrip().spans[-1] == (" 合计", "")
    assert line.plain == "错误 EQ-1 合计  " and line.cell_len == len(line.plain) + 4


def test_a_wide_line_is_broken_and_an_already_broken_one_is_not():
    text = "第 5 页  一般公共预算支出表 › 合计 › 基本支出 " * 3
    out = io.StringIO()
    console = LineConsole(file=out, width=30, environ={})
    console.print(Styled(text, "dim"), Styled("x" * 40, wrap=False), Styled("一\n二"),
                  Styled("y" * 35 + "\n(z)", wrap=False))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 30 for line in lines[:-5]) and len(lines) > 6
    assert "".join(lines[:-5]).replace(" ", "") == text.replace(" ", "")
    assert lines[-5:] == ["x" * 40, "一", "二", "y" * 35, "(z)"]


def test_every_print_is_flushed_for_a_report_read_while_a_batch_runs():
    class Counting(io.StringIO):
        flushes = 0

        def flush(self):
            self.flushes += 1

    out = Counting()
    LineConsole(file=out, environ={}).print(Styled("✔ a.txt  通过"))
    assert out.flushes == 1 and out.getvalue() == "✔ a.txt  通过\n"


def test_after_rich_is_asked_for_lines_go_through_it():
    out = io.StringIO()
    console = LineConsole(file=out, width=100, environ={})
    rich = console.rich()
    assert console.rich() is rich and rich.width == 100
    console.print(Styled.assemble(("✘ ", "bold red"), "a.txt"))
    assert out.getvalue() == "✘ a.txt\n"


@pytest.mark.skipif(not (SAMPLES / "wuqia-county-gov-office-2024.txt").exists(), reason="samples absent")
def test_a_check_of_one_file_imports_neither_rich_nor_inspect():
    code = ("import sys; sys.argv = ['budgetaudit', 'check', sys.argv[1]]\n"
            "from budgetaudit.launch import main\n"
            "try:\n    main()\n"
            "except SystemExit as stop:\n"
            "    print(stop.code, 'rich' in sys.modules, type(sys.modules['inspect']).__name__,"
            " file=sys.stderr)\n")
    sample = SAMPLES / "wuqia-county-gov-office-2024.txt"
    completed = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True,
                               text=True, encoding="utf-8", env={"COLUMNS": "100", "PATH": ""})
    exit_code, rich_imported, inspect_kind = completed.stderr.split()
    assert exit_code == "1" and rich_imported == "False" and inspect_kind == "_Deferred"
    assert completed.stdout.startswith("✘ ") and "应为 3.99，实为 4" in completed.stdout


def test_control_characters_from_a_document_are_not_written():
    hostile = "原文：\x1b]52;c;SGVsbG8=\x07支出\r\x0c合计\x1b[2J 10\t万元\x9b"
    for environ in ({}, {"FORCE_COLOR": "1"}):
        written = line_output([(hostile, "dim")], environ)
        assert "\x1b]" not in written and "\x1b[2J" not in written and "\x9b" not in written
        assert "\r" not in written and "\x0c" not in written and "\x07" not in written
        assert "原文：]52;c;SGVsbG8=支出合计[2J 10\t万元" in written
    rich_text = Styled(hostile).to_rich()
    assert "\x1b" not in rich_text.plain and "\t" in rich_text.plain
