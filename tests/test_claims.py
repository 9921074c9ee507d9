"""Reading the narrative into claims, on real sentences of the three samples.

Every claim kind is read here from a sentence as published (line numbers as
`cat -n samples/<name>.txt` shows them); values are compared as printed
strings, so "57.8" and "57.80" stay distinct, as model.Claim promises.
"""
from __future__ import annotations

from decimal import Decimal


from narrative_support import claims, one, published, strings

KASHI_UNIT = "新疆维吾尔自治区喀什地区喀什市人民政府办公室"
XINJIANG_UNIT = "新疆维吾尔自治区人民政府办公厅"


def items(claim) -> list[tuple[str, str]]:
    return [(label, str(value)) for label, value in claim.items]


# ---------------------------------------------------------------- amounts and their table facts


def test_amount_resolves_to_the_expenditure_table():
    # kashi 397 "基本支出 1133.14 万元，占 90.85%，比上年预算减少 104.29 万元，下降 8.43%，…"
    claim = one(published("kashi"), "amount", 397)
    assert claim.subject == "基本支出"
    assert strings(claim.values) == {"amount": "1133.14"}
    assert claim.unit == "万元"
    assert claim.ref == "支出总表[合计].基本支出"
    assert claim.basis == "all"
    assert claim.section == "part3.3"


def test_same_words_in_another_section_name_another_table():
    # kashi 419 (五（一）) repeats "基本支出 1133.14 万元": the 一般公共预算 table this time
    claim = one(published("kashi"), "amount", 419)
    assert claim.ref == "一般公共预算支出表[合计].基本支出" and claim.basis == "gpb"
    # kashi 452 (六) "人员经费 1123.15 万元": the basic-expenditure table
    staff_costs = one(published("kashi"), "amount", 452)
    assert staff_costs.ref == "基本支出表[合计].人员经费"
    assert str(staff_costs.values["amount"]) == "1123.15"


def test_class_amount_resolves_by_class_name():
    # kashi 425 "1. 一般公共服务支出（类）984.62 万元，占 78.95%。"
    claim = one(published("kashi"), "amount", 425)
    assert claim.subject == "一般公共服务支出（类）"
    assert strings(claim.values) == {"amount": "984.62"}
    assert claim.ref == "一般公共预算支出表[201].合计"
    assert claim.section == "part3.5.2.1"


def test_class_section_item_name_resolves_to_the_item_code():
    # kashi 432 "1. 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）：
    #            2024 年预算数为 870.54 万元，比上年预算减少 54.24 万元，下降 5.87%，…"
    claim = one(published("kashi"), "amount", 432)
    assert claim.subject == "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    assert strings(claim.values) == {"amount": "870.54"}
    assert claim.ref == "一般公共预算支出表[2010301].合计"


def test_fiscal_section_names_the_fiscal_table_and_keeps_the_printed_precision():
    # kashi 409 "…住房保障支出 57.8 万元，主要用于：…" (表4 prints 57.80)
    facts = published("kashi")
    housing = one(facts, "amount", 409, "住房保障支出")
    assert str(housing.values["amount"]) == "57.8"
    assert housing.ref == "财政拨款收支表[支出:221].合计" and housing.basis == "fiscal"
    assert [c.subject for c in claims(facts, "amount", 409)] == [
        "一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"]
    # kashi 428 prints the same amount with both decimals
    assert str(one(facts, "amount", 428).values["amount"]) == "57.80"


def test_thousands_separators_are_read():
    # wuqia 379 "收支总预算 2,015.18 万元。"
    claim = one(published("wuqia"), "amount", 379)
    assert strings(claim.values) == {"amount": "2015.18"}
    assert claim.ref == "收支总表[收入:总计]"


def test_carryover_project_resolves_to_its_row():
    # xinjiang 705 "1. 2023 年支持学前教育发展项目 20.13 万元，主要用于天山幼儿园综合修缮项目支出。"
    claim = one(published("xinjiang"), "amount", 705)
    assert strings(claim.values) == {"amount": "20.13"}
    assert claim.ref == "结转结余表[项目=2023年支持学前教育发展项目].总计"
    assert claim.section == "part3.11.1"


