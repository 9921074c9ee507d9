"""Rounding as interval arithmetic over ``Decimal``.

A published amount is a rounded value: ``57.80`` stands for every value in
[57.795, 57.805]. A relation between published numbers is judged by asking
whether it can hold for some values inside those intervals (DESIGN.md,
"Rounding is arithmetic, not a fudge factor"), so tolerances follow from the
printed precision instead of a magic constant.

Intervals are closed. Strictly, the values that round half-up to 57.80 form
[57.795, 57.805); closing the interval makes the single boundary point count
as "possible", which also covers producers that round half-to-even. The tool
thus never calls a boundary case an error.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Iterable, Optional, Union

# Sums, differences and scalings of amounts must be exact: trapping Inexact
# turns any silent loss of digits into an exception instead of a wrong verdict.
PRECISION = 60
_TRAPS = [InvalidOperation, DivisionByZero, Overflow]
EXACT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN, traps=_TRAPS + [Inexact])
_EXACT_SUBTRACT = EXACT.copy().subtract  # a private copy: its flags are nobody's business

Scalar = Union[Decimal, int]

HOLDS, POSSIBLE, FAILS = "holds", "possible", "fails"
OPS = ("=", ">=", "<=", ">", "<")


def _decimal(value: object, what: str = "value") -> Decimal:
    # float is refused on purpose: 0.1 as a float is not the printed 0.1.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be Decimal or int, not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be finite, not {result}")
    return result


@dataclass(frozen=True)
class Interval:
    """The closed set of real values [lo, hi]."""

    lo: Decimal
    hi: Decimal

    def __post_init__(self) -> None:
        lo, hi = _decimal(self.lo, "lo"), _decimal(self.hi, "hi")
        if lo > hi:
            raise ValueError(f"empty interval: lo {lo} > hi {hi}")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @classmethod
    def exact(cls, value: Scalar) -> Interval:
        value = _decimal(value)
        return _checked(value, value)

    @classmethod
    def printed(cls, value: Optional[Scalar]) -> Interval:
        """Every value that rounds to ``value`` at its printed precision.

        The precision is the Decimal's exponent, so ``Decimal("57.8")`` and
        ``Decimal("57.80")`` differ. ``None`` is a blank cell: exactly zero.
        """
        if value is None:
            return cls.exact(0)
        value = _decimal(value)
        half = Decimal(5).scaleb(value.as_tuple().exponent - 1, EXACT)
        with localcontext(EXACT):
            return cls(value - half, value + half)

    @property
    def midpoint(self) -> Decimal:
        with localcontext(EXACT):
            return (self.lo + self.hi) / 2

    @property
    def width(self) -> Decimal:
        return _EXACT_SUBTRACT(self.hi, self.lo)  # no context switch: asked thousands of times

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def contains(self, value: Scalar) -> bool:
        return self.lo <= _decimal(value) <= self.hi

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def gap(self, other: Interval) -> Decimal:
        """Distance between the two intervals; 0 when they overlap."""
        with localcontext(EXACT):
            return max(Decimal(0), other.lo - self.hi, self.lo - other.hi)

    def __add__(self, other: Interval) -> Interval:
        if not isinstance(other, Interval):
            return NotImplemented
        with localcontext(EXACT):
            return _checked(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        if not isinstance(other, Interval):
            return NotImplemented
        # The widest difference pairs each end with the opposite end.
        with localcontext(EXACT):
            return _checked(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        with localcontext(EXACT):  # unary minus rounds to the context too
            return _checked(-self.hi, -self.lo)

    def __mul__(self, factor: Scalar) -> Interval:
        if isinstance(factor, bool) or not isinstance(factor, (Decimal, int)):
            return NotImplemented
        with localcontext(EXACT):
            ends = (self.lo * factor, self.hi * factor)
        return Interval(min(ends), max(ends))  # the factor may be infinite

    __rmul__ = __mul__

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


def _checked(lo: Decimal, hi: Decimal) -> Interval:
    """An Interval from ends already known to be finite Decimals in order (the
    results of exact arithmetic on Intervals), without validating them again."""
    interval = object.__new__(Interval)
    object.__setattr__(interval, "lo", lo)
    object.__setattr__(interval, "hi", hi)
    return interval


def sum_intervals(intervals: Iterable[Interval]) -> Interval:
    """The sum of any number of intervals; the empty sum is exactly zero."""
    lo = hi = Decimal(0)
    with localcontext(EXACT):  # one context for the whole sum, not one per addition
        for interval in intervals:
            lo += interval.lo
            hi += interval.hi
    return _checked(lo, hi)


def ratio_percent(part: Interval, base: Interval) -> Interval:
    """All values of part / base × 100 for part and base inside their intervals.

    The base must be strictly positive over its whole interval; otherwise the
    ratio is unbounded or undefined and ``ValueError`` is raised (a share of a
    zero base, or growth from a prior of 0, is a convention the caller decides).
    The quotient is monotone in each argument, so the extremes are at corners;
    the low end is rounded down and the high end up, so the result always
    encloses the true range.
    """
    if base.lo <= 0:
        raise ValueError(f"ratio base {base} is not strictly positive")
    with localcontext(EXACT):
        corners = [p * 100 for p in (part.lo, part.hi)]
    lows, highs = [], []
    for rounding, out in ((ROUND_FLOOR, lows), (ROUND_CEILING, highs)):
        ctx = Context(prec=PRECISION, rounding=rounding, traps=_TRAPS)
        out.extend(ctx.divide(p, b) for p in corners for b in (base.lo, base.hi))
    return Interval(min(lows), max(highs))


def rounds_to(interval: Interval, stated: Scalar) -> bool:
    """Can some value in ``interval`` round half-up to ``stated``?

    The precision is stated's own: 90.85 means 0.01, 91 means 1.
    """
    return _reaches(interval, stated, ROUND_HALF_UP)


def truncates_to(interval: Interval, stated: Scalar) -> bool:
    """Can some value in ``interval`` truncate (toward zero) to ``stated``?"""
    return _reaches(interval, stated, ROUND_DOWN)


def _reaches(interval: Interval, stated: Scalar, rounding: str) -> bool:
    # Rounding is a monotone step function onto the grid of stated's
    # precision, so the image of [lo, hi] is every grid value between the
    # images of the two ends: no need to search inside the interval.
    stated = _decimal(stated, "stated")
    quantum = Decimal(1).scaleb(stated.as_tuple().exponent, EXACT)
    ctx = Context(prec=PRECISION, traps=_TRAPS)
    low = interval.lo.quantize(quantum, rounding=rounding, context=ctx)
    high = interval.hi.quantize(quantum, rounding=rounding, context=ctx)
    return low <= stated <= high


@dataclass(frozen=True)
class Verdict:
    """How ``lhs op rhs`` fares over all values inside the two intervals.

    status: "holds" (for every value), "possible" (for some values only: the
    difference is at rounding level) or "fails" (for none: a real error).
    gap: how far apart the sides are at least, 0 unless the status is "fails"
    (for a strict op it can be 0 when the intervals only touch).
    difference: lhs minus rhs as computed from the printed values (the
    interval midpoints), the number a message shows as "差".
    """

    op: str
    status: str
    gap: Decimal
    difference: Decimal
    lhs: Interval
    rhs: Interval

    @property
    def holds(self) -> bool:
        return self.status == HOLDS

    @property
    def possible(self) -> bool:
        """True only in the rounding-level case, not when the relation holds."""
        return self.status == POSSIBLE

    @property
    def fails(self) -> bool:
        return self.status == FAILS

    @property
    def printed_holds(self) -> bool:
        """Does the relation hold between the printed values themselves?

        Printed values that agree exactly still give "possible" (they are
        intervals), so this tells a clean result from a rounding-level one.
        """
        return _satisfies(self.difference, self.op)

    @property
    def allowance(self) -> Decimal:
        """The largest difference rounding alone can explain (n × 0.005 …)."""
        with localcontext(EXACT):
            return (self.lhs.width + self.rhs.width) / 2


def _satisfies(difference: Decimal, op: str) -> bool:
    zero = Decimal(0)
    return {
        "=": difference == zero,
        ">=": difference >= zero,
        "<=": difference <= zero,
        ">": difference > zero,
        "<": difference < zero,
    }[op]


def compare(lhs: Interval, rhs: Interval, op: str, difference: Optional[Decimal] = None) -> Verdict:
    """Judge ``lhs op rhs`` for op in "=", ">=", "<=", ">", "<".

    difference: the number to show as lhs − rhs, when the caller knows it from the
    printed values (by default the difference of the midpoints)."""
    if op not in OPS:
        raise ValueError(f"unknown comparison {op!r}; expected one of {', '.join(OPS)}")
    status, gap = _judge(lhs, rhs, op)
    if difference is None:
        with localcontext(EXACT):  # the two midpoints, in the one context
            difference = (lhs.lo + lhs.hi) / 2 - (rhs.lo + rhs.hi) / 2
    return Verdict(op, status, gap, difference, lhs, rhs)


def _judge(lhs: Interval, rhs: Interval, op: str) -> tuple[str, Decimal]:
    if op == "=":
        if lhs.is_point and rhs.is_point and lhs.lo == rhs.lo:
            return HOLDS, Decimal(0)
        return (POSSIBLE if lhs.overlaps(rhs) else FAILS), lhs.gap(rhs)
    if op in ("<", "<="):  # a < b is b > a: judge one direction only
        lhs, rhs, op = rhs, lhs, op.replace("<", ">")
    strict = op == ">"
    if _above(lhs.lo, rhs.hi, strict):
        return HOLDS, Decimal(0)
    if _above(lhs.hi, rhs.lo, strict):
        return POSSIBLE, Decimal(0)
    with localcontext(EXACT):
        return FAILS, rhs.lo - lhs.hi


def _above(a: Decimal, b: Decimal, strict: bool) -> bool:
    return a > b if strict else a >= b


def center(interval: Interval) -> Decimal:
    """The midpoint to 40 significant digits, for showing a computed value.

    ``midpoint`` is exact and refuses results of divisions, whose digits run out.
    """
    with localcontext(Context(prec=40, traps=_TRAPS)):
        return (interval.lo + interval.hi) / 2
