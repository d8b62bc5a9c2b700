"""The email commands: `publish send` a built newsletter (to one address or a list),
`publish newsletter` a digest."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

import pipeline
from pipeline import display_path
from pipeline.cli.main import Progress


@click.command()
@click.argument("name")
@click.option("--to", help="Send it to this one address (a test).")
@click.option("--list", "list_name", help="Send it to everyone on this subscriber list.")
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
    "--rate", metavar="N/hour", help="At most N messages an hour (or N/minute, N/second)."
)
@click.option("--dry-run", is_flag=True, help="Say what the send would do; send nothing.")
@click.option(
    "--resume", is_flag=True, help="Go on with a send that stopped (as running it again does)."
)
@click.option(
    "--resend-unconfirmed",
    is_flag=True,
    help="Mail again those a stopped send left in doubt (each may get it twice).",
)
@click.option("--new-send", is_flag=True, help="Send a changed newsletter to a list that had it.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30,
    show_default=True,
    help="Seconds to wait for the server at each step.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The output folder the message was built into. Default: output/ in the project.",
)
def send(name: str, to: str | None, list_name: str | None, **options) -> None:
    """Send a built newsletter, output/email/NAME.eml (an article's slug or a digest's name), to
    one address (--to, a test) or to every subscriber of a list (--list).

    Each message gets its reader's To, a fresh Date and Message-ID and their own unsubscribe
    link. A send to a list records each recipient in the subscriber database before and after
    their message: stopped in any way, the same command goes on where it stopped, and nobody
    confirmed is mailed twice. The password is never an option (other users can see a command
    line): put it in the environment variable PUBLISH_SMTP_PASSWORD.

    \b
    Examples:
      publish send ketamine-therapy-for-pain-management --to me@clinic.example
      publish send ketamine-therapy-for-pain-management --list subscribers --dry-run
      PUBLISH_SMTP_PASSWORD=... publish send ketamine-therapy-for-pain-management \\
          --list subscribers --smtp smtp.clinic.example:587 --starttls --user news --rate 500/hour
    """
    if (to is None) == (list_name is None):
        raise click.UsageError("give --to ADDRESS (a test) or --list NAME (a whole list), not both")
    server = _server_options(options)
    if to is None:
        return _send_to_list(pipeline.load_project(), name, list_name, server, options)
    _only_for_lists(options)
    path, via = pipeline.send_newsletter(pipeline.load_project(), name, to, server, options["out"])
    click.echo(f"sent {display_path(path)} to {to} through {via}")


LIST_ONLY = ("rate", "dry_run", "resume", "resend_unconfirmed", "new_send")  # SendOptions'


def _only_for_lists(options: dict) -> None:
    given = [f"--{key.replace('_', '-')}" for key in LIST_ONLY if options[key]]
    if given:
        raise click.UsageError(f"{given[0]} goes with --list: a test send (--to) is sent at once")


def _server_options(options: dict) -> pipeline.ServerOptions:
    password = os.environ.get(pipeline.PASSWORD_VARIABLE)
    user, starttls = options["user"], options["starttls"]
    if user and not starttls:
        raise click.UsageError(
            "--user needs --starttls: a password must not cross the network in clear"
        )
    if user and not password:
        raise click.UsageError(f"--user needs a password: set ${pipeline.PASSWORD_VARIABLE}")
    return pipeline.ServerOptions(options["server"], starttls, user, password, options["timeout"])


def _send_to_list(project, name: str, list_name: str, server, options: dict) -> None:
    bar = Progress(sys.stderr.isatty(), "Sending")
    chosen = {key: options[key] for key in ("out", *LIST_ONLY)}
    settings = pipeline.SendOptions(list=list_name, server=server, on_progress=bar.update, **chosen)
    try:
        report = pipeline.send_to_list(project, name, settings)
    finally:
        bar.finish()
    for line in report.lines():
        click.echo(line)
    if not (report.finished or report.dry_run):
        sys.exit(1)


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
