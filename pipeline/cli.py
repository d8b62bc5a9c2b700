"""The `publish` command line: parse arguments, call the library, print what happened."""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path

import click

from . import __version__, pandoc
from . import send as send_mail
from .build import build as build_project
from .build import find_sources
from .channels import CHANNELS
from .check import check_sources, report
from .digest import build_digest
from .errors import PublishError, display_path
from .importer import import_document
from .problem import ERROR
from .project import Project
from .scaffold import new_article

PROGRESS_ABOVE = 5  # articles: below this a progress bar is noise


class _WarningPrinter(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.secho(f"Warning: {record.getMessage()}", fg="yellow", err=True)


def _versions() -> str:
    import weasyprint

    return f"publish {__version__} (pandoc {pandoc.version()}, WeasyPrint {weasyprint.__version__})"


def _print_version(ctx: click.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_versions())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _print_version(ctx, value),
    help="Show the versions of publish, pandoc and WeasyPrint.",
)
def main() -> None:
    """Publish Markdown articles as a web site, a print-ready brochure and an email newsletter.

    Run it in the project folder, the one that holds publish.yml.

    \b
    Example:
      publish build
    """
    logger = logging.getLogger("pipeline")
    if not logger.handlers:
        logger.addHandler(_WarningPrinter())
        logger.propagate = False


def load_project() -> Project:
    try:
        return Project.load(Path.cwd())
    except PublishError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-c",
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(list(CHANNELS)),
    help="Build only this channel (repeat for several). Default: all.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: output/ in the project.",
)
@click.option("--strict", is_flag=True, help="Fail an article on any warning.")
def build(
    sources: tuple[Path, ...], channels: tuple[str, ...], out: Path | None, strict: bool
) -> None:
    """Publish articles (default: every source/*.md) to every channel.

    Site-wide pages (the web index) are remade when all of source/ is built.

    \b
    Examples:
      publish build
      publish build source/ketamine-therapy-for-pain-management.md --channel email
      publish build --strict --out /tmp/site
    """
    project = load_project()
    paths = find_sources(project, sources)
    show_bar = len(paths) > PROGRESS_ABOVE and sys.stderr.isatty()
    with (
        click.progressbar(
            length=len(paths), label="Publishing", file=sys.stderr, show_eta=True, show_pos=True
        )
        if show_bar
        else _NoBar() as bar
    ):
        report = build_project(
            project,
            sources,
            channels,
            out,
            strict,
            on_write=lambda path: None if show_bar else click.echo(f"wrote {display_path(path)}"),
            on_article=lambda path: bar.update(1),
        )
    for failure in report.failures:
        click.secho(f"Error: {failure}", fg="red", err=True)
    built = len(report.articles)
    click.echo(
        f"Published {built} article{'s' * (built != 1)} to "
        f"{', '.join(channels or CHANNELS)}: {len(report.written)} files in "
        f"{display_path(out or project.root / 'output')}"
        + (f"; {len(report.failures)} problem(s)" if report.failures else "")
    )
    if report.failures:
        sys.exit(1)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, steps: int) -> None:
        return None


@main.command()
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option("--open/--no-open", "open_browser", default=False, help="Open the site in a browser.")
@click.option(
    "--livereload/--no-livereload",
    default=True,
    show_default=True,
    help="Reload open pages after each rebuild.",
)
def serve(port: int, open_browser: bool, livereload: bool) -> None:
    """Preview the web site while you write: build it into a temporary folder (never output/),
    serve it on 127.0.0.1, rebuild on every change to source/, layouts/ or publish.yml.

    \b
    Examples:
      publish serve
      publish serve --port 8080 --open
    """
    from .serve import serve as serve_preview  # watchfiles and the server: only for this command

    project = load_project()
    try:
        serve_preview(project, port, open_browser, livereload, say=_say)
    except PublishError as error:
        raise click.ClickException(str(error)) from error


def _say(line: str) -> None:
    if line.startswith("Error: "):
        click.secho(line, fg="red", err=True)
    else:
        click.echo(line)


@main.command()
def channels() -> None:
    """List the channels an article is published to.

    \b
    Example:
      publish channels
    """
    width = max(len(name) for name in CHANNELS)
    for name, channel in CHANNELS.items():
        click.echo(f"{name:<{width}}  {channel.description}")


