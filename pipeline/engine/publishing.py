"""The output folder kept in step with the renders: new outputs written, cached ones put back
where missing or changed, and the outputs no render makes any more taken away."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.channels.base import Output
from pipeline.engine.cache import Cache, Damaged, Entry
from pipeline.engine.inputs import digest
from pipeline.engine.output import OutputWriter
from pipeline.errors import PublishError, display_path
from pipeline.project.files import inside, write_atomic
from pipeline.timings import timed


class OutputState:
    """What an output folder held after the last build: for each render, its files with their
    sha256, size and time, so an unchanged file is known by its size and time alone."""

    def __init__(self, cache: Cache, out: Path):
        self.out = out
        self.path = self.file(cache, out)
        try:
            renders = json.loads(self.path.read_text())["renders"]
        except (OSError, ValueError, KeyError, TypeError):
            renders = {}
        self.renders: dict[str, dict[str, list]] = renders if _state_shaped(renders) else {}

    @staticmethod
    def file(cache: Cache, out: Path) -> Path:
        return cache.folder / "state" / f"{digest(str(out.resolve()).encode())[:16]}.json"

    @classmethod
    def forget(cls, root: Path, out: Path) -> None:
        """Forget the output folder `out` (a temporary one, removed: publish serve's)."""
        with Cache(root).locked() as cache:
            cls.file(cache, out).unlink(missing_ok=True)

    def status(self, ident: str, path: str, sha: str) -> str:
        """'unchanged', 'missing' or 'modified': the file on disk against what it should hold."""
        target = self.out / path
        try:
            stat = target.stat()
        except OSError:
            return "missing"
        known = self.renders.get(ident, {}).get(path)
        if known == [sha, stat.st_size, stat.st_mtime_ns]:
            return "unchanged"
        with timed("cache"):
            same = digest(target.read_bytes()) == sha
        return "unchanged" if same else "modified"

    def record(self, ident: str, outputs: dict[str, str]) -> None:
        """Remember the files of a render as they are now on disk."""
        found = {}
        for path, sha in outputs.items():
            stat = (self.out / path).stat()
            found[path] = [sha, stat.st_size, stat.st_mtime_ns]
        self.renders[ident] = found

    def save(self) -> None:
        with timed("cache"):
            state = {"out": str(self.out), "renders": self.renders}
            write_atomic(self.path, json.dumps(state).encode())


def _state_shaped(renders) -> bool:
    """Whether a state file holds what OutputState writes (else it is damaged: forgotten)."""
    return isinstance(renders, dict) and all(
        isinstance(files, dict)
        and all(
            isinstance(path, str) and inside(path) and isinstance(known, list)
            for path, known in files.items()
        )
        for files in renders.values()
    )


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
            data = fresh[path] if made is not None else self.restore(sha, target)
            self.changes.written.append(self.writer.write(Output(path, data)))
            self.on_write(target)
            self.explain(target, f"restored ({status})" if made is None else f"rebuilt ({reason})")
        for path in self.state.renders.get(ident, {}).keys() - wanted.keys():
            self.stale[self.out / path] = "no longer made"
        self.state.record(ident, wanted)

    def damaged(self, ident: str, entry: Entry) -> list[str]:
        """The outputs of a cached render that are to be put back from the cache, but whose
        stored bytes do not match their hash (their render is made again)."""
        wanted = entry.outputs | (entry.html if self.keep_html else {})
        return [
            path
            for path, sha in wanted.items()
            if self.state.status(ident, path, sha) != "unchanged" and not self.cache.verify(sha)
        ]

    def forget(self, ident: str, reason: str) -> None:
        """A render that is no more (its article was deleted): its outputs go at the end."""
        for path in self.state.renders.pop(ident, {}):
            self.stale[self.out / path] = reason

    def forget_deleted(self, current: set[str], channels: list[str]) -> list[str]:
        """Forget the renders in `channels` of the articles not `current` (deleted from
        source/): their outputs go at the end, their cache entries now. Those forgotten."""
        gone = []
        for ident in list(self.state.renders):
            name, channel = ident.rsplit("|", 1)
            if name != "site" and name not in current and channel in channels:
                self.forget(ident, "article deleted")
                self.cache.forget(ident)
                gone.append(ident)
        return gone

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

    def restore(self, sha: str, target: Path) -> bytes:
        try:
            return self.cache.get(sha)
        except Damaged as error:  # after the build checked it: something else writes there
            raise PublishError(
                f"cannot put back {display_path(target)}: its copy in the build cache was "
                "damaged during this build",
                hint="Build again; make sure no other program writes to .publish-cache/",
            ) from error

    def explain(self, target: Path, what: str) -> None:
        if self.on_explain is not None:  # display_path resolves the path: only when asked
            self.on_explain(f"{display_path(target)}: {what}")
