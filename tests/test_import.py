"""`publish import`: scraped plain text, Word, OpenDocument and HTML files into draft articles."""

from __future__ import annotations

import shutil

import pypandoc
import pytest
from conftest import CASES, REPO, SAMPLE_SLUG, make_project, publish
from PIL import Image

from pipeline.channels import CHANNELS
from pipeline.project.config import load_config
from pipeline.source import ast as pandoc_ast
from pipeline.source.article import read_article

SEED = CASES / "seed" / "000_637a2bb1b1853745.txt"
SHARED_SEED = REPO.parent / "shared" / "seed" / SEED.name
SEED_SLUG = "what-to-know-about-ketamine-therapy-for-pain-management"

# An article the importer has never seen, as a writer would have it in Word or LibreOffice.
UNSEEN = """\
---
title: Sleep and Chronic Pain
author: Dana Whitfield
date: 2026-03-02
---

Poor sleep and chronic pain feed each other. Here is how to break the circle, one night at a time.

## Why pain keeps you awake

Pain signals do not stop at bedtime.[^1] See [the sleep foundation](https://sleep.example/).

![A dim bedroom with a reading lamp](bedroom.png)

### Habits that help

- Keep the same bedtime
- Cool, dark room
- No screens for an hour

1. Stretch gently
2. Breathe slowly

## What the numbers say

| Hours of sleep | Pain score |
|----------------|-----------|
| 5              | 7         |
| 8              | 4         |

[^1]: Nor do the worries that come with them.
"""
UNSEEN_HEADINGS = [
    (2, "Why pain keeps you awake"),
    (3, "Habits that help"),
    (2, "What the numbers say"),
]


def headings(root, name):
    found = read_article(root / "source" / name, root, load_config(root), CHANNELS).headings
    return [(h.level, h.text) for h in found]


def test_the_copied_seed_is_the_shared_one():
    if not SHARED_SEED.is_file():
        pytest.skip(f"{SHARED_SEED} is absent: nothing to compare the copy with")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("seed"))
    shutil.copy(REPO / "source" / f"{SAMPLE_SLUG}.md", root / "source")
    result = publish("import", str(SEED), "--date", "2026-11-25", cwd=root)
    assert result.exit_code == 0, result.output
    return root, result.output


def test_seed_headings_match_the_hand_made_source(seed_import):
    root, _ = seed_import
    expected = headings(root, f"{SAMPLE_SLUG}.md")
    assert len(expected) == 16
    assert headings(root, f"{SEED_SLUG}.md") == expected


def test_seed_pain_types_become_a_list(seed_import):
    root, _ = seed_import
    tree = read_article(root / "source" / f"{SEED_SLUG}.md", root, load_config(root), CHANNELS).ast
    lists = list(pandoc_ast.elements(tree, "BulletList"))
    assert len(lists) == 1
    items = [pandoc_ast.stringify(item) for item in lists[0]["c"]]
    assert [
        item.split(" refers to")[0].split(" is a")[0].split(" can be")[0] for item in items
    ] == [
        "Neuropathic pain",
        "Complex regional pain syndrome (CRPS)",
        "Fibromyalgia",
        "Migraine headaches",
    ]


def test_seed_page_furniture_is_left_out(seed_import):
    root, _ = seed_import
    text = (root / "source" / f"{SEED_SLUG}.md").read_text()
    assert text.startswith(
        '---\ntitle: "What to Know About Ketamine Therapy for Pain Management"\n'
        'summary: "Ketamine therapy is gaining recognition as an effective treatment for '
        'various types of pain."\ndate: 2026-11-25\n---\n\nKetamine therapy is gaining'
    )
    for furniture in ("Wembley", "12205", "Monday", "Share Now"):
        assert furniture not in text
    assert text.count("What to Know About") == 1


def test_seed_import_prints_what_it_guessed(seed_import, golden):
    golden(seed_import[1], "import-seed.txt")


