"""The narrative of other layouts, read in real documents of ../shared/corpus.

Errors these documents really print, each confirmed by hand against the page
(pdftotext of that page), and the claims each layout yields. The corpus is
kept beside the project, never in it: these tests skip when it is absent.
"""
from decimal import Decimal
from pathlib import Path

import pytest

from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.pairing import Paired, load_input

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


def facts_of(*names: str):
    item = Paired(*(CORPUS / n for n in names)) if len(names) == 2 else CORPUS / names[0]
    return extract_facts(load_input(item))


def errors(facts, rule: str) -> list[str]:
    return [f.message for f in check_facts(facts, load_rules())
            if f.rule == rule and f.severity == "error"]


def amount_refs(facts, page=None) -> dict:
    """subject -> reference of the amount claims (on one page when given)."""
    return {c.subject: c.ref for c in facts.claims
            if c.kind == "amount" and (page is None or c.page == page)}


def edited(document, line, old: str, new: str):
    """The facts of the document with one line's first `old` printed as `new`."""
    from dataclasses import replace

    lines = tuple(replace(l, text=l.text.replace(old, new, 1)) if l is line else l
                  for l in document.lines)
    return extract_facts(replace(document, lines=lines))


def test_beijing_prior_stated_delta_misprinted():
    # 北京市司法局 情况说明 p.7: "2026 年支出预算 29956.27 万元，比 2025 年年初预算数
    # 28479.84 万元增加 1476.73 万元，增长 5.18%": 29956.27 − 28479.84 = 1476.43, as the
    # income paragraph on p.6 prints it.
    facts = facts_of("beijing-2026-ys-bm-sifaju-narr-0a21.pdf", "beijing-2026-ys-bm-sifaju-tables-9695.pdf")
    found = errors(facts, "F605")
    assert len(found) == 1 and "1476.43" in found[0] and "1476.73" in found[0], found
    changes = [c for c in facts.claims if c.kind == "change" and "prior" in c.values]
    assert len(changes) >= 2  # income and expenditure both state their prior year


@pytest.mark.slow
def test_central_narrative_misprints():
    # 国家信访局 2026 预算 p.18: "财政拨款收支总预算 18,728.91 万元", but 16,474.82 +
    # 2,254.12 = 18,728.94 as 财政拨款收支总表 prints it; p.25: "委托业务费财政拨款预算
    # 1,391.68 万元，比 2025 年预算增加 333.83 万元，增长 31.35%": 333.83 / 1,057.85 = 31.56%.
    facts = facts_of("central-2026-ys-bm-xinfangju-1e01.pdf")
    assert any("18728.91" in m and "18728.94" in m for m in errors(facts, "D401"))
    assert any("31.56" in m and "31.35" in m for m in errors(facts, "F601"))


@pytest.mark.slow
def test_central_final_accounts_rate_misprinted():
    # 国家信访局 2024 决算 p.17: "收、支总计 22066.59 万元 … 各增加 5834.37 万元，增长
    # 35.74%": 5834.37 / 16232.22 = 35.94%.
    facts = facts_of("central-2024-js-bm-xinfangju-a428.pdf")
    assert any("35.94" in m and "35.74" in m for m in errors(facts, "F601"))


# 北京市审计局 2026: the 收入总表 prints its header and one row of figures (the whole,
# unlabelled), the 基本支出表 ends with an unlabelled 合计 row, "金额单位：万元" stands
# in the header's corner, the 三公 table prints no 合计 row, and 基本支出 is classified
# by 政府预算支出经济分类 (501…) instead of 301….
SHENJI = ("beijing-2026-ys-bm-shenjiju-narr-f790.pdf", "beijing-2026-ys-bm-shenjiju-tables-8bc8.pdf")


def test_beijing_tables_without_printed_totals_are_read():
    facts = facts_of(*SHENJI)
    income = facts.table("income")
    [total] = [r for r in income.rows if r.kind == "total"]
    assert str(total.cells["总计"]) == "32852.053832" and total.cells["事业收入"] is None  # blank
    assert not any("金额单位" in c for c in income.columns)
    assert "上年结转结余" in income.columns and str(total.cells["其他收入"]) == "15.000000"
    basic = facts.table("gpb_basic")
    assert [str(r.cells["公用经费"]) for r in basic.rows if r.kind == "total"] == ["1672.857085"]


def test_beijing_narrative_resolves_to_tables_without_printed_totals():
    facts = facts_of(*SHENJI)
    resolved = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and c.ref}
    # p. 6 "9.其他收入 15 万元"; p. 8 "“三公”经费预算244.85 万元" = 173.52 + 6.00 + 65.328
    assert resolved["其他收入"] == "收入总表[合计].其他收入"
    assert resolved['财政拨款"三公"经费预算'].startswith("三公表[因公出国（境）费].合计 + ")
    found = [f for f in check_facts(facts, load_rules()) if f.severity == "error"]
    # 预算08表 is printed empty without a note under it, but the narrative says why (p. 6
    # "3.国有资本经营预算拨款收入0 万元。"), as other 北京 departments print "收入 0 万元"
    assert [f.rule for f in found] == []


def test_beijing_narrative_amount_misprint_is_caught():
    """The same document with p. 6's "9.其他收入 15 万元" read as 16: D401."""
    from dataclasses import replace

    from budgetaudit.pairing import load_input

    document = load_input(Paired(*(CORPUS / n for n in SHENJI)))
    [line] = [l for l in document.lines if l.text.replace(" ", "").startswith("9.其他收入15万元")]
    lines = tuple(replace(l, text=l.text.replace("15", "16")) if l is line else l for l in document.lines)
    facts = extract_facts(replace(document, lines=lines))
    assert any("其他收入" in m and "16" in m for m in errors(facts, "D401"))


def test_economic_rows_of_another_classification_are_not_zero():
    """人员经费 = 301 + 303 (C303) does not apply to a 基本支出表 printed by 501… codes:
    the rows are not printed as zero, that classification is not used."""
    facts = facts_of(*SHENJI)
    assert errors(facts, "C303") == [] and errors(facts, "C304") == []


def test_jiangsu_basic_spending_misprinted_in_the_narrative():
    """Confirmed as published: 江苏省人民检察院 2017 p. 19 "此外，基本支出预算数为 12323.46
    万元", where 公开01表 and 公开03表 print 12,323.48 and p. 20 restates 12323.48."""
    facts = facts_of("jiangsu-2017-ys-bm-renminjianchayuan-bb21.pdf")
    found = errors(facts, "D401")
    assert len(found) == 1 and "12323.46" in found[0] and "12323.48" in found[0]


def test_a_figure_inside_a_reason_restates_nothing():
    """江苏省高级人民法院 2017 p. 21: "…主要原因是基本支出增加人员经费 1408.29 万元": the
    figure is part of the reason, not the 基本支出 of the table."""
    facts = facts_of("jiangsu-2017-ys-bm-gaojirenminfayuan-b81a.pdf")
    inside = [c for c in facts.claims if c.kind == "amount" and str(c.values["amount"]) == "1408.29"]
    assert inside and all(c.ref is None for c in inside)
    assert errors(facts, "D401") == []


def test_a_title_wrapped_over_two_lines_is_read_whole():
    """江苏省人民检察院 2018 p.19: 公开09表's title wraps ("公开 09 表：一般公共预算“三公”经费、
    会议费、培训费" / "支出预算表"); its second line alone reads as another title (支出预算表).
    Joined, it is the 三公 table, and the document has one 支出预算总表 (合计 21955.35)."""
    facts = facts_of("jiangsu-2018-ys-bm-renminjianchayuan-7a63.pdf")
    assert [t.id for t in facts.tables].count("expense") == 1
    three = facts.table("three_public")
    assert three.title.endswith("“三公”经费、会议费、培训费支出预算表")
    assert str({r.label: r.cells["合计"] for r in three.rows}["合计"]) == "484.30"
    assert errors(facts, "B201") == [] and errors(facts, "E501") == []


# 深圳市统计局 2026 p.32, 表9 财政拨款“三公”经费支出表: the items across (总计, 因公出国(境)费,
# 公务接待费, 公务用车购置及运行维护费 › 小计 / 购置费 / 运行维护费), each by fund (一般公共预算,
# 政府性基金预算, 国有资本经营预算), one row per year under the unit's name:
#   深圳市统计局（本级） 2025年  59.62 0.00 0.00 43.87 … 4.20 0.00 0.00
#                       2026年  32.56 0.00 0.00 16.80 … 4.20 0.00 0.00
#                       增减变化金额 -27.07 …
TONGJI = "shenzhen-2026-ys-bm-tongjiju-10c0.pdf"


