"""The web channel: an HTML5 page per article, an index of them all, the shared assets."""

from __future__ import annotations

from .. import pandoc
from ..article import Article
from ..output import Output
from ..project import Project
from ..templates import safe
from .base import Channel


class WebChannel(Channel):
    name = "web"
    description = "a static site: one page per article, an index, stylesheet and fonts"
    layouts = ("base.html.j2", "partials/", "web/", "fonts/")

    def render(self, article: Article, project: Project) -> list[Output]:
        body = pandoc.write(article.ast_for(self.name), "html5", article.path)
        page = project.render(
            "web/article.html.j2",
            article=article,
            body=safe(body),
            url=project.url(f"{article.slug}/"),
            root="../",
            lang=article.lang,
        )
        outputs = [Output(f"web/{article.slug}/index.html", page.encode())]
        # Images keep the path they have in the source, next to the page.
        outputs += [
            Output(f"web/{article.slug}/{target}", file.read_bytes())
            for target, file in article.media.items()
        ]
        return outputs

    def render_site(self, articles: list[Article], project: Project) -> list[Output]:
        newest_first = sorted(articles, key=lambda a: (str(a.meta.date), a.slug), reverse=True)
        index = project.render(
            "web/index.html.j2",
            articles=newest_first,
            root="",
            url=project.url(),
            lang=project.config.site.language,
        )
        css = project.render(
            "web/style.css.j2", fonts=project.fonts, font_url=lambda face: f"fonts/{face.path.name}"
        )
        outputs = [
            Output("web/index.html", index.encode()),
            Output("web/assets/style.css", css.encode()),
        ]
        outputs += [
            Output(f"web/assets/fonts/{face.path.name}", face.path.read_bytes())
            for face in project.fonts
        ]
        return outputs
