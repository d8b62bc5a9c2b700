"""The build cache: what is rebuilt after each kind of change and why (--explain), what is put
back when an output goes missing, and what goes when an article is deleted."""

import contextlib
import importlib.metadata
import re
import shutil
from pathlib import Path

import pytest
from conftest import CASES, article, make_project, publish
from outputs import explained, tree
from PIL import Image

from pipeline.engine.inputs import DISTRIBUTION, dependencies
from pipeline.project.templates import BUILTIN_LAYOUTS

ARTICLES = {
    "a.md": article("Alpha", "## One\n\n![A gradient](media/pic.png)\n\nText.\n"),
    "b.md": article("Beta", "## Two\n\nMore text.\n"),
}
CHANNEL_OUTPUTS = {
    "web": ["output/web/a/index.html", "output/web/a/media/pic.png", "output/web/b/index.html"],
    "print": [
        "output/print/a.pdf",
        "output/web/a/brochure.pdf",
        "output/print/b.pdf",
        "output/web/b/brochure.pdf",
    ],
    "email": [f"output/email/{slug}.{kind}" for slug in "ab" for kind in ("txt", "html", "eml")],
}


@pytest.fixture
def built(tmp_path):
    """A project of two articles (one with an image) built once; returns its folder."""
    root = make_project(tmp_path, ARTICLES)
    (root / "source/media").mkdir()
    shutil.copy(CASES / "media/gradient.png", root / "source/media/pic.png")
    first = publish("build", cwd=root)
    assert first.exit_code == 0, first.output
    return root


def override(root, name: str, data: bytes) -> None:
    """Give the project its own copy of layout `name`."""
    target = root / "layouts" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def edit_article(root):
    path = root / "source/b.md"
    path.write_text(path.read_text() + "\nOne more line.\n")


def edit_template(root):
    css = (BUILTIN_LAYOUTS / "print/common.css.j2").read_bytes()
    override(root, "print/common.css.j2", css + b"\n/* the print shop asked for this */\n")


def edit_config(root):
    config = root / "publish.yml"
    config.write_text(config.read_text().replace("general information", "general guidance"))


def edit_font(root):
    bold = (BUILTIN_LAYOUTS / "fonts/Inter-Bold.otf").read_bytes()
    override(root, "fonts/Inter-Regular.otf", bold)


def edit_image(root):
    Image.new("RGB", (40, 20), "teal").save(root / "source/media/pic.png")


# change -> (what each channel's article outputs say, what the site pages say); None: skipped
CHANGES = {
    "article": (edit_article, {"b": "rebuilt (article changed)"}, "rebuilt (articles changed)"),
    "template": (
        edit_template,
        {"print": "rebuilt (layouts changed: print/common.css.j2)"},
        None,
    ),
    "config": (
        edit_config,
        {"*": "rebuilt (publish.yml changed)"},
        "rebuilt (publish.yml changed, articles changed)",
    ),
    "font": (
        edit_font,
        {
            "web": "rebuilt (layouts changed: fonts/Inter-Regular.otf)",
            "print": "rebuilt (layouts changed: fonts/Inter-Regular.otf)",
        },
        "rebuilt (layouts changed: fonts/Inter-Regular.otf, articles changed)",
    ),
    "image": (
        edit_image,
        {"a": "rebuilt (files changed: source/media/pic.png)"},
        "rebuilt (articles changed)",
    ),
    "nothing": (lambda root: None, {}, None),
}


def of_a(path: str) -> bool:
    return path.startswith(("output/web/a/", "output/print/a.", "output/email/a."))


def expected_line(path: str, channel: str, changed: dict[str, str]) -> str:
    for which in ("*", channel, "a" if of_a(path) else "b"):
        if which in changed:
            return changed[which]
    return "skipped (unchanged)"


