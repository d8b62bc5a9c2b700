"""The `publish` group, and its `build` and `channels` commands: parse the arguments, call the
library's face (pipeline/__init__.py), print what happened."""

from __future__ import annotations

import gc
import importlib
import logging
import signal
import sys
from datetime import datetime
from pathlib import Path

import click

import pipeline
from pipeline import PublishError, display_path, plural

PROGRESS_ABOVE = 5  # articles: below this a progress bar is noise


class _WarningPrinter(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.secho(f"Warning: {record.getMessage()}", fg="yellow", err=True)


def _versions() -> str:
    found = pipeline.versions()
    return (
        f"publish {found['publish']} (pandoc {found['pandoc']}, WeasyPrint {found['WeasyPrint']})"
    )


def _print_version(ctx: click.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_versions())
        ctx.exit()


class _Commands(click.Group):
    """The commands other than `build` and `channels` are imported when they run (or --help
    lists them), not at every start: they cost 15 ms of each build. Click's own pattern for
    lazily loaded subcommands. A problem the user can fix becomes Click's `Error: ...` and
    exit status 1, here for every command."""

    LAZY = {
        "check": "pipeline.cli.authoring:check",
        "import": "pipeline.cli.authoring:import_",
        "init": "pipeline.cli.authoring:init",
        "new": "pipeline.cli.authoring:new",
        "newsletter": "pipeline.cli.email:newsletter",
        "list": "pipeline.cli.subscribers:list_",
        "send": "pipeline.cli.email:send",
        "serve": "pipeline.cli.web:serve",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY:
            module, attribute = self.LAZY[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PublishError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    type=click.Choice(list(pipeline.CHANNELS)),
    help="Build only this channel (repeat for several). Default: all.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: output/ in the project.",
)
@click.option("--strict", is_flag=True, help="Fail an article on any warning.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes building articles side by side. Default: one per core.",
)
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@click.option("--explain", is_flag=True, help="Say for each output why it was rebuilt or not.")
@click.option("--timings", "show_timings", is_flag=True, help="Show where the time went.")
@click.option("--keep-html", is_flag=True, help="Also write the HTML each PDF is made from.")
@click.option(
    "--executor",
    metavar="dask://HOST:PORT",
    help="Build on a Dask cluster (pip install 'publish-pipeline[dask]') instead of here.",
)
@click.option(
    "--drafts", is_flag=True, help="Build drafts and scheduled articles too, marked as drafts."
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Publish what is published on this day (scheduled articles). Default: today.",
)
def build(
    sources: tuple[Path, ...],
    channels: tuple[str, ...],
    out: Path | None,
    strict: bool,
    jobs: int | None,
    force: bool,
    explain: bool,
    show_timings: bool,
    keep_html: bool,
    executor: str | None,
    drafts: bool,
    as_of: datetime | None,
) -> None:
    """Publish articles (default: every source/*.md) to every channel.

    Only what changed since the last build is built again (the cache is in .publish-cache/);
    site-wide pages (the web index) are remade when all of source/ is built.

    \b
    Examples:
      publish build
      publish build source/ketamine-therapy-for-pain-management.md --channel email
      publish build --strict --out /tmp/site
      publish build --explain --timings -j 2
      publish build --drafts --out /tmp/preview
      publish build --as-of 2026-12-01
    """
    project = pipeline.load_project()
    bar = Progress(sys.stderr.isatty(), "Publishing")
    options = pipeline.BuildOptions(
        sources=sources,
        channels=channels,
        out=out,
        strict=strict,
        force=force,
        keep_html=keep_html,
        jobs=jobs or 0,
        executor=executor,
        drafts=drafts,
        as_of=as_of.date() if as_of else None,
        on_write=lambda path: (
            None if bar.shown or explain else click.echo(f"wrote {display_path(path)}")
        ),
        on_explain=click.echo if explain else None,
        on_progress=bar.update,
        before_task=_hooks().get("before_task"),
    )
    try:
        report = pipeline.build(project, options)
    finally:
        bar.finish()
    for failure in report.failures:
        click.secho(f"Error: {failure}", fg="red", err=True)
    built, written = len(report.articles), len(report.written)
    click.echo(
        f"Published {plural(built, 'article')} to "
        f"{', '.join(channels or pipeline.CHANNELS)}: {plural(written, 'file')} in "
        f"{display_path(out or project.root / 'output')}"
        + (f" ({len(report.unchanged)} up to date)" if report.unchanged else "")
        + (f"; {len(report.failures)} problem(s)" if report.failures else "")
    )
    for path, state in report.left_out:
        click.echo(f"Left out {display_path(path)}: {state.left_out()}")
    if show_timings:
        for line in report.timing_lines(channels, executor):
            click.echo(line)
    if report.failures:
        sys.exit(1)


def _hooks() -> dict:
    """What a test gives the command through Click's context object (`obj`): the product
    reads no test switch from the environment."""
    return click.get_current_context().find_root().obj or {}


class Progress:
    """A bar with a count and the time left, on a terminal, when there is enough to do."""

    def __init__(self, terminal: bool, label: str):
        self.terminal, self.label = terminal, label
        self.bar = None
        self.done = 0

    @property
    def shown(self) -> bool:
        return self.bar is not None

    def update(self, done: int, total: int) -> None:
        if self.bar is None and self.terminal and total > PROGRESS_ABOVE:
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr, show_eta=True, show_pos=True
            )
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.done)
        self.done = done

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command()
def channels() -> None:
    """List the channels an article is published to.

    \b
    Example:
      publish channels
    """
    width = max(len(name) for name in pipeline.CHANNELS)
    for name, channel in pipeline.CHANNELS.items():
        click.echo(f"{name:<{width}}  {channel.description}")


def run() -> None:
    """The `publish` command. Everything it imports lives as long as it does: freezing it keeps
    the garbage collector from walking it (about 0.05 s at exit), and keeps the forked build
    workers from copying the pages it lies on (Python's gc.freeze() advice for forking)."""
    gc.freeze()
    # SIGTERM (a service manager, `kill`, a CI timeout) stops a command as Ctrl-C does: its
    # workers and pandoc are stopped, its temporary files removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
