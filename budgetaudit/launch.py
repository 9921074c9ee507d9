"""Start a command: a plain `check` directly, anything else through typer.

Importing typer (and its click) takes about as long as checking a small
file, so the most common command line, `budgetaudit check FILE… [--format F]
[--output F] [--lang L] [--jobs N] [--quiet] [--no-pair]`, with each option
at most once and every value valid, runs commands.check without it, with
the same parameters typer would have passed. Every other command line (other
options, a repeated option, --opt=value, a bad value, help) goes to typer,
which parses it or says what is wrong with it as it always did.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Mapping, Optional, Sequence

from budgetaudit.commands import EXIT_INPUT, EXIT_INTERRUPTED, CheckFormat, CommandExit, Lang, echo

# option -> (parameter, how the value is read); flags take no value
PLAIN_OPTIONS = {"--format": "fmt", "-f": "fmt", "--output": "output", "-o": "output",
                 "--lang": "lang", "--jobs": "jobs", "-j": "jobs"}
PLAIN_FLAGS = {"--quiet": "quiet", "-q": "quiet", "--no-pair": "no_pair"}


def plain_check(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> Optional[dict]:
    """The parameters of commands.check when ``args`` are a plain check,
    else None (the command line is typer's to parse)."""
    if os.name == "nt":  # click expands wildcards in the arguments there
        return None
    if not args or args[0] != "check":
        return None
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None  # a shell-completion request, answered by click
    given: dict = {}
    paths: list[Path] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg in PLAIN_FLAGS:
            name, value = PLAIN_FLAGS[arg], True
        elif arg in PLAIN_OPTIONS:
            name, value = PLAIN_OPTIONS[arg], next(rest, None)
            if not value or value.startswith("-"):
                return None
        elif not arg or arg.startswith("-"):
            return None
        else:
            if not _readable_or_absent(arg):
                return None
            paths.append(Path(arg))
            continue
        if name in given:
            return None
        given[name] = value
    if not paths:
        return None
    return _converted(paths, given)


def _converted(paths: list[Path], given: dict) -> Optional[dict]:
    fmt, lang, jobs, output = (given.get(k) for k in ("fmt", "lang", "jobs", "output"))
    if fmt is not None and fmt not in CheckFormat.__members__:
        return None
    if lang is not None and lang not in Lang.__members__:
        return None
    if jobs is not None and not (jobs.isascii() and jobs.isdigit()):
        return None
    if output is not None and not _readable_or_absent(output):
        return None
    return {"paths": paths,
            "fmt": None if fmt is None else CheckFormat(fmt),
            "output": None if output is None else Path(output),
            "lang": None if lang is None else Lang(lang),
            "jobs": 0 if jobs is None else int(jobs),
            "quiet": given.get("quiet", False),
            "no_pair": given.get("no_pair", False)}


def _readable_or_absent(path: str) -> bool:
    """What typer's path parameters accept: a path that does not exist, or
    one that can be read."""
    try:
        os.stat(path)
    except OSError:
        return True
    except ValueError:  # an embedded NUL
        return False
    return os.access(path, os.R_OK)


def _run_plain(parameters: dict) -> Optional[int]:
    """commands.check as typer runs a command: the root's options first, an
    early end's code returned, Ctrl-C as 130, a closed pipe quietly as 1."""
    from budgetaudit import commands

    try:
        try:
            commands.apply_limits(None, False)
            commands.check(**parameters)
            return None
        except EOFError as error:
            import typer

            typer.echo(file=sys.stderr)
            raise typer.Abort() from error
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except OSError as error:
            import errno

            if error.errno != errno.EPIPE:
                raise
            from typer._click.utils import PacifyFlushWrapper

            sys.stdout = PacifyFlushWrapper(sys.stdout)
            sys.stderr = PacifyFlushWrapper(sys.stderr)
            sys.exit(1)
    except CommandExit as stop:
        return stop.code


def _typer_app():
    try:
        from budgetaudit.cli import app
    except KeyboardInterrupt:  # Ctrl-C while the program is still starting
        sys.stderr.write("budgetaudit: 已中断 (interrupted)\n")
        sys.exit(EXIT_INTERRUPTED)
    return app


def _aborted(error: BaseException) -> bool:
    typer = sys.modules.get("typer")
    return typer is not None and isinstance(error, typer.Abort)


def main() -> None:
    """Run a command; whatever happens, at most one line on stderr."""
    from budgetaudit.output import OutputError, flush_stdout
    from budgetaudit.usage import is_usage_error

    plain = plain_check(sys.argv[1:])
    app = _typer_app() if plain is None else None
    try:
        code = _run_plain(plain) if app is None else app(standalone_mode=False)
        flush_stdout()
        if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into this exit code
            raise KeyboardInterrupt
    except OutputError as exc:
        echo(f"budgetaudit: {exc}", err=True)
        code = EXIT_INPUT
    except KeyboardInterrupt:
        echo("budgetaudit: 已中断 (interrupted)", err=True)
        code = EXIT_INTERRUPTED
    except Exception as exc:
        from budgetaudit.guard import unexpected

        if _aborted(exc):
            echo("budgetaudit: 已中断 (interrupted)", err=True)
            code = EXIT_INTERRUPTED
        elif is_usage_error(exc) or type(exc).__name__ == "ClickException":
            exc.show()  # one line, in the language of --lang (cli_i18n)
            code = EXIT_INPUT
        else:
            echo(f"budgetaudit: {unexpected('', exc)}", err=True)
            code = EXIT_INPUT
    sys.exit(code if isinstance(code, int) else 0)
