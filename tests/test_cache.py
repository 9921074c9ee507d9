"""The compiled cache of rule files: used when sound, ignored when stale,
corrupt, unsafe or switched off, and never a reason for a different result."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from budgetaudit import cache
from budgetaudit.engine import default_rule_files
from budgetaudit.engine.rulefile import RuleFileError, load_rule_file

RULE = """rules:
  - code: X901
    title: 合计等于基本支出加项目支出
    severity: error
    description: 测试规则。
    examples: {pass: "1 = 1", fail: "1 ≠ 2"}
    equation: 支出总表[合计].合计 = 支出总表[合计].基本支出 + 支出总表[合计].项目支出
"""


@pytest.fixture
def cache_in(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.pickle")) if folder.exists() else []


def test_a_rule_file_is_compiled_once_then_read_from_the_cache(tmp_path, cache_in, monkeypatch):
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE, encoding="utf-8")
    first = load_rule_file(rules_file)
    assert len(entries(cache_in)) == 1
    import budgetaudit.engine.rulefile as rulefile

    monkeypatch.setattr(rulefile, "_compile", lambda *a: pytest.fail("compiled again"))
    assert load_rule_file(rules_file) == first


def test_the_shipped_rules_from_the_cache_equal_the_compiled_ones(cache_in, monkeypatch):
    files = default_rule_files()
    compiled = [load_rule_file(f) for f in files]
    assert len(entries(cache_in)) == len(files)
    assert [load_rule_file(f) for f in files] == compiled


def test_a_changed_file_is_compiled_again_and_replaces_its_entry(tmp_path, cache_in):
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE, encoding="utf-8")
    load_rule_file(rules_file)
    rules_file.write_text(RULE.replace("severity: error", "severity: warning"), encoding="utf-8")
    assert load_rule_file(rules_file)[0].severity == "warning"
    assert len(entries(cache_in)) == 1


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path, cache_in, damage):
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE, encoding="utf-8")
    expected = load_rule_file(rules_file)
    (entry,) = entries(cache_in)
    data = entry.read_bytes()
    damaged = {"truncate": data[:-7], "flip": data[:-1] + bytes([data[-1] ^ 1]),
               "garbage": b"\x80\x04not a pickle", "empty": b""}[damage]
    entry.write_bytes(damaged)
    assert load_rule_file(rules_file) == expected
    assert entry.read_bytes() == data  # rewritten whole


def test_an_entry_of_the_wrong_type_is_not_used(tmp_path, cache_in):
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE, encoding="utf-8")
    content = rules_file.read_bytes()
    built = cache.cached("rules", rules_file, content, lambda: ["not a rule"], lambda v: True)
    assert built == ["not a rule"]  # stored under the file's key
    assert load_rule_file(rules_file)[0].code == "X901"


def test_errors_are_not_cached(tmp_path, cache_in):
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE.replace("severity: error", "severity: fatal"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleFileError, match="severity"):
            load_rule_file(rules_file)
    assert entries(cache_in) == []


@pytest.mark.parametrize("value", ["off", "0"])
def test_the_cache_can_be_switched_off(tmp_path, monkeypatch, value):
    monkeypatch.setenv(cache.ENV, value)
    assert cache.cache_dir() is None
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE, encoding="utf-8")
    assert load_rule_file(rules_file)[0].code == "X901"
    assert not list(tmp_path.rglob("*.pickle"))


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform != "win32":
        assert cache.cache_dir() == tmp_path / "budgetaudit"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(tmp_path, cache_in):
    rules_file = tmp_path / "r.yaml"
    rules_file.write_text(RULE, encoding="utf-8")
    load_rule_file(rules_file)
    (entry,) = entries(cache_in)
    entry.write_bytes(b"")  # would be rewritten if the folder were used
    cache_in.chmod(0o777)
    assert load_rule_file(rules_file)[0].code == "X901"
    assert entry.read_bytes() == b""


def test_the_vocabulary_is_compiled_once_then_read_from_the_cache(cache_in, monkeypatch):
    from budgetaudit.extract import specs

    first = specs._read_file(specs.DEFAULT_VOCAB)
    assert sorted(p.name.split("-")[0] for p in cache_in.glob("*.pickle")) == ["vocab"]
    monkeypatch.setattr(specs, "_compile_file", lambda *a: pytest.fail("compiled again"))
    assert specs._read_file(specs.DEFAULT_VOCAB) == first


def test_a_changed_vocabulary_file_is_read_again(tmp_path, cache_in):
    from budgetaudit.extract import specs

    vocab = tmp_path / "v.yaml"
    entry = "tables:\n  - id: extra\n    name: 测试表\n    titles: [测试表]\n    layout: generic\n"
    vocab.write_text(entry, encoding="utf-8")
    assert specs._read_file(vocab)[0][0].name == "测试表"
    vocab.write_text(entry.replace("name: 测试表", "name: 另一表"), encoding="utf-8")
    assert specs._read_file(vocab)[0][0].name == "另一表"


def test_pairing_words_come_from_the_cache_and_a_single_file_needs_none(cache_in, monkeypatch):
    from budgetaudit import pairing

    pairing._markers.cache_clear()
    assert pairing.pair_files([Path("只有一个.pdf")]) == [Path("只有一个.pdf")]
    assert not list(cache_in.glob("pairing-*.pickle"))  # nothing to pair: words not read
    first = pairing._markers()
    pairing._markers.cache_clear()
    monkeypatch.setattr(pairing, "_word_lists", lambda *a: pytest.fail("parsed again"))
    assert [p.pattern for p in pairing._markers()] == [p.pattern for p in first]
    pairing._markers.cache_clear()


def test_the_narrative_vocabulary_is_compiled_once_then_read_from_the_cache(cache_in, monkeypatch):
    from budgetaudit.extract import narrative_vocab

    first = narrative_vocab._read(narrative_vocab.DEFAULT)
    assert [p.name.split("-")[0] for p in cache_in.glob("*.pickle")] == ["narrative"]
    monkeypatch.setattr(narrative_vocab, "_compile", lambda *a: pytest.fail("compiled again"))
    again = narrative_vocab._read(narrative_vocab.DEFAULT)
    assert again[2] == first[2] and [s.kind for s in again[3]] == [s.kind for s in first[3]]
