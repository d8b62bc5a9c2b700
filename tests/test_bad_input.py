"""Bad input: one exact message per problem, exit status 1, nothing written for that article,
and the good article beside it still published."""

from pathlib import Path

import pytest
from conftest import article, make_project, publish

GOOD = article("Good", "## Fine\n\nText.\n")

CASES = {
    "invalid-yaml": (
        "---\ntitle: [oops\nsummary: s\ndate: 2026-01-02\n---\n\nbody\n",
        "source/invalid-yaml.md:3: invalid YAML: expected ',' or ']', but got ':' (while "
        "parsing a flow sequence that starts on line 2). Check the indentation, the colons "
        "and the quotes on that line",
    ),
    "missing-summary": (
        "---\ntitle: T\ndate: 2026-01-02\n---\n\nbody\n",
        "source/missing-summary.md:2: front matter is missing the required key 'summary'. "
        "Add 'summary:' with a value",
    ),
    "bad-date": (
        "---\ntitle: T\nsummary: s\ndate: next tuesday\n---\n\nbody\n",
        "source/bad-date.md:4: 'date' in front matter: expected a date such as 2026-11-25 "
        "(ISO 8601), got 'next tuesday'",
    ),
    "impossible-date": (
        "---\ntitle: T\nsummary: s\ndate: 2026-02-30\n---\n\nbody\n",
        "source/impossible-date.md:4: 'date' in front matter: expected a date such as "
        "2026-11-25 (ISO 8601), got '2026-02-30'",
    ),
    "title-not-text": (
        "---\ntitle: [a, b]\nsummary: s\ndate: 2026-01-02\n---\n\nbody\n",
        "source/title-not-text.md:2: 'title' in front matter: input should be a valid string, "
        "got ['a', 'b']",
    ),
    "not-utf8": (
        b"---\ntitle: T\nsummary: s\ndate: 2026-01-02\n---\n\ncaf\xe9\n",
        "source/not-utf8.md:7: is not UTF-8 text (byte 0xe9 cannot be read). Save the file "
        "with UTF-8 encoding",
    ),
    "binary": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "source/binary.md: is a binary file, not a Markdown article. Articles are UTF-8 text "
        "files ending in .md",
    ),
    "missing-image": (
        article("T", "Intro.\n\n![A chart](media/chart.png)\n"),
        "source/missing-image.md:9: image 'media/chart.png' does not exist. Put the file at "
        "source/media/chart.png or fix the path",
    ),
    "slug-with-a-path": (
        article("T", extra="slug: ../../etc\n"),
        "source/slug-with-a-path.md:5: 'slug' in front matter: expected lowercase letters, "
        "digits and single hyphens, such as 'pain-relief' (the slug names the page's folder), "
        "got '../../etc'",
    ),
    "no-front-matter": (
        "# Just a heading\n\nText.\n",
        "source/no-front-matter.md:1: has no front matter. Start the file with a '---' line, "
        "then 'title:', 'summary:' and 'date:', then a closing '---' line",
    ),
    "unclosed-front-matter": (
        "---\ntitle: T\nsummary: s\n\nText.\n",
        "source/unclosed-front-matter.md:1: the front matter that starts on line 1 is never "
        "closed. Add a line with '---' after its last key",
    ),
    "image-without-alt": (
        article("T", "Text.\n", extra="image: media/x.png\n"),
        "source/image-without-alt.md:2: front matter: 'image_alt' is required when 'image' is "
        "given: describe the picture for readers who cannot see it",
    ),
}


def outputs_of(out: Path, slug: str) -> list[Path]:
    return [p for p in out.rglob("*") if slug in p.as_posix()]


@pytest.mark.parametrize("name", CASES)
def test_bad_article_fails_alone(tmp_path, name):
    content, message = CASES[name]
    root = make_project(tmp_path, {"good.md": GOOD, f"{name}.md": content})
    result = publish("build", cwd=root)
    assert result.exit_code == 1
    assert f"Error: {message}\n" in result.stderr
    assert "Traceback" not in result.output
    assert outputs_of(root / "output", name) == []
    for good in ("web/good/index.html", "print/good.pdf", "email/good.txt", "web/index.html"):
        assert (root / "output" / good).is_file(), good


def test_missing_source_path(tmp_path):
    root = make_project(tmp_path, {"good.md": GOOD})
    result = publish("build", "source/nope.md", "source/good.md", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: source/nope.md: no such file. Check the path, or run 'publish build' with no "
        "argument to build every article in source/\n"
    )
    assert (root / "output/web/good/index.html").is_file()


def test_undefined_template_variable_names_template_and_line(tmp_path):
    root = make_project(tmp_path, {"good.md": GOOD})
    (root / "layouts/web").mkdir(parents=True)
    (root / "layouts/web/article.html.j2").write_text(
        '{% extends "builtin/web/article.html.j2" %}\n{% block title %}\n'
        "{{ article.meta.titel }}{% endblock %}\n"
    )
    result = publish("build", "source/good.md", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: layouts/web/article.html.j2:3: template error: 'FrontMatter "
        "object' has no attribute 'titel' (while publishing source/good.md). Fix the "
        "template, or give it the value it expects\n"
    )
    assert not (root / "output").exists()


def test_unknown_channel_is_a_usage_error(tmp_path):
    root = make_project(tmp_path, {"good.md": GOOD})
    result = publish("build", "--channel", "fax", cwd=root)
    assert result.exit_code == 2
    assert "'fax' is not one of 'web', 'print', 'email'" in result.stderr


def test_two_articles_with_one_slug_fail_naming_both(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": article("A", extra="slug: same\n"),
            "b.md": article("B", extra="slug: same\n"),
            "good.md": GOOD,
        },
    )
    result = publish("build", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: source/a.md: has the slug 'same', and so does source/b.md. Give one of them "
        "another 'slug:' in its front matter, or rename the file\n"
    )
    assert not (root / "output/web/same").exists()
    assert (root / "output/web/good/index.html").is_file()


def test_unknown_front_matter_key_warns(tmp_path):
    root = make_project(tmp_path, {"good.md": article(extra="colour: blue\n")})
    result = publish("build", "--channel", "email", cwd=root)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: source/good.md:5: unknown key 'colour' in front matter (ignored; check its "
        "spelling)\n"
    )
    result = publish("build", "--strict", "--channel", "email", cwd=root)
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: source/good.md: not built: --strict turns its 1 warning(s) into errors. "
        "Fix the warnings above\n"
    )
