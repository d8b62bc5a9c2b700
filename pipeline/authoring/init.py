"""`publish init`: a new organisation's project (publish.yml, source/ with one sample article)
that builds as it is with the built-in layouts. Nothing about the organisation is invented:
what it was not told is a placeholder that `publish check` points at, and web and email
addresses use the reserved .example domain."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from pipeline.authoring.new import new_article
from pipeline.errors import PublishError
from pipeline.project.config import CONFIG_NAME
from pipeline.project.files import write_atomic
from pipeline.project.folder import Project
from pipeline.source.rules import PLACEHOLDER
from pipeline.source.sources import slugify

GITIGNORE = "/output/\n/.publish-cache/\n/.publish/\n"


@dataclass(frozen=True)
class Organisation:
    """What publish.yml says of the organisation: given, or a placeholder."""

    name: str
    base_url: str = ""  # default: https://<the name as a slug>.example/
    street: str = f"{PLACEHOLDER}: street and number"
    locality: str = f"{PLACEHOLDER}: town or city"
    region: str = f"{PLACEHOLDER}: state or region"
    postal_code: str = f"{PLACEHOLDER}: postal code"
    country: str = "US"

    @property
    def site(self) -> str:
        url = self.base_url or f"https://{slugify(self.name)}.example/"
        return url if url.endswith("/") else url + "/"

    def value(self, key: str) -> str:
        """What publish.yml will say for `key` (the web address made up of the name)."""
        return self.site if key == "base_url" else getattr(self, key)

    @property
    def domain(self) -> str:
        return self.site.split("://", 1)[-1].split("/", 1)[0]


# What a terminal is asked for, in order: (field, question). The name comes first, apart.
# A question and its default answer -> the answer.
Ask = Callable[[str, str], str]
QUESTIONS = [
    ("base_url", "Web address of the site"),
    ("street", "Postal address: street and number"),
    ("locality", "Town or city"),
    ("region", "State or region"),
    ("postal_code", "Postal code"),
    ("country", "Country code"),
]
CONFIG = """\
# The project's settings: one file for every channel. Reference: docs/authoring.md.
# `publish check` warns about every value still to replace.
site:
  name: {name}
  base_url: {site}
  language: en
  timezone: UTC  # the IANA zone of dates written without one, such as America/New_York

organization:
  name: {name}
  address:
    street: {street}
    locality: {locality}
    region: {region}
    postal_code: {postal_code}
    country: {country}
  # hours, phone, email and url: add them when they are known; none is shown until then.

brand:
  colors:
    primary: {{ rgb: "#1f4e79", cmyk: [90, 55, 10, 25] }}
    accent: {{ rgb: "#c0504d", cmyk: [10, 80, 65, 5] }}
    ink: {{ rgb: "#1d2427", cmyk: [0, 0, 0, 100] }}
    paper: {{ rgb: "#ffffff", cmyk: [0, 0, 0, 0] }}
  fonts:
    heading: Inter
    body: Inter

disclaimer: {disclaimer}

print:
  size: letter  # or a4

email:
  # Addresses on the reserved .example domain until the organisation gives its own.
  from: {sender}
  unsubscribe_url: {unsubscribe}
"""


def init_project(
    folder: Path, name: str, ask: Ask | None = None, day: date | None = None
) -> list[Path]:
    """Write a new project for the organisation `name` in `folder` (made if need be); never
    over an existing one. With `ask` (a terminal's prompt), the rest of what publish.yml says
    of the organisation is asked for; else it is left as placeholders. Returns what it wrote."""
    config = folder / CONFIG_NAME
    if config.exists():
        raise PublishError(
            "already holds a project, and publish init never overwrites",
            config,
            hint="Give publish init a new folder",
        )
    organisation = Organisation(name)
    if ask is not None:
        answers = {key: ask(question, organisation.value(key)) for key, question in QUESTIONS}
        organisation = Organisation(name, **answers)
    write_atomic(config, config_text(organisation).encode())
    write_atomic(folder / ".gitignore", GITIGNORE.encode())
    (folder / "source").mkdir(exist_ok=True)
    article = new_article(Project.load(folder), f"Welcome to {organisation.name}", day)
    return [config, folder / ".gitignore", article]


def config_text(organisation: Organisation) -> str:
    """publish.yml for `organisation`: every value a YAML double-quoted string (JSON's)."""
    values = {field.name: getattr(organisation, field.name) for field in fields(organisation)}
    values |= {
        "site": organisation.site,
        "disclaimer": f"{PLACEHOLDER}: the disclaimer every channel shows under an article.",
        "sender": f"{organisation.name} <newsletter@{organisation.domain}>",
        "unsubscribe": f"{organisation.site}unsubscribe",
    }
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    return CONFIG.format(**quoted)
