"""`publish check`: every problem at once, with file and line, as text or JSON; nothing written."""

from __future__ import annotations

import json

import pytest
from conftest import REPO, article, make_project, publish
from PIL import Image

FLAWED = """\
---
title: Ketamine for pain, explained properly for everyone who wants to know more
summary: Too short.
date: next week
colour: blue
image: media/hero.jpg
image_alt: A hero
---

Intro paragraph with {{< var organization.fax >}}.

## Overview

![](media/chart.png)

![A missing photo](media/missing.png)

#### Deep heading

See [the guide](../guide/#dosing), [a lost page](../nowhere/), [the source](guide.md),
[a lost part](../guide/#timing), [a part](#no-such-part) and [this part](#overview).

::: {.content-visible when-channel="pritn"}
Print only.
:::
"""
GUIDE = article(title="Dosing guide", body="## Dosing\n\nSee [the flawed one](../flawed/).\n")

TEXT = """\
source/bare.md:2: error: front matter is missing the required key 'summary'. Add 'summary:' with \
a value
source/bare.md:4: error: 'tags' in front matter: input should be a valid list, got a mapping
source/flawed.md:2: warning: the email subject (the title, as there is no 'subject') is 73 \
characters long; mail apps cut it after about 60. Add a 'subject:' of 60 characters or fewer
source/flawed.md:3: warning: 'summary' is 10 characters long; it should be 50 to 160. It is the \
search engines' description, the email preheader and the brochure's opening: one or two full \
sentences
source/flawed.md:4: error: 'date' in front matter: expected a date such as 2026-11-25 \
(ISO 8601), got 'next week'
source/flawed.md:5: warning: unknown key 'colour' in front matter (ignored; check its spelling)
source/flawed.md:6: error: image 'media/hero.jpg' does not exist. Put the file at \
source/media/hero.jpg or fix the path
source/flawed.md:10: error: unknown variable 'organization.fax': publish.yml has no such key. \
Keys under 'organization': address, email, hours, name, phone, url
source/flawed.md:14: warning: image 'media/chart.png' has no alt text. Say what it shows, for \
readers who cannot see it: ![A calm treatment room](media/chart.png), or write {alt=""} after it \
if it is only decoration
source/flawed.md:16: error: image 'media/missing.png' does not exist. Put the file at \
source/media/missing.png or fix the path
source/flawed.md:18: warning: heading 'Deep heading' (h4) follows an h2: h3 is skipped. Readers \
of screen readers move by heading level: give it one '#' more than the heading it belongs to
source/flawed.md:20: warning: link to '../nowhere/' reaches no article: no article has the slug \
'nowhere'. Check the address: an article's page is '../SLUG/', SLUG being its file name or its \
'slug:'
source/flawed.md:21: warning: link to '../guide/#timing' reaches no anchor: the article 'guide' \
has no heading or anchor 'timing'. Its anchors: dosing
source/flawed.md:21: warning: link to '#no-such-part' reaches no anchor: this article has no \
heading or anchor 'no-such-part'. Its anchors: deep-heading, overview
source/flawed.md:23: error: '.content-visible' names an unknown channel 'pritn' in \
when-channel. Use one or more of: web, print, email, separated by spaces
source/notes.md:1: error: has no front matter. Start the file with a '---' line, then 'title:', \
'summary:' and 'date:', then a closing '---' line
source/other-twin.md:5: error: has the slug 'twin', and so does source/twin.md. Give one of \
them another 'slug:' in its front matter, or rename the file
source/twin.md: error: has the slug 'twin', and so does source/other-twin.md. Give one of them \
another 'slug:' in its front matter, or rename the file
Checked 6 articles: 10 errors, 8 warnings
"""


