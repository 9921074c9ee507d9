"""Rules: loading the rule set, and checking a document's facts against it."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from budgetaudit.model import InputError

DEFAULT_RULES_PACKAGE = "budgetaudit.rules"


def default_rule_files() -> list[Path]:
    """The shipped YAML rule files: package data once installed, else the
    source tree's rules/ folder. (The package's folders come from its import
    spec: importlib.resources would cost more to import than to use.)"""
    from importlib.util import find_spec

    try:
        spec = find_spec(DEFAULT_RULES_PACKAGE)
    except ModuleNotFoundError:
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder).glob("*.yaml"))
        if found:
            return found
    return sorted((Path(__file__).resolve().parent.parent.parent / "rules").glob("*.yaml"))


def load_rules(extra: Iterable[Path] = (), defaults: bool = True):
    from budgetaudit.engine.rulefile import RuleFileError, load_rule_file

    files = (default_rule_files() if defaults else []) + list(extra)
    rules, seen = [], {}
    for path in files:
        for rule in load_rule_file(path):
            if rule.code in seen:
                raise RuleFileError(f"规则编号 {rule.code} 重复：{seen[rule.code]} 与 {rule.source}"
                                    f"（duplicate rule code）")
            seen[rule.code] = rule.source
            rules.append(rule)
    if not rules:
        raise InputError("没有可用的审核规则（no rules: check --rules / --no-default-rules）")
    return rules


def select_rules(rules: Sequence, select: Sequence[str] = (), ignore: Sequence[str] = ()):
    """Rules whose code starts with a --select entry and with no --ignore entry.

    An entry that matches no rule is a usage error: a typo must not quietly
    switch checking off.
    """
    codes = [r.code for r in rules]
    for entry in list(select) + list(ignore):
        if not any(code.startswith(entry) for code in codes):
            raise InputError(f"未知的规则编号：{entry}（unknown rule code; see `budgetaudit rules`）")
    chosen = [r for r in rules if not select or any(r.code.startswith(s) for s in select)]
    chosen = [r for r in chosen if not any(r.code.startswith(i) for i in ignore)]
    if not chosen:
        raise InputError("--select 与 --ignore 之后没有剩下任何规则（no rules left to run）")
    return chosen
