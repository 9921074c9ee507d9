"""Which table fact a narrative figure restates, from its words and topic.

A section's topic (budgetaudit/vocab/narrative.yaml, told by its heading's
words) names the table it restates: income, expenditure, the general budget
and so on. Within it the figure's subject ("基本支出", "一般公共服务支出（类）
…（项）", "公务接待费") names the row. A reference is written in the rule
language (表名[行].列) so that the engine resolves it like any rule.
"""
from __future__ import annotations

import re
from typing import Optional

from budgetaudit.extract.numbers import compact
from budgetaudit.model import Facts, Table

_NUMBERING = re.compile(r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[)）])")
_CHANGE_WORD = re.compile(r"(?:增加|减少|增长|下降|降低|增减|变动|变化)了?$")
_CHANGE_INSIDE = re.compile(r"(?:比|较)[^，,；;]{0,12}?(?:增加|减少|增长|下降|降低)")
_LEVEL_MARK = re.compile(r"[（(](类|款|项)[)）]")
# a code printed after the name: functional （2010301）, (20101); economic （301）, （50201）
# "行政运行（2060101）", or with the spending named after it (西安 2022 "行政运行（2060101）支出")
_PRINTED_CODE = re.compile(r"[（(]\s*([2-5]\d{2}(?:\d{2}){0,2})\s*[)）]\s*(?:支出)?$")


_INCLUDED = re.compile(r"[（(]\s*(?:含|其中[:：]?)([^（()）]*)$")  # an open bracket of a part


def clean_subject(subject: str, unit_name: Optional[str], year: Optional[int] = None) -> str:
    """The words naming a figure without numbering, the unit's name and the
    budget year ("2023年支持学前教育发展项目" keeps its 2023)."""
    text = _NUMBERING.sub("", compact(subject))
    inner = _INCLUDED.search(text)
    if inner:  # "公务接待支出0.39万（含外宾接待支出": the figure is the part in brackets
        text = inner.group(1)
    if unit_name and compact(unit_name) in text:
        text = text.split(compact(unit_name), 1)[1]
    own_year = f"(?:{year}年度?)?" if year else ""
    text = re.sub(rf"^{own_year}(?:的)?(?:(?:部门|单位)(?!资金))?{own_year}(?:的)?", "", text)
    # a class named in quotes (上海 "“社会保障和就业支出”科目", 普陀 "“…（类）…（款）…（项）”")
    return _QUOTED.sub(r"\1", text)


_QUOTED = re.compile(r'^"([^"]+)"(?:科目)?$')


def level_names(text: str) -> list[str]:
    """"一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    -> the 类, 款 and 项 names (a name may itself hold brackets)."""
    parts = _LEVEL_MARK.split(text)
    return [compact(parts[i]).strip('"“”') for i in range(0, len(parts) - 1, 2)]


ITEM = "@item"  # a subject's ref: the item the paragraph names before the figure


UNIT = "@单位"  # in a subject's ref: the unit the section's heading names
OWN_UNIT = "本级"  # a heading "某局（本级）" names a unit, printed in the tables or not


PROJECT = "@项目"  # in a subject's ref: the project (of a form) the sentence names


