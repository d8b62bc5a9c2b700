"""The print channel: an article's brochure for the print shop, and its screen PDF for the web."""

from __future__ import annotations

from pipeline.channels.base import Channel, Output
from pipeline.channels.print.brochure import PRESS, SCREEN, Sheet, brochure_htmls, layout_of
from pipeline.channels.print.cmyk import output_profile
from pipeline.project.folder import Project
from pipeline.source.article import Article


class PrintChannel(Channel):
    name = "print"
    description = "a brochure: PDF/X for the print shop, and a tagged screen PDF for the web page"
    layouts = ("base.html.j2", "partials/", "print/", "fonts/")
    lays_out = True

    def prepare(self, project: Project) -> None:
        output_profile(project.config.print.icc_profile, project.root)

    def render(self, article: Article, project: Project) -> list[Output]:
        settings = project.config.print
        sheet = Sheet.of(layout_of(article, project), settings.size)
        profile = output_profile(settings.icc_profile, project.root)
        # The HTML first: it needs no WeasyPrint, which a new worker may still be importing.
        htmls, files = brochure_htmls(article, project, sheet, profile)
        from pipeline.channels.print.typeset import render_brochure

        pdfs = render_brochure(article, project, sheet, htmls, files)
        return [Output(v.output.format(slug=article.slug), pdfs[v]) for v in (PRESS, SCREEN)]
