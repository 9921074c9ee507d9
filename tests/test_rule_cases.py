"""Every rule of rules/tables.yaml, passing and failing, as data.

Failing cases and traps live in tests/rule_cases.yaml: each is a real sample with
one documented one-line edit (or none, for traps met as published). Passing
cases are the real samples themselves: each rule, on each sample, reports no
error beyond the findings the published documents really contain.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.outcome import Outcome
from budgetaudit.engine.resolve import FactIndex, TableAbsent
from budgetaudit.engine.run import _outcomes, check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load

TESTS = Path(__file__).resolve().parent
CASES = yaml.safe_load((TESTS / "rule_cases.yaml").read_text(encoding="utf-8"))
FAILING = CASES["failing"]
TRAPS = CASES["traps"]
TABLE_RULES_FILE = TESTS.parent / "rules" / "tables.yaml"
CODES = [r["code"] for r in yaml.safe_load(TABLE_RULES_FILE.read_text(encoding="utf-8"))["rules"]]
SAMPLES = {"kashi": edits.KASHI, "wuqia": edits.WUQIA, "xinjiang": edits.XINJIANG}

# Errors the published documents really contain, confirmed by hand: (rule, line).
REAL_ERRORS = {
    # 目录 line 21 lists 八、政府性基金预算支出情况表, but the tables go from 表 7
    # (line 297) straight to 表 9 (line 328): the table is not published.
    "wuqia": {("J901", 21)},
}

# Rule x sample pairs that evaluate no relation, and why; every other pair must
# evaluate at least one, so that its passing case is not vacuous.
NO_RELATION = {
    ("A109", "xinjiang"): "表8、表9 只印了表头和一句空表说明，没有任何一行",
}

FAILING_KEYS = {"id", "sample", "line", "old", "new", "why", "expect", "also", "at"}
TRAP_KEYS = {"id", "sample", "line", "old", "new", "why", "no_error", "info", "exercised"}


@lru_cache(maxsize=None)
def rules():
    return tuple(load_rules())


def rule(code: str):
    return next(r for r in rules() if r.code == code)


@lru_cache(maxsize=None)
def published(sample: str):
    return extract_facts(load(edits.SAMPLES / f"{SAMPLES[sample]}.txt"))


def facts_of(case: dict, tmp_path: Path):
    """The case's sample with its one-line edit applied, read through load and extract."""
    if "line" not in case:
        return published(case["sample"])
    assert case["old"] != case["new"], case["id"]
    name = SAMPLES[case["sample"]]
    lines = edits.replace_line(edits.sample_lines(name), case["line"], case["old"], case["new"])
    return extract_facts(load(edits.write(tmp_path, name, lines)))


def errors(findings) -> list:
    return [f for f in findings if f.severity == "error"]


def lines_of(finding) -> set:
    return {loc.line for loc in finding.locations if loc.line is not None}


def shown(findings) -> str:
    return "\n".join(f"  {f.rule} {f.severity} {sorted(lines_of(f))} {f.message}" for f in findings)


def relation_lines(code: str, facts) -> list[set]:
    """For each relation the rule evaluates on these facts, the lines of its cells."""
    index, found = FactIndex(facts), []
    try:
        for outcome in _outcomes(rule(code), index):
            if isinstance(outcome, Outcome):
                terms = outcome.lhs.terms + outcome.rhs.terms
                found.append({t.term.location.line for t in terms if t.term.location is not None})
    except TableAbsent:
        pass
    return found


def case_id(case: dict) -> str:
    return case["id"]


# ---------------------------------------------------------------- the case file


def test_every_rule_of_tables_yaml_has_a_failing_case():
    assert len(CODES) == len(set(CODES)) and CODES
    missing = [code for code in CODES if code not in {c["expect"] for c in FAILING}]
    assert missing == []


