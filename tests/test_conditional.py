"""Channel-conditional content: blocks and spans for each channel, and unknown channels."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import article, make_project, publish

from pipeline.channels import CHANNELS
from pipeline.project.config import load_config
from pipeline.source.article import read_article

# Short one-syllable words: hyphenation can never split them in the brochure's text.
BODY = """\
Everyone reads this opening.

::: {.content-visible when-channel="print"}
## Desk

Wren: ask at the front desk.
:::

::: {.content-hidden when-channel="print email"}
## Online

Hawk: book on this page.
:::

::: {.content-visible when-channel="email print"}
Kite: keep this for later.
:::

::: {.content-visible unless-channel="web" .note}
Crow: a note off the web.
:::

Call us [Lark]{.content-visible when-channel="email"}[Swan]{.content-hidden
when-channel="email print"} today.

## Visits

Shown in every channel.
"""
SEEN = {
    "web": {"Hawk", "Swan", "Online"},
    "print": {"Wren", "Kite", "Crow", "Desk"},
    "email": {"Kite", "Crow", "Lark"},
}
WORDS = set().union(*SEEN.values())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("conditional"), {"when.md": article(body=BODY)})
    result = publish("build", "--strict", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


def channel_text(out, channel: str) -> str:
    if channel == "web":
        page = (out / "web" / "when" / "index.html").read_text()
        return page.split('<div class="article-body">')[1].split("</article>")[0]
    if channel == "email":
        return (out / "email" / "when.txt").read_text()
    pdf = out / "print" / "when.pdf"
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout


@pytest.mark.parametrize("channel", ["web", "print", "email"])
def test_each_channel_shows_its_own_blocks_and_spans(built, channel):
    text = channel_text(built, channel)
    words = set(re.findall(r"[A-Z][a-z]+", text))
    assert words & WORDS == SEEN[channel]
    assert "Everyone reads this opening." in " ".join(text.split())
    assert "Visits" in text
    assert "content-visible" not in text and "when-channel" not in text


def test_markup_goes_but_a_div_with_its_own_class_stays(built):
    body = channel_text(built, "web")
    assert "Call us Swan today." in body  # the span's text, not a <span>
    assert "<h2" in body and 'id="online"' in body
    print_ast = read(built.parent, "when.md").ast_for("print")
    notes = [b for b in print_ast["blocks"] if b["t"] == "Div"]
    assert [b["c"][0] for b in notes] == [["", ["note"], []]]


def read(root, name):
    return read_article(root / "source" / name, root, load_config(root), CHANNELS)


def test_a_hidden_heading_leaves_the_channels_table_of_contents(built):
    when = read(built.parent, "when.md")
    assert [h.text for h in when.headings] == ["Desk", "Online", "Visits"]
    assert [h.text for h in when.headings_for("web")] == ["Online", "Visits"]
    assert [h.text for h in when.headings_for("print")] == ["Desk", "Visits"]
    assert [h.text for h in when.headings_for("email")] == ["Visits"]


def test_the_screen_pdf_shows_what_print_shows(built):
    when = read(built.parent, "when.md")
    assert when.ast_for("screen") == when.ast_for("print")
    assert when.ast_for("print") is when.ast_for("print")  # selected once per channel


@pytest.mark.parametrize(
    "markup, message",
    [
        (
            '::: {.content-visible when-channel="printt"}',
            "source/bad.md:9: '.content-visible' names an unknown channel 'printt' in "
            "when-channel. Use one or more of: web, print, email, separated by spaces",
        ),
        (
            '::: {.content-hidden when-channel="web, email"}',
            "source/bad.md:9: '.content-hidden' names an unknown channel 'web,' in "
            "when-channel. Use one or more of: web, print, email, separated by spaces",
        ),
        (
            '::: {.content-visible when-channel=""}',
            "source/bad.md:9: '.content-visible' has an empty when-channel. "
            'Write {.content-visible when-channel="print"} with one or more of: '
            "web, print, email",
        ),
        (
            "::: {.content-visible}",
            "source/bad.md:9: '.content-visible' needs when-channel or unless-channel. "
            'Write {.content-visible when-channel="print"} with one or more of: '
            "web, print, email",
        ),
        (
            '::: {.content-visible when-format="html"}',
            "source/bad.md:9: '.content-visible' needs when-channel or unless-channel "
            "('when-format' is Quarto's; publish chooses by channel). "
            'Write {.content-visible when-channel="print"} with one or more of: '
            "web, print, email",
        ),
    ],
)
def test_a_bad_condition_fails_the_article_with_file_and_line(tmp_path, markup, message):
    body = f"First paragraph.\n\n{markup}\nInside.\n:::\n"
    root = make_project(tmp_path, {"bad.md": article(body=body)})
    for channel in ("web", "print", "email"):  # read once, before any channel renders
        result = publish("build", "--channel", channel, cwd=root)
        assert result.exit_code == 1
        assert result.stderr == f"Error: {message}\n"
    assert not list((root / "output").glob("*/bad*"))


def test_the_line_is_found_when_code_shows_the_syntax_too(tmp_path):
    body = (
        'Write it like this: `[x]{.content-visible when-channel="web"}`.\n\n'
        'Then [this]{.content-visible when-channel="emial"} fails.\n'
    )
    root = make_project(tmp_path, {"bad.md": article(body=body)})
    result = publish("build", cwd=root)
    assert result.stderr == (
        "Error: source/bad.md:9: '.content-visible' names an unknown channel 'emial' in "
        "when-channel. Use one or more of: web, print, email, separated by spaces\n"
    )


def test_nested_conditions_both_apply(tmp_path):
    body = (
        '::: {.content-hidden when-channel="email"}\n'
        'Outer [inner]{.content-visible when-channel="print"} end.\n:::\n'
    )
    root = make_project(tmp_path, {"nest.md": article(body=body)})
    nest = read(root, "nest.md")
    texts = {c: nest.ast_for(c)["blocks"] for c in ("web", "print", "email")}
    assert texts["email"] == []
    assert [i.get("c") for i in texts["web"][0]["c"]] == ["Outer", None, "end."]
    assert [i.get("c") for i in texts["print"][0]["c"]] == ["Outer", None, "inner", None, "end."]
