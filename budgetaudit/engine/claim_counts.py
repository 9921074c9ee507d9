"""Enumerations and counts of the narrative: lists that must add up.

资金分配情况 items add up to 共计 and to 预算安排规模; quantity × unit price
gives the total; 实有人数 = 在职 + 退休 + 离休; the number of projects stated
matches the projects listed. (The relations of the vocabulary's fixed
statements, 政府采购 = 货物 + 工程 + 服务 and the like, are claim_statements.py.)
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from budgetaudit.engine import expr
from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.claim_checks import claims_of, table_value
from budgetaudit.engine.outcome import Outcome, judge
from budgetaudit.engine.resolve import FactIndex, amount_interval, narrative_term, place, where
from budgetaudit.model import Claim

TEN_THOUSAND = Decimal(10000)


def _product_term(claim: Claim) -> expr.Term:
    quantity, price = claim.values["quantity"], claim.values["price"]
    scale = Decimal(1) / TEN_THOUSAND if claim.unit == "元" else Decimal(1)
    interval = amount_interval(price, claim.unit) * quantity  # amount_interval gives 万元
    value = price * quantity * scale
    label = f"{where(claim)} {claim.subject} {quantity} × {price} {claim.unit}"
    return expr.Term(value, interval, label, place(claim))


def _item_term(claim: Claim, label: str, value: Decimal) -> expr.Term:
    return expr.Term(value, amount_interval(value), label, place(claim))


@builtin("enumerations", doc="资金分配各项之和等于共计（或预算安排规模）")
def check_enumerations(index: FactIndex, params: dict) -> Iterator[Outcome]:
    products = claims_of(index, "product")
    scales = {c.section: c for c in claims_of(index, "amount") if "预算安排规模" in c.subject}
    for claim in claims_of(index, "enumeration", "product_total"):
        scale = scales.get(claim.section)
        if claim.basis == "预算安排规模" and scale is not None:
            total = narrative_term(scale, "amount", f"{claim.subject} 预算安排规模")
        else:
            total = narrative_term(claim, "total", f"{claim.subject} {claim.basis or '共计'}")
        if claim.basis != "预算安排规模" and scale is not None:
            yield judge([total], [narrative_term(scale, "amount")], "=",
                        f"{claim.subject}：共计应等于预算安排规模")
        if claim.kind == "product_total":
            continue  # quantity × price against 共计 is check_products
        parts = [_item_term(claim, label, value) for label, value in claim.items]
        parts += [_product_term(p) for p in products
                  if p.line == claim.line and p.section == claim.section]
        if parts:
            yield judge([total], parts, "=", f"{claim.subject}：资金分配各项之和应等于{claim.basis}")


@builtin("products", doc="数量 × 单价 = 金额")
def check_products(index: FactIndex, params: dict) -> Iterator[Outcome]:
    for claim in claims_of(index, "product_total"):
        yield judge([narrative_term(claim, "total", f"{claim.subject} 共计")],
                    [_product_term(claim)], "=", f"{claim.subject}：数量 × 单价应等于共计")


def _sum_relation(claim: Claim, total: str, parts: list[str], names: dict, words: str,
                  exact: bool = False) -> Outcome:
    return judge([narrative_term(claim, total, names[total], exact)],
                 [narrative_term(claim, p, names[p], exact) for p in parts], "=", words)


@builtin("staff", doc="实有人数 = 在职 + 退休 + 离休")
def check_staff(index: FactIndex, params: dict) -> Iterator[Outcome]:
    names = {"total": "实有人数", "active": "在职", "retired": "退休", "veteran": "离休"}
    for claim in claims_of(index, "staff"):
        yield _sum_relation(claim, "total", ["active", "retired", "veteran"], names,
                            "实有人数应等于在职、退休、离休人数之和", exact=True)


def _table_projects(index: FactIndex) -> list:
    table = index.facts.table("gpb_project")
    if table is None:
        return []
    return [r for r in table.rows if r.project and r.kind == "item"]


@builtin("project_counts", doc="说明的项目个数、金额与项目支出表和项目说明一致")
def check_project_counts(index: FactIndex, params: dict) -> Iterator[Outcome | Problem]:
    projects = _table_projects(index)
    blocks = claims_of(index, "project")
    for claim in claims_of(index, "project_count"):
        stated = claim.values["count"]
        for count, source in ((len(projects), "项目支出表列出"), (len(blocks), "项目支出情况说明列出")):
            if (source.startswith("项目支出表") and index.facts.table("gpb_project") is None) or \
                    (source.startswith("项目支出情况") and not blocks):
                continue
            if Decimal(count) != stated:
                yield Problem(f"文中说当年财政拨款项目 {stated} 个，{source} {count} 个",
                              f"{stated} projects stated, {count} listed", (place(claim),),
                              expected=Decimal(count), actual=stated)
        table = table_value(index, claim.ref)
        if table is not None:
            yield judge([narrative_term(claim, "amount", "涉及预算金额")],
                        table, "=", "当年财政拨款项目的金额应等于项目支出表合计")


@builtin("project_names", doc="项目说明中的项目名称与项目支出表一致")
def check_project_names(index: FactIndex, params: dict) -> Iterator[Problem]:
    for claim in claims_of(index, "name"):
        yield Problem(f"项目名称“{claim.subject}”与项目支出表中的“{claim.basis}”不一致",
                      f"project name '{claim.subject}' differs from the table's '{claim.basis}'",
                      (place(claim),))


@builtin("listed_counts", doc="说的个数等于列出的个数（处室、预算单位）")
def check_listed_counts(index: FactIndex, params: dict) -> Iterator[Outcome]:
    for claim in claims_of(index, "listed_count"):
        yield judge([narrative_term(claim, "stated", f"{claim.subject}个数", exact=True)],
                    [narrative_term(claim, "listed", "列出的名称个数", exact=True)], "=",
                    f"{claim.subject}：说的个数应等于列出的个数")
    for claim in claims_of(index, "units"):
        listed = narrative_term(claim, "listed", "列出的预算单位个数", exact=True)
        yield judge([narrative_term(claim, "administrative", "行政单位", exact=True),
                     narrative_term(claim, "public", "事业单位", exact=True)], [listed], "=",
                    "行政单位与事业单位家数之和应等于列出的预算单位个数")
        if "subordinate" in claim.values:
            yield judge([narrative_term(claim, "subordinate", "本级及下属预算单位", exact=True)],
                        [listed], "=", "本级及下属预算单位家数应等于列出的预算单位个数")


@builtin("performance_funds", doc="绩效目标表：年度预算总额 = 财政拨款 + 其他资金")
def check_performance_funds(index: FactIndex, params: dict) -> Iterator[Outcome]:
    names = {"total": "年度预算总额", "fiscal": "财政拨款", "other": "其他资金"}
    for claim in claims_of(index, "performance"):
        yield _sum_relation(claim, "total", ["fiscal", "other"], names,
                            f"{claim.subject}绩效目标表：年度预算总额应等于财政拨款与其他资金之和")
