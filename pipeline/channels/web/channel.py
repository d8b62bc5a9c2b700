"""The web channel: a page per article; the index, feed, sitemap, robots.txt, 404 and assets."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markupsafe import escape

from pipeline.channels.base import Channel, Output
from pipeline.channels.ids import unique_ids
from pipeline.channels.web.body import image_size, media_files, page_url, web_body
from pipeline.channels.web.feeds import Listed, atom_feed, robots, sitemap
from pipeline.channels.web.meta import Picture, json_ld, open_graph, page_facts
from pipeline.channels.web.palette import schemes
from pipeline.project import dates
from pipeline.project.folder import FontFace, Project
from pipeline.project.templates import safe
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc
from pipeline.source.article import Article
from pipeline.source.pictures import published

FOOTNOTES = re.compile(r'<section id="footnotes"[^>]*>')
# Pandoc's highlighter adds empty links per code line and colours the site's CSS never sets.
WRITER_ARGS = ["--syntax-highlighting=none"]


class WebChannel(Channel):
    name = "web"
    description = "a static site: article pages, index, Atom feed, sitemap, robots.txt, 404"
    layouts = ("base.html.j2", "partials/", "web/", "fonts/")

    def render(self, article: Article, project: Project) -> list[Output]:
        url, lang = project.url(f"{article.slug}/"), article.lang
        hero = hero_image(article, project, url)
        body = web_body(article, project.root, article.lang, hero=hero is not None)
        html = titled_footnotes(pandoc.write(body.tree, "html5", article.path, WRITER_ARGS), lang)
        facts = page_facts(article, project.config, url, hero)
        page = project.render(
            "web/article.html.j2",
            article=article,
            body=safe(html),
            url=url,
            root="../",
            lang=article.lang,
            facts=facts,
            meta_properties=open_graph(article, project.config, facts),
            json_ld=json_ld(article, project.config, facts),
            toc=body.toc,
            reading_minutes=body.reading_minutes,
            hero_src=hero and page_url(article.meta.image or "", article, project.root),
            brochure="print" in project.channels,  # the print channel makes brochure.pdf here
        )
        outputs = [Output(f"web/{article.slug}/index.html", unique_ids(page).encode())]
        outputs += [
            Output(f"web/{article.slug}/{path}", published(file))
            for path, file in media_files(article, project.root).items()
        ]
        feed_content(article, url, project)  # made here, in parallel; the feed reuses it
        return outputs

    def render_site(self, articles: list[Article], project: Project) -> list[Output]:
        listed = newest_first(articles, project)
        # A draft (`publish build --drafts`, `publish serve`) is on the index, marked, but
        # never in the feed or the sitemap: readers' feed apps and search engines keep it.
        published = [item for item in listed if item.article.state.published]
        entries = [
            listed_with_content(item, project)
            for item in published[: project.config.web.feed_entries]
        ]
        base = project.config.site.base_url
        site_path = urlsplit(base).path  # 404.html is served at any depth: its links are rooted
        pages = {
            "index.html": ("web/index.html.j2", {"articles": listed, "root": "", "url": base}),
            "404.html": ("web/404.html.j2", {"root": site_path, "url": base + "404.html"}),
        }
        outputs = [
            Output(
                f"web/{name}",
                project.render(layout, lang=project.config.site.language, **context).encode(),
            )
            for name, (layout, context) in pages.items()
        ]
        outputs += [
            Output("web/feed.xml", atom_feed(entries, project.config)),
            Output("web/sitemap.xml", sitemap(base, published)),
            Output("web/robots.txt", robots(base)),
        ]
        return outputs + assets(project)


def titled_footnotes(html: str, lang: str) -> str:
    """Give pandoc's footnotes <section> a heading (vnu: "Section lacks heading")."""
    title = f'\n<h2 class="footnotes-title">{escape(translate("Notes", lang))}</h2>'
    return FOOTNOTES.sub(lambda match: match[0] + title, html, count=1)


def hero_image(article: Article, project: Project, url: str) -> Picture | None:
    """The front matter's image, as an absolute URL with its size where the file says it."""
    target, alt = article.meta.image, article.meta.image_alt or ""
    if not target:
        return None
    if target in article.media:
        size = image_size(article.media[target]) or (None, None)
        return Picture(urljoin(url, page_url(target, article, project.root)), alt, *size)
    if urlsplit(target).scheme in ("http", "https"):
        return Picture(target, alt)
    return None  # outside the project: read_article warned and left it out


def newest_first(articles: list[Article], project: Project) -> list[Listed]:
    zone = project.config.site.timezone
    ordered = sorted(articles, key=lambda a: (dates.aware(a.meta.date, zone), a.slug), reverse=True)
    return [
        Listed(
            article,
            project.url(f"{article.slug}/"),
            dates.stamp(article.meta.date, zone),
            dates.stamp(article.meta.updated or article.meta.date, zone),
        )
        for article in ordered
    ]


def listed_with_content(item: Listed, project: Project) -> Listed:
    """`item` with its body as HTML for the feed."""
    html = feed_content(item.article, item.url, project)
    return Listed(item.article, item.url, item.published, item.modified, html)


def feed_content(article: Article, url: str, project: Project) -> str:
    """The body as HTML for the feed, every link and image absolute (`url`: the page's).

    Made once, when the worker renders the page, and kept with the article: the feed, made at
    the end of the build, takes it from there instead of calling pandoc for each entry.
    """

    def absolute(kind: str, target: str) -> str:
        relative = page_url(target, article, project.root) if kind == "Image" else target
        return urljoin(url, relative)

    def make() -> str:
        tree = pandoc_ast.map_targets(article.ast_for("web"), absolute)
        return pandoc.write(tree, "html5", article.path, WRITER_ARGS)

    return article.kept(("feed content", url), make)


def assets(project: Project) -> list[Output]:
    """The stylesheet and the brand fonts (the web build of each where the layouts have one)."""
    fonts = {face: web_font(face, project) for face in project.fonts}
    light, dark = schemes(project.config.brand)
    css = project.render(
        "web/style.css.j2",
        fonts=list(fonts),
        font_url=lambda face: f"fonts/{fonts[face].name}",
        light=light,
        dark=dark,
    )
    outputs = [Output("web/assets/style.css", css.encode())]
    outputs += [Output(f"web/assets/fonts/{f.name}", f.read_bytes()) for f in fonts.values()]
    licence = project.layout_file("fonts/OFL.txt")
    if licence.is_file():  # the SIL Open Font License asks for its text beside the fonts
        outputs.append(Output("web/assets/fonts/OFL.txt", licence.read_bytes()))
    return outputs


def web_font(face: FontFace, project: Project) -> Path:
    """layouts/web/fonts/<name>.woff2 when there is one (made by scripts/web-fonts), else the
    font file itself."""
    woff2 = project.layout_file(f"web/fonts/{face.path.stem}.woff2")
    return woff2 if woff2.is_file() else face.path
