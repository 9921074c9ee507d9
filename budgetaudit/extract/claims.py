"""Reading the figures of the narrative: amounts, shares, year-over-year changes.

A paragraph such as "基本支出 1133.14 万元，占 90.85%，比上年预算减少 104.29 万元，
下降 8.43%，主要原因是：…" yields three claims on one line: an amount, a share and
a change, each with its subject ("基本支出") and the section it stands in, from
which subjects.py names the table fact it restates. Changes may also stand
without their current amount ("因公出国（境）费增加0万元，增长0%").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterator, Optional

from budgetaudit.extract.changes import Change, changes_in
from budgetaudit.extract.narrative import Stream
from budgetaudit.extract.numbers import compact

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
AMOUNT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>万元|元)(?!\s*[/／(（每]|\s*以[上下])")
SHARE = re.compile(rf"^\s*[，,]?\s*占\s*(?:比\s*)?(?P<share>{NUM})\s*[%％]")
_SUBJECT_STOP = "，,、：:；;。\n"
_GENERIC = re.compile(r"^(?:\d{4}年)?(?:预算数|预算|数)?为?$")


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@dataclass
class Figure:
    """One figure found in a paragraph, before it becomes model.Claim objects."""

    subject: str
    offset: int  # where the figure starts in the stream
    amount: Optional[Decimal] = None
    unit: str = "万元"
    share: Optional[Decimal] = None
    change: Optional[Change] = None
    reason: Optional[str] = None
    context: str = ""  # the paragraph
    at: int = 0  # where the figure starts in the paragraph

    @property
    def lead(self) -> str:
        """The paragraph before the figure (it may name the item a bare
        "支出决算 X 万元" is about)."""
        return self.context[:self.at]


def _subject_before(text: str, end: int, floor: int) -> str:
    """The words naming a figure: back from `end` to the previous delimiter,
    further back past generic words such as "2024 年预算数为"."""
    start = end
    while start > floor and text[start - 1] not in _SUBJECT_STOP:
        start -= 1
    subject = compact(text[start:end])
    if _GENERIC.match(subject) and start > floor:
        stop = start - 1
        while stop > floor and text[stop - 1] in _SUBJECT_STOP:
            stop -= 1
        previous = _subject_before(text, stop, floor) if stop > floor else ""
        # keep the whole "…（类）…（款）…（项）" name: it contains brackets
        head = text[floor:stop]
        if "（项）" in head or "(项)" in head or "（类）" in head or "(类)" in head:
            line_start = head.rfind("\n") + 1
            return compact(head[line_start:])
        return previous
    return subject


def paragraphs(stream: Stream) -> Iterator[tuple[int, str]]:
    offset = 0
    for part in stream.text.split("\n"):
        if part:  # an empty stream (no narrative) has no paragraph to place
            yield offset, part
        offset += len(part) + 1


def figures(stream: Stream) -> Iterator[Figure]:
    for base, paragraph in paragraphs(stream):
        yield from _paragraph_figures(base, paragraph)


def _paragraph_figures(base: int, text: str) -> Iterator[Figure]:
    changes = changes_in(text)
    taken = [(c.taken, c.end) for c in changes]
    amounts = [m for m in AMOUNT.finditer(text)
               if not any(a <= m.start() < b for a, b in taken)]
    used_changes = set()
    previous: Optional[Figure] = None
    for index, match in enumerate(amounts):
        limit = amounts[index + 1].start() if index + 1 < len(amounts) else len(text)
        floor = amounts[index - 1].end() if index else 0
        figure = Figure(_subject_before(text, match.start(), floor), base + match.start(),
                        number(match.group("num")), match.group("unit"), context=text,
                        at=match.start())
        prior_figure = previous if previous and _states_prior(previous, figure, text, base) else None
        previous = figure
        tail = text[match.end():limit]
        share = SHARE.match(tail)
        if share:
            figure.share = number(share.group("share"))
        for position, change in enumerate(changes):
            if _listed(text, match.start()):
                break  # "…、其他收入3,444.00万元，较上年减少…": the change is the list's whole's
            if match.end() <= change.start < limit and position not in used_changes:
                if prior_figure and change.prior is None and prior_figure.unit == figure.unit:
                    change = replace(change, prior=prior_figure.amount, unit=figure.unit)
                figure.change = change
                figure.reason = _reason(text, change, changes)
                used_changes.add(position)
                break
        yield figure
    for position, change in enumerate(changes):
        if position in used_changes:
            continue
        floor = max([m.end() for m in amounts if m.end() <= change.start], default=0)
        floor = max([floor] + [c.end for c in changes if c.end <= change.start])
        subject = _subject_before(text, change.start, floor)
        yield Figure(subject, base + change.start, change=change,
                     reason=_reason(text, change, changes), context=text, at=change.start)


_YEAR = re.compile(r"(\d{4})\s*年")
_DELIMITERS = "，,、：:；;。\n"


def _listed(text: str, start: int) -> bool:
    """A figure that is one item of a list of figures joined by 、 ("…13,102.70万元、
    其他收入3,444.00万元"; not the 、 of "收、支总计")."""
    before = max(text.rfind(mark, 0, start) for mark in _DELIMITERS)
    return before >= 0 and text[before] == "、" and text[:before].rstrip().endswith(("元", "%", "％"))


def _states_prior(previous: Figure, figure: Figure, text: str, base: int) -> bool:
    """"2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比…减少1.07%":
    in one sentence, a figure of an earlier year just before this year's is the prior."""
    between = text[previous.offset - base: figure.offset - base]
    if re.search(r"[。；;\n]", between):
        return False
    earlier, later = _YEAR.search(previous.subject), _YEAR.search(figure.subject)
    if earlier and later:
        return int(earlier.group(1)) == int(later.group(1)) - 1
    return bool(re.search(r"上年|上一年", previous.subject)) and not re.search(r"上年", figure.subject)


def _reason(text: str, change: Change, changes: list) -> Optional[str]:
    later = [c.start for c in changes if c.start > change.start]
    window = text[change.end: min(later) if later else len(text)]
    head, rest = re.split(r"[；;]", window, maxsplit=1)[0], ""
    if len(head) < len(window):
        rest = window[len(head) + 1:]
    pattern = _reason_pattern()
    match = pattern.search(head)
    if match is None:
        found = pattern.search(rest)
        # "…降低2.29%；国有资本经营预算收入495,836.20万元…，主要原因是…": another item's
        if found and not AMOUNT.search(rest[: found.start()]):
            match = found
    return match.group("reason").strip() if match else None


def _reason_pattern() -> re.Pattern:
    from budgetaudit.extract.narrative_vocab import vocabulary

    words = "|".join(map(re.escape, vocabulary().changes["reasons"]))
    return re.compile(rf"(?:{words})(?:是|为)?\s*[:：]?\s*(?P<reason>[^。；;\n]*)")
