"""Vocabulary patterns compiled on first use (budgetaudit/extract/deferred.py):
the literal every match holds, and the same matches as the compiled pattern."""
import pickle
import re

import pytest
from edits import SAMPLES

from budgetaudit.extract.deferred import DeferredPattern, required_literal
from budgetaudit.extract.narrative_vocab import vocabulary


@pytest.mark.parametrize("pattern, literal", [
    ("政府采购预算\\s*(?:总额)?\\s*(?P<total>\\d+)", "政府采购预算"),
    ("车辆?", "车"),  # the quantifier makes 辆 optional
    ("车辆{0,1}用", "车"),
    ("(?:年初|全年)?预算\\s*数?\\s*为?\\s*支出决算", "支出决算"),  # the longest run
    ("[:：|]?货物预算", "货物预算"),  # a bar inside a class is a member
    ("[]|]货物", "货物"),
    ("货物\\|工程", "货物"),  # an escaped bar is a character
    ("货物预算|工程", ""),  # either side may match alone
    ("(?i)abc", ""),  # case ignored
    ("(?x)a b c", ""),  # spaces ignored
    ("(?P<n>\\d+)", ""),
    ("车辆$", "车辆"),
])
def test_required_literal(pattern, literal):
    assert required_literal(pattern) == literal
    assert required_literal(pattern, re.IGNORECASE) == ""


@pytest.mark.parametrize("pattern, text", [
    ("车辆?用车", "公务车用车 2 辆"),
    ("货物预算|工程", "工程 3 万元"),
    ("[]|]货物", "]货物"),
    ("(?x)车 辆", "车辆"),
])
def test_same_matches_as_compiled(pattern, text):
    deferred = DeferredPattern(pattern)
    assert [m.span() for m in deferred.finditer(text)] == \
        [m.span() for m in re.finditer(pattern, text)]
    assert [m.span() for m in re.finditer(pattern, text)]  # each case has a match


def test_not_compiled_when_the_literal_is_absent():
    deferred = DeferredPattern("政府采购货物预算\\s*(\\d+)")
    assert list(deferred.finditer("本单位无政府采购。")) == []
    assert deferred._compiled is None
    assert [m.group(1) for m in deferred.finditer("政府采购货物预算 12")] == ["12"]
    assert deferred.search("政府采购货物预算 5").group(1) == "5"  # the compiled pattern's methods


def test_pickled_as_source():
    deferred = DeferredPattern.checked("车辆\\s*(?P<count>\\d+)\\s*辆")
    again = pickle.loads(pickle.dumps(deferred))
    assert again == deferred and again._compiled is None and again.lead == "车辆"
    with pytest.raises(re.error):
        DeferredPattern.checked("车辆(")


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_shipped_statements_match_as_compiled(sample):
    """Every shipped statement finds in a sample what its compiled pattern finds; the
    samples hold some statements and not others."""
    text = sample.read_text(encoding="utf-8")
    skipped = found = 0
    for statement in vocabulary().statements:
        deferred = DeferredPattern(statement.pattern.pattern)
        expected = [m.span() for m in re.finditer(statement.pattern.pattern, text)]
        assert [m.span() for m in deferred.finditer(text)] == expected, statement.kind
        skipped += deferred._compiled is None
        found += bool(expected)
    assert skipped and found
