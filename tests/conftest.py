"""Shared fixtures: the repository's own project, small throwaway projects, and a CLI runner."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
WEB_CASE = CASES / "web"  # articles with tables, footnotes, images, a Spanish one
SAMPLE_SLUG = "ketamine-therapy-for-pain-management"


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="Rewrite the golden files from the current outputs (then read the diff).",
    )


GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden(request):
    """`golden(text, "web/index.html")` asserts that `text` is tests/golden/web/index.html;
    under --regen-golden it writes the file instead (then read the diff before committing)."""
    regen = request.config.getoption("--regen-golden")

    def check(actual: str, name: str) -> None:
        path = GOLDEN / name
        if regen:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        assert actual == path.read_text(encoding="utf-8"), (
            f"differs from {path}: if the change is meant, run pytest --regen-golden and read "
            "the diff"
        )

    return check


def publish(*args: str, cwd: Path, hooks: dict | None = None):
    """Run the `publish` command in folder `cwd`, as a user would; `hooks` for tests only
    (`before_task`: see crash_on), given as Click's context object."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False, obj=hooks)
    finally:
        os.chdir(old)


def crash_on(stem: str) -> dict:
    """Hooks under which a build worker given the article `stem` exits at once, as a worker
    that crashes in WeasyPrint or pandoc would."""
    return {"before_task": functools.partial(_exit_on, stem)}


def _exit_on(stem: str, task) -> None:
    if task.source.stem == stem:
        os._exit(70)


def make_project(root: Path, articles: dict[str, str | bytes] | None = None) -> Path:
    """A project in `root`: the repository's publish.yml and the given source files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "publish.yml", root / "publish.yml")
    (root / "source").mkdir(exist_ok=True)
    for name, content in (articles or {}).items():
        target = root / "source" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def article(
    title: str = "A good article", body: str = "## Section\n\nSome text.\n", extra: str = ""
) -> str:
    """The text of a valid article, with `extra` front matter lines."""
    return (
        f"---\ntitle: {title}\nsummary: A short summary of the article for the listing "
        f"and the search results.\ndate: 2026-01-15\n{extra}---\n\n{body}"
    )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The repository's own project built once, all channels, into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "output"
    result = publish("build", "--strict", "--out", str(out), cwd=REPO)
    assert result.exit_code == 0, result.output
    return out


def email_settings(root: Path, **values) -> None:
    """Set keys of the `email:` section of the project's publish.yml (None removes one)."""
    import yaml

    config = root / "publish.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["email"].update(values)
    data["email"] = {key: value for key, value in data["email"].items() if value is not None}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def email_case_project(root: Path) -> Path:
    """A project holding tests/cases/email-features.md and the two images it shows."""
    from PIL import Image

    make_project(root, {"features.md": (CASES / "email-features.md").read_text(encoding="utf-8")})
    (root / "source" / "media").mkdir()
    Image.new("RGB", (1200, 400), (200, 120, 60)).save(root / "source" / "media" / "x.jpg")
    Image.new("RGB", (40, 40), (20, 90, 100)).save(root / "source" / "media" / "y.png")
    return root


@pytest.fixture(scope="session")
def email_case(tmp_path_factory) -> Path:
    """The email-features case built to the email channel; the output folder."""
    root = email_case_project(tmp_path_factory.mktemp("email-case"))
    result = publish("build", "--strict", "--channel", "email", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output" / "email"


@pytest.fixture(scope="session")
def web_build(tmp_path_factory) -> Path:
    """tests/cases/web built for the web channel only; returns its output folder."""
    root = make_project(tmp_path_factory.mktemp("web-case"))
    shutil.copytree(WEB_CASE / "source", root / "source", dirs_exist_ok=True)
    result = publish("build", "--channel", "web", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


@pytest.fixture
def spy_server():
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()


@pytest.fixture(scope="session")
def writers_build(tmp_path_factory) -> tuple[Path, str, str]:
    """The writers' case (tests/writers.py) built in every channel into output/, then with
    --drafts into drafts/: the project's folder and what each build said."""
    from writers import writers_project

    root = writers_project(tmp_path_factory.mktemp("writers"))
    plain = publish("build", "--strict", cwd=root)
    assert plain.exit_code == 0, plain.output
    marked = publish("build", "--strict", "--drafts", "--out", "drafts", cwd=root)
    assert marked.exit_code == 0, marked.output
    return root, plain.output, marked.output
