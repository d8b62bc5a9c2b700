"""The email commands: `publish send` a built newsletter, `publish newsletter` a digest."""

from __future__ import annotations

import os
from pathlib import Path

import click

import pipeline
from pipeline import display_path


@click.command()
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
    "--user", help=f"Log in as this user; the password is read from ${pipeline.PASSWORD_VARIABLE}."
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
    password = os.environ.get(pipeline.PASSWORD_VARIABLE)
    if user and not starttls:
        raise click.UsageError(
            "--user needs --starttls: a password must not cross the network in clear"
        )
    if user and not password:
        raise click.UsageError(f"--user needs a password: set ${pipeline.PASSWORD_VARIABLE}")
    project = pipeline.load_project()
    path, via = pipeline.send_newsletter(
        out or project.root / "output", name, to, server, starttls, user, password
    )
    click.echo(f"sent {display_path(path)} to {to} through {via}")


@click.command()
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
    project = pipeline.load_project()
    written = pipeline.newsletter(project, sources, subject, name, out)
    for path in written:
        click.echo(f"wrote {display_path(path)}")
