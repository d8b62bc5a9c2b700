"""docs/authoring.md documents every key the code reads, and its examples pass `publish check`."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO, SAMPLE_SLUG, article, make_project, publish

from pipeline.project.config import Config
from pipeline.project.schema import model_keys
from pipeline.source.front_matter import FrontMatter

DOCS = REPO / "docs" / "authoring.md"
SECTIONS = [("Front matter", FrontMatter), ("publish.yml", Config)]


def section(title: str) -> str:
    return DOCS.read_text().split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def documented(title: str) -> set[str]:
    """The keys in the first column of the section's table."""
    return set(re.findall(r"^\| `([^`]+)` \|", section(title), re.MULTILINE))


@pytest.mark.parametrize("title, model", SECTIONS)
def test_every_key_the_code_reads_is_documented(title, model):
    missing = [key for key in model_keys(model) if key not in documented(title)]
    assert not missing, (
        f"docs/authoring.md, section '{title}', has no table row for: {', '.join(missing)}"
    )


@pytest.mark.parametrize("title, model", SECTIONS)
def test_every_documented_key_is_read_by_the_code(title, model):
    stale = sorted(documented(title) - set(model_keys(model)))
    assert not stale, f"docs/authoring.md, section '{title}', documents unknown keys: {stale}"


@pytest.mark.parametrize(
    "syntax",
    [
        "::: {.content-visible when-channel=",
        "::: {.content-hidden when-channel=",
        "]{.content-visible when-channel=",
        "unless-channel=",
        "{{< var ",
        "{{< meta ",
        "{{{< var ",
        '### `publish new "Title" [--date YYYY-MM-DD] [--draft]`',
        "### `publish import FILE [--date YYYY-MM-DD]`",
        "### `publish check [SOURCE...] [--format text|json] [--strict] [--as-of YYYY-MM-DD]`",
        "::: {.callout-warning}",
        'title="',
        "{{< include _snippets/",
        "{#fig-",
        "{#tbl-",
        "{#sec-",
        "[-@",
        "[@smith2020, p. 12",
        "draft: true",
        "--as-of",
        "--drafts",
    ],
)
def test_every_syntax_is_documented(syntax):
    assert syntax in DOCS.read_text()


def test_the_markdown_examples_pass_check_and_build(tmp_path):
    examples = re.findall(r"```markdown\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert len(examples) >= 4
    root = make_project(tmp_path, {"examples.md": article(body="\n\n".join(examples))})
    shutil.copy(REPO / "source" / f"{SAMPLE_SLUG}.md", root / "source")
    check = publish("check", cwd=root)
    assert (check.exit_code, check.output) == (0, "Checked 2 articles: 0 errors, 0 warnings\n")
    build = publish("build", "--strict", "source/examples.md", cwd=root)
    assert build.exit_code == 0, build.output
