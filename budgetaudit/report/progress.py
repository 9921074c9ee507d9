"""The batch progress bar (rich.progress is imported by batches only: a single
document's check does without it)."""
from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from budgetaudit.report.terminal import LABELS


def make_progress(console: Console, total: int, lang: str = "zh", extra=()) -> Progress:
    """A batch progress bar with one task (``progress.task_ids[0]``) of ``total`` steps.

    Use as a context manager; it is disabled when ``console`` is not a terminal
    and disappears once finished.
    """
    progress = Progress(
        TextColumn("{task.description}", style="progress.description", markup=False),
        *extra,
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    progress.add_task(LABELS[lang]["progress"], total=total)
    return progress


class BatchProgress:
    """The batch progress bar: files done, and the file in progress, with its
    time (counted while the bar refreshes) once it takes long, so a slow file
    is named."""

    SLOW_SECONDS = 5.0

    def __init__(self, console: Console, total: int, lang: str = "zh"):
        self.running: tuple = ()
        self.lang = lang
        self.progress = make_progress(console, total, lang, extra=(_SlowColumn(self),))
        self.task = self.progress.task_ids[0]

    def __enter__(self) -> "BatchProgress":
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def tick(self, running) -> None:
        """``running``: the files in progress (``batch.InProgress``)."""
        self.running = tuple(running)
        label = LABELS[self.lang]["progress"]
        if running:
            label = f"{label} {self.slowest().path}"
        self.progress.update(self.task, description=label)

    def slowest(self):
        return max(self.running, key=lambda job: job.seconds, default=None)

    def slow_note(self) -> str:
        """"（已 12 秒）" while the slowest file in progress has taken long, else ""."""
        job = self.slowest()
        if job is None or job.seconds < self.SLOW_SECONDS:
            return ""
        return LABELS[self.lang]["slow"].format(job.seconds)

    def emitting(self, emit):
        """``emit`` that also advances the bar."""
        def advance_after(result) -> None:
            emit(result)
            self.progress.advance(self.task)
        return advance_after


class _SlowColumn(ProgressColumn):
    def __init__(self, bar: BatchProgress):
        super().__init__()
        self.bar = bar

    def render(self, task) -> Text:
        return Text(self.bar.slow_note(), style="yellow")
