"""Preflight a PDF as a print shop does, or a screen PDF as an accessibility checker does."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdfium2

from pipeline.channels.print.preflight.common import Expect, Finding, Pdf, Report
from pipeline.channels.print.preflight.press import PRESS_CHECKS
from pipeline.channels.print.preflight.screen import SCREEN_CHECKS
from pipeline.errors import PublishError

__all__ = ["Expect", "Finding", "Report", "preflight"]


def preflight(pdf: bytes | Path, expect: Expect | None = None) -> Report:
    """Check a PDF; without `expect`, as what it claims to be (PDF/UA: screen, else press)."""
    document = read_pdf(pdf)
    try:
        expect = expect or claimed(document)
        checks = PRESS_CHECKS if expect.press else SCREEN_CHECKS
        return Report(expect, [check(document, expect) for check in checks])
    except (pikepdf.PdfError, pypdfium2.PdfiumError) as error:
        raise PublishError(f"is a damaged PDF ({reason(error)})", _where(pdf)) from error
    except (ValueError, LookupError, TypeError, AttributeError) as error:
        # An object of the wrong kind: a number where a dictionary must be, say.
        raise PublishError(
            "is a damaged PDF (some of its objects are not of the kind the PDF format asks for)",
            _where(pdf),
        ) from error
    finally:
        document.document.close()


def _where(pdf: bytes | Path) -> Path | None:
    return None if isinstance(pdf, bytes) else pdf


def read_pdf(pdf: bytes | Path) -> Pdf:
    where = _where(pdf)
    try:
        data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    except FileNotFoundError as error:
        raise PublishError("no such file", where) from error
    except OSError as error:
        raise PublishError(f"cannot be read ({error.strerror})", where) from error
    if not data.startswith(b"%PDF-"):
        raise PublishError("is not a PDF (it does not start with %PDF-)", where)
    try:
        document = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise PublishError(
            "is encrypted: it cannot be checked", where, hint="Give the PDF without a password"
        ) from error
    except pikepdf.PdfError as error:
        raise PublishError(f"is a damaged PDF ({reason(error)})", where) from error
    if not len(document.pages):
        raise PublishError("is a damaged PDF (no page can be read)", where)
    return Pdf(data, document)


def reason(error: Exception) -> str:
    """qpdf's message without its name for the stream it read ("stream <_io.BytesIO ...>")."""
    return re.sub(r"^stream <[^>]*>(?: \(([^)]*)\))?: ", r"\1: ", str(error)).removeprefix(": ")


def claimed(pdf: Pdf) -> Expect:
    """A PDF that says it is PDF/UA and not PDF/X is checked as a screen PDF."""
    metadata = pdf.xmp
    return Expect(press=not (b"pdfuaid" in metadata and b"GTS_PDFXVersion" not in metadata))
