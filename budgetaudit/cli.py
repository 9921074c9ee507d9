"""Command line: the only module that imports typer.

Heavy modules are imported inside the commands so that `budgetaudit --help`
and a single check start fast. The commands' work is in commands.py, free of
typer, so that launch.py can run a plain `check` without this module.
"""
from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from budgetaudit import cli_i18n, commands
from budgetaudit.commands import (  # noqa: F401 (the names this module always had)
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    PARALLEL_THRESHOLD,
    PROGRESS_THRESHOLD,
    CheckFormat,
    CommandExit,
    Lang,
    Level,
    fail,
    output_errors,
    write_output,
)
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


class ExtractFormat(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@contextmanager
def exits():
    """A command that ends early (commands.CommandExit) exits through typer."""
    try:
        yield
    except CommandExit as stop:
        raise typer.Exit(stop.code) from None


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
    with exits():
        commands.apply_limits(limit, debug)


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
    with exits():
        _extract(file, fmt, output, tables_file, vocab)


def _extract(file: Path, fmt: ExtractFormat, output: Optional[Path], tables_file: Optional[Path],
             vocab: Optional[List[Path]]) -> None:
    from budgetaudit.audit import guarded, read_facts
    from budgetaudit.extract.specs import SPEC_BY_ID
    from budgetaudit.output import refuse_inputs
    from budgetaudit.pairing import Paired
    from budgetaudit.report.facts import facts_csv, facts_json

    commands.load_vocab(vocab)
    commands.needs_file(fmt.value, output)
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

        write_output(commands.or_fail(facts_xlsx, facts), output)
        return
    text = facts_json(facts) if fmt is ExtractFormat.json else facts_csv(facts)
    write_output(text, output)


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
    with exits():
        commands.check(paths, fmt=fmt, output=output, select=select, ignore=ignore,
                       rule_files=rule_files, no_default=no_default, fail_on=fail_on, lang=lang,
                       quiet=quiet, jobs=jobs, no_pair=no_pair, vocab=vocab, config=config,
                       isolated=isolated, baseline_file=baseline_file,
                       write_baseline=write_baseline, statistics=statistics)


@app.command("rules")
def rules_command(
    code: Optional[str] = typer.Argument(None, help="规则编号，给出时显示该规则的说明和例子"),
    rule_files: Optional[List[Path]] = typer.Option(None, "--rules", help="另加规则文件（YAML）"),
    no_default: bool = typer.Option(False, "--no-default-rules", help="不列内置规则"),
) -> None:
    """列出审核规则，或说明一条规则。"""
    from budgetaudit.report.terminal import explain_rule, make_console, rules_table

    with exits():
        rules = commands.rules_or_fail(rule_files, no_default, None, None)
        console = make_console().rich()
        if code is None:
            console.print(rules_table(rules))
            return
        match = [r for r in rules if r.code == code.strip().upper()]
        if not match:
            fail(f"未知的规则编号：{code}（unknown rule code; see `budgetaudit rules`）")
        explain_rule(console, match[0])


cli_i18n.install(app, cli_i18n.main_lang())


def main() -> None:
    """Run a command (launch.main: a plain check without typer)."""
    from budgetaudit.launch import main as launch

    launch()