def test_shenzhen_three_public_items_by_fund_and_year_are_read():
    from budgetaudit.engine.resolve import FactIndex
    from budgetaudit.engine.expr import Ref

    facts = facts_of(TONGJI)
    table = facts.table("three_public")
    values = {r.label: r.cells for r in table.rows}
    assert str(values["合计"]["一般公共预算"]) == "32.56"  # 2026, not 2025's 59.62
    assert str(values["因公出国（境）费"]["一般公共预算"]) == "16.80"
    assert str(values["公务接待费"]["一般公共预算"]) == "11.56"
    assert str(values["公务用车运行费"]["一般公共预算"]) == "4.20"
    assert str(values["公务用车购置费"]["政府性基金"]) == "0.00"
    assert "合计" not in table.columns  # no item prints a total over the funds …
    # … so 三公表[X].合计 reads as the funds' sum (tables.yaml: 合计 sum_of)
    [term] = FactIndex(facts)(Ref("三公表", "因公出国（境）费", "合计"))
    assert str(term.value) == "16.80" and "未列示" in term.label
    # the narrative's 三公 figures now restate the table: quiet as published
    resolved = [c for c in facts.claims if c.ref and c.ref.startswith("三公表")]
    assert len(resolved) >= 5
    assert errors(facts, "D401") == []


def test_shenzhen_three_public_of_several_units_reads_the_department():
    # 深圳市水务局 p.180: the department's rows (深圳市水务局 2026年 469.17 …) come first,
    # then 深圳市水务局（本级） and each unit in turn over four pages; only the first is read
    table = facts_of("shenzhen-2026-ys-bm-shuiwuju-23e8.pdf").table("three_public")
    values = {r.label: r.cells for r in table.rows}
    assert str(values["合计"]["一般公共预算"]) == "469.17"
    assert str(values["公务用车购置费"]["一般公共预算"]) == "126.00"
    assert len(table.rows) == 6


def test_shenzhen_three_public_figure_misprinted_is_caught():
    from dataclasses import replace

    facts = facts_of(TONGJI)
    claims = [c for c in facts.claims if c.ref == "三公表[公务接待费].合计"]
    assert claims and claims[0].values["amount"] == claims[0].values["amount"].__class__("11.56")
    edited = replace(facts, claims=tuple(
        replace(c, values={**c.values, "amount": c.values["amount"] + 1}) if c is claims[0] else c
        for c in facts.claims))
    assert any("11.56" in m and "12.56" in m for m in errors(edited, "D401"))


def test_a_quota_named_in_a_reason_is_not_the_item():
    # 中共深圳市委宣传部 2026 p.10: "2026 年预算数 108.60 万元 … 2026 年因公出国费按批复额度
    # 89.60 万元在二上时已纳入部门预算": the 89.60 is part of the 108.60 (narrative.yaml: 额度)
    facts = facts_of("shenzhen-2026-ys-bm-weixuanchuanbu-350a.pdf")
    assert errors(facts, "D401") == []
    assert any(c.ref == "三公表[因公出国（境）费].合计" and str(c.values["amount"]) == "108.60"
               for c in facts.claims)


def test_a_unit_budget_and_the_parts_it_lists():
    # 深圳市气象局 2026 p.7: "深圳市气象局（本级）预算 7,199.97 万元，包括在职人员经费 2,120.29 万元、
    # 公用经费 645.01 万元、对个人和家庭的补助支出 311.25 万元、增人增资 140.61 万元、项目支出
    # 3,982.81万元。" 7199.97 = the five parts; 深圳市统计局 p.6 prints 5,417.80 for parts of
    # 5,417.79: rounding, an info (five parts to 0.01). A part misprinted by 1.00 is an error.
    from dataclasses import replace
    from decimal import Decimal

    facts = facts_of("shenzhen-2026-ys-bm-qixiangju-f834.pdf")
    [claim] = [c for c in facts.claims if c.kind == "listed_parts"]
    assert claim.values == {"total": Decimal("7199.97"), "listed": Decimal("7199.97")}
    assert errors(facts, "H811") == []
    edited = replace(facts, claims=tuple(
        replace(c, values={**c.values, "listed": Decimal("7200.97")}) if c is claim else c
        for c in facts.claims))
    assert errors(edited, "H811")
    rounded = facts_of(TONGJI)
    notes = [f for f in check_facts(rounded, load_rules()) if f.rule == "H811"]
    assert notes and all(f.severity == "info" for f in notes)


def test_xian_2026_totals_of_this_year_resolve():
    # 西安市公安局 2026 p.9: "本部门当年预算收入 344,447.70 万元，其中：一般公共预算拨款
    # 324,638.50 万元、上年结转 13,102.70 万元、上年实户资金余额…" and "本部门当年财政拨款收入
    # 337,741.21 万元": with the carry-over, the 收入总计 of 表1 and 表4 (not 本年收入合计)
    facts = facts_of("xian-2026-ys-bm-gonganju-6680.pdf")
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount"}
    assert refs["本部门当年预算收入"] == "收支总表[收入:总计]"
    assert refs["本部门当年财政拨款收入"] == "财政拨款收支表[收入:总计].合计"
    assert errors(facts, "D401") == []
    # 西安市司法局 2026 p.17: "本部门当年一般公共预算拨款支出13,650.79万元，较上年减少99.00万元"
    facts = facts_of("xian-2026-ys-bm-sifaju-eecd.pdf")
    [claim] = [c for c in facts.claims if c.kind == "amount"
               and c.subject == "本部门当年一般公共预算拨款支出"]
    assert claim.ref == "一般公共预算支出表[合计].合计"
    from dataclasses import replace
    edited = replace(facts, claims=tuple(
        replace(c, values={**c.values, "amount": c.values["amount"] + 1}) if c is claim else c
        for c in facts.claims))
    assert any("13651.79" in m for m in errors(edited, "D401"))


XIAN_STATS = "xian-2026-ys-bm-tongjiju-054d.pdf"


def test_xian_economic_classes_resolve_in_the_economic_table():
    """西安市统计局 2026 p. 17 "（1）工资福利支出（301）3,249.39万元" and p. 18 "（4）资本性支出
    （310）604.00万元" restate the economic table's rows (表6, in 元); p. 23's 机关运行经费
    214.33 万元 the 公用经费支出 column of 基本支出表. The 501… paragraph (政府预算经济分类)
    has no table of its own: its classes are the rows 表6 marks with that code beside its own."""
    facts = facts_of(XIAN_STATS)
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount"}
    assert refs["工资福利支出（301）"] == "一般公共预算经济分类表[301].合计"
    assert refs["资本性支出（310）"] == "一般公共预算经济分类表[310].合计"
    assert refs["行政运行（2010501）"] == "一般公共预算支出表[2010501].合计"
    assert refs["机关工资福利支出（501）"] == "sum(一般公共预算经济分类表[501].合计)"
    assert refs["本部门当年机关运行经费预算安排"] == "基本支出表[合计].公用经费"
    assert errors(facts, "D401") == []


def test_xian_income_sources_resolve_only_in_a_sentence_about_income():
    """p. 14: "本部门当年预算收入6,210.93万元，其中：一般公共预算拨款6,210.93万元…；本部门当年
    预算支出6,210.93万元，其中：一般公共预算拨款6,210.93万元": the first is 表1's income row
    一般公共预算拨款, the second spending from those funds, which no row restates."""
    facts = facts_of(XIAN_STATS)
    found = [c.ref for c in facts.claims if c.kind == "amount" and c.subject == "一般公共预算拨款"
             and c.page == 14]
    assert found == ["收支总表[收入:一般公共预算拨款]", None]


def test_xian_parts_of_an_economic_class_resolve_to_its_columns():
    """西安市民政局 2021 p. 28: "2.商品和服务支出（302）5,563.22 万元，…。具体为：人员经费
    69.59万元，…；公用经费 663.08 万元，…；专项业务经费 4,830.55 万元" are the 302 row's
    人员经费支出, 公用经费支出 and 专项业务经费支出 columns."""
    facts = facts_of("xian-2021-ys-bm-minzhengju-1594.pdf")
    parts = {(c.subject, str(c.values["amount"])): c.ref for c in facts.claims
             if c.kind == "amount" and c.page in (28, 29)}  # p. 30 repeats them under 502
    assert parts[("人员经费", "69.59")] == "一般公共预算经济分类表[302].人员经费"
    assert parts[("公用经费", "663.08")] == "一般公共预算经济分类表[302].公用经费"
    assert parts[("专项业务经费", "4830.55")] == "一般公共预算经济分类表[302].项目支出"


def test_xian_economic_class_misprint_is_caught():
    """The same p. 17 with 工资福利支出（301）read as 3,249.49 万元: D401 against 表6's
    32,493,937.03 元."""
    from dataclasses import replace

    document = load_input(CORPUS / XIAN_STATS)
    [line] = [l for l in document.lines if "工资福利支出（301）3,249.39" in l.text]
    lines = tuple(replace(l, text=l.text.replace("3,249.39", "3,249.49")) if l is line else l
                  for l in document.lines)
    facts = extract_facts(replace(document, lines=lines))
    assert any("3249.49" in m and "工资福利支出" in m for m in errors(facts, "D401"))


def test_shanghai_unnumbered_title_after_a_glossary_sentence_sets_the_topic():
    """上海市财政局 2025 p. 6: "2025年单位预算编制说明" follows the glossary's last entry
    "（八）机关运行经费：指……日常公用经费支出。", a heading that ends its sentence and so is
    not continued on the next line. Its income sentence restates 表1: "收入预算17,192万元，
    其中：财政拨款收入17,192万元…；事业收入0万元"."""
    facts = facts_of("shanghai-2025-ys-dw-caizhengju-2c1f.pdf")
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and c.page == 6}
    assert refs["上海市财政局收入预算"] == "收支总表[收入:总计]"
    assert refs["财政拨款收入"] == "收支总表[收入:财政拨款收入]"
    assert refs["事业收入"] == "收支总表[收入:事业收入]"
    assert refs["财政拨款支出预算"] == "财政拨款收支表[支出:总计].合计"  # the fiscal table's
    assert errors(facts, "D401") == []


