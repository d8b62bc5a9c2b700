"""Fetch the documents nobody on the team wrote that tests/test_corpus.py publishes.

    .venv/bin/python scripts/corpus.py        (make test-setup runs it)

Writes .corpus/ (git-ignored), read from package registries, never kept in the repository:
- commonmark/: the CommonMark spec's examples, one article per section, from the `commonmark`
  0.9.2 source distribution on PyPI (the spec is CC BY-SA 4.0);
- pandoc/: pandoc's own Markdown test suite and table tests (test/testsuite.txt, tables.txt,
  pipe-tables.txt, markdown-reader-more.txt), from pandoc 2.17.1.1's source as Debian's archive
  serves it (GPL-2.0-or-later).
The READMEs of the installed packages are read by the test itself. Each download's sha256 is
pinned: a different file stops the script.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / ".corpus"
SDIST = "commonmark-0.9.2.tar.gz"
SHA256 = "194d693e0c1ac49e83c26455bdeeb2483235e6280313c58b11d0b71c19f58ed1"
PANDOC = "http://deb.debian.org/debian/pool/main/p/pandoc/pandoc_2.17.1.1.orig.tar.gz"
PANDOC_SHA256 = "df7c6c605d084252fc28687dffe63ca57dd04a463698d323924d3be2f1f5df32"
PANDOC_TESTS = {  # file in pandoc's test/ folder: the article's title
    "testsuite.txt": "Pandoc's Markdown test suite",
    "tables.txt": "Pandoc's table tests",
    "pipe-tables.txt": "Pandoc's pipe table tests",
    "markdown-reader-more.txt": "More of pandoc's Markdown reader tests",
}
FENCE = "`" * 32
EXAMPLE = re.compile(rf"^{FENCE} example\n(.*?)^\.\n.*?^{FENCE}\n", re.MULTILINE | re.DOTALL)


def main() -> None:
    if (CORPUS / "DONE").is_file():
        return
    articles = {}
    for number, (title, examples) in enumerate(sections(fetch_spec()), start=1):
        body = "\n\n".join(example.replace("\u2192", "\t") for example in examples)
        articles[f"commonmark/{number:02d}.md"] = f"{title}\n{body}\n"
    for name, text in fetch_pandoc_tests().items():
        articles[f"pandoc/{Path(name).stem}.md"] = f"{PANDOC_TESTS[name]}\n{text}"
    for name, text in articles.items():
        (CORPUS / name).parent.mkdir(parents=True, exist_ok=True)
        (CORPUS / name).write_text(text, encoding="utf-8")
    (CORPUS / "DONE").write_text(f"{SDIST}\n{PANDOC}\n")


def fetch_pandoc_tests() -> dict[str, str]:
    """pandoc's test files named in PANDOC_TESTS, by name."""
    with urllib.request.urlopen(PANDOC, timeout=120) as response:
        archive = response.read()
    if hashlib.sha256(archive).hexdigest() != PANDOC_SHA256:
        sys.exit(f"{PANDOC}: not the file this script knows (sha256 differs)")
    with tarfile.open(fileobj=io.BytesIO(archive)) as source:
        return {
            name: source.extractfile(f"pandoc-2.17.1.1/test/{name}").read().decode("utf-8")
            for name in PANDOC_TESTS
        }


def fetch_spec() -> str:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", "commonmark==0.9.2", "-d", folder],
            check=True,
        )  # fmt: skip
        archive = Path(folder) / SDIST
        if hashlib.sha256(archive.read_bytes()).hexdigest() != SHA256:
            sys.exit(f"{SDIST}: not the file this script knows (sha256 differs)")
        with tarfile.open(archive) as sdist:
            return sdist.extractfile("commonmark-0.9.2/spec.txt").read().decode("utf-8")


def sections(spec: str) -> list[tuple[str, list[str]]]:
    """(section title, its examples' Markdown) for every `##` section that has examples."""
    found = []
    for part in re.split(r"^## ", spec, flags=re.MULTILINE)[1:]:
        title, _, text = part.partition("\n")
        examples = [match[1] for match in EXAMPLE.finditer(text)]
        if examples:
            found.append((title.strip(), examples))
    return found


if __name__ == "__main__":
    main()
