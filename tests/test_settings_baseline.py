"""Settings file discovery, --config, --isolated; baselines; --statistics.

Documents are the shipped samples copied into tmp_path; the edits are
documented where they are made.
"""
import shutil

import pytest
from typer.testing import CliRunner

import edits
from budgetaudit.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
WUQIA = edits.SAMPLES / f"{edits.WUQIA}.txt"  # J901 error under the default rules, among others
XINJIANG = edits.SAMPLES / f"{edits.XINJIANG}.txt"


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env=ENV)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def tree(tmp_path):
    """tmp/项目/文件/乡镇/ holding the three samples."""
    folder = tmp_path / "项目" / "文件" / "乡镇"
    folder.mkdir(parents=True)
    for sample in sorted(edits.SAMPLES.glob("*.txt")):
        shutil.copy(sample, folder / sample.name)
    return folder


def rules_reported(result):
    return {line.split()[1] for line in result.stdout.splitlines()
            if line.strip().startswith(("错误 ", "警告 ", "提示 "))}


# ---------------------------------------------------------------- settings


def test_settings_found_upwards_from_the_checked_files(tree):
    wuqia = tree / WUQIA.name
    assert "J901" in rules_reported(run("check", wuqia))
    (tree.parent.parent / "budgetaudit.toml").write_text('ignore = ["J901"]\n', encoding="utf-8")
    result = run("check", wuqia)
    assert "J901" not in rules_reported(result) and "B225" in rules_reported(result)
    assert "J901" in rules_reported(run("check", wuqia, "--isolated"))


def test_pyproject_tool_table_and_the_nearest_file_wins(tree):
    wuqia = tree / WUQIA.name
    (tree.parent.parent / "budgetaudit.toml").write_text('ignore = ["J901"]\n', encoding="utf-8")
    (tree / "pyproject.toml").write_text(
        '[tool.ruff]\nselect = ["E"]\n\n[tool.budgetaudit]\nselect = ["J901"]\nformat = "json"\n',
        encoding="utf-8")
    result = run("check", wuqia)
    assert result.stdout.lstrip().startswith("{") and '"J901"' in result.stdout
    assert '"B225"' not in result.stdout


def test_pyproject_without_the_table_is_passed_over(tree):
    (tree / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tree.parent / "budgetaudit.toml").write_text('fail-on = "提示"\nselect = ["A102"]\n',
                                                  encoding="utf-8")
    assert run("check", tree / XINJIANG.name).exit_code == 1  # infos fail at 提示
    assert run("check", tree / XINJIANG.name, "--fail-on", "错误").exit_code == 0  # CLI wins


