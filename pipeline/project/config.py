"""The project's one config file, publish.yml, as typed and validated settings."""

from __future__ import annotations

import re
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from pipeline.errors import PublishError
from pipeline.project import references, words
from pipeline.project.schema import Model, validate
from pipeline.project.text import header_problem
from pipeline.project.yaml_reader import load_yaml

CONFIG_NAME = "publish.yml"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Site(Model):
    name: str
    base_url: str
    language: str = "en"
    # Dates without an offset are in this zone (pipeline/dates.py has the rule).
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError("expected an IANA time zone such as America/New_York") from error
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an absolute URL such as https://clinic.example/")
        return value if value.endswith("/") else value + "/"


class PostalAddress(Model):
    street: str
    locality: str
    region: str
    postal_code: str
    country: str = "US"


class Hours(Model):
    days: list[Literal[DAYS]]  # type: ignore[valid-type]
    opens: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    closes: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class Organization(Model):
    name: str
    address: PostalAddress
    hours: list[Hours] = []
    # Contact data is never invented: each is shown only when the clinic gives it.
    phone: str | None = None
    email: str | None = None
    url: str | None = None


class Colour(Model):
    rgb: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    cmyk: list[float]

    @field_validator("cmyk")
    @classmethod
    def _percentages(cls, value: list[float]) -> list[float]:
        if len(value) != 4 or not all(0 <= part <= 100 for part in value):
            raise ValueError("expected four percentages from 0 to 100 (C, M, Y, K)")
        return value


class Colours(Model):
    primary: Colour
    accent: Colour
    ink: Colour
    paper: Colour


class Fonts(Model):
    heading: str
    body: str


class Brand(Model):
    colors: Colours
    fonts: Fonts


class WebSettings(Model):
    # The Atom feed carries the newest articles only, as most sites' feeds do.
    feed_entries: int = Field(default=20, ge=1)


# What each of the copy's type limits is in, and the widest range it may be given.
COPYFIT_RANGES = {
    "body_size": ("in points", 6, 16),
    "leading": ("times the type size", 1, 2),
    "column_gap": ("in inches", 0.1, 1),
    "heading_space": ("times the layout's", 0.5, 3),
    "margins": ("in inches", 0.3, 1.5),
}


class Copyfit(Model):
    """The limits a brochure's copy is set within: each [smallest, largest]. The build tries
    the type between them and picks the largest that fills the pages (channels/print/fitting.py)."""

    body_size: list[float] = [9.5, 11]
    leading: list[float] = [1.3, 1.65]
    column_gap: list[float] = [0.25, 0.4]
    heading_space: list[float] = [0.8, 2]
    margins: list[float] = [0.7, 1]  # a booklet's, at the sides: 0.15 in more above, 0.2 below

    @field_validator("body_size", "leading", "column_gap", "heading_space", "margins")
    @classmethod
    def _range(cls, value: list[float], info: ValidationInfo) -> list[float]:
        unit, low, high = COPYFIT_RANGES[info.field_name]
        if len(value) != 2 or not low <= value[0] <= value[1] <= high:
            raise ValueError(
                f"expected [smallest, largest] {unit}, from {low:g} to {high:g}, smallest first"
            )
        return value


class PrintSettings(Model):
    size: Literal["letter", "a4"] = "letter"
    layout: Literal["booklet", "trifold"] = "booklet"
    # What the print shop asked for: PDF/X-4 (current) or PDF/X-1a (older RIPs, PDF 1.4).
    variant: Literal["pdf/x-4", "pdf/x-1a"] = "pdf/x-4"
    # The CMYK output profile, relative to the project; default: Ghostscript's default_cmyk.icc.
    icc_profile: str | None = None
    copyfit: Copyfit = Copyfit()


class EmailSettings(Model):
    from_: str | None = Field(default=None, alias="from")
    reply_to: str | None = None
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None
    # Typographic quotes, dashes and ellipses become ASCII in the text part and the subject.
    ascii: bool = False
    # The subscriber database: a path in the project, or a sqlite: URL (channels/email/database.py).
    subscribers: str = ".publish/subscribers.db"

    @field_validator("from_", "reply_to", "unsubscribe_url", "unsubscribe_mailto")
    @classmethod
    def _one_line(cls, value: str | None, info: ValidationInfo) -> str | None:
        problem = value and header_problem(value, HEADERS[info.field_name])
        if problem:
            raise ValueError(problem[0])
        return value

    @field_validator("from_", "reply_to", "unsubscribe_mailto")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and "@" not in parseaddr(value)[1]:
            raise ValueError("expected an address such as News <news@clinic.example>")
        return value

    @field_validator("unsubscribe_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https://[^/\s]+(/\S*)?", value):
            raise ValueError("expected an https:// URL such as https://clinic.example/unsubscribe")
        return value

    @field_validator("subscribers")
    @classmethod
    def _sqlite(cls, value: str) -> str:
        scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://", value)
        if scheme and scheme[1] != "sqlite":
            raise ValueError(
                "expected a path or a sqlite:/// URL: subscribers are kept in SQLite only"
            )
        return value


