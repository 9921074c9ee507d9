"""A text file holding several disclosures one after another is refused with
one line, never checked as one document. The files are made here by joining
real samples (the whole text of each, one after another)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from budgetaudit.extract.bundle import disclosure_count
from budgetaudit.load import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def joined(tmp_path: Path, texts: list[str]) -> Path:
    path = tmp_path / "bundle.txt"
    path.write_text("\n".join(texts), encoding="utf-8")
    return path


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_single_disclosure_is_one(sample):
    assert disclosure_count(load(sample)) == 1


@pytest.mark.parametrize("copies", [2, 20])
def test_copies_of_a_disclosure_are_counted(tmp_path, copies):
    text = SAMPLES[0].read_text(encoding="utf-8")
    assert disclosure_count(load(joined(tmp_path, [text] * copies))) == copies


def test_different_disclosures_joined_are_refused_with_one_line(tmp_path):
    path = joined(tmp_path, [p.read_text(encoding="utf-8") for p in SAMPLES])
    completed = subprocess.run([sys.executable, "-m", "budgetaudit", "check", str(path), "-f", "json"],
                               cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert completed.returncode == 2
    (document,) = json.loads(completed.stdout)["documents"]
    assert "多份预算公开文件" in document["error"] and "约 3 份" in document["error"]
    assert document["findings"] == [] and "\n" not in document["error"]


def test_extract_refuses_them_too(tmp_path):
    path = joined(tmp_path, [SAMPLES[0].read_text(encoding="utf-8")] * 2)
    completed = subprocess.run([sys.executable, "-m", "budgetaudit", "extract", str(path)],
                               cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "多份预算公开文件" in completed.stderr
