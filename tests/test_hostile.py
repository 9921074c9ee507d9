"""Hostile and broken input: every case ends with a one-line answer, in time.

The inputs are made here: PDFs written byte by byte (tests/hostile.py), FIFOs,
links and devices in a temporary folder, rule files with alias bombs. Limits
are lowered through their environment variables so that each case reaches
its limit within a second or two, with files of a few kilobytes or megabytes.
Cases that need a real process (a FIFO, a closed stdout, Ctrl-C) run one.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import edits
import hostile
from budgetaudit.load import load
from budgetaudit.model import InputError

KASHI = edits.SAMPLES / f"{edits.KASHI}.txt"
KASHI_PDF = edits.SAMPLES / f"{edits.KASHI}.pdf"
TABLES_YAML = edits.SAMPLES.parent / "rules" / "tables.yaml"
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, links and signals are POSIX")


def cli(*args, env: dict | None = None, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    """`python -m budgetaudit ARGS` as a user runs it; never a traceback, at
    most one line on stderr."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    result = subprocess.run([sys.executable, "-m", "budgetaudit", *map(str, args)],
                            env=full_env, timeout=timeout, **kwargs)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert stderr.count("\n") <= 1, stderr
    return result


def load_error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def limited(monkeypatch, **values) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"BUDGETAUDIT_LIMIT_{name.upper()}", str(value))


# ---------------------------------------------------------------- PDF limits


def test_a_flate_bomb_stops_at_the_decompression_limit(tmp_path, monkeypatch):
    limited(monkeypatch, stream_mb=1)
    message = load_error(hostile.flate_bomb(tmp_path / "bomb.pdf", 16))
    assert "超出限制：PDF 解压后数据量" in message and "stream_mb" in message


def test_form_xobjects_fanning_out_stop_at_their_count(tmp_path, monkeypatch):
    limited(monkeypatch, xobjects=500)
    message = load_error(hostile.xobject_fan_out(tmp_path / "fan.pdf", fan_out=10, depth=9))
    assert "PDF 表单对象绘制次数上限 500" in message


def test_form_xobjects_nested_too_deep_are_refused(tmp_path):
    message = load_error(hostile.deep_xobjects(tmp_path / "deep.pdf", depth=30))
    assert "PDF 表单对象嵌套层数上限 12" in message


def test_operators_are_counted_over_the_whole_document(tmp_path, monkeypatch):
    limited(monkeypatch, operators=20_000)
    message = load_error(hostile.many_operators(tmp_path / "ops.pdf", 50_000))
    assert "PDF 绘制指令数上限 20000" in message


def test_a_font_cmap_range_of_four_billion_codes_is_refused_before_it_is_built(tmp_path):
    started = time.monotonic()
    message = load_error(hostile.cmap_range(tmp_path / "cmap.pdf", b"00000000", b"FFFFFFFF"))
    assert "PDF 字体编码映射（CMap）的码位数上限 500000" in message and "cmap_codes" in message
    assert time.monotonic() - started < 30


def test_cmap_codes_are_counted_over_all_ranges_of_a_document(tmp_path, monkeypatch):
    limited(monkeypatch, cmap_codes=300)
    path = hostile.cmap_range(tmp_path / "cmap.pdf", b"0000", b"00FF", extra_ranges=100)
    assert "码位数上限 300" in load_error(path)  # 256 + 100 codes
    limited(monkeypatch, cmap_codes=356)
    assert len(load(path).lines) == 1  # at the limit: read


def test_a_huge_ruled_grid_is_refused_before_it_is_read(tmp_path, monkeypatch):
    limited(monkeypatch, grid_cells=400)
    message = load_error(hostile.ruled_grid(tmp_path / "grid.pdf", 40))
    assert "单个表格网格的单元格数上限 400" in message


