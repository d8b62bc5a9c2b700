"""`publish newsletter`: one issue of several articles, read, made into a digest and written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.channels import CHANNELS
from pipeline.channels.email.digest import check_name, digest_outputs
from pipeline.engine.output import OutputWriter
from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project
from pipeline.source.article import Article, read_article
from pipeline.source.site import project_site
from pipeline.source.sources import find_sources


def newsletter(
    project: Project, sources: Sequence[Path], subject: str, name: str, out: Path | None = None
) -> list[Path]:
    """Write output/email/<name>.txt, .html and .eml: one issue made of `sources`, in order.

    Nothing is written unless all three forms could be made, and every article has its web
    page in the output folder.
    """
    check_name(name)
    site = project_site(project.root, project.config, find_sources(project))
    read = [read_article(path, project.root, project.config, CHANNELS, site) for path in sources]
    articles = read
    refuse_unpublished(articles)
    outputs = digest_outputs(project, articles, subject, name)
    check_web_pages(articles, out or project.root / "output", out is not None)
    writer = OutputWriter(out or project.root / "output")
    return [writer.write(output) for output in outputs]


def refuse_unpublished(articles: list[Article]) -> None:
    """A newsletter carries published articles only: a draft or scheduled one is refused (a
    sent newsletter cannot be mended)."""
    for article in articles:
        state = article.state
        if not state.published:
            said = "a draft" if state.draft else f"scheduled for {state.until.isoformat()}"
            raise PublishError(
                f"is {said}: a newsletter carries only published articles",
                article.path,
                hint="Leave it out of the newsletter, or publish it first",
            )


def check_web_pages(articles: list[Article], out: Path, named: bool) -> None:
    """Refuse an issue that links to a page not built: a newsletter cannot be mended once it is
    sent, and a warning would scroll past (this command has no --strict)."""
    missing = [a for a in articles if not (out / "web" / a.slug / "index.html").is_file()]
    if missing:
        first = missing[0]
        raise PublishError(
            f"has no web page ({display_path(out / 'web' / first.slug / 'index.html')}) for "
            "the newsletter to link to",
            first.path,
            hint="Build it first: publish build --channel web "
            + (f"--out {display_path(out)} " if named else "")
            + " ".join(display_path(article.path) for article in missing),
        )
