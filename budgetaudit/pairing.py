"""Disclosures published as two files: the narrative (情况说明) and the tables (报表).

Beijing, for one, publishes "附件1：…2026年度部门预算情况说明.pdf" beside
"附件2：…2026年度部门预算报表.pdf". Two files of one folder pair when their
names, without an 附件N prefix and from their marker word on, are the same,
and one name carries a narrative word, the other a tables word. The words are
data (budgetaudit/vocab/pairing.yaml). A pair is checked as one document: the
narrative's lines, then the tables', pages numbered on through both files.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Union

from budgetaudit.model import Document, InputError

PAIRING_FILE = Path(__file__).resolve().parent / "vocab" / "pairing.yaml"


class Paired(tuple):
    """(narrative, tables): two files read as one disclosure."""

    def __new__(cls, narrative: Path, tables: Path):
        return super().__new__(cls, (Path(narrative), Path(tables)))

    def __str__(self) -> str:
        return f"{self[0]} + {self[1]}"

    def __getnewargs__(self):
        return tuple(self)

    @property
    def name(self) -> str:
        return f"{self[0].name} + {self[1].name}"


Input = Union[Path, Paired]


@lru_cache(maxsize=1)
def _markers() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    from budgetaudit.yamlsrc import compiled_yaml

    lists = compiled_yaml(PAIRING_FILE, "pairing", "词汇文件", InputError, _word_lists,
                          lambda v: isinstance(v, tuple) and all(isinstance(w, tuple) for w in v))
    prefix, narrative, tables = lists
    return (re.compile("|".join(prefix)), re.compile("|".join(map(re.escape, narrative))),
            re.compile("|".join(map(re.escape, tables))))


def _word_lists(data, ctx) -> tuple[tuple[str, ...], ...]:
    lists = []
    for key in ("prefix", "narrative", "tables"):
        words = data.get(key) if isinstance(data, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ctx.error((key,), f"{key} 应为非空字符串列表")
        lists.append(tuple(words))
    return tuple(lists)


def _key(path: Path, marker: re.Pattern) -> str | None:
    prefix = _markers()[0]
    name = prefix.sub("", path.stem, count=1)
    match = marker.search(name)
    return name[: match.start()].strip(" -_—：:") if match else None


def pair_files(paths: Iterable[Path]) -> list[Input]:
    """The inputs in their order, each narrative/tables couple of one folder
    replaced by one Paired (at the place of its first file)."""
    paths = list(paths)
    if len(paths) < 2:
        return paths  # nothing to pair
    _, narrative_words, table_words = _markers()
    narratives, tables = {}, {}
    for path in paths:
        narrative_key, table_key = _key(path, narrative_words), _key(path, table_words)
        if narrative_key and not table_key:
            narratives.setdefault((path.parent, narrative_key), []).append(path)
        elif table_key and not narrative_key:
            tables.setdefault((path.parent, table_key), []).append(path)
    couples = {}
    for key, found in narratives.items():
        if len(found) == 1 and len(tables.get(key, ())) == 1:
            couples[found[0]] = couples[tables[key][0]] = Paired(found[0], tables[key][0])
    result, seen = [], set()
    for path in paths:
        item = couples.get(path, path)
        if item in seen:
            continue
        seen.add(item)
        result.append(item)
    return result


def load_input(item: Input) -> Document:
    """A Document from one file, or from a narrative and its tables as one."""
    from budgetaudit.load import load

    if not isinstance(item, Paired):
        return load(item)
    narrative, tables = load(item[0]), load(item[1])
    pages = max((line.page or 0 for line in narrative.lines), default=0)
    offset = len(narrative.lines)
    lines = narrative.lines + tuple(
        replace(line, number=line.number + offset,
                page=line.page + pages if line.page is not None else None)
        for line in tables.lines)
    source = narrative.source if narrative.source == tables.source else "mixed"
    return Document(path=str(item), lines=lines, encoding=narrative.encoding, source=source)
