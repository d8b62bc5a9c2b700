"""The project's one config file, publish.yml, as typed and validated settings."""

from __future__ import annotations

import re
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationInfo, field_validator

from pipeline.errors import PublishError
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


class PrintSettings(Model):
    size: Literal["letter", "a4"] = "letter"
    layout: Literal["booklet", "trifold"] = "booklet"
    # What the print shop asked for: PDF/X-4 (current) or PDF/X-1a (older RIPs, PDF 1.4).
    variant: Literal["pdf/x-4", "pdf/x-1a"] = "pdf/x-4"
    # The CMYK output profile, relative to the project; default: Ghostscript's default_cmyk.icc.
    icc_profile: str | None = None


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


class Config(Model):
    site: Site
    organization: Organization
    brand: Brand
    disclaimer: str
    web: WebSettings = WebSettings()
    print: PrintSettings = PrintSettings()
    email: EmailSettings = EmailSettings()
    build: BuildSettings = BuildSettings()


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


def day_range(days: list[str]) -> str:
    """'Monday – Friday' for consecutive days, else the days listed."""
    indexes = [DAYS.index(day) for day in days]
    consecutive = indexes == list(range(indexes[0], indexes[0] + len(indexes)))
    if len(days) > 2 and consecutive:
        return f"{days[0]} – {days[-1]}"
    return ", ".join(days) if len(days) != 2 or not consecutive else f"{days[0]} – {days[1]}"


def clock(time: str) -> str:
    """'17:00' -> '5:00 pm'."""
    hour, minute = (int(part) for part in time.split(":"))
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {'am' if hour < 12 else 'pm'}"


def hours_lines(hours: list[Hours]) -> list[str]:
    return [f"{day_range(h.days)}: {clock(h.opens)} – {clock(h.closes)}" for h in hours]
