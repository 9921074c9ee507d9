"""Styled lines and the console that writes them: the terminal report without rich.

Importing rich's console takes about a tenth of a whole check of a text file,
and a single document's report needs none of what rich does beyond writing a
few coloured lines: the report already breaks its own lines where Chinese
allows (report.wrap). So a report is a list of ``Styled`` lines (text in spans,
each span with a style such as "bold red"), and ``LineConsole`` writes them,
with the escape codes of those styles when the output is a terminal.

rich is imported when something needs it: the summary table of a batch, the
progress bar, the rule list. ``LineConsole.rich()`` makes a rich console on the
same stream with the same width; from then on every line goes through it, so
lines printed while a progress bar is shown appear above the bar.

Whether the output is a terminal, its width and its colours are decided as
rich decides them (the environment variables TTY_COMPATIBLE, FORCE_COLOR,
NO_COLOR, COLUMNS and TERM), so the output does not depend on which of the two
wrote it.
"""
from __future__ import annotations

import os
import sys

from budgetaudit.report.wrap import cells, wrap_spans

# Select Graphic Rendition codes of the styles the report uses.
SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
COLOURS = {"red", "green", "yellow", "cyan"}
RESET = "\x1b[0m"
# Control characters are dropped from what is written: rich drops bell,
# backspace, vertical tab, form feed and carriage return; escape and the other
# C0 and C1 controls go too, so that text quoted from a hostile document cannot
# move the cursor, retitle the window or write to the clipboard.
_CONTROLS = dict.fromkeys([*range(0, 9), *range(11, 32), 127, *range(128, 160)])


class Styled:
    """One line of text made of (text, style) spans. ``wrap`` False: the line
    is written as it is, however wide (broken already, or better left whole);
    a newline in it still starts a new line."""

    __slots__ = ("spans", "wrap")

    def __init__(self, text: str = "", style: str = "", wrap: bool = True):
        self.spans: list[tuple[str, str]] = [(text, style)] if text else []
        self.wrap = wrap

    @classmethod
    def assemble(cls, *parts) -> "Styled":
        """From strings, (text, style) pairs and Styled lines, in order."""
        line = cls()
        for part in parts:
            if isinstance(part, Styled):
                line.spans.extend(part.spans)
            elif isinstance(part, tuple):
                line.append(*part)
            else:
                line.append(part)
        return line

    def append(self, text: str, style: str = "") -> "Styled":
        if text:
            self.spans.append((text, style))
        return self

    def __add__(self, other: "Styled") -> "Styled":
        line = Styled(wrap=self.wrap and other.wrap)
        line.spans = self.spans + other.spans
        return line

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.spans)

    @property
    def cell_len(self) -> int:
        return sum(map(cells, self.plain))

    def __getitem__(self, part: slice) -> "Styled":
        """The characters ``part`` covers (a slice of the plain text), styles kept."""
        start, stop, _ = part.indices(len(self.plain))
        line, at = Styled(wrap=self.wrap), 0
        for text, style in self.spans:
            end = at + len(text)
            line.append(text[max(start, at) - at:max(min(stop, end), at) - at], style)
            at = end
        return line

    def rstrip(self) -> "Styled":
        """The line without trailing spaces."""
        line = Styled(wrap=self.wrap)
        line.spans = list(self.spans)
        while line.spans:
            text, style = line.spans[-1]
            if text.rstrip(" "):
                line.spans[-1] = (text.rstrip(" "), style)
                break
            line.spans.pop()
        return line

    def broken(self, width: int | None, indent: int = 0, keep: int = 0) -> list["Styled"]:
        """The line cut at its newlines, each piece broken where Chinese allows
        (report.wrap) to fit ``width`` cells (None: not at all) with ``indent``
        spaces before it, never inside its first ``keep`` characters; the
        pieces are final (``wrap`` False) and without trailing spaces."""
        pieces, at = [], 0
        for piece in self.plain.split("\n"):
            chunk = self[at:at + len(piece)]
            if piece and width is not None:
                spans = wrap_spans(piece, width - indent, keep if at == 0 else 0)
            else:
                spans = [(0, len(piece))]
            at += len(piece) + 1
            for start, end in spans:
                pieces.append(Styled(" " * indent, wrap=False) + chunk[start:end].rstrip())
        return pieces

    def render(self, colour: bool, no_colour: bool = False) -> str:
        """The text, each styled span between its escape codes when ``colour``;
        ``no_colour`` keeps bold and dim but drops the colours (NO_COLOR)."""
        if not colour:
            return self.plain.translate(_CONTROLS)
        out = []
        for text, style in self.spans:
            text = text.translate(_CONTROLS)
            codes = [SGR[word] for word in style.split()
                     if word in SGR and not (no_colour and word in COLOURS)]
            out.append(f"\x1b[{';'.join(codes)}m{text}{RESET}" if codes else text)
        return "".join(out)

    def to_rich(self):
        """The same line as a rich Text."""
        from rich.text import Text

        text = Text.assemble(*((part.translate(_CONTROLS), style) for part, style in self.spans))
        if not self.wrap:
            text.no_wrap, text.overflow = True, "ignore"
        return text