def test_carryover_project_keeps_its_year_in_the_subject():
    claim = one(published("xinjiang"), "amount", 705)
    assert claim.subject.replace(" ", "") == "2023年支持学前教育发展项目"


def test_three_public_amounts_read_with_whole_numbers():
    # kashi 480 "…“三公”经费数为0万元，其中：因公出国（境）0万元，公务用车购置费0万元，…"
    found = claims(published("kashi"), "amount", 480)
    assert [(c.ref, str(c.values["amount"])) for c in found] == [
        ("三公表[合计].合计", "0"),
        ("三公表[因公出国（境）费].合计", "0"),
        ("三公表[公务用车购置费].合计", "0"),
        ("三公表[公务用车运行费].合计", "0"),
        ("三公表[公务接待费].合计", "0"),
    ]


def test_figure_wrapped_onto_the_next_line_is_placed_where_the_number_stands():
    # wuqia 648/650 "…财政拨款“三公”经费" / "数为 72.04 万元，其中：…"
    claim = claims(published("wuqia"), "amount", 650)[0]
    assert strings(claim.values) == {"amount": "72.04"} and claim.ref == "三公表[合计].合计"


def test_running_costs_are_their_own_basis():
    # kashi 492 "…机关运行经费财政拨款预算9.99万元，比上年预算减少0.24万元，" (C305, not D401)
    claim = one(published("kashi"), "amount", 492)
    assert claim.ref == "基本支出表[合计].公用经费" and claim.basis == "running"


def test_project_budget_of_a_renamed_project_resolves_to_the_table_spelling():
    # wuqia 522/526 "5、项目名称：采购新能源纯电汽车" … "预算安排规模：50.04 万元";
    # 表7 line 313 names the project "采购新能源纯电动汽车"
    facts = published("wuqia")
    scale = one(facts, "amount", 526)
    assert scale.subject == "采购新能源纯电汽车 预算安排规模"
    assert strings(scale.values) == {"amount": "50.04"}
    assert scale.ref == "项目支出表[项目=采购新能源纯电动汽车].项目支出合计"
    assert scale.basis == "gpb"


def test_projects_sharing_a_name_resolve_by_their_unit():
    # xinjiang 623 and 635: two "驻外办事处业务工作经费", in Shanghai and in Xi'an
    facts = published("xinjiang")
    assert one(facts, "amount", 627).ref == (
        "项目支出表[项目=驻外办事处业务工作经费@新疆维吾尔自治区人民政府驻上海办事处].项目支出合计")
    assert one(facts, "amount", 639).ref == (
        "项目支出表[项目=驻外办事处业务工作经费@新疆维吾尔自治区人民政府驻西安办事处].项目支出合计")


def test_vehicle_purchase_budget_in_section_twelve_resolves():
    claim = one(published("wuqia"), "amount", 681)
    assert claim.ref == "三公表[公务用车购置费].合计"


# ---------------------------------------------------------------- shares


def test_share_names_its_base():
    # kashi 397 "…占 90.85%…": a share of the expenditure total
    claim = one(published("kashi"), "share", 397)
    assert strings(claim.values) == {"amount": "1133.14", "share": "90.85"}
    assert claim.base == "支出总表[合计].合计"
    assert claim.group == "share:expense"


def test_share_bases_differ_by_section():
    kashi, xinjiang = published("kashi"), published("xinjiang")
    # kashi 425 五（二）: shares of the 一般公共预算 total
    structure = one(kashi, "share", 425)
    assert strings(structure.values) == {"amount": "984.62", "share": "78.95"}
    assert structure.base == "一般公共预算支出表[合计].合计"
    assert structure.group == "share:gpb.2"
    # xinjiang 489 二: shares of the income total (all funds)
    income = one(xinjiang, "share", 489)
    assert strings(income.values) == {"amount": "14695.46", "share": "95.59"}
    assert income.base == "收支总表[收入:总计]"
    # kashi 381 "占 100%" keeps its (missing) decimals
    assert str(one(kashi, "share", 381).values["share"]) == "100"


