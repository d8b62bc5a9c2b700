"""Documents nobody on the team wrote, published in every channel: every element of the source
(heading, paragraph, list item, block quote, code block, footnote, definition, table cell and
caption, the article's own pictures) is in the web page, both PDFs, the email text and the
HTML email. The corpus: the READMEs of the packages installed here, pandoc's Markdown test
suite and table tests, and the CommonMark spec's examples (scripts/corpus.py fetches them).
The pictures the documents show from files are made here (their repositories have them) and
counted in every channel; a picture on another site is not counted: the PDFs leave it out by
the fetch policy (the reader warns of it, tests/test_remote_images.py). The table of what was
found is printed (pytest -s)."""

from __future__ import annotations

import html
import importlib.metadata
import json
import re
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO, make_project, publish
from corpus import CHANNELS, Table, channel_pictures, channel_texts, elements, local_pictures
from PIL import Image

from pipeline.channels import CHANNELS as REGISTRY
from pipeline.project.config import load_config
from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc
from pipeline.source.article import read_article

CORPUS = REPO / ".corpus"
README_LIMIT = 30_000  # characters: larger READMEs are changelogs, slow to lay out twice
# Articles the build may refuse, with the error it must give and why. On this machine no font
# sets these scripts (the project ships fonts for Latin, Greek, Cyrillic, symbols and emoji):
# a PDF with empty boxes must not reach a press. With fonts-noto-cjk and fonts-noto-core
# installed they are built, and compared like the rest.
NO_FONT = "its print PDF failed preflight: glyphs: no glyph in any font for "
MAY_REFUSE = {
    "readme-idna": NO_FONT,  # Japanese
    "readme-email-validator": NO_FONT,  # Japanese, full-width Latin
    "readme-rich": NO_FONT,  # Chinese, Japanese, Korean, Devanagari
    "commonmark-18": NO_FONT,  # Malayalam, Kannada (entity examples)
    "pandoc-markdown-reader-more": NO_FONT,  # Chinese
}
# Articles the build always refuses: a picture named without an extension (`![foo](/url)`)
# is served by no web server as a picture (tests/test_hostile.py).
NO_EXTENSION = "is not a picture browsers show (no extension)"
REFUSED = {
    "commonmark-20": NO_EXTENSION,  # <img src="foo">
    "commonmark-21": NO_EXTENSION,  # ![...](uri3)
    "commonmark-22": NO_EXTENSION,  # ![foo](/url)
}


