"""Real samples with deliberate, documented changes, built in code.

Each function takes the text of a real disclosure from samples/ and returns
it with one stated change, so every variant fixture says exactly how it
differs from a published document.
"""
from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

KASHI = "kashi-city-gov-office-2024"
WUQIA = "wuqia-county-gov-office-2024"
XINJIANG = "xinjiang-gov-general-office-2024"


def sample_lines(name: str) -> list[str]:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8").split("\n")


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def replace_line(lines: list[str], number: int, old: str, new: str) -> list[str]:
    """Replace the 1-based line `number`, which must read `old`."""
    assert lines[number - 1] == old, (number, lines[number - 1])
    return lines[: number - 1] + [new] + lines[number:]


def delete_lines(lines: list[str], first: int, last: int) -> list[str]:
    return lines[: first - 1] + lines[last:]


# 三公 as the pre-2023 layouts print it: one horizontal row under item headers.
HORIZONTAL_THREE_PUBLIC = [
    "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
    "\t\t小计\t公务用车购置费\t公务用车运行费\t",
    "72.04\t\t70.04\t50.04\t20.00\t2.00",
]

# 表1 income side without the 本年收入 / 上年结转结余 blocks (pre-2023 layouts).
FLAT_INCOME = [
    ("一、一般公共预算拨款", "2,014.18"),
    ("二、政府性基金预算拨款", ""),
    ("三、国有资本经营预算拨款", ""),
    ("四、财政专户核拨", ""),
    ("五、单位资金", "1.00"),
]


def wuqia_old_layout() -> list[str]:
    """乌恰 2024 rewritten in the older nine-table layout of DOMAIN.md.

    Changes: 表1's income side lists its sources flat (一、… 五、) instead of the
    本年收入 / 上年结转结余 blocks; the 三公 table is one horizontal row with
    the document's own amounts (72.04 = 2.00 + 70.04, 70.04 = 50.04 + 20.00);
    the 上年结转结余 and 国有资本经营 tables are removed, with their 目录 lines.
    """
    lines = sample_lines(WUQIA)
    assert lines[359] == "表 11" and lines[374].startswith("第三部分")
    lines = delete_lines(lines, 360, 374)  # 表11 block
    assert lines[350].startswith("“三公”经费支出内容") and lines[357].startswith("公务用车运行费")
    lines = lines[:350] + HORIZONTAL_THREE_PUBLIC + lines[358:]  # 三公 lines 351-358
    assert lines[327] == "表 9"
    lines = delete_lines(lines, 328, 342)  # 国有资本经营 block
    for number in range(89, 119):
        cells = lines[number - 1].split("\t")
        index = number - 89
        label, amount = FLAT_INCOME[index] if index < len(FLAT_INCOME) else ("", "")
        lines[number - 1] = "\t".join([label, amount] + cells[2:])
    lines = [l for l in lines if l not in ("- 九、国有资本经营预算支出情况表", "- 十一、上年结转结余情况明细表")]
    return lines


def blank_table_amounts(name: str, keep: frozenset[str] = frozenset()) -> list[str]:
    """The sample with every amount cell of its tables emptied, as a template
    not yet filled in prints them, except in the tables whose ids are in
    `keep`. A cell is emptied when it reads as an amount; labels, codes and
    the narrative stay as published."""
    import re

    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.load import load

    amount = re.compile(r"^-?[\d, ]*\d(?:\.[\d ]*\d)?$")  # "1247.2 2" as printed too
    facts = extract_facts(load(SAMPLES / f"{name}.txt"))
    rows = {row.line for table in facts.tables if table.id not in keep for row in table.rows}
    lines = sample_lines(name)
    for number in rows:
        cells = lines[number - 1].split("\t")
        # a cell of digits alone is a code (201, 03) unless a 0
        lines[number - 1] = "\t".join("" if amount.match(c.strip()) and ("." in c or c.strip() == "0")
                                      else c for c in cells)
    return lines