def test_every_share_has_a_base():
    for sample in ("kashi", "wuqia", "xinjiang"):
        shares = claims(published(sample), "share")
        assert shares and all(c.base for c in shares), sample
    assert [len(claims(published(s), "share")) for s in ("kashi", "wuqia", "xinjiang")] == [7, 8, 15]


# ---------------------------------------------------------------- year-over-year changes


def test_change_with_direction_rate_and_reason():
    # kashi 397 "…比上年预算减少 104.29 万元，下降 8.43%，主要原因是：本年在职人员减少，
    #            工资福利支出减少，预算数减少。"
    claim = one(published("kashi"), "change", 397)
    assert claim.subject == "基本支出"
    assert strings(claim.values) == {"delta": "104.29", "rate": "8.43", "amount": "1133.14"}
    assert (claim.direction, claim.rate_word) == ("减少", "下降")
    assert claim.reason == "本年在职人员减少，工资福利支出减少，预算数减少"
    assert claim.ref == "支出总表[合计].基本支出"
    assert claim.group == "change:expense"


def test_change_wrapped_across_a_page_break():
    # kashi 436 "…2024 年预算数为 98.97 万元，比上年预算减少 18.5" / 438 "万元，下降 15.75%，…"
    claim = one(published("kashi"), "change", 436)
    assert strings(claim.values) == {"delta": "18.5", "rate": "15.75", "amount": "98.97"}
    assert (claim.direction, claim.rate_word) == ("减少", "下降")
    assert claim.reason == "本年离休人员减少 3 人，离退休费支出减少，预算数相应减少"
    assert claim.ref == "一般公共预算支出表[2080501].合计"
    assert claim.group == "change:gpb.3"


def test_change_with_space_before_percent_and_grouped_rate():
    # kashi 419 "…下降 8.43 %。"; wuqia 427 "…增加 216.49 万元,增长 1,106.23%。"
    assert str(one(published("kashi"), "change", 419).values["rate"]) == "8.43"
    growth = one(published("wuqia"), "change", 427)
    assert strings(growth.values) == {"delta": "216.49", "rate": "1106.23", "amount": "236.06"}
    assert (growth.direction, growth.rate_word) == ("增加", "增长")
    assert growth.basis == "gpb" and growth.group == "change:gpb.1"


def test_discontinued_item_and_new_item():
    # wuqia 442 "…信访事务（项）：2024 年预算数为 0.00 万元，比上年预算减少 12.57 万元，下降 100.00%"
    gone = one(published("wuqia"), "change", 442)
    assert strings(gone.values) == {"delta": "12.57", "rate": "100.00", "amount": "0.00"}
    assert gone.ref is None  # 表5 prints no 2010302 row: nothing is budgeted
    # xinjiang 491 "上级一般公共预算安排的转移支付资金 30.00 万元，占 0.20%，比上年预算增加
    #               30.00 万元，增长 100.00%"
    new = one(published("xinjiang"), "change", 491)
    assert strings(new.values) == {"delta": "30.00", "rate": "100.00", "amount": "30.00"}
    assert new.ref == "收入总表[合计].上级一般公共预算安排的转移支付"


def test_changes_without_their_current_amount():
    # kashi 482 "2024年财政拨款“三公”经费比上年预算增加0万元，增长0%，其中：因公出国（境）费
    #            增加0万元，增长0%，主要原因是：我单位未安排因公出国（境）费；…"
    found = claims(published("kashi"), "change", 482)
    assert [(c.subject, c.ref) for c in found] == [
        ('财政拨款"三公"经费', "三公表[合计].合计"),
        ("因公出国（境）费", "三公表[因公出国（境）费].合计"),
        ("公务用车购置费", "三公表[公务用车购置费].合计"),
        ("公务用车运行费", "三公表[公务用车运行费].合计"),
        ("公务接待费", "三公表[公务接待费].合计"),
    ]
    assert all(strings(c.values) == {"delta": "0", "rate": "0"} for c in found)
    assert all((c.direction, c.rate_word) == ("增加", "增长") for c in found)
    assert found[0].reason is None
    assert found[1].reason == "我单位未安排因公出国（境）费"
    assert {c.group for c in found} == {"change:three_public"}