@main.command()
@click.argument("name")
@click.option("--to", required=True, help="The address to send it to.")
@click.option(
    "--smtp",
    "server",
    default="localhost:25",
    show_default=True,
    help="The SMTP server, HOST:PORT.",
)
@click.option("--starttls", is_flag=True, help="Encrypt the connection (STARTTLS) before sending.")
@click.option(
    "--user", help=f"Log in as this user; the password is read from ${send_mail.PASSWORD_VARIABLE}."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The output folder the message was built into. Default: output/ in the project.",
)
def send(name: str, to: str, server: str, starttls: bool, user: str | None, out: Path | None):
    """Send a built newsletter: output/email/NAME.eml (an article's slug or a digest's name).

    The password is never an option (other users can see a command line): put it in the
    environment variable PUBLISH_SMTP_PASSWORD.

    \b
    Examples:
      publish send ketamine-therapy-for-pain-management --to me@clinic.example
      PUBLISH_SMTP_PASSWORD=... publish send ketamine-therapy-for-pain-management \\
          --to me@clinic.example --smtp smtp.clinic.example:587 --starttls --user news
    """
    password = os.environ.get(send_mail.PASSWORD_VARIABLE)
    if user and not starttls:
        raise click.UsageError(
            "--user needs --starttls: a password must not cross the network in clear"
        )
    if user and not password:
        raise click.UsageError(f"--user needs a password: set ${send_mail.PASSWORD_VARIABLE}")
    project = load_project()
    try:
        path, via = send_mail.send_newsletter(
            out or project.root / "output", name, to, server, starttls, user, password
        )
    except PublishError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"sent {display_path(path)} to {to} through {via}")


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--subject", required=True, help="The subject line of this issue.")
@click.option("--name", required=True, help="Names the files: output/email/NAME.txt/.html/.eml.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: output/ in the project.",
)
def newsletter(sources: tuple[Path, ...], subject: str, name: str, out: Path | None) -> None:
    """Make one newsletter issue from several articles, in the order given.

    Each article appears with its title, summary, a short excerpt and a link to its web page.

    \b
    Example:
      publish newsletter source/a.md source/b.md --subject "News for December" --name 2026-12
    """
    project = load_project()
    try:
        written = build_digest(project, sources, subject, name, out)
    except PublishError as error:
        raise click.ClickException(str(error)) from error
    for path in written:
        click.echo(f"wrote {display_path(path)}")


@main.command()
@click.argument("title")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The article's date, YYYY-MM-DD. Default: today.",
)
def new(title: str, day: datetime | None) -> None:
    """Start an article from a skeleton that builds as it is.

    Writes source/<slug>.md with valid front matter; `publish check` points at the text left
    to replace. It never overwrites an article.

    \b
    Example:
      publish new "Ketamine and migraine" --date 2026-12-01
    """
    project = load_project()
    try:
        path = new_article(project, title, day.date() if day else None)
    except PublishError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {display_path(path)}")


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The article's date, YYYY-MM-DD. Default: the document's own, else today.",
)
def import_(file: Path, day: datetime | None) -> None:
    """Turn a .docx, .odt, .html or text file into an article.

    Writes source/<slug>.md, and its images to source/media/<slug>/. It prints what it
    guessed (title, summary, headings, text left out): read that, and the new article,
    before you publish it.

    \b
    Examples:
      publish import "Pain clinic leaflet.docx"
      publish import scraped-page.txt --date 2026-11-25
    """
    project = load_project()
    try:
        result = import_document(project, file, day.date() if day else None)
    except PublishError as error:
        raise click.ClickException(str(error)) from error
    click.echo(result.report())


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the problems: lines for people, JSON for CI.",
)
def check(sources: tuple[Path, ...], form: str) -> None:
    """Check articles, writing nothing (default: every source/*.md).

    Reports every problem at once with file and line; exits 1 when any is an error.

    \b
    Examples:
      publish check
      publish check source/ketamine-therapy-for-pain-management.md --format json
    """
    project = load_project()
    problems = check_sources(project, sources)
    click.echo(report(problems, len(find_sources(project, sources)), form))
    if any(problem.severity == ERROR for problem in problems):
        sys.exit(1)