def resolve_subject(topic, subject: str, facts: Facts, lead: str = "",
                    heading: Optional[str] = None) -> tuple[Optional[str], Optional[str]]:
    """(reference, basis) for a figure's subject in a section of the topic
    (narrative_vocab.Topic, or None when no heading names one). lead is the
    paragraph before the figure: a bare measure ("支出决算 1,182.59 万元") is
    about the 类/款/项 it names ("教育支出（类）普通教育（款）学前教育（项）。")."""
    if topic is None:
        return None, None
    text = clean_subject(subject, facts.unit_name, facts.year)
    if _CHANGE_WORD.search(text):
        return None, None  # "其中基本支出减少 19.11 万元": a change, not this year's amount
    if _in_reason(_reason_clause(lead + text)) or _CHANGE_INSIDE.search(text):
        # "主要原因是基本支出增加人员经费 1408.29 万元", "增加的主要原因是…，以及预备技师班开班后
        # 的师资培训费今年预算 10.19 万元": part of a reason; "较上年增加了培训费 0.20 万元": a change
        return None, None
    if "《" in text:  # "《财政拨款支出预算表（功能科目）》增加了…科目分流 315 万元": of the table's change
        return None, None
    if topic.classes and (_LEVEL_MARK.search(text) or _PRINTED_CODE.search(text)):
        return _coded_ref(topic.classes, text, facts, _listed_column(topic, lead))
    clause = None
    unit = _section_unit(heading, facts) if any(UNIT in w or (r and UNIT in r)
                                                for w, r, _ in topic.subjects) else None
    for words, ref, basis in topic.subjects:
        if "^" in words and clause is None:
            clause = _clause(lead)
        if all(_has_word(word, text, clause, unit) for word in words.split("+")):  # both words
            if ref and (ref == ITEM or ref.startswith(ITEM + ".")):  # "@item.人员经费": that column
                if ref != ITEM and len(text) - len(words.replace("+", "")) > 2:
                    # "西安市社会科学院日常公用经费 65.56 万元, 局机关日常公用经费…": a part of the
                    # column (one unit's), not the column; "日常公用经费" is the column
                    return None, None
                return _item_ref(topic.classes, lead, facts, ref[len(ITEM) + 1:] or None), basis
            if ref and PROJECT in ref:  # "绩效自评表[@项目].全年预算数": the form of the project named
                project = _form_project(ref, compact(lead), facts, topic.project_ends)
                return (ref.replace(PROJECT, "项目=" + project), basis) if project else (None, None)
            if ref and UNIT in ref:  # "支出总表[@单位].合计": the row of the heading's unit
                return (present(ref.replace(UNIT, unit), facts), basis) if unit else (None, None)
            return (present(ref, facts), basis) if ref else (None, None)
    if topic.classes:
        return _coded_ref(topic.classes, text, facts, _listed_column(topic, lead))
    if topic.reader == "carryover":
        return _carryover_ref(text, facts) if _carryover_ref(text, facts)[0] else \
            _carryover_ref(_NUMBERING.sub("", compact(subject)), facts)
    return None, None


def _form_project(ref: str, lead: str, facts: Facts, ends: tuple = ()) -> Optional[str]:
    """The project of the ref's table (a form, one printed for each project) that the
    paragraph names before the figure: "2.西安市卫生健康委员会本级（机关）2022年事业单位离休
    人员和保健对象医疗费项目绩效自评综述：全年预算数 4043 万元" is the form whose 项目名称 is
    "2022年事业单位离休人员和保健对象医疗费".

    The name must be followed by one of `ends` (the topic's project_ends: "项目绩效自评
    综述"), so "新冠疫情防控经费项目…" is not the form of "新冠疫情防控"; where two names
    end there together ("西安急救中心疫情防控经费" holds "疫情防控经费"), there is no telling.
    Where the paragraph names the 实施单位 of some forms ("49.西安市儿童医院医用超声波仪器及设备
    项目…", while 西安市中医医院 has a "医用超声波仪器及设备项目" of its own), only their forms
    are meant. Of the names left, the one named last; None when none is left, or when two
    forms print that name (and unit)."""
    from budgetaudit.engine.resolve import spec_named

    terms = _TERM.findall(ref)
    spec = spec_named(terms[0][0]) if terms else None
    if spec is None:
        return None
    forms = [(r.project, r.group) for t in facts.tables if t.id == spec.id
             for r in t.rows if r.project and r.cells]
    units = {unit for _, unit in forms if unit and unit in lead}
    named = [(lead.rfind(name) + len(name), name, unit) for name, unit in set(forms)
             if name in lead and (not units or unit in units)]
    named = [n for n in named if not ends or lead[n[0]:].startswith(ends)]
    if not named:
        return None
    last, name, unit = max(named)
    if sum(1 for end, other, _ in named if end == last and other != name):
        return None
    if forms.count((name, unit)) > 1:
        return None
    return name + (f"@{unit}" if unit and sum(1 for n, _ in forms if n == name) > 1 else "")


