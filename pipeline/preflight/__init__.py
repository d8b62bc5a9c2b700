"""Preflight a PDF as a print shop does, or a screen PDF as an accessibility checker does."""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ..errors import PublishError
from .common import Expect, Finding, Pdf, Report, xmp
from .press import PRESS_CHECKS
from .screen import SCREEN_CHECKS

__all__ = ["Expect", "Finding", "Report", "preflight"]


def preflight(pdf: bytes | Path, expect: Expect | None = None) -> Report:
    """Check a PDF; without `expect`, as what it claims to be (PDF/UA: screen, else press)."""
    reader = read_pdf(pdf)
    expect = expect or claimed(reader)
    checks = PRESS_CHECKS if expect.press else SCREEN_CHECKS
    try:
        with _quiet_pypdf():
            document = Pdf(reader)
            return Report(expect, [check(document, expect) for check in checks])
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        where = None if isinstance(pdf, bytes) else pdf
        raise PublishError(f"is a damaged PDF ({error})", where) from error


def read_pdf(pdf: bytes | Path) -> PdfReader:
    where = None if isinstance(pdf, bytes) else pdf
    try:
        data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    except FileNotFoundError as error:
        raise PublishError("no such file", where) from error
    except OSError as error:
        raise PublishError(f"cannot be read ({error.strerror})", where) from error
    if not data.startswith(b"%PDF-"):
        raise PublishError("is not a PDF (it does not start with %PDF-)", where)
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            reader.pages[0]  # noqa: B018  (a PDF without a readable page cannot be checked)
    except (PdfReadError, ValueError, IndexError, KeyError) as error:
        raise PublishError(f"is a damaged PDF ({error})", where) from error
    return reader


@contextlib.contextmanager
def _quiet_pypdf():
    """pypdf logs each syntax slip it recovers from; the report says what matters instead."""
    logger = logging.getLogger("pypdf")
    level, logger.level = logger.level, logging.ERROR + 10
    try:
        yield
    finally:
        logger.setLevel(level)


def claimed(reader: PdfReader) -> Expect:
    """A PDF that says it is PDF/UA and not PDF/X is checked as a screen PDF."""
    metadata = xmp(reader)
    return Expect(press=not (b"pdfuaid" in metadata and b"GTS_PDFXVersion" not in metadata))
