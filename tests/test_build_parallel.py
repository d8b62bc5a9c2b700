"""Worker processes: the same messages and bytes whatever their number, and a worker that
crashes fails its own article and nothing else."""

from conftest import article, make_project, publish
from outputs import explained, tree

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


def test_a_crashing_worker_fails_its_article_and_not_the_build(tmp_path, monkeypatch):
    articles = {f"{name}.md": article(name.title()) for name in ("alpha", "beta", "gamma")}
    root = make_project(tmp_path, articles)
    monkeypatch.setenv("PUBLISH_TEST_CRASH_ON", "beta")  # its worker exits at once, twice
    crashed = publish("build", "-j", "2", "--channel", "web", "--channel", "email", cwd=root)
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

    monkeypatch.delenv("PUBLISH_TEST_CRASH_ON")
    again = publish("build", "--explain", "--channel", "web", "--channel", "email", cwd=root)
    assert again.exit_code == 0, again.output
    lines = explained(again.stdout)
    assert lines["output/web/beta/index.html"] == "rebuilt (not built before)"
    assert lines["output/email/beta.txt"] == "rebuilt (not built before)"
    assert lines["output/web/alpha/index.html"] == "skipped (unchanged)"
    assert lines["output/web/index.html"] == "rebuilt (articles changed)"