def test_change_without_amount_wrapped_inside_its_subject():
    # xinjiang 697 "…公务用车" / 699 "运行费增加 0.00 万元，增长 0.00%，…"
    claim = one(published("xinjiang"), "change", 699, "公务用车运行费")
    assert claim.ref == "三公表[公务用车运行费].合计"
    assert strings(claim.values) == {"delta": "0.00", "rate": "0.00"}


# ---------------------------------------------------------------- enumerations and products


def test_enumeration_items_and_stated_total():
    # kashi 466 "资金分配情况：用于政府和临时机构运行维护 40 万元、政府网站运行维护费 20 万元、
    #  中心机房维护费 10 万元、保障电子政务外网线路通畅 1.6 万元、数字化办公平板购置 40 万元、
    #  支付视频会议室质保金 2.48 万元，共计 114.08 万元。"
    claim = one(published("kashi"), "enumeration", 466)
    assert claim.subject == "单位运转项目"
    assert items(claim) == [
        ("用于政府和临时机构运行维护", "40"), ("政府网站运行维护费", "20"),
        ("中心机房维护费", "10"), ("保障电子政务外网线路通畅", "1.6"),
        ("数字化办公平板购置", "40"), ("支付视频会议室质保金", "2.48"),
    ]
    assert strings(claim.values) == {"total": "114.08"}
    assert claim.basis == "共计"


def test_enumeration_without_total_is_held_to_the_project_budget():
    # xinjiang 603 "预算安排规模：154.00万元" / 607 "资金分配情况：其他商品服务支出150.00万元"
    claim = one(published("xinjiang"), "enumeration", 607)
    assert items(claim) == [("其他商品服务支出", "150.00")]
    assert strings(claim.values) == {"total": "154.00"}
    assert claim.basis == "预算安排规模"


def test_enumeration_with_colon_labels():
    # xinjiang 643 "资金分配情况：1. 临时聘用人员劳务费用：50 万元；2. 院内零星维修维护费：50 万元；
    #               访汇聚驻村工作经费：30 万元。"
    claim = one(published("xinjiang"), "enumeration", 643)
    assert items(claim) == [("临时聘用人员劳务费用", "50"), ("院内零星维修维护费", "50"),
                            ("访汇聚驻村工作经费", "30")]
    assert strings(claim.values) == {"total": "130.00"} and claim.basis == "预算安排规模"


def test_quantity_times_price_with_its_total():
    # wuqia 530 "资金分配情况：采购车辆 3 辆，16.68 万元/辆，共计 50.04 万元"
    facts = published("wuqia")
    product = one(facts, "product", 530)
    assert product.subject == "采购车辆" and product.unit == "万元"
    assert strings(product.values) == {"quantity": "3", "price": "16.68"}
    total = one(facts, "product_total", 530)
    assert strings(total.values) == {"quantity": "3", "price": "16.68", "total": "50.04"}
    assert not claims(facts, "enumeration", 530)


def test_products_in_yuan_and_in_wan_yuan():
    # wuqia 568 "资金分配情况：采购平板电脑数 15 台，2666 元/台；运维服务费和授权费 3 年，
    #            2 万元/年，共计 10 万元"
    facts = published("wuqia")
    tablets, service = claims(facts, "product", 568)
    assert (tablets.subject, strings(tablets.values), tablets.unit) == (
        "采购平板电脑数", {"quantity": "15", "price": "2666"}, "元")
    assert (service.subject, strings(service.values), service.unit) == (
        "运维服务费和授权费", {"quantity": "3", "price": "2"}, "万元")
    enumeration = one(facts, "enumeration", 568)
    assert strings(enumeration.values) == {"total": "10", "products": "2"}
    assert enumeration.items == () and enumeration.basis == "共计"


