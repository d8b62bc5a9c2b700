"""Read one article: split and validate its front matter, parse its body once with pandoc."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    field_validator,
    model_validator,
)

from pipeline.errors import PublishError, raise_first, warn
from pipeline.project.config import Config
from pipeline.project.schema import Model, load_yaml, validate
from pipeline.project.text import FORBIDDEN, WORD_BREAKS, header_problem, unreadable
from pipeline.source import ast as pandoc_ast
from pipeline.source import conditional, links, pandoc
from pipeline.source.body import parse_body, variable_data
from pipeline.source.pictures import check_picture
from pipeline.source.sanitize import sanitize

MAX_BYTES = 1_000_000  # of an article's file: a long book
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def _moment(value: object) -> date | datetime:
    if isinstance(value, date):  # datetime is a date too
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("expected a date such as 2026-11-25 (ISO 8601)")


def _slug(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise ValueError(
            "expected lowercase letters, digits and single hyphens, such as "
            "'pain-relief' (the slug names the page's folder)"
        )
    return value


def _listed(value: object) -> object:
    return [value] if isinstance(value, str) else value


Moment = Annotated[date | datetime, PlainValidator(_moment)]


class BrochureOptions(Model):
    """`brochure:` in the front matter: this article's print layout and its shorter copy."""

    layout: Literal["booklet", "trifold"] | None = None
    excerpt: str | None = None


class FrontMatter(Model):
    title: str
    summary: str
    date: Moment
    updated: Moment | None = None
    author: str | None = None
    tags: Annotated[list[str], BeforeValidator(_listed)] = []
    # The slug names output folders and files: lowercase words and hyphens only, never a path.
    slug: Annotated[str | None, AfterValidator(_slug)] = None
    lang: str | None = None
    image: str | None = None
    image_alt: str | None = None
    subject: str | None = None
    reviewed_by: str | None = None
    last_reviewed: Moment | None = None
    brochure: BrochureOptions = BrochureOptions()

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank: every channel shows it")
        return value

    @field_validator("title", "subject")
    @classmethod
    def _fits_a_header(cls, value: str | None) -> str | None:
        # The subject, else the title, is the email's Subject header.
        problem = value and header_problem(value, "Subject")
        if problem:
            raise ValueError(problem[0])
        return value

    @model_validator(mode="after")
    def _image_needs_alt(self) -> FrontMatter:
        if self.image and not (self.image_alt or "").strip():
            raise ValueError(
                "'image_alt' is required when 'image' is given: describe the "
                "picture for readers who cannot see it"
            )
        return self


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


def read_article(path: Path, root: Path, config: Config) -> Article:
    """Read `path` into an Article, or raise PublishError saying what to fix."""
    text = read_text(path, root)
    meta_text, meta_line, body, body_line = split_front_matter(text, path)
    data, lines = load_yaml(meta_text, path, first_line=meta_line)
    meta = validate(FrontMatter, data, path, lines, "front matter")
    slug = meta.slug or slugify(path.stem)
    lang = meta.lang or config.site.language
    tree, unknown = parse_body(body, body_line, variable_data(config, data, slug, lang), path)
    raise_first(unknown)
    raise_first(conditional.problems(tree, text, path))
    links.warn_source_links(tree, path, text)
    tree = sanitize(tree, path, text)
    tree, media = resolve_media(pandoc_ast.normalize_headings(tree), path, root, text)
    excerpt, more = _front_matter_media(meta, path, root, text)
    return Article(path, meta, tree, slug, lang, media | more, excerpt)


def read_text(path: Path, root: Path | None = None) -> str:
    """The text of an article (of the project in `root`, when given: a file outside it, or a
    link to one, is refused unread)."""
    if root is not None:
        check_inside(path, root)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise PublishError(
            "no such file",
            path,
            hint="Check the path, or run 'publish build' with no argument "
            "to build every article in source/",
        ) from error
    except IsADirectoryError as error:
        raise PublishError(
            "is a folder, not an article",
            path,
            hint="Name a .md file, or the articles inside the folder",
        ) from error
    if len(data) > MAX_BYTES:
        raise PublishError(
            f"is {len(data) / 1e6:.1f} MB; an article may be at most {MAX_BYTES // 1_000_000} MB",
            path,
            hint="Split it into several articles (a long book is about 1 MB of text)",
        )
    if b"\x00" in data[:8192]:  # (a NUL further on is refused with its line: readable())
        raise PublishError(
            "is a binary file, not a Markdown article",
            path,
            hint="Articles are UTF-8 text files ending in .md",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PublishError(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read)",
            path,
            line,
            "Save the file with UTF-8 encoding",
        ) from error
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return readable(text.translate(WORD_BREAKS), path)


