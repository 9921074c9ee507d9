"""The narrative of other layouts, read in real documents of ../shared/corpus.

Errors these documents really print, each confirmed by hand against the page
(pdftotext of that page), and the claims each layout yields. The corpus is
kept beside the project, never in it: these tests skip when it is absent.
"""
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
