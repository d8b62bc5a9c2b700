"""A brochure's stylesheets parsed once a process, not once a layout.

WeasyPrint parses every `<style>` of a document each time it lays the document out: the copy
fitting lays a brochure out three or four times (its galleys, its layout), the screen PDF's
restyling once more, and every brochure of a project carries the same layout stylesheet
(17 KB). Parsing it took about 0.02 s a layout; a parsed stylesheet is only read afterwards
(its selectors matched, its page rules applied), so it is kept, keyed on its text, its base
URL, its media type and the process's font configuration, and handed to each later layout as
WeasyPrint would have made it.

What parsing does besides (adds its @font-face fonts to the font configuration, its @page
rules to the document's, records the files it read) is done again for each document from
what the first parse did; its @color-profile profiles are read again from their files. A
stylesheet with @layer, @counter-style or @import rules (whose effect depends on the
document's other stylesheets), or whose parsing logged a problem (which each article must be
told), is parsed each time as before.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from dataclasses import dataclass

from pipeline import deps
from pipeline.channels.print.pdf import Records

KEPT = 16  # stylesheets kept a process, the least recently used dropped first


# Rules whose effect depends on the document's other stylesheets: a stylesheet with them is
# parsed each time (an @import'ed one may hold them).
ORDERED = ("@layer", "@counter-style", "@import")


@dataclass(frozen=True)
class _Parsed:
    matcher: object
    base_url: str | None
    page_rules: list
    color_profiles: dict
    files: frozenset
    font_config: object  # held: its id is part of the key


_parsed: OrderedDict[tuple, _Parsed] = OrderedDict()


@functools.cache
def install() -> None:
    """Let WeasyPrint's stylesheet finder make `<style>` stylesheets through `stylesheet`
    (once a process), in WeasyPrint 70 only: another version may parse differently."""
    import weasyprint
    from weasyprint import css

    if weasyprint.__version__.startswith("70."):
        css.CSS = functools.partial(stylesheet, weasyprint.CSS)


def forget() -> None:
    """Drop every stylesheet kept, and with them the font configurations they hold."""
    _parsed.clear()


def stylesheet(make, *args, string=None, font_config=None, **options):
    """WeasyPrint's `CSS(...)` (`make`), from what an earlier call with the same text parsed
    when there was one."""
    keys = {"base_url", "url_fetcher", "media_type", "counter_style", "page_rules",
            "color_profiles", "layers"}  # fmt: skip
    if args or string is None or font_config is None or set(options) != keys:
        return make(*args, string=string, font_config=font_config, **options)
    if any(rule in string for rule in ORDERED):
        return make(string=string, font_config=font_config, **options)
    key = (string, options["base_url"], options["media_type"], id(font_config))
    parsed = _parsed.get(key)
    if parsed is None:
        parsed, problems = _parse(make, string, font_config, options)
        if not problems:  # else parsed again next time, to tell the next article too
            _parsed[key] = parsed
            while len(_parsed) > KEPT:
                _parsed.popitem(last=False)
    else:
        _parsed.move_to_end(key)
    for file in parsed.files:
        deps.record(file)
    options["page_rules"].extend(parsed.page_rules)
    for name, profile in parsed.color_profiles.items():
        options["color_profiles"][name] = _fresh(profile, options["url_fetcher"])
    sheet = object.__new__(make)  # as WeasyPrint's CSS.__init__ leaves it
    sheet.base_url = parsed.base_url
    sheet.matcher = parsed.matcher
    sheet.page_rules = options["page_rules"]
    sheet.layers = options["layers"]
    return sheet


def _fresh(profile, url_fetcher):
    """A colour profile made again from its file: WeasyPrint marks a profile with the PDF it
    was written to, and writes it differently the second time."""
    from weasyprint.css import ColorProfile
    from weasyprint.urls import fetch

    with fetch(url_fetcher, profile.src) as response:
        return ColorProfile(response, profile.src, profile.rendering_intent, profile.components)


def _parse(make, string: str, font_config, options: dict) -> tuple[_Parsed, int]:
    """The stylesheet parsed on its own, with what parsing added to the document, and how
    many problems it logged."""
    own = {"page_rules": [], "color_profiles": {}, "layers": [], "counter_style": {}}
    logger, problems = logging.getLogger("weasyprint"), Records()
    logger.addHandler(problems)
    try:
        with deps.recording() as files:
            sheet = make(string=string, font_config=font_config, **{**options, **own})
    finally:
        logger.removeHandler(problems)
    parsed = _Parsed(
        sheet.matcher,
        sheet.base_url,
        own["page_rules"],
        own["color_profiles"],
        frozenset(files),
        font_config,
    )
    return parsed, len(problems.records)
