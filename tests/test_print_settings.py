"""publish.yml's `print:` settings: sheet size, PDF/X variant, the CMYK output profile."""

from __future__ import annotations

import pytest
from conftest import article, make_project, publish
from PIL import ImageCms
from pypdf import PdfReader

from pipeline.channels.print import cmyk
from pipeline.channels.print.preflight import preflight


def project_with(tmp_path, settings: str):
    root = make_project(tmp_path, {"flyer.md": article("A flyer")})
    config = root / "publish.yml"
    config.write_text(config.read_text().replace("  size: letter\n", settings))
    return root


def test_a4_and_pdf_x1a(tmp_path):
    root = project_with(tmp_path, "  size: a4\n  variant: pdf/x-1a\n")
    result = publish("build", "--strict", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    pdf = root / "output" / "print" / "flyer.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-1.4")  # PDF/X-1a:2003 is PDF 1.4
    reader = PdfReader(pdf)
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-1a:2003"
    for page in reader.pages:
        assert (round(float(page.trimbox.width)), round(float(page.trimbox.height))) == (595, 842)
    report = preflight(pdf)
    assert not report.failures
    found = {finding.check: finding.detail for finding in report.findings}
    assert found["page boxes"] == "trim 8.268 x 11.69 in (A4), bleed 0.125 in on every side"
    assert found["output intent"] == "PDF/X-1a:2003, CMYK profile Artifex CMYK SWOP Profile"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "  icc_profile: press.icc\n",
            "Error: publish.yml: 'print.icc_profile' in publish.yml: no such file 'press.icc'. "
            "Give the path of a CMYK .icc profile, relative to the project folder\n",
        ),
        (
            "  size: legal\n",
            "Error: publish.yml:45: 'print.size' in publish.yml: input should be 'letter' or "
            "'a4', got 'legal'\n",
        ),
        (
            "  layout: poster\n",
            "Error: publish.yml:45: 'print.layout' in publish.yml: input should be 'booklet' or "
            "'trifold', got 'poster'\n",
        ),
    ],
)
def test_bad_print_settings(tmp_path, setting, message):
    root = project_with(tmp_path, setting)
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output.startswith(message)


def test_an_rgb_profile_is_refused(tmp_path):
    root = project_with(tmp_path, "  icc_profile: screen.icc\n")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    (root / "screen.icc").write_bytes(srgb.tobytes())
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: publish.yml: 'print.icc_profile' in publish.yml: 'screen.icc' is a profile for "
        "RGB colour, not CMYK. The print shop prints in CMYK: ask it for its CMYK profile\n"
    )


def test_without_ghostscript_the_error_names_the_setting(tmp_path, monkeypatch):
    # A machine without Ghostscript: none of the places it installs its profile exist.
    monkeypatch.setattr(cmyk, "GHOSTSCRIPT_PROFILES", (str(tmp_path / "none" / "*.icc"),))
    root = project_with(tmp_path, "  size: letter\n")
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: publish.yml: no CMYK output profile for the print PDF: Ghostscript's "
        "default_cmyk.icc is not installed. Set 'print.icc_profile' in publish.yml to the print "
        "shop's CMYK .icc file, or install Ghostscript\n"
    )
