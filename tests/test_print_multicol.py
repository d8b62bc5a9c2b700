"""Columns laid out once a page (pipeline/channels/print/multicol.py): the same pages as
WeasyPrint's own two passes give, for less work."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from weasyprint.layout import block, column, inline

from pipeline.channels.print import multicol, pdf

INTER = Path(__file__).resolve().parent.parent / "layouts" / "fonts" / "Inter-Regular.otf"
WORDS = "comprehensive management integrating results of the clinic's care for every patient "
# Two columns over several pages: paragraphs, lists (their markers are positioned boxes), a
# heading kept with its text, a block spanning both columns, and a last page that balances.
PAGE = """<html lang="en" dir="{direction}"><style>
@font-face {{ font-family: Inter; src: url("{font}"); }}
@page {{ size: 300px 400px; margin: 30px; }}
body {{ font: 9px/1.4 Inter; hyphens: auto; }}
.columns {{ columns: 2; column-gap: 16px; orphans: 3; widows: 3; }}
h2 {{ font-size: 12px; break-after: avoid; }}
.span {{ column-span: all; background: #ddd; padding: 4px; }}
</style><div class="columns">{body}</div></html>"""


def body() -> str:
    parts = []
    for number in range(1, 9):
        parts.append(f"<h2>Section {number}</h2>")
        parts += [f"<p>{WORDS * (2 + (number + part) % 4)}</p>" for part in range(3)]
        parts.append("<ul>" + f"<li>{WORDS}</li>" * (number % 3 + 2) + "</ul>")
        if number == 4:
            parts.append(f'<div class="span">{WORDS * 2}</div>')
    return "".join(parts)


def rendered(tmp_path: Path, direction: str) -> tuple[list[bytes], int]:
    """Each page as pixels, and how many times a line was laid out to make them."""
    calls = 0
    split_first_line = inline.split_first_line

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return split_first_line(*args, **kwargs)

    html = PAGE.format(font=INTER.as_uri(), direction=direction, body=body())
    inline.split_first_line = counted
    try:
        document = pdf.layout(html, tmp_path, [INTER.parent], tmp_path / "columns.md")
    finally:
        inline.split_first_line = split_first_line
    data = document.write_pdf()
    pages = pypdfium2.PdfDocument(data)
    try:
        images = [page.render(scale=1).to_pil().tobytes() for page in pages]
    finally:
        pages.close()
    return images, calls


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_columns_laid_out_once_give_the_same_pages(tmp_path, monkeypatch, direction):
    multicol.install()
    assert block.columns_layout is multicol.columns_layout
    rendered(tmp_path, direction)  # the first layout in a process also fills WeasyPrint's caches
    once, once_calls = rendered(tmp_path, direction)
    monkeypatch.setattr(block, "columns_layout", column.columns_layout)
    twice, twice_calls = rendered(tmp_path, direction)
    assert len(once) == len(twice) >= 4
    assert [page == other for page, other in zip(once, twice, strict=True)] == [True] * len(once)
    # Every page but the last two (the spanning block's and the last, which balance) was
    # laid out once instead of twice.
    assert once_calls < 0.8 * twice_calls
