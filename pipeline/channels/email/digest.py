"""A digest: several articles in one newsletter issue (title, summary, excerpt, link)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.channels.base import Output
from pipeline.channels.email.channel import letter_outputs, warn_long_subject
from pipeline.channels.email.message import Letter
from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc
from pipeline.source.article import Article
from pipeline.source.sources import slugify

EXCERPT_WORDS = 40


@dataclass(frozen=True)
class Entry:
    article: Article
    url: str
    excerpt: str


def digest_outputs(
    project: Project, articles: list[Article], subject: str, name: str
) -> list[Output]:
    """output/email/<name>.txt, .html and .eml: one issue made of `articles`, in order
    (`check_name` first: the name must be one before the articles are read)."""
    check_not_a_slug(name, project, articles)
    warn_long_subject(subject, "shorten --subject", None)
    return letter_outputs(digest_letter(project, articles, subject, name), project)


def check_name(name: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise PublishError(
            f"--name '{name}' must be lowercase letters, digits and hyphens",
            hint=f"It names the files output/email/<name>.*; for example --name {slugify(name)}",
        )


def check_not_a_slug(name: str, project: Project, articles: list[Article]) -> None:
    """An article's newsletter and the digest would write the same files."""
    paths = {slugify(path.stem): path for path in project.source_dir.glob("*.md")}
    paths.update({article.slug: article.path for article in articles})
    if name in paths:
        raise PublishError(
            f"--name '{name}' is the slug of {display_path(paths[name])}: the digest would "
            f"overwrite that article's newsletter",
            hint="Choose another name",
        )


def digest_letter(project: Project, articles: list[Article], subject: str, name: str) -> Letter:
    entries = [Entry(a, project.url(f"{a.slug}/"), excerpt(a)) for a in articles]
    newest = max(articles, key=lambda a: str(a.meta.date))  # dates and datetimes mix
    lang = digest_language(articles, project.config.site.language)
    context = dict(entries=entries, subject=subject, moment=newest.meta.date, lang=lang)
    titles = " · ".join(entry.article.meta.title for entry in entries)
    return Letter(
        key=name,
        subject=subject,
        subject_field="--subject",
        moment=newest.meta.date,
        text=project.render("email/digest.txt.j2", **context),
        html=project.render(
            "email/digest.html.j2",
            web_url=None,  # a digest has no web page of its own
            preheader=translate("In this issue: {titles}", lang, titles=titles),
            **context,
        ),
    )


def digest_language(articles: list[Article], site_language: str) -> str:
    """The language of an issue: its articles' when they share one, else the site's (each
    entry's own words are then in its article's language)."""
    languages = {article.lang for article in articles}
    return languages.pop() if len(languages) == 1 else site_language


def excerpt(article: Article) -> str:
    """The first paragraph as plain text, cut after about EXCERPT_WORDS words."""
    blocks = article.ast_for("email")["blocks"]
    first = next((block for block in blocks if block["t"] == "Para"), None)
    if first is None:
        return ""
    tree = {**article.ast, "blocks": [_without_notes(first)]}
    # Links become their text and images go: the excerpt is a teaser, its link is the article.
    tree = pandoc_ast.map_targets(tree, lambda kind, target: None)
    words = pandoc.write(tree, "plain", article.path, ["--wrap=none"]).split()
    if len(words) <= EXCERPT_WORDS:
        return " ".join(words)
    return " ".join(words[:EXCERPT_WORDS]) + " …"


def _without_notes(node):
    """The node without its notes and citations: marks that lead to nothing in a teaser (the
    words of a citation in the text, as in "Smith (2020) found", stay)."""
    if isinstance(node, list):
        kept: list = []
        for item in node:
            if _is_mark(item):
                if kept and kept[-1] == {"t": "Space"}:
                    kept.pop()  # "calm (Smith, 2020)." -> "calm."
                continue
            kept.append(_without_notes(item))
        return kept
    if isinstance(node, dict):
        return {key: _without_notes(value) for key, value in node.items()}
    return node


def _is_mark(node) -> bool:
    if not isinstance(node, dict):
        return False
    if node.get("t") == "Cite":  # in a numbered style, `@key` in the text is a number too
        in_text = all(c["citationMode"]["t"] == "AuthorInText" for c in node["c"][0])
        return not (in_text and any(ch.isalpha() for ch in pandoc_ast.stringify(node["c"][1])))
    return node.get("t") == "Note"
