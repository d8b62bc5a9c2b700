"""The long-running pandoc gives the bytes and the messages of one pandoc process per call."""

import functools
import os
import signal
import time
from pathlib import Path

import pypandoc
import pytest
from conftest import CASES, REPO

from pipeline.channels.web.channel import WRITER_ARGS
from pipeline.errors import PublishError
from pipeline.source import pandoc
from pipeline.source.files import split_front_matter

FILTER = str(REPO / "layouts/filters/plain-email.lua")
TRICKY = (
    "Tabs:\n\n\tcode\twith\ttabs\n\n- a list\n\n\t- nested\tby a tab\n\n"
    "Math $x^2$, a note[^1], the same note again.\n\n[^1]: one\n[^1]: two\n\n"
    "```python\nprint('highlighted')\n```\n\n<div class=raw>raw *HTML*</div>\n"
)
BODIES = {
    "sample": REPO / "source/ketamine-therapy-for-pain-management.md",
    "rich": CASES / "rich.md",
    "tricky": TRICKY,
}
WRITES = [
    ("html5", []),
    ("html5", WRITER_ARGS),  # the web page's
    ("html5", ["--wrap=none"]),  # the brochure's
    ("plain", ["--wrap=auto", "--columns=72", "--lua-filter", FILTER]),
    ("plain", ["--wrap=auto", "--columns=72", f"--lua-filter={FILTER}", "-M", "email-ascii=true"]),
    ("plain", ["--columns=40", "--metadata", "title=Ignored by the plain writer"]),
    ("html5", ["--standalone", "--metadata=title=Not served: one process"]),
]


def body(name: str) -> str:
    found = BODIES[name]
    return found if isinstance(found, str) else split_front_matter(found.read_text(), found)[2]


def both_ways(monkeypatch, convert, served=True):
    """What `convert()` gives with one pandoc process per call, then with the server (alone,
    unless `served` is False: then by its way back to one process per call)."""
    monkeypatch.setattr(pandoc, "SERVER", False)
    per_call = convert()
    monkeypatch.setattr(pandoc, "SERVER", True)
    if served:
        monkeypatch.setattr(pypandoc, "convert_text", None)  # no way round the server
    try:
        return per_call, convert()
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("name", BODIES)
def test_the_server_reads_and_writes_the_same_bytes(monkeypatch, name):
    per_call, ast = both_ways(monkeypatch, lambda: pandoc.parse(body(name), Path("x.md")))
    assert ast == per_call
    for to, args in WRITES:
        convert = functools.partial(pandoc.write, ast, to, Path(), args)
        per_call, served = both_ways(monkeypatch, convert, "--standalone" not in args)
        assert served == per_call, (to, args)


def test_options_the_server_does_not_know_go_to_one_process_per_call():
    assert pandoc.served_options(["--wrap=auto", "-M", "a=b"]) == ["--wrap=auto", "--metadata=a=b"]
    assert pandoc.served_options(["--standalone"]) is None
    assert pandoc.served_options(["--syntax-highlighting=kate"]) is None  # only "none"
    assert pandoc.served_options(["--columns", "72", "--toc"]) is None


def test_a_pandoc_error_reads_the_same_both_ways(monkeypatch):
    ast = pandoc.parse("Text.", Path("x.md"))

    def message():
        with pytest.raises(PublishError) as error:
            pandoc.write(ast, "no-such-format", Path("x.md"))
        return str(error.value)

    per_call, served = both_ways(monkeypatch, message, served=False)
    assert served == per_call
    assert served.startswith("x.md: pandoc could not write no-such-format: ")


def test_a_server_that_died_is_started_again(monkeypatch):
    monkeypatch.setattr(pandoc, "SERVER", True)
    monkeypatch.setattr(pypandoc, "convert_text", None)  # no way round the server
    pandoc.parse("Warm up.", Path("x.md"))
    os.kill(pandoc.server_pid(), signal.SIGKILL)
    for _ in range(500):  # until it is gone (server_pid reaps it), 5 s at most
        if pandoc.server_pid() is None:
            break
        time.sleep(0.01)
    assert pandoc.server_pid() is None
    assert pandoc.parse("*Again*", Path("x.md"))["blocks"][0]["c"][0]["t"] == "Emph"
