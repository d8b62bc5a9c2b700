"""`publish list`: the subscriber lists, imported from CSV, counted, exported, and the people who
unsubscribed or bounced kept out of every send."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import pipeline
from pipeline import display_path, plural

LIST_OPTION = click.option(
    "--list",
    "list_name",
    default=lambda: pipeline.DEFAULT_LIST,
    show_default="subscribers",
    help="The list's name.",
)


@click.group("list")
def list_() -> None:
    """Keep the newsletter's subscriber lists (in .publish/subscribers.db, or where
    'email.subscribers' in publish.yml says).

    \b
    Examples:
      publish list import subscribers.csv
      publish list show
      publish list unsubscribe reader@example.org
    """


@list_.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@LIST_OPTION
def import_(file: Path, list_name: str) -> None:
    """Add the subscribers of a CSV file to a list.

    Its first row names the columns: email, and name and language if given. A row whose
    address is not valid is reported with its line and skipped; an address already on the list
    is not added again (its name and language are updated).

    \b
    Example:
      publish list import subscribers.csv --list subscribers
    """
    report = pipeline.import_subscribers(pipeline.load_project(), file, list_name)
    if report.ignored_columns:
        ignored = ", ".join(report.ignored_columns)
        click.secho(
            f"Warning: {display_path(file)}: ignored the columns {ignored} "
            "(only email, name and language are read)",
            fg="yellow",
            err=True,
        )
    for problem in report.problems:
        click.secho(f"Error: {problem}", fg="red", err=True)
    click.echo(
        f"Imported {display_path(file)} into the list '{report.list}': {report.added} added, "
        f"{report.known} already on it, {plural(len(report.problems), 'row')} skipped"
        + (f"; {report.suppressed} of them unsubscribed or bounced" if report.suppressed else "")
    )
    if report.problems:
        sys.exit(1)


@list_.command()
def show() -> None:
    """Count each list's subscribers, and those who unsubscribed or bounced (no addresses).

    \b
    Example:
      publish list show
    """
    project = pipeline.load_project()
    lists, suppressed = pipeline.subscriber_counts(project)
    if not lists:
        click.echo("No lists yet: import one with publish list import FILE.csv")
    for counted in lists:
        click.echo(
            f"{counted.name}: {plural(counted.subscribers, 'subscriber')}, "
            f"{counted.unsubscribed} unsubscribed, {counted.bounced} bounced, "
            f"{counted.mailed} to mail"
        )
    if suppressed:
        click.echo(
            f"Never mailed, on any list: {suppressed.get('unsubscribed', 0)} unsubscribed, "
            f"{suppressed.get('bounced', 0)} bounced"
        )
    click.echo(f"Database: {display_path(pipeline.database_path(project))}")


@list_.command()
@LIST_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the CSV to this file (only you may read it). Default: the terminal.",
)
def export(list_name: str, out: Path | None) -> None:
    """Write a list as CSV: email, name, language, and status (subscribed, unsubscribed or
    bounced).

    \b
    Examples:
      publish list export > subscribers.csv
      publish list export --list staff --out staff.csv
    """
    project = pipeline.load_project()
    if out is None:
        pipeline.export_subscribers(project, list_name, sys.stdout)
        return
    count = pipeline.export_subscribers(project, list_name, out)
    click.echo(f"wrote {plural(count, 'subscriber')} of '{list_name}' to {display_path(out)}")


@list_.command()
@click.argument("who", metavar="ADDRESS|TOKEN")
def unsubscribe(who: str) -> None:
    """Unsubscribe an address, or the reader of an unsubscribe link's token, from every list:
    no send mails it again.

    \b
    Examples:
      publish list unsubscribe reader@example.org
      publish list unsubscribe k5mq2exampletoken4reader7a
    """
    done = pipeline.unsubscribe(pipeline.load_project(), who)
    if done.already:
        click.echo(f"{done.email} was unsubscribed already")
        return
    lists = f"{plural(len(done.lists), 'list', counted=False)} {', '.join(done.lists)}"
    lists = f"the {lists}" if done.lists else "no list"
    click.echo(f"Unsubscribed {done.email} (on {lists}): no send mails it again")


@list_.command()
@click.argument("mailbox", type=click.Path(path_type=Path))
def bounces(mailbox: Path) -> None:
    """Read bounces (delivery-status notifications) from an mbox file or a Maildir folder and
    unsubscribe each address that bounced for good.

    \b
    Example:
      publish list bounces ~/Maildir/.Bounces
    """
    report = pipeline.read_bounces(pipeline.load_project(), mailbox)
    addresses = "address" if report.hard == 1 else "addresses"
    click.echo(
        f"Read {plural(report.messages, 'message')} from {display_path(mailbox)}: "
        f"{report.hard} {addresses} bounced for good ({report.suppressed} newly "
        f"suppressed, {report.unlisted} on no list); {report.temporary} failed for now only "
        "(not suppressed)"
    )
