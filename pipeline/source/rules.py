"""The rules an article is held to when it is read, by the build and by `publish check` alike:
what readers would miss (a summary of the wrong length, a picture without alt text, a skipped
heading level, a subject that inboxes cut) and text `publish new` left to replace."""

from __future__ import annotations

from pathlib import Path

from pipeline.source import ast as pandoc_ast
from pipeline.source.files import line_of
from pipeline.source.problems import WARNING, Problem

# Text for the writer to replace (`publish new`, `publish init`); each is a warning.
PLACEHOLDER = "Replace this"
SUMMARY = f"{PLACEHOLDER} with one or two sentences that tell readers what they will learn."
SUMMARY_LENGTH = (50, 160)  # shorter says too little; search results cut longer ones
SUBJECT_LENGTH = 60  # mail apps cut longer subjects (Mailchimp's advice: 60 at most)


def front_matter_rules(data: dict, lines: dict, path: Path) -> list[Problem]:
    found = _summary(data.get("summary"), path, lines.get(("summary",)))
    return found + _subject(data, path, lines)


def _summary(summary: object, path: Path, line: int | None) -> list[Problem]:
    if not isinstance(summary, str):
        return []
    if summary.strip() == SUMMARY:
        said = "'summary' is still the placeholder from publish new"
        return [
            Problem(
                WARNING, said, path, line, "Say in one or two sentences what readers will learn"
            )
        ]
    length = len(" ".join(summary.split()))
    low, high = SUMMARY_LENGTH
    if low <= length <= high:
        return []
    return [
        Problem(
            WARNING,
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
    found = [
        _no_alt(image["c"][2][0], path, text)
        for image in pandoc_ast.elements(ast, "Image")
        if not _described(image)
    ]
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


def _described(image: dict) -> bool:
    """Alt text, or `{alt=""}`: a picture said to be decoration only."""
    return bool(pandoc_ast.stringify(image["c"][1]).strip()) or any(
        key == "alt" for key, _ in image["c"][0][2]
    )


def _no_alt(target: str, path: Path, text: str) -> Problem:
    return Problem(
        WARNING,
        f"image '{target}' has no alt text",
        path,
        line_of(text, f"![]({target}") or line_of(text, target),
        f"Say what it shows, for readers who cannot see it: ![A calm treatment room]({target}),"
        ' or write {alt=""} after it if it is only decoration',
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
                    heading_line(text, heading.text),
                    "Readers of screen readers move by heading level: give it one '#' more "
                    "than the heading it belongs to",
                )
            )
        above = heading.level
    return found


def heading_line(text: str, heading: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#") and heading in line:
            return number
    return line_of(text, heading)
