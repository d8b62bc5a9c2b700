"""The content rules `publish check` applies beyond reading an article: what readers would miss
(the build's own rules are those of pipeline.source.article.read)."""

from __future__ import annotations

from pathlib import Path

from pipeline.authoring.new import PLACEHOLDER, SUMMARY
from pipeline.source import ast as pandoc_ast
from pipeline.source.article import Reading
from pipeline.source.files import line_of
from pipeline.source.problems import ERROR, WARNING, Problem

SUMMARY_LENGTH = (50, 160)  # shorter says too little; search results cut longer ones
SUBJECT_LENGTH = 60  # mail apps cut longer subjects (Mailchimp's advice: 60 at most)


def rules(reading: Reading) -> list[Problem]:
    """What `publish check` finds in an article that reading it does not."""
    data, lines, path = reading.data, reading.lines, reading.path
    found = _summary(data.get("summary"), path, lines.get(("summary",)))
    found += _subject(data, path, lines)
    if reading.ast is not None:
        found += body_rules(reading.ast, reading.text, path)
    return found


def _summary(summary: object, path: Path, line: int | None) -> list[Problem]:
    if not isinstance(summary, str):
        return []
    if summary.strip() == SUMMARY:
        return [
            Problem(
                WARNING,
                "'summary' is still the placeholder from publish new",
                path,
                line,
                "Say in one or two sentences what readers will learn",
            )
        ]
    length = len(" ".join(summary.split()))
    low, high = SUMMARY_LENGTH
    if low <= length <= high:
        return []
    return [
        Problem(
            ERROR,
            f"'summary' is {length} characters long; it should be {low} to {high}",
            path,
            line,
            "It is the search engines' description, the email preheader and the brochure's "
            "opening: one or two full sentences",
        )
    ]


def _subject(data: dict, path: Path, lines: dict) -> list[Problem]:
    subject = data.get("subject") or data.get("title")
    if not isinstance(subject, str) or len(subject) <= SUBJECT_LENGTH:
        return []
    if data.get("subject"):
        said, line, hint = "'subject'", lines.get(("subject",)), "Shorten it"
    else:
        said, line = (
            "the email subject (the title, as there is no 'subject')",
            lines.get(("title",)),
        )
        hint = f"Add a 'subject:' of {SUBJECT_LENGTH} characters or fewer"
    return [
        Problem(
            WARNING,
            f"{said} is {len(subject)} characters long; mail apps cut it after about "
            f"{SUBJECT_LENGTH}",
            path,
            line,
            hint,
        )
    ]


def body_rules(ast: dict, text: str, path: Path) -> list[Problem]:
    found = []
    for image in pandoc_ast.elements(ast, "Image"):
        target = image["c"][2][0]
        if not pandoc_ast.stringify(image["c"][1]).strip():
            found.append(_no_alt(target, path, line_of(text, target)))
    found += _skipped_levels(ast, text, path)
    found += [
        Problem(
            WARNING,
            "still holds placeholder text from publish new",
            path,
            number,
            "Write the article's own text here",
        )
        for number, line in enumerate(text.split("\n"), start=1)
        if line.startswith(PLACEHOLDER)
    ]
    return found


def _no_alt(target: str, path: Path, line: int | None) -> Problem:
    return Problem(
        ERROR,
        f"image '{target}' has no alt text",
        path,
        line,
        f"Say what it shows, for readers who cannot see it: ![A calm treatment room]({target})",
    )


def _skipped_levels(ast: dict, text: str, path: Path) -> list[Problem]:
    found, above = [], 1  # the title is the page's h1
    for heading in pandoc_ast.headings(ast):
        if heading.level > above + 1:
            found.append(
                Problem(
                    WARNING,
                    f"heading '{heading.text}' (h{heading.level}) follows an h{above}: "
                    f"h{above + 1} is skipped",
                    path,
                    _heading_line(text, heading.text),
                    "Readers of screen readers move by heading level: give it one '#' more "
                    "than the heading it belongs to",
                )
            )
        above = heading.level
    return found


def _heading_line(text: str, heading: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#") and heading in line:
            return number
    return line_of(text, heading)
