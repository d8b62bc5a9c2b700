"""The `publish` command line: parse arguments, call the library, print what happened."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import __version__, pandoc
from .build import build as build_project
from .build import find_sources
from .channels import CHANNELS
from .commands import load_project
from .commands.authoring import check, import_, new
from .commands.email import newsletter, send
from .commands.web import serve
from .errors import display_path

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
def channels() -> None:
    """List the channels an article is published to.

    \b
    Example:
      publish channels
    """
    width = max(len(name) for name in CHANNELS)
    for name, channel in CHANNELS.items():
        click.echo(f"{name:<{width}}  {channel.description}")


for command in (serve, send, newsletter, new, import_, check):
    main.add_command(command)
