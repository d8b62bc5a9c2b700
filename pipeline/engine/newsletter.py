"""`publish newsletter`: one issue of several articles, read, made into a digest and written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.channels import CHANNELS
from pipeline.channels.email.digest import check_name, digest_outputs
from pipeline.engine.output import OutputWriter
from pipeline.project.folder import Project
from pipeline.source.article import read_article
from pipeline.source.site import project_site
from pipeline.source.sources import find_sources


def newsletter(
    project: Project, sources: Sequence[Path], subject: str, name: str, out: Path | None = None
) -> list[Path]:
    """Write output/email/<name>.txt, .html and .eml: one issue made of `sources`, in order.

    Nothing is written unless all three forms could be made.
    """
    check_name(name)
    site = project_site(project.root, project.config, find_sources(project))
    read = [read_article(path, project.root, project.config, CHANNELS, site) for path in sources]
    articles = read
    outputs = digest_outputs(project, articles, subject, name)
    writer = OutputWriter(out or project.root / "output")
    return [writer.write(output) for output in outputs]
