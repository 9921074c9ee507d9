from decimal import Decimal as D

import pytest

from budgetaudit.engine.interval import (
    Interval,
    compare,
    ratio_percent,
    rounds_to,
    sum_intervals,
    truncates_to,
)


def P(text):
    return Interval.printed(D(text))


def printed_sum(*texts):
    return sum_intervals(P(t) for t in texts)


# --- construction -----------------------------------------------------------

@pytest.mark.parametrize("text, lo, hi", [
    ("57.8", "57.75", "57.85"),
    ("57.80", "57.795", "57.805"),
    ("5", "4.5", "5.5"),
    ("0.00", "-0.005", "0.005"),
    ("-3.2", "-3.25", "-3.15"),
    ("1.5E+3", "1450", "1550"),
])
def test_printed_interval_is_half_a_unit_of_the_last_place(text, lo, hi):
    assert P(text) == Interval(D(lo), D(hi))


def test_blank_cell_is_exact_zero():
    blank = Interval.printed(None)
    assert blank == Interval.exact(0)
    assert blank.is_point and blank.width == 0


def test_exact_is_a_point():
    assert Interval.exact(D("1.23")) == Interval(D("1.23"), D("1.23"))


def test_rejects_float_and_empty_and_nan():
    with pytest.raises(TypeError):
        Interval.printed(57.8)
    with pytest.raises(TypeError):
        Interval(D(1), 2.0)
    with pytest.raises(ValueError):
        Interval(D(2), D(1))
    with pytest.raises(ValueError):
        Interval.printed(D("NaN"))


def test_is_frozen():
    with pytest.raises(AttributeError):
        P("1.00").lo = D(0)


# --- arithmetic -------------------------------------------------------------

def test_add_sub_neg_scale():
    a, b = P("10.00"), P("3.0")
    assert a + b == Interval(D("12.945"), D("13.055"))
    assert a - b == Interval(D("6.945"), D("7.055"))
    assert -b == Interval(D("-3.05"), D("-2.95"))
    assert a * D(2) == Interval(D("19.99"), D("20.01"))
    assert D(-2) * a == Interval(D("-20.01"), D("-19.99"))
    assert a * 0 == Interval.exact(0)


def test_sub_of_itself_is_not_zero():
    # x - x over an interval is the width around zero, not zero: the two
    # operands are independent unknowns.
    a = P("1.00")
    assert a - a == Interval(D("-0.01"), D("0.01"))


def test_scalar_must_not_be_float():
    with pytest.raises(TypeError):
        P("1.00") * 1.5


def test_sum_intervals():
    assert sum_intervals([]) == Interval.exact(0)
    total = printed_sum("1.11", "2.22", "3.33")
    assert total == Interval(D("6.645"), D("6.675"))
    assert total.midpoint == D("6.66")
    assert total.width == D("0.03")


def test_arithmetic_is_exact_beyond_default_precision():
    # 30 significant digits: the default 28-digit context would round.
    big = Interval.exact(D("123456789012345678901234567.891"))
    assert (big + Interval.exact(D("0.001"))).lo == D("123456789012345678901234567.892")


def test_contains_overlaps_gap():
    a = P("10.00")
    assert a.contains(D("10.005")) and a.contains(D("9.995"))
    assert not a.contains(D("10.0051"))
    b = Interval(D("10.005"), D("11"))
    assert a.overlaps(b) and b.overlaps(a)
    assert a.gap(b) == 0
    c = Interval(D("10.5"), D("11"))
    assert not a.overlaps(c)
    assert a.gap(c) == D("0.495") == c.gap(a)


# --- the real sum from a published table ----------------------------------

KASHI_301 = ["184.20", "230.93", "109.30", "71.30", "30.30", "4.23", "2.49", "57.80", "331.74"]


def test_kashi_301_items_add_up_to_1022_29():
    # 表6 of the Kashi city office: 301 工资福利支出 1022.29 and its nine 款.
    # By hand: 184.20+230.93 = 415.13, +109.30 = 524.43, +71.30 = 595.73,
    # +30.30 = 626.03, +4.23 = 630.26, +2.49 = 632.75, +57.80 = 690.55,
    # +331.74 = 1022.29: the printed values agree exactly.
    verdict = compare(printed_sum(*KASHI_301), P("1022.29"), "=")
    assert verdict.status == "possible"  # intervals, never a single point
    assert verdict.printed_holds
    assert verdict.difference == 0 and verdict.gap == 0
    assert verdict.allowance == D("0.05")  # ten rounded numbers × 0.005


