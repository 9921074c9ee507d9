"""Claims from the 绩效目标表 of 第三部分: the money each target is set for.

In the other-matters topic, a 项目支出绩效目标表 states 年度预算总额 = 财政拨款 + 其他资金 and, for a
project of 表7, its 财政拨款 is that project's budget. The 整体绩效目标表
states the fiscal funds of the whole: 本级安排 and 上级安排.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from budgetaudit.extract import subjects
from budgetaudit.extract.numbers import NotAnAmount, compact, parse_amount
from budgetaudit.model import Claim, Facts, Line

_LABELS = {"年度预算总额": "total", "财政拨款": "fiscal", "其他资金": "other"}
_WHOLE = {"本级安排": "收入总表[合计].一般公共预算",
          "上级安排": "收入总表[合计].上级一般公共预算安排的转移支付"}


def _amount(cell: str) -> Optional[Decimal]:
    try:
        return parse_amount(cell)
    except NotAnAmount:
        return None


def _after(cells: list[str], index: int) -> Optional[str]:
    return next((c for c in cells[index + 1:] if c), None)


def table_claims(facts: Facts, place) -> Iterator[Claim]:
    unit: Optional[str] = None
    name: Optional[str] = None
    for line in facts.lines:
        if "\t" not in line.text:
            continue
        key, topic = place(line.number)
        if topic is None or topic.reader != "other":
            continue
        cells = [c.strip() for c in line.text.split("\t")]
        head = compact(cells[0])
        if head == "预算单位":
            unit = _after(cells, 0)
        elif head.startswith("项目名称") and _after(cells, 0):
            name = _after(cells, 0)
        elif head.startswith("项目资金") and name:
            yield from _project_claims(cells, name, unit, line, key, facts)
        else:
            yield from _whole_claims(cells, line, key)


def _project_claims(cells, name, unit, line: Line, key, facts: Facts) -> Iterator[Claim]:
    values = {}
    for index, cell in enumerate(cells):
        role = next((r for label, r in _LABELS.items() if label in compact(cell)), None)
        amount = _amount(_after(cells, index) or "") if role else None
        if role and amount is not None and role not in values:
            values[role] = amount
    if set(values) != {"total", "fiscal", "other"}:
        return
    common = dict(line=line.number, text=line.text, section=key, page=line.page)
    yield Claim(kind="performance", subject=name, values=values, basis=unit, **common)
    ref, printed = subjects.project_ref(name, unit, facts, strict_unit=True)
    exact = printed == compact(name)
    if ref and (exact or values["fiscal"] > 0):
        yield Claim(kind="amount", subject=f"{name} 绩效目标表 财政拨款",
                    values={"amount": values["fiscal"]}, ref=ref, basis="gpb", **common)


def _whole_claims(cells, line: Line, key) -> Iterator[Claim]:
    for index, cell in enumerate(cells):
        ref = _WHOLE.get(compact(cell))
        amount = _amount(_after(cells, index) or "") if ref else None
        if amount is not None:
            yield Claim(kind="amount", subject=f"整体绩效目标 {compact(cell)}",
                        values={"amount": amount}, ref=ref, basis="performance",
                        line=line.number, text=line.text, section=key, page=line.page)
