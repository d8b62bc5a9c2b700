"""The authoring commands: `publish new`, `publish import` and `publish check`."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

import pipeline
from pipeline import PublishError, display_path


@click.command()
@click.argument("title")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The article's date, YYYY-MM-DD. Default: today.",
)
@click.option("--draft", is_flag=True, help="Start it as a draft ('draft: true'): never published.")
def new(title: str, day: datetime | None, draft: bool) -> None:
    """Start an article from a skeleton that builds as it is.

    Writes source/<slug>.md with valid front matter; `publish check` points at the text left
    to replace. It never overwrites an article.

    \b
    Example:
      publish new "Ketamine and migraine" --date 2026-12-01
      publish new "Ketamine and migraine" --draft
    """
    project = pipeline.load_project()
    path = pipeline.new_article(project, title, day.date() if day else None, draft)
    click.echo(f"wrote {display_path(path)}")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The organisation's name. Asked for on a terminal when not given.")
def init(folder: Path, name: str | None) -> None:
    """Start a project for an organisation in FOLDER: publish.yml and one sample article, which
    build as they are with the built-in layouts.

    On a terminal it asks for the web address and the postal address (an email must carry
    it); what it is not told stays a placeholder, which `publish check` points at. It never
    overwrites a project.

    \b
    Examples:
      publish init clinic-site --name "Riverside Pain Clinic"
      publish init clinic-site
    """
    terminal = sys.stdin.isatty()
    if name is None and not terminal:
        raise click.UsageError("publish init needs --name: the organisation's name")
    name = name or click.prompt("The organisation's name")
    ask = (lambda question, default: click.prompt(question, default=default)) if terminal else None
    for path in pipeline.init_project(folder, name, ask):
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"Then: cd {display_path(folder)} && publish build")


@click.command("import")
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
    project = pipeline.load_project()
    result = pipeline.import_document(project, file, day.date() if day else None)
    click.echo(result.report())


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the problems: lines for people, JSON for CI.",
)
@click.option(
    "--pdf",
    "pdfs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Preflight this PDF as a print shop would (repeat for several). A PDF that says it is "
    "PDF/UA gets the screen PDF's checks instead.",
)
@click.option(
    "--strict", is_flag=True, help="Count warnings as errors, as `publish build --strict` does."
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Say what is scheduled as on this day, as `publish build --as-of` does.",
)
def check(
    sources: tuple[Path, ...],
    form: str,
    pdfs: tuple[Path, ...],
    strict: bool,
    as_of: datetime | None,
) -> None:
    """Check articles, writing nothing (default: every source/*.md), or preflight PDFs.

    Reports every problem at once with file and line; exits 1 when any is an error.

    \b
    Examples:
      publish check
      publish check source/ketamine-therapy-for-pain-management.md --format json
      publish check --pdf output/print/ketamine-therapy-for-pain-management.pdf
    """
    if pdfs:
        passed = check_pdfs(pdfs)
        if not sources:
            sys.exit(0 if passed else 1)
    else:
        passed = True
    try:
        project = pipeline.load_project()
    except PublishError as error:
        if form != "json":
            raise
        # CI reads JSON, whatever went wrong: the config's problem as a report of its own
        click.echo(pipeline.CheckReport.of_config(error).text(form))
        sys.exit(1)
    found = pipeline.check(project, sources, as_of.date() if as_of else None)
    click.echo(found.text(form))
    if not passed or found.failed or (strict and found.warned):
        sys.exit(1)


def check_pdfs(pdfs: tuple[Path, ...]) -> bool:
    """Print the preflight report of each PDF; True when every check of every PDF passed."""
    passed = True
    for path in pdfs:
        try:
            report = pipeline.preflight(path)
        except PublishError as error:
            click.secho(f"Error: {error}", fg="red", err=True)
            passed = False
            continue
        click.echo(f"{display_path(path)}: {report.text()}")
        passed = passed and not report.failures
    return passed
