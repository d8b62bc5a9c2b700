"""The output folder kept in step with the renders: new outputs written, cached ones put back
where missing or changed, and the outputs no render makes any more taken away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache, Entry, OutputState
from .errors import display_path
from .output import Output, OutputWriter


@dataclass
class Changes:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # outputs already up to date
    removed: list[Path] = field(default_factory=list)  # of deleted articles and such


class Publisher:
    def __init__(
        self,
        cache: Cache,
        out: Path,
        keep_html: bool,
        on_write: Callable[[Path], None],
        on_explain: Callable[[str], None] | None,
    ):
        self.cache, self.out, self.keep_html = cache, out, keep_html
        self.writer = OutputWriter(out)
        self.writer.remove_unfinished()  # left by a build killed mid-write
        self.state = OutputState(cache, out)
        self.on_write, self.on_explain = on_write, on_explain
        self.changes = Changes()
        self.stale: dict[Path, str] = {}  # outputs to remove at the end, and why

    def publish(self, ident: str, entry: Entry, made: list[Output] | None, reason: str) -> None:
        """Write a render's outputs: those just `made` (for `reason`), or else the cached ones
        that are missing or changed on disk."""
        fresh = {output.path: output.data for output in made or []}
        wanted = entry.outputs | (entry.html if self.keep_html else {})
        for path, sha in wanted.items():
            target = self.out / path
            status = "rebuilt" if made is not None else self.state.status(ident, path, sha)
            if status == "unchanged":
                self.changes.unchanged.append(target)
                self.explain(target, "skipped (unchanged)")
                continue
            data = fresh[path] if made is not None else self.cache.get(sha)
            self.changes.written.append(self.writer.write(Output(path, data)))
            self.on_write(target)
            self.explain(target, f"restored ({status})" if made is None else f"rebuilt ({reason})")
        for path in self.state.renders.get(ident, {}).keys() - wanted.keys():
            self.stale[self.out / path] = "no longer made"
        self.state.record(ident, wanted)

    def forget(self, ident: str, reason: str) -> None:
        """A render that is no more (its article was deleted): its outputs go at the end."""
        for path in self.state.renders.pop(ident, {}):
            self.stale[self.out / path] = reason

    def idents(self) -> list[str]:
        return list(self.state.renders)

    def finish(self) -> Changes:
        """Remove the stale outputs no render of this build made again; remember the folder."""
        made = set(self.changes.written) | set(self.changes.unchanged)
        for target, reason in sorted(self.stale.items()):
            if target not in made:
                path = target.relative_to(self.out).as_posix()
                self.changes.removed.append(self.writer.remove(path))
                self.explain(target, f"removed ({reason})")
        self.state.save()
        return self.changes

    def explain(self, target: Path, what: str) -> None:
        if self.on_explain is not None:  # display_path resolves the path: only when asked
            self.on_explain(f"{display_path(target)}: {what}")
