"""Reports written while a batch runs.

A sink receives each document's result as soon as it is known (in file order)
and the whole run at the end. The terminal and JSON Lines sinks write every
document at once, so the first lines appear while later files are still
checked and the rendering is no serial tail after the work; the others (json,
sarif, csv, html, xlsx) are single documents and are written whole at the end.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Mapping, Optional, Sequence

from budgetaudit.model import DocumentResult, InputError, RuleMeta
from budgetaudit.report import PASS, ReportOptions, get_reporter, summarize, verdict

INTERRUPTED = {
    "zh": "已中断：{done} / {total} 个文件已检查，报告不完整",
    "en": "interrupted: {done} of {total} files checked, the report is incomplete",
}


class WholeSink:
    """json / sarif / csv / html / xlsx: rendered once, from every result, at the end."""

    def __init__(self, fmt: str, metas: Mapping[str, RuleMeta], write: Callable[[str], None]):
        self.render = get_reporter(fmt)
        self.metas = metas
        self.write = write

    def document(self, result: DocumentResult) -> None:
        pass

    def close(self, results: Sequence[DocumentResult], options: ReportOptions, total: int) -> None:
        self.write(self.render(results, self.metas, options))


class TerminalSink:
    """The terminal report, one document at a time, then the summary."""

    def __init__(self, console, metas: Mapping[str, RuleMeta], options: ReportOptions,
                 titles: Mapping[str, str]):
        self.console = console
        self.metas = metas
        self.options = options
        self.titles = titles
        self.ended_blank = True

    def document(self, result: DocumentResult) -> None:
        from budgetaudit.report.terminal import print_document

        if self.options.quiet and verdict(result, self.options.fail_on) == PASS:
            return
        self.ended_blank = print_document(self.console, result, self.options, self.titles)

    def close(self, results: Sequence[DocumentResult], options: ReportOptions, total: int) -> None:
        from budgetaudit.report.terminal import print_error, summary_table

        if options.incomplete:
            print_error(self.console, INTERRUPTED[options.lang].format(done=len(results), total=total))
        if len(results) > 1 or options.incomplete:
            if not self.ended_blank:
                self.console.print()
            table_console = self.console.rich()
            table_console.print(summary_table(summarize(results, options), options.lang, table_console))


class LinesSink:
    """JSON Lines: a line per document as it is done, the summary line at the end."""

    def __init__(self, metas: Mapping[str, RuleMeta], write: Callable[[str], None]):
        self.metas = metas
        self.write = write

    def document(self, result: DocumentResult) -> None:
        from budgetaudit.report.jsonl import document_line

        self.write(document_line(result, self.metas))

    def close(self, results: Sequence[DocumentResult], options: ReportOptions, total: int) -> None:
        from budgetaudit.report.jsonl import summary_line

        self.write(summary_line(results, options))


class WholeRun:
    """A sink that waits for the whole run (a baseline or statistics must see
    every finding first), then hands every document to the sink it wraps."""

    def __init__(self, sink):
        self.sink = sink
        self.console = getattr(sink, "console", None)

    def document(self, result: DocumentResult) -> None:
        pass

    def close(self, results: Sequence[DocumentResult], options: ReportOptions, total: int) -> None:
        for result in results:
            self.sink.document(result)
        self.sink.close(results, options, total)


def table_titles() -> dict:
    """How the terminal report heads a table's findings: "表3 支出总体情况表"."""
    from budgetaudit.extract.specs import all_specs

    return {s.id: f"表{s.number} {s.title}" if s.number else s.title for s in all_specs()}


def finish(sink, results: Sequence[DocumentResult], options: ReportOptions, seconds: float,
           total: int, incomplete: bool = False) -> None:
    sink.close(results, replace(options, total_seconds=seconds, incomplete=incomplete), total)


@contextmanager
def open_sink(fmt: str, output: Optional[Path], metas: Mapping[str, RuleMeta],
              options: ReportOptions, write: Callable[[str], None]) -> Iterator:
    """The sink for ``fmt``; a terminal report to a file opens the file first,
    so a file that cannot be written is an error before any work."""
    if fmt == "jsonl":
        with _stream(output) as write_line:
            yield LinesSink(metas, write_line)
        return
    if fmt != "terminal":
        yield WholeSink(fmt, metas, write)
        return
    from budgetaudit.report.terminal import make_console

    titles = table_titles()
    if output is None:
        from budgetaudit.output import stdout_errors, stdout_or_fail

        stream = stdout_or_fail()  # started without a stdout: one line, exit 2
        # a console that cannot encode ✔/✘/› (GBK) gets "?" rather than a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
        # a full stdout is one line; a closed pipe ends the run quietly
        with stdout_errors(ending=True):
            yield TerminalSink(make_console(), metas, options, titles)
        return
    with _report_file(output) as handle:
        yield TerminalSink(make_console(file=handle, width=120), metas, options, titles)


def _report_file(output: Path):
    """The report file, opened before any work: one that cannot be written is
    an input error at once, not after the batch."""
    try:
        return output.open("w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"无法写入 {output}：{exc.strerror} (cannot write output)") from None


@contextmanager
def _stream(output: Optional[Path]) -> Iterator[Callable[[str], None]]:
    """A writer of whole lines, each flushed at once: to stdout (a closed pipe
    ends the run quietly), or to a file opened before any work."""
    if output is None:
        from budgetaudit.output import stdout_errors, stdout_or_fail

        stream = stdout_or_fail()
        buffer = getattr(stream, "buffer", None)

        def write_line(line: str) -> None:
            if buffer is None:  # a text-only stream (a test runner's)
                stream.write(line)
            else:  # UTF-8 whatever the console's encoding, as the JSON report
                buffer.write(line.encode("utf-8"))
                buffer.flush()

        stream.flush()
        with stdout_errors(ending=True):
            yield write_line
        return
    with _report_file(output) as handle:
        def write_line(line: str) -> None:
            handle.write(line)
            handle.flush()

        yield write_line


def progress_console(sink):
    """The rich console of the progress bar: the report's own when both share
    the terminal (report lines then go through it and appear above the bar),
    else one on stderr."""
    from budgetaudit.report.terminal import make_console

    console = getattr(sink, "console", None)
    if console is not None and console.is_terminal and sys.stderr.isatty():
        return console.rich()
    return make_console(stderr=True).rich()
