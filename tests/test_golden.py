"""Extraction of each real sample against its hand-checked golden tables."""
import json

import pytest

import golden_tools
from edits import KASHI, WUQIA, XINJIANG


@pytest.mark.parametrize("name", [KASHI, WUQIA, XINJIANG])
def test_tables_match_the_golden_file_cell_by_cell(name):
    golden = json.loads((golden_tools.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    current = golden_tools.snapshot(golden_tools.SAMPLES / f"{name}.txt")
    expected_cells = golden_tools.flat_cells(golden)
    actual_cells = golden_tools.flat_cells(current)
    wrong = {k: (v, actual_cells.get(k, "<absent>")) for k, v in expected_cells.items()
             if actual_cells.get(k, "<absent>") != v}
    extra = sorted(set(actual_cells) - set(expected_cells))
    assert not wrong, f"cells differ (golden, extracted): {wrong}"
    assert not extra, f"cells not in the golden file: {extra}"
    assert current == golden  # row identities, kinds, groups, notes, columns


@pytest.mark.parametrize("name", [KASHI, WUQIA, XINJIANG])
def test_golden_files_hold_every_table_cell(name):
    golden = json.loads((golden_tools.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    cells = golden_tools.flat_cells(golden)
    amounts = [v for v in cells.values() if v is not None]
    assert len(cells) > 300 and len(amounts) > 100
