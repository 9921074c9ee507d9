"""Every rule of rules/narrative.yaml, passing and failing, as data.

Failing cases and traps live in tests/narrative_cases.yaml: each is a real
sample with one documented edit (or none, for traps met as published).
Passing cases are the published samples: each rule reports nothing at or
above its own severity beyond the findings confirmed by hand in
tests/test_sample_findings.py, and evaluates at least one claim there, so
that passing is not vacuous.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budgetaudit.engine.checks import Problem
from budgetaudit.engine.claim_changes import _restatements, _wholes, current_of
from budgetaudit.engine.claim_checks import _share_verdicts, claims_of, restated_groups
from budgetaudit.engine.outcome import Outcome
from budgetaudit.engine.resolve import FactIndex, TableAbsent
from budgetaudit.engine.run import _outcomes, check_facts
from narrative_support import (
    NARRATIVE_CODES, RANK, SAMPLES, SHORT, edited_lines, facts_from_lines, lines_of, published,
    published_findings, rule, rules, shown,
)
from test_sample_findings import EXPECTED as CONFIRMED

TESTS = Path(__file__).resolve().parent
CASES = yaml.safe_load((TESTS / "narrative_cases.yaml").read_text(encoding="utf-8"))
FAILING = CASES["failing"]
TRAPS = CASES["traps"]

EDIT_KEYS = {"line", "old", "new"}
FAILING_KEYS = {"id", "sample", "edits", "why", "expect", "severity", "at", "also", "xfail"} | EDIT_KEYS
TRAP_KEYS = {"id", "sample", "edits", "why", "quiet", "at", "info", "exercised", "xfail"} | EDIT_KEYS

# Rule x sample pairs that have nothing to evaluate, and why; every other pair
# must evaluate at least one claim or relation.
NO_RELATION = {
    ("H802", "kashi"): "项目说明的资金分配只列金额，没有“数量 × 单价，共计”的写法",
    ("H802", "xinjiang"): "项目说明的资金分配只列金额，没有“数量 × 单价，共计”的写法",
    **{("F605", sample): "新疆模板的增减只写增减额和增减率，不写上年数（北京、深圳等地才写）"
       for sample in ("kashi", "wuqia", "xinjiang")},
    **{("H811", sample): "没有“X 万元，包括 A 万元、B 万元”的写法（其中各项分行列出）"
       for sample in ("kashi", "wuqia")},
}


def case_id(case: dict) -> str:
    return case["id"]


def changes_of(case: dict) -> list[tuple[int, str, str]]:
    if "edits" in case:
        return [(e["line"], e["old"], e["new"]) for e in case["edits"]]
    if "line" in case:
        return [(case["line"], case["old"], case["new"])]
    return []


def facts_of(case: dict, tmp_path: Path):
    changes = changes_of(case)
    if not changes:
        return published(case["sample"])
    return facts_from_lines(case["sample"], edited_lines(case["sample"], changes), tmp_path)


def xfail_marks(cases: list[dict]) -> list:
    return [pytest.param(c, id=c["id"], marks=pytest.mark.xfail(strict=True, reason=c["xfail"]))
            if "xfail" in c else pytest.param(c, id=c["id"]) for c in cases]


def at_or_above(findings, code: str) -> list:
    """Findings of a rule at or above the rule's own severity."""
    floor = RANK[rule(code).severity]
    return [f for f in findings if f.rule == code and RANK[f.severity] >= floor]


# ---------------------------------------------------------------- what a rule looks at


def _change_claims(index):
    return claims_of(index, "change")


CONSIDERED = {
    # built-in checks that yield Problems only: the claims they examined
    "claim_shares": lambda index: [claim for claim, _, _ in _share_verdicts(index)],
    "change_rates": lambda index: [c for c in _change_claims(index) if current_of(index, c) is not None],
    "change_words": lambda index: [c for c in _change_claims(index) if c.values["delta"] != 0],
    "change_reasons": lambda index: [c for c in _change_claims(index)
                                     if c.reason and c.values["delta"] != 0],
    "change_restated": lambda index: [c for pair in _restatements(index) for c in pair],
    "claim_restated": lambda index: [c for group in restated_groups(index) for c in group],
    "change_reconstruction": lambda index: [
        c for items, whole, _ in _wholes(index)
        for c in items + (whole if isinstance(whole, list) else [whole])],
    "project_counts": lambda index: claims_of(index, "project_count"),
    "project_names": lambda index: [c for c in claims_of(index, "project") if c.ref],
}


def considered_lines(code: str, facts) -> set:
    """The lines of every claim or cell the rule evaluated on these facts."""
    found, index, chosen = set(), FactIndex(facts), rule(code)
    try:
        for outcome in _outcomes(chosen, index):
            if isinstance(outcome, Outcome):
                terms = outcome.lhs.terms + outcome.rhs.terms
                found |= {t.term.location.line for t in terms
                          if t.term.location is not None and t.term.location.line is not None}
            elif isinstance(outcome, Problem):
                found |= {loc.line for loc in outcome.locations if loc.line is not None}
    except TableAbsent:
        pass
    if chosen.check in CONSIDERED:
        found |= {c.line for c in CONSIDERED[chosen.check](index)}
    return found


# ---------------------------------------------------------------- the case file


def test_every_rule_of_narrative_yaml_has_a_failing_case():
    assert len(NARRATIVE_CODES) == len(set(NARRATIVE_CODES)) == 28
    covered = {c["expect"] for c in FAILING if "xfail" not in c}
    assert [code for code in NARRATIVE_CODES if code not in covered] == []


