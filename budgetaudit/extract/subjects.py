"""Which table fact a narrative figure restates, from its words and section.

The twelve sections of 第三部分 each restate one table: 二 the income table,
三 the expenditure table, 五 the general-budget table, and so on. Within a
section the figure's subject ("基本支出", "一般公共服务支出（类）…（项）",
"公务接待费") names the row. A reference is written in the rule language
(表名[行].列) so that the engine resolves it like any rule.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Optional

from budgetaudit.extract.numbers import compact
from budgetaudit.model import Facts, Table

# (words in the subject, reference, what the figure covers), longest words first
SECTION_SUBJECTS: dict[int, list[tuple[str, str, str]]] = {
    1: [("收支总预算", "收支总表[收入:总计]", "all")],
    2: [
        ("上级一般公共预算安排的转移支付", "收入总表[合计].上级一般公共预算安排的转移支付", "all"),
        ("上级政府性基金安排的转移支付", "收入总表[合计].上级政府性基金安排的转移支付", "all"),
        ("上级国有资本经营预算安排的转移支付", "收入总表[合计].上级国有资本经营预算安排的转移支付", "all"),
        ("非财政拨款结转结余", "收入总表[合计].非财政拨款结转结余", "all"),
        ("财政拨款结转", "收入总表[合计].财政拨款结转", "all"),
        ("财政专户", "收入总表[合计].财政专户（教育收费）", "all"),
        ("政府性基金预算", "收入总表[合计].政府性基金预算", "all"),
        ("国有资本经营预算", "收入总表[合计].国有资本经营预算", "all"),
        ("一般公共预算", "收入总表[合计].一般公共预算", "all"),
        ("单位资金", "收入总表[合计].单位资金", "all"),
        ("收入预算", "收支总表[收入:总计]", "all"),
    ],
    3: [
        ("基本支出", "支出总表[合计].基本支出", "all"),
        ("项目支出", "支出总表[合计].项目支出", "all"),
        ("支出预算", "支出总表[合计].合计", "all"),
    ],
    4: [
        ("财政拨款收支总预算", "财政拨款收支表[收入:总计].合计", "fiscal"),
        ("一般公共预算拨款", "财政拨款收支表[收入:一般公共预算].合计", "fiscal"),
    ],
    5: [
        ("一般公共预算拨款合计", "一般公共预算支出表[合计].合计", "gpb"),
        ("一般公共预算当年拨款", "一般公共预算支出表[合计].合计", "gpb"),
        ("基本支出", "一般公共预算支出表[合计].基本支出", "gpb"),
        ("项目支出", "一般公共预算支出表[合计].项目支出", "gpb"),
    ],
    6: [
        ("人员经费", "基本支出表[合计].人员经费", "gpb"),
        ("公用经费", "基本支出表[合计].公用经费", "gpb"),
        ("基本支出", "基本支出表[合计].合计", "gpb"),
    ],
    10: [
        ("公务用车购置及运行", "三公表[公务用车购置及运行费].合计", "fiscal"),
        ("因公出国", "三公表[因公出国（境）费].合计", "fiscal"),
        ("公务用车购置", "三公表[公务用车购置费].合计", "fiscal"),
        ("公务用车运行", "三公表[公务用车运行费].合计", "fiscal"),
        ("公务接待", "三公表[公务接待费].合计", "fiscal"),
        ("三公", "三公表[合计].合计", "fiscal"),
    ],
    11: [
        ("非财政拨款", "结转结余表[合计].非财政拨款合计", "all"),
        ("财政拨款", "结转结余表[合计].财政拨款合计", "all"),
        ("结转结余", "结转结余表[合计].总计", "all"),
    ],
}
SECTION_SUBJECTS[12] = [
    ("机关运行经费", "基本支出表[合计].公用经费", "running"),
    ("购置车辆经费", "三公表[公务用车购置费].合计", "fiscal"),
]
# Where a section states shares, the whole they are shares of.
SHARE_BASES = {2: "收支总表[收入:总计]", 3: "支出总表[合计].合计", 5: "一般公共预算支出表[合计].合计"}
# Sections whose class names (一般公共服务支出…) name rows of a table.
CLASS_TABLES = {4: ("财政拨款收支表", "支出:", "合计", "fiscal"), 5: ("一般公共预算支出表", "", "合计", "gpb")}

_NUMBERING = re.compile(r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[)）])")
_LEVEL_MARK = re.compile(r"[（(](类|款|项)[)）]")


def clean_subject(subject: str, unit_name: Optional[str], year: Optional[int] = None) -> str:
    """The words naming a figure without numbering, the unit's name and the
    budget year ("2023年支持学前教育发展项目" keeps its 2023)."""
    text = _NUMBERING.sub("", compact(subject))
    if unit_name and compact(unit_name) in text:
        text = text.split(compact(unit_name), 1)[1]
    own_year = f"(?:{year}年)?" if year else ""
    text = re.sub(rf"^{own_year}(?:的)?(?:(?:部门|单位)(?!资金))?{own_year}(?:的)?", "", text)
    return text


def level_names(text: str) -> list[str]:
    """"一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    -> the 类, 款 and 项 names (a name may itself hold brackets)."""
    parts = _LEVEL_MARK.split(text)
    return [compact(parts[i]) for i in range(0, len(parts) - 1, 2)]


