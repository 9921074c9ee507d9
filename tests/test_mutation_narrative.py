"""Mutation coverage of the narrative (DESIGN.md, "Testing habits"), at the text level.

For each real sample, every number of the narrative that restates a table value
or follows from other stated numbers is a target: amounts with a table
reference, shares, the deltas, rates and amounts of year-over-year changes,
enumeration items and stated totals, quantities, unit prices and totals,
staff numbers, procurement, vehicles, large-equipment counts and project
counts. Each target's digits are found in its line (the claim's line or, for a
sentence wrapped over a page break, a following one) and raised in place,
keeping the printed format:

    amounts      + 1.00 万元  ("1,133.14" -> "1,134.14", "57.8" -> "58.8",
                              "0" -> "1"; a price printed in 元 gets + 10000 元)
    shares, rates + 1 percentage point ("90.85" -> "91.85")
    counts       + 1           ("24" -> "25"; "减少 7 人" -> "减少 8 人")

The edited text is read again through load and extract (and the re-extracted
claim must carry exactly the raised value, which proves the right digits were
edited), checked with the rule set, and an error-level finding must appear that
was not there before and that points at the claim's or the edited line.

One edit may feed several claims (an amount is also the base of its share and
the current value of its change); the edit is made once and counted once.
Numbers that take part in no relation that could catch a + 1 are listed in
EXCEPTIONS with the reason; numbers that should be caught and are not are
listed in GAPS and fail a strict xfail each. The tables.yaml rules are not run
on the mutants: they read table facts only, and each mutant's tables are
asserted equal to the published ones.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest

import edits
from mutation_support import (
    ONE, Mutator, Target, lines_of, listing, survey as survey_of, targets_of,
)
from narrative_support import (
    SAMPLES, facts_from_lines, published, published_findings, rules, shown,
)

YUAN_STEP = Decimal(10000)  # 1.00 万元 in a price printed in 元

# Amounts without a table reference that do restate a table value (see GAPS).
UNRESOLVED = {}

FAMILY_I = ("“增加/减少 N 人”是与上年人数之差，只能与上年的文件核对（DOMAIN.md 家族 I，"
            "跨文件）；本文件内没有任何关系包含它")
OVER50 = ("50 万元以上的台数是“100 万元以上 ≤ 50 万元以上”中较大的一侧：加 1 台后关系仍成立")
OVERALL = ("整体绩效目标表的本级、上级安排与收入总表口径可能不同，不符只报 D402 警告"
           "（rules/narrative.yaml D402），警告确实报出")

# (line, "kind.role", printed number) -> why a + 1 there cannot be caught.
EXCEPTIONS = {
    "kashi": {
        (530, "amount.amount", "0"): OVERALL,
        (531, "amount.amount", "1247.22"): OVERALL,
        (77, "staff.active_change", "7"): FAMILY_I,
        (77, "staff.retired_change", "1"): FAMILY_I,
        (77, "staff.veteran_change", "3"): FAMILY_I,
        (514, "equipment.over50", "0"): OVER50 + "（0 → 1 台后 100 万元以上 1 台 ≤ 1 台，"
                                                 "发布稿的 H806 错误反而消失）",
        (516, "equipment.over50", "0"): OVER50,
    },
    "wuqia": {
        (695, "amount.amount", "0.00"): OVERALL,
        (696, "amount.amount", "2,014.18"): OVERALL,
        (75, "staff.active_change", "48"): FAMILY_I,
        (75, "staff.retired_change", "0"): FAMILY_I,
        (75, "staff.veteran_change", "0"): FAMILY_I,
        (446, "change.rate", "4,461.20"): (
            "上年只有 228.06 − 223.06 = 5.00：按舍入区间 223.06 ÷ (4.99…5.01) 在 "
            "4,452%–4,470% 之间都可能，4,462.20% 仍可由四舍五入得到"),
        (652, "change.rate", "929.14"): (
            "“三公”经费本年 72.04（表10）减 65.04，上年只有 7.00：65.04 ÷ (6.99…7.01) 在 "
            "927.7%–930.5% 之间都可能，930.14% 仍可由四舍五入得到"),
        (679, "equipment.over50", "0"): OVER50,
        (681, "equipment.over50", "0"): OVER50,
    },
    "xinjiang": {
        (755, "amount.amount", "30.00"): OVERALL,
        (756, "amount.amount", "14,695.46"): OVERALL,
        (99, "staff.active_change", "2"): FAMILY_I,
        (99, "staff.retired_change", "2"): FAMILY_I,
        (99, "staff.veteran_change", "0"): FAMILY_I,
        (503, "change.rate", "6,213.10"): (
            "单位资金上年只有 395.20 − 388.94 = 6.26：388.94 ÷ (6.25…6.27) 在 "
            "6,203%–6,223% 之间都可能，6,214.10% 仍可由四舍五入得到"),
        (719, "amount.amount", "1,418.32"): (
            "机关运行经费与公用经费不符只报 C305 警告（部门含事业单位，两者可以不同，见 "
            "rules/narrative.yaml C305），警告确实报出；增减率 9.08 ÷ 1,428.40 = 0.636% "
            "仍四舍五入为 0.64%，F601 也无从发现"),
        (725, "procurement_reserved.sme", "2,424.82"): (
            "面向中小企业预留 2,425.82 仍 ≤ 政府采购预算 2,740.05，且仍 ≥ 小微企业预留 2,298.54"),
        (725, "procurement_reserved.micro", "2,298.54"): (
            "小微企业预留 2,299.54 仍 ≤ 面向中小企业预留 2,424.82"),
        (739, "equipment.over50", "25"): OVER50,
        (739, "equipment.over100", "12"): "100 万元以上 13 台仍 ≤ 50 万元以上 25 台",
        (741, "equipment.over50", "0"): OVER50,
    },
}
# Exceptions that are still reported, below error: (rule, severity) that must appear.
LOWER = {
    ("xinjiang", 719, "amount.amount", "1,418.32"): ("C305", "warning"),
    ("kashi", 530, "amount.amount", "0"): ("D402", "warning"),
    ("kashi", 531, "amount.amount", "1247.22"): ("D402", "warning"),
    ("wuqia", 695, "amount.amount", "0.00"): ("D402", "warning"),
    ("wuqia", 696, "amount.amount", "2,014.18"): ("D402", "warning"),
    ("xinjiang", 755, "amount.amount", "30.00"): ("D402", "warning"),
    ("xinjiang", 756, "amount.amount", "14,695.46"): ("D402", "warning"),
}

# Numbers that should be caught and are not: (line, "kind.role", printed) -> what is missing.
GAPS = {"kashi": {}, "wuqia": {}, "xinjiang": {}}


# ---------------------------------------------------------------- targets and mutations


def whole_unit(target: Target, printed: str) -> Decimal:
    """+ 1.00 万元, + 1 percentage point, + 1: a price printed in 元 gets + 10000 元."""
    return YUAN_STEP if target.role == "price" and target.claim.unit == "元" else ONE


@lru_cache(maxsize=None)
def survey(sample: str, folder):
    facts = published(sample)
    mutator = Mutator(edits.sample_lines(SAMPLES[sample]), facts, published_findings(sample),
                      rules(), lambda lines: facts_from_lines(sample, lines, folder), whole_unit)
    resolved = lambda claim: bool(claim.ref) or (sample, claim.line) in UNRESOLVED  # noqa: E731
    return survey_of(sample, mutator, targets_of(facts, resolved))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("narrative-mutants")


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_every_target_is_found_in_the_text(sample, folder):
    result = survey(sample, folder)
    assert result.unlocated == [], "\n".join(
        f"  {t.claim.line} {t.label} {t.claim.subject} {t.value}" for t in result.unlocated)
    assert len({m.key for m in result.mutations}) == len(result.mutations)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_uncaught_mutations_are_exactly_the_listed_exceptions_and_gaps(sample, folder, capsys):
    result = survey(sample, folder)
    uncaught = result.uncaught
    with capsys.disabled():
        print(f"\nnarrative mutation coverage {sample}: {result.coverage()}; "
              f"{len(EXCEPTIONS[sample])} exceptions, {len(GAPS[sample])} gaps")
    assert set(EXCEPTIONS[sample]).isdisjoint(GAPS[sample])
    missing = set(uncaught) - set(EXCEPTIONS[sample]) - set(GAPS[sample])
    assert not missing, "uncaught, not listed:\n" + listing(uncaught[k] for k in sorted(missing))
    stale = (set(EXCEPTIONS[sample]) | set(GAPS[sample])) - set(uncaught)
    assert not stale, f"listed but caught (or not a target): {sorted(stale)}"


@pytest.mark.parametrize("sample", [
    pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=f"{len(GAPS[s])} gaps, see GAPS"))
    if GAPS[s] else s for s in SAMPLES])
def test_coverage_is_complete_apart_from_the_exceptions(sample, folder):
    result = survey(sample, folder)
    missed = [m for key, m in result.uncaught.items() if key not in EXCEPTIONS[sample]]
    assert missed == [], "\n" + listing(missed)


def test_overall_coverage(folder, capsys):
    results = [survey(s, folder) for s in SAMPLES]
    caught = sum(m.caught for r in results for m in r.mutations)
    total = sum(len(r.mutations) for r in results)
    excepted = sum(len(EXCEPTIONS[s]) for s in SAMPLES)
    with capsys.disabled():
        print(f"\nnarrative mutation coverage overall: {caught}/{total} "
              f"({100 * caught / total:.1f}%); of the {total - excepted} not excepted: "
              f"{caught}/{total - excepted} ({100 * caught / (total - excepted):.1f}%)")
    assert total > 400 and caught == total - excepted - sum(len(GAPS[s]) for s in SAMPLES)


def test_no_known_gaps_remain():
    """A number that should be caught and is not goes into GAPS with what is missing."""
    assert GAPS == {s: {} for s in SAMPLES}


@pytest.mark.parametrize("sample,line,label,old", sorted(LOWER))
def test_exceptions_below_error_are_still_reported(sample, line, label, old, folder):
    mutation = {m.key: m for m in survey(sample, folder).mutations}[(line, label, old)]
    rule, severity = LOWER[(sample, line, label, old)]
    assert any(f.rule == rule and f.severity == severity and line in lines_of(f)
               for f in mutation.lower), shown(mutation.lower)


def test_every_kind_of_number_is_mutated(folder):
    labels = {t.label for s in SAMPLES for m in survey(s, folder).mutations for t in m.targets}
    assert labels >= {
        "amount.amount", "share.share", "change.delta", "change.rate", "change.amount",
        "enumeration.item", "enumeration.total", "product.quantity", "product.price",
        "product_total.total", "staff.total", "staff.active", "staff.retired", "staff.veteran",
        "procurement.total", "procurement.goods", "procurement.works", "procurement.services",
        "procurement_reserved.sme", "procurement_reserved.micro", "vehicles.count",
        "vehicles.value", "vehicles.other_count", "equipment.over50", "equipment.over100",
        "project_count.count", "project_count.amount",
    }


def test_wrapped_and_formatted_numbers_are_edited_in_place(folder):
    kashi = {m.key: m for m in survey("kashi", folder).mutations}
    # kashi 436/438: "减少 18.5" / "万元，下降 15.75%": the rate stands two lines on
    assert kashi[(438, "change.rate", "15.75")].new == "16.75"
    assert kashi[(436, "change.delta", "18.5")].new == "19.5"
    assert kashi[(409, "amount.amount", "57.8")].new == "58.8"
    wuqia = {m.key: m for m in survey("wuqia", folder).mutations}
    assert wuqia[(387, "amount.amount", "2,014.18")].new == "2,015.18"
    assert wuqia[(427, "change.rate", "1,106.23")].new == "1,107.23"
    assert wuqia[(687, "project_count.amount", "236.06")].targets[0].claim.line == 685
    assert wuqia[(568, "product.price", "2666")].new == "12666"  # 元: + 1.00 万元
    assert wuqia[(75, "staff.active_change", "48")].new == "49"
    assert {t.label for t in wuqia[(387, "amount.amount", "2,014.18")].targets} == {
        "amount.amount", "share.amount", "change.amount"}
