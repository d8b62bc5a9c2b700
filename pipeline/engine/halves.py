"""One article's work over two workers at once (when there are fewer articles than workers):
the task split in two, and the two Results merged as the whole task would have given them."""

from __future__ import annotations

import dataclasses

from pipeline.channels import CHANNELS
from pipeline.engine.work import Rendered, Result, Task


def split(task: Task) -> tuple[Task, Task] | None:
    """`task` as two tasks for two workers at once, when one of its channels has pieces: the
    first reads the article, renders the channels before that one and all but its last piece,
    and shares the article; the second, given the article, renders the last piece and the
    channels after it (the email, say, while the first makes the web page). None when nothing
    splits."""
    for at, name in enumerate(task.channels):
        pieces = CHANNELS[name].pieces
        if len(pieces) > 1:
            first = dataclasses.replace(
                task, channels=task.channels[: at + 1], pieces={name: pieces[:-1]}, shares=True
            )
            second = dataclasses.replace(
                task, channels=task.channels[at:], pieces={name: pieces[-1:]}
            )
            return first, second
    return None


def merge(first: tuple[Task, Result], second: tuple[Task, Result]) -> Result:
    """The Result of a task that was `split`, as the whole task would have given it: the
    channels in order, the split one's outputs and warnings in piece order, the first failure
    as if met in that order (nothing of the channels after it)."""
    halves = (first, second)
    (task, one), (later, other) = halves
    merged = Result(one.index, one.article, one.read_warnings, workers=one.workers + other.workers)
    for _, result in halves:
        merged.timings.add(result.timings)
    for channel in dict.fromkeys(task.channels + later.channels):
        parts = [result for half, result in halves if channel in half.channels]
        if not _merge_channel(merged, channel, parts):
            return merged  # it failed there
    merged.failing_warnings, merged.error = one.failing_warnings, one.error
    return merged


def _merge_channel(merged: Result, channel: str, parts: list[Result]) -> bool:
    """Add one channel's parts to `merged`; False, with its failure, when a part failed."""
    done = [result.rendered[channel] for result in parts if channel in result.rendered]
    if len(done) == len(parts):
        merged.rendered[channel] = _joined(done)
        return True
    failed = next(result for result in parts if channel not in result.rendered)
    said = [warning for part in done for warning in part.warnings]
    merged.failing_warnings = _once(said + failed.failing_warnings)
    merged.error = failed.error
    return False


def _joined(parts: list[Rendered]) -> Rendered:
    return Rendered(
        [output for part in parts for output in part.outputs],
        _once([warning for part in parts for warning in part.warnings]),
        sorted({path for part in parts for path in part.read}),
        [output for part in parts for output in part.html],
    )


def _once(warnings: list[str]) -> list[str]:
    """Each warning once, as one worker would have said it (errors.warn)."""
    return list(dict.fromkeys(warnings))