def test_case_entries_are_well_formed():
    ids = [c["id"] for c in FAILING + TRAPS]
    assert len(ids) == len(set(ids))
    for case in FAILING + TRAPS:
        keys = FAILING_KEYS if case in FAILING else TRAP_KEYS
        assert set(case) <= keys, (case["id"], set(case) - keys)
        assert case["sample"] in SAMPLES and case["why"].strip(), case["id"]
        edit = EDIT_KEYS & set(case)
        assert edit in (set(), EDIT_KEYS) and not (edit and "edits" in case), case["id"]
        for number, old, new in changes_of(case):
            assert old != new, case["id"]
        if "xfail" in case:
            assert case["xfail"].strip().startswith(("GAP", "BUG")), case["id"]
    for case in FAILING:
        assert changes_of(case), case["id"]
        assert case["expect"] in NARRATIVE_CODES, case["id"]
        assert case["severity"] == rule(case["expect"]).severity, case["id"]
        assert set(case.get("also", [])) <= set(NARRATIVE_CODES) - {case["expect"]}, case["id"]
    for case in TRAPS:
        named = case["quiet"] + [c for c, _ in case.get("info", []) + case.get("exercised", [])]
        assert set(named) <= set(NARRATIVE_CODES) and case["at"], case["id"]
        # a rule cannot be both quiet and expected to note something, unless the note
        # is below its own severity (a rounding-level difference of an error rule)
        assert all(c not in case["quiet"] or rule(c).severity != "info"
                   for c, _ in case.get("info", [])), case["id"]


def test_every_trap_the_brief_names_is_covered():
    by_id = {c["id"] for c in TRAPS}
    for wanted in ("D401-kashi-57.8-is-57.80", "F601-xinjiang-new-item-grows-100",
                   "F601-wuqia-discontinued-item",
                   "G701-wuqia-all-funds-and-general-budget-project-changes",
                   "E502-kashi-truncated-not-wrong-not-nudged",
                   "E503-xinjiang-nudged-shares-as-published"):
        assert wanted in by_id
    failing = {c["id"]: c for c in FAILING}
    # G703 (warning) for a left-out item versus G702 (error) for a raised delta
    assert failing["G703-kashi-item-left-out"]["severity"] == "warning"
    assert failing["G702-kashi-item-delta-raised"]["severity"] == "error"


# ---------------------------------------------------------------- passing: the published samples


@pytest.mark.parametrize("sample", list(SAMPLES))
@pytest.mark.parametrize("code", NARRATIVE_CODES)
def test_rule_reports_only_confirmed_findings_on_the_published_sample(code, sample):
    reported = sorted((f.severity, f.rule, f.locations[0].line)
                      for f in at_or_above(published_findings(sample), code))
    floor = RANK[rule(code).severity]
    confirmed = sorted(entry for entry in CONFIRMED[SAMPLES[sample]]
                       if entry[1] == code and RANK[entry[0]] >= floor)
    assert reported == confirmed, shown(at_or_above(published_findings(sample), code))


@pytest.mark.parametrize("sample", list(SAMPLES))
@pytest.mark.parametrize("code", NARRATIVE_CODES)
def test_rule_is_exercised_on_the_published_sample(code, sample):
    evaluated = considered_lines(code, published(sample))
    if (code, sample) in NO_RELATION:
        assert evaluated == set()
    else:
        assert evaluated, f"{code} evaluates nothing on {sample}"


def test_confirmed_findings_come_from_the_shared_list():
    assert set(CONFIRMED) == {SAMPLES[s] for s in SAMPLES} and set(SHORT) == set(CONFIRMED)


# ---------------------------------------------------------------- failing: documented edits


def _new(findings, sample: str) -> list:
    before = {(f.rule, f.severity, f.message) for f in published_findings(sample)}
    return [f for f in findings if (f.rule, f.severity, f.message) not in before]


@pytest.mark.parametrize("case", xfail_marks(FAILING))
def test_failing_case(case, tmp_path):
    facts = facts_of(case, tmp_path)
    new = _new(check_facts(facts, rules()), case["sample"])
    at = case.get("at", changes_of(case)[0][0])
    assert any(f.rule == case["expect"] and f.severity == case["severity"] and at in lines_of(f)
               for f in new), (
        f"{case['id']}: no new {case['expect']} {case['severity']} at line {at}; new:\n{shown(new)}")
    allowed = {case["expect"], *case.get("also", [])}
    unexpected = [f for f in new if f.rule in NARRATIVE_CODES and f.rule not in allowed
                  and RANK[f.severity] >= RANK["warning"]]
    assert unexpected == [], f"{case['id']}: unexpected findings:\n{shown(unexpected)}"


# ---------------------------------------------------------------- traps: not reported


@pytest.mark.parametrize("case", xfail_marks(TRAPS))
def test_trap_is_not_reported(case, tmp_path):
    facts = facts_of(case, tmp_path)
    findings = check_facts(facts, rules())
    lines = set(case["at"])
    loud = [f for code in case["quiet"] for f in at_or_above(findings, code) if lines & lines_of(f)]
    assert loud == [], f"{case['id']}:\n{shown(loud)}"
    for code, line in case.get("info", []):
        assert any(f.rule == code and f.severity == "info" and line in lines_of(f)
                   for f in findings), f"{case['id']}: no {code} info at line {line}"
    for code, line in case.get("exercised", []):
        assert line in considered_lines(code, facts), (
            f"{case['id']}: {code} evaluates nothing at line {line}")
