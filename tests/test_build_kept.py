"""The engine as publish serve uses it: workers kept warm between builds, each channel told as
soon as it is made, a build of what the cache holds, and a pool closed under a running build."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest
from conftest import article, make_project
from outputs import tree

import pipeline
from pipeline.engine.pools import LocalPool
from pipeline.engine.running import PoolClosed


def _load(root):
    return pipeline.load_project(root)


@pytest.fixture
def pool():
    kept = LocalPool(2, kept=True)
    yield kept
    kept.close()
    assert multiprocessing.active_children() == []


def test_a_kept_pool_builds_with_the_same_workers_each_time(tmp_path, pool):
    root = make_project(tmp_path, {"a.md": article("Alpha")})
    options = pipeline.BuildOptions(force=True, workers=pool)
    first = pipeline.build(_load(root), options)
    second = pipeline.build(_load(root), options)
    assert first.failures == second.failures == []
    assert len(first.workers) == 2
    assert set(first.workers) == set(second.workers)  # the same processes, warm
    assert all(worker.process.is_alive() for worker in pool.ready)


def test_each_part_is_told_as_it_is_made_and_the_outputs_are_a_builds(tmp_path, pool):
    root = make_project(tmp_path / "kept", {"a.md": article("Alpha")})
    told = []
    options = pipeline.BuildOptions(workers=pool, on_part=lambda task, result: told.append(
        (task.channels, task.shares, sorted(
            output.path for rendered in result.rendered.values() for output in rendered.outputs
        ))
    ))  # fmt: skip
    assert pipeline.build(_load(root), options).failures == []
    # The web page (its worker read the article and passed it on) and the email, in either
    # order, then both PDFs, made together.
    assert sorted(told[:2]) == [
        (("email",), False, ["email/a.eml", "email/a.html", "email/a.txt"]),
        (("web",), True, ["web/a/index.html"]),
    ]
    assert told[2:] == [(("print",), False, ["print/a.pdf", "web/a/brochure.pdf"])]
    plain = make_project(tmp_path / "plain", {"a.md": article("Alpha")})
    assert pipeline.build(_load(plain)).failures == []
    assert tree(root / "output") == tree(plain / "output")


def test_a_read_error_is_told_once_for_the_whole_article(tmp_path, pool):
    root = make_project(tmp_path, {"a.md": "---\ntitle: [\n---\n"})
    told = []
    options = pipeline.BuildOptions(workers=pool, on_part=lambda t, r: told.append((t, r)))
    report = pipeline.build(_load(root), options)
    assert len(told) == 1
    task, result = told[0]
    assert result.article is None
    assert str(result.error) == str(report.failures[0])


def test_cached_only_publishes_what_is_up_to_date_and_leaves_out_the_rest(tmp_path, pool):
    root = make_project(tmp_path, {"a.md": article("Alpha"), "b.md": article("Beta")})
    assert pipeline.build(_load(root), pipeline.BuildOptions(workers=pool)).failures == []
    (root / "source/b.md").write_text(article("Beta, edited"))
    (root / "source/c.md").write_text(article("Gamma"))
    report = pipeline.build(_load(root), pipeline.BuildOptions(workers=pool, cached_only=True))
    assert (report.built, report.failures) == (0, [])
    index = (root / "output/web/index.html").read_text()
    assert "Alpha" in index
    assert "Beta" not in index and "Gamma" not in index  # left out: not up to date
    assert not (root / "output/web/c").exists()
    assert "Beta</h1>" in (root / "output/web/b/index.html").read_text()  # left as it was


def test_closing_a_kept_pool_stops_the_build_under_way(tmp_path):
    root = make_project(tmp_path, {"a.md": article("Alpha")})
    pool = LocalPool(2, kept=True, before_task=_slow)
    raised = []

    def build() -> None:
        try:
            pipeline.build(_load(root), pipeline.BuildOptions(workers=pool))
        except PoolClosed as error:
            raised.append(error)

    builder = threading.Thread(target=build)
    builder.start()
    time.sleep(1)  # the workers are on the article
    pool.close()
    builder.join(timeout=10)
    assert not builder.is_alive() and len(raised) == 1
    assert multiprocessing.active_children() == []
    assert not (root / "output/web/a").exists()


def _slow(task) -> None:
    time.sleep(60)
