"""Publish one Markdown article to the web, a print-ready brochure and an email newsletter."""

from .build import BuildReport, build
from .errors import PublishError
from .project import Project

__version__ = "0.1.0"

__all__ = ["BuildReport", "Project", "PublishError", "__version__", "build"]
