"""Narrative mutation coverage on any document: the targets, the edits, the verdicts.

Shared by test_mutation_narrative.py (the three samples, read back from text
files) and test_mutation_corpus_narrative.py (corpus PDFs, edited in memory).

A target is a number of a claim that restates a table value or follows from
other printed numbers (ROLES). Its digits are found in the claim's line (or, for
a sentence wrapped over lines, a following one) and raised by a step, keeping the
printed format; the edited lines are read again (`reread`), the re-read claim
must carry exactly the raised value (which proves the right digits were edited),
and the mutant is checked: it is caught when an error-level finding that was not
there before points at the edited line or at a claim the edit changed.

One edit may feed several claims (an amount is also the base of its share and
the current value of its change); the edit is made once and counted once.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Optional

from budgetaudit.engine.run import check_facts
from budgetaudit.model import Claim, Document, Facts, Finding

# The numbers of each claim kind that restate a table value or follow from others.
ROLES = {
    "amount": ("amount",),  # only when its reference resolves (see targets_of)
    "share": ("share", "amount"),
    "change": ("delta", "rate", "amount", "prior"),
    "product": ("quantity", "price"),
    "product_total": ("quantity", "price", "total"),
    "enumeration": (),  # items, and the total when the text states one ("共计")
    "staff": ("total", "active", "retired", "veteran",
              "active_change", "retired_change", "veteran_change"),
    "procurement": ("total", "goods", "works", "services"),
    "procurement_reserved": ("sme", "micro"),
    "vehicles": ("count", "value", "general_count", "general_value", "law_count", "law_value",
                 "other_count", "other_value"),
    "equipment": ("over50", "over100"),
    "project_count": ("count", "amount"),
    "performance": ("total", "fiscal", "other"),  # a 绩效目标表 row
    "listed_count": ("stated",),
    "units": ("administrative", "public"),
}
PERCENT_ROLES = {"share", "rate"}
LOOKAHEAD = 4  # lines after the claim's line where a wrapped number may stand
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
ONE = Decimal(1)

Step = Callable[["Target", str], Decimal]  # (target, printed digits) -> the raise


def last_digit(target: "Target", printed: str) -> Decimal:
    """One unit of the last printed digit: 1,133.14 -> 0.01, 5.93 -> 0.01, 24 -> 1."""
    return ONE.scaleb(min(Decimal(printed.replace(",", "")).as_tuple().exponent, 0))


@dataclass(frozen=True)
class Target:
    claim: Claim
    role: str  # a key of claim.values, or "item<i>" for an enumeration item
    value: Decimal

    @property
    def label(self) -> str:
        return f"{self.claim.kind}.{'item' if self.role.startswith('item') else self.role}"

    def raised(self, step: Decimal) -> Decimal:
        return self.value + step if self.value >= 0 else self.value - step


@dataclass
class Mutation:
    line: int
    old: str
    new: str
    targets: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # new error findings
    lower: list = field(default_factory=list)  # new warning / info findings
    key: tuple = ()  # (line, "kind.role", printed number), see survey()
    facts: Optional[Facts] = None  # the mutant's facts

    @property
    def name(self) -> str:
        """What the number is of: the item's label, else the claim's subject."""
        target = self.targets[0]
        if target.role.startswith("item"):
            return target.claim.items[int(target.role[4:])][0]
        return target.claim.subject

    @property
    def caught(self) -> bool:
        """A new error points at the edited line or at a claim the edit changed."""
        places = {self.line} | {t.claim.line for t in self.targets}
        return any(places & lines_of(f) for f in self.errors)

    def describe(self) -> str:
        return f"line {self.line} {self.targets[0].label} {self.name!r}: {self.old} -> {self.new}"


@dataclass
class Survey:
    name: str
    mutations: list
    unlocated: list  # targets whose digits could not be found and raised
    left_out: Counter = field(default_factory=Counter)  # claim numbers that are no target
    facts: Optional[Facts] = None  # the published facts

    @property
    def uncaught(self) -> dict:
        return {m.key: m for m in self.mutations if not m.caught}

    @property
    def caught(self) -> int:
        return sum(m.caught for m in self.mutations)

    def coverage(self) -> str:
        total = len(self.mutations)
        share = f"{100 * self.caught / total:.1f}%" if total else "-"
        return f"{self.caught}/{total} ({share})"


def lines_of(finding: Finding) -> set:
    return {loc.line for loc in finding.locations if loc.line is not None}


CHANGE_PARTS = ("prior", "delta", "rate")


def determined_change_roles(claim: Claim, resolved: Callable[[Claim], bool]) -> tuple:
    """The numbers of a change that another number fixes. prior + delta = amount
    and rate = delta / prior tie four quantities, so a number is checked only
    when three are known (the current amount counts when printed or resolved to
    a table); the printed amount is checked by its table or by two of the others.
    "比上年增加 198.60 万元" alone, without prior or rate, is tied to nothing in
    the document (the prior is in last year's)."""
    others = tuple(role for role in CHANGE_PARTS if role in claim.values)
    table = resolved(claim)
    known = len(others) + ("amount" in claim.values or table)
    roles = others if known >= 3 else ()
    if "amount" in claim.values and (table or len(others) >= 2):
        roles = ("amount",) + roles
    return roles


def roles_of(claim: Claim, resolved: Callable[[Claim], bool], determined: bool) -> tuple:
    if claim.kind == "amount" and not resolved(claim):
        return ()
    if claim.kind == "change" and determined:
        return determined_change_roles(claim, resolved)
    return tuple(role for role in ROLES.get(claim.kind, ()) if role in claim.values)


def table_cells(facts: Facts, value: Decimal, unit: str = "万元") -> list[str]:
    """Where the tables read print `value` (a 万元 figure, compared at its printed
    precision; tables in 元 scaled): "table id[row label].column"."""
    if unit != "万元" or value == 0:
        return []
    quantum = ONE.scaleb(min(value.as_tuple().exponent, 0))
    found = []
    for table in facts.tables:
        scale = Decimal(10000) if table.unit == "元" else ONE
        for row in table.rows:
            for column, cell in row.cells.items():
                if cell is not None and (cell / scale).quantize(quantum) == value:
                    found.append(f"{table.id}[{row.label}].{column}")
    return found


def untargeted(facts: Facts, resolved: Callable[[Claim], bool]) -> Counter:
    """The claim numbers left out by targets_of(determined=True), by why."""
    left = Counter()
    for claim in facts.claims:
        if claim.kind == "amount" and not resolved(claim):
            printed = table_cells(facts, claim.values.get("amount", Decimal(0)), claim.unit)
            left["amount claim not resolved to a table" +
                 (" (a table read prints the same figure)" if printed else "")] += 1
        elif claim.kind == "change":
            printed = [r for r in ("amount",) + CHANGE_PARTS if r in claim.values]
            kept = determined_change_roles(claim, resolved)
            left["change number tied to nothing printed"] += len(set(printed) - set(kept))
    return +left


def targets_of(facts: Facts, resolved: Callable[[Claim], bool],
               determined: bool = False) -> list[Target]:
    """Every target of the facts; an amount claim only when `resolved` says its
    reference names a table value; with `determined`, a change's numbers only
    when others fix them (determined_change_roles)."""
    found = []
    for claim in facts.claims:
        for role in roles_of(claim, resolved, determined):
            found.append(Target(claim, role, claim.values[role]))
        if claim.kind == "enumeration":
            found += [Target(claim, f"item{i}", value) for i, (_, value) in enumerate(claim.items)]
            if claim.basis == "共计":  # otherwise the total is the 预算安排规模 amount claim
                found.append(Target(claim, "total", claim.values["total"]))
    return found


def resolves_in(facts: Facts) -> Callable[[Claim], bool]:
    """Whether a claim's reference evaluates against the tables read."""
    from budgetaudit.engine import run  # noqa: F401  (registers the checks first)
    from budgetaudit.engine.claim_checks import table_value
    from budgetaudit.engine.resolve import FactIndex

    index = FactIndex(facts)
    return lambda claim: bool(claim.ref) and table_value(index, claim.ref) is not None


def raise_printed(text: str, step: Decimal) -> str:
    """The printed number plus `step`, with its decimals and thousands separators."""
    value = Decimal(text.replace(",", "")) + step
    places = max(-Decimal(text.replace(",", "")).as_tuple().exponent, 0)
    return f"{value:,.{places}f}" if "," in text else f"{value:.{places}f}"


def claim_key(claim: Claim, claims: tuple) -> tuple:
    same = [c for c in claims if (c.kind, c.line, c.subject) == (claim.kind, claim.line, claim.subject)]
    return (claim.kind, claim.line, claim.subject, next(i for i, c in enumerate(same) if c is claim))


def value_in(target: Target, claim: Claim) -> Optional[Decimal]:
    if target.role.startswith("item"):
        index = int(target.role[4:])
        return claim.items[index][1] if index < len(claim.items) else None
    return claim.values.get(target.role)


def narrative_rules(rules: Iterable) -> list:
    """The rules a narrative edit can move: the tables.yaml rules read table
    facts only, and each mutant's tables are asserted equal to the published ones."""
    return [r for r in rules if Path(r.source.rsplit(":", 1)[0]).name != "tables.yaml"]


def document_reader(document: Document) -> Callable[[list[str]], Facts]:
    """Reads edited line texts as the document, in memory (pages and numbers kept)."""
    from budgetaudit.extract.facts import extract_facts

    def reread(texts: list[str]) -> Facts:
        lines = tuple(line if line.text == text else replace(line, text=text)
                      for line, text in zip(document.lines, texts))
        return extract_facts(replace(document, lines=lines))
    return reread


class Mutator:
    """Edits one number of a document at a time and reads the result back.

    `texts` are the document's line texts (line n is texts[n - 1]), `facts` the
    published facts, `findings` their findings under `rules`, `reread` turns
    edited texts into facts and `step` says how much a printed number is raised.
    """

    def __init__(self, texts: list[str], facts: Facts, findings: Iterable[Finding],
                 rules: Iterable, reread: Callable[[list[str]], Facts], step: Step):
        self.lines, self.facts, self.reread, self.step = list(texts), facts, reread, step
        self.baseline = {(f.rule, f.severity, f.message) for f in findings}
        self.rules = narrative_rules(rules)
        self.read: dict = {}  # (line, start) -> mutated Facts

    def candidates(self, target: Target):
        """(line, start, end) of printed numbers equal to the target's, nearest first."""
        last = min(target.claim.line + LOOKAHEAD, len(self.lines))
        for number in range(target.claim.line, last + 1):
            text = self.lines[number - 1]
            if "\t" in text and not (number == target.claim.line and "\t" in target.claim.text):
                continue  # a table line, unless the claim was read from it (绩效目标表)
            for match in NUMBER.finditer(text):
                if Decimal(match.group().replace(",", "")) != abs(target.value):
                    continue
                percent = re.match(r"\s*[%％]", text[match.end():]) is not None
                if percent == (target.role in PERCENT_ROLES):
                    yield number, match.start(), match.end()

    def new_text(self, target: Target, number: int, start: int, end: int) -> str:
        text = self.lines[number - 1]
        return raise_printed(text[start:end], self.step(target, text[start:end]))

    def mutant(self, number: int, start: int, end: int, new: str) -> Facts:
        if (number, start) not in self.read:
            text = self.lines[number - 1]
            lines = self.lines[: number - 1] + [text[:start] + new + text[end:]] + self.lines[number:]
            self.read[(number, start)] = self.reread(lines)
        return self.read[(number, start)]

    def locate(self, target: Target) -> Optional[tuple[int, int, int, str]]:
        """The printed number whose raise, read back, gives this target's claim
        exactly the raised value (the nearest such number), with its new text."""
        wanted = claim_key(target.claim, self.facts.claims)
        for number, start, end in self.candidates(target):
            text = self.lines[number - 1]
            step = self.step(target, text[start:end])
            new = raise_printed(text[start:end], step)
            facts = self.mutant(number, start, end, new)
            if len(facts.claims) != len(self.facts.claims):
                continue
            mutated = {claim_key(c, facts.claims): c for c in facts.claims}.get(wanted)
            if mutated is not None and value_in(target, mutated) == target.raised(step):
                return number, start, end, new
        return None

    def judge(self, mutation: Mutation, facts: Facts) -> None:
        # forms (绩效目标表) are read as claims too: only amount tables must stay put
        amounts = lambda tables: [t for t in tables if t.columns]  # noqa: E731
        assert amounts(facts.tables) == amounts(self.facts.tables), "a narrative edit changed a table"
        new = [f for f in check_facts(facts, self.rules)
               if (f.rule, f.severity, f.message) not in self.baseline]
        mutation.errors = [f for f in new if f.severity == "error"]
        mutation.lower = [f for f in new if f.severity != "error"]


def survey(name: str, mutator: Mutator, targets: Iterable[Target]) -> Survey:
    """Every target located, each place edited once, read back and judged."""
    by_place: dict = {}
    unlocated = []
    for target in targets:
        place = mutator.locate(target)
        if place is None:
            unlocated.append(target)
            continue
        number, start, end, new = place
        if (number, start, end) not in by_place:
            text = mutator.lines[number - 1]
            by_place[(number, start, end)] = Mutation(number, text[start:end], new)
        by_place[(number, start, end)].targets.append(target)
    for (number, start, end), mutation in by_place.items():
        mutation.facts = mutator.mutant(number, start, end, mutation.new)
        mutator.judge(mutation, mutation.facts)
    plain = Counter((m.line, m.targets[0].label, m.old) for m in by_place.values())
    for mutation in by_place.values():
        line, label, old = mutation.line, mutation.targets[0].label, mutation.old
        # one line may print the same number twice for the same role ("0 万元" five
        # times in 十): name such numbers by their item or subject
        mutation.key = (line, label if plain[(line, label, old)] == 1 else
                        f"{label}[{mutation.name}]", old)
    return Survey(name, list(by_place.values()), unlocated, facts=mutator.facts)


def listing(mutations) -> str:
    return "\n".join(f"  {m.describe()} {sorted({f.rule for f in m.errors})}" for m in mutations)


def summary(result: Survey, reasons: dict) -> str:
    """Targets, caught, coverage and the uncaught ones grouped by their reason."""
    out = [f"{result.name}: targets {len(result.mutations)}, caught {result.caught}, "
           f"coverage {result.coverage()}, unlocated {len(result.unlocated)}"]
    out += [f"  no target: {count} {why}" for why, count in sorted(result.left_out.items())]
    out += [f"  unlocated: {t.claim.line} {t.label} {t.claim.subject!r} {t.value}"
            for t in result.unlocated]
    groups: dict = {}
    for key, mutation in sorted(result.uncaught.items()):
        groups.setdefault(reasons.get(key, "(not listed)"), []).append(mutation)
    for reason, mutations in groups.items():
        out.append(f"  [{len(mutations)}] {reason}")
        out += [f"      {m.describe()}" for m in mutations]
    return "\n".join(out)


# ---------------------------------------------------------------- corpus documents

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def corpus_input(files: tuple[str, ...]):
    """One corpus file, or a narrative and its tables file as one pairing.Paired."""
    from budgetaudit.pairing import Paired

    paths = [CORPUS / name for name in files]
    return Paired(*paths) if len(paths) == 2 else paths[0]


def document_survey(name: str, files: tuple[str, ...]) -> Survey:
    """The survey of a corpus document: loaded once, each edit made in memory on
    one line's text, raised by one unit of its last printed digit."""
    from budgetaudit.engine import load_rules
    from budgetaudit.extract.facts import extract_facts
    from budgetaudit.pairing import load_input

    document = load_input(corpus_input(files))
    assert [line.number for line in document.lines] == list(range(1, len(document.lines) + 1))
    facts = extract_facts(document)
    rules = load_rules()
    mutator = Mutator([line.text for line in document.lines], facts, check_facts(facts, rules),
                      rules, document_reader(document), last_digit)
    resolved = resolves_in(facts)
    result = survey(name, mutator, targets_of(facts, resolved, determined=True))
    result.left_out = untargeted(facts, resolved)
    return result