class LineConsole:
    """Writes Styled lines to stdout, stderr or a file."""

    def __init__(self, stderr: bool = False, file=None, width: int | None = None,
                 environ=None):
        self.stderr = stderr
        self._file = file
        self._width = width
        self.environ = os.environ if environ is None else environ
        self._rich = None

    @property
    def file(self):
        # looked up at each write, as rich does: a test runner may swap sys.stdout
        if self._file is not None:
            return self._file
        return sys.stderr if self.stderr else sys.stdout

    @property
    def encoding(self) -> str:
        return (getattr(self.file, "encoding", "utf-8") or "utf-8").lower()

    @property
    def is_terminal(self) -> bool:
        compatible = self.environ.get("TTY_COMPATIBLE", "")
        if compatible in ("0", "1"):
            return compatible == "1"
        force = self.environ.get("FORCE_COLOR")
        if force is not None:
            return force != ""
        isatty = getattr(self.file, "isatty", None)
        try:
            return bool(isatty and isatty())
        except ValueError:  # a closed file
            return False

    @property
    def is_dumb_terminal(self) -> bool:
        return self.is_terminal and self._dumb_term()

    def _dumb_term(self) -> bool:
        return self.environ.get("TERM", "").lower() in ("dumb", "unknown")

    @property
    def width(self) -> int:
        if self._width is not None:
            return self._width
        if self.is_dumb_terminal:
            return 80
        width = None
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
                break
            except (AttributeError, ValueError, OSError):
                continue
        columns = self.environ.get("COLUMNS")
        if columns is not None and columns.isdigit():
            width = int(columns)
        return width or 80

    def rich(self):
        """A rich console on the same stream; every later line goes through it."""
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(stderr=self.stderr, file=self._file, width=self._width)
        return self._rich

    def print(self, *lines: Styled) -> None:
        """Each line, broken where it is wider than the console, then a newline;
        no lines: one empty line."""
        colour = self.is_terminal and not self._dumb_term()
        if colour and sys.platform == "win32":
            self.rich()  # a Windows console may want its own calls for colours
        if self._rich is not None:
            from rich.console import Group

            self._rich.print(Group(*(line.to_rich() for line in lines)))
            return
        no_colour = self.environ.get("NO_COLOR", "") != ""
        width = self.width
        out = []
        for line in lines or (Styled(),):
            for part in self._broken(line, width):
                out.append(part.render(colour, no_colour) + "\n")
        file = self.file
        file.write("".join(out))
        file.flush()  # a batch's report is read while later files are checked

    @staticmethod
    def _broken(line: Styled, width: int) -> list[Styled]:
        plain = line.plain
        if "\n" not in plain and (not line.wrap or sum(map(cells, plain)) <= width):
            return [line]
        return line.broken(width if line.wrap else None)  # kept whole: at newlines only
