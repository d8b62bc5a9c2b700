"""A brochure as HTML for one variant: its copy, cover, back cover, colours, images and QR code."""

from __future__ import annotations

import io
import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree

import pyphen
import segno

from pipeline.channels.print import columns, type_setting
from pipeline.channels.print.cmyk import (
    OutputProfile,
    device_cmyk,
    press_colours,
    to_cmyk,
    two_inks,
)
from pipeline.channels.print.pdf import Files, Served
from pipeline.channels.print.typography import (
    breakable,
    marks_shown,
    set_for_print,
    short_lists_kept,
)
from pipeline.errors import PublishError
from pipeline.project.config import Brand, Colour
from pipeline.project.folder import CODE_FONT, PRINT_FALLBACKS, Project
from pipeline.project.templates import safe
from pipeline.source import ast as pandoc_ast
from pipeline.source import links, pandoc
from pipeline.source.article import Article
from pipeline.source.pictures import data_picture

BLEED = "0.125in"  # what print shops ask for in the US (3.175 mm: over the 3 mm of Europe)
SVG_NS = "http://www.w3.org/2000/svg"
# Sheet sizes in points, portrait: the booklet's page; the tri-fold's sheet is landscape.
SIZES = {"letter": ("letter", 612.0, 792.0), "a4": ("A4", 595.276, 841.89)}
# A tri-fold's inner flap folds inside the other panels: 1/16 in narrower, it does not buckle.
FLAP_SHORTER_IN = 1 / 16
PAGE_NOTES = 20  # footnotes a booklet sets at the page foot; more are set as endnotes


REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)  # a picture on another site


@dataclass(frozen=True)
class Variant:
    """The print shop's PDF (CMYK, bleed, nothing interactive) or the screen PDF (RGB, linked)."""

    name: str
    press: bool
    output: str  # where it goes, {slug} replaced


PRESS = Variant("print", True, "print/{slug}.pdf")
SCREEN = Variant("screen", False, "web/{slug}/brochure.pdf")


@dataclass(frozen=True)
class Sheet:
    """The page a layout is set on: its CSS size and its trim size in points."""

    layout: str
    css: str
    width: float
    height: float

    @classmethod
    def of(cls, layout: str, size: str) -> Sheet:
        name, width, height = SIZES[size]
        if layout == "trifold":
            return cls(layout, f"{name} landscape", height, width)
        return cls(layout, name, width, height)

    @property
    def panels_in(self) -> tuple[float, float]:
        """A tri-fold's panel widths in inches: a full panel, and the inner flap."""
        full = (self.width / 72 + FLAP_SHORTER_IN) / 3
        return full, self.width / 72 - 2 * full


def layout_of(article: Article, project: Project) -> str:
    return article.meta.brochure.layout or project.config.print.layout


def copy_of(article: Article, layout: str) -> dict:
    """The AST a layout prints: a tri-fold's excerpt when the article has one, else the body."""
    if layout == "trifold" and article.excerpt is not None:
        return article.excerpt
    return article.ast_for("print")


def brochure_htmls(
    article: Article, project: Project, sheet: Sheet, profile: OutputProfile
) -> tuple[dict[Variant, str], Files]:
    """The HTML of each variant, and the files the press's is to be served from memory. Both
    have the same elements: WeasyPrint lays the press's out, and the screen PDF is those pages
    painted as the screen's HTML paints them (repaint.py)."""
    url = project.url(f"{article.slug}/")
    # A PDF has no page to resolve a link against (WeasyPrint would make `/x` a file:// URL).
    tree = links.absolute(local_pictures(copy_of(article, sheet.layout)), url, kinds=("Link",))
    # A tri-fold's notes stay at the end: a page foot spans folds. So do a booklet's when it
    # has many: WeasyPrint 70's time for page-foot notes grows with the square of their
    # number (both PDFs of an article: 20 notes 1.9 s, 50 notes 10.7 s, 100 notes 74 s).
    if sheet.layout == "booklet" and len(list(pandoc_ast.elements(tree, "Note"))) <= PAGE_NOTES:
        tree = footnotes_inline(tree)
    tree = short_lists_kept(set_for_print(columns.natural_widths(tree)))
    limits = project.config.print.copyfit
    if sheet.layout == "booklet":
        width = columns.column_width(sheet.width, limits.margins[1], limits.column_gap[1])
        tree = columns.in_columns(tree, width, limits.body_size[1])
    # Unwrapped: WeasyPrint 70 breaks a footnote's lines wherever its HTML source has a newline.
    # Code unhighlighted, a line one text: across highlighting's spans WeasyPrint 70 breaks a
    # line inside a word ("color:b" / "lue") where a space could take the break.
    args = ["--wrap=none", "--syntax-highlighting=none"]
    body = pandoc.write(tree, "html5", article.path, args)
    bodies = {PRESS: press_colours(body, profile), SCREEN: body}
    htmls = {
        variant: _html(article, project, variant, sheet, profile, bodies[variant], url)
        for variant in (PRESS, SCREEN)
    }
    return htmls, press_files(article, tree, profile)