def test_seed_import_builds_strictly_and_checks_clean(seed_import):
    root, _ = seed_import
    assert publish("check", f"source/{SEED_SLUG}.md", cwd=root).exit_code == 0
    result = publish("build", "--strict", f"source/{SEED_SLUG}.md", cwd=root)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    """The unseen article as .docx, .odt and .html, made by pandoc, with its picture."""
    folder = tmp_path_factory.mktemp("office")
    Image.new("RGB", (40, 30), (30, 90, 100)).save(folder / "bedroom.png")
    (folder / "sleep.md").write_text(UNSEEN)
    for form in ("docx", "odt", "html"):
        args = [f"--resource-path={folder}", "--standalone"]
        out = folder / f"sleep.{form}"
        pypandoc.convert_file(str(folder / "sleep.md"), form, outputfile=str(out), extra_args=args)
    return folder


def imported(tmp_path, file):
    root = make_project(tmp_path)
    result = publish("import", str(file), cwd=root)
    assert result.exit_code == 0, result.output
    return root, result.output


def test_word_document(tmp_path, office_files):
    root, output = imported(tmp_path, office_files / "sleep.docx")
    assert output == (
        "wrote source/sleep-and-chronic-pain.md\n"
        "wrote source/media/sleep-and-chronic-pain/image-1.png\n"
        "Guessed (review these before you publish):\n"
        '  title: "Sleep and Chronic Pain" (the document\'s title)\n'
        '  summary: "Poor sleep and chronic pain feed each other. Here is how to break the '
        'circle, one night at a time." (the opening sentences; '
        "say what readers will learn, in 50 to 160 characters)\n"
        "  date: 2026-03-02 (the document's date)\n"
        "  headings (3), their levels from the document:\n"
        "    ## Why pain keeps you awake\n"
        "      ### Habits that help\n"
        "    ## What the numbers say\n"
        "Then run: publish check source/sleep-and-chronic-pain.md\n"
    )
    assert_the_unseen_article_came_through(
        root, "image-1.png", alt="A dim bedroom with a reading lamp"
    )


def assert_the_unseen_article_came_through(root, image, alt):
    text = (root / "source" / "sleep-and-chronic-pain.md").read_text()
    assert text.startswith(
        '---\ntitle: "Sleep and Chronic Pain"\nsummary: "Poor sleep and chronic pain feed each '
        'other. Here is how to break the circle, one night at a time."\ndate: 2026-03-02\n'
        'author: "Dana Whitfield"\n---\n\nPoor sleep'
    )
    assert headings(root, "sleep-and-chronic-pain.md") == UNSEEN_HEADINGS
    assert f"![{alt}](media/sleep-and-chronic-pain/{image})" in text
    picture = root / "source" / "media" / "sleep-and-chronic-pain" / image
    assert Image.open(picture).size == (40, 30)
    assert "- Keep the same bedtime\n- Cool, dark room\n- No screens for an hour" in text
    assert "1.  Stretch gently\n2.  Breathe slowly" in text
    assert "| Hours of sleep | Pain score |" in text
    assert "[the sleep foundation](https://sleep.example/)" in text
    assert "[^1]: Nor do the worries that come with them." in text


def test_opendocument_text(tmp_path, office_files):
    root, output = imported(tmp_path, office_files / "sleep.odt")
    # Pandoc's odt writer keeps the picture's caption but not its alt text: the import says so.
    assert (
        "  image media/sleep-and-chronic-pain/image-1.png has no alt text: say what it shows\n"
        in output
    )
    assert '  title: "Sleep and Chronic Pain" (the document\'s title)\n' in output
    assert_the_unseen_article_came_through(root, "image-1.png", alt="")
    check = publish("check", cwd=root)
    assert check.exit_code == 0  # a warning, as the build gives it (one rule set)
    assert (
        "warning: image 'media/sleep-and-chronic-pain/image-1.png' has no alt text." in check.output
    )