def test_every_project_block_of_section_seven():
    counts = {s: len(claims(published(s), "project")) for s in ("kashi", "wuqia", "xinjiang")}
    assert counts == {"kashi": 1, "wuqia": 13, "xinjiang": 8}
    kashi = one(published("kashi"), "project", 458)
    assert kashi.subject == "单位运转项目" and kashi.basis == KASHI_UNIT
    assert kashi.ref == "项目支出表[项目=单位运转项目].项目支出合计"
    assert all(c.ref for s in counts for c in claims(published(s), "project"))


def test_name_differing_from_the_table():
    # wuqia 522 "项目名称：采购新能源纯电汽车", 表7 line 313 "采购新能源纯电动汽车"
    names = [c for s in ("kashi", "wuqia", "xinjiang") for c in claims(published(s), "name")]
    assert [(c.line, c.subject, c.basis) for c in names] == [
        (522, "采购新能源纯电汽车", "采购新能源纯电动汽车")]


# ---------------------------------------------------------------- fixed statements


def test_staff_numbers_with_their_changes():
    # kashi 77 "单位编制数 23，实有人数 109 人，其中：在职 65 人，减少 7 人；退休 42 人，增加 1 人；
    #           离休 2 人，减少 3 人。"
    claim = one(published("kashi"), "staff", 77)
    assert strings(claim.values) == {
        "total": "109", "active": "65", "retired": "42", "veteran": "2",
        "active_change": "-7", "retired_change": "1", "veteran_change": "-3"}
    assert claim.section == "part1"


def test_staff_of_the_other_samples():
    assert strings(one(published("wuqia"), "staff", 75).values) == {
        "total": "93", "active": "76", "retired": "17", "veteran": "0",
        "active_change": "48", "retired_change": "0", "veteran_change": "0"}
    assert strings(one(published("xinjiang"), "staff", 99).values) == {
        "total": "891", "active": "392", "retired": "498", "veteran": "1",
        "active_change": "-2", "retired_change": "2", "veteran_change": "0"}


def test_procurement_and_reserved_shares():
    # kashi 498 "…政府采购预算 120.39 万元，其中：政府采购货物预算 120.39 万元，政府采购工程预算
    #            0.00 万元，政府采购服务预算 0.00 万元。"
    # kashi 500 "…面向中小企业预留政府采购项目预算金额 120.39 万元，小微企业预留政府采购项目
    #            预算金额 120.39 万元。"
    facts = published("kashi")
    assert strings(one(facts, "procurement", 498).values) == {
        "total": "120.39", "goods": "120.39", "works": "0.00", "services": "0.00"}
    assert strings(one(facts, "procurement_reserved", 500).values) == {
        "sme": "120.39", "micro": "120.39"}
    assert strings(one(published("xinjiang"), "procurement", 723).values) == {
        "total": "2740.05", "goods": "547.71", "works": "218.00", "services": "1974.34"}


def test_vehicles_by_category():
    # kashi 508 "2. 车辆 24 辆，价值 389.86 万元；其中：一般公务用车 0 辆，价值 0.00 万元；
    #            执法执勤用车 0 辆，价值 0.00 万元；其他车辆 24 辆，价值 389.86 万元。"
    assert strings(one(published("kashi"), "vehicles", 508).values) == {
        "count": "24", "value": "389.86", "general_count": "0", "general_value": "0.00",
        "law_count": "0", "law_value": "0.00", "other_count": "24", "other_value": "389.86"}


def test_large_equipment_counts():
    # kashi 514 "部门价值 50 万元以上大型设备 0 台（套），部门价值 100 万元以上大型设备 1 台（套）。"
    # kashi 516 "…安排购置 50 万元以上大型设备 0 台（套），单位价值 100 万元以上大型设备 0 台（套）。"
    facts = published("kashi")
    assert strings(one(facts, "equipment", 514).values) == {"over50": "0", "over100": "1"}
    assert strings(one(facts, "equipment", 516).values) == {"over50": "0", "over100": "0"}
    assert strings(one(published("xinjiang"), "equipment", 739).values) == {
        "over50": "25", "over100": "12"}