def _html(
    article: Article,
    project: Project,
    variant: Variant,
    sheet: Sheet,
    profile: OutputProfile,
    body: str,
    url: str,
) -> str:
    colors = palette(project.config.brand, variant.press, profile)
    html = project.render(
        f"print/{sheet.layout}.html.j2",
        article=article,
        body=safe(body),
        url=url,
        url_shown=breakable(url.split("://", 1)[1]),
        lang=article.lang,
        hyphenation=hyphenation_language(article.lang, project.config.organization.address.country),
        fonts=project.print_fonts,
        code_font=CODE_FONT,
        fallback_fonts=PRINT_FALLBACKS,
        font_url=lambda face: face.path.as_uri(),
        press=variant.press,
        bleed=BLEED if variant.press else "0in",
        colors=colors,
        sheet=sheet,
        panels=sheet.panels_in,
        margin_x=f"{columns.MARGIN_X_IN}in",
        fit=type_setting.smallest(project.config.print.copyfit),
        hero=hero(article),
        qr=qr_code(url, colors["ink"]),
        icc_url=profile.path.as_uri(),
    )
    return marks_shown(html)


def hyphenation_language(lang: str, country: str) -> str:
    """The language whose hyphenation dictionary sets the copy: the article's, with the
    organisation's country when the article names none and a dictionary exists for it. An
    article in `en` from a US clinic is hyphenated as Americans do ("re-sults", not British
    "res-ults"); pyphen takes a bare `en` for British English."""
    region = f"{lang.replace('-', '_')}_{country.upper()}"
    return region.replace("_", "-") if "-" not in lang and region in pyphen.LANGUAGES else lang


def local_pictures(tree: dict) -> dict:
    """The copy without its pictures at web addresses: a PDF embeds the project's files only (a
    press file must not change with another site, nor fetch it while it is made). The reader
    warned of each (source/remote_images.py); the web page and the email show them. A figure
    left with no picture goes too: its caption would describe what is not there."""
    result = pandoc_ast.map_targets(
        tree, lambda kind, target: None if kind == "Image" and REMOTE.match(target) else target
    )
    result["blocks"] = _without_empty_figures(result["blocks"])
    return result


def _without_empty_figures(node):
    if isinstance(node, list):
        return [
            _without_empty_figures(item)
            for item in node
            if not (
                isinstance(item, dict)
                and item.get("t") == "Figure"
                and not list(pandoc_ast.elements({"blocks": item["c"][2]}, "Image"))
            )
        ]
    if isinstance(node, dict):
        return {key: _without_empty_figures(value) for key, value in node.items()}
    return node


def footnotes_inline(tree: dict) -> dict:
    """Each footnote as a span at its call, so CSS (`float: footnote`) sets it at the page foot."""
    result = pandoc_ast.copy(tree)

    def visit(node: dict) -> None:
        if node["t"] == "Note":
            inlines: list = []
            for block in node["c"]:
                if inlines:
                    inlines.append({"t": "Space"})
                inlines += _as_inlines(block)
            node["t"], node["c"] = "Span", [["", ["footnote"], []], inlines]

    pandoc_ast.walk(result["blocks"], visit)
    return result


