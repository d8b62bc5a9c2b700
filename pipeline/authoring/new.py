"""`publish new`: a new article with valid front matter and a skeleton that builds as it is."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.files import write_atomic
from pipeline.project.folder import Project
from pipeline.source.rules import PLACEHOLDER, SUMMARY
from pipeline.source.sources import slugify

BODY = f"""\
{PLACEHOLDER} paragraph with the opening: what the article is about, and why it matters to
the reader.

## First section

{PLACEHOLDER} with the first section. Give each section a heading that says what it covers.

## Second section

{PLACEHOLDER} with the next section.

To learn more, contact {{{{< var organization.name >}}}}.
"""


def new_article(project: Project, title: str, day: date | None = None, draft: bool = False) -> Path:
    """Write `source/<slug>.md` for `title`, dated `day` (default: today), a draft if asked;
    never overwrite."""
    title = " ".join(title.split())
    if not title:
        raise PublishError(
            "the title is empty", hint='Give the article a title: publish new "Living with pain"'
        )
    target = project.source_dir / f"{slugify(title)}.md"
    refuse_to_overwrite(target, "publish new")
    fields = {"title": title, "summary": SUMMARY, "date": day or date.today()}
    fields |= {"draft": True} if draft else {}
    text = front_matter(fields) + "\n" + BODY
    write_atomic(target, text.encode())
    return target


def refuse_to_overwrite(target: Path, command: str) -> None:
    if target.exists():
        raise PublishError(
            f"already exists, and {command} never overwrites",
            target,
            hint="Give it another title, or edit the article that is there",
        )


def front_matter(fields: dict[str, object]) -> str:
    """A YAML front matter block with `fields` in order; None values are left out."""
    lines = [f"{key}: {_yaml(value)}" for key, value in fields.items() if value is not None]
    return "\n".join(["---", *lines, "---", ""])


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    # A JSON string is a YAML double-quoted scalar: quotes, colons and '#' stay text.
    return json.dumps(str(value), ensure_ascii=False)