def test_shenzhen_unit_section_restates_its_row_of_the_expense_table():
    """深圳市统计局（本级）2026 p. 6: under "一、深圳市统计局（本级）", "深圳市统计局（本级）预算
    5,417.80 万元，包括…项目支出 1,313.80万元" restates the 支出总表 row named after that unit;
    its 在职人员经费 and 增人增资, which no table prints, are its 工资福利支出 less each other.
    The unit's "（五）项目支出1,313.80万元，具体包括：" (p. 7) is still read as the project list
    it introduces."""
    facts = facts_of("shenzhen-2026-ys-bm-tongjiju-10c0.pdf")
    refs = [(c.subject, c.ref) for c in facts.claims if c.kind == "amount" and c.page in (6, 7)]
    assert ("深圳市统计局（本级）预算", "支出总表[深圳市统计局（本级）].合计") in refs
    assert refs.count(("项目支出", "支出总表[深圳市统计局（本级）].项目支出")) == 1
    paired = [ref for subject, ref in refs if subject == "增人增资"]
    assert paired and all(ref.startswith("基本支出总表[深圳市统计局（本级）›工资福利支出].合计 - 说明[在职人员经费@")
                          for ref in paired), paired
    assert errors(facts, "D401") == []


def test_shenzhen_unit_budget_misprint_is_caught():
    """The same p. 6 with "预算 5,417.80 万元" read as 5,417.90: D401 against the unit's row."""
    from dataclasses import replace

    document = load_input(CORPUS / "shenzhen-2026-ys-bm-tongjiju-10c0.pdf")
    [line] = [l for l in document.lines if "（本级）预算 5,417.80" in l.text]
    lines = tuple(replace(l, text=l.text.replace("5,417.80", "5,417.90")) if l is line else l
                  for l in document.lines)
    facts = extract_facts(replace(document, lines=lines))
    assert any("5417.90" in m for m in errors(facts, "D401"))



def test_central_sections_named_after_their_tables_resolve():
    # 国家信访局 2026 预算 pp.17-18: "二、关于部门收入总表的说明 … 一般公共预算拨款收入
    # 16,474.82 万元，占 32.55%；…上年结转 2,254.12 万元" and "四、关于财政拨款收支总表的
    # 说明 … 支出包括：一般公共服务支出 15,291.3 万元，占 81.65%": the sections say which
    # table they restate, and the 财政拨款收支总表 prints its classes as "（一）…" under
    # "一、本年支出", without codes.
    facts = facts_of("central-2026-ys-bm-xinfangju-1e01.pdf")
    refs = {(c.line, c.subject): c.ref for c in facts.claims if c.kind == "amount"}
    assert refs[(220, "国家信访局2026年收支总预算")] == "收支总表[收入:总计]"
    assert refs[(223, "一般公共预算拨款收入")] == "收入总表[合计].一般公共预算"
    assert refs[(224, "上年结转")] == "收入总表[合计].上年结转结余"
    assert refs[(228, "基本支出")] == "支出总表[合计].基本支出"
    assert refs[(234, "一般公共预算当年拨款收入")] == "财政拨款收支表[收入:一般公共预算].合计"
    assert refs[(235, "一般公共服务支出")] == "财政拨款收支表[支出:一般公共服务支出].合计"
    assert refs[(254, "国家信访局2026年一般公共预算当年财政拨款")] == "一般公共预算支出表[合计].合计"
    shares = [c for c in facts.claims if c.kind == "share" and c.line in (223, 224)]
    assert len(shares) == 3 and all(c.base == "收支总表[收入:总计]" for c in shares)


def test_central_fiscal_table_blocks_over_bracketed_classes():
    # 国家信访局 2026 财政拨款收支总表 p.9: "一、本年收入 16,474.82 / （一）一般公共预算拨款
    # 16,474.82 … 二、上年结转 2,254.12 / （一）一般公共预算拨款 2,254.12" and on the other
    # side "一、本年支出 18,728.94 / （一）一般公共服务支出 15,291.30 …": each block is the
    # sum of the （一）… rows under it.
    facts = facts_of("central-2026-ys-bm-xinfangju-1e01.pdf")
    table = facts.table("fiscal_income_expense")
    rows = {(r.side, r.key): r for r in table.rows}
    assert rows[("income", "一般公共预算拨款")].parent == "本年收入"
    assert rows[("income", "上年结转:一般公共预算拨款")].parent == "上年结转"
    assert rows[("income", "本年收入")].kind == "subtotal"
    classes = [r for r in table.rows if r.side == "expense" and r.parent == "本年支出"]
    assert [r.label for r in classes] == ["一般公共服务支出", "教育支出", "社会保障和就业支出", "住房保障支出"]
    assert all(r.kind == "item" for r in classes)
    assert rows[("expense", "本年支出")].kind == "subtotal"
    assert not [f for f in check_facts(facts, load_rules())
                if f.severity == "error" and f.rule.startswith(("A", "B"))]


def test_jiangsu_2018_classes_and_fiscal_spending_resolve():
    # 江苏省人大常委会办公厅 2018 pp.20-24: "（二）支出预算总计 15897.44 万元。包括：1．一般
    # 公共服务（类）支出 12706.28 万元" restates the summary's expense side (its 支出预算总表
    # prints only the 合计 row); "五、财政拨款支出预算情况说明 … （一）一般公共服务（类）/
    # 1.人大事务（款）行政运行（项）支出6372.32万元" the 财政拨款支出预算表 (one column, 金额),
    # its path given from the 款; "住房改革支出（类）住房公积金（项）" calls its 款 a 类.
    facts = facts_of("jiangsu-2018-ys-bm-rendachangweihuibangongtin-bd87.pdf")
    refs = {(c.line, c.subject): c.ref for c in facts.claims if c.kind == "amount"}
    assert refs[(384, "一般公共服务（类）支出")] == "收支总表[支出:一般公共服务支出].预算数"
    assert refs[(407, "预留机动经费预算数为")] == "支出总表[合计].单位预留机动经费"
    assert refs[(436, "支总预算")] == "财政拨款收支表[收入:总计].合计"
    assert refs[(445, "江苏省人大常委会办公厅2018年财政拨款预算支出")] == "财政拨款支出表[合计].合计"
    assert refs[(451, "人大事务（款）行政运行（项）支出")] == "财政拨款支出表[2010101].合计"
    assert refs[(483, "住房改革支出（类）住房公积金（项）")] == "财政拨款支出表[2210201].合计"
    assert facts.table("fiscal_expense").columns == ("合计",)
    assert not errors(facts, "D401")


def test_shanghai_list_of_fiscal_items_restates_the_tables():
    # 上海市财政局 2025 单位预算 p.6: "财政拨款支出主要内容如下：" on a line of its own, then
    # "1.“一般公共服务支出”科目12,789万元": the 类 of the 财政拨款收支表 (in 元), by its name.
    facts = facts_of("shanghai-2025-ys-dw-caizhengju-2c1f.pdf")
    refs = {(c.line, c.subject): c.ref for c in facts.claims if c.kind == "amount"}
    assert refs[(77, "一般公共服务支出")] == "财政拨款收支表[支出:一般公共服务支出].合计"
    assert refs[(80, "住房保障支出")] == "财政拨款收支表[支出:住房保障支出].合计"
    assert not errors(facts, "D401")


def test_putuo_item_budget_copied_from_the_item_before_is_caught():
    # 普陀区万里街道 2023 预算 p.7: "16. “社会保障和就业支出（类）行政事业单位养老支出（款）
    # 机关事业单位职业年金缴费支出（项）”220.63万元，…2022年当年预算执行数为132.59万元，
    # 2023年预算安排441.25万元，比2022年预算执行数增加60.54%" — 441.25 and 60.54% are item
    # 15's (基本养老保险缴费); the 一般公共预算支出功能分类预算表 prints 2,206,272 元 for 2080506.
    facts = facts_of("shanghai-putuo-2023-ys-bm-renminzhengfuwanlijiedaoba-831c.pdf")
    arranged = [c for c in facts.claims if c.kind == "amount" and c.subject == "预算安排"]
    assert len(arranged) >= 20 and all(c.ref.startswith("一般公共预算支出表[") for c in arranged)
    found = errors(facts, "D401")
    assert len(found) == 1 and "441.25" in found[0] and "220.6272" in found[0], found


def test_xian_item_moved_so_its_list_adds_up_is_rounding():
    # 西安市商务局 2022 pp. 22-23 lists every 项 of 商贸事务 (20113): 2093.85, 10429.84, 56,
    # 189.71, 2697.45 = 15466.85, the 款's 154,668,476.29 元 rounded; each rounded they make
    # 15466.84, so one (the largest, 104,298,313.00 元) is printed one unit up. A nudge,
    # reported as rounding, not a misprint.
    facts = facts_of("xian-2022-ys-bm-shangwuju-37a6.pdf")
    found = [f for f in check_facts(facts, load_rules())
             if f.rule == "D401" and "10429.84" in f.message]
    assert found and all(f.severity == "info" for f in found), [f.message for f in found]


