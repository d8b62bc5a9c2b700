"""The press's ink and box rules, each failed by a deliberately broken PDF with its message."""

from __future__ import annotations

import io

import pikepdf
import pytest
import weasyprint

from pipeline.channels.print.preflight import Expect, preflight

PAGE = "@page { size: letter; margin: 1in } html { font-family: 'DejaVu Sans' }"
TEAL = "device-cmyk(0.86 0.3 0.38 0.3)"  # four inks
RICH = "device-cmyk(0.6 0.4 0.4 1)"


def _findings(body: str, bleed: str = "9pt") -> dict[str, str]:
    html = f"<html><style>{PAGE} @page {{ bleed: {bleed} }}</style>{body}</html>"
    return _checked(weasyprint.HTML(string=html).write_pdf())


def _checked(pdf: bytes) -> dict[str, str]:
    return {f.check: str(f) for f in preflight(pdf, Expect(press=True)).findings}


@pytest.mark.parametrize(
    ("body", "check", "message"),
    [
        (
            "<p style='font-size: 10pt; color: device-cmyk(0 0 0 0.9)'>Grey body text.</p>",
            "black text",
            "black text: black text is not 100 % K alone (a screen of dots): page 1: 10 pt "
            "text in DejaVu-Sans in K 90 %",
        ),
        (
            f"<p style='font-size: 8pt; color: {TEAL}'>A small teal label.</p>"
            f"<h1 style='font-size: 20pt; color: {TEAL}'>A large heading in four inks</h1>",
            "small text",
            "small text: text under 12 pt in more than two inks: page 1: 8 pt text in "
            "DejaVu-Sans in 4 inks (C 86 M 30 Y 38 K 30 %)",
        ),
        (
            f"<p style='color: {RICH}'>Rich black type.</p>",
            "rich black",
            "rich black: rich black on type or small shapes: page 1: 12 pt text in DejaVu-Sans "
            "in rich black (C 60 M 40 Y 40 K 100 %)",
        ),
        (
            f"<div style='width: 0.5in; height: 0.5in; background: {RICH}'></div>"
            f"<div style='width: 3in; height: 2in; background: {RICH}'></div>",
            "rich black",
            "rich black: rich black on type or small shapes: page 1: a shape of 0.25 sq in "
            "(0.5 in square) in rich black (C 60 M 40 Y 40 K 100 %)",
        ),
    ],
    ids=["screened black", "small four inks", "rich black type", "small rich black shape"],
)
def test_an_ink_rule_broken_fails_naming_page_and_object(body, check, message):
    assert _findings(body)[check] == message


def test_solid_black_type_two_inks_and_a_large_rich_black_area_pass():
    found = _findings(
        "<p style='font-size: 8pt; color: device-cmyk(0 0 0 1)'>Black.</p>"
        "<p style='font-size: 8pt; color: device-cmyk(0.64 0 0 0.58)'>Two inks.</p>"
        f"<div style='width: 3in; height: 2in; background: {RICH}'></div>"
    )
    assert [found["black text"], found["small text"], found["rich black"]] == [
        "black text: black text is 100 % K only",
        "small text: text under 12 pt in two inks at most",
        "rich black: rich black on large solid areas only",
    ]


def test_a_media_box_not_at_0_0_fails():
    # WeasyPrint 70 starts the MediaBox at minus the bleed; the build moves it (typeset.py).
    found = _findings("<p style='color: device-cmyk(0 0 0 1)'>Text.</p>")
    assert found["page boxes"] == "page boxes: the MediaBox starts at -9 -9, not 0 0 on page 1"


def test_a_trim_box_inset_unevenly_fails():
    pdf = weasyprint.HTML(string=f"<html><style>{PAGE} @page {{ bleed: 9pt }}</style>x").write_pdf()
    document = pikepdf.open(io.BytesIO(pdf))
    page = document.pages[0].obj
    page.MediaBox = pikepdf.Array([0, 0, 630, 810])
    page.BleedBox = pikepdf.Array([0, 0, 630, 810])
    page.TrimBox = pikepdf.Array([10, 12, 622, 804])  # 10 pt left, 8 right, 12 below, 6 above
    out = io.BytesIO()
    document.save(out)
    assert _checked(out.getvalue())["page boxes"] == (
        "page boxes: the TrimBox is inset unevenly in the MediaBox (6 8 10 12 pt) on page 1; "
        "bleed is 6 pt on some side, under 8.5 pt (3 mm)"
    )
