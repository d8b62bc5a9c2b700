"""One layout, painted twice: the print shop's pages repainted as the screen PDF's.

The two PDFs of a brochure show the same pages: the screen's HTML has the same elements as the
press's, and differs only in what is painted (sRGB colours for device-cmyk ones, underlined
links, RGB pictures for CMYK ones) and in the bleed, which widens the pages without moving
anything on them. So the screen PDF is not laid out again: the press's boxes get the paint
the screen's stylesheets give the same element (WeasyPrint's cascade alone, without layout),
their pictures are fetched from the screen's HTML, and the pages lose their bleed.

WeasyPrint 70 keeps each box's computed style (`box.style`), whose paint it reads when it
writes the PDF, and a box's background, which it lays out from the style (`box.background`):
both are set again here. A box made by the layout (a line, a word) has an anonymous style
that takes its colour and decoration from its parent's: it is made again on the new parent.
"""

from __future__ import annotations

import copy
import functools

import weasyprint  # noqa: F401  (first: the submodules alone are circular imports)
from weasyprint import CSS, DEFAULT_OPTIONS, HTML
from weasyprint.css import AnonymousStyle, get_all_computed_styles
from weasyprint.document import Document, Page
from weasyprint.draw.color import get_color
from weasyprint.formatting_structure import boxes
from weasyprint.html import parse_url
from weasyprint.images import get_image_from_uri
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import set_page_type_computed_styles
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango
from weasyprint.text.fonts import get_font_description

SIDES = ("top", "right", "bottom", "left")
# What a style paints without moving anything: the properties taken from the screen's.
PAINT = (
    "color",
    "background_color",
    *(f"border_{side}_color" for side in SIDES),
    "outline_color",
    "column_rule_color",
    "text_decoration_line",
    "text_decoration_color",
    "text_decoration_style",
)
BORDER_COLOURS = tuple(f"border_{side}_color" for side in SIDES)


class Unlike(ValueError):
    """The screen's HTML has other elements or words than the one laid out."""


def repainted(document: Document, html: HTML, css: str) -> Document:
    """`document`'s pages painted as `html` (with the user stylesheet `css`) paints them, with
    no bleed and no colour profile. `html` must have the elements, in the same order, of the
    HTML `document` was laid out from. The boxes are changed: write `document` first."""
    font_config = document.font_config
    stylesheets = [CSS(string=css, font_config=font_config)] if css else []
    style_for = get_all_computed_styles(
        html, stylesheets, font_config=font_config, color_profiles={}, page_rules=[], layers=[]
    )
    laid_out = document.pages[0]._page_box.children[0].element  # the root element
    elements = _same_elements(laid_out, html.etree_element)
    painter = _Painter(html, style_for, elements)
    fetch = functools.partial(
        get_image_from_uri, cache={}, url_fetcher=html.url_fetcher, options=DEFAULT_OPTIONS
    )
    pages = []
    for page in document.pages:
        painter.page(page._page_box)
        layout_backgrounds(page._page_box, fetch)
        pages.append(_without_bleed(page))
    painter.recolour_tables()
    for box in painter.replaced:
        src = parse_url(elements[box.element].get("src"), html.base_url)
        box.replacement = fetch(url=src, orientation=box.style["image_orientation"])
    metadata = copy.copy(document.metadata)  # the press's PDF/X writing fills in its own
    return Document(pages, metadata, html.url_fetcher, font_config, {}, None)


def _same_elements(laid_out, screen) -> dict:
    """Each element laid out, and the screen HTML's at its place; Unlike when their tags or
    words differ (stylesheets may: they are what is painted)."""
    pairs = list(zip(laid_out.iter(), screen.iter(), strict=False))
    if len(pairs) != len(list(laid_out.iter())) or len(pairs) != len(list(screen.iter())):
        raise Unlike("not as many elements")
    for one, other in pairs:
        if one.tag != other.tag:
            raise Unlike(f"<{other.tag}> where <{one.tag}> was laid out")
        if one.tag != "style" and (one.text, one.tail) != (other.text, other.tail):
            raise Unlike(f"other words in <{one.tag}>")
    return dict(pairs)


