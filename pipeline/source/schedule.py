"""An article's publication state: published, a draft, or scheduled until its date.

The one rule, for the build, `publish check`, the newsletter and the studio alike:

    state = publication_state(article.meta, today(config.site.timezone), config.site.timezone)

An article with `draft: true` is a draft; one whose `date` falls after `today` (the calendar
day in the site's time zone) is scheduled until that day, and published from it. `today`
is the clock's day unless a build is given one (`publish build --as-of 2026-12-01`), so a
build depends on the date only through which articles are published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from pipeline.project import dates
from pipeline.source.problems import NOTE, Problem


class Dated(Protocol):
    """What the state is decided from: an article's front matter (`FrontMatter`), or the few
    keys a build reads before it reads the article (`sources.Declared`)."""

    draft: bool
    date: date | datetime | None


@dataclass(frozen=True)
class State:
    draft: bool = False  # `draft: true` in the front matter
    until: date | None = None  # dated after today: published on this day

    @property
    def published(self) -> bool:
        return not self.draft and self.until is None

    def __str__(self) -> str:
        """'published', 'draft' or 'scheduled until 2026-12-01' (a draft is a draft whatever
        its date)."""
        if self.draft:
            return "draft"
        return f"scheduled until {self.until.isoformat()}" if self.until else "published"

    def left_out(self) -> str:
        """Why a build leaves the article out, and how to build it."""
        if self.draft:
            return "a draft (publish build --drafts builds it, marked)"
        day = self.until.isoformat() if self.until else ""
        return f"scheduled: it goes out on {day} (publish build --as-of {day} builds it)"


PUBLISHED = State()


def publication_state(meta: Dated, today: date, timezone: str) -> State:
    """Whether the article of `meta` is published on `today`, in the site's `timezone`."""
    day = (
        dates.aware(meta.date, timezone).astimezone(ZoneInfo(timezone)).date()
        if meta.date
        else None
    )
    until = day if day is not None and day > today else None
    return State(draft=bool(meta.draft), until=until)


def today(timezone: str, as_of: date | None = None) -> date:
    """The calendar day now in `timezone`, or `as_of` when a build was given one."""
    return as_of if as_of is not None else datetime.now(ZoneInfo(timezone)).date()


def state_notes(state: State, path: Path, lines: dict) -> list[Problem]:
    """`publish check` lists the drafts, and says when each scheduled article goes out."""
    if state.draft:
        return [
            Problem(
                NOTE,
                "is a draft: no output, listing, feed or newsletter shows it",
                path,
                lines.get(("draft",)),
                "Take out 'draft: true' to publish it; publish build --drafts builds it marked "
                "as a draft",
            )
        ]
    if state.until is None:
        return []
    day = state.until.isoformat()
    return [
        Problem(
            NOTE,
            f"is scheduled: it goes out on {day} (its date); until then no output, listing, "
            "feed or newsletter shows it",
            path,
            lines.get(("date",)),
            f"publish build --as-of {day} builds the site as it will be that day",
        )
    ]
