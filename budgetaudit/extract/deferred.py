"""Regular expressions from a vocabulary file, compiled where they are first used.

A compiled pattern pickles as its source and is compiled again when the
compiled vocabulary is read back from the cache. The fixed statements of the
narrative vocabulary are long patterns (each number field spells out the
amount syntax), and compiling all of them on every run cost more than reading
the rest of the vocabulary. Most documents use a few of them: each region
words its procurement and vehicle statements its own way.

So a vocabulary pattern is kept as its source and compiled on first use, and
`finditer` over a whole text first asks whether a literal text every match
must hold is in it at all: where it is not, nothing can match and
nothing is compiled. The answer is the same as the compiled pattern's.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

_SPECIAL = frozenset(".^$*+?{}[]|()\\")
_QUANTIFIERS = frozenset("*+?{")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]*[ix]")  # (?i) (?x) …: case or spaces ignored


class DeferredPattern:
    """A pattern compiled on first use; its methods are the compiled pattern's."""

    __slots__ = ("pattern", "flags", "lead", "_compiled")

    def __init__(self, pattern: str, flags: int = 0, compiled: Optional[re.Pattern] = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.lead = required_literal(pattern, flags)
        self._compiled = compiled

    @classmethod
    def checked(cls, pattern: str, flags: int = 0) -> "DeferredPattern":
        """Compiled now, so that a broken pattern is an error where it is written
        (re.error); kept compiled for this process."""
        return cls(pattern, flags, re.compile(pattern, flags))

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def finditer(self, text: str, *bounds: int) -> Iterator[re.Match]:
        if not bounds and self.lead and self.lead not in text:
            return iter(())
        return self.compiled().finditer(text, *bounds)

    def __getattr__(self, name: str):  # search, match, sub, groupindex …
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __reduce__(self):
        return DeferredPattern, (self.pattern, self.flags)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DeferredPattern):
            return NotImplemented
        return (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"DeferredPattern({self.pattern!r})"


def required_literal(pattern: str, flags: int = 0) -> str:
    """The longest literal text every match of ``pattern`` holds ("" when there is
    none, or when it cannot be told safely: an alternative at the top level,
    case-insensitive or verbose matching).

    A run of plain characters outside any group, class or escape, less its last
    character when a quantifier follows ("车辆?" holds "车")."""
    if flags & (re.IGNORECASE | re.VERBOSE) or _INLINE_FLAGS.search(pattern):
        return ""
    best, run, depth, index, size = "", [], 0, 0, len(pattern)

    def ended(quantified: bool) -> str:
        if quantified and run:
            run.pop()
        text = "".join(run)
        run.clear()
        return text if len(text) > len(best) else best

    while index < size:
        char = pattern[index]
        if char not in _SPECIAL:
            if depth == 0:
                run.append(char)
            index += 1
            continue
        if depth == 0:
            best = ended(char in _QUANTIFIERS)
        if char == "\\":
            index += 1
        elif char == "{":  # a count {m,n}: its digits are no text
            closing = pattern.find("}", index)
            index = size if closing < 0 else closing
        elif char == "[":  # a class: "]" right after "[" or "[^" is a member
            index += 1
            if index < size and pattern[index] == "^":
                index += 1
            if index < size and pattern[index] == "]":
                index += 1
            while index < size and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth <= 0:
            return ""  # either side may match alone
        index += 1
    return ended(False) if depth == 0 else best