def _without_bleed(page: Page) -> Page:
    screen = copy.copy(page)
    screen.bleed = dict.fromkeys(SIDES, 0)
    return screen


class _Painter:
    """Styles made again with the screen's paint, each once (boxes share them), and what each
    colour of the press became on the screen."""

    def __init__(self, html: HTML, style_for, elements: dict):
        self.html, self.style_for, self.elements = html, style_for, elements
        self.done: dict[int, tuple[object, object]] = {}  # id: the style, and its new one
        self.colours: dict = {}  # a colour of the press: its colour on the screen
        self.page_types: set = set()
        self.replaced: list[boxes.ReplacedBox] = []
        self.tables: dict[int, tuple] = {}  # collapsed borders (split tables share them)

    def page(self, page_box: boxes.PageBox) -> None:
        page_type = page_box.page_type
        if page_type not in self.page_types:
            set_page_type_computed_styles(page_type, self.html, self.style_for)
            self.page_types.add(page_type)
        page_box.style = self.restyled(page_box.style, None, self.style_for(page_type))
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox):
                area = "@footnote" if isinstance(child, boxes.FootnoteAreaBox) else None
                screen = self.style_for(page_type, area or child.at_keyword)
                child.style = self.restyled(child.style, None, screen)
            else:
                child.style = self.restyled(child.style, child.element)
            self.descendants(child)

    def descendants(self, parent: boxes.Box) -> None:
        for child in parent.all_children():
            child.style = self.restyled(child.style, child.element)
            if isinstance(child, boxes.ReplacedBox):
                self.replaced.append(child)
            elif isinstance(child, boxes.TextBox) and child.style["text_decoration_line"] != "none":
                _decoration_metrics(child.pango_layout, child.style)
            elif getattr(child, "collapsed_border_grid", None):
                self.tables[id(child.collapsed_border_grid)] = child.collapsed_border_grid
            self.descendants(child)

    def restyled(self, style, element, screen=None):
        """`style` with the screen's paint: the paint of `element` (or `screen`'s) for a
        style of its own; for an anonymous style, its parent's, made again first."""
        if id(style) in self.done:
            return self.done[id(style)][1]
        if isinstance(style, AnonymousStyle):
            new = AnonymousStyle(self.restyled(style.parent_style, element))
            new.update((key, value) for key, value in style.items() if key not in PAINT)
        else:
            if screen is None:
                screen = self.style_for(self.elements[element], style.pseudo_type)
            new = style.copy()
            for key in PAINT:
                new[key] = screen[key]
            for key in BORDER_COLOURS:
                self.colours.setdefault(get_color(style, key), get_color(new, key))
        self.done[id(style)] = style, new
        return new

    def recolour_tables(self) -> None:
        """Collapsed table borders, whose colours WeasyPrint keeps apart from the styles."""
        for borders in self.tables.values():
            for grid in borders:
                for row in grid:
                    for index, (score, (style, width, colour)) in enumerate(row):
                        row[index] = score, (style, width, self.colours.get(colour, colour))


def _decoration_metrics(layout, style) -> None:
    """Give a line's Pango layout the font's metrics for a text decoration, which WeasyPrint 70
    measures only for text that had one when it was laid out (text/line_break.py, Layout)."""
    if getattr(layout, "underline_thickness", None) is not None:
        return
    context = ffi.gc(
        pango.pango_font_map_create_context(style.font_config.font_map), gobject.g_object_unref
    )
    language = getattr(layout, "language", ffi.NULL)
    metrics = ffi.gc(
        pango.pango_context_get_metrics(context, get_font_description(style), language),
        pango.pango_font_metrics_unref,
    )
    layout.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
    layout.underline_position = FROM_UNITS * pango.pango_font_metrics_get_underline_position(
        metrics
    )
    layout.strikethrough_position = FROM_UNITS * (
        pango.pango_font_metrics_get_strikethrough_position(metrics)
    )
    layout.underline_thickness = FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(
        metrics
    )
    layout.strikethrough_thickness = FROM_UNITS * (
        pango.pango_font_metrics_get_strikethrough_thickness(metrics)
    )