@pytest.mark.parametrize("change", CHANGES)
def test_each_kind_of_change_rebuilds_exactly_what_it_touches(built, change):
    edit, changed, site = CHANGES[change]
    site_pages = [
        path for path in explained(publish("build", "--explain", cwd=built).stdout)
        if path not in sum(CHANNEL_OUTPUTS.values(), [])
    ]  # fmt: skip
    assert "output/web/index.html" in site_pages
    edit(built)
    result = publish("build", "--explain", cwd=built)
    assert result.exit_code == 0, result.output
    expected = {
        path: expected_line(path, channel, changed)
        for channel, paths in CHANNEL_OUTPUTS.items()
        for path in paths
    }
    expected.update({path: site or "skipped (unchanged)" for path in site_pages})
    assert explained(result.stdout) == expected


def test_force_rebuilds_everything(built):
    result = publish("build", "--force", "--explain", cwd=built)
    assert set(explained(result.stdout).values()) == {"rebuilt (--force)"}


def test_a_missing_or_edited_output_is_put_back_from_the_cache(built):
    before = tree(built / "output")
    (built / "output/email/a.txt").unlink()
    (built / "output/web/index.html").write_text("edited by hand")
    result = publish("build", "--explain", cwd=built)
    lines = explained(result.stdout)
    assert lines["output/email/a.txt"] == "restored (missing)"
    assert lines["output/web/index.html"] == "restored (modified)"
    assert lines["output/print/a.pdf"] == "skipped (unchanged)"
    assert tree(built / "output") == before
    assert result.stdout.endswith("2 files in output (22 up to date)\n")


def test_a_deleted_article_takes_its_outputs_and_index_entry_with_it(built, tmp_path):
    (built / "source/a.md").unlink()
    result = publish("build", "--explain", cwd=built)
    lines = explained(result.stdout)
    assert {path: lines[path] for path in lines if of_a(path)} == {
        "output/web/a/index.html": "removed (article deleted)",
        "output/web/a/media/pic.png": "removed (article deleted)",
        "output/print/a.pdf": "removed (article deleted)",
        "output/web/a/brochure.pdf": "removed (article deleted)",
        "output/email/a.txt": "removed (article deleted)",
        "output/email/a.html": "removed (article deleted)",
        "output/email/a.eml": "removed (article deleted)",
    }
    assert lines["output/web/index.html"] == "rebuilt (articles changed)"
    assert not (built / "output/web/a").exists()
    clean = make_project(tmp_path / "clean", {"b.md": ARTICLES["b.md"]})
    assert publish("build", cwd=clean).exit_code == 0
    assert tree(built / "output") == tree(clean / "output")


def test_a_cached_article_tells_its_warnings_again(tmp_path):
    root = make_project(tmp_path, {"w.md": article(extra="colour: blue\n")})
    first = publish("build", "--channel", "email", cwd=root)
    second = publish("build", "--channel", "email", "--explain", cwd=root)
    assert explained(second.stdout) == {
        f"output/email/w.{kind}": "skipped (unchanged)" for kind in ("txt", "html", "eml")
    }
    assert (
        first.stderr
        == second.stderr
        == (
            "Warning: source/w.md:5: unknown key 'colour' in front matter (ignored; check its "
            "spelling)\n"
        )
    )


def test_building_other_channels_keeps_a_channels_outputs(built):
    result = publish("build", "--channel", "email", "--explain", cwd=built)
    assert explained(result.stdout) == {
        f"output/email/{slug}.{kind}": "rebuilt (build options changed)"
        for slug in "ab"
        for kind in ("txt", "html", "eml")
    }
    assert (built / "output/print/a.pdf").is_file()


def test_a_cache_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    root = make_project(tmp_path, ARTICLES)
    (root / ".publish-cache").write_text("not a folder")
    result = publish("build", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot keep the build cache in .publish-cache: File exists. Build in a folder "
        "you can write to\n"
    )


