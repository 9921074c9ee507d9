"""Where the narrative stands and what each stretch of it speaks of.

The narrative is every 第N部分 whose title is not a tables part, a glossary or
the organisation overview (vocabulary `parts`), or the whole text when the
document has no parts. Its topic (收入, 支出, 三公 …) is told by the words of
the headings above a line: a 一、 heading (or a part heading and the short
title line under it, a short unnumbered line ending in 说明, or one ending
in 如下： that names a topic) sets the topic until the next one; a （一） heading sets it only where the 一、 heading
named none. Headings are the outline's
(sections.py) and, where that has none (a part it leaves unread, a layout
without parts), lines of the same shape.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from budgetaudit.extract.narrative_vocab import Vocabulary, vocabulary
from budgetaudit.extract.sections import NUMBERED, PART, SUBSECTION
from budgetaudit.model import Facts, Line

HEADING_CHARS = 80
TITLE_LINE_CHARS = 30  # a part's title printed on the line under 第N部分
_SENTENCE = re.compile(r"[。；;！？]|[，,].*[，,]")
# a line numbered as an item of a list ("（1）按照部门预算支出经济分类的类级科目说明", "3.支出…"):
# not a title standing without numbering
_ITEM_NUMBER = re.compile(r"^[（(]\s*\d{1,2}\s*[)）]|^\d{1,2}\s*[.、．]")


@dataclass(frozen=True)
class TopicMap:
    """The topic of every line, as change points."""

    starts: tuple[int, ...]
    topics: tuple[Optional[str], ...]
    headings: frozenset  # first lines of headings found here
    lines: frozenset  # the narrative's lines: others have no topic
    titles: tuple[Optional[str], ...] = ()  # the 一、 (or part) heading's words over each start

    def at(self, line: int) -> Optional[str]:
        index = self._index(line)
        return self.topics[index] if index is not None else None

    def title_at(self, line: int) -> Optional[str]:
        """The words of the 一、 heading (or the part's) a line stands under, unnumbered."""
        index = self._index(line)
        return self.titles[index] if index is not None and self.titles else None

    def _index(self, line: int) -> Optional[int]:
        if line not in self.lines:
            return None
        index = bisect.bisect_right(self.starts, line) - 1
        return index if index >= 0 else None


def _parts(facts: Facts) -> list:
    return [s for s in facts.sections if s.level == 1 and s.key.startswith("part")]


def _has(title: str, words) -> bool:
    text = re.sub(r"\s+", "", title)
    return any(w in text for w in words)


def _part_title(facts: Facts, part) -> str:
    """A part's title, or the short line under a bare "第二部分"."""
    title = PART.match(part.title.strip())
    words = title.group(2) if title else part.title
    if words.strip():
        return part.title
    for line in facts.lines[part.start: part.start + 3]:
        text = line.text.strip()
        if text:
            return text if len(text) <= TITLE_LINE_CHARS and "\t" not in text else ""
    return ""


def narrative_lines(facts: Facts, vocab: Optional[Vocabulary] = None) -> list[Line]:
    """The lines of the narrative parts (all lines when there are no parts)."""
    vocab = vocab or vocabulary()
    parts = _parts(facts)
    toc = next((s for s in facts.sections if s.key == "toc"), None)
    whole = [l for l in facts.lines if not toc or not toc.start <= l.number <= toc.end]
    if not parts:
        return whole
    keep = vocab.parts["keep"]
    lines: list[Line] = []
    for part in parts:
        title = _part_title(facts, part)
        if _has(title, vocab.parts["overview"]) and not _has(title, keep):
            continue
        if _has(title, vocab.parts["skip"]) and not _has(title, keep):
            continue
        lines += facts.lines[part.start - 1: part.end]
    if not any("。" in line.text for line in lines):
        # the parts found are a 目录 without its heading (北京 气象局: 第一部分 … 第二部分
        # listed on the first page, the body unnumbered): the narrative is the whole text
        return whole
    return lines


def overview_lines(facts: Facts, vocab: Optional[Vocabulary] = None) -> list[Line]:
    """The organisation overview (部门概况): staff and units; else the first part."""
    vocab = vocab or vocabulary()
    parts = _parts(facts)
    chosen = [p for p in parts if _has(_part_title(facts, p), vocab.parts["overview"])]
    chosen = chosen or [p for p in parts if p.key == "part1"]
    return [l for p in chosen[:1] for l in facts.lines[p.start - 1: p.end]]


def _shape(text: str) -> Optional[tuple[int, str]]:
    """(level, title) when a line is shaped like a heading."""
    for level, pattern in ((1, PART), (2, NUMBERED), (3, SUBSECTION)):
        match = pattern.match(text)
        if match:
            title = match.group(2)
            if level == 3:  # "（一）基本支出。基本支出预算 …": the words before the sentence
                title = re.split(r"[。：:]", title)[0]
            elif _SENTENCE.search(title) or len(title) > HEADING_CHARS:
                return None
            return level, title
    return None


def _unnumbered(title: str) -> str:
    """A heading's words without its 一、 or 第N部分 (the outline keeps them)."""
    text = title.strip()
    for pattern in (PART, NUMBERED, SUBSECTION):
        match = pattern.match(text)
        if match:
            return match.group(2)
    return text


def _introduces_list(text: str, vocab: Vocabulary) -> bool:
    """A short line of its own ending "如下：" whose words name a topic: the list
    under it speaks of that topic."""
    words = re.sub(r"\s+", "", text)
    return len(words) <= TITLE_LINE_CHARS and words.endswith(("如下：", "如下:")) \
        and not _SENTENCE.search(words) and vocab.heading_topic(words) is not None


def unit_names(facts: Facts) -> frozenset:
    """The units the 支出总表 prints a row for (深圳 "深圳市规划和自然资源局宝安管理局"):
    its uncoded rows other than its totals, spaces removed."""
    from budgetaudit.engine.resolve import TOTAL_WORDS

    table = facts.table("expense")
    if table is None:
        return frozenset()
    return frozenset(re.sub(r"\s+", "", r.label) for r in table.rows
                     if not r.code and r.label and r.label not in TOTAL_WORDS and len(r.label) >= 4)


def _container(vocab: Vocabulary, topic_id: str) -> bool:
    """A topic whose （一） subsections keep a topic they name (深圳's unit section and its
    "（五）项目支出…具体包括")."""
    topic = vocab.topic(topic_id)
    return bool(topic and topic.container)


def topic_map(facts: Facts, lines: Sequence[Line], vocab: Optional[Vocabulary] = None) -> TopicMap:
    vocab = vocab or vocabulary()
    units = unit_names(facts)
    titles = {s.start: (s.level, s.title) for s in facts.sections if s.level <= 3}
    starts, topics, headings = [], [], set()
    part_topic = level2 = None
    part_title = level2_title = None
    governing: list[Optional[str]] = []
    expect_title = after_heading = False
    for line in lines:
        text = line.text.strip()
        if "\t" in line.text or not text:
            continue
        found = titles.get(line.number) or _shape(text)
        short = len(text) <= TITLE_LINE_CHARS and not _SENTENCE.search(text) \
            and not re.search(r"[，,：:]", text)
        if found is None and expect_title and short:
            found = (1, text)
        elif found is None and short and text.endswith("说明") and not after_heading \
                and not _ITEM_NUMBER.match(text):
            found = (2, text)  # "2026年单位预算编制说明": a title without numbering
        elif found is None and _introduces_list(text, vocab):
            found = (2, text)  # "财政拨款支出主要内容如下：" over a numbered list
        # the line after a heading may be its wrapped end ("…情况说明"), not a heading;
        # not after a heading that ends its sentence ("（八）机关运行经费：指……支出。")
        after_heading = found is not None and not text.endswith(("。", "；", ";"))
        expect_title = False
        if found is None:
            continue
        level, title = found
        topic = vocab.heading_topic(_unnumbered(title), units)
        if level == 1:
            part_topic = level2 = topic
            part_title = level2_title = _unnumbered(title)
            expect_title = topic is None
        elif level == 2:
            level2 = topic or part_topic
            level2_title = _unnumbered(title)
            topic = level2
        elif level2 is None or topic is None or not _container(vocab, level2):
            topic = level2 or topic
        headings.add(line.number)
        starts.append(line.number)
        topics.append(topic if level != 1 else part_topic)
        governing.append(level2_title if level != 1 else part_title)
    return TopicMap(tuple(starts), tuple(topics), frozenset(headings),
                    frozenset(line.number for line in lines), tuple(governing))