def readable(text: str, path: Path) -> str:
    """`text`, when every character of it can be published."""
    problem = unreadable(text)
    if problem is None:
        return text
    at = FORBIDDEN.search(text).start()
    raise PublishError(
        problem,
        path,
        text.count("\n", 0, at) + 1,
        f"Delete it (column {at - text.rfind(chr(10), 0, at)}): most editors do not show it",
    )


def check_inside(path: Path, root: Path) -> None:
    """PublishError unless `path`, its links followed, is inside the project folder `root`."""
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        link = f" (it is a link to {real})" if real != path.absolute() else ""
        raise PublishError(
            f"is outside the project{link}: only files inside the project folder are published",
            path,
            hint="Copy the article into source/",
        )


def split_front_matter(text: str, path: Path) -> tuple[str, int, str, int]:
    """Split `---` front matter from the body; return both with their first line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise PublishError(
            "has no front matter",
            path,
            1,
            "Start the file with a '---' line, then 'title:', 'summary:' and "
            "'date:', then a closing '---' line",
        )
    for number, line in enumerate(lines[1:], start=1):
        if FENCE.match(line):
            meta = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1 :])
            return meta, 2, body, number + 2
    raise PublishError(
        "the front matter that starts on line 1 is never closed",
        path,
        1,
        "Add a line with '---' after its last key",
    )


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "article"


class OutsideProject(PublishError):
    """An image outside the project: left out with a warning, never published."""


def resolve_media(tree: dict, path: Path, root: Path, source: str) -> tuple[dict, dict[str, Path]]:
    """Find the project file behind every local image; leave out any outside the project."""
    media: dict[str, Path] = {}

    def check(kind: str, target: str) -> str | None:
        if kind != "Image":
            return target
        try:
            file = image_file(target, path, root, source)
        except OutsideProject as outside:
            warn(outside.message, path, outside.line)
            return None
        if file:
            line = line_of(source, target)
            for removed in check_picture(file, target, path, line):
                warn(removed, path, line)
            media[target] = file
        return target

    return pandoc_ast.map_targets(tree, check), media


def image_file(target: str, path: Path, root: Path, source: str) -> Path | None:
    """The project file an image of article `path` shows; None for an image on the web.

    Raises PublishError when the file does not exist, OutsideProject when it is not the
    project's.
    """
    if _is_remote(target):
        return None
    project = root.resolve()
    url = urlsplit(target)
    if url.scheme or target.startswith("/"):
        file = Path(unquote(url.path))
    else:
        file = path.parent / unquote(url.path)
    file = file.resolve()
    if not file.is_relative_to(project):
        raise OutsideProject(
            f"image '{target}' is outside the project and was left out "
            "(only files inside the project are published)",
            path,
            line_of(source, target),
        )
    if not file.is_file():
        raise PublishError(
            f"image '{target}' does not exist",
            path,
            line_of(source, target),
            f"Put the file at {file.relative_to(project)} or fix the path",
        )
    return file


def _front_matter_media(
    meta: FrontMatter, path: Path, root: Path, source: str
) -> tuple[dict | None, dict[str, Path]]:
    """The parsed `brochure.excerpt`, and the images it and `image:` name.

    They are found (and refused) exactly like the images of the body.
    """
    media: dict[str, Path] = {}
    if meta.image:
        media.update(resolve_media(_image_para(meta.image), path, root, source)[1])
    if not meta.brochure.excerpt:
        return None, media
    excerpt = pandoc_ast.normalize_headings(pandoc.parse(meta.brochure.excerpt, path))
    excerpt, more = resolve_media(sanitize(excerpt, path, source), path, root, source)
    return excerpt, media | more


def _image_para(target: str) -> dict:
    """A pandoc AST holding one image, `target`."""
    image = {"t": "Image", "c": [["", [], []], [], [target, ""]]}
    return {"blocks": [{"t": "Para", "c": [image]}]}


def _is_remote(target: str) -> bool:
    return urlsplit(target).scheme in ("http", "https", "data")


def line_of(source: str, needle: str) -> int | None:
    """The first line of the file that holds `needle` (pandoc's Markdown AST has no positions)."""
    for number, line in enumerate(source.split("\n"), start=1):
        if needle in line:
            return number
    return None
