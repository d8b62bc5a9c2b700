"""The print channel: an article's brochure for the print shop, and its screen PDF for the web."""

from __future__ import annotations

from pipeline.channels.base import Channel, Output
from pipeline.channels.print.brochure import PRESS, SCREEN, Sheet, brochure_html, layout_of
from pipeline.channels.print.cmyk import output_profile
from pipeline.project.folder import Project
from pipeline.source.article import Article


class PrintChannel(Channel):
    name = "print"
    description = "a brochure: PDF/X for the print shop, and a tagged screen PDF for the web page"
    layouts = ("base.html.j2", "partials/", "print/", "fonts/")
    pieces = (PRESS.name, SCREEN.name)
    lays_out = True

    def prepare(self, project: Project) -> None:
        output_profile(project.config.print.icc_profile, project.root)

    def render_piece(self, article: Article, project: Project, piece: str) -> list[Output]:
        variant = PRESS if piece == PRESS.name else SCREEN
        settings = project.config.print
        sheet = Sheet.of(layout_of(article, project), settings.size)
        profile = output_profile(settings.icc_profile, project.root)
        # The HTML first: it needs no WeasyPrint, which a new worker may still be importing.
        html, files = brochure_html(article, project, variant, sheet, profile)
        from pipeline.channels.print.typeset import render_brochure

        pdf = render_brochure(article, project, variant, sheet, html, files)
        return [Output(variant.output.format(slug=article.slug), pdf)]
