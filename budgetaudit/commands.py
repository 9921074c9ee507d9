"""The work of the commands, without the command-line parser.

cli.py declares the commands with typer and calls into this module; what
every command shares (one-line errors, exit codes, writing a report) and the
whole of `check` live here, free of typer, so that launch.py can run a plain
`budgetaudit check FILE …` without importing typer and its click, which take
about as long to import as a small file takes to check.

An error ends the command with CommandExit(code); cli.py turns it into
typer's exit, launch.py into the process's exit code.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

from budgetaudit.model import InputError

EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130
PROGRESS_THRESHOLD = 3  # more files than this get a progress bar
PARALLEL_THRESHOLD = 8  # fewer files than this are not worth starting processes for
STREAMING = ("terminal", "jsonl")  # formats written document by document


class CommandExit(Exception):
    """End the command with this exit code (what it had to say is said)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class CheckFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    jsonl = "jsonl"
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


def echo(message: str, err: bool = False, nl: bool = True) -> None:
    """typer's echo (stream choice, encoding fallbacks), imported only when
    something is to be said."""
    from typer import echo as typer_echo

    typer_echo(message, err=err, nl=nl)


def fail(message: str) -> None:
    """A one-line error on stderr and exit code 2."""
    echo(f"budgetaudit: {message}", err=True)
    raise CommandExit(EXIT_INPUT)


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


def apply_limits(limit: Optional[List[str]], debug: bool) -> None:
    """The options of the command line's root: --limit and --debug."""
    import os

    from budgetaudit import limits

    if debug:
        os.environ["BUDGETAUDIT_DEBUG"] = "1"
    try:
        limits.apply_options(limit or [])
        limits.validate_environment()
    except ValueError as exc:
        fail(str(exc))


def load_vocab(files: Optional[List[Path]]) -> None:
    """Extend the shipped vocabulary with the user's files (validated, one-line errors)."""
    if not files:
        return
    from budgetaudit.extract.narrative_vocab import load_user_files

    try:
        load_user_files(files)
    except InputError as exc:
        fail(str(exc))


def needs_file(fmt: str, output: Optional[Path]) -> None:
    if fmt == "xlsx" and output is None:
        fail("xlsx 格式需要用 -o 指定文件，例如 -o 审核结果.xlsx (xlsx needs --output)")


def or_fail(function, *args):
    try:
        return function(*args)
    except InputError as exc:
        fail(str(exc))


def rules_or_fail(rule_files: Optional[List[Path]], no_default: bool, select, ignore):
    from budgetaudit.check_options import split_codes
    from budgetaudit.engine import load_rules, select_rules

    try:
        rules = load_rules(rule_files or [], defaults=not no_default)
        return select_rules(rules, split_codes(select), split_codes(ignore))
    except InputError as exc:
        fail(str(exc))


def check(
    paths: List[Path],
    fmt: Optional[CheckFormat] = None,
    output: Optional[Path] = None,
    select: Optional[List[str]] = None,
    ignore: Optional[List[str]] = None,
    rule_files: Optional[List[Path]] = None,
    no_default: bool = False,
    fail_on: Optional[Level] = None,
    lang: Optional[Lang] = None,
    quiet: bool = False,
    jobs: int = 0,
    no_pair: bool = False,
    vocab: Optional[List[Path]] = None,
    config: Optional[Path] = None,
    isolated: bool = False,
    baseline_file: Optional[Path] = None,
    write_baseline: Optional[Path] = None,
    statistics: bool = False,
) -> None:
    """The check command: what cli.check documents, with the same parameters."""
    from budgetaudit.audit import collect
    from budgetaudit.batch import Interrupted
    from budgetaudit.check_options import accept, resolve
    from budgetaudit.output import ReaderGone, refuse_inputs
    from budgetaudit.report import ReportOptions, failing_findings
    from budgetaudit.report.stream import WholeRun, finish, open_sink

    load_vocab(vocab)
    opts = or_fail(lambda: resolve(
        paths, config, isolated, fmt=fmt and fmt.value, fail_on=fail_on and fail_on.value,
        lang=lang and lang.value, select=select, ignore=ignore, rule_files=rule_files,
        no_default=no_default, baseline_file=baseline_file))
    needs_file(opts.format, output)
    rules = rules_or_fail(opts.rule_files, opts.no_default, opts.select, opts.ignore)
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
    # the terminal and JSON Lines reports stream, document by document, unless
    # findings must first be seen whole (baseline, per-path ignores, statistics)
    streaming = (opts.format in STREAMING and not statistics and write_baseline is None
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
                results = or_fail(accept, results, opts, _note)
            if statistics:
                _statistics(results, rules, opts.lang, to_stderr=output is None and opts.format != "terminal")
            if not (statistics and opts.format == "terminal" and output is None):
                finish(target, results, options, time.perf_counter() - started, len(files), incomplete)
            if incomplete:
                raise CommandExit(EXIT_INTERRUPTED)
    except InputError as exc:
        fail(str(exc))
    except ReaderGone:  # `check folder | head`: the report's reader has stopped
        raise CommandExit(EXIT_FINDINGS) from None  # exit 1, as rich ended such runs
    except OSError as exc:  # the report could not be written (a full disk)
        where = "标准输出" if output is None else shown_path(output)
        fail(f"无法写入{where}：{exc.strerror or exc} (cannot write the report)")
    if any(r.error for r in results):
        raise CommandExit(EXIT_INPUT)
    if any(failing_findings(r, opts.fail_on) for r in results):
        raise CommandExit(EXIT_FINDINGS)


def shown_path(path: Path) -> str:
    from budgetaudit.paths import shown

    return f" {shown(path)} "


def _note(message: str) -> None:
    echo(f"budgetaudit: {message}", err=True)


def _write_baseline(target: Path, results, opts) -> None:
    from budgetaudit.baseline import ignore_by_path
    from budgetaudit.check_options import write_baseline

    found = opts.settings
    or_fail(write_baseline, target, ignore_by_path(results, found.per_path_ignores, found.folder),
            _note)


def _statistics(results, rules, lang: str, to_stderr: bool) -> None:
    from budgetaudit.report.statistics import render_statistics

    text = render_statistics(results, {r.code: r.meta for r in rules}, lang)
    echo(text, err=to_stderr, nl=False)


def _check_files(files, rules, jobs: int, sink, lang: str):
    """Every file's result, each passed to the sink as soon as it is in order;
    a progress bar on batches."""
    from budgetaudit.batch import run_batch, worker_count

    workers = worker_count(jobs, len(files), PARALLEL_THRESHOLD)
    if len(files) <= PROGRESS_THRESHOLD:
        return run_batch(files, rules, workers, sink.document)
    from budgetaudit.report.stream import progress_console
    from budgetaudit.report.progress import BatchProgress

    with BatchProgress(progress_console(sink), len(files), lang) as bar:
        return run_batch(files, rules, workers, bar.emitting(sink.document), bar.tick)