# The email header each setting becomes.
HEADERS = {
    "from_": "From",
    "reply_to": "Reply-To",
    "unsubscribe_url": "List-Unsubscribe",
    "unsubscribe_mailto": "List-Unsubscribe",
}


class BuildSettings(Model):
    # What one article may take of a build worker (with its pandoc) before the worker is
    # stopped and the article fails alone: the largest article allowed (1 MB) takes about
    # 60 s and 1.2 GB on a 2-core machine.
    article_seconds: int = Field(default=300, ge=1)
    article_memory: int = Field(default=3000, ge=300)  # megabytes


LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")  # BCP 47, as `lang` takes it


class Config(Model):
    site: Site
    organization: Organization
    brand: Brand
    # One text in the site's language, or one per language: {en: "...", es: "..."}.
    disclaimer: str | dict[str, str]
    web: WebSettings = WebSettings()
    print: PrintSettings = PrintSettings()
    email: EmailSettings = EmailSettings()
    build: BuildSettings = BuildSettings()
    # Every article's references (paths from the project folder); an article may add its own.
    bibliography: Annotated[list[str], BeforeValidator(references.bibliography_files)] = []
    # The citation style: one publish ships, by name, or a .csl file of the project.
    csl: str = references.DEFAULT_STYLE

    @field_validator("csl")
    @classmethod
    def _style(cls, value: str) -> str:
        return references.style_setting(value)

    @field_validator("disclaimer", mode="before")
    @classmethod
    def _text_per_language(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            return value
        if not isinstance(value, dict) or not value:
            raise ValueError(
                'expected text, or one text per language such as {en: "...", es: "..."}'
            )
        for key, text in value.items():
            if not (isinstance(key, str) and LANGUAGE_CODE.match(key)):
                raise ValueError(f"expected language codes such as en or es-MX, not '{key}'")
            if not isinstance(text, str):
                raise ValueError(f"expected text in '{key}'")
        site = info.data.get("site")
        if site and _text_for(value, site.language) is None:
            raise ValueError(
                f"expected a text in the site's language, '{site.language}' (site.language), "
                f"among the languages given ({', '.join(value)})"
            )
        return value

    def disclaimer_in(self, lang: str) -> tuple[str, str]:
        """The disclaimer for an article in `lang`, and the language it is written in: the
        site's when `disclaimer` is one text, or when it has none in `lang`."""
        site = self.site.language
        if isinstance(self.disclaimer, str):
            return self.disclaimer, site
        found = _text_for(self.disclaimer, lang) or _text_for(self.disclaimer, site)
        return found or next(iter(self.disclaimer.items()))  # (the validator wants `site`'s)


def _text_for(texts: dict[str, str], lang: str) -> tuple[str, str] | None:
    """The text for `lang` ('es-MX'), else for its language ('es'), with the key it had."""
    keys = {key.replace("_", "-").lower(): key for key in texts}
    for candidate in (lang.replace("_", "-").lower(), words.base_language(lang)):
        if candidate in keys:
            return texts[keys[candidate]], keys[candidate]
    return None


def load_config(root: Path) -> Config:
    """Read and validate `publish.yml` in the project folder `root`."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise PublishError(
            f"no {CONFIG_NAME} in {root}",
            hint="Run publish from the project folder (the one with publish.yml)",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PublishError("is not UTF-8 text", path, hint="Save it as UTF-8") from error
    data, lines = load_yaml(text, path)
    return validate(Config, data, path, lines, CONFIG_NAME)


def hours_lines(hours: list[Hours], lang: str) -> list[str]:
    """'Monday – Friday: 9:00 am – 5:00 pm', in `lang`."""
    return [
        f"{words.day_range([DAYS.index(day) for day in h.days], lang)}: "
        f"{words.clock(h.opens, lang)} – {words.clock(h.closes, lang)}"
        for h in hours
    ]