@pytest.fixture
def project(tmp_path):
    root = make_project(
        tmp_path,
        {
            "bare.md": "---\ntitle: Bare\ndate: 2026-01-15\ntags: {a: 1}\n---\n\nText.\n",
            "flawed.md": FLAWED,
            "guide.md": GUIDE,
            "notes.md": "Just some notes.\n",
            "twin.md": article(title="Twin"),
            "other-twin.md": article(title="Other twin", extra="slug: twin\n"),
        },
    )
    (root / "source" / "media").mkdir()
    Image.new("RGB", (8, 8)).save(root / "source" / "media" / "chart.png")
    return root


def snapshot(root):
    return {p: p.stat().st_mtime_ns for p in root.rglob("*")}


def test_text_report_lists_every_problem_with_file_and_line(project):
    before = snapshot(project)
    result = publish("check", cwd=project)
    assert (result.exit_code, result.stdout, result.stderr) == (1, TEXT, "")
    assert snapshot(project) == before  # nothing written, not even output/


def test_json_report_for_ci(project):
    result = publish("check", "--format", "json", cwd=project)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["articles"], report["errors"], report["warnings"]) == (6, 10, 8)
    lines = TEXT.splitlines()[:-1]
    assert len(report["problems"]) == len(lines)
    assert report["problems"][2] == {
        "file": "source/flawed.md",
        "line": 2,
        "severity": "warning",
        "message": "the email subject (the title, as there is no 'subject') is 73 characters "
        "long; mail apps cut it after about 60",
        "hint": "Add a 'subject:' of 60 characters or fewer",
    }
    assert report["problems"][-1] == {
        "file": "source/twin.md",
        "line": None,
        "severity": "error",
        "message": "has the slug 'twin', and so does source/other-twin.md",
        "hint": "Give one of them another 'slug:' in its front matter, or rename the file",
    }
    for problem, line in zip(report["problems"], lines, strict=True):
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        hint = f". {problem['hint']}" if problem["hint"] else ""
        said = f"{where}: {problem['severity']}: {problem['message']}{hint}"
        assert said == line


def test_named_sources_only_but_slugs_of_all(project):
    result = publish("check", "source/other-twin.md", "source/guide.md", cwd=project)
    assert result.exit_code == 1
    assert result.stdout == (
        "source/other-twin.md:5: error: has the slug 'twin', and so does source/twin.md. Give one "
        "of them another 'slug:' in its front matter, or rename the file\n"
        "Checked 2 articles: 1 error, 0 warnings\n"
    )


def test_warnings_alone_exit_0(tmp_path):
    body = "## One\n\n#### Three\n\nText.\n"
    root = make_project(tmp_path, {"skips.md": article(body=body)})
    result = publish("check", cwd=root)
    assert result.exit_code == 0
    assert result.stdout.endswith("Checked 1 article: 0 errors, 1 warning\n")


def test_the_sample_is_clean():
    result = publish("check", cwd=REPO)
    assert (result.exit_code, result.stdout) == (0, "Checked 1 article: 0 errors, 0 warnings\n")


def test_an_impossible_date_is_a_clear_error_in_check_and_build(tmp_path):
    root = make_project(tmp_path, {"day.md": article(extra="updated: 2026-02-30\n")})
    message = (
        "source/day.md:5: error: 'updated' in front matter: expected a date such as 2026-11-25 "
        "(ISO 8601), got '2026-02-30'"
    )
    check = publish("check", cwd=root)
    assert (check.exit_code, check.stdout) == (
        1,
        f"{message}\nChecked 1 article: 1 error, 0 warnings\n",
    )
    build = publish("build", cwd=root)
    assert build.exit_code == 1
    assert build.stderr == "Error: " + message.replace("error: ", "", 1) + "\n"


DOSING = article(title="Dosing guide", body="## Dosing\n\nTake it with food.\n")


