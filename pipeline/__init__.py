"""Publish one Markdown article to the web, a print-ready brochure and an email newsletter."""

from pipeline.engine.build import BuildReport, build
from pipeline.errors import PublishError
from pipeline.project.folder import Project

__version__ = "0.1.0"

__all__ = ["BuildReport", "Project", "PublishError", "__version__", "build"]
