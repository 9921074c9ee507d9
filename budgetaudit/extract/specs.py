"""The standard tables of a budget disclosure, as data.

A table is recognised by its title words and its header words, never by its
"表 N" number. Each spec names the canonical columns in the order the
standard layout prints them; a column is matched by any of its spellings in
the header text (spaces removed, brackets full-width).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    spellings: tuple[str, ...] = ()
    optional: bool = False  # only present when its header words are printed

    def matches(self, header: str) -> bool:
        return any(s in header for s in (self.name, *self.spellings))


@dataclass(frozen=True)
class TableSpec:
    id: str
    number: int  # position in the standard 2024 layout (for "表N" aliases)
    name: str  # short Chinese name used in rules and reports
    title: str  # canonical title, without 部门/单位 prefix
    layout: str  # "coded", "two_sided", "items", "projects"
    columns: tuple[Column, ...] = ()
    expense_columns: tuple[Column, ...] = ()  # right-hand side of two-sided tables
    code_kind: str = "functional"  # "functional" (类款项) or "economic" (类款)
    title_excludes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def title_matches(self, compact_title: str) -> bool:
        if any(word in compact_title for word in self.title_excludes):
            return False
        return any(compact_title.endswith(t) for t in (self.title, *self.aliases))


def _cols(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n) for n in names)


_INCOME_COLUMNS = (
    Column("总计", ("合计",)),
    Column("财政拨款（补助）小计", ("小计",)),
    Column("一般公共预算"),
    Column("上级一般公共预算安排的转移支付"),
    Column("政府性基金预算"),
    Column("上级政府性基金安排的转移支付"),
    Column("国有资本经营预算", ("国有资产经营预算",)),
    Column("上级国有资本经营预算安排的转移支付", optional=True),
    Column("财政专户（教育收费）", ("财政专户",)),
    Column("单位资金"),
    Column("财政拨款结转"),
    Column("非财政拨款结转结余"),
)

_PROJECT_COLUMNS = (
    Column("项目支出合计", ("合计",)),
    Column("工资福利支出"),
    Column("商品和服务支出", ("商品服务支出",)),
    Column("对个人和家庭的补助"),
    Column("债务利息及费用支出"),
    Column("资本性支出（基本建设）"),
    Column("资本性支出"),
    Column("对企业补助（基本建设）"),
    Column("对企业补助"),
    Column("对社会保障基金补助"),
    Column("其他支出"),
)

_FUND_COLUMNS = _cols("合计", "人员经费", "公用经费", "项目支出")

_CARRYOVER_COLUMNS = (
    Column("总计"),
    Column("财政拨款合计"),
    Column("财政拨款人员经费"),
    Column("财政拨款公用经费"),
    Column("财政拨款项目支出"),
    Column("非财政拨款合计"),
    Column("非财政拨款人员经费"),
    Column("非财政拨款公用经费"),
    Column("非财政拨款项目支出"),
)

SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        "income_expense_summary", 1, "收支总表", "收支总体情况表", "two_sided",
        columns=_cols("预算数"), expense_columns=_cols("预算数"),
        title_excludes=("财政拨款",), aliases=("部门收支总体情况表",),
    ),
    TableSpec(
        "income", 2, "收入总表", "收入总体情况表", "coded", columns=_INCOME_COLUMNS,
        title_excludes=("收支",), aliases=("部门收入总体情况表",),
    ),
    TableSpec(
        "expense", 3, "支出总表", "支出总体情况表", "coded",
        columns=_cols("合计", "基本支出", "项目支出"),
        title_excludes=("收支",), aliases=("部门支出总体情况表",),
    ),
    TableSpec(
        "fiscal_income_expense", 4, "财政拨款收支表", "财政拨款收支预算总体情况表",
        "two_sided", columns=_cols("合计"),
        expense_columns=_cols("合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"),
        aliases=("财政拨款收支总体情况表",),
    ),
    TableSpec(
        "gpb_expense", 5, "一般公共预算支出表", "一般公共预算支出情况表", "coded",
        columns=_cols("合计", "基本支出", "项目支出"),
    ),
    TableSpec(
        "gpb_basic", 6, "基本支出表", "一般公共预算基本支出情况表", "coded",
        columns=_cols("合计", "人员经费", "公用经费"), code_kind="economic",
    ),
    TableSpec(
        "gpb_project", 7, "项目支出表", "一般公共预算项目支出情况表", "projects",
        columns=_PROJECT_COLUMNS,
    ),
    TableSpec(
        "gov_fund", 8, "政府性基金表", "政府性基金预算支出情况表", "coded",
        columns=_FUND_COLUMNS,
    ),
    TableSpec(
        "state_capital", 9, "国有资本经营表", "国有资本经营预算支出情况表", "coded",
        columns=_FUND_COLUMNS,
    ),
    TableSpec(
        "three_public", 10, "三公表", "\"三公\"经费支出情况表", "items",
        columns=(
            Column("合计"),
            Column("一般公共预算"),
            Column("政府性基金", ("政府性基金预算",)),
            Column("国有资本经营预算"),
        ),
    ),
    TableSpec(
        "carryover", 11, "结转结余表", "上年结转结余情况明细表", "projects",
        columns=_CARRYOVER_COLUMNS,
    ),
)

SPEC_BY_ID = {spec.id: spec for spec in SPECS}

# 三公 items as printed, in their canonical names (the label is matched by prefix).
THREE_PUBLIC_ITEMS = (
    ("合计", ("合计",)),
    ("因公出国（境）费", ("因公出国",)),
    ("公务接待费", ("公务接待",)),
    ("公务用车购置及运行费", ("公务用车购置及运行",)),
    ("公务用车购置费", ("公务用车购置费", "购置费")),
    ("公务用车运行费", ("公务用车运行", "运行费", "运行维护费")),
)


def spec_for_title(compact_title: str) -> TableSpec | None:
    for spec in SPECS:
        if spec.title_matches(compact_title):
            return spec
    return None