def test_shenzhen_section_named_after_a_unit_of_the_expense_table():
    # 深圳市规划和自然资源局宝安管理局 2026 p. 6: "一、深圳市规划和自然资源局宝安管理局" (no 本级)
    # names the row the 支出总表 prints for the unit; "…宝安管理局预算 11,113.21 万元，…项目支出
    # 5,585.21 万元" restate that row.
    facts = facts_of("shenzhen-2026-ys-bm-guihuaheziranziyuanjubaoan-2751.pdf")
    refs = {(c.line, c.subject): c.ref for c in facts.claims if c.kind == "amount"}
    unit = "深圳市规划和自然资源局宝安管理局"
    assert refs[(77, unit + "预算")] == f"支出总表[{unit}].合计"
    assert refs[(80, "项目支出")] == f"支出总表[{unit}].项目支出"
    assert not errors(facts, "D401")


# Figures of a page that restate the tables, and the references they resolve to.
RESTATED = [
    # 上海市财政局 2025 p. 6: "支出预算17,192万元，其中：财政拨款支出预算17,192万元…。财政拨款
    # 支出预算中，一般公共预算拨款支出预算17,192万元…；政府性基金拨款支出预算为0；国有资本经营
    # 预算拨款支出预算为0": the 财政拨款收支预算总表's 支出总计 (171,915,169 元), by fund.
    ("shanghai-2025-ys-dw-caizhengju-2c1f.pdf", 6,
     {"财政拨款支出预算": "财政拨款收支表[支出:总计].合计",
      "一般公共预算拨款支出预算": "财政拨款收支表[支出:总计].一般公共预算"}),
    # 江苏省高级人民法院 2017 p. 23 "（一）人员经费 13594.82 万元 …（二）公用经费 3528.37 万元":
    # its 基本支出表 prints only 合计, by economic class, so they are 301 + 303 and 302 + 310
    # (rules C303, C304), the alternatives after the columns this layout does not print.
    ("jiangsu-2017-ys-bm-gaojirenminfayuan-b81a.pdf", 23,
     {"人员经费": "基本支出表[301].合计 + 基本支出表[303].合计",
      "公用经费": "基本支出表[302].合计 + 基本支出表[310].合计"}),
]


@pytest.mark.parametrize("name,page,expected", RESTATED)
def test_figures_restate_the_tables(name, page, expected):
    facts = facts_of(name)
    refs = amount_refs(facts, page=page)
    assert {subject: refs.get(subject) for subject in expected} == expected
    assert not errors(facts, "D401")


def test_shanghai_fiscal_spending_misprint_is_caught():
    """The same page with "一般公共预算拨款支出预算17,192万元" read as 17,193: D401."""
    document = load_input(CORPUS / "shanghai-2025-ys-dw-caizhengju-2c1f.pdf")
    [line] = [l for l in document.lines if l.text.endswith("一般公共预算拨款")]
    [after] = [l for l in document.lines if l.number == line.number + 1]
    assert after.text.startswith("支出预算17,192万元")
    found = errors(edited(document, after, "17,192", "17,193"), "D401")
    assert len(found) == 1 and "17193" in found[0] and "17191.5169" in found[0], found


BEIJING_FINANCE = ("beijing-2026-ys-bm-caizhengju-narr-dd1a.pdf",
                   "beijing-2026-ys-bm-caizhengju-tables-7926.pdf")


def test_beijing_income_groups_and_procurement_restate_the_tables():
    # 北京市财政局 2026 p. 6 "（一）本年财政拨款收入 44156.64 万元 … （二）本年其他资金收入
    # 0 万元"; p. 8 "（三）年终结转结余资金 0 万元"; p. 9 "政府采购预算总额12948.49万元，其中：
    # 政府采购货物预算 716.98 万元，政府采购工程预算 0万元，政府采购服务预算 12231.51 万元"
    # against 预算10表's A-货物 716.974000, C-服务 12231.513100, 合计 12948.487100 (no B-工程 row).
    facts = facts_of(*BEIJING_FINANCE)
    from budgetaudit.engine.claim_checks import table_value
    from budgetaudit.engine.resolve import FactIndex

    index = FactIndex(facts)
    values = {c.subject: table_value(index, c.ref) for c in facts.claims if c.kind == "amount"}
    assert str(values["本年财政拨款收入"].value) == "44156.640120"
    assert values["本年其他资金收入"].value == 0  # 本年收入合计 less the 财政拨款 of the year
    assert values["年终结转结余资金"].value == 0
    assert str(values["北京市财政局政府采购预算总额"].value) == "12948.487100"
    assert str(values["政府采购服务预算"].value) == "12231.513100"
    # the table prints no 工程 row, and its A-货物 and C-服务 add up to its 合计: 工程 is nothing
    assert values["政府采购工程预算"].value == 0
    # 716.974 rounds to 716.97, but 716.97 + 12231.51 = 12948.48: the narrative moved 货物
    # up one unit so that its list adds up to the total (a nudge, reported as rounding)
    found = [f for f in check_facts(facts, load_rules()) if f.rule == "D401"]
    assert [f.severity for f in found if "716.98" in f.message] == ["info"]
    assert not [f for f in found if f.severity == "error"]


def test_xian_classes_of_the_government_economic_classification_are_summed():
    # 西安市司法局 2026 p. 22 "2.按照政府预算支出经济分类 … （1）机关工资福利支出（501）
    # 10,146.88万元": 表6 prints each 部门经济科目 row with its 政府经济科目编码 beside it
    # ("30101 基本工资 50101 工资奖金津补贴 22,098,333.60"); 501 is the sum of the rows marked 501xx.
    facts = facts_of("xian-2026-ys-bm-sifaju-eecd.pdf")
    table = facts.table("gpb_economic")
    assert [(r.code, r.alt_code) for r in table.rows[2:4]] == [("30101", "50101"), ("30101", "50501")]
    refs = amount_refs(facts)
    assert refs["机关工资福利支出（501）"] == "sum(一般公共预算经济分类表[501].合计)"
    from budgetaudit.engine.claim_checks import table_value
    from budgetaudit.engine.resolve import FactIndex

    value = table_value(FactIndex(facts), refs["机关工资福利支出（501）"])
    assert str(value.value) == "10146.878595" and len(value.terms) > 5
    assert not errors(facts, "D401")


def test_xian_second_code_woven_into_a_wrapped_name_is_read_apart():
    # 西安市气象局 2022 表6 line "30108 机关事业单位基本养老保 | 险50缴5费01 | 工资福利支出 | 81738.24":
    # the name's end (险缴费) woven into the 政府经济科目编码 50501. Read apart, 505 adds up to
    # the narrative's "对事业单位经常性补助（505）183.93 万元" (without that row, 175.76).
    facts = facts_of("xian-2022-ys-bm-qixiangju-8b9b.pdf")
    [row] = [r for r in facts.table("gpb_economic").rows if r.code == "30108"]
    assert (row.label, row.alt_code) == ("机关事业单位基本养老保险缴费", "50501")
    # its D401s are the 三公 paragraph's 2021 figures against 表13 (test_corpus_layouts CONFIRMED)
    assert not [m for m in errors(facts, "D401") if "表13" not in m]


def test_xian_classes_of_the_second_classification_rounded_by_the_writer():
    # 西安市商务局 2022 p. 28 lists every 政府经济分类 class: 2137.56 + 5032.62 + 5.50 + 2502.27
    # + 9.30 + 47334.05 + 376.76 = 57398.06, the table's 57,398.061020 rounded, while its rows
    # give 2137.587815 and 5032.609617: the writer's own rounding of parts the tables do not
    # print (reported as rounding). 西安市住房和城乡建设局 2022 p. 28: "机关商品和服务支出（502）
    # 3468.65 万元" where the rows give 3468.642653, and its list adds up to 227123.38 against
    # the 227123.37 it states above it: an error. "机关资本性支出（二）（504）0 万元": no row is
    # marked 504, so it is zero.
    facts = facts_of("xian-2022-ys-bm-shangwuju-37a6.pdf")
    found = [f for f in check_facts(facts, load_rules()) if f.rule == "D401" and "（50" in f.message]
    assert {f.severity for f in found} == {"info"} and any("2137.56" in f.message for f in found)
    facts = facts_of("xian-2022-ys-bm-zhufanghechengxiangjianshe-27cb.pdf")
    found = [m for m in errors(facts, "D401") if "（50" in m]
    assert len(found) == 1 and "3468.65" in found[0], found
    refs = amount_refs(facts)
    assert refs["机关资本性支出（二）（504）"] == "一般公共预算经济分类表[504].合计"


def test_xian_one_units_part_of_a_column_is_not_the_column():
    # 西安市科学技术局 2022 p. 32 "其中：2021 年度专项业务费支出 533 万元，…，西安市社会科学院日常
    # 公用经费 65.56万元，局机关日常公用经费87.36万元。2022年…日常公用经费109.15万元": only the
    # bare 日常公用经费 is the 502 row's 公用经费.
    facts = facts_of("xian-2022-ys-bm-kexuejishuju-ac56.pdf")
    refs = amount_refs(facts, page=32)
    assert refs["日常公用经费"] == "sum(一般公共预算经济分类表[502].公用经费)"
    assert refs["西安市社会科学院日常公用经费"] is None and refs["局机关日常公用经费"] is None
    assert not [m for m in errors(facts, "D401") if "第 32 页" in m]


