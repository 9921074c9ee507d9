"""Built-in checks of family J: the words and structure of the text.

These read the document's own lines (Facts.lines), its outline and its table
notes rather than amounts: an empty table and its note, a known wrong wording
(上半年结转 for 上年结转), a wrong year in a heading, a template placeholder left
in, and a comparison word that contradicts the two amounts it compares. Each
check is deliberately narrow: a wording rule that fires on real, correct text
teaches users to switch it off, so when a pattern is ambiguous it stays quiet.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator, Optional

from budgetaudit.engine.checks import Problem, builtin
from budgetaudit.engine.expr import ExprError
from budgetaudit.engine.resolve import FactIndex, TableAbsent
from budgetaudit.extract.narrative import build_stream
from budgetaudit.extract.numbers import clean_label, compact
from budgetaudit.extract.sections import (
    YEAR, continuation_of, heading_text, looks_like_heading, title_lines,
)
from budgetaudit.extract.specs import SPEC_BY_ID, TableSpec, spec_for_title
from budgetaudit.model import Facts, Line, Location, Section, Table

CONTEXT_CHARS = 14  # characters quoted on each side of an offending word


# ---------------------------------------------------------------- shared helpers


def _quote(text: str, start: int, end: int) -> str:
    """The offending words with a little context, as the user will search for them.

    Context is counted in visible characters and layout spaces are dropped, so
    a PDF's letter-spacing quotes the same words as the text version.
    """
    text_start, seen = start, 0
    while text_start > 0 and seen < CONTEXT_CHARS and text[text_start - 1] != "\n":
        text_start -= 1
        seen += not text[text_start].isspace()
    text_end, seen = end, 0
    while text_end < len(text) and seen < CONTEXT_CHARS and text[text_end] != "\n":
        seen += not text[text_end].isspace()
        text_end += 1
    head = "…" if text_start > 0 and text[text_start - 1] != "\n" else ""
    tail = "…" if text_end < len(text) and text[text_end] != "\n" else ""
    return f"{head}{clean_label(text[text_start:text_end].replace(chr(10), ' '))}{tail}"


def _line(facts: Facts, number: int) -> Optional[Line]:
    if 1 <= number <= len(facts.lines):
        return facts.lines[number - 1]
    return None


def _section(facts: Facts, key: str) -> Optional[Section]:
    return next((s for s in facts.sections if s.key == key), None)


def _narrative(facts: Facts) -> list[Line]:
    """The lines of 第三部分 (情况说明); without one, every line outside the
    tables and the 目录. Table rows (tab-separated) are never narrative."""
    part3 = _section(facts, "part3")
    if part3 is not None:
        lines = facts.lines[part3.start - 1 : part3.end]
    else:
        excluded = [(t.start, t.end) for t in facts.tables]
        toc = _section(facts, "toc")
        if toc is not None:
            excluded.append((toc.start, toc.end))
        lines = [l for l in facts.lines if not any(a <= l.number <= b for a, b in excluded)]
    return [l for l in lines if "\t" not in l.text and l.text.strip()]


def _table_label(table: Table) -> str:
    number = f"表{table.number}" if table.number else ""
    return f"{number}“{table.title}”"


# ---------------------------------------------------------------- J902 empty tables

# A note saying the table is empty, in the words these documents use.
SAYS_EMPTY = re.compile(r"空表|空白表|表为空|无数据|没有使用|未使用|未安排|不涉及|无此|无上年结转|无发生额|无相关|无收支")
# The unambiguous subset: a note of a table with amounts must not say this.
SAYS_BLANK_TABLE = re.compile(r"空\s*白?\s*表|表\s*为\s*空|无数据")
# "…政府性基金预算支出情况表为空表" in the narrative: the table name, then the claim.
EMPTY_CLAIM = re.compile(r"([^\s，。；;,:：、]{2,40}?表)\s*(?:为|是|系)\s*空\s*白?\s*表")
# Names the narrative uses for the tables that are often empty, when they do
# not match a standard title ("结转结余预算支出情况表").
NAME_KEYWORDS = (("三公", "three_public"), ("结转结余", "carryover"),
                 ("政府性基金", "gov_fund"), ("国有资本", "state_capital"))


def _first_amount(table: Table) -> Optional[str]:
    for row in table.rows:
        for column, value in row.cells.items():
            if value is not None and value != 0:
                return f"{row.label} {column} {value}"
    return None


def _spec_named_in(name: str) -> Optional[TableSpec]:
    spec = spec_for_title(compact(name))
    if spec is not None:
        return spec
    return next((SPEC_BY_ID[table_id] for word, table_id in NAME_KEYWORDS if word in name), None)


def _chosen_tables(index: FactIndex, params: dict) -> list[Table]:
    """The tables named in params (those the document has), else all of them."""
    if "tables" not in params:
        return list(index.facts.tables)
    chosen = []
    for name in params["tables"]:
        try:
            chosen.append(index.table(name)[0])
        except TableAbsent:
            continue
    return chosen


# What an empty table is about, as the rest of the document would name it.
FUND_WORDS = ("政府性基金", "国有资本经营", "三公", "基本支出", "一般公共预算", "结转")
# (a 0 right after a Chinese character has no \b before it: "预算0万元")
SAYS_NONE = re.compile(r"为\s*0(?![\d.]*[1-9])|为零|(?<![\d.])0(?:\.0+)?\s*万?元|无|没有|空表|不涉及")
NONE_WITHIN = 40  # characters after the fund's name
NARRATIVE_LINES = 10  # fewer sentences than this: the narrative is published apart


def _empty_without_note(table: Table, facts=None) -> Iterator[Problem]:
    if table.note and SAYS_EMPTY.search(table.note):
        return
    if any(v is not None for r in table.rows for v in r.cells.values()):
        return  # zeros printed in every cell say "nothing" themselves; only a blank table needs a note
    if not table.rows and table.explain.get("vocabulary") is None:
        return  # a table of no known kind with no row read (绩效指标 in words): not known to be empty
    if facts is not None and _said_elsewhere(table, facts):
        return
    where = (Location(line=table.start, table=table.id),)
    if table.note:
        yield Problem(
            f"{_table_label(table)}各栏均为空，但表下备注“{table.note}”没有说明本表为空表；"
            f"应写明如“本部门没有……安排的支出，{table.title}为空表”",
            f"{table.title} is empty, but its note does not say so",
            where + (Location(line=table.note_line, table=table.id),))
        return
    yield Problem(
        f"{_table_label(table)}各栏均为空，但表下没有说明本表为空表的备注；"
        f"应加备注，如“本部门没有……安排的支出，{table.title}为空表”",
        f"{table.title} is empty but carries no note saying it is empty", where)


def _said_elsewhere(table: Table, facts) -> bool:
    """The document says the table has nothing in another place (its 目录, the
    narrative: "本部门无当年政府性基金预算收支，并已公开空表", "…预算为0"), or has
    no narrative of its own to say it in (tables published apart)."""
    spans = [(t.start, t.end) for t in facts.tables]
    text_lines = [l for l in facts.lines if "\t" not in l.text and "。" in l.text
                  and not any(a <= l.number <= b for a, b in spans)]
    if len(text_lines) < NARRATIVE_LINES:
        return True
    word = next((w for w in FUND_WORDS if w in table.title), None)
    if word is None:
        return False
    lines = [l for l in facts.lines if not _of_table(l, table)]
    for here, after in zip(lines, lines[1:] + [None]):
        at = here.text.find(word)
        if at < 0:
            continue
        # a sentence may go on on the next line ("…政府性基金拨款支出⏎预算为0。")
        joined = here.text + after.text if after and after.number == here.number + 1 else here.text
        if SAYS_NONE.search(joined[at + len(word):at + len(word) + NONE_WITHIN]):
            return True
    return False


def _of_table(line, table: Table) -> bool:
    """The line is the table's own (title, headers, rows): within its lines and
    no sentence. The last table of a file runs to its end, over the 其他相关情况说明
    that may follow it ("2026年“三公”经费预算数为0"): those sentences are not the table's."""
    return table.start <= line.number <= table.end and ("\t" in line.text or "。" not in line.text)