def readmes() -> dict[str, str]:
    """The Markdown READMEs of the installed packages, by package name."""
    found = {}
    for dist in importlib.metadata.distributions():
        body, kind = (
            dist.metadata.get_payload() or "",
            dist.metadata.get("Description-Content-Type"),
        )
        name = dist.metadata["Name"]
        if (
            "markdown" in (kind or "")
            and 2000 < len(body) < README_LIMIT
            and name != "publish-pipeline"
        ):
            found[re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")] = body
    return dict(sorted(found.items()))


def front_matter(title: str) -> str:
    return (
        f"---\ntitle: {title!r}\nsummary: 'A document nobody on the team wrote, published in "
        "every channel to compare it with its source.'\ndate: 2026-01-15\n---\n\n"
    )


def pictures(root: Path, body: str) -> None:
    """The pictures a document shows from files (not addresses on the web), made where its
    links say they are."""
    tree = pandoc.parse(body, root / "source" / "corpus.md")
    targets = [image["c"][2][0] for image in pandoc_ast.elements(tree, "Image")]
    for target in targets + re.findall(r"<img[^>]*\ssrc=\"([^\"]+)\"", body):
        if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            path = root / "source" / target.lstrip("/")
            if path.resolve().is_relative_to(root) and not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                kind = "JPEG" if path.suffix.lower() in (".jpg", ".jpeg") else "PNG"
                Image.new("RGB", (480, 320), (40, 110, 160)).save(path, kind)


def cited(path: Path, body: str) -> None:
    """A document that cites works in brackets ([@key]) gets the bibliography its writer
    would give: an entry for each key (a key no bibliography has is an error)."""
    tree = pandoc.parse(body, path)
    keys = sorted(
        {
            citation["citationId"]
            for cite in pandoc_ast.elements(tree, "Cite")
            for citation in cite["c"][0]
            if citation["citationMode"]["t"] != "AuthorInText"
        }
    )
    if not keys:
        return
    entries = [{"id": key, "type": "book", "title": f"The work {key}"} for key in keys]
    path.with_suffix(".json").write_text(json.dumps(entries), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\nbibliography: {path.stem}.json\n", 1))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    assert (CORPUS / "DONE").is_file(), "run scripts/corpus.py (make test-setup does)"
    articles = {f"readme-{name}.md": front_matter(f"The README of {name}") + body
                for name, body in readmes().items()}  # fmt: skip
    for path in sorted(CORPUS.glob("*/*.md")):
        title, body = path.read_text(encoding="utf-8").split("\n", 1)
        articles[f"{path.parent.name}-{path.stem}.md"] = front_matter(title) + body
    root = make_project(tmp_path_factory.mktemp("corpus"), articles)
    for name, body in articles.items():
        pictures(root, body)
        cited(root / "source" / name, body)
    built = publish("build", cwd=root)
    assert "Traceback" not in built.output
    errors = dict(re.findall(r"^Error: source/([^.]+)\.md(?::\d+)?: (.*)$", built.stderr, re.M))
    unexpected = {name: error for name, error in errors.items()
                  if not error.startswith(MAY_REFUSE.get(name, "\0"))
                  and REFUSED.get(name, "\0") not in error}  # fmt: skip
    assert not unexpected, built.stderr
    assert set(REFUSED) <= set(errors), built.stderr
    (root / "build.log").write_text(built.stderr, encoding="utf-8")
    return root


def test_every_element_is_in_every_channel(corpus):
    config = load_config(corpus)
    table = Table()
    for path in sorted((corpus / "source").glob("*.md")):
        if not (corpus / "output" / "email" / f"{path.stem}.txt").exists():
            assert path.stem in {**MAY_REFUSE, **REFUSED}, f"{path.stem} was not built"
            continue
        article = read_article(path, corpus, config, REGISTRY)
        texts = channel_texts(corpus / "output", article.slug, article.meta.title)
        pictures = channel_pictures(corpus / "output", article.slug)
        for element in elements(article.ast):
            for channel in CHANNELS:
                found = element.found_in(texts[channel])
                table.add(path.stem, element.kind, element.text, channel, found)
        own = local_pictures(article.ast)
        for channel in CHANNELS:
            if own:
                table.add(path.stem, "picture", f"{own} pictures", channel, pictures[channel], own)
    print(table.text())
    assert table.complete, table.text() + "\n" + "\n".join(table.missed[:40])


def test_every_link_leads_somewhere(corpus):
    """No channel links to a file on the building machine: the PDFs' and the HTML email's links
    are absolute, and the email text lists absolute addresses; a web page's link to a local file
    that is not published (a README's `CONTRIBUTING.md`) was a warning naming it."""
    out = corpus / "output"
    absolute = re.compile(r"^([a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)
    warned = set(re.findall(r"link to '([^']*)' leads to a file that is not published",
                            (corpus / "build.log").read_text(encoding="utf-8")))  # fmt: skip
    wrong = []
    for pdf in [*out.glob("print/*.pdf"), *out.glob("web/*/brochure.pdf")]:
        with pikepdf.open(pdf) as document:
            for page in document.pages:
                for annotation in page.get("/Annots", []):
                    uri = str(annotation.get("/A", {}).get("/URI", "https://"))
                    if not absolute.match(uri) or uri.startswith("file:"):
                        wrong.append(f"{pdf.relative_to(out)}: {uri}")
    for page in out.glob("email/*.html"):
        for href in re.findall(r'<a[^>]*\shref="([^"]*)"', page.read_text(encoding="utf-8")):
            if not absolute.match(href) or href.startswith("file:"):
                wrong.append(f"{page.relative_to(out)}: {href}")
    for page in out.glob("web/*/index.html"):
        for href in re.findall(r'<a[^>]*\shref="([^"]*)"', page.read_text(encoding="utf-8")):
            md = re.match(r"^[^:]*\.md(#|$)", href)
            if href.startswith("file:") or (md and html.unescape(href) not in warned):
                wrong.append(f"{page.relative_to(out)}: {href}")
    for text in out.glob("email/*.txt"):
        for listed in re.findall(r"^\[\d+\] (\S+)", text.read_text(encoding="utf-8"), re.M):
            if not absolute.match(listed) or listed.startswith("file:"):
                wrong.append(f"{text.relative_to(out)}: {listed}")
    assert not wrong, "\n".join(wrong)
