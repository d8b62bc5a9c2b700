"""The site `publish serve` shows: the web channel built into a temporary folder, rebuilt on change.

Only what changed is rebuilt: an edited article is read and rendered again, with the site-wide
pages (index, feed, sitemap) that list it; a change to publish.yml, to layouts/ or to media
rebuilds the whole site into a fresh folder, so nothing stale is left behind.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.channels import CHANNELS
from pipeline.engine.build import build
from pipeline.engine.options import BuildOptions
from pipeline.engine.output import OutputWriter
from pipeline.errors import PublishError
from pipeline.project.config import CONFIG_NAME
from pipeline.project.folder import Project
from pipeline.source.article import Article

CHANNEL = "web"  # the preview shows the web site; PDFs and email are left to `publish build`


class Preview:
    def __init__(self, project: Project, say: Callable[[str], None]):
        self.project = project
        self.say = say  # tells the terminal what happened
        self.folder = Path(tempfile.mkdtemp(prefix="publish-serve-"))
        self.builds = 0
        self.site_dir = self.folder  # replaced by the first build
        self.articles: dict[Path, Article] = {}
        self.problems: list[str] = []
        self.generation = 0  # goes up after each rebuild; open pages reload when it does
        self.changed = threading.Condition()
        self.closed = False

    def build_all(self) -> None:
        """Build every article into a fresh folder, then show that folder."""
        self.builds += 1
        out = self.folder / f"build-{self.builds}"
        # A preview shows the drafts and scheduled articles too, each marked as a draft.
        options = BuildOptions(channels=(CHANNEL,), out=out, drafts=True)
        report = build(self.project, options)
        self.articles = {article.path: article for article in report.articles}
        old, self.site_dir = self.site_dir, out / "web"
        self.site_dir.mkdir(parents=True, exist_ok=True)
        if old != self.folder:
            shutil.rmtree(old.parent, ignore_errors=True)
        self._finish([str(failure) for failure in report.failures])

    def rebuild(self, paths: Iterable[Path]) -> None:
        """Rebuild after `paths` changed, and tell open pages to reload."""
        paths = set(paths)
        started = time.perf_counter()
        names = ", ".join(sorted(_shown(path, self.project.root) for path in paths))
        articles = {path for path in paths if self._is_article(path)}
        if paths - articles:
            try:
                self.project = Project.load(self.project.root)
            except PublishError as error:
                self._finish([str(error)])
            else:
                self.build_all()
        else:
            self._rebuild_articles(articles)
        self.say(f"Rebuilt after a change to {names} ({time.perf_counter() - started:.2f} s)")
        self.tell_problems()

    def tell_problems(self) -> None:
        for problem in self.problems:
            self.say(f"Error: {problem}")

    def _is_article(self, path: Path) -> bool:
        return (
            path.parent == self.project.source_dir
            and path.suffix == ".md"
            and not path.name.startswith("_")  # included by articles: rebuild them all
        )

    def _rebuild_articles(self, paths: set[Path]) -> None:
        problems: list[str] = []
        present = sorted(path for path in paths if path.is_file())
        for path in paths:  # a deleted article, or one with a new slug, leaves its old page
            gone = self.articles.pop(path, None)
            if gone:
                shutil.rmtree(self.site_dir / gone.slug, ignore_errors=True)
        if present:  # (build() with no sources would build them all)
            options = BuildOptions(tuple(present), (CHANNEL,), self.site_dir.parent, drafts=True)
            report = build(self.project, options)
            self.articles |= {article.path: article for article in report.articles}
            problems += [str(failure) for failure in report.failures]
        try:
            site = CHANNELS[CHANNEL].render_site(list(self.articles.values()), self.project)
        except PublishError as error:
            problems.append(str(error))
        else:
            writer = OutputWriter(self.site_dir.parent)
            for output in site:
                writer.write(output)
        self._finish(problems)

    def _finish(self, problems: list[str]) -> None:
        self.problems = problems
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the generation is not `seen` (or `timeout` seconds); return it."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen or self.closed, timeout)
            return self.generation

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()
        shutil.rmtree(self.folder, ignore_errors=True)


def watched(project: Project) -> list[tuple[Path, bool]]:
    """(path, recursive) pairs to watch: source/ and layouts/ whole, the project folder for
    publish.yml (a file watched on its own is lost when an editor saves by renaming)."""
    folders = [project.source_dir, project.root / "layouts"]
    return [(folder, True) for folder in folders if folder.is_dir()] + [(project.root, False)]


def is_watched(path: Path, project: Project) -> bool:
    """Whether a change to `path` needs a rebuild: not an editor's or a tool's temporary file
    (created and gone again by the time we look), nor anything else in the project folder."""
    if path.parent == project.root:
        return path.name == CONFIG_NAME
    return path.exists() or path.suffix in (".md", ".j2", ".lua", ".css")


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