def _full_with_empty_note(table: Table) -> Iterator[Problem]:
    if not table.note or not SAYS_BLANK_TABLE.search(table.note):
        return
    amount = _first_amount(table)
    if amount is None:  # a form of words (绩效目标表) whose note tells how to fill it:
        return          # "不管理本级专项资金的主管部门，应公开空表并说明"
    yield Problem(
        f"{_table_label(table)}有金额（如 {amount}），但表下备注说它是空表：“{table.note}”",
        f"{table.title} has amounts (e.g. {amount}) but its note says it is empty",
        (Location(line=table.note_line, table=table.id),
         Location(line=table.start, table=table.id)))


def _narrative_empty_claims(facts: Facts, chosen: set[str]) -> Iterator[Problem]:
    tables = {t.id: t for t in facts.tables}
    for line in _narrative(facts):
        for match in EMPTY_CLAIM.finditer(line.text):
            spec = _spec_named_in(match.group(1))
            table = tables.get(spec.id) if spec else None
            amount = _first_amount(table) if table is not None and table.id in chosen else None
            if amount is None:  # no such table, or nothing printed in it to contradict the claim
                continue
            yield Problem(
                f"说明中称“{match.group(0)}”，但{_table_label(table)}有金额（如 {amount}）",
                f"the narrative says {match.group(1)} is empty, but {table.title} has "
                f"amounts (e.g. {amount})",
                (Location(line=line.number, table=table.id),
                 Location(line=table.start, table=table.id)))


