"""One article's work over several workers at once (when there are fewer articles than workers):
the task split into a part per channel and per piece of a channel, and the parts' Results
merged as the whole task would have given them."""

from __future__ import annotations

import dataclasses

from pipeline.channels import CHANNELS
from pipeline.engine.work import Rendered, Result, Task


def split(task: Task) -> list[Task] | None:
    """`task` as one task per channel, and per piece of a channel that has pieces (the print
    shop's PDF, the screen PDF), for workers to run at once. The first part reads the article
    and shares it; the others are given it. The channels that lay out PDFs come last, as in one
    worker (work.py): the quick channels are done first. None when there is one part only."""
    parts = [
        dataclasses.replace(task, channels=(name,), pieces={name: (piece,)} if piece else {})
        for name in sorted(task.channels, key=lambda name: CHANNELS[name].lays_out)
        for piece in CHANNELS[name].pieces or (None,)
    ]
    if len(parts) < 2:
        return None
    return [dataclasses.replace(parts[0], shares=True), *parts[1:]]


def merge(parts: list[tuple[Task, Result]]) -> Result:
    """The Result of a task that was `split`, as the whole task would have given it: the
    channels in build order, a channel's outputs and warnings in piece order, the first
    failure as if met in that order (nothing of the channels after it)."""
    first = next(result for task, result in parts if task.shares)
    merged = Result(first.index, first.article, first.read_warnings)
    for _, result in parts:
        merged.timings.add(result.timings)
        merged.workers += result.workers
    for channel, results in _by_channel(parts):
        if not _merge_channel(merged, channel, results):
            return merged  # it failed there
    merged.failing_warnings, merged.error = first.failing_warnings, first.error
    return merged


def _by_channel(parts: list[tuple[Task, Result]]) -> list[tuple[str, list[Result]]]:
    """Each channel of the parts, in build order, with its parts' Results in piece order."""
    found = []
    for channel in parts[0][0].built:
        pieces = sorted((part for part in parts if channel in part[0].channels), key=_piece)
        if pieces:
            found.append((channel, [result for _, result in pieces]))
    return found


def _piece(part: tuple[Task, Result]) -> int:
    """A part's place among the pieces of its channel."""
    task, _ = part
    (channel,) = task.channels
    pieces = task.pieces.get(channel, ())
    return CHANNELS[channel].pieces.index(pieces[0]) if pieces else 0


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
