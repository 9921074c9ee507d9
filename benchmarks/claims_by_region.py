"""How much of the narrative is read, per region: claims, amount claims, resolved share.

Reads every document of ../shared/corpus (pairing narrative and tables files as
`check` does) and the three samples, extracts the facts in-process and prints,
per region of MANIFEST.tsv (the samples are "新疆 (samples)"):

  docs     documents read (a pair counts once), narr: those with narrative text
  claims   claims of every kind;  amount: claims that state an amount
           (kinds amount, change with an amount, share)
  tabled   amount claims in documents where at least one table was read
  resolved of those, the ones whose reference evaluates against the tables read
  share    resolved / tabled
  none     unresolved tabled amount claims whose subject the vocabulary knows restates no
           single printed figure (a subject entry "-": a 决算's 年初预算),
           or a figure inside a change or a reason ("其中基本支出减少 19.11 万元")
  share*   resolved / (tabled - none)

    python benchmarks/claims_by_region.py                # the table
    python benchmarks/claims_by_region.py --tsv out.tsv  # and one line per document
    python benchmarks/claims_by_region.py --match 北京    # files whose name contains …

"none" watches subjects.resolve_subject as the claims are built (which entry of the
topic's vocabulary a subject it could not resolve matched): a measurement, not a change.

Not a timing: the figures depend only on the code and the documents.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
AMOUNT_KINDS = ("amount", "change", "share")


def manifest_regions(corpus: Path) -> dict[str, str]:
    path = corpus / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row["file"]: row["region_level"].split(" ")[0]
                for row in csv.DictReader(handle, delimiter="\t")}


def inputs(corpus: Path, samples: Path, match: str) -> list[tuple[str, object]]:
    from budgetaudit.pairing import pair_files

    regions = manifest_regions(corpus)
    files = sorted(p for p in corpus.glob("*.pdf") if match in p.name) if corpus.is_dir() else []
    found = []
    for item in pair_files(files):
        first = item[0] if isinstance(item, tuple) else item
        found.append((regions.get(first.name, "?"), item))
    if samples.is_dir():
        found += [("新疆(samples)", p) for p in sorted(samples.glob("*.pdf")) if match in p.name]
    return found


def is_amount(claim) -> bool:
    return claim.kind in AMOUNT_KINDS and "amount" in claim.values


def measure(item) -> dict:
    from budgetaudit.audit import read_facts
    from budgetaudit.engine import run  # noqa: F401  (registers the checks first)
    from budgetaudit.engine.claim_checks import table_value
    from budgetaudit.engine.resolve import FactIndex
    from budgetaudit.model import InputError

    known_none: set = set()
    try:
        with _watching_subjects(known_none):
            facts = read_facts(item)
    except InputError as exc:
        return {"error": str(exc)}
    index = FactIndex(facts)
    amounts = [c for c in facts.claims if is_amount(c)]
    resolved = [c for c in amounts if table_value(index, c.ref) is not None]
    none = sum(1 for c in amounts if c not in resolved and c.subject in known_none)
    narrative = any("\t" not in line.text and len(line.text.strip()) > 30 and "。" in line.text
                    for line in facts.lines)
    return {"claims": len(facts.claims), "amount": len(amounts), "resolved": len(resolved),
            "none": none, "tables": len(facts.tables), "narrative": narrative}


class _watching_subjects:
    """Collects (cleaned) the subjects resolve_subject leaves unresolved because its
    topic's vocabulary says they restate no single printed figure, or because they
    are a change or a reason; the function is put back on exit."""

    def __init__(self, found: set):
        self.found = found

    def __enter__(self):
        from budgetaudit.extract import subjects

        self.original = original = subjects.resolve_subject
        found = self.found

        def watched(topic, subject, facts, lead="", heading=None):
            result = original(topic, subject, facts, lead, heading)
            if result[0] is None and topic is not None and _says_none(topic, subject, facts, lead, heading):
                found.add(subjects.clean_subject(subject, None, facts.year))
            return result

        subjects.resolve_subject = watched
        return self

    def __exit__(self, *exc):
        from budgetaudit.extract import subjects

        subjects.resolve_subject = self.original
        return False


def _says_none(topic, subject, facts, lead, heading) -> bool:
    from budgetaudit.extract import subjects as s

    text = s.clean_subject(subject, facts.unit_name, facts.year)
    if s._CHANGE_WORD.search(text) or s._in_reason(text) or "《" in text:
        return True
    clause = s._clause(lead)
    for words, ref, _ in topic.subjects:
        if all(s._has_word(word, text, clause, heading) for word in words.split("+")):
            return ref is None
    return False


COLUMNS = ("docs", "narr", "claims", "amount", "tabled", "resolved", "none")


def add(total: dict, row: dict) -> None:
    if "error" in row:
        return
    total["docs"] += 1
    total["narr"] += int(row["narrative"])
    total["claims"] += row["claims"]
    total["amount"] += row["amount"]
    if row["tables"]:
        total["tabled"] += row["amount"]
        total["resolved"] += row["resolved"]
        total["none"] += row["none"]


def print_table(totals: dict[str, dict]) -> None:
    print("region".ljust(14) + "".join(c.rjust(9) for c in COLUMNS) + "share".rjust(8)
          + "share*".rjust(8))
    grand = defaultdict(int)
    for region in sorted(totals):
        row = totals[region]
        for column in COLUMNS:
            grand[column] += row[column]
        print(_line(region, row))
    print(_line("all", grand))


def _line(name: str, row: dict) -> str:
    share = f"{100 * row['resolved'] / row['tabled']:.0f}%" if row["tabled"] else "-"
    rest = row["tabled"] - row["none"]
    known = f"{100 * row['resolved'] / rest:.0f}%" if rest else "-"
    return name.ljust(14) + "".join(str(row[c]).rjust(9) for c in COLUMNS) + share.rjust(8) \
        + known.rjust(8)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--samples", type=Path, default=SHARED / "samples")
    parser.add_argument("--match", default="")
    parser.add_argument("--tsv", type=Path)
    args = parser.parse_args(argv)
    totals: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    rows = []
    for region, item in inputs(args.corpus, args.samples, args.match):
        row = measure(item)
        add(totals[region], row)
        rows.append((region, str(item), row))
        print(f"{region}\t{item}\t{row}", file=sys.stderr)
    print_table(totals)
    if args.tsv:
        with args.tsv.open("w", encoding="utf-8") as out:
            for region, name, row in rows:
                fields = [row.get(k, "") for k in ("claims", "amount", "resolved", "tables")]
                out.write("\t".join([region, name, *map(str, fields), row.get("error", "")]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