@builtin("empty_table_note", optional=("tables",),
         doc="空表须有说明其为空表的备注；有金额的表不得注明为空表，说明中也不得称其为空表")
def check_empty_table_note(index: FactIndex, params: dict) -> Iterator[Problem]:
    chosen = _chosen_tables(index, params)
    for table in chosen:
        if table.is_empty and not table.low_confidence:
            yield from _empty_without_note(table, index.facts)
        elif not table.is_empty:
            yield from _full_with_empty_note(table)
    yield from _narrative_empty_claims(index.facts, {t.id for t in chosen})


# ---------------------------------------------------------------- J903 wordings

DEFAULT_WORDINGS = (("上半年结转结余", "上年结转结余"), ("上半年结转", "上年结转"))


def _wording_pairs(params: dict) -> list[tuple[str, str]]:
    """The (wrong, right) pairs: a mapping or a list of two-item lists."""
    raw = params.get("pairs", DEFAULT_WORDINGS)
    pairs = list(raw.items()) if isinstance(raw, dict) else raw
    if not isinstance(pairs, (list, tuple)) or not all(_is_pair(p) for p in pairs):
        raise ExprError("pairs 应为“错误写法: 正确写法”的映射或 [错误, 正确] 列表"
                        "（pairs must map wrong to right wordings）")
    return [(wrong, right) for wrong, right in pairs]


def _is_pair(pair) -> bool:
    return (isinstance(pair, (list, tuple)) and len(pair) == 2
            and all(isinstance(word, str) and word for word in pair))


def _spaced(word: str) -> str:
    """A regex for the word that tolerates the converter's spaces inside it."""
    return r"\s*".join(re.escape(char) for char in word if not char.isspace())


@builtin("heading_wording", optional=("pairs",),
         doc="已知的错误用语，如“上半年结转结余”应为“上年结转结余”")
def check_heading_wording(index: FactIndex, params: dict) -> Iterator[Problem]:
    pairs = sorted(_wording_pairs(params), key=lambda p: -len(p[0]))
    if not pairs:
        return
    right_of = {compact(wrong): right for wrong, right in pairs}
    pattern = re.compile("|".join(_spaced(wrong) for wrong, _ in pairs))
    # the joined text: a PDF may break a phrase across two lines
    headings = frozenset(s.start for s in index.facts.sections if s.level <= 3)
    stream = build_stream(index.facts.lines, headings)
    for match in pattern.finditer(stream.text):
        wrong = compact(match.group(0))
        right = right_of[wrong]
        quoted = _quote(stream.text, match.start(), match.end())
        yield Problem(f"用语错误：“{wrong}”应为“{right}”（原文：“{quoted}”）",
                      f"wrong wording “{wrong}”: the standard term is “{right}”",
                      (Location(line=stream.line_at(match.start()),
                                page=stream.page_at(match.start())),))


# ---------------------------------------------------------------- J904 heading years

