"""From the narrative's figures to model.Claim facts.

Three readers share the joined text of the narrative (topics.py finds it in
any layout): figures (amounts, shares, changes, resolved to table facts by the
topic of their section and their subject's words), project blocks of a
projects topic (预算安排规模, 资金分配情况 with its items and quantity × price),
and the fixed statements of the vocabulary (procurement, assets, project
counts) in claim_fixed.py; the organisation overview gives staff and units.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Iterator, Optional

from budgetaudit.extract import claim_fixed, claim_tables, subjects
from budgetaudit.extract.claims import AMOUNT, Figure, figures, number, paragraphs
from budgetaudit.extract.narrative import Stream, build_stream
from budgetaudit.extract.narrative_vocab import Topic, vocabulary
from budgetaudit.extract.sections import find_section
from budgetaudit.engine.resolve import said_at, said_words
from budgetaudit.extract.numbers import compact
from budgetaudit.extract.topics import TopicMap, narrative_lines, overview_lines, topic_map
from budgetaudit.model import Claim, Facts

_PROJECT = re.compile(r"项目名称\s*[:：]\s*(?P<name>.+)")
_UNIT = re.compile(r"项目承担单位\s*[:：]\s*(?P<unit>.+)")
_ALLOCATION = re.compile(r"资金分配情况\s*[:：]\s*(?P<text>.+)")
_TOTAL = re.compile(r"共计\s*(?P<num>[\d,.]+)\s*(?P<unit>万元|元)")
_PRODUCT = re.compile(
    r"(?P<qty>\d+)\s*(?P<qunit>[人台辆家次年个件套户批期项])[^，,；;。\d]{0,12}[，,]\s*"
    r"(?:每\S{0,2}?\s*)?(?P<price>\d+(?:\.\d+)?)\s*(?P<punit>万元|元)"
    r"(?:\s*[/／]\s*(?P<per>[^，,；;。\s\d]{1,3}))?"
)


def extract_claims(facts: Facts) -> tuple[Claim, ...]:
    vocab = vocabulary()
    lines = narrative_lines(facts, vocab)
    topics = topic_map(facts, lines, vocab)
    # level-4 "sections" are numbered paragraphs, not headings: they may wrap
    headings = frozenset(s.start for s in facts.sections if s.level <= 3) | topics.headings
    stream = build_stream(lines, headings)
    place = Placing(facts, topics)
    claims: list[Claim] = []
    claims += _paired(list(_figure_claims(stream, facts, place)), place)
    claims += _project_claims(stream, facts, place)
    claims += claim_fixed.fixed_claims(stream, facts, place.key)
    claims += claim_tables.table_claims(facts, place)
    overview = build_stream(overview_lines(facts, vocab), headings)
    claims += claim_fixed.staff_claims(overview)
    claims += claim_fixed.organisation_claims(overview)
    return tuple(sorted(claims, key=lambda c: c.line))


class Placing:
    """The section key and the topic of a line of the narrative."""

    def __init__(self, facts: Facts, topics: TopicMap):
        self.facts, self.topics = facts, topics

    def key(self, line: int) -> Optional[str]:
        section = find_section(self.facts.sections, line)
        return section.key if section else None

    def __call__(self, line: int) -> tuple[Optional[str], Optional[Topic]]:
        return self.key(line), vocabulary().topic(self.topics.at(line))

    def heading(self, line: int) -> Optional[str]:
        """The words of the 一、 heading the line stands under."""
        return self.topics.title_at(line)


def _reader(topic: Optional[Topic]) -> Optional[str]:
    return topic.reader if topic else None


def _figure_claims(stream: Stream, facts: Facts, place: Placing) -> Iterator[Claim]:
    for figure in figures(stream):
        line = stream.line_at(figure.offset)
        key, topic = place(line)
        if _reader(topic) == "projects" or not figure.subject:
            continue  # project sections are read block by block by _project_claims
        ref, basis = subjects.resolve_subject(topic, figure.subject, facts, figure.lead,
                                              place.heading(line))
        yield from _claims_of(figure, line, key, topic, ref, basis,
                              stream.page_at(figure.offset), facts.year)


def _paired(claims: list[Claim], place: Placing) -> list[Claim]:
    """A subject's reference may take another figure its section states (说明[词]:
    深圳's 在职人员经费 is the unit's 工资福利支出 less the 增人增资 stated beside it).
    The figure is the one the same sentence states, else the nearest of a paragraph
    as deep under the same heading ("（一）在职人员经费" goes with "（四）增人增资"); no
    reference where the section states none."""
    out = []
    for claim in claims:
        ref = claim.ref
        for word in said_words(ref):
            other = _sibling(claim, compact(word), claims, place)
            ref = ref and other and said_at(ref, word, other.line)
        out.append(claim if ref == claim.ref else replace(claim, ref=ref or None))
    return out


def _sibling(claim: Claim, word: str, claims: list[Claim], place: Placing) -> Optional[Claim]:
    heading = place.heading(claim.line)
    depth = len((claim.section or "").split("."))
    found = [c for c in claims if c.kind == "amount" and c is not claim and "amount" in c.values
             and word in compact(c.subject) and place.heading(c.line) == heading]
    return min(found, default=None, key=lambda c: (
        c.text != claim.text, len((c.section or "").split(".")) != depth, abs(c.line - claim.line)))


def _claims_of(figure: Figure, line, key, topic, ref, basis, page, year) -> Iterator[Claim]:
    common = dict(subject=subjects.clean_subject(figure.subject, None, year), line=line,
                  text=figure.context, section=key, ref=ref, basis=basis, page=page)
    if figure.amount is not None:
        yield Claim(kind="amount", values={"amount": figure.amount}, unit=figure.unit, **common)
    if figure.share is not None and figure.amount is not None:
        base = topic.share_base if topic else None
        yield Claim(kind="share", values={"amount": figure.amount, "share": figure.share},
                    base=base, group=f"share:{_group(key, topic)}", **common)
    change = figure.change
    if change is not None and (change.unit is None or figure.amount is None
                               or change.unit == figure.unit):
        values = {name: getattr(change, name) for name in ("delta", "rate", "prior")
                  if getattr(change, name) is not None}
        if change.direction == "持平":
            values["delta"] = values.get("delta", Decimal(0))
        if figure.amount is not None:
            values["amount"] = figure.amount
        elif change.unit:
            common["unit"] = change.unit
        yield Claim(kind="change", values=values, direction=change.direction,
                    rate_word=change.rate_word, reason=figure.reason,
                    group=f"change:{_group(key, topic)}{_apart(figure.subject)}", **common)


# Items a section speaks of beside its whole without being part of it: the
# 三公 section of many layouts also states 会议费 and 培训费.
_APART = ("会议费", "培训费")


def _apart(subject: str) -> str:
    return next((f":{word}" for word in _APART if word in (subject or "")), "")


def _group(key: Optional[str], topic: Optional[Topic]) -> str:
    """Claims that partition one whole: a section by its topic ("expense"), or
    a subsection of it ("gpb.3": the third subsection under the general budget)."""
    parts = (key or "").split(".")
    name = topic.id if topic else "none"
    return name + (f".{parts[2]}" if len(parts) > 2 else "")


def _project_claims(stream: Stream, facts: Facts, place: Placing) -> Iterator[Claim]:
    blocks = []
    for offset, paragraph in paragraphs(stream):
        if _reader(place(stream.line_at(offset))[1]) != "projects":
            continue
        match = _PROJECT.search(paragraph)
        if match:
            blocks.append({"name": match.group("name").strip(), "unit": None, "parts": []})
        if blocks:
            blocks[-1]["parts"].append((offset, paragraph))
            unit = _UNIT.search(paragraph)
            if unit:
                blocks[-1]["unit"] = unit.group("unit").strip()
    for block in blocks:
        yield from _block_claims(block, stream, facts, place.key)


def _block_claims(block: dict, stream: Stream, facts: Facts, key_of) -> Iterator[Claim]:
    ref, printed = subjects.project_ref(block["name"], block["unit"], facts)
    first_offset, first = block["parts"][0]
    first_line = stream.line_at(first_offset)
    yield Claim(kind="project", subject=block["name"], line=first_line, text=first,
                section=key_of(first_line), ref=ref, basis=block["unit"],
                page=stream.page_at(first_offset))
    scale: Optional[Claim] = None
    for offset, paragraph in block["parts"]:
        line = stream.line_at(offset)
        key = key_of(line)
        common = dict(line=line, text=paragraph, section=key, page=stream.page_at(offset))
        if "预算安排规模" in paragraph:
            amount = AMOUNT.search(paragraph)
            if amount:
                scale = Claim(kind="amount", subject=f"{block['name']} 预算安排规模",
                              values={"amount": number(amount.group("num"))}, ref=ref,
                              basis="gpb", **common)
                yield scale
                if printed and printed != block["name"].replace(" ", ""):
                    yield Claim(kind="name", subject=block["name"], ref=ref, values={},
                                basis=printed, line=first_line, text=first,
                                section=common["section"], page=common["page"])
        allocation = _ALLOCATION.search(paragraph)
        if allocation:
            yield from _allocation_claims(allocation.group("text"), block, scale, common)


def _allocation_claims(text: str, block: dict, scale: Optional[Claim], common) -> Iterator[Claim]:
    """资金分配情况: items that must add up to 共计 (or to 预算安排规模)."""
    products = list(_PRODUCT.finditer(text))
    total = _TOTAL.search(text)
    spans = [(p.start(), p.end()) for p in products] + ([total.span()] if total else [])
    items: list[tuple[str, Decimal]] = []
    for match in AMOUNT.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        prefix = text[: match.start()].rstrip("：: ")
        label = re.split(r"[，,、；;：:。]", prefix)[-1].strip()
        label = re.sub(r"^\d{1,2}\s*[.、．]\s*", "", label) or "（未命名）"
        items.append((label, _in_wan(number(match.group("num")), match.group("unit"))))
    product_items = []
    for product in products:
        quantity, price = Decimal(product.group("qty")), number(product.group("price"))
        value = {"quantity": quantity, "price": price}
        label = re.split(r"[，,、；;：:。]", text[: product.start()])[-1].strip()
        claim = Claim(kind="product", subject=label or block["name"], values=value,
                      unit=product.group("punit"), items=(), **common)
        product_items.append(claim)
        yield claim
    if total is None and scale is None:
        return
    stated = _in_wan(number(total.group("num")), total.group("unit")) if total else scale.values["amount"]
    if total and products and not items and len(products) == 1:
        # "采购车辆 3 辆，16.68 万元/辆，共计 50.04 万元": the product is the total
        p = product_items[0]
        yield Claim(kind="product_total", subject=p.subject, values={**p.values, "total": stated},
                    unit=p.unit, basis="共计", **common)
        return
    values = {"total": stated}
    if products:
        values["products"] = Decimal(len(products))
    yield Claim(kind="enumeration", subject=block["name"], values=values, items=tuple(items),
                basis="共计" if total else "预算安排规模", **common)


def _in_wan(value: Decimal, unit: str) -> Decimal:
    return value / Decimal(10000) if unit == "元" else value
