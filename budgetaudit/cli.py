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

from budgetaudit import cli_i18n
from budgetaudit.model import InputError

app = typer.Typer(
    name="budgetaudit",
    help="预算公开文件一致性审核工具。\n\n"
         "check 检查文件；extract 输出预算表数据；rules 查看审核规则。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and one-line usage errors, in Chinese (cli_i18n)
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
    xlsx = "xlsx"


class CheckFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    sarif = "sarif"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    错误 = "错误"
    警告 = "警告"
    提示 = "提示"


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
                                 help="显示版本号并退出"),
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


def write_output(data, output: Optional[Path]) -> None:
    """Text as UTF-8 (a leading BOM kept, for Excel), bytes (xlsx) as they are;
    a file is written whole or not at all."""
    from budgetaudit.output import write_file, write_stdout

    with output_errors():
        write_stdout(data) if output is None else write_file(output, data)


@app.command()
def extract(
    file: Path = typer.Argument(..., metavar="文件", help="预算公开文件（.pdf / .txt / .md）"),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
    tables_file: Optional[Path] = typer.Option(
        None, "--tables", help="报表另成一个文件时，与 FILE（情况说明）合为一份读取"),
    vocab: Optional[List[Path]] = typer.Option(None, "--vocab", help="另加词汇文件（YAML）"),
) -> None:
    """读取文件中的全部预算表，输出结构化数据（JSON、CSV 或 Excel）。"""
    from budgetaudit.audit import guarded, read_facts
    from budgetaudit.extract.specs import SPEC_BY_ID
    from budgetaudit.output import refuse_inputs
    from budgetaudit.pairing import Paired
    from budgetaudit.report.facts import facts_csv, facts_json

    _load_vocab(vocab)
    _needs_file(fmt.value, output)
    item = Paired(file, tables_file) if tables_file else file
    with output_errors():
        refuse_inputs(output, [file] + ([tables_file] if tables_file else []))
    try:
        facts = guarded(file, lambda: read_facts(item))
    except InputError as exc:
        fail(str(exc))
    if facts.missing:
        names = "、".join(SPEC_BY_ID[table_id].title for table_id in facts.missing)
        typer.echo(f"budgetaudit: 注意：{file} 缺少表：{names} (tables missing)", err=True)
    if fmt is ExtractFormat.xlsx:
        from budgetaudit.report.xlsx import facts_xlsx

        write_output(_or_fail(facts_xlsx, facts), output)
        return
    text = facts_json(facts) if fmt is ExtractFormat.json else facts_csv(facts)
    write_output(text, output)


def _load_vocab(files: Optional[List[Path]]) -> None:
    """Extend the shipped vocabulary with the user's files (validated, one-line errors)."""
    if not files:
        return
    from budgetaudit.extract.narrative_vocab import load_user_files

    try:
        load_user_files(files)
    except InputError as exc:
        fail(str(exc))


def _needs_file(fmt: str, output: Optional[Path]) -> None:
    if fmt == "xlsx" and output is None:
        fail("xlsx 格式需要用 -o 指定文件，例如 -o 审核结果.xlsx (xlsx needs --output)")


def _or_fail(function, *args):
    try:
        return function(*args)
    except InputError as exc:
        fail(str(exc))