def test_kashi_301_with_the_narrative_form_57_8():
    parts = KASHI_301[:7] + ["57.8"] + KASHI_301[8:]
    verdict = compare(printed_sum(*parts), P("1022.29"), "=")
    assert verdict.possible and verdict.printed_holds
    assert verdict.allowance == D("0.095")


def test_kashi_301_with_a_transposed_digit_fails():
    parts = KASHI_301[:-1] + ["331.47"]
    verdict = compare(printed_sum(*parts), P("1022.29"), "=")
    assert verdict.fails
    assert verdict.difference == D("-0.27")
    assert verdict.gap == D("0.22")  # 0.27 minus the 0.05 rounding can explain


# --- rounding-level differences -------------------------------------------

def test_three_parts_one_cent_off_is_rounding():
    verdict = compare(printed_sum("1.11", "2.22", "3.33"), P("6.67"), "=")
    assert verdict.possible and not verdict.printed_holds
    assert verdict.difference == D("-0.01")
    assert verdict.gap == 0
    assert verdict.allowance == D("0.02")


def test_three_parts_two_cents_off_is_the_closed_boundary():
    verdict = compare(printed_sum("1.11", "2.22", "3.33"), P("6.68"), "=")
    assert verdict.possible  # exactly 4 × 0.005: the closed interval admits it


def test_three_parts_three_cents_off_fails():
    verdict = compare(printed_sum("1.11", "2.22", "3.33"), P("6.69"), "=")
    assert verdict.fails and verdict.gap == D("0.01")


def test_two_parts_two_cents_off_fails():
    # Two parts and a total are three rounded numbers: at most 0.015 apart.
    verdict = compare(printed_sum("1.11", "2.22"), P("3.35"), "=")
    assert verdict.fails
    assert verdict.allowance == D("0.015")
    assert verdict.difference == D("-0.02")
    assert verdict.gap == D("0.005")


def test_two_parts_one_cent_off_is_rounding():
    assert compare(printed_sum("1.11", "2.22"), P("3.34"), "=").possible


# --- compare ----------------------------------------------------------------

def test_equal_points_hold():
    verdict = compare(Interval.exact(D("2.5")), Interval.exact(D("2.50")), "=")
    assert verdict.holds and verdict.gap == 0 and verdict.printed_holds


def test_unequal_points_fail():
    verdict = compare(Interval.exact(D(2)), Interval.exact(D(3)), "=")
    assert verdict.fails and verdict.gap == 1 and verdict.difference == -1


@pytest.mark.parametrize("lhs, op, rhs, status", [
    ("10.00", ">=", "9.00", "holds"),
    ("10.00", ">", "9.00", "holds"),
    ("10.00", ">=", "10.00", "possible"),
    ("10.00", ">", "10.00", "possible"),
    ("10.00", ">=", "10.01", "possible"),
    ("10.00", ">=", "10.02", "fails"),
    ("10.00", "<=", "11.00", "holds"),
    ("10.00", "<", "11.00", "holds"),
    ("10.01", "<=", "10.00", "possible"),
    ("10.02", "<=", "10.00", "fails"),
    ("10.02", "<", "10.00", "fails"),
    ("9.00", ">", "10.00", "fails"),
])
def test_inequalities(lhs, op, rhs, status):
    assert compare(P(lhs), P(rhs), op).status == status


def test_inequality_gap_and_difference():
    verdict = compare(P("10.00"), P("10.02"), ">=")
    assert verdict.gap == D("0.01")
    assert verdict.difference == D("-0.02")
    assert not verdict.printed_holds
    verdict = compare(P("10.02"), P("10.00"), "<=")
    assert verdict.gap == D("0.01") and verdict.difference == D("0.02")


def test_strict_inequality_between_touching_intervals():
    a, b = Interval(D(1), D(2)), Interval(D(2), D(3))
    assert compare(a, b, ">=").possible
    verdict = compare(a, b, ">")
    assert verdict.fails and verdict.gap == 0
    assert compare(Interval.exact(D(1)), Interval.exact(D(1)), ">=").holds
    assert compare(Interval.exact(D(1)), Interval.exact(D(1)), "<").fails


def test_compare_rejects_unknown_op():
    with pytest.raises(ValueError):
        compare(P("1"), P("1"), "!=")


# --- shares -------------------------------------------------------------------