def test_xian_second_classification_misprint_is_caught():
    """西安市司法局 2026 p. 22 with "（1）机关工资福利支出（501）10,146.88万元" read as 10,146.89:
    the list no longer adds up, so the class is compared as its rows' sum, and D401 fires."""
    document = load_input(CORPUS / "xian-2026-ys-bm-sifaju-eecd.pdf")
    [line] = [l for l in document.lines if "机关工资福利支出（501）10,146.88" in l.text]
    found = errors(edited(document, line, "10,146.88", "10,146.89"), "D401")
    assert len(found) == 1 and "10146.89" in found[0], found


def test_xian_2021_title_wrapped_inside_its_qualifier_and_lists_by_column():
    # 西安市委宣传部 2021 p. 24: 表5's title breaks inside its bracket ("…一般公共预算支出明细表
    # （按支出功能分类科" | "目-不含上年结转）"): the general budget table, read. p. 8 lists its
    # rows by column: "（2）公用经费：①行政运行（2013201）124.00万元…；②培训支出（2050803）2 万元"
    # and "（3）专项业务经费：…②培训支出（2050803）107.6 万元": the 公用经费 and 项目支出 of
    # the row that prints 1,096,000.00 in all (20,000.00 and 1,076,000.00).
    facts = facts_of("xian-2021-ys-bm-weixuanchuanbu-cd27.pdf")
    assert facts.table("gpb_expense") is not None
    refs = {(c.page, str(c.values["amount"])): c.ref for c in facts.claims
            if c.kind == "amount" and "2050803" in c.subject}
    assert refs[(8, "2")] == "一般公共预算支出表[2050803].公用经费"
    assert refs[(8, "107.6")] == "一般公共预算支出表[2050803].项目支出"
    assert not errors(facts, "D401")


def test_xian_2022_spending_may_be_either_total_and_spending_from_a_source_is_not_income():
    """西安 2022's 表1 prints 本年支出合计, 结转下年 and 未安排支出的实户资金 above 支出总计. 工信局
    (p. 8) "2022 年本部门预算支出 105590.77 万元，其中一般公共预算拨款支出 105364.27 万元…、事业
    收入支出 226.50 万元" is 本年支出合计 (1,055,907,667.43 元); 科技局 (p. 21) "本部门预算支出
    94386.49 万元" is 支出总计 (943,864,999.96 元, cut). 事业收入支出 is spent from 事业收入,
    not the 事业收入 row (243.00): its 部门支出总表 prints what each source pays for (事业收入
    2,265,000.00)."""
    facts = facts_of("xian-2022-ys-bm-gongyehexinxihuaju-813a.pdf")
    refs = amount_refs(facts, page=8)
    assert refs["本部门预算支出"] == "收支总表[支出:总计] || 收支总表[支出:本年支出合计]"
    assert refs["事业收入"] == "收支总表[收入:事业收入]"
    assert refs["事业收入支出"] == "支出总表[合计].事业收入"
    general = {c.ref for c in facts.claims if c.kind == "amount" and c.page == 8
               and c.subject == "其中一般公共预算拨款支出"}
    # spent of all funds (支出总表), and of the 财政拨款 (the 一般公共预算支出表's total)
    assert general == {"支出总表[合计].一般公共预算拨款", "一般公共预算支出表[合计].合计"}
    assert errors(facts, "D401") == []
    science = facts_of("xian-2022-ys-bm-kexuejishuju-ac56.pdf")
    assert not [m for m in errors(science, "D401") if "第 21 页" in m]
    # either figure, misprinted, is still caught: against the first (支出总计)
    document = load_input(CORPUS / "xian-2022-ys-bm-gongyehexinxihuaju-813a.pdf")
    line = next(l for l in document.lines if "105590.77" in l.text)
    found = errors(edited(document, line, "105590.77", "105590.78"), "D401")
    assert len(found) == 1 and "105590.78" in found[0] and "支出总计" in found[0], found


def test_figures_of_a_reason_in_parts_restate_nothing():
    """西安商务局 2022 pp. 30-31: "培训费预算支出 21.39 万元，较上年增加了 1.91 万元（9.80%），增加
    的主要原因是一是…以及预备技师班开班后的师资培训费今年预算 10.19 万元…。二是…。因此今年预算
    培训费用 1.20 万元，较上年增加了培训费 0.20 万元。" The reason in parts runs to the
    paragraph's end: its figures are parts, not the 培训费 (once three D401s)."""
    facts = facts_of("xian-2022-ys-bm-shangwuju-37a6.pdf")
    refs = {**amount_refs(facts, page=30), **amount_refs(facts, page=31)}
    assert refs["本部门一般公共预算培训费预算支出"] == "三公表[培训费].合计"
    assert refs["以及预备技师班开班后的师资培训费今年预算"] is None
    assert refs["因此今年预算培训费用"] is None and refs["较上年增加了培训费"] is None
    assert errors(facts, "D401") == []


def test_a_procurement_kind_not_printed_is_nothing_where_the_rest_add_up():
    """北京市财政局 2026 (narrative p. 9): "政府采购工程预算 0 万元"; its 政府采购表
    prints A-货物 716.974000 and C-服务 12231.513100, which add up to its 合计 12948.487100, so
    the 工程 it leaves out is nothing. 西安市科学技术局 2022's 表12 is not read by kind: its rows
    do not add up to a total, and its "政府采购货物类预算 10 万元" stays unresolved."""
    facts = facts_of("beijing-2026-ys-bm-caizhengju-narr-dd1a.pdf", "beijing-2026-ys-bm-caizhengju-tables-7926.pdf")
    from budgetaudit.engine.claim_checks import table_value
    from budgetaudit.engine.resolve import FactIndex

    index = FactIndex(facts)
    works = next(c for c in facts.claims if c.kind == "amount" and c.subject == "政府采购工程预算")
    assert works.ref == "政府采购表[工程?].金额" and table_value(index, works.ref).value == 0
    document = load_input(Paired(CORPUS / "beijing-2026-ys-bm-caizhengju-narr-dd1a.pdf",
                                 CORPUS / "beijing-2026-ys-bm-caizhengju-tables-7926.pdf"))
    line = next(l for l in document.lines if l.text.endswith("政府采购工程预算 0"))
    found = errors(edited(document, line, "工程预算 0", "工程预算 1"), "D401")
    assert any("工程" in m for m in found), found
    # 北京城市副中心 p. 6 "副中心工程办政府采购预算总额 123.81 万元，其中：政府采购货物预算 0 万元，
    # 政府采购工程预算 0 万元…": the total names a 工程办, not the 工程 kind (once a D401)
    office = facts_of("beijing-2026-ys-bm-beijingchengshifuzhongxing-narr-7e1a.pdf",
                      "beijing-2026-ys-bm-beijingchengshifuzhongxing-tables-d4e2.pdf")
    assert amount_refs(office)["副中心工程办政府采购预算总额"] == "政府采购表[合计].金额"
    assert amount_refs(office)["政府采购货物预算"] == "政府采购表[货物?].金额"
    assert not errors(office, "D401")
    science = facts_of("xian-2022-ys-bm-kexuejishuju-ac56.pdf")
    goods = next(c for c in science.claims if c.kind == "amount" and c.subject == "政府采购货物类预算")
    assert table_value(FactIndex(science), goods.ref) is None


def _form_rows(facts) -> dict:
    """(项目名称, 实施单位) -> the 年度资金总额 row of each 绩效自评表."""
    return {(r.project, r.group): r for t in facts.tables if t.id == "performance_review"
            for r in t.rows if r.project}


def test_central_final_project_reviews_restate_their_self_evaluation_forms():
    # 国家信访局 2024 决算 p.30: "信访干部培训专项项目绩效自评表 … 项目资金（万元）| 年初预算数 |
    # 全年预算数 | 全年执行数 … 年度资金总额：| 180.61 | 180.03 | 180.03"; p.29 "4.信访干部培训专项
    # 项目绩效自评综述：…全年预算数为 180.03 万元，执行数为180.03 万元". The four forms are of
    # two 实施单位 (国家信访局, 国家信访局本级), which the paragraphs do not name.
    facts = facts_of("central-2024-js-bm-xinfangju-a428.pdf")
    forms = _form_rows(facts)
    row = forms[("信访干部培训专项", "国家信访局")]
    assert row.label.startswith("年度资金总额")
    assert (row.cells["年初预算数"], row.cells["全年预算数"], row.cells["全年执行数"]) == (
        Decimal("180.61"), Decimal("180.03"), Decimal("180.03"))
    assert len(forms) == 4
    refs = [c.ref for c in facts.claims if c.kind == "amount" and c.subject.startswith(("全年预算数", "执行数"))]
    assert refs == ["绩效自评表[项目=信访研究宣传立法专项].全年预算数", "绩效自评表[项目=信访研究宣传立法专项].全年执行数",
                    "绩效自评表[项目=资产运行维护].全年预算数", "绩效自评表[项目=资产运行维护].全年执行数",
                    "绩效自评表[项目=信息化运行维护].全年预算数", "绩效自评表[项目=信息化运行维护].全年执行数",
                    "绩效自评表[项目=信访干部培训专项].全年预算数", "绩效自评表[项目=信访干部培训专项].全年执行数"]
    assert not [m for m in errors(facts, "D401") if "绩效自评表" in m]


