"""Command line: the only module that imports typer.

Heavy modules are imported inside the commands so that `budgetaudit --help`
and a single check start fast.
"""
from __future__ import annotations

import sys
import time
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
) -> None:
    """预算公开文件一致性审核工具。"""


def fail(message: str) -> None:
    """A one-line error on stderr and exit code 2."""
    typer.echo(f"budgetaudit: {message}", err=True)
    raise typer.Exit(EXIT_INPUT)


def write_output(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"无法写入 {output}：{exc.strerror} (cannot write output)")


@app.command()
def extract(
    file: Path = typer.Argument(..., help="预算公开文件（.pdf / .txt / .md）"),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
) -> None:
    """读取文件中的全部预算表，输出结构化数据 (print the tables as JSON or CSV)."""
    from budgetaudit.audit import read_facts
    from budgetaudit.extract.specs import SPEC_BY_ID
    from budgetaudit.report.facts import facts_csv, facts_json

    try:
        facts = read_facts(file)
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
    from budgetaudit.batch import Interrupted
    from budgetaudit.report import ReportOptions, failing_findings
    from budgetaudit.report.stream import finish, open_sink

    rules = _rules_or_fail(rule_files, no_default, select, ignore)
    files = list(collect(paths))
    if not files:
        fail("没有找到要检查的文件（.txt/.md/.pdf）(no input files found)")
    started = time.perf_counter()
    options = ReportOptions(lang=lang.value, quiet=quiet, fail_on=fail_on.value)
    metas = {r.code: r.meta for r in rules}
    try:
        with open_sink(fmt.value, output, metas, options, lambda text: write_output(text, output)) as sink:
            try:
                results = _check_files(files, rules, jobs, sink, lang.value)
            except Interrupted as stop:
                finish(sink, stop.results, options, time.perf_counter() - started, len(files), True)
                raise typer.Exit(EXIT_INTERRUPTED)
            finish(sink, results, options, time.perf_counter() - started, len(files))
    except InputError as exc:
        fail(str(exc))
    except OSError as exc:  # the report could not be written (a full disk, a closed pipe)
        fail(f"无法写入报告：{exc.strerror or exc} (cannot write the report)")
    if any(r.error for r in results):
        raise typer.Exit(EXIT_INPUT)
    if any(failing_findings(r, fail_on.value) for r in results):
        raise typer.Exit(EXIT_FINDINGS)


def _check_files(files, rules, jobs: int, sink, lang: str):
    """Every file's result, each passed to the sink as soon as it is in order;
    a progress bar on batches."""
    from budgetaudit.batch import run_batch, worker_count

    workers = worker_count(jobs, len(files), PARALLEL_THRESHOLD)
    if len(files) <= PROGRESS_THRESHOLD:
        return run_batch(files, rules, workers, sink.document)
    from budgetaudit.report.stream import progress_console
    from budgetaudit.report.terminal import BatchProgress

    with BatchProgress(progress_console(sink), len(files), lang) as bar:
        return run_batch(files, rules, workers, bar.emitting(sink.document), bar.tick)


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
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("budgetaudit: 已中断 (interrupted)", err=True)
        sys.exit(EXIT_INTERRUPTED)