# A year that describes a prior state is not the budget year and need not be:
# "截至2023年底", "2023年度工作总结", "2023年结转", a 绩效 "上年完成值".
PRIOR_BEFORE = re.compile(r"(?:截至|截止|截止到|至|到)\s*$")
PRIOR_AFTER = re.compile(r"^\s*(?:底|末|度?\s*工作总结|度?\s*完成|以前|之前|结转|结余)")
# "(2024 年)" under a 绩效目标表 title: the year of a table title printed on its own line.
TITLE_YEAR_LINE = re.compile(r"^[（(]\s*(?:\d\s*){4}\s*年\s*度?\s*[)）]$")


# "（2021年医疗卫生机构能力提升补助资金）": a year inside brackets that names a fund
# or a batch, not the year of the heading.
BRACKETED_NAME = re.compile(r"^[^（()）]*[\u4e00-\u9fff]{2}[^（()）]*[)）]")


def _in_bracketed_name(text: str, match: re.Match) -> bool:
    before = text[: match.start()]
    opened = before.count("（") + before.count("(") - before.count("）") - before.count(")")
    return opened > 0 and bool(BRACKETED_NAME.match(re.sub(r"^\s*度", "", text[match.end():])))


def _years(text: str) -> Iterator[tuple[int, re.Match]]:
    for match in YEAR.finditer(text):
        if PRIOR_BEFORE.search(text[: match.start()]) or PRIOR_AFTER.match(text[match.end():]):
            continue
        if _in_bracketed_name(text, match):
            continue
        yield int(re.sub(r"\s", "", match.group(1))), match


def _heading_lines(facts: Facts) -> Iterator[tuple[str, list[Line]]]:
    """(kind, lines) for every heading: part and section titles (a wrapped one
    with its continuation), 目录 entries, table titles."""
    for section in facts.sections:
        if section.key == "toc":
            toc = facts.lines[section.start : section.end]
            yield from (("目录", [l]) for l in toc if l.text.strip() and "\t" not in l.text)
        elif section.level <= 3 and looks_like_heading(section.title) \
                and "项目名称" not in section.title:
            yield "标题", _joined_heading(facts, facts.lines[section.start - 1])
    for table in facts.tables:
        line = _line(facts, table.start)
        if line is not None:
            yield "表名", [line]
    previous = ""
    for line in facts.lines:
        text = line.text.strip()
        if TITLE_YEAR_LINE.match(text) and previous.endswith("表"):
            yield "表名", [line]
        previous = text or previous


def _joined_heading(facts: Facts, line: Line) -> list[Line]:
    """The heading's line and, when the converter wrapped it, the line completing it."""
    continuation = continuation_of(facts.lines, line, heading_text(line) or "")
    return [line, continuation] if continuation is not None else [line]


@dataclass(frozen=True)
class _HeadingYear:
    """A year printed in a heading, a table title or a contents entry."""

    kind: str  # 标题, 目录, 表名, 封面标题
    heading: str
    line: int
    year: int
    printed: str  # "2023 年", as printed


def _heading_years(facts: Facts) -> list[_HeadingYear]:
    found: dict[tuple[int, int], _HeadingYear] = {}
    cover = [("封面标题", [l]) for l in title_lines(facts.lines) if YEAR.search(l.text)]
    for kind, lines in [*cover, *_heading_lines(facts)]:
        heading = "".join(l.text.strip() for l in lines)
        for line in lines:
            for year, match in _years(line.text):
                key = (line.number, match.start())
                found.setdefault(key, _HeadingYear(kind, heading, line.number, year,
                                                   match.group(0)))
    return sorted(found.values(), key=lambda h: h.line)


def _budget_year(stated: int, headings: list[_HeadingYear]) -> int:
    """The document's year (cover title first); but when the headings agree on
    another year more than twice as often, the cover is the odd one out."""
    votes = Counter(h.year for h in headings)
    common, count = votes.most_common(1)[0] if votes else (stated, 0)
    return common if count > 2 * votes[stated] else stated


@builtin("heading_year", doc="标题（封面、部分、章节、目录、表名）中的年份与预算年度一致")
def check_heading_year(index: FactIndex, params: dict) -> Iterator[Problem]:
    facts = index.facts
    if facts.year is None:
        return
    headings = _heading_years(facts)
    budget = _budget_year(facts.year, headings)
    for found in headings:
        if found.year == budget:
            continue
        yield Problem(
            f"{found.kind}中的年份“{found.printed}”与本文件预算年度 {budget} 年不一致："
            f"“{found.heading}”",
            f"the {_KIND_EN[found.kind]} says {found.year}, but the document's budget year "
            f"is {budget}",
            (Location(line=found.line),))


