"""README's two set-up commands are exactly what CI runs."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ci_commands():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    return dict(re.findall(r"^(MAIN_JOB|TEST_JOB)='(.*)'$", text, re.M))


def readme_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", text, re.S)


def test_readme_opens_with_the_two_commands_ci_runs():
    commands = ci_commands()
    assert set(commands) == {"MAIN_JOB", "TEST_JOB"}
    blocks = readme_blocks()
    assert blocks[:2] == [commands["MAIN_JOB"], commands["TEST_JOB"]]


def test_ci_treats_no_tests_as_failure():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '"$status" -eq 5' in text


def test_setup_commands_create_their_own_environment():
    """A stock Debian/Ubuntu Python refuses a bare pip install (PEP 668)."""
    for command in ci_commands().values():
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install ")
        assert "python3 -m pip" not in command


def test_readme_shows_every_report_and_setting():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for example in ("--format xlsx -o", "--format html -o", "budgetaudit.toml",
                    "[tool.budgetaudit]", "--write-baseline", "--baseline", "--statistics",
                    "--config", "--isolated", "py -m venv", "pipx", "--fail-on 错误"):
        assert example in text, example
