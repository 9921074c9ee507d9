"""Narrative mutation coverage on one corpus document per region.

Each document of tests/mutation_corpus.yaml is loaded once; every narrative
number that restates a table value or follows from other printed numbers
(tests/mutation_support.py: amounts resolved to a table, shares, a change's
numbers when others fix them, the fixed statements' fields) is raised by one
unit of its last printed digit (1,133.14 -> 1,133.15; 5.93% -> 5.94%; 24 -> 25)
in its line's text, in memory; the edited lines are extracted and checked again
and a new error must point at the claim's or the edited line.

Uncaught targets are listed in the YAML file, as exceptions (with the reason no
relation can catch them) or as gaps (with what the reading misses; a strict
xfail each document), so that the test fails when coverage changes either way.
The document marked `default` runs in the default test run, the others with
`pytest -m slow`. `pytest -s` prints each document's summary.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from mutation_support import CORPUS, document_survey, listing, summary

LISTING = Path(__file__).resolve().parent / "mutation_corpus.yaml"
DOCUMENTS = yaml.safe_load(LISTING.read_text(encoding="utf-8"))["documents"]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def parse_key(text: str) -> tuple:
    """"line kind.role printed" -> (line, "kind.role", "printed")."""
    line, rest = text.split(" ", 1)
    label, printed = rest.rsplit(" ", 1)
    return int(line), label, printed


def listed(name: str, part: str) -> dict:
    return {parse_key(key): why for key, why in (DOCUMENTS[name].get(part) or {}).items()}


@lru_cache(maxsize=None)
def surveyed(name: str):
    return document_survey(name, tuple(DOCUMENTS[name]["files"]))


def documents(xfail_gaps: bool = False) -> list:
    params = []
    for name, entry in DOCUMENTS.items():
        marks = [] if entry.get("default") else [pytest.mark.slow]
        if xfail_gaps and entry.get("gaps"):
            marks.append(pytest.mark.xfail(strict=True, reason=f"{len(entry['gaps'])} gaps"))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def test_one_document_per_region_and_one_by_default():
    regions = [entry["region"] for entry in DOCUMENTS.values()]
    assert len(regions) == len(set(regions)) >= 8
    assert sum(bool(entry.get("default")) for entry in DOCUMENTS.values()) == 1
    for name in DOCUMENTS:
        reasons = {**listed(name, "exceptions"), **listed(name, "gaps")}
        assert all(isinstance(why, str) and why.strip() for why in reasons.values()), name
        assert set(listed(name, "exceptions")).isdisjoint(listed(name, "gaps")), name


@pytest.mark.parametrize("name", documents())
def test_every_target_is_found_in_the_text_or_listed(name):
    result = surveyed(name)
    assert result.mutations, "no target at all"
    unlocated = {(t.claim.line, t.label, str(t.value)): t for t in result.unlocated}
    assert set(unlocated) == set(listed(name, "unlocated")), "\n".join(
        f"  {t.claim.line} {t.label} {t.claim.subject} {t.value}" for t in unlocated.values())
    assert len({m.key for m in result.mutations}) == len(result.mutations)


@pytest.mark.parametrize("name", documents())
def test_uncaught_mutations_are_exactly_the_listed_exceptions_and_gaps(name, capsys):
    result = surveyed(name)
    exceptions, gaps = listed(name, "exceptions"), listed(name, "gaps")
    with capsys.disabled():
        print("\n" + summary(result, {**exceptions, **gaps}))
    uncaught = result.uncaught
    missing = set(uncaught) - set(exceptions) - set(gaps)
    assert not missing, "uncaught, not listed:\n" + listing(uncaught[k] for k in sorted(missing))
    stale = (set(exceptions) | set(gaps)) - set(uncaught)
    assert not stale, f"listed but caught (or not a target): {sorted(stale)}"


@pytest.mark.parametrize("name", documents(xfail_gaps=True))
def test_coverage_is_complete_apart_from_the_exceptions(name):
    exceptions = listed(name, "exceptions")
    missed = [m for key, m in surveyed(name).uncaught.items() if key not in exceptions]
    assert missed == [], "\n" + listing(missed)
