"""Golden tables: the hand-checked extraction of each real sample.

`python tests/golden_tools.py` rewrites tests/golden/*.json from the current
extractor; review the diff by hand before committing it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(ROOT))

from budgetaudit.extract.facts import extract_facts  # noqa: E402
from budgetaudit.load import load  # noqa: E402

ROW_FIELDS = ("line", "side", "kind", "code", "label", "key", "parent", "project", "group")


def table_snapshot(table) -> dict:
    rows = []
    for row in table.rows:
        entry = {name: getattr(row, name) for name in ROW_FIELDS}
        entry["cells"] = {k: (None if v is None else str(v)) for k, v in row.cells.items()}
        rows.append(entry)
    return {
        "id": table.id,
        "title": table.title,
        "number": table.number,
        "unit": table.unit,
        "columns": list(table.columns),
        "note_line": table.note_line,
        "rows": rows,
    }


def snapshot(path: Path) -> dict:
    facts = extract_facts(load(path))
    return {
        "missing": list(facts.missing),
        "tables": [table_snapshot(t) for t in facts.tables],
    }


def flat_cells(snap: dict) -> dict:
    """(table, line, side, label, column) -> value, for cell-by-cell comparison."""
    cells = {}
    for table in snap["tables"]:
        for row in table["rows"]:
            for column, value in row["cells"].items():
                key = (table["id"], row["line"], row["side"], row["label"], column)
                cells[key] = value
    return cells


if __name__ == "__main__":
    for sample in sorted(SAMPLES.glob("*.txt")):
        target = GOLDEN / f"{sample.stem}.json"
        target.write_text(json.dumps(snapshot(sample), ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
        print("wrote", target.relative_to(ROOT))