def _section_unit(heading: Optional[str], facts: Facts) -> Optional[str]:
    """The unit a section is about: the one its heading names ("一、深圳市统计局（本级）", its
    words, unnumbered, or the unit whose name ends with them); where the heading names none
    (深圳's one-unit departments go on under "第三部分 部门预算支出具体情况"), the document's
    unit when its 支出总表 prints one only."""
    from budgetaudit.extract.topics import unit_names

    unit = compact(heading or "")
    if not unit or re.search(r"[\[\]|+]", unit):
        return None
    units = unit_names(facts)
    if unit in units:
        return unit
    if len(units) == 1 and OWN_UNIT not in unit:
        return next(iter(units))
    # a heading that leaves out the city and the brackets ("一、市建筑工务署本级" for the
    # 支出总表's "深圳市建筑工务署（本级）"): the one unit whose name ends with it
    bare = _unbracketed(unit)
    ending = [u for u in units if len(bare) >= MIN_UNIT_CHARS and _unbracketed(u).endswith(bare)]
    return ending[0] if len(ending) == 1 else unit


MIN_UNIT_CHARS = 6  # a shorter heading ("本级", "某中心") names no unit by its ending


def _unbracketed(name: str) -> str:
    return re.sub(r"[（）()]", "", name)


def _names_unit(text: str, unit: str) -> bool:
    """The subject names the unit, whole or by the end of its name ("市建筑工务署本级预算"
    for 深圳市建筑工务署（本级）)."""
    if unit in text:
        return True
    bare, said = _unbracketed(unit), _unbracketed(text)
    return any(bare[i:] in said for i in range(len(bare) - MIN_UNIT_CHARS + 1))


def _has_word(word: str, text: str, clause: Optional[str], unit: Optional[str] = None) -> bool:
    """"A" is in the subject; "^A" in the subject or the clause it is part of;
    "@单位" is the unit of the section (_section_unit); "!A": A is not in the subject
    ("事业收入支出 226.50 万元" is spent from 事业收入, not the income)."""
    if word.startswith("!"):
        return word[1:] not in text
    if word == UNIT:
        return bool(unit) and _names_unit(text, unit)
    if word.startswith("^"):
        return word[1:] in text or word[1:] in (clause or "")
    return word in text


def _reason_clause(lead: str) -> str:
    """The sentence before a figure (from the last full stop or semicolon); a reason given
    in parts ("增加的主要原因是一是…。二是…。因此今年预算培训费用 1.20 万元") runs on over full
    stops to the paragraph's end."""
    from budgetaudit.extract.narrative_vocab import vocabulary

    text = compact(lead)
    since = re.split(r"[；;]", text)[-1]
    for word in vocabulary().changes["reasons"]:
        if re.search(re.escape(word) + r"(?:是|为|有)?[:：]?一是", since):
            return since
    return _clause(lead)


def _clause(lead: str) -> str:
    """The sentence before a figure, from its last full stop or semicolon:
    "本部门当年预算收入 6,210.93 万元，其中：" for the 一般公共预算拨款 that follows."""
    return compact(re.split(r"[。；;]", lead)[-1])


_TERM = re.compile(r"([^\s|+\-\[\]()]+)\[([^\]]*)\]")


def _in_reason(text: str) -> bool:
    from budgetaudit.extract.narrative_vocab import vocabulary

    return any(word in text for word in vocabulary().changes["reasons"])