def _as_inlines(block: dict) -> list[dict]:
    """A block of a footnote in a line of the page foot: a paragraph's words, code line by line
    (kept as code), anything else as its plain text."""
    if block["t"] in ("Para", "Plain"):
        return block["c"]
    if block["t"] == "CodeBlock":
        attr, code = block["c"]
        lines: list[dict] = []
        for line in code.split("\n"):
            lines += [{"t": "LineBreak"}] * bool(lines) + [{"t": "Code", "c": [attr, line]}]
        return [{"t": "Span", "c": [["", ["footnote-code"], []], lines]}]
    return [{"t": "Str", "c": pandoc_ast.stringify(block)}]


def hero(article: Article) -> dict | None:
    """The cover picture: its URL and its description, when the article has one."""
    image = article.meta.image
    if not image:
        return None
    file = article.media.get(image)
    return {"url": file.as_uri() if file else image, "alt": article.meta.image_alt}


def press_files(article: Article, tree: dict, profile: OutputProfile) -> Files:
    """The press's CMYK profile, and every local image the copy and cover use, in CMYK."""
    targets = [image["c"][2][0] for image in pandoc_ast.elements(tree, "Image")]
    targets += [article.meta.image] if article.meta.image else []
    files: Files = {profile.path: Served(profile.data, "application/vnd.iccprofile")}
    for target in targets:
        file = article.media.get(target)
        if target.lower().startswith("data:"):  # (only pictures: the sanitiser saw to that)
            picture = data_picture(target, article.path)
            files[target] = Served(to_cmyk(picture, profile, article.path), "image/jpeg")
            continue
        if file is None:
            continue  # remote: the fetcher refuses it and says so
        if mimetypes.guess_type(file.name)[0] == "image/svg+xml":
            raise PublishError(
                f"image '{target}' is an SVG: its colours are RGB, which a print shop refuses",
                article.path,
                hint="Export it as PNG or JPEG at 300 ppi of its printed size",
            )
        files[file] = Served(to_cmyk(file.read_bytes(), profile, file), "image/jpeg")
    return files


def palette(brand: Brand, press: bool, profile: OutputProfile) -> dict[str, str]:
    """The brand colours as CSS: device-cmyk() for the press, sRGB hex for screens."""
    c = brand.colors
    fine = c.primary.model_copy(update={"cmyk": list(two_inks(tuple(c.primary.cmyk), profile))})
    return {
        "primary": _css(c.primary, 1, press),
        "primary_small": _css(fine, 1, press),  # type under 12 pt: two inks at most
        "accent": _css(c.accent, 1, press),
        "ink": _css(c.ink, 1, press),
        "paper": _css(c.paper, 1, press),
        "tint": _css(c.primary, 0.1, press),  # behind table heads and forms
        "halo": _css(c.primary, 0.82, press),  # the cover's circles, on the primary
        "rule": _css(c.ink, 0.35, press),  # hairlines, ruled note lines
        "watermark": _css(c.ink, 0.12, press),  # a draft's, behind the copy
    }


def _css(colour: Colour, strength: float, press: bool) -> str:
    """A colour at `strength` (1 = full ink, 0.1 = a tint of it on white paper)."""
    if press:
        return device_cmyk(tuple(round(part * strength, 1) for part in colour.cmyk))
    red, green, blue = (int(colour.rgb[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - part) * strength) for part in (red, green, blue))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def qr_code(url: str, ink: str) -> str:
    """A QR code for `url` as an SVG data URI, drawn in `ink` (segno only writes web colours)."""
    out = io.BytesIO()
    # No quiet zone in the image: the layouts keep 4 modules of paper around it.
    segno.make(url, error="m", micro=False).save(out, kind="svg", border=0, xmldecl=False)
    ElementTree.register_namespace("", SVG_NS)
    svg = ElementTree.fromstring(out.getvalue())
    for path in svg.iter(f"{{{SVG_NS}}}path"):
        path.set("stroke", ink)
        path.set("fill", "none")  # SVG's default fill is black, which WeasyPrint paints in RGB
    return "data:image/svg+xml," + quote(ElementTree.tostring(svg, encoding="unicode"))