_KIND_EN = {"标题": "heading", "目录": "contents entry", "表名": "table title",
            "封面标题": "cover title"}


# ---------------------------------------------------------------- J905 placeholders

DEFAULT_PLACEHOLDER_WORDS = ("待填写", "待补充", "待完善", "待更新", "请填写", "请输入",
                             "此处填写", "此处输入", "某某", "○○", "〇〇")
# a template's choice left unmade: "增加（减少）", "下降（增长）", "大于（小于）"
UNMADE_CHOICE = re.compile(r"(?:增加|减少|增长|下降|大于|小于|高于|低于)\s*[（(]\s*"
                           r"(?:增加|减少|增长|下降|大于|小于|高于|低于)\s*[)）]")
# …followed by a change of nothing ("增加（减少）0万元，增长（减少）0%"): no figure is
# missing, the sentence should say 持平 (a warning, not an error)
_ZERO_AFTER = re.compile(r"^\s*0+(?:\.0+)?\s*(?:万元|元|%|％)")
PLACEHOLDER_PATTERNS = (
    # XX, XXX单位, 20XX年, ××, ＸＸ: two or more, not part of a Latin word, an
    # address or an identifier
    re.compile(r"(?<![A-Za-z./_@-])(?:[Xx]{2,}|[×Ｘｘ]{2,})(?![A-Za-z./_@-])"),
    # a lone X standing for a number: "增加X万元", "X%", "X人"
    re.compile(r"(?<![A-Za-z0-9.])(?<![0-9]\s)[XxＸ×](?=\s*(?:万元|元|%|％|人|个|辆|台|套|项|平方米))"),
    # an ellipsis standing for a number: "增加……万元"
    re.compile(r"(?:…+|\.{3,})\s*(?=万元|元|%|％)"),
    UNMADE_CHOICE,
    # template brackets: "（此处填写…）", "【单位名称】"
    re.compile(r"[（(]\s*此处[^（()）]*[)）]"),
    re.compile(r"【[^【】\d]*(?:填写|名称|金额|输入)[^【】\d]*】"),
)


def _placeholder_patterns(params: dict) -> list[re.Pattern]:
    words = params.get("words", DEFAULT_PLACEHOLDER_WORDS)
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) and w for w in words):
        raise ExprError("words 应为占位词列表（words must be a list of placeholder words）")
    literal = re.compile("|".join(_spaced(w) for w in words)) if words else None
    return [p for p in (*PLACEHOLDER_PATTERNS, literal) if p is not None]


def _any_of(patterns: list[re.Pattern]) -> Optional[re.Pattern]:
    """One pattern that finds something in a text exactly when one of
    ``patterns`` does (their alternation), to pass over the lines that hold
    none in one search; None when they cannot be joined."""
    if any(p.flags != patterns[0].flags for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


def _placeholders_in(text: str, patterns: list[re.Pattern]) -> list[re.Match]:
    found = [m for p in patterns for m in p.finditer(text)]
    found.sort(key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match] = []
    for match in found:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


@builtin("placeholders", optional=("words",),
         doc="文中不得残留模板占位符：XX、××、待填写、（此处……）等")
def check_placeholders(index: FactIndex, params: dict) -> Iterator[Problem]:
    patterns = _placeholder_patterns(params)
    anything = _any_of(patterns)
    lines = index.facts.lines
    for position, line in enumerate(lines):
        if anything is not None and anything.search(line.text) is None:
            continue
        found = _placeholders_in(line.text, patterns)
        if not found:
            continue
        words = "、".join(dict.fromkeys(f"“{m.group(0).strip()}”" for m in found))
        quoted = _quote(line.text, found[0].start(), found[-1].end())
        following = next((l.text for l in lines[position + 1:position + 4]
                          if l.text.strip() and not _is_page_number(l.text)), "")
        if _all_moot(found, line.text + following):
            yield Problem(f"残留模板用语{words}，其后的增减为 0（原文：“{quoted}”）；"
                          f"应写明“持平”或删去未选的词",
                          f"template choice {words} left in the text before a change of "
                          f"nothing; say 持平 or drop the unchosen word",
                          (Location(line=line.number),), lowered="warning")
            continue
        yield Problem(f"残留模板占位符{words}（原文：“{quoted}”）；应填写实际内容",
                      f"template placeholder {words} left in the text; fill in the real content",
                      (Location(line=line.number),))


def _is_page_number(text: str) -> bool:
    """A page number left in the text ("─ 7 ─": box-drawing dashes read as dashes)."""
    from budgetaudit.load.pagenumber import PAGE_NUMBER

    return bool(PAGE_NUMBER.match(text.strip().replace("─", "-")))


_REASON_AFTER = re.compile(r"^\s*的?\s*(?:主要)?原因")


def _all_moot(found: list[re.Match], text: str) -> bool:
    """Every placeholder is an unmade choice before a change of nothing ("增加（减少）
    0万元"), or before the reason for such a change ("…0万元（0%），增加（减少）的主要原因")."""
    moot = False
    for match in found:
        if not UNMADE_CHOICE.fullmatch(match.group(0)):
            return False
        after = text[match.end():]
        if _ZERO_AFTER.match(after) or (moot and _REASON_AFTER.match(after)):
            moot = True
        else:
            return False
    return moot


# ---------------------------------------------------------------- J906 comparisons

AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|元|%|％)")
# Comparison words between the two amounts, and the relation each asserts;
# a 不/未 in front turns it into its complement.
BETWEEN_WORDS = {"大于": ">", "高于": ">", "超过": ">", "超出": ">", "多于": ">",
                 "小于": "<", "低于": "<", "少于": "<", "等于": "="}