def present(ref: str, facts: Facts) -> str:
    """Of a ref's alternatives ("三公表[合计].合计 | 三公经费决算表[合计].决算数"),
    the first the document can answer: every table it names is read, and has
    a total row where it names one (北京's 三公 table prints no 合计, so its
    items' sum is the next alternative), and the cells it names are printed
    (江苏's 基本支出表 has no 人员经费 column). The first when none can; of "A || B"
    (words that may mean either figure), those the tables print, or both when they
    print neither (a narrative read without its tables keeps the doubt)."""
    if " || " in ref:  # figures the words may mean: those the tables print
        either = [a.strip() for a in ref.split(" || ")]
        printed = [a for a in either if _answerable(a, facts) and _evaluates(a, facts)]
        return " || ".join(printed) if printed else " || ".join(either)
    alternatives = [a.strip() for a in ref.split(" | ")]
    for alternative in alternatives:
        if _answerable(alternative, facts) and (len(alternatives) == 1 or _evaluates(alternative, facts)):
            return alternative
    return alternatives[0]


def _answerable(alternative: str, facts: Facts) -> bool:
    from budgetaudit.engine.resolve import TOTAL_WORDS, spec_named

    terms = _TERM.findall(alternative)
    for name, row in terms:
        spec = spec_named(name)
        table = facts.table(spec.id) if spec is not None else None
        if table is None:
            return False
        if row.strip() in TOTAL_WORDS and not any(r.kind == "total" for r in table.rows):
            return False
    return bool(terms)


def _evaluates(alternative: str, facts: Facts) -> bool:
    """Whether the tables as read answer it (江苏's 基本支出表 prints no 人员经费 column)."""
    from budgetaudit.engine import expr
    from budgetaudit.engine.resolve import FactIndex, TableAbsent

    try:
        expr.evaluate(expr.parse(alternative), FactIndex(facts))
    except (TableAbsent, expr.ExprError):
        return False
    return True


def _listed_column(topic, lead: str) -> Optional[str]:
    """The column a list restates when its sentence opens with one of the topic's
    list words (西安 2021 "（2）公用经费：①行政运行（2013201）124.00 万元…；②培训支出
    （2050803）2 万元": the 公用经费 of those rows), the last such word before the figure."""
    if not topic.list_columns:
        return None
    sentence = compact(lead.rsplit("。", 1)[-1])
    found, at = None, -1
    for word, column in topic.list_columns:
        for mark in (word + "：", word + ":"):
            position = sentence.rfind(mark)
            if position > at:
                found, at = column, position
    return found


def _coded_ref(classes, text: str, facts: Facts,
               listed: Optional[str] = None) -> tuple[Optional[str], Optional[str]]:
    """The row of the first of the topic's classes tables that holds the
    class the subject names, by its printed code or its 类/款/项 names: a
    functional class is found in the functional table, an economic one
    ("工资福利支出（301）") in the economic table that follows it; in the
    column a list names (`listed`) when it names one."""
    from budgetaudit.engine.resolve import spec_named

    printed = _PRINTED_CODE.search(text)
    for name, side, column, basis in classes:
        table = facts.table(spec_named(name).id)
        if table is None:
            continue
        if printed:  # "行政运行（2010301）": the code says which row, if the table has it
            code = printed.group(1)
            if not _has_row(table, code, text[: printed.start()]):
                continue
        else:
            names = level_names(text) or [text]
            code = _code_for(table, names) or _named_row(table, side, names)
        if code:
            return _class_cell(table, name, side, code, listed or column), basis
    return None, None


def _class_cell(table: Table, name: str, side: str, code: str, column: str) -> str:
    """The reference to a class's cell; a class of the second classification is
    the sum of the rows marked with it (西安 "机关工资福利支出（501）")."""
    from budgetaudit.engine.resolve import alt_rows

    ref = f"{name}[{side}{code}].{column}"
    if code[:1].isdigit() and not any(r.code == code for r in table.rows) and alt_rows(table.rows, code):
        return f"sum({ref})"
    return ref


