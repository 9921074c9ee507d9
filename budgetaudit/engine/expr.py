"""The expression language of rule files: equations over named facts.

    relation := sum (OP sum)?          OP: = == >= <= > < ≥ ≤
    sum      := term (('+' | '-') term)*
    term     := factor ('*' NUMBER)?
    factor   := NUMBER | ref | 'sum' '(' ref ')' | '(' sum ')' | '-' factor
    ref      := 表名 '[' 行 ']' ('.' 列)?      e.g. 支出总表[合计].基本支出

Rule text comes from users, so it is tokenised and parsed here by hand and
never given to eval. Selectors are kept as written; the caller's resolver
decides what a row or column name means. Positions are 1-based characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Callable, NamedTuple, Optional, Union

from .interval import EXACT, Interval, Verdict, compare, sum_intervals

# Every spelling a user may type, mapped to the one render() writes back.
RELATION_OPS = {
    "=": "=", "==": "=", ">=": ">=", "<=": "<=", ">": ">", "<": "<", "≥": ">=", "≤": "<=",
}
_OPERATOR_CHARS = frozenset("+-*=<>≥≤(),")
# A column ends at an operator; a table name may contain "-" (表3-1) since it
# must run on to "[" anyway. Full-width （） are ordinary name characters.
_COLUMN_STOP = _OPERATOR_CHARS | frozenset("[]")
_TABLE_STOP = _COLUMN_STOP - {"-"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# What the parser wanted, as (Chinese, English) for the error message.
_FACTOR = ('数字、引用 表名[行].列、sum( 或 "("',
           'a number, a reference table[row].column, sum( or "("')
_REF = ("引用 表名[行].列", "a reference table[row].column")
_OPEN = ('"["，引用应写作 表名[行].列', '"[" (a reference is written table[row].column)')


class ExprError(ValueError):
    """A bad expression: one line, Chinese first, naming the position."""

    def __init__(self, message: str, position: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.position = position


class ResolveError(ExprError):
    """A reference that does not resolve to the number of facts it needs."""

    def __init__(self, message: str, ref: "Ref"):
        super().__init__(message)
        self.ref = ref


def _error(position: int, want: tuple[str, str], found: Optional[str] = None) -> ExprError:
    """found: None when something is missing, "" at the end of the text."""
    (zh, en), at = want, f"at character {position}"
    if found is None:
        text = f"缺少 {zh}（expected {en} {at}）"
    elif not found:
        text = f"表达式意外结束，应为 {zh}（unexpected end {at}; expected {en}）"
    else:
        text = f'应为 {zh}，却是 "{found}"（expected {en} {at}, found "{found}"）'
    return ExprError(f"第 {position} 个字符处{text}", position)


@dataclass(frozen=True)
class Number:
    """A number written in the equation."""

    value: Decimal


@dataclass(frozen=True)
class Ref:
    """A reference to a table cell, 表名[行].列."""

    table: str
    row: str
    column: Optional[str] = None


@dataclass(frozen=True)
class SumOf:
    """sum(表名[行].列): every cell the reference names, added up."""

    ref: Ref


@dataclass(frozen=True)
class Neg:
    """The operand negated."""

    operand: "Expr"


@dataclass(frozen=True)
class Scale:
    """The operand times a constant factor."""

    operand: "Expr"
    factor: Decimal


@dataclass(frozen=True)
class BinOp:
    """The sum or difference of two expressions."""

    op: str  # "+" or "-"
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Relation:
    """Two expressions compared: the equation of a rule."""

    left: "Expr"
    op: str  # normalised: = >= <= > <
    right: "Expr"


Expr = Union[Number, Ref, SumOf, Neg, Scale, BinOp]


class _Token(NamedTuple):
    kind: str  # "num", "ref", "sum", "op", "end"
    value: object
    text: str
    position: int  # 1-based


def _tokenize(text: str) -> list[_Token]:
    tokens, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] in _OPERATOR_CHARS:
            width = 2 if text[i:i + 2] in RELATION_OPS else 1
            tokens.append(_Token("op", text[i:i + width], text[i:i + width], i + 1))
            i += width
        elif (number := _NUMBER.match(text, i)) and _delimited(text, number.end()):
            tokens.append(_Token("num", Decimal(number.group()), number.group(), i + 1))
            i = number.end()
        else:
            token, i = _word(text, i)
            tokens.append(token)
    tokens.append(_Token("end", None, "", len(text) + 1))
    return tokens


def _delimited(text: str, i: int) -> bool:
    # "2024年表[合计]" is a name that starts with digits, not 2024 then a name.
    return i == len(text) or text[i].isspace() or text[i] in _COLUMN_STOP


def _run(text: str, i: int, stop: frozenset) -> int:
    while i < len(text) and not text[i].isspace() and text[i] not in stop:
        i += 1
    return i


def _word(text: str, start: int) -> tuple[_Token, int]:
    end = _run(text, start, _TABLE_STOP)
    name = text[start:end]
    if not name:
        raise _error(start + 1, _FACTOR, text[start])
    if name == "sum" and text[end:].lstrip().startswith("("):
        return _Token("sum", None, name, start + 1), end
    if not text.startswith("[", end):
        raise _error(end + 1, _OPEN)
    close = _matching_bracket(text, end)
    row = text[end + 1:close].strip()
    if not row:
        raise _error(end + 2, ("行名", "a row name"))
    i, column = close + 1, None
    if text.startswith(".", i):
        stop = _run(text, i + 1, _COLUMN_STOP)
        column = text[i + 1:stop]
        if not column:
            raise _error(i + 2, ("列名", "a column name"))
        i = stop
    return _Token("ref", Ref(name, row, column), text[start:i], start + 1), i


def _matching_bracket(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        depth += {"[": 1, "]": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise _error(len(text) + 1, ('"]"', '"]"'))


class _Parser:
    """Recursive descent with a bound: every term and every level of nesting
    ("(", "-") counts against `budget`, so that neither the parser nor the
    recursive walks over its tree (refs, render, evaluation) can run deep."""

    def __init__(self, text: str, budget: int):
        self.tokens = _tokenize(text)
        self.index = 0
        self.budget = budget

    def spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise ExprError(f"表达式过长或嵌套过深（项数与嵌套层数合计超过上限，可用 --limit "
                            f"expression_terms=… 调高）(expression too long or nested too deeply)",
                            self.token.position)

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def accept(self, *texts: str) -> Optional[_Token]:
        if self.token.kind == "op" and self.token.text in texts:
            return self.take()
        return None

    def expect(self, text: str) -> None:
        if not self.accept(text):
            found = None if self.token.kind == "end" else self.token.text
            raise _error(self.token.position, (f'"{text}"',) * 2, found)

    def relation(self) -> Union[Relation, Expr]:
        left = self.sum()
        op = self.accept(*RELATION_OPS)
        node = Relation(left, RELATION_OPS[op.text], self.sum()) if op else left
        if self.token.kind != "end":
            want = ("表达式结束", "end of expression")
            if not op:
                want = ("运算符或表达式结束", "an operator or end of expression")
            raise _error(self.token.position, want, self.token.text)
        return node

    def sum(self) -> Expr:
        node = self.term()
        while op := self.accept("+", "-"):
            node = BinOp(op.text, node, self.term())
        return node

    def term(self) -> Expr:
        node = self.factor()
        if self.accept("*"):
            if self.token.kind != "num":
                raise _error(self.token.position, ("数字", "a number"), self.token.text)
            node = Scale(node, self.take().value)
        return node

    def factor(self) -> Expr:
        self.spend()
        token = self.take()
        if token.kind == "num":
            return Number(token.value)
        if token.kind == "ref":
            return token.value
        if token.kind == "sum":
            self.expect("(")
            if self.token.kind != "ref":
                raise _error(self.token.position, _REF, self.token.text)
            node = SumOf(self.take().value)
            self.expect(")")
            return node
        if token.text == "(" and token.kind == "op":
            node = self.sum()
            self.expect(")")
            return node
        if token.text == "-" and token.kind == "op":
            return Neg(self.factor())
        raise _error(token.position, _FACTOR, token.text)


def parse(text: str, budget: Optional[int] = None) -> Union[Relation, Expr]:
    """Parse rule text; raises ExprError naming the position on bad input.

    `budget` bounds the terms plus the nesting (default: the
    expression_terms limit)."""
    if budget is None:
        from budgetaudit.limits import current

        budget = current().expression_terms
    try:
        return _Parser(text, budget).relation()
    except RecursionError:  # thousands of nested "(" or "-": refuse, do not crash
        raise ExprError("表达式嵌套过深（expression nested too deeply）") from None


def refs(node: Union[Relation, Expr]) -> list[Ref]:
    """Every reference in order of appearance, those inside sum() included."""
    if isinstance(node, Ref):
        return [node]
    children = (getattr(node, name, None) for name in ("ref", "operand", "left", "right"))
    return [ref for child in children if child is not None for ref in refs(child)]


def render(node: Union[Relation, Expr]) -> str:
    """Normalised text that parses back to the same tree."""
    if isinstance(node, Relation):
        return f"{render(node.left)} {node.op} {render(node.right)}"
    if isinstance(node, Number):
        return str(node.value)
    if isinstance(node, Ref):
        return f"{node.table}[{node.row}]" + (f".{node.column}" if node.column else "")
    if isinstance(node, SumOf):
        return f"sum({render(node.ref)})"
    if isinstance(node, Neg):
        return "-" + _grouped(node.operand, (BinOp, Scale))
    if isinstance(node, Scale):
        return f"{_grouped(node.operand, (BinOp, Scale))} * {node.factor}"
    return f"{render(node.left)} {node.op} {_grouped(node.right, (BinOp,))}"


def _grouped(node: Expr, needs_parens: tuple) -> str:
    return f"({render(node)})" if isinstance(node, needs_parens) else render(node)


@dataclass(frozen=True)
class Term:
    """One resolved fact: printed value (None = blank cell) and its interval."""

    value: Optional[Decimal]
    interval: Interval
    label: str
    location: object = None


@dataclass(frozen=True)
class SignedTerm:
    """A term as it enters a result: coefficient +1, -1, or a rule's scale."""

    coefficient: Decimal
    term: Term