def test_case_entries_are_well_formed():
    ids = [c["id"] for c in FAILING + TRAPS]
    assert len(ids) == len(set(ids))
    known = {r.code for r in rules()}
    for case in FAILING:
        assert set(case) <= FAILING_KEYS and {"id", "sample", "line", "old", "new", "why",
                                              "expect"} <= set(case), case["id"]
        assert case["sample"] in SAMPLES and case["why"].strip(), case["id"]
        assert case["expect"] in CODES, case["id"]
        also = case.get("also", [])
        assert set(also) <= set(CODES) and case["expect"] not in also, case["id"]
    for case in TRAPS:
        assert set(case) <= TRAP_KEYS and case["sample"] in SAMPLES and case["why"].strip()
        edit = {"line", "old", "new"} & set(case)
        assert edit in (set(), {"line", "old", "new"}), case["id"]
        named = case.get("no_error", []) + [c for c, _ in case.get("info", []) + case.get("exercised", [])]
        assert set(named) <= known, case["id"]


# ---------------------------------------------------------------- passing: the real samples


@pytest.mark.parametrize("sample", list(SAMPLES))
@pytest.mark.parametrize("code", CODES)
def test_rule_reports_no_error_on_the_published_sample(code, sample):
    facts = published(sample)
    reported = {(f.rule, line) for f in errors(check_facts(facts, [rule(code)])) for line in lines_of(f)}
    real = {(c, line) for c, line in REAL_ERRORS.get(sample, set()) if c == code}
    assert reported == real, shown(errors(check_facts(facts, [rule(code)])))


@pytest.mark.parametrize("sample", list(SAMPLES))
@pytest.mark.parametrize("code", CODES)
def test_rule_is_exercised_where_its_tables_exist(code, sample):
    facts = published(sample)
    if rule(code).check == "tables_listed":
        assert len(facts.listed) == 11  # the 目录 was read: every listed table was looked for
        return
    evaluated = len(relation_lines(code, facts))
    if (code, sample) in NO_RELATION:
        assert evaluated == 0
    else:
        assert evaluated > 0, f"{code} evaluates nothing on {sample}"


# ---------------------------------------------------------------- failing: documented edits


@pytest.mark.parametrize("case", FAILING, ids=case_id)
def test_failing_case(case, tmp_path):
    before = {(f.rule, f.message) for f in errors(check_facts(published(case["sample"]), rules()))}
    after = errors(check_facts(facts_of(case, tmp_path), rules()))
    new = [f for f in after if (f.rule, f.message) not in before]
    at = case.get("at", case["line"])
    assert any(f.rule == case["expect"] and at in lines_of(f) for f in new), (
        f"{case['id']}: no new {case['expect']} error at line {at}; new errors:\n{shown(new)}")
    allowed = {case["expect"], *case.get("also", [])}
    unexpected = [f for f in new if f.rule in CODES and f.rule not in allowed]
    assert unexpected == [], f"{case['id']}: unexpected errors:\n{shown(unexpected)}"


# ---------------------------------------------------------------- traps: no error


@pytest.mark.parametrize("case", TRAPS, ids=case_id)
def test_trap_is_not_an_error(case, tmp_path):
    facts = facts_of(case, tmp_path)
    findings = check_facts(facts, rules())
    table_errors = [f for f in errors(findings) if f.rule in CODES]
    reported = {(f.rule, line) for f in table_errors for line in lines_of(f)}
    assert reported == REAL_ERRORS.get(case["sample"], set()), shown(table_errors)
    assert not [f for f in table_errors if f.rule in case.get("no_error", [])]
    for code, line in case.get("info", []):
        assert any(f.rule == code and f.severity == "info" and line in lines_of(f)
                   for f in findings), f"{case['id']}: no {code} info at line {line}"
    for code, line in case.get("exercised", []):
        assert any(line in lines for lines in relation_lines(code, facts)), (
            f"{case['id']}: {code} evaluates no relation involving line {line}")


# ---------------------------------------------------------------- two single prints


def test_b209_documented_failing_example_is_an_error(tmp_path):
    """Two prints of one quantity round the same way: 1133.14 vs 1133.15 is an error."""
    case = {"id": "B209-example", "sample": "kashi", "line": 286,
            "old": "\t\t合计\t1133.14\t1123.15\t9.99", "new": "\t\t合计\t1133.15\t1123.15\t9.99"}
    b209 = [f for f in check_facts(facts_of(case, tmp_path), [rule("B209")])]
    assert [f.severity for f in b209] == ["error"], shown(b209)
