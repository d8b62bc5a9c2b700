"""The build cache in .publish-cache/: outputs stored once by their sha256 (blobs/), one manifest
per article and channel saying what its outputs were made from (entries/), and what each output
folder held after the last build (state/). Every file is written whole or not at all."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.engine.inputs import digest
from pipeline.errors import PublishError, display_path
from pipeline.project.files import inside, remove_unfinished, write_atomic
from pipeline.source.article import Article
from pipeline.timings import timed

try:
    import fcntl
except ImportError:  # Windows: builds of one project are not serialised there
    fcntl = None

CACHE_DIR = ".publish-cache"
_locks: set[int] = set()  # the lock files this process holds open


def _close_locks() -> None:
    """In a forked worker: the build's lock must end with the build, not with the worker."""
    for lock in _locks:
        os.close(lock)
    _locks.clear()


os.register_at_fork(after_in_child=_close_locks)


@dataclass
class Entry:
    """One render (an article in a channel, or a channel's site pages) and what it came from."""

    ident: str
    key: str
    components: dict
    outputs: dict[str, str]  # output path below the output folder -> sha256 of its bytes
    html: dict[str, str] = field(default_factory=dict)  # the same, for `--keep-html`
    warnings: list[str] = field(default_factory=list)
    read_warnings: list[str] = field(default_factory=list)  # reading the article warned these
    used: list[str] = field(default_factory=list)  # the files the render read, by name
    article: str | None = None  # sha256 of the pickled Article (site pages are made from it)
    slug: str | None = None
    # The article's `draft` and `date` (ISO 8601), which decide its publication state.
    schedule: list | None = None


class Cache:
    def __init__(self, root: Path):
        self.folder = root / CACHE_DIR
        self.templates = self.folder / "templates"  # compiled (templates.CompiledTemplates)
        self._entries: dict[str, Entry] = {}  # by file name: read or written by this build

    @contextlib.contextmanager
    def locked(self):
        """Hold the project's build lock: two builds at once would fight over the same files."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.folder / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise PublishError(
                f"cannot keep the build cache in {display_path(self.folder)}: {error.strerror}",
                hint="Build in a folder you can write to",
            ) from error
        _locks.add(lock)
        try:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)  # waits for a build already under way
            remove_unfinished(self.folder)  # left by a build that was killed mid-write
            yield self
        finally:
            _locks.discard(lock)
            os.close(lock)

    def put(self, data: bytes) -> str:
        sha = digest(data)
        blob = self._blob(sha)
        try:
            whole = blob.stat().st_size == len(data)
        except OSError:
            whole = False
        if not whole:  # (a blob cut short is written again)
            write_atomic(blob, data)
        return sha

    def get(self, sha: str) -> bytes:
        """The bytes stored under `sha`, checked against it: a damaged blob is deleted, and
        Damaged raised (the caller makes the output again)."""
        try:
            data = self._blob(sha).read_bytes()
        except OSError as error:
            raise Damaged(sha) from error
        if digest(data) != sha:
            self._blob(sha).unlink(missing_ok=True)
            raise Damaged(sha)
        return data

    def verify(self, sha: str) -> bool:
        """Whether the blob `sha` is whole (read and hashed; a damaged one is deleted)."""
        try:
            self.get(sha)
        except Damaged:
            return False
        return True

    def has(self, sha: str) -> bool:
        # os.path, not pathlib: a no-op build of N articles asks this about 11 N times.
        return os.path.isfile(os.path.join(self.folder, "blobs", sha[:2], sha))

    def put_article(self, article: Article) -> str:
        """Keep what the site pages need of `article` (its `listing()`)."""
        return self.put(pickle.dumps(article.listing(), protocol=pickle.HIGHEST_PROTOCOL))

    def get_article(self, sha: str, path: Path) -> Article:
        """A cached article's listing, where it is now (the project may have moved since).
        Damaged when the blob does not match its hash, or does not unpickle to an Article."""
        data = self.get(sha)
        # Only this cache writes these files, keyed by publish's own code, and the bytes are
        # those it wrote (their hash): safe to unpickle.
        try:
            article = pickle.loads(data)
        except Exception as error:  # an Article of an older publish, say: made again
            raise Damaged(sha) from error
        if not isinstance(article, Article):
            raise Damaged(sha)
        return dataclasses.replace(article, path=path)

    def load(self, ident: str) -> Entry | None:
        """The entry for `ident`, if it is complete (a missing blob makes it a miss)."""
        with timed("cache"):
            path = self._entry(ident)
            entry = _read_entry(path)
            if entry is None:
                return None
            self._entries[path.name] = entry
            blobs = [*entry.outputs.values(), *entry.html.values()]
            blobs += [entry.article] if entry.article else []
            return entry if all(self.has(sha) for sha in blobs) else None

    def store(self, entry: Entry) -> None:
        """Write the entry after its blobs, so an entry never names a blob that is not there."""
        with timed("cache"):
            path = self._entry(entry.ident)
            write_atomic(path, json.dumps(asdict(entry), indent=1).encode())
            self._entries[path.name] = entry

    def forget(self, ident: str) -> None:
        path = self._entry(ident)
        path.unlink(missing_ok=True)
        self._entries.pop(path.name, None)

    def prune(self) -> None:
        """Delete the blobs no entry names any more (outputs of old versions). The entries this
        build read or wrote are not read again: the build lock kept others from changing them."""
        with timed("cache"):
            named: set[str] = set()
            for path in (self.folder / "entries").glob("*.json"):
                if entry := self._entries.get(path.name) or _read_entry(path):
                    named.update(entry.outputs.values(), entry.html.values())
                    named.update([entry.article] if entry.article else [])
            for blob in (self.folder / "blobs").glob("*/*"):
                if blob.name not in named:
                    blob.unlink(missing_ok=True)

    def _blob(self, sha: str) -> Path:
        return self.folder / "blobs" / sha[:2] / sha

    def _entry(self, ident: str) -> Path:
        return self.folder / "entries" / f"{digest(ident.encode())[:32]}.json"


class Damaged(Exception):
    """A blob of the cache is not what its hash says (cut short, overwritten, unreadable)."""


# The type of each field of an Entry, as its JSON file must hold it.
ENTRY_FIELDS = {
    "ident": str, "key": str, "components": dict, "outputs": dict, "html": dict,
    "warnings": list, "read_warnings": list, "used": list, "article": (str, type(None)),
    "slug": (str, type(None)), "schedule": (list, type(None)),
}  # fmt: skip


def _read_entry(path: Path) -> Entry | None:
    """The entry in file `path`; None if there is none, or one damaged or an older publish
    wrote (a miss: the output is made again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = Entry(**data)
    except (OSError, ValueError, TypeError):
        return None
    if not all(isinstance(data.get(name), kind) for name, kind in ENTRY_FIELDS.items()):
        return None
    texts = [*entry.outputs, *entry.outputs.values(), *entry.html, *entry.html.values()]
    texts += [*entry.warnings, *entry.read_warnings, *entry.used]
    if not all(isinstance(text, str) for text in texts):
        return None
    return entry if all(inside(path) for path in [*entry.outputs, *entry.html]) else None


class Articles(Sequence):
    """The articles of a build, those from the cache read only when asked for: a build with
    nothing to do never reads them, and a big site does not hold them all for nothing."""

    def __init__(self):
        self._items: list[Article | Callable[[], Article]] = []

    def append(self, article: Article | Callable[[], Article]) -> None:
        self._items.append(article)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if callable(self._items[index]):
            self._items[index] = self._items[index]()
        return self._items[index]