AFTER_WORDS = {"持平": "=", "相等": "="}  # "与 Y 万元持平"
NEGATED = {">": "<=", "<": ">=", "=": "!="}
COMPARISON = re.compile("(不|未)?(" + "|".join([*BETWEEN_WORDS, *AFTER_WORDS]) + ")")
SENTENCE_END = re.compile(r"[。；;！？!?]")
# Between the first amount and the word: punctuation, brackets and a few
# adverbs only — anything else may change the subject ("…，用于单价超过…").
GAP_BEFORE_WORD = re.compile(r"^[\s，,）)、]*(?:已|均|仍|略|明显|远)?\s*$")
# Between the word and the second amount: the other subject, no number, no clause break.
GAP_AFTER_WORD = re.compile(r"^[^\d，,。；;：:]{0,16}$")
# 持平: "X 万元，与（上年）Y 万元持平".
GAP_BEFORE_WITH = re.compile(r"^[\s，,）)]*(?:与|和|同|跟)[^\d，,。；;：:]{0,16}$")
GAP_BEFORE_AFTER_WORD = re.compile(r"^[\s）)]*(?:基本|大致)?$")
WORDS_EN = {">": "greater than", "<": "less than", "=": "equal to",
            "<=": "at most", ">=": "at least", "!=": "different from"}
