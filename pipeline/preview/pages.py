"""The brochure's pages as publish serve shows them: each page as a PNG, with its text for
readers who cannot see the picture. PDFium renders them (pypdfium2, as the preflight reads)."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pypdfium2

from pipeline.channels.print.preflight.common import PDFIUM

SCALE = 1.5  # pixels per point: a US Letter page 918 px wide, sharp in a pane half as wide
KEPT = 64  # pictures of pages kept in memory (about 150 KB each)


@dataclass(frozen=True)
class Page:
    number: int
    width: int  # in pixels, as rendered
    height: int
    text: str


class Pages:
    """The pages of the PDFs shown, read and rendered once per content (by its sha256)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.read: OrderedDict[str, list[Page]] = OrderedDict()
        self.pictures: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    def of(self, data: bytes) -> list[Page]:
        """Each page's size and text."""
        sha = hashlib.sha256(data).hexdigest()
        return self._kept(self.read, sha, lambda: _read(data))

    def picture(self, data: bytes, number: int) -> bytes | None:
        """Page `number` (from 1) as a PNG; None when there is no such page."""
        sha = hashlib.sha256(data).hexdigest()
        if not 1 <= number <= len(self.of(data)):
            return None
        return self._kept(self.pictures, (sha, number), lambda: _render(data, number))

    def _kept(self, kept: OrderedDict, key, make):
        with self.lock:
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        made = make()
        with self.lock:
            kept[key] = made
            while len(kept) > KEPT:
                kept.popitem(last=False)
        return made


def _read(data: bytes) -> list[Page]:
    with PDFIUM:
        document = pypdfium2.PdfDocument(data)
        try:
            return [
                Page(
                    number,
                    round(page.get_width() * SCALE),
                    round(page.get_height() * SCALE),
                    page.get_textpage().get_text_bounded(),
                )
                for number, page in enumerate(document, 1)
            ]
        finally:
            document.close()


def _render(data: bytes, number: int) -> bytes:
    with PDFIUM:
        document = pypdfium2.PdfDocument(data)
        try:
            picture = document[number - 1].render(scale=SCALE).to_pil()
        finally:
            document.close()
    stream = io.BytesIO()
    picture.save(stream, "PNG", compress_level=1)  # (for a local browser: speed over size)
    return stream.getvalue()
