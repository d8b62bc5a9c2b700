"""A brochure's stylesheets parsed once a process (pipeline/channels/print/stylesheets.py):
the same PDFs, the same files recorded and the same warnings as parsing each time."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import weasyprint
from weasyprint import css

from pipeline import deps
from pipeline.channels.print import pdf, stylesheets

FONTS = Path(__file__).resolve().parent.parent / "layouts" / "fonts"
INTER = FONTS / "Inter-Regular.otf"
ICC = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
STYLE = """
@font-face {{ font-family: Inter; src: url("{font}"); }}
@color-profile device-cmyk {{ src: url("{icc}"); components: cyan, magenta, yellow, black; }}
@page {{ size: 200px 200px; margin: 20px; @top-right {{ content: counter(page); }} }}
body {{ font: 10px Inter; color: device-cmyk(0 0 0 1); }}
/* {marker} */
"""
PAGE = "<html lang='en'><style>{style}</style><body>{body}</body></html>"


def html(body: str, marker: str = "kept", extra: str = "") -> str:
    style = STYLE.format(font=INTER.as_uri(), icc=ICC.as_uri(), marker=marker) + extra
    return PAGE.format(style=style, body=body)


def made(monkeypatch, marker: str) -> list[int]:
    """A list that counts each time WeasyPrint parses a stylesheet holding `marker`."""
    parsed: list[int] = []
    init = weasyprint.CSS.__init__

    def counted(self, *args, string=None, **kwargs):
        if string and marker in string:
            parsed.append(1)
        init(self, *args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint.CSS, "__init__", counted)
    return parsed


def layout(tmp_path: Path, page: str):
    allowed = [FONTS, ICC.parent]
    return pdf.layout(page, tmp_path, allowed, tmp_path / "a.md", pdf_variant="pdf/x-4")


def test_a_stylesheet_is_parsed_once_and_gives_the_same_pdfs(tmp_path, monkeypatch):
    stylesheets.install()
    parsed = made(monkeypatch, "once-a")
    bodies = ["<p>One article.</p>", "<p>Another article, longer.</p>" * 40]
    kept = [layout(tmp_path, html(body, "once-a")).write_pdf() for body in bodies]
    assert len(parsed) == 1
    monkeypatch.setattr(css, "CSS", weasyprint.CSS)  # WeasyPrint's own: parsed each time
    again = [layout(tmp_path, html(body, "once-a")).write_pdf() for body in bodies]
    assert len(parsed) == 3
    assert kept == again
    assert b"/N 4" in kept[1]  # the CMYK profile, embedded


def test_each_layout_records_the_files_its_stylesheet_read(tmp_path, monkeypatch):
    """As WeasyPrint's own parsing records them (a font already in the process's font
    configuration is not read again, by either)."""
    stylesheets.install()
    kept = []
    for _ in range(2):
        with deps.recording() as read:
            layout(tmp_path, html("<p>Text.</p>", "files"))
        kept.append(read)
    monkeypatch.setattr(css, "CSS", weasyprint.CSS)
    with deps.recording() as again:
        layout(tmp_path, html("<p>Text.</p>", "files"))
    assert kept == [again, again]
    assert ICC.resolve() in again


@pytest.mark.parametrize(
    "extra",
    [
        "p { colr: red; }",
        "@layer base { p { color: red; } }",
        "@counter-style x { system: cyclic; }",
    ],
    ids=["a problem", "@layer", "@counter-style"],
)
def test_a_stylesheet_not_kept_is_parsed_each_time(tmp_path, monkeypatch, extra):
    """A problem is told for each layout; @layer and @counter-style rules depend on the
    document's other stylesheets."""
    stylesheets.install()
    parsed = made(monkeypatch, f"each-{extra[:6]}")
    told = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: told.append(record.getMessage())
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        for _ in range(2):
            layout(tmp_path, html("<p>Text.</p>", f"each-{extra[:6]}", extra))
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    assert len(parsed) == 2
    problems = [message for message in told if "colr" in message]
    assert len(problems) == (2 if "colr" in extra else 0)
