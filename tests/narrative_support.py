"""Shared by the narrative tests: the samples' facts, edits, claims and rules.

The narrative tests (test_claims.py, test_narrative_cases.py,
test_mutation_narrative.py) read the real samples and documented edits of
them; this module keeps the loading, the editing and the claim look-ups in
one place.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load
from budgetaudit.model import Claim, Facts, Finding

SAMPLES = {"kashi": edits.KASHI, "wuqia": edits.WUQIA, "xinjiang": edits.XINJIANG}
SHORT = {name: short for short, name in SAMPLES.items()}
ROOT = Path(__file__).resolve().parent.parent
NARRATIVE_RULES_FILE = ROOT / "rules" / "narrative.yaml"
NARRATIVE_CODES = tuple(r["code"] for r in yaml.safe_load(
    NARRATIVE_RULES_FILE.read_text(encoding="utf-8"))["rules"])
RANK = {"info": 0, "warning": 1, "error": 2}


@lru_cache(maxsize=None)
def rules() -> tuple:
    return tuple(load_rules())


def rule(code: str):
    return next(r for r in rules() if r.code == code)


@lru_cache(maxsize=None)
def published(sample: str) -> Facts:
    return extract_facts(load(edits.SAMPLES / f"{SAMPLES[sample]}.txt"))


@lru_cache(maxsize=None)
def published_findings(sample: str) -> tuple[Finding, ...]:
    return tuple(check_facts(published(sample), rules()))


def edited_lines(sample: str, changes: Iterable[tuple[int, str, str]]) -> list[str]:
    """The sample's lines with each (line, old, new) applied; old must match."""
    lines = edits.sample_lines(SAMPLES[sample])
    for number, old, new in changes:
        lines = edits.replace_line(lines, number, old, new)
    return lines


def facts_from_lines(sample: str, lines: list[str], folder: Path) -> Facts:
    """Write the lines as the sample's file under `folder` and read it back
    through load and extract, as a user's file would be."""
    return extract_facts(load(edits.write(folder, SAMPLES[sample], lines)))


def claims(facts: Facts, kind: str, line: Optional[int] = None,
           subject: Optional[str] = None) -> list[Claim]:
    return [c for c in facts.claims if c.kind == kind
            and (line is None or c.line == line)
            and (subject is None or c.subject == subject)]


def one(facts: Facts, kind: str, line: Optional[int] = None,
        subject: Optional[str] = None) -> Claim:
    found = claims(facts, kind, line, subject)
    assert len(found) == 1, (kind, line, subject, [(c.line, c.subject) for c in found])
    return found[0]


def strings(values) -> dict:
    """Claim values as printed strings, for exact comparisons ("57.8" ≠ "57.80")."""
    return {key: str(value) for key, value in values.items()}


def lines_of(finding: Finding) -> set:
    return {loc.line for loc in finding.locations if loc.line is not None}


def shown(findings: Iterable[Finding]) -> str:
    return "\n".join(f"  {f.rule} {f.severity} {sorted(lines_of(f))} {f.message}" for f in findings)
