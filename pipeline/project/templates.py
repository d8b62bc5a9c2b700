"""The one Jinja environment: project layouts first, then the built-in ones; strict by default."""

from __future__ import annotations

import contextlib
import hashlib
import re
import textwrap
import traceback
import unicodedata
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.errors import PublishError
from pipeline.project import dates, words
from pipeline.project.files import CannotWrite, write_atomic
from pipeline.project.text import plain_text
from pipeline.timings import timed


def _builtin_layouts() -> Path:
    package = Path(__file__).resolve().parent.parent
    installed = package / "layouts"  # a wheel carries layouts/ as package data (pyproject.toml)
    return installed if installed.is_dir() else package.parent / "layouts"


BUILTIN_LAYOUTS = _builtin_layouts()


def layout_dirs(root: Path) -> list[Path]:
    """Where layouts are looked up: the project's own `layouts/`, then the built-in ones."""
    own = root / "layouts"
    dirs = [own] if own.is_dir() else []
    return dirs + [BUILTIN_LAYOUTS] if BUILTIN_LAYOUTS.resolve() != own.resolve() else dirs


def within(path: Path, folder: Path) -> bool:
    """Whether `path`, its links followed, is a file of `folder`: a layout that is a link to a
    file elsewhere on the disk is never read."""
    return path.resolve().is_relative_to(folder.resolve())


class LayoutLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, refusing a template that is a link out of its layouts folder."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if not any(within(Path(filename), Path(folder)) for folder in self.searchpath):
            raise PublishError(
                f"layout '{template}' is a link to a file outside its layouts folder",
                filename,
                hint="Copy the file into the layouts folder instead of linking to it",
            )
        return source, filename, uptodate


def environment(root: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The environment of the project in `root`; with `compiled`, the folder where compiled
    templates are kept from one build to the next."""
    # `builtin/` lets a project template extend the original it overrides (as in Pelican).
    loader = jinja2.ChoiceLoader(
        [
            LayoutLoader([str(d) for d in layout_dirs(root)]),
            jinja2.PrefixLoader({"builtin": LayoutLoader(str(BUILTIN_LAYOUTS))}),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        # HTML layouts escape every value; text and CSS layouts (*.txt.j2, *.css.j2) do not.
        autoescape=lambda name: name is not None and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=CompiledTemplates(compiled) if compiled else None,
    )
    env.filters.update(
        wrap=wrap, underline=underline, longdate=longdate, isodate=isodate, t=translate
    )
    env.filters.update(plain_text=plain_text)
    return env


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's own cache of compiled templates (checked against each template's source):
    compiling them again took 0.06 s of a build that makes one article. Its file names carry
    Jinja's version and this module's, whose settings shape the compiled code."""

    def __init__(self, folder: Path):
        self.folder = folder
        made_by = f"{jinja2.__version__} {Path(__file__).read_text(encoding='utf-8')}"
        version = hashlib.sha256(made_by.encode()).hexdigest()[:12]
        super().__init__(str(folder), pattern=f"{version}-%s.cache")

    # Each file is its sha256, then what Jinja wrote: a file cut short or changed is compiled
    # again, never loaded (marshal's code objects, loaded damaged, can crash the interpreter).
    # A folder it cannot read or write only costs time: the templates are compiled again.
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = Path(self._get_cache_filename(bucket)).read_bytes()
        except OSError:
            return
        stored, code = data[:32], data[32:]
        if hashlib.sha256(code).digest() == stored:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        with contextlib.suppress(CannotWrite):
            target = Path(self._get_cache_filename(bucket))
            write_atomic(target, hashlib.sha256(code).digest() + code)


def render(env: jinja2.Environment, name: str, **context) -> str:
    """Render a layout; a template mistake becomes a PublishError naming the template and line."""
    try:
        with timed("templates"):
            return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as error:
        raise PublishError(
            f"layout '{error.name}' not found",
            hint="Looked in: " + ", ".join(str(d) for d in layout_dirs_of(env)),
        ) from error
    except jinja2.TemplateSyntaxError as error:
        raise PublishError(
            f"template syntax error: {error.message}",
            error.filename or name,
            error.lineno,
            "Fix the template",
        ) from error
    except jinja2.TemplateError as error:
        path, line = _template_frame(error)
        # Jinja names a value by its Python class ('pipeline.source.article.FrontMatter
        # object'): the class alone says enough to a template's author.
        said = re.sub(r"'(?:\w+\.)+(\w+ object)'", r"'\1'", error.message or "")
        raise PublishError(
            f"template error: {said}",
            path or name,
            line,
            "Fix the template, or give it the value it expects",
        ) from error


def layout_dirs_of(env: jinja2.Environment) -> list[str]:
    return list(env.loader.loaders[0].searchpath)  # type: ignore[union-attr]


def _template_frame(error: Exception) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback (Jinja rewrites its frames)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return frame.filename, frame.lineno
    return None, None


def wrap(text: str, width: int = 72, indent: str = "") -> str:
    """Wrap plain text at spaces only: never inside a word, a URL or at a hyphen."""
    paragraphs = str(text).split("\n")
    return "\n".join(
        textwrap.fill(
            p,
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if p.strip()
        else ""
        for p in paragraphs
    )


def underline(text: str, char: str = "=") -> str:
    text = str(text)
    width = max((display_width(line) for line in text.split("\n")), default=0)
    return f"{text}\n{char * width}"


def display_width(line: str) -> int:
    """Columns a line takes in a monospaced font: wide (CJK) characters take two, marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in line
    )


def safe(html: str) -> Markup:
    """Mark HTML that pandoc wrote (never article text run as a template) as safe to insert."""
    return Markup(html)


def _zone(context: jinja2.runtime.Context) -> str:
    site = context.get("site")
    return site.timezone if site is not None else "UTC"


def _lang(context: jinja2.runtime.Context) -> str:
    site = context.get("site")
    return context.get("lang") or (site.language if site is not None else "en")


@jinja2.pass_context
def longdate(context: jinja2.runtime.Context, moment: date, lang: str | None = None) -> str:
    """'November 25, 2026', in the page's language (or `lang`)."""
    return words.long_date(dates.aware(moment, _zone(context)), lang or _lang(context))


@jinja2.pass_context
def isodate(context: jinja2.runtime.Context, moment: date) -> str:
    """The one RFC 3339 string for a front matter date (see pipeline/dates.py)."""
    return dates.stamp(moment, _zone(context))


@jinja2.pass_context
def translate(
    context: jinja2.runtime.Context, text: str, lang: str | None = None, **values: object
) -> str:
    """`text` in the page's language (or `lang`: a digest's entry speaks its article's):
    {{ "On this page" | t }}."""
    return words.translate(text, lang or _lang(context), **values)
