"""`check`'s options: the command line over the settings file over the defaults,
and what happens to the results afterwards (per-path ignores, the baseline).

The command line wins: --select replaces the file's select, --ignore adds to
its ignore, --rules adds to its rules; --format, --fail-on and --lang replace.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from budgetaudit import settings
from budgetaudit.model import DocumentResult, InputError


@dataclass(frozen=True)
class CheckOptions:
    """What a check runs with: the command line's options over the settings file's."""

    settings: settings.Settings
    format: str
    fail_on: str
    lang: str
    select: list[str]
    ignore: list[str]
    rule_files: list[Path]
    no_default: bool
    baseline: Optional[Path]


def split_codes(values: Optional[Sequence[str]]) -> list[str]:
    return [c.strip().upper() for v in values or [] for c in v.split(",") if c.strip()]


def read_settings(paths: Sequence[Path], config: Optional[Path], isolated: bool) -> settings.Settings:
    if isolated:
        return settings.Settings()
    found = config if config is not None else settings.discover(paths)
    return settings.load(found) if found is not None else settings.Settings()


def resolve(paths: Sequence[Path], config: Optional[Path], isolated: bool, *, fmt, fail_on,
            lang, select, ignore, rule_files, no_default: bool,
            baseline_file: Optional[Path]) -> CheckOptions:
    """Merge the command line (None where not given) with the settings file."""
    found = read_settings(paths, config, isolated)
    return CheckOptions(
        settings=found,
        format=fmt or found.format or "terminal",
        fail_on=settings.severity_name(fail_on) if fail_on else found.fail_on or "error",
        lang=lang or found.lang or "zh",
        select=split_codes(select) if select else split_codes(found.select),
        ignore=split_codes(found.ignore) + split_codes(ignore),
        rule_files=list(found.rules) + list(rule_files or []),
        no_default=no_default or found.no_default_rules,
        baseline=baseline_file if baseline_file is not None else found.baseline,
    )


def accept(results: list[DocumentResult], options: CheckOptions,
           note: Callable[[str], None]) -> list[DocumentResult]:
    """Per-path ignores, then the baseline; what was hidden or is stale goes to ``note``."""
    if not options.settings.per_path_ignores and options.baseline is None:
        return results
    from budgetaudit import baseline

    found = options.settings
    results = baseline.ignore_by_path(results, found.per_path_ignores, found.folder)
    if options.baseline is None:
        return results
    entries = baseline.load(options.baseline)
    applied = baseline.apply(results, entries, options.baseline.resolve().parent)
    if applied.hidden:
        note(f"已按基线 {options.baseline} 隐藏 {applied.hidden} 个已说明的问题")
    if applied.stale:
        for line in baseline.stale_lines(options.baseline, applied.stale):
            note(line)
    return applied.results


def write_baseline(target: Path, results: list[DocumentResult], note: Callable[[str], None]) -> None:
    from budgetaudit import baseline

    previous = []
    if target.is_file():
        try:
            previous = baseline.load(target)
        except InputError:
            previous = []  # an unreadable old file is replaced, reasons and all
    count = baseline.write(target, results, previous)
    note(f"已把 {count} 个问题写入 {target}；请在各条的 reason 中写明理由，"
         f"之后用 --baseline {target} 检查")
