"""Printed text is exact: addresses, code and words with digits as written, every link's
address on paper once, code in footnotes kept, pictures in a sentence kept in its line."""

from __future__ import annotations

import re

import pypdf
import pytest
from conftest import article, make_project, publish
from pdfs import photo, run, words

# Narrow code and addresses: long enough to run over a line of a booklet's column.
ADDRESS = (
    "https://www.example.org/a/very/long/path/with-many-parts/and?query=value&other=thing-more"
)
BODY = f"""\
## Commands

Run `git clone https://github.com/pyenv/pyenv-virtualenv.git` then `pyenv --log-level debug`
and `make --msvs_version=2017 --log-level=info --keep-going --no-print-directory` at once.
Builds for x86_64architectures and aarch64architectures differ.[^code]

```
pip install --upgrade --no-cache-dir --force-reinstall pyenv-virtualenv pyenv-doctor
```

## Links

A long address: <{ADDRESS}>. Write to [our desk](mailto:desk@example.org), read
[the guide](https://example.org/guide/), see <mailto:help@example.org> or [below](#links).

A small ![](media/icon.png) picture inside a sentence that runs on after it.

[^code]: A note with code:

    ```
    export PYENV_ROOT="$HOME/.pyenv"
    ```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("exact"), {"exact.md": article("Exact", BODY)})
    photo(root / "source" / "media" / "icon.png", (1200, 1200))
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


PDFS = ["print/exact.pdf", "web/exact/brochure.pdf"]


def text(pdf) -> str:
    """What pdftotext gives, WeasyPrint's line-end hyphens (U+2010) joined, without spaces."""
    return re.sub(r"\s+", "", run("pdftotext", str(pdf), "-").replace("\u2010\n", ""))


@pytest.mark.parametrize("pdf", PDFS)
@pytest.mark.parametrize(
    "exact",
    [
        "gitclonehttps://github.com/pyenv/pyenv-virtualenv.git",
        "pyenv--log-leveldebug",
        "make--msvs_version=2017--log-level=info--keep-going--no-print-directory",
        "x86_64architecturesandaarch64architectures",
        "pipinstall--upgrade--no-cache-dir--force-reinstallpyenv-virtualenvpyenv-doctor",
        ADDRESS,
    ],
)
def test_code_addresses_and_words_with_digits_read_back_as_written(built, pdf, exact):
    """No hyphen added (WeasyPrint's U+2010), none lost at a line's end (readers drop a
    hyphen-minus that ends a line)."""
    assert exact in text(built / pdf)


@pytest.mark.parametrize("pdf", PDFS)
def test_no_line_ends_in_a_hyphen_minus(built, pdf):
    lines = run("pdftotext", "-layout", str(built / pdf), "-").splitlines()
    assert [line for line in lines if line.rstrip().endswith("-")] == []


@pytest.mark.parametrize("pdf", PDFS)
def test_each_pdf_prints_each_address_once(built, pdf):
    """Both PDFs show the same pages (one layout makes both): the screen PDF is printed at
    home too."""
    printed = text(built / pdf)
    assert "ourdesk(desk@example.org)" in printed
    assert "theguide(https://example.org/guide/),see" in printed
    assert f"{ADDRESS}.Write" in printed  # shown as the link's text: not again
    assert "help@example.org" in printed and "(help@example.org)" not in printed
    assert "orbelow.Asmall" in printed  # a link inside the brochure: no address


def test_the_screen_pdf_links_what_both_print(built):
    reader = pypdf.PdfReader(built / "web/exact/brochure.pdf")
    uris = {
        annotation.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    }
    assert {"mailto:desk@example.org", "https://example.org/guide/", ADDRESS} <= uris
    assert not any("/Annots" in page for page in pypdf.PdfReader(built / "print/exact.pdf").pages)


@pytest.mark.parametrize("pdf", PDFS)
def test_code_in_a_footnote_is_printed(built, pdf):
    assert 'exportPYENV_ROOT="$HOME/.pyenv"' in text(built / pdf)


@pytest.mark.parametrize("pdf", PDFS)
def test_a_picture_inside_a_sentence_keeps_it_on_one_line(built, pdf):
    found = {word: top for word, _, top, _, _ in words(built / pdf, 2)}
    assert abs(found["small"] - found["picture"]) < 1
