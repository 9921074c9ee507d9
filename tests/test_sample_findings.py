"""Every finding on the real samples, each confirmed by hand against the text.

kashi
  484, 486  "上半年结转结余" where the standard term (and the 目录, line 61) says
            "上年结转结余": J903 warning.
  514       "部门价值 50 万元以上大型设备 0 台（套），部门价值 100 万元以上大型设备
            1 台（套）": a device worth over 100 万元 is also over 50 万元: H806.
wuqia
  21        目录 lists 八、政府性基金预算支出情况表, but the document goes from 表 7
            to 表 9 (lines 297-330): J901.
  354       表10 因公出国（境）费 is blank while 表7 line 309 funds the project
            "2024 年外办出国经费" with 5 万元 (and 七 says "计划出国 6 人"): B225.
  522       七 names the project "采购新能源纯电汽车", 表7 line 313
            "采购新能源纯电动汽车": H808 warning.
  482, 506, 568, 622  quantity × a unit price rounded to 0.01 万元 differs from the
            stated total by less than the rounding allows (6 × 0.83 = 4.98 for 5):
            info only.
xinjiang
  313, 341  表6 class rows 301 and 303 differ from the sum of their items by 0.01,
            within rounding: info only (A102).
  489       一般公共预算 14,695.46 / 15,372.08 = 95.598%, written 95.59% so that the
            list of shares adds up to 100.00%: E503 info.
  539       一般公共服务支出 10,856.65 / 14,725.46 = 73.727%, written 73.74%, again
            making the list total 100.00%: E503 info.
  551       事业运行 "比上年预算减少 31.97 万元，下降 7.30%。主要原因是……基本支出核定
            增加，事业运行经费增加": the reason argues the opposite direction: F603.
  603, 607  项目 日常管理运行费, 预算安排规模 154.00 万元 (603), but 资金分配情况 (607)
            lists only "其他商品服务支出150.00万元": H801.
  701, 703  "上半年结转结余": J903 warning.
"""
import pytest

import edits
from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load

RULES = load_rules()

EXPECTED = {
    edits.KASHI: [
        ("warning", "J903", 484), ("warning", "J903", 486), ("error", "H806", 514),
    ],
    edits.WUQIA: [
        ("error", "J901", 21), ("error", "B225", 354), ("info", "H802", 482),
        ("info", "H802", 506), ("warning", "H808", 522), ("info", "H801", 568),
        ("info", "H802", 622),
    ],
    edits.XINJIANG: [
        ("info", "A102", 313), ("info", "A102", 313), ("info", "A102", 341),
        ("info", "A102", 341), ("info", "E503", 489), ("info", "E503", 539),
        ("error", "F603", 551), ("error", "H801", 603), ("warning", "J903", 701),
        ("warning", "J903", 703),
    ],
}


def findings(name):
    return check_facts(extract_facts(load(edits.SAMPLES / f"{name}.txt")), RULES)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_finding_on_the_real_samples(name):
    found = [(f.severity, f.rule, f.locations[0].line) for f in findings(name)]
    assert sorted(found) == sorted(EXPECTED[name])


def test_evidence_of_the_real_errors():
    by_rule = {f.rule: f for name in EXPECTED for f in findings(name) if f.severity == "error"}
    assert "政府性基金预算支出情况表" in by_rule["J901"].message
    assert "2024年外办出国经费" in by_rule["B225"].message
    assert by_rule["B225"].actual is not None and str(by_rule["B225"].expected) == "5"
    assert "台数不能更多" in by_rule["H806"].message
    assert "主要原因说的是增加" in by_rule["F603"].message
    assert str(by_rule["H801"].actual) == "154.00" and str(by_rule["H801"].expected) == "150.00"


def test_nudged_shares_are_explained():
    notes = [f for f in findings(edits.XINJIANG) if f.rule == "E503"]
    assert [(str(f.expected), str(f.actual)) for f in notes] == [("95.60", "95.59"),
                                                               ("73.73", "73.74")]
    assert all("100%" in f.message for f in notes)


def test_narrative_findings_name_their_section():
    found = {f.rule: f for f in findings(edits.XINJIANG) if f.severity == "error"}
    assert found["F603"].locations[0].section == "五、一般公共预算当年拨款情况说明"
    assert found["H801"].locations[0].section == "七、一般公共预算项目支出情况说明"
    table_finding = next(f for f in findings(edits.XINJIANG) if f.rule == "A102")
    assert table_finding.locations[0].section is None  # a table names its table instead