def test_kashi_basic_expenditure_share_90_85():
    # 基本支出 1133.14 of 支出合计 1247.22: 90.8532…%, stated as 90.85%.
    share = ratio_percent(P("1133.14"), P("1247.22"))
    assert share.contains(D("1133.14") * 100 / D("1247.22"))
    assert rounds_to(share, D("90.85"))
    assert not rounds_to(share, D("90.86"))
    assert not rounds_to(share, D("90.84"))
    assert rounds_to(share, D("90.9")) and rounds_to(share, D("91"))
    assert not rounds_to(share, D("90.8"))


def test_share_only_truncation_explains():
    exact = ratio_percent(Interval.exact(D(2)), Interval.exact(D(3)))  # 66.666…
    assert not rounds_to(exact, D("66.66"))
    assert truncates_to(exact, D("66.66"))
    assert rounds_to(exact, D("66.67")) and not truncates_to(exact, D("66.67"))


def test_share_only_truncation_explains_with_printed_amounts():
    # 2000.00 / 3000.00 lies in [66.66638, 66.66695]%: too narrow to reach 66.66
    # by rounding, but every value in it truncates to 66.66.
    share = ratio_percent(P("2000.00"), P("3000.00"))
    assert not rounds_to(share, D("66.66")) and truncates_to(share, D("66.66"))


def test_small_amounts_make_wide_shares():
    # 200.00 / 300.00 spans [66.6638, 66.6695]%: 66.66 is rounding-explained.
    share = ratio_percent(P("200.00"), P("300.00"))
    assert rounds_to(share, D("66.66")) and rounds_to(share, D("66.67"))


def test_ratio_is_outward_rounded_and_ordered():
    share = ratio_percent(Interval.exact(D(1)), Interval.exact(D(3)))
    assert share.lo < share.hi  # 33.33… cannot be written exactly
    assert share.lo * 3 <= 100 <= share.hi * 3


def test_ratio_of_negative_part():
    share = ratio_percent(Interval(D(-2), D(-1)), Interval(D(4), D(5)))
    assert share == Interval(D(-50), D(-20))


def test_ratio_needs_a_positive_base():
    with pytest.raises(ValueError):
        ratio_percent(P("1.00"), P("0.00"))
    with pytest.raises(ValueError):
        ratio_percent(P("1.00"), Interval(D(-1), D(1)))


def test_growth_rate():
    # "增加 12.30 万元，增长 5.12%": prior = 252.55 - 12.30 = 240.25.
    rate = ratio_percent(P("12.30"), P("252.55") - P("12.30"))
    assert rounds_to(rate, D("5.12"))
    assert not rounds_to(rate, D("5.2"))


def test_rounding_half_up_at_the_boundary():
    assert rounds_to(Interval.exact(D("90.845")), D("90.85"))
    assert not rounds_to(Interval.exact(D("90.845")), D("90.84"))
    assert rounds_to(Interval.exact(D("-1.5")), D("-2"))  # half away from zero


def test_truncation_is_toward_zero():
    assert truncates_to(Interval.exact(D("-1.99")), D("-1"))
    assert truncates_to(Interval.exact(D("0.999")), D("0.99"))
    assert not truncates_to(Interval.exact(D("0.999")), D("1.00"))


def test_rounds_to_uses_stated_precision():
    value = Interval.exact(D("12.345"))
    assert rounds_to(value, D("12.35"))
    assert rounds_to(value, D("12.3"))
    assert rounds_to(value, D("12"))
    assert not rounds_to(value, D("12.34"))
    assert not rounds_to(value, D("12.30"))


def test_an_exact_zero_beside_one_print_is_judged_as_that_print():
    """0 + 10.00 (a vehicle purchase of 0.00 in every fund beside running costs of 10.00,
    深圳 2026 文化广电旅游体育局 p.45) restated as 10.01 is a misprint, as 10.00 against
    10.01 is: a zero adds no rounding. Two rounded parts (5.00 + 5.00) may drift by 0.01."""
    from budgetaudit.engine.expr import Term
    from budgetaudit.engine.interval import Interval
    from budgetaudit.engine.outcome import judge

    def printed(text):
        return Term(D(text), Interval.printed(D(text)), text)

    zero = Term(D("0.00"), Interval.exact(D(0)), "0")
    assert judge([printed("10.01")], [zero, printed("10.00")]).verdict.fails
    assert not judge([printed("10.01")], [printed("5.00"), printed("5.00")]).verdict.fails
    assert not judge([printed("10.00")], [zero, printed("10.00")]).verdict.fails