def test_site_pages_made_from_cached_articles_are_those_of_a_clean_build(tmp_path):
    # The cache keeps each article's listing (front matter, the feed's copy of the body), not
    # its body: the index and feed made from it must not differ from those of a fresh build.
    articles = {name: ARTICLES["b.md"].replace("Beta", name.title()) for name in ("b.md", "c.md")}
    root = make_project(tmp_path / "project", articles)
    assert publish("build", "--channel", "print", cwd=root).exit_code == 0  # no feed copy made
    assert publish("build", cwd=root).exit_code == 0
    (root / "source/c.md").write_text(articles["c.md"] + "\nOne more line.\n")
    result = publish("build", "--explain", cwd=root)
    assert explained(result.stdout)["output/web/feed.xml"] == "rebuilt (articles changed)"
    assert explained(result.stdout)["output/web/b/index.html"] == "skipped (unchanged)"
    clean = make_project(
        tmp_path / "clean", {**articles, "c.md": articles["c.md"] + "\nOne more line.\n"}
    )
    assert publish("build", cwd=clean).exit_code == 0
    assert tree(root / "output") == tree(clean / "output")


GHOSTSCRIPT_ICC = Path("/usr/share/color/icc/ghostscript")


def test_a_press_profile_edited_in_place_rebuilds_the_print_pdfs(tmp_path):
    # publish.yml does not change: the profile's own bytes are part of the print PDFs' key.
    root = make_project(tmp_path, {"b.md": ARTICLES["b.md"]})
    shutil.copy(GHOSTSCRIPT_ICC / "default_cmyk.icc", root / "press.icc")
    config = root / "publish.yml"
    config.write_text(config.read_text().replace("  # icc_profile:", "  icc_profile: press.icc #"))
    assert publish("build", cwd=root).exit_code == 0
    shutil.copy(GHOSTSCRIPT_ICC / "ps_cmyk.icc", root / "press.icc")  # the print shop's new one
    result = publish("build", "--explain", cwd=root)
    assert result.exit_code == 0, result.output
    lines = explained(result.stdout)
    assert {path: lines[path] for path in ("output/print/b.pdf", "output/web/b/brochure.pdf")} == {
        "output/print/b.pdf": "rebuilt (files changed: press.icc)",
        "output/web/b/brochure.pdf": "rebuilt (files changed: press.icc)",
    }
    assert lines["output/web/b/index.html"] == lines["output/email/b.txt"] == "skipped (unchanged)"


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(tmp_path):
    root = make_project(tmp_path, {"b.md": ARTICLES["b.md"]})
    newsletter = (BUILTIN_LAYOUTS / "email/newsletter.txt.j2").read_bytes()
    override(root, "email/newsletter.txt.j2", newsletter + b"First closing line\n")
    assert publish("build", "--channel", "email", cwd=root).exit_code == 0
    assert list((root / ".publish-cache/templates").glob("*.cache"))
    override(root, "email/newsletter.txt.j2", newsletter + b"Second closing line\n")
    assert publish("build", "--channel", "email", cwd=root).exit_code == 0
    text = (root / "output/email/b.txt").read_text()
    assert "Second closing line" in text and "First closing line" not in text


def test_compiled_templates_that_cannot_be_kept_only_cost_time(tmp_path):
    root = make_project(tmp_path, {"b.md": ARTICLES["b.md"]})
    (root / ".publish-cache").mkdir()
    (root / ".publish-cache/templates").write_text("not a folder")
    result = publish("build", "--channel", "email", cwd=root)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (root / "output/email/b.txt").is_file()


def test_the_packages_in_the_key_are_those_importlib_metadata_finds():
    # inputs reads three METADATA headers itself (faster): it must find what the standard
    # library's full parse finds.
    found, waiting = {}, [DISTRIBUTION]
    while waiting:
        for requirement in importlib.metadata.requires(waiting.pop()) or []:
            name = re.match(r"[A-Za-z0-9._-]+", requirement)[0].lower().replace("_", "-")
            if "extra ==" not in requirement and name not in found:
                with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                    found[name] = importlib.metadata.version(name)
                    waiting.append(name)
    assert dependencies(DISTRIBUTION) == sorted(f"{n}=={v}" for n, v in found.items())
    assert f"weasyprint=={importlib.metadata.version('weasyprint')}" in dependencies(DISTRIBUTION)
