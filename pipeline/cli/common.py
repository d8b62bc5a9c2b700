"""What every command shares: the project in the current folder, problems said plainly."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from pipeline.errors import PublishError
from pipeline.project.folder import Project


def load_project() -> Project:
    """The project of the current folder (the one with publish.yml)."""
    with reported():
        return Project.load(Path.cwd())


@contextlib.contextmanager
def reported():
    """A problem the user can fix becomes Click's `Error: ...` and exit status 1."""
    try:
        yield
    except PublishError as error:
        raise click.ClickException(str(error)) from error