def test_web_page(tmp_path, office_files):
    page = office_files / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Sleep · Example Clinic</title>"
        '<meta name="description" content="How poor sleep and chronic pain feed each other, '
        'and what helps."></head><body><nav><a href="/">Home</a></nav><main>'
        "<h1>Sleep and Chronic Pain</h1><p>Poor sleep and pain feed each other.</p>"
        '<h2>Habits</h2><p><img src="bedroom.png" alt="A dim bedroom"></p></main>'
        "<footer><p>© 2026 Example Clinic</p></footer></body></html>"
    )
    root, output = imported(tmp_path, page)
    assert "(the first heading)" in output
    text = (root / "source" / "sleep-and-chronic-pain.md").read_text()
    assert text.startswith(
        '---\ntitle: "Sleep and Chronic Pain"\nsummary: "How poor sleep and chronic pain feed '
        'each other, and what helps."\n'
    )
    assert text.endswith(
        "---\n\nPoor sleep and pain feed each other.\n\n## Habits\n\n"
        "![A dim bedroom](media/sleep-and-chronic-pain/bedroom.png)\n"
    )
    assert "Home" not in text and "©" not in text


def test_a_standalone_page_named_relative_to_the_current_folder(tmp_path, office_files):
    root = make_project(tmp_path)
    shutil.copy(office_files / "sleep.html", root)
    shutil.copy(office_files / "bedroom.png", root)
    result = publish("import", "sleep.html", cwd=root)
    assert result.output.startswith(
        "wrote source/sleep-and-chronic-pain.md\n"
        "wrote source/media/sleep-and-chronic-pain/bedroom.png\n"
        "Guessed (review these before you publish):\n"
        '  title: "Sleep and Chronic Pain" (the page\'s <title>)\n'
    )
    assert_the_unseen_article_came_through(root, "bedroom.png", "A dim bedroom with a reading lamp")


def test_web_page_images_from_elsewhere_are_not_taken(tmp_path):
    """Only files in the page's folder are copied; nothing is fetched from the network."""
    Image.new("RGB", (4, 4)).save(tmp_path / "outside.png")
    (tmp_path / "page").mkdir()
    page = tmp_path / "page" / "index.html"
    page.write_text(
        "<h1>Elsewhere</h1><p>Text.</p><p>"
        '<img src="../outside.png" alt="Outside"><img src="https://cdn.example/x.png" alt="Far">'
        '<img src="missing.png" alt="Gone"></p>'
    )
    root, output = imported(tmp_path / "project", page)
    assert (
        "  image ../outside.png was not found: put it there or remove it\n"
        "  image https://cdn.example/x.png is on another site: save it in "
        "source/media/elsewhere/ if you may use it, or remove it\n"
        "  image missing.png was not found: put it there or remove it\n"
        "  headings: none\n"
    ) in output
    assert not (root / "source" / "media").exists()
    assert (
        (root / "source" / "elsewhere.md")
        .read_text()
        .endswith(
            "Text.\n\n![Outside](../outside.png)![Far](https://cdn.example/x.png)![Gone](missing.png)\n"
        )
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "notes.pdf",
            b"%PDF-1.7",
            "Error: {file}: cannot import '.pdf' files. publish import reads .docx, .odt, "
            ".html, .htm and plain text (.txt)\n",
        ),
        (
            "broken.docx",
            b"not a zip",
            "Error: {file}: pandoc could not read it as docx: couldn't unpack docx container: "
            "Did not find end of central directory signature\n",
        ),
        (
            "latin1.txt",
            "Caf\u00e9 menu\n".encode("latin-1"),
            "Error: {file}:1: is not UTF-8 text (byte 0xe9 cannot be read). "
            "Save the file with UTF-8 encoding\n",
        ),
    ],
)
def test_files_it_cannot_import(tmp_path, name, content, message):
    root = make_project(tmp_path / "project")
    file = tmp_path / name
    file.write_bytes(content)
    result = publish("import", str(file), cwd=root)
    assert (result.exit_code, result.output) == (1, message.format(file=file))
    assert list((root / "source").iterdir()) == []


def test_import_never_overwrites(tmp_path):
    root = make_project(tmp_path / "project")
    publish("import", str(SEED), cwd=root)
    target = root / "source" / f"{SEED_SLUG}.md"
    before = target.read_text()
    result = publish("import", str(SEED), cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: source/{SEED_SLUG}.md: already exists, and publish import never overwrites. "
        "Give it another title, or edit the article that is there\n"
    )
    assert target.read_text() == before
    missing = publish("import", "nowhere.docx", cwd=root)
    assert missing.output == "Error: nowhere.docx: no such file. Check the path\n"
