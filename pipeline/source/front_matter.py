"""An article's front matter: the keys it may hold, each validated with a message."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    field_validator,
    model_validator,
)

from pipeline.project import references
from pipeline.project.schema import Model
from pipeline.project.text import header_problem


def parse_moment(value: object) -> date | datetime:
    if isinstance(value, date):  # datetime is a date too
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("expected a date such as 2026-11-25 (ISO 8601)")


def _slug(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise ValueError(
            "expected lowercase letters, digits and single hyphens, such as "
            "'pain-relief' (the slug names the page's folder)"
        )
    return value


def _listed(value: object) -> object:
    return [value] if isinstance(value, str) else value


Moment = Annotated[date | datetime, PlainValidator(parse_moment)]


class BrochureOptions(Model):
    """`brochure:` in the front matter: this article's print layout and its shorter copy."""

    layout: Literal["booklet", "trifold"] | None = None
    excerpt: str | None = None


class FrontMatter(Model):
    title: str
    summary: str
    date: Moment
    updated: Moment | None = None
    author: str | None = None
    tags: Annotated[list[str], BeforeValidator(_listed)] = []
    # The slug names output folders and files: lowercase words and hyphens only, never a path.
    slug: Annotated[str | None, AfterValidator(_slug)] = None
    lang: str | None = None
    image: str | None = None
    image_alt: str | None = None
    subject: str | None = None
    reviewed_by: str | None = None
    last_reviewed: Moment | None = None
    brochure: BrochureOptions = BrochureOptions()
    # Kept out of every output until it is false (schedule.py; `publish build --drafts`).
    draft: bool = False
    # References for this article, besides publish.yml's (paths from the article's folder).
    bibliography: Annotated[list[str], BeforeValidator(references.bibliography_files)] = []
    csl: str | None = None  # its citation style, when not publish.yml's

    @field_validator("csl")
    @classmethod
    def _style(cls, value: str | None) -> str | None:
        return value and references.style_setting(value)

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank: every channel shows it")
        return value

    @field_validator("title", "subject")
    @classmethod
    def _fits_a_header(cls, value: str | None) -> str | None:
        # The subject, else the title, is the email's Subject header.
        problem = value and header_problem(value, "Subject")
        if problem:
            raise ValueError(problem[0])
        return value

    @model_validator(mode="after")
    def _image_needs_alt(self) -> FrontMatter:
        if self.image and not (self.image_alt or "").strip():
            raise ValueError(
                "'image_alt' is required when 'image' is given: describe the "
                "picture for readers who cannot see it"
            )
        return self
