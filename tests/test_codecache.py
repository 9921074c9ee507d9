"""Dataclass methods and regular expressions kept between runs (budgetaudit/codecache.py):
the same objects as compiled afresh, used when sound, ignored when not."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from edits import SAMPLES

from budgetaudit import codecache

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = SAMPLES / "kashi-city-gov-office-2024.txt"

# a fresh process: a dataclass, a pattern and a check of a sample; prints what the
# cache gave and what the check found
PROGRAM = """
import dataclasses, json, re, sys
from pathlib import Path
from budgetaudit import codecache
from budgetaudit.audit import audit
from budgetaudit.engine import load_rules

@dataclasses.dataclass(frozen=True)
class Probe:
    amount: int
    label: str = "合计"

try:
    Probe(1).amount = 2
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
pattern = re.compile(r"(?P<n>\\d+(?:\\.\\d+)?)\\s*万元")
result = audit(Path(sys.argv[1]), load_rules())
print(json.dumps({
    "stats": codecache.stats(),
    "probe": [repr(Probe(1)), Probe(1) == Probe(1, "合计"), hash(Probe(1)) == hash(Probe(1)), frozen],
    "match": pattern.search("共 12.5 万元").group("n"),
    "findings": sorted([f.rule, f.severity, f.message] for f in result.findings),
}, ensure_ascii=False))
"""


def run(cache: Path | str) -> dict:
    env = dict(os.environ, BUDGETAUDIT_CACHE=str(cache), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(SAMPLE)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def kept_file(folder: Path) -> Path:
    return folder / f"code-{sys.implementation.cache_tag}.marshal"


def test_a_second_run_compiles_nothing_and_finds_the_same(tmp_path):
    first, second = run(tmp_path), run(tmp_path)
    assert first["stats"]["compiled"] > 50 and first["stats"]["patterns_compiled"] > 100
    assert kept_file(tmp_path).is_file()
    assert second["stats"]["compiled"] == 0 and second["stats"]["patterns_compiled"] == 0
    assert second["stats"]["loaded"] >= first["stats"]["compiled"]
    off = run("off")
    assert off["stats"]["loaded"] == 0 and off["stats"]["patterns_loaded"] == 0
    for name in ("probe", "match", "findings"):
        assert first[name] == second[name] == off[name]
    assert second["probe"] == ["Probe(amount=1, label='合计')", True, True, True]
    assert second["findings"]  # the sample has findings to compare


def test_kept_patterns_are_the_patterns_re_makes():
    """Each kept pattern, made from its kept arguments, equals the one re compiles
    afresh: equal patterns have the same source, flags and engine program."""
    import budgetaudit.extract.claims  # noqa: F401  modules with many patterns
    import budgetaudit.engine.wording  # noqa: F401

    if not codecache._ORIGINAL:
        pytest.skip("re of this Python is not built as codecache expects")
    kept = dict(codecache._PATTERNS)
    assert len(kept) > 50
    for (source, flags), arguments in kept.items():
        assert codecache._ORIGINAL["engine"].compile(*arguments) == \
            codecache._ORIGINAL["compile"](source, flags), source


def test_a_refused_program_is_compiled_as_re_does(monkeypatch):
    if not codecache._ORIGINAL:
        pytest.skip("re of this Python is not built as codecache expects")
    source = "预算\\s*(\\d+)\\s*万元(?:整)?"
    monkeypatch.setitem(codecache._PATTERNS, (source, 0), (source, 32, [1, 2, 3], 1, {}, (None, None)))
    re.purge()
    assert re.compile(source).search("预算 12 万元").group(1) == "12"
    assert codecache._PATTERNS[(source, 0)][2] != [1, 2, 3]  # replaced by re's own program


@pytest.mark.parametrize("damage", ["garbage", "header", "truncated", "shared"])
def test_a_damaged_or_unsafe_file_is_ignored(tmp_path, damage):
    run(tmp_path)
    file = kept_file(tmp_path)
    data = file.read_bytes()
    if damage == "garbage":
        file.write_bytes(data[:40] + os.urandom(2000))
    elif damage == "header":
        file.write_bytes(data.replace(b"budgetaudit-code", b"budgetaudit-kode", 1))
    elif damage == "truncated":
        file.write_bytes(data[: len(data) // 2])
    else:
        if not hasattr(os, "getuid"):
            pytest.skip("no POSIX ownership here")
        file.chmod(0o666)  # others may write it: not to be trusted
    again = run(tmp_path)
    assert again["stats"]["loaded"] == 0 and again["stats"]["compiled"] > 50
    assert again["findings"] == run("off")["findings"]


SEEN: list = []


def test_exec_runs_kept_code_in_the_namespaces_it_is_given():
    namespace = {"base": 40}
    codecache._exec("answer = base + 2", namespace)
    codecache._exec("answer = base + 2", namespace)  # the second time from the kept code
    assert namespace["answer"] == 42 and "answer = base + 2" in codecache._CODES
    codecache._exec("SEEN.append(SAMPLE.name)")  # no namespace: the caller's, as exec does
    assert SEEN == [SAMPLE.name]
