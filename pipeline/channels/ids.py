"""Every id of a page once (the web page, the HTML email): an article can repeat one (raw HTML
repeating an id, an anchor inside a heading with the heading's id, a heading named "Footnotes"
beside pandoc's footnotes section), and a page's ids must be unique to be valid HTML."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

ID_ATTRIBUTE = re.compile(r"""(\sid\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


class _Ids(HTMLParser):
    """Where each start tag with an id is: (offset in the HTML, the tag as written, its id)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.found: list[tuple[int, str, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        value = dict(attrs).get("id")
        if value:
            line, column = self.getpos()
            self.found.append(
                (self.line_starts[line - 1] + column, self.get_starttag_text(), value)
            )


def unique_ids(html: str) -> str:
    """The HTML with each id used once: a later element with an id already taken gets
    `<id>-<n>`. Duplicates come from the article (raw HTML repeating an id, an anchor inside a
    heading with the heading's id, a heading named "Footnotes" beside pandoc's footnotes
    section); links to the id keep reaching its first element, as a browser would have sent
    them."""
    found = _Ids(html).found
    taken = {value for _, _, value in found}
    seen: set[str] = set()
    parts, last = [], 0
    for offset, tag, value in found:
        if value not in seen:
            seen.add(value)
            continue
        number = 1
        while f"{value}-{number}" in taken:
            number += 1
        new_id = f"{value}-{number}"
        taken.add(new_id)
        parts += [html[last:offset], _with_id(tag, new_id)]
        last = offset + len(tag)
    return "".join(parts) + html[last:]


def _with_id(tag: str, new_id: str) -> str:
    quoted = escape(new_id, quote=True)
    return ID_ATTRIBUTE.sub(lambda match: f'{match[1]}"{quoted}"', tag, count=1)
