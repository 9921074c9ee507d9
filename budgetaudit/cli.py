"""Command line: the only module that imports typer.

Heavy modules are imported inside the commands so that `budgetaudit --help`
and a single check start fast.
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from budgetaudit.model import InputError

app = typer.Typer(
    name="budgetaudit",
    help="预算公开文件一致性审核工具 (consistency auditor for Chinese budget disclosures).\n\n"
         "check 检查文件；extract 输出预算表数据；rules 查看审核规则。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130
PROGRESS_THRESHOLD = 3  # more files than this get a progress bar
PARALLEL_THRESHOLD = 8  # fewer files than this are not worth starting processes for


class ExtractFormat(str, Enum):
    json = "json"
    csv = "csv"


class CheckFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    sarif = "sarif"
    csv = "csv"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def _show_version(value: bool) -> None:
    if value:
        from budgetaudit import __version__

        typer.echo(f"budgetaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="显示版本号 (show the version)"),
    limit: Optional[List[str]] = typer.Option(None, "--limit", metavar="NAME=VALUE",
                                              help="调整资源限制，如 page_seconds=60（见 README）"),
    debug: bool = typer.Option(False, "--debug", help="出错时显示 Python 调用栈（用于报告问题）"),
) -> None:
    """预算公开文件一致性审核工具。"""
    from budgetaudit import limits

    if debug:
        os.environ["BUDGETAUDIT_DEBUG"] = "1"
    try:
        limits.apply_options(limit or [])
        limits.validate_environment()
    except ValueError as exc:
        fail(str(exc))


def fail(message: str) -> None:
    """A one-line error on stderr and exit code 2."""
    typer.echo(f"budgetaudit: {message}", err=True)
    raise typer.Exit(EXIT_INPUT)


@contextmanager
def output_errors():
    """A report that cannot be written (or would overwrite an input): one line, exit 2."""
    from budgetaudit.output import OutputError

    try:
        yield
    except OutputError as exc:
        fail(str(exc))


def write_output(text: str, output: Optional[Path]) -> None:
    from budgetaudit.output import write_file, write_stdout

    with output_errors():
        write_stdout(text) if output is None else write_file(output, text)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="预算公开文件（.pdf / .txt / .md）"),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
) -> None:
    """读取文件中的全部预算表，输出结构化数据 (print the tables as JSON or CSV)."""
    from budgetaudit.audit import guarded, read_facts
    from budgetaudit.extract.specs import SPEC_BY_ID
    from budgetaudit.output import refuse_inputs
    from budgetaudit.report.facts import facts_csv, facts_json

    with output_errors():
        refuse_inputs(output, [file])
    try:
        facts = guarded(file, lambda: read_facts(file))
    except InputError as exc:
        fail(str(exc))
    if facts.missing:
        names = "、".join(SPEC_BY_ID[table_id].title for table_id in facts.missing)
        typer.echo(f"budgetaudit: 注意：{file} 缺少表：{names} (tables missing)", err=True)
    text = facts_json(facts) if fmt is ExtractFormat.json else facts_csv(facts)
    write_output(text, output)


def _split_codes(values: Optional[List[str]]) -> list[str]:
    return [c.strip().upper() for v in values or [] for c in v.split(",") if c.strip()]


def _rules_or_fail(rule_files: Optional[List[Path]], no_default: bool, select, ignore):
    from budgetaudit.engine import load_rules, select_rules

    try:
        rules = load_rules(rule_files or [], defaults=not no_default)
        return select_rules(rules, _split_codes(select), _split_codes(ignore))
    except InputError as exc:
        fail(str(exc))


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="文件或文件夹（文件夹内的 .txt/.md/.pdf 逐个检查）"),
    fmt: CheckFormat = typer.Option(CheckFormat.terminal, "--format", "-f", help="报告格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="报告写入文件"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只用这些规则（编号或前缀，可逗号分隔）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不用这些规则（编号或前缀）"),
    rule_files: Optional[List[Path]] = typer.Option(None, "--rules", help="另加规则文件（YAML）"),
    no_default: bool = typer.Option(False, "--no-default-rules", help="不用内置规则，只用 --rules"),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="达到此级别的问题使退出码为 1"),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="报告语言"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只报告未通过的文件"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0,
                             help="同时检查的进程数，0 为全部 CPU 核（文件较多时才并行）"),
) -> None:
    """检查预算公开文件的一致性 (check disclosures; exit 0 clean, 1 findings, 2 input error)."""
    from budgetaudit.audit import collect
    from budgetaudit.output import refuse_inputs
    from budgetaudit.report import ReportOptions, failing_findings

    rules = _rules_or_fail(rule_files, no_default, select, ignore)
    files = list(collect(paths))
    if not files:
        fail("没有找到要检查的文件（.txt/.md/.pdf）(no input files found)")
    with output_errors():
        refuse_inputs(output, files + list(rule_files or []))
    started = time.perf_counter()
    results = list(_audit_all(files, rules, lang.value, jobs))
    options = ReportOptions(lang=lang.value, quiet=quiet, fail_on=fail_on.value,
                            total_seconds=time.perf_counter() - started)
    _report(results, rules, options, fmt, output)
    if any(r.error for r in results):
        raise typer.Exit(EXIT_INPUT)
    if any(failing_findings(r, fail_on.value) for r in results):
        raise typer.Exit(EXIT_FINDINGS)


def _audit_all(files, rules, lang, jobs: int):
    """The result for each file, in order; a progress bar on batches."""
    if len(files) <= PROGRESS_THRESHOLD:
        yield from (result for _, result in _results(files, rules, 1))
        return
    from budgetaudit.paths import shown
    from budgetaudit.report.terminal import make_console, make_progress

    with make_progress(make_console(stderr=True), len(files), lang=lang) as progress:
        task = progress.task_ids[0]
        for path, result in _results(files, rules, _workers(jobs, len(files))):
            progress.update(task, description=shown(path))
            progress.advance(task)
            yield result


def _workers(jobs: int, files: int) -> int:
    cores = os.cpu_count() or 1
    wanted = cores if jobs == 0 else jobs
    return 1 if files < PARALLEL_THRESHOLD else max(1, min(wanted, files))


def _results(files, rules, workers: int):
    """(path, result) in the order of `files`, from worker processes when asked."""
    from budgetaudit.audit import audit

    if workers == 1:
        for path in files:
            yield path, audit(path, rules)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(files, pool.map(audit, files, [rules] * len(files), chunksize=4))


def _report(results, rules, options, fmt: CheckFormat, output: Optional[Path]) -> None:
    from budgetaudit.report import get_reporter

    metas = {r.code: r.meta for r in rules}
    reporter = get_reporter(fmt.value)
    if fmt is not CheckFormat.terminal:
        write_output(reporter(results, metas, options), output)
        return
    from budgetaudit.extract.specs import SPECS
    from budgetaudit.report.terminal import make_console

    titles = {s.id: f"表{s.number} {s.title}" for s in SPECS}
    if output is None:
        from budgetaudit.output import stdout_errors, stdout_or_fail

        with output_errors():
            stream = stdout_or_fail()
        # a console that cannot encode ✔/✘/› (GBK) gets "?" rather than a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
        with output_errors(), stdout_errors():
            reporter(results, metas, options, make_console(), table_titles=titles)
        return
    from io import StringIO

    buffer = StringIO()
    reporter(results, metas, options, make_console(file=buffer, width=120), table_titles=titles)
    write_output(buffer.getvalue(), output)


@app.command("rules")
def rules_command(
    code: Optional[str] = typer.Argument(None, help="规则编号，给出时显示该规则的说明和例子"),
    rule_files: Optional[List[Path]] = typer.Option(None, "--rules", help="另加规则文件（YAML）"),
    no_default: bool = typer.Option(False, "--no-default-rules", help="不列内置规则"),
) -> None:
    """列出审核规则，或说明一条规则 (list the rules, or explain one)."""
    from budgetaudit.report.terminal import explain_rule, make_console, rules_table

    rules = _rules_or_fail(rule_files, no_default, None, None)
    console = make_console()
    if code is None:
        console.print(rules_table(rules))
        return
    match = [r for r in rules if r.code == code.strip().upper()]
    if not match:
        fail(f"未知的规则编号：{code}（unknown rule code; see `budgetaudit rules`）")
    explain_rule(console, match[0])


def main() -> None:
    """Run a command; whatever happens, at most one line on stderr."""
    from budgetaudit.output import OutputError, flush_stdout
    from budgetaudit.usage import is_usage_error, usage_line

    try:
        code = app(standalone_mode=False)
        flush_stdout()
        if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into this exit code
            raise KeyboardInterrupt
    except OutputError as exc:
        typer.echo(f"budgetaudit: {exc}", err=True)
        code = EXIT_INPUT
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("budgetaudit: 已中断 (interrupted)", err=True)
        code = EXIT_INTERRUPTED
    except Exception as exc:
        from budgetaudit.guard import unexpected

        line = usage_line(exc) if is_usage_error(exc) else f"budgetaudit: {unexpected('', exc)}"
        typer.echo(line, err=True)
        code = EXIT_INPUT
    sys.exit(code if isinstance(code, int) else 0)
