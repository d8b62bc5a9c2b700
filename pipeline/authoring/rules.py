"""The content rules `publish check` applies: what a build rejects, and what readers would miss."""

from __future__ import annotations

from pathlib import Path

from pipeline.authoring.new import PLACEHOLDER, SUMMARY
from pipeline.authoring.problem import ERROR, WARNING, Problem, errors, warnings
from pipeline.errors import PublishError
from pipeline.project.schema import unknown_key_problems, validation_problems
from pipeline.source import ast as pandoc_ast
from pipeline.source.article import FrontMatter, OutsideProject, image_file, line_of
from pipeline.source.pictures import check_picture

SUMMARY_LENGTH = (50, 160)  # shorter says too little; search results cut longer ones
SUBJECT_LENGTH = 60  # mail apps cut longer subjects (Mailchimp's advice: 60 at most)


def front_matter_rules(data: object, lines: dict, path: Path, root: Path) -> list[Problem]:
    what = "front matter"
    found = errors(validation_problems(FrontMatter, data, path, lines, what))
    found += warnings(unknown_key_problems(FrontMatter, data, path, lines, what))
    if isinstance(data, dict):
        found += _summary(data.get("summary"), path, lines.get(("summary",)))
        found += _subject(data, path, lines)
        if isinstance(data.get("image"), str):
            found += _image(data["image"], path, root, "", lines.get(("image",)))
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


def body_rules(ast: dict, text: str, path: Path, root: Path) -> list[Problem]:
    found = []
    for image in pandoc_ast.elements(ast, "Image"):
        target = image["c"][2][0]
        found += _image(target, path, root, text, line_of(text, target))
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


def _image(target: str, path: Path, root: Path, text: str, line: int | None) -> list[Problem]:
    try:
        file = image_file(target, path, root, text)
        removed = check_picture(file, target, path, line) if file else []
    except OutsideProject as outside:
        return [Problem(WARNING, outside.message, path, line, outside.hint)]
    except PublishError as refused:
        return [Problem(ERROR, refused.message, path, line, refused.hint)]
    return [Problem(WARNING, message, path, line) for message in removed]


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