def _named_row(table: Table, side: str, names: list[str]) -> Optional[str]:
    """A class printed without a code (中央's 财政拨款收支总表 "（一）一般公共服务支出"):
    the uncoded item row of the side named so, by its key."""
    if len(names) != 1:
        return None
    wanted = {"收入:": "income", "支出:": "expense"}.get(side)
    for row in table.rows:
        if row.code is None and row.kind == "item" and (wanted is None or row.side == wanted) \
                and row.key == row.label and _same_name(compact(row.label), names[0]):
            return row.key
    return None


def _has_row(table: Table, code: str, name: str) -> bool:
    """Whether the table has the code's row and the words before the printed code
    name it: the same last two characters, or the row's name and the word 支出
    ("对个人和家庭的补助支出（303）" for the row 对个人和家庭的补助), or they begin with
    the row's name where the table prints it cut short."""
    row = next((r for r in table.rows if r.code == code), None)
    if row is None:
        # a class of the second classification the table marks its rows with
        # ("机关工资福利支出（501）"): its name is not printed, its rows (if any) are
        # ("机关资本性支出（二）（504）0 万元": none)
        return any(r.alt_code and r.alt_code[0] == code[0] for r in table.rows)
    label, printed = compact(name), compact(row.label or "")
    ending = printed[-2:]
    # a name the table's narrow cell cuts short ("其他科技交流与合作支" for 其他科技交流与合作支出)
    cut = len(printed) >= 4 and label.startswith(printed)
    return cut or label.endswith(ending) or label.removesuffix("支出").endswith(ending)


_PATH = re.compile(r"^(.*[（(](?:类|款|项)[)）])")
# "2.商品和服务支出（302）5,563.22 万元，…具体为：人员经费 69.59 万元": the item opens the paragraph
# (the name may hold brackets: "资本性支出（基本建设）（309）")
_LEAD_CODE = re.compile(r"^([^，,。；;：:]{1,30}?)[（(]\s*(\d{3}(?:\d{2}){0,2})\s*[)）]")


def _item_ref(classes, lead: str, facts: Facts, column: Optional[str] = None) -> Optional[str]:
    """The row of the topic's classes tables that the paragraph names before
    the figure (its 类/款/项 path, or a name and code opening the paragraph), or
    the first table's 合计 when it names none; None when it names a row no table
    has. In `column` when given, else the classes' own column."""
    from budgetaudit.engine.resolve import spec_named

    opening = _NUMBERING.sub("", compact(lead))
    path, coded = _PATH.match(opening), _LEAD_CODE.match(opening)
    for name, side, own, _ in classes:
        table = facts.table(spec_named(name).id)
        if table is None:
            continue
        if coded:  # a code no table has ("机关资本性支出（一）（503）") names no row here
            code = coded.group(2)
            if not _has_row(table, code, coded.group(1)):
                continue
        elif path:
            code = _code_for(table, level_names(path.group(1)))
            if not code:
                continue
        else:
            code = "合计"
        return _class_cell(table, name, side, code, column or own)
    return None


def _same_name(label: Optional[str], name: str) -> bool:
    """A 类 may be written without its 支出: "教育（类）" for 教育支出."""
    return label is not None and (label == name or label == name + "支出" or name == label + "支出")


def _code_for(table: Table, names: list[str]) -> Optional[str]:
    """The code whose 类/款/项 labels are `names`: a path from the 类 down, or
    one from the 款 down (江苏 "人大事务（款）行政运行（项）" under the heading
    "（一）一般公共服务（类）"; "住房改革支出（类）住房公积金（项）" calls its 款 a 类)."""
    labels = {r.code: compact(r.label) for r in table.rows if r.code}
    for top in (3, 5) if len(names) >= 2 else (3,):
        for code, label in labels.items():
            if len(code) != top + 2 * (len(names) - 1) or not _same_name(label, names[-1]):
                continue
            ancestors = [labels.get(code[:n]) for n in range(top, len(code), 2)]
            if all(_same_name(a, n) for a, n in zip(ancestors, names[:-1])):
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
        from difflib import SequenceMatcher  # rarely needed: not on every run's start-up

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
