"""Narrative mutation coverage per region: targets, caught, coverage, the uncaught by reason.

Surveys the documents of tests/mutation_corpus.yaml (one per region of
../shared/corpus) as tests/test_mutation_corpus_narrative.py does: each
narrative number that restates a table value or follows from other printed
numbers is raised by one unit of its last printed digit, the text is read and
checked again, and a new error must point at the claim's or the edited line.

    python benchmarks/narrative_mutation.py                  # every document
    python benchmarks/narrative_mutation.py xian-minzhengju-2021
    python benchmarks/narrative_mutation.py --skeleton NAME   # draft its exceptions and gaps

Not a timing: the figures depend only on the code and the documents.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main(argv=None) -> int:
    import test_mutation_corpus_narrative as corpus
    from mutation_support import summary

    args = list(argv if argv is not None else sys.argv[1:])
    skeleton = "--skeleton" in args
    names = [a for a in args if a != "--skeleton"] or list(corpus.DOCUMENTS)
    rows = []
    for name in names:
        if name not in corpus.DOCUMENTS:
            print(f"未知文档：{name}（见 {corpus.LISTING}）(unknown document)", file=sys.stderr)
            return 2
        reasons = {**corpus.listed(name, "exceptions"), **corpus.listed(name, "gaps")}
        result = corpus.surveyed(name)
        print(summary(result, reasons), flush=True)
        rows.append((corpus.DOCUMENTS[name]["region"], name, result))
        if skeleton:
            print(draft(result))
    print(f"\n{'region':<12}{'document':<34}{'targets':>8}{'caught':>8}{'excepted':>9}{'gaps':>6}"
          f"  coverage      of the not excepted")
    for region, name, result in rows:
        excepted = len(corpus.listed(name, "exceptions"))
        gaps = len(corpus.listed(name, "gaps"))
        rest = len(result.mutations) - excepted
        share = f"{100 * result.caught / rest:.1f}%" if rest else "-"
        print(f"{region:<12}{name:<34}{len(result.mutations):>8}{result.caught:>8}{excepted:>9}"
              f"{gaps:>6}  {result.coverage():<14}{result.caught}/{rest} ({share})")
    return 0


def draft(result) -> str:
    """The uncaught mutations as YAML entries, each under its first diagnosis."""
    from mutation_diagnosis import diagnose

    parts: dict = {"exception": [], "gap": []}
    for (line, label, printed), mutation in sorted(result.uncaught.items()):
        kind, why = diagnose(mutation, result.facts)
        parts[kind].append(f'      "{line} {label} {printed}": "{why}"')
    return "\n".join(f"    {kind}s:\n" + "\n".join(entries)
                     for kind, entries in parts.items() if entries)


if __name__ == "__main__":
    sys.exit(main())
