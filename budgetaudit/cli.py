"""Command line: the only module that imports typer.

Heavy modules are imported inside the commands so that `budgetaudit --help`
and a single check start fast.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from budgetaudit.model import InputError

app = typer.Typer(
    name="budgetaudit",
    help="预算公开文件一致性审核工具 (consistency auditor for Chinese budget disclosures).",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_INPUT = 2


class ExtractFormat(str, Enum):
    json = "json"
    csv = "csv"


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
    """预算公开文件一致性审核工具。

    check 检查预算公开文件；extract 输出其中的预算表；rules 列出审核规则。
    """


def fail(message: str) -> None:
    """A one-line error on stderr and exit code 2."""
    typer.echo(f"budgetaudit: {message}", err=True)
    raise typer.Exit(EXIT_INPUT)


def read_facts(path: Path):
    """Load and extract one document; InputError for anything unreadable."""
    from budgetaudit.extract import sections
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.load import load

    document = load(path)
    if not sections.looks_like_disclosure(document):
        raise InputError(f"不是预算公开文件：{path}（未找到预算表或预算说明）(not a budget disclosure)")
    return extract_facts(document)


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
    file: Path = typer.Argument(..., help="预算公开文件（.txt / .md）"),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
) -> None:
    """读取文件中的全部预算表，输出结构化数据 (print the tables as JSON or CSV)."""
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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("budgetaudit: 已中断 (interrupted)", err=True)
        sys.exit(130)
