"""Read one article: its front matter validated, its body parsed once by pandoc, made safe, its
pictures found; every problem on the way collected with its file and line."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import PublishError, warn
from pipeline.project.config import Config
from pipeline.project.schema import unknown_key_problems, validation_problems
from pipeline.project.yaml_reader import load_yaml
from pipeline.source import ast as pandoc_ast
from pipeline.source import conditional, includes, links
from pipeline.source.body import parse_body, variable_data
from pipeline.source.excerpt import read_excerpt
from pipeline.source.files import read_text, split_front_matter
from pipeline.source.front_matter import FrontMatter
from pipeline.source.language import language_problems
from pipeline.source.media import hero_media, resolve_media
from pipeline.source.problems import ERROR, NOTE, WARNING, Problem
from pipeline.source.referencing import referenced
from pipeline.source.remote_images import remote_image_problems
from pipeline.source.rules import body_rules, front_matter_rules, heading_line
from pipeline.source.sanitize import sanitize
from pipeline.source.schedule import PUBLISHED, State, publication_state, state_notes, today
from pipeline.source.site import project_site
from pipeline.source.sources import articles_in, slug_of

WHAT = "front matter"


@dataclass(frozen=True)
class Article:
    path: Path
    meta: FrontMatter
    ast: dict
    slug: str
    lang: str
    # Image target as written in the source -> the file inside the project it names.
    media: dict[str, Path] = field(default_factory=dict)
    # `brochure.excerpt` from the front matter, parsed: the copy of a tri-fold.
    excerpt: dict | None = None
    # The other articles its links reach: their anchors decided its warnings.
    depends: tuple[Path, ...] = ()
    # The files its text is made of besides its own: included files, bibliographies, its
    # citation style (the build cache's inputs of every output of it).
    files: tuple[Path, ...] = ()
    # Published, a draft, or scheduled until its date (schedule.py), on the day it was read.
    state: State = PUBLISHED
    # Channel -> its body, each selected once (`ast_for`).
    _bodies: dict[str, dict] = field(default_factory=dict, compare=False, repr=False)
    # What a channel worked out once for later (`kept`); it travels and is cached with the article.
    _kept: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)
    # False for a `listing()`: the front matter and what was kept, not the body.
    complete: bool = field(default=True, compare=False, repr=False)

    def listing(self) -> Article:
        """A light copy for the site pages (index, feed, sitemap), as the build cache keeps it:
        the front matter and what was kept (the feed's copy of the body), not the body itself.
        It is a sixteenth of the size, and reads back in a hundredth of the time."""
        return dataclasses.replace(
            self, ast={}, excerpt=None, _bodies={}, _kept=dict(self._kept), complete=False
        )

    def ast_for(self, channel: str) -> dict:
        """The body as `channel` shows it: its conditional content selected.

        The screen PDF shows what print shows (`conditional.SHOWN_AS`). Do not change the result:
        it is shared by every later call.
        """
        if not self.complete:
            raise RuntimeError(f"{self.path}: a listing has no body: read the article again")
        shown_as = conditional.SHOWN_AS.get(channel, channel)
        if shown_as not in self._bodies:
            # Hiding a section can leave a gap in the heading levels: close it per channel.
            selected = conditional.select(self.ast, shown_as)
            self._bodies[shown_as] = pandoc_ast.close_heading_gaps(selected)
        return self._bodies[shown_as]

    def kept(self, key: tuple, make: Callable[[], Any]) -> Any:
        """`make()`, worked out once per `key` and kept with the article. A worker makes in
        parallel what the site pages need later (the feed's copy of the body), and the main
        process, given the article back or from the cache, reuses it. `key` must name all that
        the result depends on beyond the article itself."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]

    @property
    def headings(self) -> list[pandoc_ast.Heading]:
        """Every heading of the source, whatever channel shows it."""
        return pandoc_ast.headings(self.ast)

    def headings_for(self, channel: str) -> list[pandoc_ast.Heading]:
        """The headings `channel` shows (for its table of contents)."""
        return pandoc_ast.headings(self.ast_for(channel))


@dataclass
class Reading:
    """An article as far as it could be read, and every problem found on the way, in the
    order it was found. `article` is None when any of them is an error."""

    path: Path
    slug: str
    text: str = ""
    data: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    ast: dict | None = None  # the body, made safe; its heading levels as written
    article: Article | None = None
    problems: list[Problem] = field(default_factory=list)
    state: State = PUBLISHED
    expanded: includes.Expanded | None = None  # the text with its includes in place
    files: tuple[Path, ...] = ()  # see Article.files
    excerpt: dict | None = None  # `brochure.excerpt`, read (excerpt.py)

    @property
    def failed(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

    def say(self, severity: str, problem: PublishError) -> None:
        self.problems.append(Problem.of(problem, severity))

    def warn(self, message: str, path: Path, line: int | None) -> None:
        self.problems.append(Problem(WARNING, message, path, line))


def read(
    path: Path,
    root: Path,
    config: Config,
    channels: Collection[str],
    site: links.Site | None = None,
    day: date | None = None,
) -> Reading:
    """Read `path` (of the project in `root`) as far as it can be read. `channels`: the names
    conditional content may give; `site`: the articles its links may reach (default: those of
    root/source/); `day`: today, for its publication state (default: the clock's, in the
    site's time zone)."""
    site = site or project_site(root, config, articles_in(root / "source"))
    reading = Reading(path, slug_of({}, path))
    _read(reading, root, config, channels, site, day)
    reading.problems = [
        includes.traced(problem, reading.expanded, path) for problem in reading.problems
    ]
    return reading


def _read(
    reading: Reading,
    root: Path,
    config: Config,
    channels: Collection[str],
    site: links.Site,
    day: date | None,
) -> None:
    path = reading.path
    try:
        reading.expanded = includes.expand(read_text(path, root), path, root)
        reading.text = reading.expanded.text
        meta_text, meta_line, body, body_line = split_front_matter(reading.text, path)
        data, reading.lines = load_yaml(meta_text, path, first_line=meta_line)
    except PublishError as error:
        reading.say(ERROR, error)
        return
    reading.data = data if isinstance(data, dict) else {}
    reading.slug = slug_of(reading.data, path)
    meta = _front_matter(reading, data)
    reading.problems += front_matter_rules(reading.data, reading.lines, path)
    lang = reading.data.get("lang") or config.site.language
    lang = lang if isinstance(lang, str) else config.site.language
    for problem in language_problems(lang, config, path, reading.lines.get(("lang",))):
        reading.say(WARNING, problem)
    if meta is not None:
        zone = config.site.timezone
        reading.state = publication_state(meta, today(zone, day), zone)
        reading.problems += state_notes(reading.state, path, reading.lines)
    variables = variable_data(config, reading.data, reading.slug, lang)
    try:
        tree, unknown = parse_body(body, body_line, variables, path, lang)
    except PublishError as error:
        reading.say(ERROR, error)
        return
    for problem in [*unknown, *conditional.problems(tree, reading.text, path, channels)]:
        reading.say(ERROR, problem)
    tree = _without_repeated_title(reading, tree)
    tree = sanitize(tree, path, reading.text, warn=reading.warn)
    reading.ast, written_as = links.to_pages(tree, path, site)
    reading.problems += body_rules(reading.ast, reading.text, path)
    image = reading.data.get("image")
    hero = image if isinstance(image, str) else None
    for problem in remote_image_problems(reading.ast, hero, path, reading.text):
        reading.say(WARNING, problem)
    resolved = referenced(
        reading.ast, meta, config, (root, path), (reading.text, reading.lines), lang
    )
    reading.ast, problems, files = resolved
    for problem in problems:
        reading.say(ERROR, problem)
    reading.files = (*reading.expanded.files, *files)
    if meta is not None and meta.brochure.excerpt and not reading.failed:
        _read_excerpt(reading, meta, config, root, lang)
    _finish(reading, meta, root, lang, (site, written_as))


def _without_repeated_title(reading: Reading, tree: dict) -> dict:
    """The body without its first heading when that repeats the title (a README pasted with
    its own `# Title`): the title is every channel's heading already."""
    title = reading.data.get("title")
    first = next(pandoc_ast.elements(tree, "Header"), None)
    if not isinstance(title, str) or first is None or first not in tree["blocks"]:
        return tree  # (a heading inside a div or a list is not the document's own)
    if _words(pandoc_ast.stringify(first["c"][2])) != _words(title):
        return tree
    reading.problems.append(
        Problem(
            NOTE,
            "the first heading repeats the title, so it is left out (the title heads every "
            "channel)",
            reading.path,
            heading_line(reading.text, pandoc_ast.stringify(first["c"][2])),
        )
    )
    trimmed = {**tree, "blocks": [block for block in tree["blocks"] if block is not first]}
    return pandoc_ast.normalize_headings(trimmed, close_gaps=False)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _front_matter(reading: Reading, data: Any) -> FrontMatter | None:
    """The validated front matter, or None; its problems told to `reading`."""
    path, lines = reading.path, reading.lines
    invalid = validation_problems(FrontMatter, data, path, lines, WHAT)
    for problem in invalid:
        reading.say(ERROR, problem)
    for problem in unknown_key_problems(FrontMatter, data, path, lines, WHAT):
        reading.say(WARNING, problem)
    return None if invalid else FrontMatter.model_validate(data or {})


def _finish(
    reading: Reading,
    meta: FrontMatter | None,
    root: Path,
    lang: str,
    linking: tuple[links.Site, dict[str, str]],
) -> None:
    """Find the pictures, check the links; make the Article when nothing was wrong."""
    path, text = reading.path, reading.text
    tree = pandoc_ast.normalize_headings(reading.ast)
    tree, media = resolve_media(tree, path, root, text, reading.say)
    image = reading.data.get("image")
    media |= hero_media(image if isinstance(image, str) else None, path, root, text, reading.say)
    site, written_as = linking
    pictures = set(media.values())
    for problem in links.problems(
        reading.ast, path, reading.slug, text, site, pictures, written_as
    ):
        reading.say(WARNING, problem)
    if meta is None or reading.failed:
        return
    excerpt = None
    if reading.excerpt is not None:
        excerpt, more = resolve_media(reading.excerpt, path, root, text, reading.say)
        media |= more
    if not reading.failed:
        depends = tuple(sorted(links.linked(reading.ast, reading.slug, site)))
        reading.article = Article(
            path, meta, tree, reading.slug, lang, media, excerpt, depends, reading.files,
            reading.state,
        )  # fmt: skip


def _read_excerpt(reading: Reading, meta: FrontMatter, config: Config, root: Path, lang: str):
    """Read the tri-fold's copy into `reading.excerpt`; its problems told, the files its
    citations came from added to the article's."""
    paths, text = (root, reading.path), (reading.text, reading.lines)
    tree, problems, files = read_excerpt(meta, config, paths, text, lang, reading.warn)
    for problem in problems:
        reading.say(ERROR, problem)
    reading.excerpt = tree
    reading.files = tuple(dict.fromkeys((*reading.files, *files)))


def read_article(
    path: Path,
    root: Path,
    config: Config,
    channels: Collection[str],
    site: links.Site | None = None,
    day: date | None = None,
) -> Article:
    """Read `path` into an Article, or raise PublishError saying what to fix. Its warnings
    are told with warn() (`--strict` fails the article for them)."""
    reading = read(path, root, config, channels, site, day)
    for problem in reading.problems:
        if problem.severity == ERROR:
            raise problem.error()
        if problem.severity == NOTE:
            continue  # for `publish check`: it changed nothing the writer must act on
        said = f"{problem.message}. {problem.hint}" if problem.hint else problem.message
        warn(said, problem.path, problem.line)  # as `publish check` says it
    return reading.article