@dataclass(frozen=True)
class Evaluated:
    """One side of a relation, evaluated: its interval, its printed value and its terms."""

    interval: Interval
    value: Decimal  # computed from the printed values
    terms: tuple[SignedTerm, ...]

    def explain(self) -> str:
        """E.g. "基本支出 1133.14 + 项目支出 114.08 = 1247.22" (空 = blank cell)."""
        if not self.terms:
            return "0"
        text = " ".join(_signed_text(signed) for signed in self.terms)
        text = text[2:] if text.startswith("+ ") else "-" + text[2:]
        alone = len(self.terms) == 1 and self.terms[0].coefficient == 1
        return text if alone else f"{text} = {self.value}"


def _signed_text(signed: SignedTerm) -> str:
    k, term = signed.coefficient, signed.term
    shown = "空" if term.value is None else str(term.value)
    scale = "" if abs(k) == 1 else f" × {abs(k)}"
    return ("- " if k < 0 else "+ ") + f"{term.label} {shown}{scale}".strip()


Resolver = Callable[[Ref], list]


def evaluate(node: Expr, resolve: Resolver) -> Evaluated:
    """The interval, printed-value result and signed terms of an expression."""
    if isinstance(node, Relation):
        raise TypeError("evaluate() takes an expression; use check() for a relation")
    terms = _flatten(node, Decimal(1), resolve)
    with localcontext(EXACT):
        value = sum((s.coefficient * (s.term.value or 0) for s in terms), Decimal(0))
    interval = sum_intervals(s.term.interval * s.coefficient for s in terms)
    return Evaluated(interval, value, tuple(terms))