def resolve_subject(section: int, subject: str, facts: Facts) -> tuple[Optional[str], Optional[str]]:
    """(reference, basis) for a figure's subject in a part-3 section."""
    text = clean_subject(subject, facts.unit_name, facts.year)
    if section in CLASS_TABLES and _LEVEL_MARK.search(text):
        return _coded_ref(section, text, facts)
    for words, ref, basis in SECTION_SUBJECTS.get(section, []):
        if words in text:
            return ref, basis
    if section in CLASS_TABLES:
        return _coded_ref(section, text, facts)
    if section == 11:
        return _carryover_ref(text, facts) if _carryover_ref(text, facts)[0] else \
            _carryover_ref(_NUMBERING.sub("", compact(subject)), facts)
    return None, None


def _coded_ref(section: int, text: str, facts: Facts) -> tuple[Optional[str], Optional[str]]:
    name, side, column, basis = CLASS_TABLES[section]
    from budgetaudit.engine.resolve import spec_named

    table = facts.table(spec_named(name).id)
    if table is None:
        return None, None
    names = level_names(text) or [text]
    code = _code_for(table, names)
    return (f"{name}[{side}{code}].{column}", basis) if code else (None, None)


def _code_for(table: Table, names: list[str]) -> Optional[str]:
    """The code whose 类/款/项 labels are `names` (a path from the 类 down)."""
    labels = {r.code: compact(r.label) for r in table.rows if r.code}
    for code, label in labels.items():
        if len(code) != 3 + 2 * (len(names) - 1) or label != names[-1]:
            continue
        ancestors = [labels.get(code[:n]) for n in range(3, len(code), 2)]
        if ancestors == names[:-1]:
            return code
    return None


def _carryover_ref(text: str, facts: Facts) -> tuple[Optional[str], Optional[str]]:
    table = facts.table("carryover")
    if table is None:
        return None, None
    for row in table.rows:
        if row.project and compact(row.project) == text:
            return f"结转结余表[项目={text}].总计", "all"
    return None, None


SIMILAR = 0.8  # how alike two spellings of a project name must be to be one project


def project_ref(name: str, unit: Optional[str], facts: Facts,
                strict_unit: bool = False) -> tuple[Optional[str], Optional[str]]:
    """The 表7 reference of a project, and the name 表7 prints.

    Names are matched exactly, or else to the one 表7 project spelt almost the
    same ("采购新能源纯电汽车" / "采购新能源纯电动汽车"), so the amounts can still
    be compared and the differing spelling reported. With strict_unit, a table
    grouped by unit must hold the project under that unit.
    """
    table = facts.table("gpb_project")
    if table is None:
        return None, None
    projects = {compact(r.project) for r in table.rows if r.project}
    wanted = compact(name)
    if wanted not in projects:
        scored = sorted((SequenceMatcher(None, wanted, p).ratio(), p) for p in projects)
        if not scored or scored[-1][0] < SIMILAR:
            return None, None
        wanted = scored[-1][1]
    rows = [r for r in table.rows if r.project and compact(r.project) == wanted]
    groups = {r.group for r in rows if r.group}
    in_unit = [g for g in groups if unit and _same_unit(compact(unit), compact(g))]
    if strict_unit and groups and unit and not in_unit:
        return None, None
    selector = wanted
    if len(groups) > 1 and unit:
        selector += "@" + compact(unit)
    return f"项目支出表[项目={selector}].项目支出合计", wanted


def _same_unit(unit: str, group: str) -> bool:
    """"…办公厅" is the group "…办公厅（本级）"; "…办公厅" is not "…办公厅机关服务中心"."""
    return group == unit or group.startswith(unit) and group[len(unit):].startswith("（")
