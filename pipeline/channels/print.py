"""The print channel: the brochure PDF, laid out by WeasyPrint from the shared HTML layouts."""

from __future__ import annotations

from .. import pandoc
from ..article import Article
from ..output import Output
from ..pdf import render_pdf
from ..project import Project
from ..templates import safe
from .base import Channel


class PrintChannel(Channel):
    name = "print"
    description = "a brochure PDF for the print shop (US Letter or A4)"
    layouts = ("base.html.j2", "partials/", "print/", "fonts/")

    def render(self, article: Article, project: Project) -> list[Output]:
        body = pandoc.write(article.ast_for(self.name), "html5", article.path)
        html = project.render(
            "print/brochure.html.j2",
            article=article,
            body=safe(body),
            url=project.url(f"{article.slug}/"),
            lang=article.lang,
            fonts=project.fonts,
            font_url=lambda face: face.path.as_uri(),
        )
        pdf = render_pdf(
            html, article.path.parent, [project.root, *project.layout_dirs], article.path
        )
        return [Output(f"print/{article.slug}.pdf", pdf)]
