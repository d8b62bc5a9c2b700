"""The `publish` command line: parse arguments, call the library face, print."""

from pipeline.cli.main import main, run

__all__ = ["main", "run"]