HOLDS = {">": lambda a, b: a > b, "<": lambda a, b: a < b, "=": lambda a, b: a == b,
         "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "!=": lambda a, b: a != b}


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in SENTENCE_END.finditer(text):
        yield start, text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


def _value(match: re.Match) -> tuple[Decimal, str]:
    """The amount in a comparable unit: 元 and 万元 both as 万元, % as %."""
    number = Decimal(match.group(1).replace(",", ""))
    unit = match.group(2)
    if unit == "元":
        return number / 10000, "万元"
    return number, "%" if unit in ("%", "％") else unit


def _comparison(sentence: str) -> Optional[tuple[re.Match, re.Match, re.Match, str]]:
    """(first amount, word, second amount, relation) when the sentence states
    exactly two amounts of one kind and one comparison word that links them."""
    amounts = list(AMOUNT.finditer(sentence))
    words = list(COMPARISON.finditer(sentence))
    if len(amounts) != 2 or len(words) != 1:
        return None
    first, second = amounts
    word = words[0]
    if _value(first)[1] != _value(second)[1]:
        return None
    if word.group(2) in BETWEEN_WORDS:
        linked = (first.end() <= word.start() and word.end() <= second.start()
                  and GAP_BEFORE_WORD.match(sentence[first.end() : word.start()])
                  and GAP_AFTER_WORD.match(sentence[word.end() : second.start()])
                  and not sentence[second.end() :].lstrip().startswith("的"))
        relation = BETWEEN_WORDS[word.group(2)]
    else:
        linked = (second.end() <= word.start()
                  and GAP_BEFORE_WITH.match(sentence[first.end() : second.start()])
                  and GAP_BEFORE_AFTER_WORD.match(sentence[second.end() : word.start()]))
        relation = AFTER_WORDS[word.group(2)]
    if not linked:
        return None
    return first, word, second, NEGATED[relation] if word.group(1) else relation


@builtin("comparison_words", doc="“大于/小于/等于/高于/低于/超过/持平”等比较用语与其比较的两个数字一致")
def check_comparison_words(index: FactIndex, params: dict) -> Iterator[Problem]:
    for line in _narrative(index.facts):
        for offset, sentence in _sentences(line.text):
            found = _comparison(sentence)
            if found is None:
                continue
            first, word, second, relation = found
            a, b = _value(first)[0], _value(second)[0]
            if HOLDS[relation](a, b):
                continue
            quoted = sentence[max(0, first.start() - CONTEXT_CHARS) :].strip()
            actual = ">" if a > b else "<" if a < b else "="
            yield Problem(
                f"比较用语与数字矛盾：“{quoted}”，但 {first.group(0).strip()} {actual} "
                f"{second.group(0).strip()}，“{word.group(0)}”不成立",
                f"the comparison contradicts its numbers: {first.group(0).strip()} is not "
                f"{WORDS_EN[relation]} {second.group(0).strip()}",
                (Location(line=line.number),))


# ---------------------------------------------------------------- J909 copied text

# A 单位 document is one whose cover says 单位预算 (单位决算) and not 部门预算 (部门决算)
UNIT_TITLES = ("单位预算", "单位决算")
DEPARTMENT_TITLES = ("部门预算", "部门决算")
# what only a department's text says of itself (上海's 单位 documents write "单位预算安排
# 购置车辆", the departments' "部门预算安排购置车辆")
DEPARTMENT_WORDS = ("本部门", "部门预算安排", "部门决算安排")
# the endings of an organisation's name
ORGANISATIONS = ("局", "委员会", "委", "办公室", "办公厅", "中心", "院", "站", "馆", "所", "队",
                 "厅", "署", "部", "处", "会", "校")
_REGION_ENDS = "省市区县州旗盟"
_NOT_A_NAME = re.compile("说明|情况")
_MIN_SHARED = 4  # "局" or "办公室" alone is any unit's ending


def _word_param(params: dict, key: str, default: tuple) -> tuple[str, ...]:
    words = params.get(key, default)
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ExprError(f"{key} 应为词语列表（{key} must be a list of words）")
    return tuple(compact(w) for w in words)


def _budget_of_unit(organisations: tuple[str, ...]) -> re.Pattern:
    """"2026年深圳市气象局（本级）部门预算收入", "喀什市人民政府办公室部门收入预算": a unit
    named as the owner of the budget the sentence states (spaces removed)."""
    return re.compile(r"(?P<name>[\u4e00-\u9fff（）]{2,30}?" + _ending(organisations) + r")(?:（本级）)?"
                      r"(?:20\d\d年度?)?(?:部门|单位)?(?:(?:预算|决算)(?:收入|支出)|(?:收入|支出)(?:预算|决算))")


@builtin("copied_text", optional=("unit_titles", "department_titles", "department_words",
                                  "organisations"),
         doc="单位预算（决算）不用部门的说法；说明中作为预算主体的单位是本单位或表中所列单位")
def check_copied_text(index: FactIndex, params: dict) -> Iterator[Problem]:
    from budgetaudit.extract.topics import narrative_lines, topic_map, unit_names

    facts = index.facts
    cover = compact("".join(line.text for line in title_lines(facts.lines)))
    # the narrative as the claims read it (a table's extent may run over the text after it),
    # its headings apart from the paragraphs under them
    lines = [line for line in narrative_lines(facts) if "\t" not in line.text and line.text.strip()]
    headings = frozenset(s.start for s in facts.sections if s.level <= 3) \
        | topic_map(facts, lines).headings
    stream = build_stream(lines, headings)
    text = stream.text
    unit_titles = _word_param(params, "unit_titles", UNIT_TITLES)
    department_titles = _word_param(params, "department_titles", DEPARTMENT_TITLES)
    words = _word_param(params, "department_words", DEPARTMENT_WORDS)
    if any(w in cover for w in unit_titles) and not any(w in cover for w in department_titles) \
            and words:
        sentences = set()
        for match in re.finditer("|".join(_spaced(w) for w in words), text):
            sentence = text.rfind("。", 0, match.start())
            if sentence in sentences:
                continue  # once a sentence
            sentences.add(sentence)
            quoted = _quote(text, match.start(), match.end())
            yield Problem(f"单位{_kind_word(cover)}中出现部门的说法“{compact(match.group(0))}”"
                          f"（原文：“{quoted}”）：这段文字可能照搬自部门的文件，请核对其数字是否为本单位的",
                          f"a unit's document says “{compact(match.group(0))}”, as a department's "
                          f"does: the paragraph may have been copied from the department's",
                          (Location(line=stream.line_at(match.start()),
                                    page=stream.page_at(match.start())),))
    organisations = _word_param(params, "organisations", ORGANISATIONS)
    pattern = _budget_of_unit(organisations)
    own = [name for name in (cover, compact(facts.unit_name or ""), *unit_names(facts)) if name]
    named = re.compile(r"[\u4e00-\u9fff]{2}" + _ending(organisations) + "(?!门)")
    if not any(named.search(name) for name in own):
        return  # no name of the document's own to compare with
    compacted = compact(text)
    for match in _budgets_of_units(pattern, compacted):
        # a heading run into its paragraph ("…收入预算情况说明新疆…办公室部门收入预算"): the
        # name is what follows the heading's last words
        name = _NOT_A_NAME.split(match.group("name"))[-1].lstrip("年度")
        if len(name) < 2 or _is_own(name, own):
            continue
        start, end = _original(text, match.end("name") - len(name)), _original(text, match.end() - 1) + 1
        quoted = _quote(text, start, end)
        yield Problem(f"说明中的预算主体“{name}”不是本文件的单位，也不是表中所列单位（原文：“{quoted}”）："
                      f"这段文字可能照搬自其他单位的文件",
                      f"the narrative states the budget of “{name}”, which is neither the "
                      f"document's unit nor one its tables list: the paragraph may have been "
                      f"copied from another unit's document",
                      (Location(line=stream.line_at(end - 1), page=stream.page_at(end - 1)),))


def _is_own(name: str, own: list[str]) -> bool:
    """Whether the name is one of the document's own: its longest ending that the cover or
    a unit's name holds is the whole name, or is not just a shared ending after a region of
    its own ("…在市应急管理局" is 深圳市应急管理局's; "…疏附县人民政府办公室" is not 喀什市
    人民政府办公室, nor "深圳市气象局" 深圳市水务局)."""
    shared = next((k for k in range(len(name), 0, -1) if any(name[-k:] in o for o in own)), 0)
    if shared == len(name):
        return True
    if shared < _MIN_SHARED:
        return False
    return name[-shared - 1] not in _REGION_ENDS or name[-shared] in _REGION_ENDS


def _kind_word(cover: str) -> str:
    return "决算" if "决算" in cover and "预算" not in cover else "预算"


def _ending(organisations: tuple[str, ...]) -> str:
    """A regex for any of the endings, the longest tried first (委员会 before 委)."""
    return "(?:" + "|".join(re.escape(o) for o in sorted(organisations, key=len, reverse=True)) + ")"


# what every sentence _budget_of_unit reads ends with: looked for first, the name before it after
_BUDGET_WORDS = re.compile("(?:预算|决算)(?:收入|支出)|(?:收入|支出)(?:预算|决算)")
_NAME_REACH = 48  # characters before the words: a name (30), （本级）, a year, 部门


def _budgets_of_units(pattern: re.Pattern, compacted: str) -> Iterator[re.Match]:
    """The matches of the pattern that end with each 预算收入 (收入预算…) of the text."""
    for words in _BUDGET_WORDS.finditer(compacted):
        position = max(0, words.start() - _NAME_REACH)
        while True:
            match = pattern.search(compacted, position, words.end())
            if match is None or match.end() == words.end():
                break
            position = match.start() + 1
        if match is not None:
            yield match


def _original(text: str, index: int) -> int:
    """The offset in the text of the index-th character that is not a space (compact()
    drops spaces and keeps every other character)."""
    for count, found in enumerate(re.finditer(r"\S", text)):
        if count == index:
            return found.start()
    return len(text)
