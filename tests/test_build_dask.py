"""`publish build --executor dask://HOST:PORT`: the same tasks on a Dask cluster (here a
LocalCluster on 127.0.0.1), the same bytes as a build on this machine."""

import os

import dask.config
from conftest import article, make_project, publish
from distributed import Client, LocalCluster
from outputs import tree

ARTICLES = {
    "a.md": article("Alpha", "## One\n\nText with a [link](https://example.org/).\n"),
    "b.md": article("Beta", extra="colour: blue\n"),
}


def test_a_dask_cluster_builds_the_same_bytes_and_messages(tmp_path):
    here = make_project(tmp_path / "here", ARTICLES)
    local = publish("build", cwd=here)
    assert local.exit_code == 0, local.output
    there = make_project(tmp_path / "there", ARTICLES)
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        with Client(cluster) as client:
            (worker,) = client.run(os.getpid).values()
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        remote = publish("build", "--executor", address, "--timings", cwd=there)
    assert remote.exit_code == 0, remote.output
    assert f"\nWorker {worker}, 2 articles: " in remote.stdout  # built over there
    assert remote.stdout.split("\nseconds ")[0] + "\n" == local.stdout
    assert (
        remote.stderr
        == local.stderr
        == (
            "Warning: source/b.md:5: unknown key 'colour' in front matter (ignored; check its "
            "spelling)\n"
        )
    )
    assert tree(there / "output") == tree(here / "output")


def test_an_unknown_executor_is_refused(tmp_path):
    root = make_project(tmp_path, ARTICLES)
    result = publish("build", "--executor", "ray://127.0.0.1:6379", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: unknown executor 'ray://127.0.0.1:6379'. Use dask://HOST:PORT for a Dask "
        "scheduler, or leave --executor out\n"
    )
    assert not (root / "output").exists()


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    root = make_project(tmp_path, ARTICLES)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = publish("build", "--executor", "dask://127.0.0.1:1", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot reach the Dask scheduler at dask://127.0.0.1:1 (no answer in 1 s). "
        "Check the address, and that the scheduler runs\n"
    )
