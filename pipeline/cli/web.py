"""The web commands: `publish serve`, a live preview of the site."""

from __future__ import annotations

import click

import pipeline


@click.command()
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
    project = pipeline.load_project()
    pipeline.serve(project, port, open_browser, livereload, say=_say)


def _say(line: str) -> None:
    if line.startswith("Error: "):
        click.secho(line, fg="red", err=True)
    else:
        click.echo(line)