def _flatten(node: Expr, k: Decimal, resolve: Resolver) -> list[SignedTerm]:
    # Every operator is linear, so the result is a signed sum of terms; keeping
    # it flat is what lets a message list each number with its sign.
    with localcontext(EXACT):
        if isinstance(node, Number):
            return [SignedTerm(k, Term(node.value, Interval.exact(node.value), ""))]
        if isinstance(node, Ref):
            return [SignedTerm(k, t) for t in _resolve(node, resolve, single=True)]
        if isinstance(node, SumOf):
            return [SignedTerm(k, t) for t in _resolve(node.ref, resolve, single=False)]
        if isinstance(node, Neg):
            return _flatten(node.operand, -k, resolve)
        if isinstance(node, Scale):
            return _flatten(node.operand, k * node.factor, resolve)
        right_k = k if node.op == "+" else -k
        return _flatten(node.left, k, resolve) + _flatten(node.right, right_k, resolve)


def _resolve(ref: Ref, resolve: Resolver, single: bool) -> list[Term]:
    terms = list(resolve(ref))
    if single and len(terms) != 1:
        name = render(ref)
        if not terms:
            raise ResolveError(f"找不到 {name}（no fact matches {name}）", ref)
        n = len(terms)
        raise ResolveError(
            f"{name} 匹配到 {n} 个值，应唯一；求和请用 sum()"
            f"（{name} matches {n} facts; expected one, use sum() to add them）", ref)
    return terms


def check(relation: Relation, resolve: Resolver) -> tuple[Verdict, Evaluated, Evaluated]:
    """Evaluate both sides and judge the relation over their intervals."""
    if not isinstance(relation, Relation):
        raise TypeError("check() takes a relation such as a = b")
    lhs, rhs = evaluate(relation.left, resolve), evaluate(relation.right, resolve)
    with localcontext(EXACT):
        difference = lhs.value - rhs.value
    return compare(lhs.interval, rhs.interval, relation.op, difference), lhs, rhs
