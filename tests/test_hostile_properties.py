"""Generated input (hypothesis): front matter of any text, Markdown with raw HTML of every raw
format, header values with every line separator and control character. Whatever it is, `publish
build` and `publish check` end with status 0 or 1 and no traceback, and what is built holds no
script, no event handler, no javascript: address; the feed and sitemap are well-formed XML;
every line of an .eml is at most 998 octets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, publish
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from safety import check_outputs

from pipeline.source.sanitize import HTML_FORMATS

# Characters that break things: every line separator the email package knows, C0 and C1
# controls, surrogates, non-characters, quotes and markup.
NASTY = (
    "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\x01\x08\x7f\x9f\ud800\udfff\ufffe\uffff"
    "\"'<>&:;{}[]*_#\\`|"
)
nasty = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY), st.characters()),
    max_size=60,
)
# Text any output can carry (markup, quotes, U+2028 and the like included), so that most
# articles get past reading and their raw HTML reaches the sanitiser and every channel.
printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=60)
TAGS = ["script", "img", "a", "svg", "iframe", "blockquote", "q", "p", "span", "style",
        "object", "embed", "form", "button", "math", "details", "video", "link", "meta", "base",
        "b", "td"]  # fmt: skip
ATTRIBUTES = ["onerror", "onload", "onclick", "href", "src", "cite", "style", "formaction",
              "srcset", "xlink:href", "data", "action", "background", "poster", "id"]  # fmt: skip
VALUES = ["javascript:alert(1)", " JaVa\nScRiPt:alert(1)", "java&#x09;script:alert(1)",
          "data:text/html,<script>alert(1)</script>", "vbscript:x", "expression(alert(1))",
          "color: red; background: url(javascript:alert(1))", "https://example.org/",
          "\\75rl(javascript:x)", "&#106;avascript:alert(1)"]  # fmt: skip
FORMATS = sorted(HTML_FORMATS | {"HTML5", "plain", "latex", "markdown", "xhtml", "epub"})


@st.composite
def html(draw) -> str:
    tag = draw(st.sampled_from(TAGS))
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)), max_size=3)
    )
    attributes = "".join(f' {name}="{value}"' for name, value in pairs)
    inner = draw(st.sampled_from(["", "alert(1)", "<script>alert(2)</script>", "text"]))
    return draw(st.sampled_from([f"<{tag}{attributes}>{inner}</{tag}>", f"<{tag}{attributes}>"]))


@st.composite
def block(draw, text) -> str:
    kind = draw(st.sampled_from(["para", "raw", "inline", "link", "heading", "list", "code"]))
    words = draw(text).replace("\n", " ")
    form = draw(st.sampled_from(FORMATS))
    if kind == "raw":
        return f"```{{={form}}}\n{draw(html())}\n```"
    if kind == "inline":
        return f"Before `{draw(html())}`{{={form}}} after {words}"
    if kind == "link":
        target = draw(st.sampled_from(VALUES)).replace(" ", "%20")
        return f"[{words or 'x'}]({target}) and {draw(html())}"
    if kind == "heading":
        return f"## {words or 'Heading'}"
    if kind == "list":
        return "\n".join(f"- {draw(text)}" for _ in range(3))
    if kind == "code":
        return f"```\n{draw(text)}\n```"
    return words or "Text."


FIELDS = ["title", "summary", "date", "subject", "author", "tags", "slug", "lang", "body"]


@st.composite
def source(draw) -> str:
    """An article whose text is printable but in one place at most (`spoiled`), where it may
    hold any character at all: most articles are read, and their raw HTML reaches every
    channel; some meet every refusal."""
    spoiled = draw(st.sampled_from(["none", *FIELDS]))

    def value(field: str, plain: str = "") -> str:
        """`plain` and some printable text; any text at all in the spoiled field (a YAML
        double-quoted scalar: escapes and all)."""
        if field == spoiled:
            return json.dumps(draw(nasty), ensure_ascii=False)
        return json.dumps(plain + draw(printable).strip("\\"), ensure_ascii=False)

    dates = ["2026-13-40", value("date")] if spoiled == "date" else ["2026-01-15"]
    lines = [
        f"title: {value('title', 'A title ')}",
        f"summary: {value('summary', 'What readers learn from this article, in a sentence. ')}",
        f"date: {draw(st.sampled_from(dates))}",
    ]
    optional = [
        f"subject: {value('subject')}",
        f"author: {value('author')}",
        f"tags: [{value('tags')}, {value('tags')}]",
        f"slug: {value('slug') if spoiled == 'slug' else json.dumps('a-slug')}",
        f"lang: {value('lang')}",
    ]
    lines += draw(st.lists(st.sampled_from(optional), max_size=3, unique=True))
    text = nasty if spoiled == "body" else printable
    body = "\n\n".join(draw(st.lists(block(text), min_size=1, max_size=6)))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def project(folder: Path, articles: list[str], sender: str | None = None) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "source").mkdir(parents=True)
    config = (REPO / "publish.yml").read_text()
    if sender is not None:
        old = next(line for line in config.splitlines() if line.startswith("  from: "))
        config = config.replace(old, f"  from: {json.dumps(sender)}")
    (folder / "publish.yml").write_text(config)
    for number, text_ in enumerate(articles):
        (folder / "source" / f"a{number}.md").write_text(
            text_, encoding="utf-8", errors="surrogatepass"
        )
    return folder


def build_and_check(root: Path, *channels: str) -> None:
    args = [arg for channel in channels for arg in ("--channel", channel)]
    built = publish("build", "-j", "1", *args, cwd=root)
    assert built.exit_code in (0, 1), built.output
    assert "Traceback" not in built.output
    event("an article was built" if "Published 0 " not in built.output else "none was built")
    checked = publish("check", cwd=root)
    assert checked.exit_code in (0, 1), checked.output
    assert "Traceback" not in checked.output
    if (root / "output").exists():
        check_outputs(root / "output")


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@SETTINGS
@given(articles=st.lists(source(), min_size=1, max_size=2))
def test_any_article_builds_safely_for_the_web_and_email(tmp_path_factory, articles):
    root = project(tmp_path_factory.mktemp("p"), articles)
    build_and_check(root, "web", "email")


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(article=source())
def test_any_article_builds_safely_in_print(tmp_path_factory, article):
    root = project(tmp_path_factory.mktemp("p"), [article])
    build_and_check(root, "print")


@SETTINGS
@given(sender=nasty, subject=nasty)
def test_any_header_value_is_refused_or_sent_safely(tmp_path_factory, sender, subject):
    good = (
        '---\ntitle: Good\nsummary: "A fine summary, long enough for every rule here."\n'
        f"date: 2026-01-15\nsubject: {json.dumps(subject)}\n---\n\nText.\n"
    )
    root = project(tmp_path_factory.mktemp("p"), [good], sender=f"{sender} <news@clinic.example>")
    build_and_check(root, "web", "email")  # the digest links to the web page: it must exist
    digest = publish("newsletter", "source/a0.md", "--subject", subject, "--name", "n", cwd=root)
    assert digest.exit_code in (0, 1), digest.output
    assert "Traceback" not in digest.output
    if (root / "output").exists():
        check_outputs(root / "output")
