"""`publish new`: a skeleton article that builds as it is, and never over an existing one."""

from __future__ import annotations

from datetime import date

from conftest import make_project, publish

EXPECTED = """\
---
title: "Ketamine and Migraine: What We Know"
summary: "Replace this with one or two sentences that tell readers what they will learn."
date: 2026-12-01
---

Replace this paragraph with the opening: what the article is about, and why it matters to
the reader.

## First section

Replace this with the first section. Give each section a heading that says what it covers.

## Second section

Replace this with the next section.

To learn more, contact {{< var organization.name >}}.
"""
SLUG = "ketamine-and-migraine-what-we-know"


def test_new_writes_a_skeleton_that_builds_as_is(tmp_path):
    root = make_project(tmp_path)
    result = publish("new", "Ketamine and Migraine: What We Know", "--date", "2026-12-01", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote source/{SLUG}.md\n"
    assert (root / "source" / f"{SLUG}.md").read_text() == EXPECTED

    built = publish("build", cwd=root)
    assert built.exit_code == 0, built.output
    # The placeholders are warnings in the build as in `publish check`; --strict fails on them.
    where = f"Warning: source/{SLUG}.md"
    assert built.stderr.splitlines() == [
        f"{where}:3: 'summary' is still the placeholder from publish new. Say in one or two "
        "sentences what readers will learn",
        *(
            f"{where}:{line}: still holds placeholder text from publish new. Write the "
            "article's own text here"
            for line in (7, 12, 16)
        ),
    ]
    strict = publish("build", "--strict", cwd=root)
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == (
        f"Error: source/{SLUG}.md: not built: --strict turns its 4 warning(s) into errors. "
        "Fix the warnings above"
    )
    email = (root / "output" / "email" / f"{SLUG}.txt").read_text()
    assert "To learn more, contact Albany Ketamine Infusions." in email
    assert (root / "output" / "print" / f"{SLUG}.pdf").is_file()
    assert (root / "output" / "web" / SLUG / "index.html").is_file()


def test_check_points_at_the_text_left_to_replace(tmp_path):
    root = make_project(tmp_path)
    publish("new", "Ketamine and Migraine: What We Know", "--date", "2026-12-01", cwd=root)
    result = publish("check", cwd=root)
    assert result.exit_code == 0  # warnings only: the skeleton is valid
    where = f"source/{SLUG}.md"
    assert result.output == (
        f"{where}:3: warning: 'summary' is still the placeholder from publish new. "
        "Say in one or two sentences what readers will learn\n"
        f"{where}:7: warning: still holds placeholder text from publish new. "
        "Write the article's own text here\n"
        f"{where}:12: warning: still holds placeholder text from publish new. "
        "Write the article's own text here\n"
        f"{where}:16: warning: still holds placeholder text from publish new. "
        "Write the article's own text here\n"
        "Checked 1 article: 0 errors, 4 warnings\n"
    )


def test_new_never_overwrites(tmp_path):
    root = make_project(tmp_path)
    publish("new", "Living with pain", cwd=root)
    target = root / "source" / "living-with-pain.md"
    target.write_text(target.read_text() + "\nMy own words.\n")
    before = target.read_text()
    result = publish("new", "Living  with Pain", "--date", "2026-12-01", cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        "Error: source/living-with-pain.md: already exists, and publish new never overwrites. "
        "Give it another title, or edit the article that is there\n"
    )
    assert target.read_text() == before


def test_the_date_defaults_to_today(tmp_path):
    root = make_project(tmp_path)
    publish("new", "Living with pain", cwd=root)
    text = (root / "source" / "living-with-pain.md").read_text()
    assert f"\ndate: {date.today().isoformat()}\n" in text


def test_bad_title_and_bad_date(tmp_path):
    root = make_project(tmp_path)
    empty = publish("new", "  ", cwd=root)
    assert (empty.exit_code, empty.output) == (
        1,
        'Error: the title is empty. Give the article a title: publish new "Living with pain"\n',
    )
    bad = publish("new", "Living with pain", "--date", "1/12/2026", cwd=root)
    assert bad.exit_code == 2
    assert "Invalid value for '--date': '1/12/2026' does not match the format '%Y-%m-%d'." in (
        bad.output
    )
    assert list((root / "source").iterdir()) == []
