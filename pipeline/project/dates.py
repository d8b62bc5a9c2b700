"""The one date string per date: front matter dates as RFC 3339 with an offset.

The rule: a date (2026-11-25) is midnight in the site's time zone (`site.timezone` in
publish.yml, an IANA name, default UTC); a date and time without an offset is in that zone
too; a date and time with an offset keeps its own offset. `<time datetime>`, Open Graph,
JSON-LD, the Atom feed and the sitemap all show the string `stamp()` makes, so they cannot
drift apart.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo


def aware(moment: date | datetime, zone: str) -> datetime:
    """`moment` as a date and time with an offset, by the rule above."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def stamp(moment: date | datetime, zone: str) -> str:
    """'2026-11-25T00:00:00-05:00': RFC 3339, to the second."""
    return aware(moment, zone).isoformat(timespec="seconds")


def day(moment: date | datetime, zone: str) -> str:
    """'2026-11-25': the calendar day of `moment` (for schema.org Date values)."""
    return aware(moment, zone).date().isoformat()