def _rules_or_fail(rule_files: Optional[List[Path]], no_default: bool, select, ignore):
    from budgetaudit.check_options import split_codes
    from budgetaudit.engine import load_rules, select_rules

    try:
        rules = load_rules(rule_files or [], defaults=not no_default)
        return select_rules(rules, split_codes(select), split_codes(ignore))
    except InputError as exc:
        fail(str(exc))


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., metavar="路径", help="文件或文件夹（文件夹内的 .txt/.md/.pdf 逐个检查）"),
    fmt: Optional[CheckFormat] = typer.Option(None, "--format", "-f", help="报告格式（默认 terminal）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="报告写入文件"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只用这些规则（编号或前缀，可逗号分隔）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不用这些规则（编号或前缀）"),
    rule_files: Optional[List[Path]] = typer.Option(None, "--rules", help="另加规则文件（YAML）"),
    no_default: bool = typer.Option(False, "--no-default-rules", help="不用内置规则，只用 --rules"),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on",
                                            help="达到此级别的问题使退出码为 1（默认 错误）"),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="报告语言（默认 zh）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只报告未通过的文件"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0,
                             help="同时检查的进程数，0 为全部 CPU 核（文件较多时才并行）"),
    no_pair: bool = typer.Option(False, "--no-pair",
                                 help="不把同一文件夹中的“情况说明”和“报表”两个文件配成一份检查"),
    vocab: Optional[List[Path]] = typer.Option(None, "--vocab", help="另加词汇文件（表名、列名写法或情况说明的读法，YAML）"),
    config: Optional[Path] = typer.Option(None, "--config", help="设置文件（默认从被检查文件所在文件夹向上查找 "
                                          "budgetaudit.toml 或 pyproject.toml）"),
    isolated: bool = typer.Option(False, "--isolated", help="不读任何设置文件"),
    baseline_file: Optional[Path] = typer.Option(None, "--baseline", help="已说明的问题（基线文件），其中的问题不再报告"),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline",
                                                  help="把当前全部问题写入基线文件后退出"),
    statistics: bool = typer.Option(False, "--statistics", help="按规则统计问题次数"),
) -> None:
    """检查预算公开文件的一致性（退出码：0 通过，1 有问题，2 输入或用法错误）。"""
    from budgetaudit.audit import collect
    from budgetaudit.check_options import accept, resolve
    from budgetaudit.batch import Interrupted
    from budgetaudit.output import refuse_inputs
    from budgetaudit.report import ReportOptions, failing_findings
    from budgetaudit.report.stream import WholeRun, finish, open_sink

    _load_vocab(vocab)
    opts = _or_fail(lambda: resolve(
        paths, config, isolated, fmt=fmt and fmt.value, fail_on=fail_on and fail_on.value,
        lang=lang and lang.value, select=select, ignore=ignore, rule_files=rule_files,
        no_default=no_default, baseline_file=baseline_file))
    _needs_file(opts.format, output)
    rules = _rules_or_fail(opts.rule_files, opts.no_default, opts.select, opts.ignore)
    files = list(collect(paths))
    if not no_pair:
        from budgetaudit.pairing import pair_files

        files = pair_files(files)
    if not files:
        fail("没有找到要检查的文件（.txt/.md/.pdf/.html）(no input files found)")
    with output_errors():
        refuse_inputs(output, [p for f in files for p in (f if isinstance(f, tuple) else (f,))]
                      + list(opts.rule_files or []))
    started = time.perf_counter()
    metas = {r.code: r.meta for r in rules}
    options = ReportOptions(lang=opts.lang, quiet=quiet, fail_on=opts.fail_on)
    # the terminal report streams, document by document, unless findings must
    # first be seen whole (baseline, per-path ignores, statistics)
    streaming = (opts.format == "terminal" and not statistics and write_baseline is None
                 and opts.baseline is None and not opts.settings.per_path_ignores)
    try:
        with open_sink(opts.format, output, metas, options,
                       lambda text: write_output(text, output)) as sink:
            target = sink if streaming else WholeRun(sink)
            try:
                results, incomplete = _check_files(files, rules, jobs, target, opts.lang), False
            except Interrupted as stop:
                results, incomplete = stop.results, True
            if write_baseline is not None and not incomplete:
                _write_baseline(write_baseline, results, opts)
                return
            if not streaming:
                results = _or_fail(accept, results, opts, _note)
            if statistics:
                _statistics(results, rules, opts.lang, to_stderr=output is None and opts.format != "terminal")
            if not (statistics and opts.format == "terminal" and output is None):
                finish(target, results, options, time.perf_counter() - started, len(files), incomplete)
            if incomplete:
                raise typer.Exit(EXIT_INTERRUPTED)
    except InputError as exc:
        fail(str(exc))
    except OSError as exc:  # the report could not be written (a full disk)
        where = "标准输出" if output is None else shown_path(output)
        fail(f"无法写入{where}：{exc.strerror or exc} (cannot write the report)")
    if any(r.error for r in results):
        raise typer.Exit(EXIT_INPUT)
    if any(failing_findings(r, opts.fail_on) for r in results):
        raise typer.Exit(EXIT_FINDINGS)


def shown_path(path: Path) -> str:
    from budgetaudit.paths import shown

    return f" {shown(path)} "


def _note(message: str) -> None:
    typer.echo(f"budgetaudit: {message}", err=True)


def _write_baseline(target: Path, results, opts) -> None:
    from budgetaudit.baseline import ignore_by_path
    from budgetaudit.check_options import write_baseline

    found = opts.settings
    _or_fail(write_baseline, target, ignore_by_path(results, found.per_path_ignores, found.folder),
             _note)


def _statistics(results, rules, lang: str, to_stderr: bool) -> None:
    from budgetaudit.report.statistics import render_statistics

    text = render_statistics(results, {r.code: r.meta for r in rules}, lang)
    typer.echo(text, err=to_stderr, nl=False)


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
    """列出审核规则，或说明一条规则。"""
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


cli_i18n.install(app, cli_i18n.main_lang())


def main() -> None:
    """Run a command; whatever happens, at most one line on stderr."""
    from budgetaudit.output import OutputError, flush_stdout
    from budgetaudit.usage import is_usage_error

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

        if is_usage_error(exc) or type(exc).__name__ == "ClickException":
            exc.show()  # one line, in the language of --lang (cli_i18n)
        else:
            typer.echo(f"budgetaudit: {unexpected('', exc)}", err=True)
        code = EXIT_INPUT
    sys.exit(code if isinstance(code, int) else 0)
