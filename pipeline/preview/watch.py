"""What publish serve watches (source/, layouts/, publish.yml) and what a change to each means."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from pipeline.project.config import CONFIG_NAME
from pipeline.project.folder import Project

BACKUP = ("~", ".swp", ".swx", ".tmp", ".bak")  # editors' copies, never the project's files
FOLDERS = ("source", "layouts")  # watched whole, from the moment they are there


@dataclass
class Change:
    """What one batch of file events changed."""

    articles: set[Path] = field(default_factory=set)  # source/*.md, written or deleted
    config: bool = False  # publish.yml
    layouts: bool = False  # layouts/ or a file in it
    files: bool = False  # another file of source/ (a picture, a file articles include)

    def __bool__(self) -> bool:
        return bool(self.articles) or self.config or self.layouts or self.files

    @classmethod
    def of(cls, paths: set[Path], project: Project) -> Change:
        change = cls()
        layouts = project.root / "layouts"
        for path in paths:
            if path.name.startswith(".") or path.name.endswith(BACKUP):
                continue
            if path == layouts or path.is_relative_to(layouts):
                change.layouts = True
            elif path.parent == project.root:
                change.config |= path.name == CONFIG_NAME
            elif path.parent == project.source_dir and _article(path):
                change.articles.add(path.resolve())
            elif path.is_relative_to(project.source_dir):
                change.files = True
        return change


def _article(path: Path) -> bool:
    """An article of source/ (not a file articles include: `_shared.md` is read by others)."""
    return path.suffix == ".md" and not path.name.startswith("_")


class Watcher:
    """Watches the project in background threads until `stop` is set: the project folder for
    publish.yml (a file watched on its own is lost when an editor saves by renaming) and for
    source/ and layouts/ coming and going; those two whole. Each batch of changes goes to
    `on_change`."""

    def __init__(self, project: Project, on_change: Callable[[Change], None]):
        self.project, self.on_change = project, on_change
        self.stop = threading.Event()
        self.watched: set[Path] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        self._start(self.project.root, recursive=False)
        for name in FOLDERS:
            self._start(self.project.root / name, recursive=True)

    def _start(self, folder: Path, recursive: bool) -> None:
        with self.lock:
            if folder in self.watched or not folder.is_dir():
                return
            self.watched.add(folder)
        threading.Thread(target=self._watch, args=(folder, recursive), daemon=True).start()

    def _watch(self, folder: Path, recursive: bool) -> None:
        try:
            for batch in watchfiles.watch(
                folder, recursive=recursive, stop_event=self.stop, rust_timeout=500
            ):
                paths = {Path(name) for _, name in batch}
                for path in paths & {self.project.root / name for name in FOLDERS}:
                    self._start(path, recursive=True)  # (made after the studio started)
                change = Change.of(paths, self.project)
                if change:
                    self.on_change(change)
        except (OSError, RuntimeError):  # the folder was deleted: watched again if it returns
            pass
        finally:
            with self.lock:
                self.watched.discard(folder)
