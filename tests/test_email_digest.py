"""`publish newsletter`: one issue made of several articles, as text, HTML and .eml."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import pytest
from conftest import REPO, SAMPLE_SLUG, article, email_case_project, publish

from pipeline.project.templates import display_width

SUBJECT = "News from the clinic: March"


@pytest.fixture(scope="module")
def digest_project(tmp_path_factory):
    root = email_case_project(tmp_path_factory.mktemp("digest"))
    sample = (REPO / "source" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    (root / "source" / f"{SAMPLE_SLUG}.md").write_text(sample, encoding="utf-8")
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0  # the pages it links
    return root


@pytest.fixture(scope="module")
def digest(digest_project):
    sources = ["source/features.md", f"source/{SAMPLE_SLUG}.md"]
    result = publish(
        "newsletter", *sources, "--subject", SUBJECT, "--name", "2026-03", cwd=digest_project
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote output/email/2026-03.txt\n"
        "wrote output/email/2026-03.html\n"
        "wrote output/email/2026-03.eml\n"
    )
    return digest_project / "output" / "email"


def test_digest_text_matches_golden(digest, golden):
    golden((digest / "2026-03.txt").read_text(encoding="utf-8"), "email/digest.txt")


def test_digest_text_lists_each_article_with_summary_excerpt_and_link(digest):
    text = (digest / "2026-03.txt").read_text(encoding="utf-8")
    assert text.startswith(f"{SUBJECT}\n{'=' * len(SUBJECT)}\n")
    assert (
        "In this issue:\n"
        "- Clinic news: tables, notes & “links”\n"
        "- What to Know About Ketamine Therapy for Pain Management\n"
    ) in text
    flat = " ".join(text.split())
    assert "A test article with tables, footnotes, images, long tracking links" in flat
    assert "The new clinic opened in 2019 and serves three districts. Read the annual" in flat
    assert "Ketamine therapy is gaining recognition as an effective treatment" in flat
    assert "Read it on the web: https://albanyketamine.example/features/\n" in text
    assert f"Read it on the web:\nhttps://albanyketamine.example/{SAMPLE_SLUG}/\n" in text
    assert "7 Wembley Ct.\nAlbany, NY 12205\n" in text
    assert "To unsubscribe: https://albanyketamine.example/unsubscribe\n" in text
    assert all(display_width(line) <= 72 or "://" in line for line in text.split("\n"))


def test_digest_html_links_every_article(digest):
    page = (digest / "2026-03.html").read_text(encoding="utf-8")
    for slug in ("features", SAMPLE_SLUG):
        assert page.count(f'href="https://albanyketamine.example/{slug}/"') == 2  # title, button
    assert "In this issue: Clinic news: tables, notes &amp; “links” · What to Know" in page
    assert "7 Wembley Ct.<br>Albany, NY 12205" in page
    assert 'href="https://albanyketamine.example/unsubscribe"' in page
    assert "<style>@media" in page and len(page.encode()) < 100 * 1024


def test_digest_message(digest):
    message = message_from_bytes((digest / "2026-03.eml").read_bytes(), policy=default)
    assert message["Subject"] == SUBJECT
    assert message["Date"] == "Wed, 25 Nov 2026 00:00:00 -0000"  # the newest article's date
    assert message["Message-ID"].startswith("<2026-03.")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = message.iter_parts()
    txt = (digest / "2026-03.txt").read_text(encoding="utf-8")
    assert text.get_content() == txt.replace("\n", "\r\n")
    assert html.get_content_type() == "text/html"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["source/features.md", "--subject", "March\nBcc: all@example.org", "--name", "m"],
            "Error: --subject must be one line: it becomes the email's Subject header. "
            "Remove the line break\n",
        ),
        (
            ["source/features.md", "--subject", "March", "--name", "March issue"],
            "Error: --name 'March issue' must be lowercase letters, digits and hyphens. "
            "It names the files output/email/<name>.*; for example --name march-issue\n",
        ),
        (
            ["source/features.md", "--subject", "March", "--name", "features"],
            "Error: --name 'features' is the slug of source/features.md: the digest would "
            "overwrite that article's newsletter. Choose another name\n",
        ),
        (
            ["source/nope.md", "--subject", "March", "--name", "m"],
            "Error: source/nope.md: no such file. Check the path, or run 'publish build' with "
            "no argument to build every article in source/\n",
        ),
    ],
)
def test_bad_digest_is_refused_and_nothing_written(tmp_path, args, message):
    root = email_case_project(tmp_path / "project")
    result = publish("newsletter", *args, cwd=root)
    assert result.exit_code == 1
    assert result.output == message
    assert not (root / "output").exists()


def test_long_digest_subject_warns(tmp_path):
    root = email_case_project(tmp_path / "project")
    assert publish("build", "-c", "web", "source/features.md", cwd=root).exit_code == 0
    subject = "Everything that happened at the clinic this month, and what comes next"
    result = publish(
        "newsletter", "source/features.md", "--subject", subject, "--name", "m", cwd=root
    )
    assert result.exit_code == 0
    assert result.output == (
        "Warning: the email subject is 70 characters long; inboxes cut it off after about 60: "
        "shorten --subject\n"
        "wrote output/email/m.txt\nwrote output/email/m.html\nwrote output/email/m.eml\n"
    )


def test_a_digest_never_links_to_a_page_not_built(tmp_path):
    root = email_case_project(tmp_path / "project")
    (root / "source" / "other.md").write_text(article(), encoding="utf-8")
    args = ["source/features.md", "source/other.md", "--subject", "March", "--name", "m"]
    result = publish("newsletter", *args, cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        "Error: source/features.md: has no web page (output/web/features/index.html) for the "
        "newsletter to link to. Build it first: publish build --channel web "
        "source/features.md source/other.md\n"
    )
    assert publish("build", "-c", "web", "source/features.md", cwd=root).exit_code == 0
    result = publish("newsletter", *args, "--out", "elsewhere", cwd=root)
    assert result.output == (
        "Error: source/features.md: has no web page (elsewhere/web/features/index.html) for "
        "the newsletter to link to. Build it first: publish build --channel web --out "
        "elsewhere source/features.md source/other.md\n"
    )
    assert not (root / "output/email").exists() and not (root / "elsewhere").exists()
