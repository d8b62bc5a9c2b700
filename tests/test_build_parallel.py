"""Worker processes: the same messages and bytes whatever their number, and a worker that
crashes fails its own article and nothing else."""

import multiprocessing

import pytest
from conftest import article, crash_on, make_project, publish
from outputs import explained, tree

from pipeline.project.templates import BUILTIN_LAYOUTS

ARTICLES = {
    "a.md": article("Alpha", "## One\n\nText with a [link](https://example.org/).\n"),
    "b.md": article("Beta", extra="colour: blue\n"),
    "c.md": article("Gamma", "![A chart](media/chart.png)\n", extra="colour: red\n"),
    "d.md": article("Delta", "## Two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
}


def test_one_and_two_workers_give_the_same_messages_and_bytes(tmp_path):
    results, outputs = [], []
    for jobs in ("1", "2"):
        root = make_project(tmp_path / jobs, ARTICLES)
        results.append(publish("build", "-j", jobs, cwd=root))
        outputs.append(tree(root / "output"))
    one, two = results
    assert one.exit_code == two.exit_code == 1
    assert (
        one.stderr
        == two.stderr
        == (
            "Warning: source/b.md:5: unknown key 'colour' in front matter (ignored; check its "
            "spelling)\n"
            "Warning: source/c.md:5: unknown key 'colour' in front matter (ignored; check its "
            "spelling)\n"
            "Error: source/c.md:8: image 'media/chart.png' does not exist. Put the file at "
            "source/media/chart.png or fix the path\n"
        )
    )
    assert one.stdout == two.stdout
    assert one.stdout.splitlines()[:4] == [
        "wrote output/web/a/index.html",
        "wrote output/print/a.pdf",
        "wrote output/web/a/brochure.pdf",
        "wrote output/email/a.txt",
    ]
    assert outputs[0] == outputs[1]
    assert "print/d.pdf" in outputs[0] and "print/c.pdf" not in outputs[0]


def test_a_crashing_worker_fails_its_article_and_not_the_build(tmp_path):
    articles = {f"{name}.md": article(name.title()) for name in ("alpha", "beta", "gamma")}
    root = make_project(tmp_path, articles)
    args = ("build", "-j", "2", "--channel", "web", "--channel", "email")
    crashed = publish(*args, cwd=root, hooks=crash_on("beta"))  # its worker exits, twice
    assert crashed.exit_code == 1
    assert crashed.stderr == (
        "Error: source/beta.md: not built: the build worker crashed on it twice (exit status "
        "70). This is a bug in publish or a library it uses: please report it with this "
        "article\n"
    )
    assert (root / "output/web/alpha/index.html").is_file()
    assert (root / "output/email/gamma.txt").is_file()
    assert not (root / "output/web/beta").exists()
    index = (root / "output/web/index.html").read_text()
    assert "Alpha" in index and "Beta" not in index

    again = publish("build", "--explain", "--channel", "web", "--channel", "email", cwd=root)
    assert again.exit_code == 0, again.output
    lines = explained(again.stdout)
    assert lines["output/web/beta/index.html"] == "rebuilt (not built before)"
    assert lines["output/email/beta.txt"] == "rebuilt (not built before)"
    assert lines["output/web/alpha/index.html"] == "skipped (unchanged)"
    assert lines["output/web/index.html"] == "rebuilt (articles changed)"


# A picture on another site: one warning, from the reader, however the build is split.
REMOTE = article("Alpha", "## One\n\n![A chart](https://example.org/chart.png)\n\nText.\n")
LEFT_OUT = (
    "Warning: source/a.md:9: image 'https://example.org/chart.png' loads from example.org "
    "whenever a reader opens the web page or the HTML email, telling that site who reads it "
    "and when, and is left out of the PDFs: save the picture in the project and show that "
    "file, or remove it\n"
)


def workers_used(output: str) -> int:
    return sum(line.startswith("Worker ") for line in output.splitlines())


def test_one_article_is_split_over_two_workers_with_the_same_messages_and_bytes(tmp_path):
    results, outputs = [], []
    for jobs in ("1", "2"):
        root = make_project(tmp_path / jobs, {"a.md": REMOTE})
        results.append(publish("build", "-j", jobs, "--timings", cwd=root))
        outputs.append(tree(root / "output"))
    one, two = results
    assert one.exit_code == two.exit_code == 0
    assert one.stderr == two.stderr == LEFT_OUT  # said by both PDFs, told once
    assert (workers_used(one.stdout), workers_used(two.stdout)) == (1, 2)
    assert outputs[0] == outputs[1]
    assert {"print/a.pdf", "web/a/brochure.pdf"} <= set(outputs[0])


def built_by_one_and_two_workers(tmp_path, layouts: dict[str, str]):
    """The build of REMOTE with these project layouts, by one worker and by two."""
    results = []
    for jobs in ("1", "2"):
        root = make_project(tmp_path / jobs, {"a.md": REMOTE})
        for name, text in layouts.items():
            (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "layouts" / name).write_text(text)
        results.append(publish("build", "-j", jobs, cwd=root))
        assert not (root / "output" / "print").exists()
    return results


NEWSLETTER = (BUILTIN_LAYOUTS / "email/newsletter.txt.j2").read_text()
IN_PRINT = "Nothing of this article was written. This is most likely a fault in a print layout "
FAILURES = {
    # Without its link the screen PDF fails preflight; the print shop's PDF passes.
    "screen PDF": (
        {"print/online.html.j2": "<p>Read it online</p>\n"},
        "source/a.md: its screen PDF failed preflight: links: no clickable link to the web. "
        + IN_PRINT
        + "under layouts/print/",
    ),
    # Print and email fail, in different workers (parts.py: the email's, the PDFs'). The
    # failure told is still the print channel's, which comes before email.
    "two channels": (
        {
            "print/online.html.j2": '<p style="color: #e07a3f">On</p>\n',
            "email/newsletter.txt.j2": NEWSLETTER + "{{ nothing.here() }}\n",
        },
        "source/a.md: its print PDF failed preflight: colour: not CMYK: RGB colour (rg) on page "
        "4. " + IN_PRINT + "under layouts/print/",
    ),
    # Only the email fails; the other parts' channels succeeded.
    "email alone": (
        {"email/newsletter.txt.j2": NEWSLETTER + "{{ nothing.here() }}\n"},
        "layouts/email/newsletter.txt.j2:14: template error: 'nothing' is undefined (while "
        "publishing source/a.md). Fix the template, or give it the value it expects",
    ),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_split_article_that_fails_is_told_as_one_worker_tells_it(tmp_path, case):
    layouts, error = FAILURES[case]
    one, two = built_by_one_and_two_workers(tmp_path, layouts)
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert one.stderr == LEFT_OUT + f"Error: {error}\n"


def test_a_split_article_whose_worker_crashes_fails_alone(tmp_path):
    root = make_project(tmp_path, {"a.md": REMOTE})
    crashed = publish("build", "-j", "2", cwd=root, hooks=crash_on("a"))
    assert (crashed.exit_code, crashed.stderr) == (
        1,
        "Error: source/a.md: not built: the build worker crashed on it twice (exit status "
        "70). This is a bug in publish or a library it uses: please report it with this "
        "article\n",
    )
    assert not (root / "output" / "print").exists()


def test_workers_started_while_planning_stop_when_no_article_is_built(tmp_path):
    # Planning finds work (two new articles) and starts workers at once; both articles then
    # fail on their shared slug, and the workers are stopped, not left to the end.
    same = article("Same", extra="slug: same\n")
    root = make_project(tmp_path, {"a.md": same, "b.md": same})
    result = publish("build", cwd=root)
    assert result.exit_code == 1
    assert "has the slug 'same', and so does source/b.md" in result.stderr
    assert multiprocessing.active_children() == []
