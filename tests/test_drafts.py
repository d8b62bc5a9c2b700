"""Drafts and scheduled articles: out of every output, listing, feed, sitemap and digest; built
marked with --drafts (and by publish serve); --as-of; what check and build say."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import article, make_project, publish
from writers import DRAFT_WORDS, FUTURE_WORDS, outputs, pdf_pages

from pipeline.source.schedule import PUBLISHED, State, publication_state, today
from pipeline.source.sources import Declared

LEFT_OUT = (
    "Left out source/draft.md: a draft (publish build --drafts builds it, marked)\n"
    "Left out source/future.md: scheduled: it goes out on 2099-03-04 (publish build --as-of "
    "2099-03-04 builds it)\n"
)


@pytest.fixture
def built(writers_build):
    return writers_build


def test_a_build_leaves_drafts_and_scheduled_articles_out_of_every_output(built):
    root, said, _ = built
    found = outputs(root / "output")
    assert "web/feed.xml" in found and "web/sitemap.xml" in found and "web/index.html" in found
    assert "print/features.pdf" in found and "email/spanish.eml" in found
    for words in (DRAFT_WORDS, FUTURE_WORDS):
        leaks = {name: word for name, text in found.items() for word in words if word in text}
        assert leaks == {}
    names = {path.name for path in (root / "output").rglob("*")}
    assert not {"draft", "future", "draft.pdf", "future.pdf", "draft.eml"} & names
    assert said.endswith(LEFT_OUT)
    assert "Published 2 articles to web, print, email" in said


def test_drafts_are_built_marked_in_every_channel(built):
    root, _, said = built
    out = root / "drafts"
    page = (out / "web/draft/index.html").read_text()
    assert '<p class="draft-banner"><strong>Draft</strong>: not published</p>' in page
    assert '<meta name="robots" content="noindex">' in page
    future = (out / "web/future/index.html").read_text()
    assert (
        '<p class="draft-banner"><strong>Draft</strong>: to be published on March 4, 2099</p>'
        in future
    )
    for pdf in ("print/draft.pdf", "web/draft/brochure.pdf", "print/future.pdf"):
        pages = pdf_pages(out / pdf)
        assert all("DRAFT" in text for text in pages), pdf  # the watermark, on every page
    assert "Subject: [DRAFT] Zebra draft about infusions" in (out / "email/draft.eml").read_text()
    text = (out / "email/draft.txt").read_text()
    assert text.startswith("DRAFT: not published\n\nZebra draft about infusions\n=====")
    html = (out / "email/draft.html").read_text()
    assert re.search(
        r'<p class="draft-banner"[^>]*><strong[^>]*>Draft</strong>: not published', html
    )
    assert "Published 4 articles" in said and "Left out" not in said


def test_a_published_article_carries_no_mark(built):
    root, _, _ = built
    for out in (root / "output", root / "drafts"):
        found = outputs(out)
        for name in ("web/features/index.html", "email/features.txt", "email/features.eml"):
            assert "draft-banner" not in found[name] and "DRAFT" not in found[name], name
        assert "DRAFT" not in found["print/features.pdf"]
        assert "noindex" not in found["web/features/index.html"]


def test_drafts_are_on_the_index_marked_but_never_in_the_feed_or_sitemap(built):
    root, _, _ = built
    index = (root / "drafts/web/index.html").read_text()
    assert index.count('<strong class="draft-mark">Draft</strong>') == 2
    assert 'href="draft/"' in index and 'href="future/"' in index
    for name in ("feed.xml", "sitemap.xml"):
        text = (root / "drafts/web" / name).read_text()
        assert "/features/" in text
        assert "/draft/" not in text and "/future/" not in text


def test_as_of_publishes_a_scheduled_article_on_its_day(tmp_path):
    root = make_project(
        tmp_path,
        {
            "later.md": article("Later news", extra="date: 2026-05-01\n").replace(
                "date: 2026-01-15\n", "", 1
            )
        },
    )
    before = publish("build", "--channel", "web", "--as-of", "2026-04-30", cwd=root)
    assert before.exit_code == 0, before.output
    assert not (root / "output/web/later").exists()
    assert "Left out source/later.md: scheduled: it goes out on 2026-05-01" in before.output
    on = publish("build", "--channel", "web", "--as-of", "2026-05-01", "--explain", cwd=root)
    assert "output/web/later/index.html: rebuilt (not built before)" in on.output
    assert (root / "output/web/later/index.html").is_file()
    again = publish("build", "--channel", "web", "--as-of", "2026-04-30", "--explain", cwd=root)
    assert "output/web/later/index.html: removed (scheduled until 2026-05-01)" in again.output
    assert not (root / "output/web/later").exists()


def test_a_published_article_made_a_draft_leaves_the_output(tmp_path):
    root = make_project(tmp_path, {"news.md": article("News")})
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    assert (root / "output/web/news/index.html").is_file()
    path = root / "source/news.md"
    path.write_text(path.read_text().replace("---\n\n", "draft: true\n---\n\n", 1))
    result = publish("build", "--channel", "web", "--explain", cwd=root)
    assert "output/web/news/index.html: removed (draft)" in result.output
    assert not (root / "output/web/news").exists()
    assert 'href="news/"' not in (root / "output/web/index.html").read_text()


def test_naming_a_draft_builds_nothing_and_says_so(tmp_path):
    root = make_project(tmp_path, {"d.md": article("D", extra="draft: true\n")})
    result = publish("build", "source/d.md", cwd=root)
    assert (result.exit_code, result.output) == (
        0,
        "Published 0 articles to web, print, email: 0 files in output\n"
        "Left out source/d.md: a draft (publish build --drafts builds it, marked)\n",
    )


def test_check_lists_drafts_and_says_when_each_scheduled_article_goes_out(built):
    root, _, _ = built
    result = publish("check", cwd=root)
    assert (result.exit_code, result.output) == (
        0,
        "source/draft.md:5: note: is a draft: no output, listing, feed or newsletter shows it. "
        "Take out 'draft: true' to publish it; publish build --drafts builds it marked as a "
        "draft\n"
        "source/future.md:4: note: is scheduled: it goes out on 2099-03-04 (its date); until "
        "then no output, listing, feed or newsletter shows it. publish build --as-of 2099-03-04 "
        "builds the site as it will be that day\n"
        "Checked 4 articles (1 draft, 1 scheduled): 0 errors, 0 warnings\n",
    )
    later = json.loads(
        publish("check", "--format", "json", "--as-of", "2099-03-04", cwd=root).output
    )
    assert (later["drafts"], later["scheduled"]) == (1, 0)


def test_the_newsletter_refuses_a_draft_and_a_scheduled_article(built):
    root, _, _ = built
    for name, said in (("draft", "a draft"), ("future", "scheduled for 2099-03-04")):
        result = publish(
            "newsletter", f"source/{name}.md", "--subject", "News", "--name", "issue", cwd=root
        )
        assert result.exit_code == 1
        assert result.output == (
            f"Error: source/{name}.md: is {said}: a newsletter carries only published articles. "
            "Leave it out of the newsletter, or publish it first\n"
        )


def test_a_link_to_a_draft_warns_as_a_link_to_nothing_published(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": article("A", body="## A\n\nSee [the plan](../b/).\n"),
            "b.md": article("B", extra="draft: true\n"),
        },
    )
    check = publish("check", "source/a.md", cwd=root)
    build = publish("build", "--channel", "web", cwd=root)
    said = "source/a.md:9: {}link to '../b/' reaches no article: no article has the slug 'b'"
    assert said.format("warning: ") in check.output, check.output
    assert said.format("") in build.output, build.output


def test_publish_new_draft(tmp_path):
    root = make_project(tmp_path)
    result = publish("new", "Ketamine and migraine", "--draft", "--date", "2026-12-01", cwd=root)
    assert result.output == "wrote source/ketamine-and-migraine.md\n"
    text = (root / "source/ketamine-and-migraine.md").read_text()
    assert text.startswith('---\ntitle: "Ketamine and migraine"\nsummary: ')
    assert "\ndate: 2026-12-01\ndraft: true\n---\n" in text
    check = publish("check", cwd=root)
    assert "source/ketamine-and-migraine.md:5: note: is a draft" in check.output


@pytest.mark.parametrize(
    "draft, moment, state",
    [
        (False, date(2026, 3, 1), PUBLISHED),
        (False, date(2026, 3, 2), State(until=date(2026, 3, 2))),
        (True, date(2026, 1, 1), State(draft=True)),
        (True, date(2026, 4, 1), State(draft=True, until=date(2026, 4, 1))),
        # 23:30 in Los Angeles on March 1 is March 2 in New York: published there on the 2nd.
        (False, "2026-03-01T23:30:00-08:00", State(until=date(2026, 3, 2))),
        (False, "2026-03-01T12:00:00", PUBLISHED),  # no offset: the site's zone
    ],
)
def test_the_state_is_decided_on_the_day_in_the_site_time_zone(draft, moment, state):
    from pipeline.source.front_matter import parse_moment

    facts = Declared("x", draft, parse_moment(moment))
    assert publication_state(facts, date(2026, 3, 1), "America/New_York") == state


def test_today_is_the_given_day_or_the_clock_in_the_zone():
    assert today("UTC", date(2026, 1, 2)) == date(2026, 1, 2)
    assert today("Pacific/Kiritimati") >= today("Pacific/Pago_Pago")
    assert str(State(until=date(2026, 5, 1))) == "scheduled until 2026-05-01"
    assert str(State(draft=True, until=date(2026, 5, 1))) == "draft"