def test_an_unbalanced_string_ends_at_the_page_time_limit(tmp_path, monkeypatch):
    # the clock is looked at while the string is read, buffer by buffer (about 2,000
    # looks for 8 MB, 15 for the page without it): a clock that moves 10 ms a look
    # passes the 0.5 s limit inside the string, however fast the machine reads it
    from budgetaudit.load import pdf

    looks = []

    def clock() -> float:
        looks.append(None)
        return len(looks) / 100

    limited(monkeypatch, page_seconds=0.5)
    monkeypatch.setattr(pdf, "clock", clock)
    path = hostile.unbalanced_string(tmp_path / "string.pdf", 8)
    started = time.monotonic()
    message = load_error(path)
    assert "第 1 页处理超时（超过 0.5 秒）" in message
    assert 50 <= len(looks) < 100  # stopped soon after the limit, long before the string's end
    assert time.monotonic() - started < 30


def test_the_document_time_limit_holds_across_pages(tmp_path, monkeypatch):
    from budgetaudit.load import pdf

    looks = []

    def clock() -> float:  # 10 ms a look, as above
        looks.append(None)
        return len(looks) / 100

    limited(monkeypatch, document_seconds=0.3, page_seconds=100)
    monkeypatch.setattr(pdf, "clock", clock)
    message = load_error(hostile.unbalanced_string(tmp_path / "string.pdf", 8))
    assert "单个文件处理时间（秒）上限 0.3" in message
    assert 30 <= len(looks) < 100


@pytest.mark.parametrize("make", [hostile.contents_is_its_page, hostile.resources_is_its_page])
def test_a_page_pointing_at_itself_is_an_answer_not_a_hang(tmp_path, make):
    from budgetaudit.audit import audit

    result = audit(make(tmp_path / "self.pdf"), [])
    assert "self.pdf" in result.error and "\n" not in result.error
    assert "internal" not in result.error and "内部错误" not in result.error


def test_a_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    limited(monkeypatch, file_mb=0.001)
    assert "输入文件大小（MB）上限 0.001" in load_error(KASHI)


def test_a_line_over_the_length_limit_is_refused(tmp_path, monkeypatch):
    limited(monkeypatch, line_chars=1000)
    path = tmp_path / "long.txt"
    path.write_text(KASHI.read_text(encoding="utf-8") + "预算" * 600 + "\n", encoding="utf-8")
    assert "单行字符数上限 1000" in load_error(path)


def test_real_pdfs_stay_within_the_default_limits():
    assert load(KASHI_PDF).lines


# ---------------------------------------------------------------- only regular files


@POSIX
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = cli("check", fifo, timeout=30)
    assert result.returncode == 2
    assert "不是普通文件（命名管道）" in result.stdout.decode()