def test_project_count_wrapped_over_two_lines():
    # wuqia 685 "…当年财政拨款项目13个，涉及预" / 687 "算金额 236.06 万元；当年非财政拨款项目 1 个，…"
    claim = one(published("wuqia"), "project_count", 685)
    assert strings(claim.values) == {"count": "13", "amount": "236.06"}
    assert claim.ref == "项目支出表[合计].项目支出合计"
    assert strings(one(published("kashi"), "project_count", 520).values) == {
        "count": "1", "amount": "114.08"}
    assert strings(one(published("xinjiang"), "project_count", 745).values) == {
        "count": "8", "amount": "4410.80"}


def test_claims_are_sorted_and_carry_their_section():
    for sample in ("kashi", "wuqia", "xinjiang"):
        facts = published(sample)
        assert [c.line for c in facts.claims] == sorted(c.line for c in facts.claims)
        assert all(c.section and (c.section == "part1" or c.section.startswith("part3"))
                   for c in facts.claims), sample
        assert all(isinstance(v, Decimal) for c in facts.claims for v in c.values.values())


# ---------------------------------------------------------------- 绩效目标表 and organisation


def test_performance_table_funds_and_the_project_they_restate():
    # xinjiang 977 "项目资金(万元)\t\t年度预算总额\t268.00\t其中：财政拨款\t218.00\t其他资金\t50.00"
    facts = published("xinjiang")
    claim = one(facts, "performance", 977)
    assert strings(claim.values) == {"total": "268.00", "fiscal": "218.00", "other": "50.00"}
    assert claim.basis == "新疆维吾尔自治区人民政府驻上海办事处"
    # 932: "驻外办事处业务经费" is 表7's "驻外办事处业务工作经费" of the 西安 office
    assert one(facts, "amount", 932).ref == (
        "项目支出表[项目=驻外办事处业务工作经费@新疆维吾尔自治区人民政府驻西安办事处].项目支出合计")
    # 950: 广州's target names a project 表7 lists only under other offices: no reference
    assert not [c for c in facts.claims if c.kind == "amount" and c.line == 950]


def test_overall_performance_funds():
    facts = published("kashi")
    assert one(facts, "amount", 531).ref == "收入总表[合计].一般公共预算"
    assert strings(one(facts, "amount", 531).values) == {"amount": "1247.22"}
    assert one(facts, "amount", 530).ref == "收入总表[合计].上级一般公共预算安排的转移支付"


def test_offices_and_budget_units_counted_against_their_lists():
    assert strings(one(published("kashi"), "listed_count", 75).values) == {
        "stated": "9", "listed": "9"}
    # xinjiang 84-98: "下属 7 家预算单位", "行政单位 4 家，事业单位 4 家", 8 units listed (本级 first)
    units = one(published("xinjiang"), "units", 88)
    assert strings(units.values) == {"administrative": "4", "public": "4", "listed": "8",
                                     "subordinate": "8"}


def test_a_section_is_read_by_its_heading_not_its_number(tmp_path):
    """kashi with its 二 and 三 numbered the other way round: 收入 is still read as
    the income section (its figures restate the income table) and 支出 as expenditure."""
    import edits
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.load import load

    income = "二、关于新疆维吾尔自治区喀什地区喀什市人民政府办公室部门 2024 年收入预算情况说明"
    expense = "三、关于新疆维吾尔自治区喀什地区喀什市人民政府办公室部门 2024 年支出预算情况说明"
    lines = edits.replace_line(edits.sample_lines(edits.KASHI), 377, income, "三" + income[1:])
    lines = edits.replace_line(lines, 393, expense, "二" + expense[1:])
    facts = extract_facts(load(edits.write(tmp_path, "swapped", lines)))
    assert one(facts, "amount", 381).ref == "收入总表[合计].一般公共预算"
    assert one(facts, "amount", 397).ref == "支出总表[合计].基本支出"
    assert one(facts, "share", 397).base == "支出总表[合计].合计"