def _form_errors(facts) -> list[str]:
    return [m for m in errors(facts, "D401") if "绩效自评表" in m]


@pytest.mark.slow
def test_xian_final_project_reviews_against_their_forms():
    # 西安市卫生健康委员会 2022 决算: 86 项目支出绩效自评表 (pp. 55-141) and, pp. 32-55, a
    # 绩效自评综述 for each project, "N.<实施单位><项目>项目绩效自评综述：全年预算数 A 万元，执行数
    # B 万元". What the paragraphs print against their forms, read on the pages:
    # - p.41 "35.…疾控新址实验设备采购项目…全年预算数2277万元，执行数3215.02万元，完成预算的
    #   141.2%"; its form (p.89) prints 2,277.00 and 2,174.20 (95.49%);
    # - p.43 "42.西安市中心医院职业病防治机构项目…全年预算数320万元，执行数319.8万元"; the form
    #   (p.96) prints 年初预算数 320, 全年预算数 319.8;
    # - p.53 "84.西安市第一医医用光学仪器项目…全年预算数512万元，执行数512万元" and p.54
    #   "86.西安市第一医院省级公共卫生事业发展资金项目…400万元，执行数400万元"; both forms of
    #   西安市第一医院 (pp.138, 140) print 7614.74 (and 执行率 1000%), the figures of its 迁建项目.
    # Left unresolved, rightly: "32.…新冠疫情防控经费项目" (the form "新冠疫情防控" is item 31's,
    # 1033), "57.西安急救中心疫情防控经费项目" (the unit's forms "西安急救中心疫情防控经费" and
    # "疫情防控经费" both end there), and "49.西安市儿童医院医用超声波仪器及设备项目" is the
    # 儿童医院's form, not 西安市中医医院's "医用超声波仪器及设备项目".
    facts = facts_of("xian-2022-js-bm-weishengjiankangweiyuanhui-32ad.pdf")
    assert len(_form_rows(facts)) >= 80
    found = _form_errors(facts)
    assert len(found) == 6, found
    for wanted in ("执行数 3215.02 ≠", "全年预算数 320 ≠", "全年预算数 512 ≠", "执行数 512 ≠",
                   "全年预算数 400 ≠", "执行数 400 ≠"):
        assert any(wanted in m for m in found), (wanted, found)
    refs = {c.ref for c in facts.claims if c.kind == "amount" and "49.西安市儿童医院医用超声波" in c.text}
    assert refs == {"绩效自评表[项目=医用超声波仪器及设备].全年预算数",
                    "绩效自评表[项目=医用超声波仪器及设备].全年执行数"}
    texts = {c.ref for c in facts.claims if c.kind == "amount" and "新冠疫情防控经费项目" in c.text}
    assert texts == {None}
    resolved = [c for c in facts.claims if c.kind == "amount" and c.ref and "绩效自评表" in c.ref]
    assert len(resolved) >= 150


def test_a_project_named_inside_a_longer_name_is_not_its_form():
    # 国家信访局 2024 决算 p.27 with the paragraph's project renamed "信访研究宣传立法专项经费"
    # (a deliberate edit): the form "信访研究宣传立法专项" is another project's, so the figure
    # restates nothing rather than being compared with it.
    document = load_input(CORPUS / "central-2024-js-bm-xinfangju-a428.pdf")
    line = next(l for l in document.lines if "1.信访研究宣传立法专项项目综述" in l.text)
    facts = edited(document, line, "立法专项项目综述", "立法专项经费项目综述")
    refs = [c.ref for c in facts.claims if c.kind == "amount" and c.page == 27]
    assert refs and all(r is None for r in refs), refs
    assert not _form_errors(facts)


def test_shenzhen_procurement_and_performance_totals_restate_the_expense_table():
    # 深圳市财政局 2026 p.9 "纳入 2026 年部门预算的政府采购项目共有 3,790.75 万元" is the
    # 支出总表's "2026年政府采购项目 | 小计" column; p.10 "所有项目支出预算纳入部门预算绩效管理，
    # 涉及预算资金 26,361.57 万元" its 项目支出.
    facts = facts_of("shenzhen-2026-ys-bm-caizhengju-7f16.pdf")
    table = facts.table("expense")
    assert "政府采购项目" in table.columns
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and c.page in (9, 10)}
    assert refs["深圳市财政局（本级）纳入2026年部门预算的政府采购项目共有"] == "支出总表[合计].政府采购项目"
    assert refs["涉及预算资金"] == "支出总表[合计].项目支出"
    assert not errors(facts, "D401")


def test_shenzhen_procurement_total_misprinted_is_caught():
    # 深圳市科技创新局 2026 p.9 "政府采购项目共有 620 万元，其中：货物类项目 0 万元、工程类项目0万元、
    # 服务类项目620万元"; its 支出总表 (p.22) prints 520.00 in the 政府采购项目 column, on the unit's
    # row and on each class down to 2060199.
    facts = facts_of("shenzhen-2026-ys-bm-kejichuangxinju-90ab.pdf")
    found = [m for m in errors(facts, "D401") if "政府采购项目" in m]
    assert len(found) == 1 and "620" in found[0] and "520.00" in found[0], found


def test_xian_classes_named_with_their_spending_and_cut_short_in_the_table():
    # 西安市科学技术局 2022 pp.22-26: "（2）行政运行（2060101）支出 1187.60 万元，比上年减少 117.05
    # 万元" names the class, then 支出; "（13）其他科技交流与合作支出（2060899）支出 571.82 万元" is
    # the row 表5 prints as "其他科技交流与合作支" (its cell cuts the name short).
    facts = facts_of("xian-2022-ys-bm-kexuejishuju-ac56.pdf")
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and 22 <= c.page <= 26}
    assert refs["行政运行（2060101）支出"] == "一般公共预算支出表[2060101].合计"
    assert refs["其他科技交流与合作支出（2060899）支出"] == "一般公共预算支出表[2060899].合计"
    assert refs["机关事业单位基本养老保险缴费支出（2080505）支出"] == "一般公共预算支出表[2080505].合计"
    # 2060499 is not printed in 表5: nothing to restate
    assert refs["其他技术研究与开发支出（2060499）支出"] is None
    assert not [m for m in errors(facts, "D401") if "（20" in m]


def test_a_numbered_line_ending_in_shuoming_keeps_its_sections_topic():
    # 西安市交通运输局 2022 p.18: under "（三）一般公共预算拨款支出明细情况", "3.支出按经济科目分类的明细
    # 情况" and "（1）按照部门预算支出经济分类的类级科目说明" are items of its list, not titles of
    # their own: "工资福利支出17067.93 万元" is the 301 row of 表6. That table prints 303 as
    # 552.71 (98.56 + 177.66 + 1.12 + 275.37), which the paragraph (pp.18, 19) states as 552.72.
    facts = facts_of("xian-2022-ys-bm-jiaotongyunshuju-18ef.pdf")
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and c.page == 18}
    assert refs["工资福利支出"] == "一般公共预算经济分类表[301].合计"
    found = [m for m in errors(facts, "D401") if "对个人和家庭的补助 552.72" in m]
    assert len(found) == 2 and all("552.71" in m for m in found), found


def test_a_wrapped_title_ending_in_a_qualifying_bracket_is_read():
    # 西安市交通运输局 2022 p.78: "2022年部门综合预算一般公共预算拨款“三公”经费、" | "会议费、培训费表
    # （不含上年结转）": the 三公 table, whose 2022年 合计 248.84 the narrative (p.20) restates.
    facts = facts_of("xian-2022-ys-bm-jiaotongyunshuju-18ef.pdf")
    table = facts.table("three_public")
    assert table is not None and table.rows[0].cells["合计"] == Decimal("248.84")
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and c.page in (20, 21)}
    assert refs['本部门当年一般公共预算"三公"经费预算支出'] == "三公表[合计].合计"
    assert refs["本部门一般公共预算培训费预算支出"] == "三公表[培训费].合计"


def test_a_three_public_table_of_one_year_named_in_its_title():
    # 西安市民政局 2021 p.77: "2021年部门综合预算一般公共预算拨款“三公”经费及" | "会议费、培训费支出
    # 预算表（不含上年结转）", one "2021年" column group over 合计 1,633,304.00 = "三公" 310,840.00
    # + 会议费 299,250.00 + 培训费 1,023,214.00: the narrative's (p.33) "三公"经费 31.08 万元.
    facts = facts_of("xian-2021-ys-bm-minzhengju-1594.pdf")
    table = facts.table("three_public")
    cells = {r.label: r.cells["合计"] for r in table.rows}
    assert cells["合计"] == Decimal("310840.00") and cells["培训费"] == Decimal("1023214.00")
    refs = {c.subject: c.ref for c in facts.claims if c.kind == "amount" and c.page == 33}
    assert refs['本部门当年一般公共预算"三公"经费预算支出'] == "三公表[合计].合计"
    assert not [m for m in errors(facts, "D401") if "三公" in m]


