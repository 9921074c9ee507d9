"""The command line's own words in Chinese (English with --lang en).

typer (with its vendored click) writes help headings, the help option and
usage errors in English. ``install`` patches those few places: help is plain
text (typer's rich help is switched off in cli.py), a usage error becomes one
line on stderr in the chosen language, and with ``--lang en`` every help text
of the commands is replaced by its English version from HELP_EN.
"""
from __future__ import annotations

import re
import sys
from typing import Optional, Sequence

WORDS_ZH = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "default: {default}": "默认：{default}",
    "required": "必需",
    "Missing command.": "缺少命令。",
    "Aborted!": "已中止。",
    "env var: {var}": "环境变量：{var}",
}
# (pattern, Chinese) for click's error messages, tried in order on the whole message
ERRORS_ZH = [
    (r"Missing argument '(.+?)'\.?(.*)", "缺少参数 {0}。{1}"),
    (r"Missing option '(.+?)'\.?(.*)", "缺少选项 {0}。{1}"),
    (r"Missing parameter:? ?'?(.+?)'?\.?", "缺少参数 {0}。"),
    (r"No such option: (\S+) ?\(Possible options: (.+)\)", "没有选项 {0}（可能是：{1}）"),
    (r"No such option: (\S+?)(?:\s+Did you mean (.+)\?)?", "没有选项 {0}{1}"),
    (r"Invalid value for (.+?): (.+?) is not one of (.+)\.", "{0} 的值 {1} 无效，可选：{2}。"),
    (r"Invalid value for (.+?): (.+?) is not a valid (.+)\.", "{0} 的值 {1} 无效：应是 {2}。"),
    (r"Invalid value for (.+?): (.+?) is not in the range (.+)\.", "{0} 的值 {1} 超出范围 {2}。"),
    (r"Invalid value for (.+?): (.+)", "{0} 的值无效：{1}"),
    (r"Option '(.+?)' requires an argument\.", "选项 {0} 后面需要一个值。"),
    (r"Option '(.+?)' does not take a value\.", "选项 {0} 不带值。"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", "多余的参数：{0}"),
    (r"No such command '(.+?)'\.{1,2} Did you mean '(.+?)'\?", "没有命令 {0}，是不是 {1}？"),
    (r"No such command '(.+?)'\.", "没有命令 {0}（可用：check、extract、rules）。"),
    (r"Missing command\.", "缺少命令（check、extract 或 rules）。"),
]
HELP_OPTION = {"zh": "显示本帮助并退出", "en": "Show this message and exit."}
USAGE = {"zh": "用法：", "en": "Usage: "}
SEE_HELP = {"zh": "（用法：{usage}；详见 {command} --help）",
            "en": " (usage: {usage}; see {command} --help)"}

HELP_EN = {
    "": "Consistency auditor for Chinese government budget disclosures (部门预算公开).\n\n"
        "check checks files; extract prints the tables; rules lists the rules.",
    "version": "Show the version and exit.",
    "check": "Check disclosures (exit 0 clean, 1 findings, 2 input or usage error).",
    "check.paths": "Files or folders (every .txt/.md/.pdf inside is checked).",
    "check.fmt": "Report format (default: terminal).",
    "check.output": "Write the report to this file.",
    "check.select": "Use only these rules (codes or prefixes, comma-separated).",
    "check.ignore": "Leave out these rules (codes or prefixes).",
    "check.rule_files": "An extra rule file (YAML); repeatable.",
    "check.no_default": "Do not use the built-in rules, only --rules.",
    "check.fail_on": "Findings at or above this level make the exit code 1 (default: error).",
    "check.lang": "Report language (default: zh).",
    "check.quiet": "Report only the files that fail.",
    "check.jobs": "Worker processes, 0 for every core (used for larger batches only).",
    "check.config": "Settings file (default: budgetaudit.toml or pyproject.toml found "
                    "upwards from the checked files).",
    "check.isolated": "Read no settings file.",
    "check.baseline_file": "Accepted findings (a baseline file): they are not reported.",
    "check.write_baseline": "Write every current finding to this baseline file and exit.",
    "check.statistics": "Count the findings per rule.",
    "extract": "Print the tables of a disclosure as JSON, CSV or Excel.",
    "extract.file": "A budget disclosure (.pdf / .txt / .md).",
    "extract.fmt": "Output format.",
    "extract.output": "Write to this file instead of standard output.",
    "rules": "List the rules, or explain one.",
    "rules.code": "A rule code: show its description and examples.",
    "rules.rule_files": "An extra rule file (YAML).",
    "rules.no_default": "Leave out the built-in rules.",
}


def language(argv: Sequence[str]) -> str:
    """"en" when the command line asks for --lang en, else "zh"."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return "en" if argv[index + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "zh"


def translate(message: str, lang: str) -> str:
    if lang != "zh":
        return message
    flat = " ".join(message.split())
    for pattern, chinese in ERRORS_ZH:
        found = re.fullmatch(pattern, flat)
        if found:
            parts = [g.strip() if g else "" for g in found.groups()]
            return chinese.format(*parts).strip()
    return flat


def install(app, lang: str) -> None:
    """Patch typer's words for ``lang`` and, for English, the commands' help."""
    import typer.core
    from typer._click import core as click_core
    from typer._click import exceptions, formatting

    if lang == "zh":
        typer.core._ = lambda text: WORDS_ZH.get(text, text)
        for target, chinese in _CHINESE.values():
            target.help = chinese
    else:
        typer.core._ = lambda text: text
        _english_help(app)
    exceptions.UsageError.show = lambda self, file=None: _show_usage_error(self, lang)
    exceptions.ClickException.show = lambda self, file=None: _echo_error(
        translate(self.format_message(), lang))
    _patch_usage_prefix(formatting, USAGE[lang])
    _patch_help_option(click_core, HELP_OPTION[lang])


def _show_usage_error(error, lang: str) -> None:
    message = translate(error.format_message(), lang)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage().strip()
        usage = usage[len(USAGE[lang]):] if usage.startswith(USAGE[lang]) else usage
        message += SEE_HELP[lang].format(usage=" ".join(usage.split()), command=ctx.command_path)
    _echo_error(message)


def _echo_error(message: str) -> None:
    from typer._click.utils import echo

    echo(f"budgetaudit: {message}", err=True)


def _patch_usage_prefix(formatting, prefix: str) -> None:
    original = formatting.HelpFormatter.write_usage
    if getattr(original, "_budgetaudit", False):
        original = original.__wrapped__

    def write_usage(self, prog: str, args: str = "", prefix_: Optional[str] = None) -> None:
        original(self, prog, args, prefix if prefix_ is None else prefix_)

    write_usage._budgetaudit = True
    write_usage.__wrapped__ = original
    formatting.HelpFormatter.write_usage = write_usage


def _patch_help_option(click_core, text: str) -> None:
    original = click_core.Command.get_help_option
    if getattr(original, "_budgetaudit", False):
        original = original.__wrapped__

    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = text
        return option

    get_help_option._budgetaudit = True
    get_help_option.__wrapped__ = original
    click_core.Command.get_help_option = get_help_option


_CHINESE: dict = {}  # object -> its Chinese help, kept to switch back


def _set_help(target, text: Optional[str], lang: str) -> None:
    _CHINESE.setdefault(id(target), (target, target.help))
    target.help = text if lang == "en" else _CHINESE[id(target)][1]


def _english_help(app) -> None:
    """Replace the Chinese help of the root and of every command and parameter."""
    import inspect

    _set_help(app.info, HELP_EN[""], "en")
    callback = app.registered_callback.callback if app.registered_callback else None
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        name = "rules" if name == "rules-command" else name
        if name in HELP_EN:
            _set_help(command, HELP_EN[name], "en")
        _params_help(inspect.signature(command.callback), name)
    if callback is not None:
        _params_help(inspect.signature(callback), None)


def _params_help(signature, command: Optional[str]) -> None:
    for parameter in signature.parameters.values():
        info = parameter.default
        key = f"{command}.{parameter.name}" if command else parameter.name
        if hasattr(info, "help") and key in HELP_EN:
            _set_help(info, HELP_EN[key], "en")


def main_lang() -> str:
    return language(sys.argv[1:])
