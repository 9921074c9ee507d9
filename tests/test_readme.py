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