def test_config_option_and_per_path_ignores(tree, tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text('[per-path-ignores]\n"项目/文件/乡镇/wuqia-*.txt" = ["J9"]\n',
                      encoding="utf-8")
    result = run("check", tree / WUQIA.name, "--config", config)
    assert "J901" not in rules_reported(result) and "B225" in rules_reported(result)
    other = run("check", tree / XINJIANG.name, "--config", config, "--select", "J")
    assert "J903" in rules_reported(other)  # the pattern does not match this file


@pytest.mark.parametrize("text,line,word", [
    ('select = ["A"]\nfail-on = "严重"\n', 2, "fail-on"),
    ('select = ["A"]\n\nignor = ["J901"]\n', 3, "ignor"),
    ('select = "A"\n', 1, "select"),
    ('select = ["A"\nignore = []\n', 2, "TOML"),
    ('[per-path-ignores]\n"*.txt" = "J901"\n', 2, "*.txt"),
])
def test_settings_errors_name_file_and_line(tree, text, line, word):
    (tree / "budgetaudit.toml").write_text(text, encoding="utf-8")
    result = run("check", tree / WUQIA.name)
    assert result.exit_code == 2
    (message,) = result.stderr.strip().splitlines()
    assert "budgetaudit.toml" in message and f"第 {line} 行" in message and word in message


def test_missing_config_file_is_a_one_line_error(tmp_path):
    result = run("check", WUQIA, "--config", tmp_path / "nope.toml")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "nope.toml" in result.stderr


# ---------------------------------------------------------------- baseline


def test_baseline_written_then_hides_everything(tree, tmp_path):
    target = tmp_path / "已说明.yaml"
    written = run("check", tree, "--write-baseline", target)
    assert written.exit_code == 0 and "reason" in written.stderr
    text = target.read_text(encoding="utf-8")
    assert "reason: ''" in text and "rule: J901" in text and "乡镇/" in text
    accepted = run("check", tree, "--baseline", target)
    assert accepted.exit_code == 0 and rules_reported(accepted) == set()
    assert "隐藏" in accepted.stderr and "不再出现" not in accepted.stderr


def test_baseline_survives_a_paragraph_inserted_above(tree, tmp_path):
    document = tree / WUQIA.name
    target = tmp_path / "已说明.yaml"
    run("check", document, "--write-baseline", target)
    # the edit: a new paragraph after the document's first line moves every line down by one
    lines = document.read_text(encoding="utf-8").splitlines(keepends=True)
    document.write_text(lines[0] + "本文件为测试插入的一段说明，与数字无关。\n" + "".join(lines[1:]),
                        encoding="utf-8")
    moved = run("check", document, "-f", "json")
    assert '"line": 22' in moved.stdout  # J901 moved from line 21
    result = run("check", document, "--baseline", target)
    assert result.exit_code == 0 and rules_reported(result) == set()


def test_changed_numbers_make_the_entry_stale(tree, tmp_path):
    document = tree / XINJIANG.name
    target = tmp_path / "已说明.yaml"
    run("check", document, "--write-baseline", target)
    text = target.read_text(encoding="utf-8").replace("reason: ''", "reason: 已在附注说明", 1)
    target.write_text(text, encoding="utf-8")
    # the edit: H801's 预算安排规模 154.00 (line 603) becomes 155.00
    lines = document.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[602].startswith("预算安排规模：154.00")
    lines[602] = lines[602].replace("154.00", "155.00")
    document.write_text("".join(lines), encoding="utf-8")
    result = run("check", document, "--baseline", target)
    assert result.exit_code == 1 and "H801" in rules_reported(result)  # (and a new D401)
    assert "1 条已不再出现" in result.stderr and "H801" in result.stderr
    # rewriting keeps the reasons of the entries that still match
    run("check", document, "--baseline", target, "--write-baseline", target)
    assert "已在附注说明" in target.read_text(encoding="utf-8")


def test_entries_of_documents_not_checked_are_not_stale(tree, tmp_path):
    target = tmp_path / "已说明.yaml"
    run("check", tree, "--write-baseline", target)
    result = run("check", tree / WUQIA.name, "--baseline", target)
    assert result.exit_code == 0 and "不再出现" not in result.stderr


def test_baseline_from_the_settings_file(tree):
    run("check", tree, "--write-baseline", tree / "已说明.yaml")
    (tree / "budgetaudit.toml").write_text('baseline = "已说明.yaml"\n', encoding="utf-8")
    assert run("check", tree).exit_code == 0
    assert run("check", tree, "--isolated").exit_code == 1


def test_broken_baseline_is_a_one_line_error(tmp_path):
    target = tmp_path / "b.yaml"
    target.write_text("version: 1\naccepted:\n  - rule: [\n", encoding="utf-8")
    result = run("check", WUQIA, "--baseline", target)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "b.yaml" in result.stderr and "行" in result.stderr


# ---------------------------------------------------------------- statistics


def test_statistics_counts_rules_across_a_batch(tree):
    result = run("check", tree, "--statistics")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["规则", "级别", "次数", "文件数", "标题"]
    j903 = next(line.split() for line in lines if line.startswith("J903"))
    assert j903[1:4] == ["警告", "4", "2"] and j903[4].startswith("用语规范")
    assert lines[-1].startswith("共 20 个问题")
    assert result.exit_code == 1


def test_statistics_with_a_report_file(tree, tmp_path):
    result = run("check", tree, "--statistics", "-f", "json", "-o", tmp_path / "r.json", "--lang", "en")
    assert result.stdout.splitlines()[0].split() == ["rule", "severity", "count", "files", "title"]
    assert (tmp_path / "r.json").is_file()