def test_a_link_to_an_articles_file_leads_to_its_page_in_every_channel(tmp_path):
    body = "See [the guide](guide.md#dosing).\n"
    root = make_project(tmp_path, {"a.md": article(body=body), "guide.md": DOSING})
    result = publish("build", cwd=root)
    assert (result.exit_code, result.stderr) == (0, "")
    page = (root / "output/web/a/index.html").read_text()
    assert '<a href="../guide/#dosing">the guide</a>' in page
    absolute = "https://albanyketamine.example/guide/#dosing"
    assert absolute in (root / "output/email/a.txt").read_text()
    assert f'href="{absolute}"' in (root / "output/email/a.html").read_text()
    assert publish("check", "source/a.md", cwd=root).stdout == (
        "Checked 1 article: 0 errors, 0 warnings\n"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("CHANGELOG.md", "link to 'CHANGELOG.md' leads to a file that is not published"),
        ("docs/guide.pdf", "link to 'docs/guide.pdf' leads to a file that is not published"),
        (
            "guide.md#nowhere",
            "link to 'guide.md#nowhere' reaches no anchor: the article 'guide' "
            "has no heading or anchor 'nowhere'",
        ),
        ("../gone/", "link to '../gone/' reaches no article: no article has the slug 'gone'"),
    ],
)
def test_a_link_that_leads_nowhere_is_the_same_warning_in_build_and_check(
    tmp_path, target, message
):
    root = make_project(
        tmp_path, {"a.md": article(body=f"See [this]({target}).\n"), "guide.md": DOSING}
    )
    built = publish("build", "--channel", "web", "source/a.md", cwd=root)
    assert built.exit_code == 0
    assert built.stderr.startswith(f"Warning: source/a.md:7: {message}. ")
    checked = publish("check", "source/a.md", cwd=root)
    assert checked.stdout.startswith(f"source/a.md:7: warning: {message}. ")
    strict = publish("build", "--strict", "--channel", "web", "source/a.md", cwd=root)
    assert strict.exit_code == 1


def test_json_report_for_ci_when_publish_yml_is_broken(project):
    config = project / "publish.yml"
    config.write_text(config.read_text() + "\tsite: a tab where YAML wants spaces\n")
    line = len(config.read_text().splitlines())
    result = publish("check", "--format", "json", cwd=project)
    assert (result.exit_code, result.stderr) == (1, "")
    report = json.loads(result.stdout)
    assert (report["articles"], report["errors"], report["warnings"]) == (0, 1, 0)
    (problem,) = report["problems"]
    assert (problem["file"], problem["line"], problem["severity"]) == ("publish.yml", line, "error")
    assert problem["message"].startswith("invalid YAML: found character '\\t'")


# Raw HTML as the build reads it: a lone <img> as an image, the rest through the sanitiser.
RAW_HTML = {
    "missing picture": (
        'Text.\n\n<img src="media/missing.png" alt="A chart">\n',
        "source/a.md:9: error: image 'media/missing.png' does not exist. Put the file at "
        "source/media/missing.png or fix the path\n"
        "Checked 1 article: 1 error, 0 warnings\n",
    ),
    "unsafe attribute": (
        'Text <span onclick="steal()">here</span>.\n',
        "source/a.md:7: warning: removed HTML not on the safe list: the onclick attribute of "
        "<span>\n"
        "Checked 1 article: 0 errors, 1 warning\n",
    ),
}


@pytest.mark.parametrize("case", RAW_HTML)
def test_raw_html_is_checked_as_the_build_reads_it(tmp_path, case):
    body, expected = RAW_HTML[case]
    root = make_project(tmp_path, {"a.md": article(body=body)})
    checked = publish("check", cwd=root)
    assert (checked.exit_code, checked.stdout) == (int("error:" in expected), expected)
    built = publish("build", "--channel", "web", cwd=root)  # the same problem, said the same
    said = expected.splitlines()[0].replace(": error: ", ": ").replace(": warning: ", ": ")
    kind = "Error" if "error:" in expected else "Warning"
    assert built.stderr.startswith(f"{kind}: {said}")
