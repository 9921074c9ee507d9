"""Year-over-year changes as the narrative words them, from the vocabulary.

"比2025年年初预算数35201.58万元减少2089.11万元，降低5.93%" (prior stated),
"较2025年年初预算减少633.43万元，下降5.6%", "比2025年预算执行数减少1.07%" (rate
only), "比上年增加 198.60 万元" (delta only), "与2025年预算持平", and, without a
comparison word, "增加0万元，增长0%". The words (比/较/与, 增加/减少/持平,
增长/下降/增幅 …) are budgetaudit/vocab/narrative.yaml's `changes`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterator, Optional

from budgetaudit.extract.narrative_vocab import NUM, vocabulary

UP, DOWN, FLAT = "增加", "减少", "持平"
# between the comparison word and the direction: words and years, no figures
# what is compared with ("上年决算数"); it ends where 相比 does, and the 比 of 相比
# opens no comparison, so that in "比上年决算数相比变化 0 万元" the 0 is not taken
# for the prior year's amount
_REFERENCE = r"(?:(?!相比)[^，。；,;：:\d%％\n]|\d{4}\s*年){0,24}?"


@dataclass(frozen=True)
class Change:
    """A change stated in a paragraph (比上年增加 A 万元，增长 B%), by position."""

    start: int  # where the change's words start in the paragraph
    taken: int  # from here to `end` the figures belong to the change (prior, delta)
    end: int
    direction: str  # 增加 | 减少 | 持平
    delta: Optional[Decimal] = None
    rate: Optional[Decimal] = None
    rate_word: Optional[str] = None  # 增长 | 下降
    prior: Optional[Decimal] = None
    unit: Optional[str] = None  # of delta and prior, when printed


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _patterns(key: int) -> tuple[re.Pattern, re.Pattern]:
    words = vocabulary().changes
    direction = _alternatives(words["up"] + words["down"] + words["flat"])
    rate_word = _alternatives(words["rate_up"] + words["rate_down"])
    rate = (rf"(?:\s*[，,]?\s*(?:(?P<rw>{rate_word})(?:了|为)?\s*(?P<rate>{NUM})\s*[%％]"
            rf"|[（(]\s*(?P<rate2>{NUM})\s*[%％]\s*[)）]))?")
    delta = rf"(?:(?P<rate0>{NUM})\s*[%％]|(?P<delta>{NUM})\s*(?P<dunit>万元|元){rate})?"
    compared = re.compile(
        rf"(?<!相)(?:{_alternatives(words['compare'])}){_REFERENCE}\s*"
        rf"(?:(?P<prior>{NUM})\s*(?P<punit>万元|元)\s*)?(?:相比)?\s*[，,]?\s*"
        rf"(?P<dir>{direction})\s*了?\s*{delta}")
    bare = re.compile(
        rf"(?P<dir>{direction})\s*(?P<delta>{NUM})\s*(?P<dunit>万元)\s*[，,]?\s*"
        rf"(?P<rw>{rate_word})\s*(?P<rate>{NUM})\s*[%％]")
    return compared, bare


def _number(text: Optional[str]) -> Optional[Decimal]:
    return Decimal(text.replace(",", "")) if text else None


def _change(match: re.Match) -> Optional[Change]:
    words = vocabulary().changes
    groups = match.groupdict()
    word = groups["dir"]
    direction = UP if word in words["up"] else DOWN if word in words["down"] else FLAT
    delta, prior = _number(groups.get("delta")), _number(groups.get("prior"))
    if prior is not None and re.search(r"变化|变动|相差", match.group(0)[: match.start("prior") - match.start()]):
        return None  # "比上年决算数相比变化 0 万元，增长 0%": 0 is the change, not the prior
    rate = _number(groups.get("rate") or groups.get("rate2") or groups.get("rate0"))
    units = {u for u in (groups.get("dunit"), groups.get("punit")) if u}
    if len(units) > 1 or (direction != FLAT and delta is None and rate is None):
        return None
    printed = groups.get("rw")
    rate_word = None
    if printed:
        rate_word = "增长" if printed in words["rate_up"] else "下降"
    elif rate is not None:
        rate_word = "增长" if direction == UP else "下降"
    first = [match.start(g) for g in ("prior", "delta") if groups.get(g)]
    return Change(match.start(), min(first) if first else match.end(), match.end(), direction,
                  delta, rate, rate_word, prior, units.pop() if units else None)


def changes_in(text: str) -> list[Change]:
    """The changes of one paragraph, in order; a change worded with a
    comparison word wins over a bare one at the same place."""
    compared, bare = _patterns(id(vocabulary()))
    found: list[Change] = []
    for pattern in (compared, bare):
        for match in pattern.finditer(text):
            change = _change(match)
            if change and not any(c.start < change.end and change.start < c.end for c in found):
                found.append(change)
    return sorted(found, key=lambda c: c.start)


def iter_changes(text: str) -> Iterator[Change]:
    yield from changes_in(text)
