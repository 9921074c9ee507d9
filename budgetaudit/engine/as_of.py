"""J908: the date a final account states its holdings at is the end of its year.

A 决算 reports the year just closed: "截至 2024 年 12 月 31 日，本部门共有车辆 5 辆"
in the 2024 决算. A different year there ("截至 2023 年 12 月 31 日") is copied
from last year's report, and so, probably, are the counts that follow it. In a
预算 the state at the end of the previous year is the normal thing to quote,
so the rule file applies this check to 决算 documents only.
"""
from __future__ import annotations

import re
from typing import Iterator

from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.resolve import FactIndex
from budgetaudit.model import Location

AS_OF = re.compile(
    r"(?:截至|截止到|截止|至)\s*(?P<year>(?:\d\s*){4})\s*年\s*(?:12\s*月\s*31\s*日|年?底|年?末)")


@builtin("as_of_year", doc="“截至某年 12 月 31 日（年底）”中的年份应为本文件的年度")
def check_as_of_year(index: FactIndex, params: dict) -> Iterator[Problem]:
    facts = index.facts
    if facts.year is None:
        return
    for line in facts.lines:
        if "\t" in line.text:
            continue  # table cells, not statements
        for match in AS_OF.finditer(line.text):
            year = int(re.sub(r"\s", "", match.group("year")))
            if year == facts.year:
                continue
            printed = re.sub(r"\s+", "", match.group(0))
            yield Problem(
                f"“{printed}”中的年份 {year} 不是本文件的年度 {facts.year} 年："
                f"决算应说明 {facts.year} 年末的情况",
                f"“{printed}” names {year}, but the final account is for {facts.year}",
                (Location(line=line.number, page=line.page),),
                expected=None, actual=None)