def test_shenzhen_unit_public_funds_and_household_subsidies_restate_its_block_of_the_basic_table():
    # 深圳市水务局 2026 p. 11 "深圳市水务局（本级）预算…公用经费 937.48 万元、对个人和家庭的补助支出
    # 1,361.17 万元" and p. 16 for 深圳市水务工程质量安全监督站 (112.99): the rows printed under each
    # unit's row of the 基本支出表 (302 897.48 + 310 40.00; a unit without 310 adds nothing).
    # 在职人员经费 and 增人增资 share the unit's 301: each is the 301 less the other as the
    # same sentence states it (p. 11 "在职人员经费 5,206.17 万元、…增人增资 319.16 万元", its 301
    # 5,525.33).
    from budgetaudit.engine.claim_checks import table_value
    from budgetaudit.engine.resolve import FactIndex

    facts = facts_of("shenzhen-2026-ys-bm-shuiwuju-23e8.pdf")
    index = FactIndex(facts)
    values = {(c.page, c.subject): table_value(index, c.ref) for c in facts.claims
              if c.kind == "amount" and c.page in (11, 16)}
    assert values[(11, "公用经费")].value == Decimal("937.48")
    assert values[(11, "对个人和家庭的补助支出")].value == Decimal("1361.17")
    assert values[(16, "对个人和家庭的补助支出")].value == Decimal("112.99")
    staff, more = values[(11, "包括在职人员经费")], values[(11, "增人增资")]
    assert (staff.value, more.value) == (Decimal("5206.17"), Decimal("319.16"))
    assert not [f for f in check_facts(facts, load_rules()) if f.rule == "D401"
                and f.severity in ("error", "warning")]


@pytest.mark.parametrize("printed,edited", [("（四）增人增资 319.16", "（四）增人增资 319.17"),
                                            ("（一）在职人员经费 5,206.17", "（一）在职人员经费 5,206.18")])
def test_shenzhen_staff_costs_misprint_is_caught(printed, edited):
    """深圳市水务局 2026 pp. 11-12 with one of the paragraphs' figures moved one cent: it now
    differs from the list's (G704, error). Against the unit's 301 less its partner a cent is
    within the three figures' rounding (D401 info); a larger change warns, once for the pair."""
    from dataclasses import replace

    document = load_input(CORPUS / "shenzhen-2026-ys-bm-shuiwuju-23e8.pdf")
    [line] = [l for l in document.lines if printed in l.text]
    lines = tuple(replace(l, text=l.text.replace(printed, edited)) if l is line else l
                  for l in document.lines)
    found = check_facts(extract_facts(replace(document, lines=lines)), load_rules())
    said = edited.split()[-1].replace(",", "")
    assert [f for f in found if f.rule == "G704" and f.severity == "error" and said in f.message]
    assert not [f for f in found if f.rule == "D401" and f.severity != "info"]
    wider = edited[:-1] + str(int(edited[-1]) + 4)  # five cents off
    lines = tuple(replace(l, text=l.text.replace(printed, wider)) if l is line else l
                  for l in document.lines)
    found = check_facts(extract_facts(replace(document, lines=lines)), load_rules())
    warned = [f for f in found if f.rule == "D401" and f.severity == "warning"]
    assert len(warned) == 1 and "工资福利支出" in warned[0].message, [f.message for f in warned]


# 深圳 2026 units whose 公用经费 or 对个人和家庭的补助支出 differ from their block of the 基本支出表
# (302 + 310, 303), each read on the printed pages (pdftotext): warnings, since a narrative's
# categories may draw the line elsewhere. 工业和信息化局 p. 7: 1,149.22 and 2,518.30 against
# 1,063.50 + 0.80 and 2,603.22 (离休费 182.08 + 退休费 2,421.14): 84.92 on the other side.
# 公安局 p. 5: 37,131.84 and 7,486.99 against 36,649.24 and 7,944.59 (457.60 of the 303, and
# 25.00 of the 301, counted as 公用经费). 应急管理局 p. 6: 439.45 against 439.20 (430.80 + 8.40).
# 人力资源和社会保障局 p. 19 (社会保险基金管理局盐田分局): 144.75 against 144.76, with which the
# unit's basic 1,482.65 adds up. 生态环境局 p. 32 (光明管理局): 9.91 against 9.92.
# 在职人员经费 with 增人增资 against the unit's 301: 公安局 94,574.73 + 7,230.21 = 101,804.94, the
# 301 101,829.93 (the 25.00 above; 24.99 as printed); 应急管理局 4,637.55 + 200.00 against 4,837.80
# (the 0.25 its 对个人和家庭 has over the 303); 建筑工务署工程设计管理中心 p. 9 4,714.00 + 10.00
# against 4,729.64. Each pair is reported once for its sentence (the list, and the paragraphs).
COMPOSITION_WARNINGS = [
    ("shenzhen-2026-ys-bm-gongyehexinxihuaju-d59f.pdf", ["1149.22", "2518.30"]),
    ("shenzhen-2026-ys-bm-gonganju-3eef.pdf", ["37131.84", "7486.99", "94574.73"]),
    ("shenzhen-2026-ys-bm-yingjiguanliju-caaa.pdf", ["439.45", "4637.55"]),
    ("shenzhen-2026-ys-bm-jianzhugongwushu-b758.pdf", ["4714.00"]),
    ("shenzhen-2026-ys-bm-renliziyuanheshehuibaozhan-401c.pdf", ["144.75"]),
    ("shenzhen-2026-ys-bm-shengtaihuanjingju-5910.pdf", ["875.93", "9.91"]),
]


@pytest.mark.parametrize("name,stated", COMPOSITION_WARNINGS)
def test_shenzhen_unit_composition_differences_are_warnings(name, stated):
    found = [f for f in check_facts(facts_of(name), load_rules()) if f.rule == "D401"]
    warned = {s for s in stated for f in found if f.severity == "warning" and f" {s} ≠ " in f.message}
    assert warned == set(stated), [f.message for f in found]
    assert not [f.message for f in found if f.severity == "error"]


def test_shenzhen_one_unit_section_under_the_parts_title():
    # 深圳市人民政府办公厅 2026 p. 6: "第三部分 部门预算支出具体情况" then "深圳市人民政府办公厅(本级)
    # 预算 10,192.01 万元，包括…公用经费 684.91 万元、对个人和家庭的补助支出 1,040.96 万元…": no
    # heading names the unit, and its 支出总表 prints one unit, so it is that unit's.
    facts = facts_of("shenzhen-2026-ys-bm-renminzhengfubangongting-8bb1.pdf")
    refs = amount_refs(facts, page=6)
    unit = "深圳市人民政府办公厅"
    assert refs["深圳市人民政府办公厅（本级）预算"] == f"支出总表[{unit}].合计"
    assert refs["对个人和家庭的补助支出"] == f"基本支出总表[{unit}›对个人和家庭的补助?].合计"
    assert not [f for f in check_facts(facts, load_rules()) if f.rule == "D401"
                and f.severity in ("error", "warning")]


def test_beijing_income_of_a_fund_may_count_its_carryover():
    # 北京市国资委 2026 p. 2 "2026 度收入预算 515,665.27 万元，其中:一般公共预算收入 19,828.57 万元
    # …国有资本经营预算收入 495,836.20 万元": 本年 19,756.66 and 495,500.00 with the 上年结转结余
    # the income table prints by fund (71.92, 336.20); p. 3 "1.一般公共预算拨款收入 19,756.66 万元"
    # is this year's alone.
    facts = facts_of("beijing-2026-ys-bm-renminzhengfuguoyouzichanj-narr-7a79.pdf",
                     "beijing-2026-ys-bm-renminzhengfuguoyouzichanj-tables-bdf6.pdf")
    assert not errors(facts, "D401") and not errors(facts, "G704")
    # the narrative checked without its tables file keeps both meanings: not one figure twice
    alone = facts_of("beijing-2026-ys-bm-renminzhengfuguoyouzichanj-narr-7a79.pdf")
    assert " || " in amount_refs(alone, page=2)["一般公共预算收入"]
    assert not errors(alone, "G704")


def test_a_total_over_the_three_public_and_meetings_is_none_of_them():
    # 西安市发展和改革委员会 2019 p. 26 "一般公共预算“三公”经费及会议费、培训费预算支出共 263.72 万元，
    # 其中：…3、培训费预算 70.52 万元": only the second is the 培训费.
    facts = facts_of("xian-2019-ys-bm-fazhanhegaigeweiyuanhui-narr-ed95.pdf")
    refs = amount_refs(facts, page=26)
    assert refs["培训费预算支出共"] is None and refs["培训费预算"] == "三公表[培训费].合计"
    assert not errors(facts, "G704")


