"""The email channel: the newsletter as plain text, as an HTML email, and as a ready .eml."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from pipeline.channels.base import Channel, Output
from pipeline.channels.email import greeting
from pipeline.channels.email import html as mailhtml
from pipeline.channels.email import text as mailtext
from pipeline.channels.email.message import Letter, compose
from pipeline.channels.ids import unique_ids
from pipeline.errors import warn
from pipeline.project.folder import Project
from pipeline.project.templates import safe
from pipeline.project.text import plain_text
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc
from pipeline.source.article import Article

FILTER = "filters/plain-email.lua"
SUBJECT_LIMIT = 60  # characters an inbox shows before it cuts the subject off


class EmailChannel(Channel):
    name = "email"
    description = "a newsletter: plain text, an HTML email and a ready .eml (multipart/alternative)"
    layouts = ("base.html.j2", "partials/", "email/", "filters/")

    def render(self, article: Article, project: Project) -> list[Output]:
        meta = article.meta
        subject = marked(meta.subject or meta.title, article)
        url = project.url(f"{article.slug}/")
        context = dict(article=article, url=url, web_url=url, subject=subject, lang=article.lang)
        letter = Letter(
            key=article.slug,
            subject=subject,
            subject_field=f"'{'subject' if meta.subject else 'title'}' in the front matter",
            moment=meta.date,
            text=project.render(
                "email/newsletter.txt.j2", body=self.text_body(article, project, url), **context
            ),
            html=project.render(
                "email/newsletter.html.j2",
                body=self.html_body(article, url),
                preheader=meta.summary,
                **context,
            ),
            source=article.path,
        )
        return letter_outputs(letter, project)

    def text_body(self, article: Article, project: Project, url: str) -> str:
        tree = absolute(article.ast_for(self.name), url)
        filter_path = project.layout_file(FILTER)
        ascii = project.config.email.ascii
        return mailtext.body(tree, filter_path, ascii, article.path, article.lang)

    def html_body(self, article: Article, url: str) -> Markup:
        tree = absolute(mailhtml.prepared(article.ast_for(self.name), article.media), url)
        return safe(pandoc.write(tree, "html5", article.path))


def marked(subject: str, article: Article) -> str:
    """A draft's subject says so ("[DRAFT] ..."): it is a proof, never the newsletter."""
    if article.state.published:
        return subject
    return f"[{translate('Draft', article.lang).upper()}] {subject}"


def warn_long_subject(subject: str, advice: str, source: Path | None) -> None:
    if len(subject) > SUBJECT_LIMIT:
        warn(
            f"the email subject is {len(subject)} characters long; inboxes cut it off "
            f"after about {SUBJECT_LIMIT}: {advice}",
            source,
        )


def absolute(tree: dict, url: str) -> dict:
    """A mail client has no page to resolve relative links against: make them absolute. The
    reader's name becomes a marker each message sent fills (greeting.py)."""
    return greeting.mark_names(
        pandoc_ast.map_targets(
            tree, lambda kind, target: target if target.startswith("#") else urljoin(url, target)
        )
    )


def letter_outputs(letter: Letter, project: Project) -> list[Output]:
    """The letter's .txt, .html and .eml, each in its final form: the .eml keeps the markers of
    the reader's name for `publish send` to fill, the .txt and .html show the fallback."""
    settings = project.config.email
    check_settings(project, letter)
    html = unique_ids(mailhtml.inline_css(letter.html, letter.source))
    mailhtml.check_size(html, letter.source)
    final = dataclasses.replace(
        letter,
        subject=plain_text(letter.subject, settings.ascii),
        text=mailtext.tidy(letter.text) + "\n",
        html=html + "\n",
    )
    eml = compose(final, settings, urlsplit(project.url()).hostname or "localhost")
    stem = f"email/{letter.key}"
    return [
        Output(f"{stem}.txt", greeting.fill_text(final.text, None).encode()),
        Output(f"{stem}.html", greeting.fill_html(final.html, None).encode()),
        Output(f"{stem}.eml", eml),
    ]


def check_settings(project: Project, letter: Letter) -> None:
    settings = project.config.email
    if not settings.from_:
        warn(
            "publish.yml has no 'email.from': the .eml has no sender and cannot be sent; "
            "add the newsletter's From address",
            letter.source,
        )
    if not (settings.unsubscribe_url or settings.unsubscribe_mailto):
        warn(
            "publish.yml has neither 'email.unsubscribe_url' nor 'email.unsubscribe_mailto': "
            "a newsletter must tell readers how to stop receiving it",
            letter.source,
        )
