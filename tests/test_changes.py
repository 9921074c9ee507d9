"""Year-over-year changes as every layout words them, and their own arithmetic.

The sentences are quoted from the corpus (../shared/corpus, named in each
case) and from issue 9. The end-to-end tests put them into a small generated
narrative (a title, a 第一部分 情况说明 heading and the sentence, written by
`_document` below): the checks need no table, the sentence carries its numbers.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetaudit.audit import read_facts
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.changes import changes_in
from narrative_support import rules, strings

# (sentence as published, where it is from, what the change reads)
SENTENCES = [
    ("2026年度收入预算33112.47万元，比2025年年初预算数35201.58万元减少2089.11万元，降低5.93%。",
     "北京 (issue 9)", {"direction": "减少", "prior": "35201.58", "delta": "2089.11", "rate": "5.93",
                        "rate_word": "下降"}),
    ("部门预算收入10,692.90万元，较2025年年初预算减少633.43万元，下降5.6%。",
     "深圳 (issue 9)", {"direction": "减少", "delta": "633.43", "rate": "5.6", "rate_word": "下降"}),
    ("2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。",
     "上海 (issue 9)", {"direction": "减少", "rate": "1.07", "rate_word": "下降"}),
    ("①行政运行（2080201）1,286.60 万元，比上年增加 198.60 万元，主要原因是人员调整。",
     "西安 (issue 9)", {"direction": "增加", "delta": "198.60"}),
    ("因公出国（境）费预算支出 160 万元，比上年预算减少 10万元，主要原因是压减出国计划。",
     "江苏 (issue 9)", {"direction": "减少", "delta": "10"}),
    ("公务接待费 5.86 万元，较上年减少 5.86 万元（31.24%），减少的主要原因是接待次数减少。",
     "西安 xian-2022 (rate in brackets)", {"direction": "减少", "delta": "5.86", "rate": "31.24"}),
    ("支出 1579.38 万元，与上年相比减少4039.93万元，减少71.89 %。",
     "江苏 2019 (与…相比, rate word 减少)", {"direction": "减少", "delta": "4039.93", "rate": "71.89"}),
    ("公务用车运行费9.60万元，与2025年预算持平。",
     "上海 2026 (持平)", {"direction": "持平"}),
    ("因公出国（境）费增加0万元，增长0%。",
     "新疆 samples (no comparison word)", {"direction": "增加", "delta": "0", "rate": "0"}),
]


@pytest.mark.parametrize("sentence,source,expected", SENTENCES, ids=[s[1] for s in SENTENCES])
def test_change_is_read_as_worded(sentence, source, expected):
    (change,) = changes_in(sentence)
    read = {name: getattr(change, name) for name in ("direction", "prior", "delta", "rate", "rate_word")}
    read = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in read.items() if v is not None}
    assert {k: v for k, v in read.items() if k in expected} == expected
    assert set(read) - {"rate_word"} <= set(expected)


@pytest.mark.parametrize("sentence", [
    "项目支出较上年预算有所增加。",  # no figure: nothing to check
    "占本年支出预算 63.43%。",  # a share, not a change
    "主要是按管理办法规定比例提取。",  # 比 inside a word
])
def test_no_change_without_its_numbers(sentence):
    assert changes_in(sentence) == []


def _document(tmp_path: Path, sentence: str) -> Path:
    """A generated narrative: the smallest text the tool reads as a disclosure."""
    path = tmp_path / "说明.txt"
    path.write_text("某局2026年度部门预算信息公开\n第一部分 2026年度部门预算情况说明\n"
                    f"二、收入预算情况说明\n{sentence}\n第二部分 2026年度部门预算报表\n",
                    encoding="utf-8")
    return path


def _errors(tmp_path: Path, sentence: str) -> list:
    facts = read_facts(_document(tmp_path, sentence))
    return [(f.rule, f.message) for f in check_facts(facts, rules()) if f.severity == "error"]


BEIJING = "2026年度收入预算33112.47万元，比2025年年初预算数35201.58万元减少2089.11万元，降低5.93%。"


def test_prior_stated_as_published_is_quiet(tmp_path):
    assert _errors(tmp_path, BEIJING) == []


def test_prior_stated_claim_carries_all_four_numbers(tmp_path):
    facts = read_facts(_document(tmp_path, BEIJING))
    (change,) = [c for c in facts.claims if c.kind == "change"]
    assert strings(change.values) == {"amount": "33112.47", "prior": "35201.58",
                                      "delta": "2089.11", "rate": "5.93"}
    assert change.ref == "收支总表[收入:总计]"  # the income topic, by its heading's words


@pytest.mark.parametrize("edit,rule", [
    (("2089.11万元", "2098.11万元"), "F605"),  # the delta against prior and current
    (("减少2089.11", "增加2089.11"), "F605"),  # the direction word against the numbers
    (("5.93%", "5.39%"), "F601"),  # the rate from the stated prior, two decimals
])
def test_each_misprint_of_a_prior_stated_change_is_an_error(tmp_path, edit, rule):
    found = _errors(tmp_path, BEIJING.replace(*edit))
    assert rule in {code for code, _ in found}, found


def test_one_decimal_rate_is_checked_to_its_precision(tmp_path):
    shenzhen = "部门预算收入10,692.90万元，较2025年年初预算减少633.43万元，下降5.6%。"
    assert _errors(tmp_path, shenzhen) == []
    assert "F601" in {code for code, _ in _errors(tmp_path, shenzhen.replace("5.6%", "5.7%"))}


def test_prior_stated_before_the_current_amount(tmp_path):
    shanghai = ("2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，"
                "比2025年预算执行数减少1.07%。")
    assert _errors(tmp_path, shanghai) == []
    facts = read_facts(_document(tmp_path, shanghai))
    (change,) = [c for c in facts.claims if c.kind == "change"]
    assert strings(change.values) == {"amount": "1672.67", "prior": "1690.69", "rate": "1.07"}
    wrong = _errors(tmp_path, shanghai.replace("1.07%", "1.70%"))
    assert "F601" in {code for code, _ in wrong}


# 主要原因 as printed in the corpus, and the direction it argues (None: not read as either)
REASONS = [
    ("2022 年住房公积金缴费增加", "增加"),  # 西安 2022 商务局, after 减少 19.93 万元
    ("本年在职人员减少，工资福利支出减少，预算数减少。", "减少"),  # kashi 397
    ("2026年度无公务车购置需求及根据车辆使用、维修等实际需求增加公务用车运行费预算", None),  # 上海
    ("2025年新增1辆公务用车购置，但与2024年购置的车辆类型不同", None),  # 上海普陀: a contrast
    ("一是在职人员缴纳基本养老保险和职业年金，增加了该项支出", None),  # 江苏: first of several
    ("预算统计口径发生变化，一是今年机关运行经费预算暂未压减", None),  # 西安: negated
    ("2021 年机关运行经费预算下达时有一定比例的压减，今年该预算下达无压减", None),  # 西安
    ("人员变动，新增调出和退休人员", None),  # 西安: both ways
    ("从会议费预算中调减403.75 万元用于培训费开支", None),  # 江苏: a transfer
    ("部分老旧公务用车达到报废年限且无法继续使用，按照公务用车报废更新相关要求，更新购置公务用车",
     None),  # 北京 民政局, after 增加 33.50 万元: 无法 is not a decrease
]


@pytest.mark.parametrize("reason,argued", REASONS)
def test_the_direction_a_reason_argues(reason, argued):
    from budgetaudit.engine.claim_changes import reason_direction

    assert reason_direction(reason) == argued


def test_a_figure_after_变化_is_not_the_prior():
    # 佛山 2019 决算: "一般公共预算财政拨款收入 1668.14 万元，比上年决算数相比变化 0 万元，增长 0%"
    assert changes_in("一般公共预算财政拨款收入 1668.14 万元，比上年决算数相比变化 0 万元，增长 0%；") == []