@POSIX
def test_a_link_to_a_device_is_refused(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert "不是普通文件（设备）" in load_error(link)


@POSIX
def test_a_symlink_loop_is_reported_as_one(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert "符号链接循环" in load_error(loop)


@POSIX
def test_a_link_to_a_disclosure_is_followed(tmp_path):
    link = tmp_path / "kashi.txt"
    link.symlink_to(KASHI)
    assert load(link).lines


@POSIX
def test_a_fifo_or_folder_as_rule_file_is_refused(tmp_path):
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    for rules in (fifo, tmp_path):
        result = cli("check", KASHI, "--rules", rules, timeout=30)
        assert result.returncode == 2
        assert "不是普通文件" in result.stderr.decode() or "目录" in result.stderr.decode()
        assert "规则文件" in result.stderr.decode()


@POSIX
def test_a_name_that_is_not_utf8_is_reported_escaped(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    name = os.fsdecode(b"\xff\xfe-budget.txt")
    (folder / name).write_bytes(KASHI.read_bytes())
    result = cli("check", folder, "--format", "json", cwd=tmp_path)
    documents = json.loads(result.stdout)["documents"]
    assert [d["path"] for d in documents] == [str(folder / "\\xff\\xfe-budget.txt")]
    assert documents[0]["error"] is None
    terminal = cli("check", folder, cwd=tmp_path, env={"COLUMNS": "300"})
    assert "\\xff\\xfe-budget.txt" in terminal.stdout.decode()


# ---------------------------------------------------------------- a hostile batch


@POSIX
def test_a_batch_with_a_hang_a_bomb_and_a_fifo_reports_every_file_once(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for index in range(3):
        (folder / f"good{index}.txt").write_bytes(KASHI.read_bytes())
    hostile.unbalanced_string(folder / "hang.pdf", 16)
    hostile.flate_bomb(folder / "bomb.pdf", 64)
    os.mkfifo(folder / "pipe.txt")
    env = {"BUDGETAUDIT_LIMIT_PAGE_SECONDS": "1", "BUDGETAUDIT_LIMIT_STREAM_MB": "24"}
    result = cli("check", folder, "--format", "json", "--no-default-rules",
                 "--rules", TABLES_YAML, env=env, timeout=120)
    assert result.returncode == 2
    documents = {Path(d["path"]).name: d for d in json.loads(result.stdout)["documents"]}
    assert sorted(documents) == ["bomb.pdf", "good0.txt", "good1.txt", "good2.txt",
                                 "hang.pdf", "pipe.txt"]
    assert "处理超时" in documents["hang.pdf"]["error"]
    assert "stream_mb" in documents["bomb.pdf"]["error"]
    assert "命名管道" in documents["pipe.txt"]["error"]
    assert all(documents[f"good{i}.txt"]["error"] is None for i in range(3))


# ---------------------------------------------------------------- rule files

BILLION_LAUGHS = """\
version: 1
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
rules: *i
"""



def rule_error(tmp_path, text: str) -> str:
    from budgetaudit.engine.rulefile import RuleFileError, load_rule_file

    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_billion_laughs_rule_file_is_refused(tmp_path):
    started = time.monotonic()
    message = rule_error(tmp_path, BILLION_LAUGHS)
    assert "展开别名后节点超过" in message and "第 " in message
    assert time.monotonic() - started < 10


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    message = rule_error(tmp_path, "version: 1\nrules: &r\n  - *r\n")
    assert "别名引用了包含它自身的节点" in message


def test_a_rule_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    limited(monkeypatch, rule_kb=1)
    message = rule_error(tmp_path, "version: 1\nrules:\n" + "  - x\n" * 1000)
    assert "规则文件大小（KB）上限 1" in message


@pytest.mark.parametrize("equation", [
    "支出总表[合计].合计 = " + " + ".join(["支出总表[合计].基本支出"] * 1000),
    "支出总表[合计].合计 = " + " + ".join(["sum(支出总表[类].基本支出)"] * 5000),
    "支出总表[合计].合计 = " + "(" * 3000 + "1" + ")" * 3000,
    "支出总表[合计].合计 = " + "-" * 3000 + "1",
])
def test_long_or_deep_expressions_are_one_line_errors(tmp_path, equation):
    message = rule_error(tmp_path, hostile.RULE.format(equation=equation))
    assert "第 8 行" in message and ("表达式过长或嵌套过深" in message or "嵌套过深" in message)


def test_an_invalid_pattern_is_an_error_naming_file_and_line(tmp_path):
    message = rule_error(tmp_path, hostile.RULE.format(
        equation="三公表[公务用车购置费].合计 >= sum(项目支出表[项目~(].项目支出合计)"))
    assert "第 8 行" in message and "正则表达式有误" in message


def test_a_pattern_is_used_as_written_and_matches_the_normalised_name():
    from decimal import Decimal

    from budgetaudit.engine.resolve import FactIndex, Selector
    from budgetaudit.model import Facts, Row, Table

    selector = Selector.parse("项目~(购置|采购|购买).{0,8}车")
    assert selector.pattern == "(购置|采购|购买).{0,8}车"
    rows = tuple(Row(label=name, cells={"项目支出合计": Decimal("10")}, line=i, text=name,
                     project=name) for i, name in enumerate(["购置公务用车", "办公用房维修"], 1))
    table = Table(id="gpb_project", title="项目支出表", unit="万元", columns=("项目支出合计",),
                  rows=rows, start=1, end=3)
    index = FactIndex(Facts(path="x", sections=(), tables=(table,)))
    assert [r.project for r in index.rows(table, selector)] == ["购置公务用车"]


# ---------------------------------------------------------------- output


@POSIX
def test_a_full_stdout_is_one_line_and_exit_2():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    for fmt in ("terminal", "json"):
        with open("/dev/full", "w") as full:
            result = cli("check", KASHI, "--format", fmt, stdout=full)
        assert result.returncode == 2
        assert "无法写入标准输出" in result.stderr.decode()


@POSIX
def test_a_closed_stdout_is_one_line_and_exit_2():
    for fmt in ("terminal", "json"):
        result = cli("check", KASHI, "--format", fmt, preexec_fn=lambda: os.close(1))
        assert result.returncode == 2
        assert "标准输出已关闭" in result.stderr.decode()


@POSIX
def test_a_reader_that_stops_early_ends_quietly():
    command = [sys.executable, "-m", "budgetaudit", "extract", str(KASHI)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.read(10)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        process.wait(timeout=60)
    assert stderr == ""
    assert process.returncode == 0


@POSIX
@pytest.mark.parametrize("fmt,start", [("terminal", "✘"), ("jsonl", '{"type":"document"')])
def test_a_batch_whose_reader_stops_early_ends_quietly(tmp_path, fmt, start):
    """`budgetaudit check folder | head -1`: the later documents' lines meet a
    closed pipe; no error line, exit code 1 as for any report with findings."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_bytes(KASHI.read_bytes())
    command = [sys.executable, "-m", "budgetaudit", "check", str(tmp_path), "-f", fmt]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        first = process.stdout.read(len(start.encode()))
        process.stdout.close()
        stderr = process.stderr.read().decode()
        process.wait(timeout=60)
    assert first.decode("utf-8", "replace") == start
    assert stderr == ""
    assert process.returncode == 1


def test_the_report_never_overwrites_an_input(tmp_path):
    disclosure = tmp_path / "kashi.txt"
    disclosure.write_bytes(KASHI.read_bytes())
    for command in (["check", disclosure], ["extract", disclosure], ["check", tmp_path]):
        result = cli(*command, "-o", disclosure)
        assert result.returncode == 2 and "拒绝覆盖" in result.stderr.decode()
    assert disclosure.read_bytes() == KASHI.read_bytes()


def test_the_report_file_is_written_whole_without_leftovers(tmp_path):
    report = tmp_path / "report.json"
    report.write_text("an older report", encoding="utf-8")
    cli("check", KASHI, "--format", "json", "-o", report)
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["documents"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


# ---------------------------------------------------------------- usage, interruption, bugs


@pytest.mark.parametrize("args, words", [
    (["check", "--jobs", "-1", KASHI], "'--jobs' / '-j' 的值 -1 超出范围"),
    (["check", "--format", "xml", KASHI], "'--format' / '-f' 的值 'xml' 无效"),
    (["extract", "--format", "xml", KASHI], "'--format' / '-f' 的值 'xml' 无效"),
    (["check", "--bogus", KASHI], "没有选项 --bogus"),
    (["--limit", "page_seconds=-1", "check", KASHI], "限制 page_seconds 的值应大于 0"),
    (["--limit", "pages=1", "check", KASHI], "--limit 应写作 名称=数值"),
])
def test_usage_errors_are_one_chinese_line(args, words):
    result = cli(*args)
    assert result.returncode == 2
    assert words in result.stderr.decode()


def test_a_raised_limit_is_used(tmp_path):
    result = cli("--limit", "file_mb=0.001", "check", KASHI)
    assert result.returncode == 2 and "file_mb" in result.stdout.decode()
    result = cli("check", KASHI, env={"BUDGETAUDIT_LIMIT_FILE_MB": "0.001"})
    assert result.returncode == 2 and "file_mb" in result.stdout.decode()


@POSIX
def test_ctrl_c_on_one_file_exits_130_with_one_line(tmp_path):
    slow = hostile.unbalanced_string(tmp_path / "slow.pdf", 60)  # about 15 s to read, quiet
    command = [sys.executable, "-m", "budgetaudit", "check", str(slow)]
    env = {**os.environ, "BUDGETAUDIT_LIMIT_PAGE_SECONDS": "120"}
    # a process started in the background inherits SIGINT ignored; a terminal's does not
    default_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, preexec_fn=default_sigint) as process:
        time.sleep(3)  # started and reading
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout.decode()
    assert stderr.decode().strip() == "budgetaudit: 已中断 (interrupted)"


def test_an_unexpected_error_is_one_line_unless_debugging(monkeypatch, capsys):
    from budgetaudit import audit as audit_module
    from budgetaudit.audit import audit

    def broken(path):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(audit_module, "read_facts", broken)
    monkeypatch.delenv("BUDGETAUDIT_DEBUG", raising=False)
    result = audit(KASHI, [])
    assert "IndexError: tuple index out of range" in result.error and "\n" not in result.error
    assert "--debug" in result.error and capsys.readouterr().err == ""
    monkeypatch.setenv("BUDGETAUDIT_DEBUG", "1")
    audit(KASHI, [])
    assert "Traceback" in capsys.readouterr().err


def test_extract_prints_an_excerpt_not_the_whole_paragraph(tmp_path):
    lines = edits.sample_lines(edits.KASHI)
    long = "".join(line.strip() for line in lines if "万元" in line and "表" not in line)
    path = tmp_path / "one-paragraph.txt"
    path.write_text("\n".join(lines) + "\n" + long * 3 + "\n", encoding="utf-8")
    result = cli("extract", path)
    claims = json.loads(result.stdout)["claims"]
    assert claims and max(len(c["text"]) for c in claims) <= 162
    assert len(long) * 3 > 1000


def test_extract_has_the_same_boundary(monkeypatch):
    from typer.testing import CliRunner

    from budgetaudit import audit as audit_module
    from budgetaudit.cli import app

    def broken(path):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(audit_module, "read_facts", broken)
    monkeypatch.delenv("BUDGETAUDIT_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["extract", str(KASHI)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "IndexError" in result.stderr
    assert "Traceback" not in result.stderr


class SlowToDelete:
    """Its __del__ runs for 0.3 s: a signal that strikes in it raises where
    Python prints the exception and drops it."""

    def __del__(self):
        ends = time.monotonic() + 0.3
        while time.monotonic() < ends:
            pass


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer")
def test_a_time_limit_that_strikes_where_python_drops_the_raise_still_ends_the_block(capsys):
    from budgetaudit.guard import DocumentTimeout, time_limit

    with pytest.raises(DocumentTimeout):
        with time_limit(0.05):
            SlowToDelete()  # gone at once; the block would then end normally
    started = time.monotonic()
    with pytest.raises(DocumentTimeout):
        with time_limit(0.05):
            SlowToDelete()
            time.sleep(5)  # the timer strikes again, soon
    assert time.monotonic() - started < 2
    assert "DocumentTimeout" not in capsys.readouterr().err  # no "Exception ignored in" note
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer")
def test_the_document_time_limit_holds_for_text_and_checking(monkeypatch):
    from budgetaudit.audit import audit
    from budgetaudit.engine import load_rules

    limited(monkeypatch, document_seconds=0.001)
    result = audit(KASHI, load_rules([TABLES_YAML], defaults=False))
    assert "单个文件处理时间（秒）上限 0.001" in result.error and not result.findings
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left behind
