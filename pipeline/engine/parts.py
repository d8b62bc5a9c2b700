"""One article's work over several workers at once (when there are fewer articles than workers):
the task split into a part per channel, and the parts' Results merged as the whole task would
have given them."""

from __future__ import annotations

import dataclasses

from pipeline.channels import CHANNELS
from pipeline.engine.work import Result, Task


def split(task: Task) -> list[Task] | None:
    """`task` as one task per channel, for workers to run at once. The first part reads the
    article and shares it; the others are given it. The channels that lay out PDFs come last,
    as in one worker (work.py): the quick channels are done first. A channel's PDFs (the print
    shop's and the screen PDF) stay one part: what they share is laid out once. None when there
    is one part only."""
    parts = [
        dataclasses.replace(task, channels=(name,))
        for name in sorted(task.channels, key=lambda name: CHANNELS[name].lays_out)
    ]
    if len(parts) < 2:
        return None
    return [dataclasses.replace(parts[0], shares=True), *parts[1:]]


def merge(parts: list[tuple[Task, Result]]) -> Result:
    """The Result of a task that was `split`, as the whole task would have given it: the
    channels in build order, the first failure as if met in that order (nothing of the
    channels after it)."""
    first = next(result for task, result in parts if task.shares)
    merged = Result(first.index, first.article, first.read_warnings)
    for _, result in parts:
        merged.timings.add(result.timings)
        merged.workers += result.workers
    made = {task.channels[0]: result for task, result in parts}
    for channel in parts[0][0].built:
        if channel not in made:
            continue
        result = made[channel]
        if channel not in result.rendered:  # it failed there
            merged.failing_warnings, merged.error = result.failing_warnings, result.error
            return merged
        merged.rendered[channel] = result.rendered[channel]
    merged.failing_warnings, merged.error = first.failing_warnings, first.error
    return merged
