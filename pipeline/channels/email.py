"""The email channel: the newsletter as plain text that reads well in any mail client."""

from __future__ import annotations

from urllib.parse import urljoin

from .. import ast as pandoc_ast
from .. import pandoc
from ..article import Article
from ..output import Output
from ..project import Project
from .base import Channel

COLUMNS = 72


class EmailChannel(Channel):
    name = "email"
    description = "a newsletter: plain text wrapped at 72 columns"
    layouts = ("base.html.j2", "partials/", "email/", "filters/")

    def render(self, article: Article, project: Project) -> list[Output]:
        url = project.url(f"{article.slug}/")
        # A mail client has no page to resolve relative links against: make them absolute.
        tree = pandoc_ast.map_targets(
            article.ast_for(self.name),
            lambda kind, target: target if target.startswith("#") else urljoin(url, target),
        )
        body = pandoc.write(
            tree,
            "plain",
            article.path,
            [
                "--wrap=auto",
                f"--columns={COLUMNS}",
                "--lua-filter",
                str(project.layout_file("filters/plain-email.lua")),
            ],
        )
        body = "\n".join(line.rstrip() for line in body.strip("\n").split("\n"))
        text = project.render("email/newsletter.txt.j2", article=article, body=body, url=url)
        return [Output(f"email/{article.slug}.txt", text.encode())]
