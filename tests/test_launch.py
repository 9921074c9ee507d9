"""launch.py runs a plain `check` without typer: it must pass commands.check
exactly what typer passes for the same command line, and leave every other
command line to typer."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetaudit import commands
from budgetaudit.cli import app
from budgetaudit.launch import plain_check

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "kashi-city-gov-office-2024.txt"
PLAIN = [
    ["check", str(SAMPLE)],
    ["check", str(SAMPLE), "--format", "json"],
    ["check", "-f", "sarif", str(SAMPLE), "missing.txt"],
    ["check", str(SAMPLE), "-o", "report.html", "--format", "html", "-q"],
    ["check", str(SAMPLE), "--output", "out.json", "--lang", "en", "--jobs", "2", "--no-pair"],
    ["check", str(SAMPLE), "-j", "0", "--quiet", "-f", "terminal"],
    ["check", "dir with space", "--lang", "zh"],
]
TYPERS = [
    [],
    ["--version"],
    ["check"],
    ["check", "--help"],
    ["check", str(SAMPLE), "--format=json"],
    ["check", str(SAMPLE), "-fjson"],
    ["check", str(SAMPLE), "--format", "JSON"],
    ["check", str(SAMPLE), "--format", "json", "-f", "csv"],
    ["check", str(SAMPLE), "--format"],
    ["check", str(SAMPLE), "-o", "-"],
    ["check", str(SAMPLE), "-j", "-1"],
    ["check", str(SAMPLE), "-j", "+2"],
    ["check", str(SAMPLE), "--lang", "fr"],
    ["check", str(SAMPLE), "--select", "A101"],
    ["check", str(SAMPLE), "--statistics"],
    ["check", "--", str(SAMPLE)],
    ["check", "-", str(SAMPLE)],
    ["check", ""],
    ["--debug", "check", str(SAMPLE)],
    ["--limit", "page_seconds=5", "check", str(SAMPLE)],
    ["extract", str(SAMPLE)],
    ["rules"],
    ["Check", str(SAMPLE)],
]


def typer_parameters(args, monkeypatch) -> dict:
    seen = {}
    monkeypatch.setattr(commands, "check", lambda *a, **k: seen.update(k, paths=a[0]))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return seen


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_a_plain_check_gets_what_typer_would_pass(args, monkeypatch):
    expected = typer_parameters(args, monkeypatch)
    parameters = plain_check(args, environ={})
    assert parameters is not None
    assert {**expected, **parameters} == expected
    for name, value in parameters.items():
        assert type(value) is type(expected[name]), name
    assert all(type(p) is type(e) for p, e in zip(parameters["paths"], expected["paths"]))


@pytest.mark.parametrize("args", TYPERS, ids=" ".join)
def test_any_other_command_line_is_left_to_typer(args):
    assert plain_check(args, environ={}) is None


def test_a_completion_request_and_an_unreadable_path_are_left_to_typer(tmp_path):
    assert plain_check(["check", str(SAMPLE)], environ={"_BUDGETAUDIT_COMPLETE": "bash_source"}) is None
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    locked = tmp_path / "locked.txt"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    assert plain_check(["check", str(locked)], environ={}) is None


def test_a_plain_check_does_not_import_typer():
    code = ("import sys; sys.argv = ['budgetaudit', 'check', sys.argv[1], '-f', 'json']\n"
            "from budgetaudit.launch import main\n"
            "try:\n    main()\n"
            "except SystemExit as stop:\n"
            "    print(stop.code, 'typer' in sys.modules, file=sys.stderr)\n")
    completed = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True,
                               text=True, encoding="utf-8")
    code, typer_imported = completed.stderr.split()
    assert code in ("0", "1") and typer_imported == "False"
    assert '"documents"' in completed.stdout