def test_shenzhen_procurement_projects_add_up_by_kind():
    # 深圳市财政局 2026 p. 9 "纳入 2026 年部门预算的政府采购项目共有 3,790.75 万元，其中：货物类项目
    # 242.80 万元、工程类项目0.00万元、服务类项目3,547.95万元": 242.80 + 0 + 3,547.95. With the
    # 服务类 printed 3,574.95 instead (a documented edit), the kinds add up to 3,817.75: H804.
    from budgetaudit.load import load

    path = CORPUS / "shenzhen-2026-ys-bm-caizhengju-7f16.pdf"
    facts = facts_of(path.name)
    [claim] = [c for c in facts.claims if c.kind == "procurement_projects"]
    assert claim.values == {"total": Decimal("3790.75"), "goods": Decimal("242.80"),
                            "works": Decimal("0.00"), "services": Decimal("3547.95")}
    assert not errors(facts, "H804")
    document = load(path)
    [line] = [l for l in document.lines if "3,547.95" in l.text or "3547.95" in l.text]
    figure = "3,547.95" if "3,547.95" in line.text else "3547.95"
    found = errors(edited(document, line, figure, figure.replace("547", "574")), "H804")
    assert len(found) == 1 and "3817.75" in found[0], found


def test_shenzhen_unit_named_by_the_end_of_its_name():
    # 深圳市建筑工务署 2026 p. 6 "一、市建筑工务署本级" then "市建筑工务署本级预算 14,480.17 万元，
    # 包括…": the 支出总表's "深圳市建筑工务署（本级）", the one unit whose name (brackets aside)
    # ends so; likewise p. 7 "二、市建筑工务署文体和水务工程管理中心".
    facts = facts_of("shenzhen-2026-ys-bm-jianzhugongwushu-b758.pdf")
    refs = {(c.page, c.subject): c.ref for c in facts.claims if c.kind == "amount"}
    assert refs[(6, "市建筑工务署本级预算")] == "支出总表[深圳市建筑工务署（本级）].合计"
    assert refs[(7, "市建筑工务署文体和水务工程管理中心预算")] == \
        "支出总表[深圳市建筑工务署文体和水务工程管理中心].合计"
    assert not errors(facts, "D401")


# J909: a 单位 document (cover "上海市2025年市级单位预算") whose vehicles paragraph says
# "2025年部门预算安排购置车辆0辆…；部门预算安排购置单价100万元（含）以上设备" (上海市财政局 2025
# p. 21) or "2026年部门预算安排购置车辆0辆…；单位预算安排购置单价100万元…" (上海交通职业技术学院
# 2026 p. 21), where every other 上海 单位 document writes "单位预算安排购置车辆": the department's
# template, read on the printed page. Once a sentence.
COPIED_FROM_DEPARTMENT = [("shanghai-2025-ys-dw-caizhengju-2c1f.pdf", 21),
                          ("shanghai-2026-ys-dw-shanghaijiaotongzhiyejishu-76ef.pdf", 21)]


@pytest.mark.parametrize("name,page", COPIED_FROM_DEPARTMENT)
def test_a_unit_document_in_the_departments_words_is_reported_once(name, page):
    found = [f for f in check_facts(facts_of(name), load_rules()) if f.rule == "J909"]
    assert [(f.severity, f.locations[0].page) for f in found] == [("warning", page)]
    assert "部门预算安排" in found[0].message


def test_unit_documents_in_their_own_words_are_quiet():
    # other 上海 单位 documents: "2026年单位预算安排购置车辆0辆"
    for name in ("shanghai-2026-ys-dw-fulicaipiaofaxingzhongxin-a8fa.pdf",
                 "shanghai-putuo-2025-ys-dw-shangwuweiyuanhui-7f91.pdf"):
        assert not [f for f in check_facts(facts_of(name), load_rules()) if f.rule == "J909"]


def test_a_paragraph_naming_another_units_budget_is_reported():
    """深圳市水务局 2026 p. 11 with "2026 年深圳市水务局部门预算收入" edited to name 深圳市气象局:
    the budget of a unit that is neither the document's nor one its tables list. Its own
    name, and its units' ("深圳市水务局（本级）"), are quiet (the document as printed)."""
    from dataclasses import replace

    document = load_input(CORPUS / "shenzhen-2026-ys-bm-shuiwuju-23e8.pdf")
    rules = load_rules()
    assert not [f for f in check_facts(extract_facts(document), rules) if f.rule == "J909"]
    lines = tuple(replace(l, text=l.text.replace("深圳市水务局部门预算收入", "深圳市气象局部门预算收入"))
                  for l in document.lines)
    found = [f for f in check_facts(extract_facts(replace(document, lines=lines)), rules)
             if f.rule == "J909"]
    assert len(found) == 1 and "深圳市气象局" in found[0].message
    assert found[0].severity == "warning" and found[0].locations[0].page == 11


# Year-over-year figures misprinted as published, each checked against the page (the
# rate's interval from the printed amounts, each ±0.005 万元, does not reach the printed
# rate by rounding or by truncation): (document, rule, the rate it should be, as printed).
CONFIRMED_CHANGES = [
    # 江苏省委办公厅 2017 p. 8: 行政运行 6106.99, +101.48, "1.66%": 101.48 / 6005.51 = 1.69%
    # (1.66 is 101.48 / 6106.99, the current year taken for the prior).
    ("jiangsu-2017-ys-bm-weibangongting-8216.pdf", "F601", "1.69%", "1.66%"),
    # 江苏省人民检察院 2019 p. 26: 项目支出 4335.3, −1237.7, "13.22%" (the 基本支出 sentence's
    # rate, just above): 1237.7 / 5573.00 = 22.21%.
    ("jiangsu-2019-ys-bm-renminjianchayuan-bdb9.pdf", "F601", "22.21%", "13.22%"),
    # 江苏省委办公厅 2019 p. 8: 住房保障 3894.09, +878.93, "30%": 878.93 / 3015.16 = 29.15%.
    ("jiangsu-2019-ys-bm-weibangongting-4421.pdf", "F601", "29%", "30%"),
    # 西安市生态环境局 2022 p. 20: 会议费 180.63, +132.54, "275.00%": 132.54 / 48.09 = 275.61%.
    ("xian-2022-ys-bm-shengtaihuanjingju-c1de.pdf", "F601", "275.61%", "275.00%"),
    # 西安市自然资源和规划局 2022 p. 97: the table titled "2021年部门整体支出绩效目标表" holds
    # 2022's amounts and indicators; the document's own 目录 calls it 2022.
    ("xian-2022-ys-bm-ziranziyuanheguihuaju-fcb2.pdf", "J904", "2021年", "2022"),
]


@pytest.mark.parametrize("name,rule,should,printed", CONFIRMED_CHANGES)
def test_confirmed_year_over_year_misprints(name, rule, should, printed):
    found = [m for m in errors(facts_of(name), rule) if should in m and printed in m]
    assert found, errors(facts_of(name), rule)


def test_a_reason_that_adjusts_both_ways_argues_no_direction():
    # 江苏省政协办公厅 2018 p. 11: "一般行政管理事务（项）1780.22 万元，比上年增加 202.40 万元，
    # 增长 12.83%，主要原因是根据任务变化和往年预算执行情况，对部分项目预算数进行了增减调剂",
    # the reason it also gives 政协会议, which fell by 213.74: no F603 (it read 增减 as 减).
    facts = facts_of("jiangsu-2018-ys-bm-zhengxiebangongting-0dc7.pdf")
    assert errors(facts, "F603") == []
    assert any("增减调剂" in (c.reason or "") and c.direction == "增加"
               for c in facts.claims if c.kind == "change")


def _empty_table_errors(*names):
    return [f.locations[0].table for f in check_facts(facts_of(*names), load_rules())
            if f.rule == "J902" and f.severity == "error"]


def test_empty_tables_the_narrative_explains_need_no_note_of_their_own():
    # 上海 units explain their empty fund tables in the 编制说明 before the tables (p. 6
    # "政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0。": a 0 right after
    # Chinese, which \b never matched) and the empty 三公 table in the 其他相关情况说明 after
    # it, the file's last table, whose lines run to the end (p. 16 "2026年“三公”经费预算数
    # 为0，与2025年预算持平。")
    assert _empty_table_errors("shanghai-2026-ys-dw-yiliaobaoxianshiyeguanlizh-3d0f.pdf") == []
    assert _empty_table_errors("shanghai-2026-ys-dw-huahuiliangzhongshiyanchan-d927.pdf") == []
    # 域外农场 explains those three, not its empty 基本支出 table (p. 14): that one stays
    assert _empty_table_errors("shanghai-2026-ys-dw-yuwainongchangguanlibangon-e810.pdf") == ["gpb_basic"]
    # 北京市气象局 prints 预算11表 政府购买服务 empty (p. 16) and says nothing of it anywhere
    assert _empty_table_errors("beijing-2026-ys-bm-qixiangju-narr-19d0.pdf",
                               "beijing-2026-ys-bm-qixiangju-tables-03f2.pdf") == ["purchase_services"]


def test_a_form_whose_note_tells_how_to_fill_it_is_not_said_to_be_empty():
    # 中共西安市委宣传部 2021 p. 44 prints its 专项资金总体绩效目标表 (a form of words, no amount
    # column) with the template's 备注 "2、不管理本级专项资金的主管部门，应公开空表并说明。":
    # an instruction, not a note calling this table empty ("有金额（如 None）" before)
    found = [f.message for f in check_facts(facts_of("xian-2021-ys-bm-weixuanchuanbu-cd27.pdf"),
                                            load_rules()) if f.rule == "J902"]
    assert found == []
