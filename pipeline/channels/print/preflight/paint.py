"""What a PDF paints: colour spaces, images, fonts, transparency and shadings, page by page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name

# Colour spaces a CMYK press cannot take as they are.
NOT_CMYK = {"RGB", "Lab", "unknown"}
NORMAL_BLENDS = {"/Normal", "/Compatible"}
# Inline images may abbreviate their colour space (PDF 32000-1, table 94).
INLINE_SPACES = {"/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/G": "/DeviceGray"}
NUMBERS = (int, float, Decimal)  # what pikepdf gives a content stream's numbers as
# The operators the ink checks follow: graphics state, colour, text state, paths.
INK_OPERATORS = {"q", "Q", "cm", "Tm", "Tf", "k", "g", "sc", "scn", "cs", "re", "m", "l", "c",
                 "v", "y", "f", "F", "f*", "B", "B*", "b", "b*", "n", "S", "s"}  # fmt: skip


@dataclass
class Paint:
    """What the pages of a PDF paint with, each finding as (page number, what)."""

    colors: list[tuple[int, str]] = field(default_factory=list)  # non-CMYK colour
    images: list[tuple[int, str]] = field(default_factory=list)  # non-CMYK images
    process: list[tuple[int, str]] = field(default_factory=list)  # CMYK colour and images
    transparency: list[tuple[int, str]] = field(default_factory=list)
    shadings: list[tuple[int, str]] = field(default_factory=list)  # gradients
    # Text shown: (page number, font dictionary, the string's bytes), for the glyph check.
    text: list[tuple[int, Dictionary, bytes]] = field(default_factory=list)
    # What is painted in process colours, for the ink checks (preflight/inks.py).
    inked: list[Inked] = field(default_factory=list)


@dataclass(frozen=True)
class Inked:
    """Type or a shape painted in CMYK: its page, what it is ('text' or 'area'), its font and
    size in points (text) or its area in square points, and its colour, each ink 0 to 1."""

    page: int
    what: str
    font: str
    size: float
    cmyk: tuple[float, float, float, float]


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: the matrix `cm` adds is applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t,
            e * q + f * s + u)  # fmt: skip


def scale(m: Matrix) -> float:
    """How much a matrix enlarges lengths: the square root of its area factor."""
    return abs(m[0] * m[3] - m[1] * m[2]) ** 0.5


def scan(pdf: pikepdf.Pdf) -> Paint:
    """Walk every page's content stream, and the forms and patterns it draws."""
    paint = Paint()
    for number, page in enumerate(pdf.pages, start=1):
        group = page.obj.get("/Group")
        if isinstance(group, Dictionary) and group.get("/S") == "/Transparency":
            paint.transparency.append((number, "a transparency group on the page"))
        _Painter(paint, number).stream(page, _resources(page.obj))
    return paint


def space_kind(space) -> str:
    """'CMYK', 'Gray', 'RGB', 'Lab', 'Pattern', 'Spot' or 'unknown' for a colour space."""
    if isinstance(space, Name):
        names = {"/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK", "/DeviceGray": "Gray"}
        return names.get(str(space), "Pattern" if space == "/Pattern" else "unknown")
    if isinstance(space, Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return {1: "Gray", 3: "RGB", 4: "CMYK"}.get(space[1].get("/N"), "RGB")
        if family == "/Indexed":
            return space_kind(space[1])
        if family in ("/Separation", "/DeviceN"):
            return "Spot"
        families = {"/CalRGB": "RGB", "/CalGray": "Gray", "/Lab": "Lab", "/Pattern": "Pattern"}
        return families.get(family, "unknown")
    return "unknown"


def fonts(pdf: pikepdf.Pdf) -> dict[str, bool]:
    """Every font the pages and their forms use: name -> embedded."""
    found: dict[str, bool] = {}
    for resources in _all_resources([_resources(page.obj) for page in pdf.pages]):
        table = resources.get("/Font")
        for font in table.values() if isinstance(table, Dictionary) else ():
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            found[name] = found.get(name, True) and font_embedded(font)
    return found


def _all_resources(pending: list[Dictionary]) -> Iterator[Dictionary]:
    """Resource dictionaries, and those of the forms and patterns they hold, each once."""
    seen: set = set()
    while pending:
        resources = pending.pop()
        if _identity(resources) in seen:
            continue
        seen.add(_identity(resources))
        yield resources
        for kind in ("/XObject", "/Pattern"):
            table = resources.get(kind)
            for item in table.values() if isinstance(table, Dictionary) else ():
                if "/Resources" in item:
                    pending.append(_resources(item))


def _identity(obj: pikepdf.Object):
    """The same PDF object read twice is the same identity (pikepdf's wrappers are not)."""
    return obj.objgen if obj.is_indirect else id(obj)


def font_embedded(font: Dictionary) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are drawn in the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0]
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _resources(holder: Dictionary) -> Dictionary:
    resources = holder.get("/Resources")
    return resources if isinstance(resources, Dictionary) else Dictionary()


def _entry(resources: Dictionary, kind: str, name) -> Dictionary | None:
    table = resources.get(kind)
    return table.get(name) if isinstance(table, Dictionary) else None


class _Painter:
    """Follows the operators of one page's content, into the forms it draws."""

    def __init__(self, paint: Paint, page: int):
        self.paint, self.page = paint, page
        self.seen: set = set()
        self.font: Dictionary | None = None  # the text state's font (Tf)
        self.size = 0.0  # its size (Tf)
        self.ctm, self.text_matrix = IDENTITY, IDENTITY
        self.fill: tuple[float, ...] | None = None  # CMYK, when the fill colour is
        self.saved: list[tuple[Matrix, tuple[float, ...] | None]] = []
        self.path: list[tuple[float, float]] = []  # the corners of the path being built

    def stream(self, contents, resources: Dictionary) -> None:
        for instruction in pikepdf.parse_content_stream(contents):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self.inline_image(instruction.iimage)
            else:
                operator = str(instruction.operator)
                self.operator(operator, instruction.operands, resources)

    def operator(self, op: str, operands, resources: Dictionary) -> None:
        if op in INK_OPERATORS:
            self.ink(
                op, [float(x) if isinstance(x, (int, float, Decimal)) else x for x in operands]
            )
        if op in ("rg", "RG"):
            self.paint.colors.append((self.page, f"RGB colour ({op})"))
        elif op in ("k", "K"):
            self.paint.process.append((self.page, f"CMYK colour ({op})"))
        elif op in ("cs", "CS"):
            kind = space_kind(_entry(resources, "/ColorSpace", operands[0]) or operands[0])
            if kind in NOT_CMYK:
                self.paint.colors.append((self.page, f"{kind} colour space ({op})"))
            elif kind == "CMYK":
                self.paint.process.append((self.page, f"CMYK colour space ({op})"))
        elif op == "sh":
            self.paint.shadings.append((self.page, "a gradient (sh)"))
        elif op == "gs":
            self.state(_entry(resources, "/ExtGState", operands[0]) or Dictionary())
        elif op == "Do":
            self.xobject(_entry(resources, "/XObject", operands[0]), resources)
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], Name):
            self.pattern(_entry(resources, "/Pattern", operands[-1]), resources)
        elif op == "Tf" and operands:
            self.font = _entry(resources, "/Font", operands[0])
        elif op in ("Tj", "TJ", "'", '"') and operands and self.font is not None:
            self.shown(operands[-1])
            self.inked("text", str(self.font.get("/BaseFont", "?")).lstrip("/"),
                       self.size * scale(multiply(self.text_matrix, self.ctm)))  # fmt: skip

    def ink(self, op: str, operands: list) -> None:
        """Follow what the ink checks need: the fill colour, the transformation, the path."""
        if op == "q":
            self.saved.append((self.ctm, self.fill))
        elif op == "Q" and self.saved:
            self.ctm, self.fill = self.saved.pop()
        elif op == "cm" and len(operands) == 6:
            self.ctm = multiply(tuple(operands), self.ctm)
        elif op == "Tm" and len(operands) == 6:
            self.text_matrix = tuple(operands)
        elif op == "Tf" and len(operands) == 2:
            self.size = abs(operands[1])
        elif op == "k" and len(operands) == 4:
            self.fill = tuple(operands)
        elif op == "g" and operands:
            self.fill = (0.0, 0.0, 0.0, 1 - operands[0])
        elif op in ("sc", "scn"):
            numbers = [x for x in operands if isinstance(x, float)]
            self.fill = tuple(numbers) if len(numbers) == 4 else None
        elif op == "cs":
            self.fill = None
        elif op == "re" and len(operands) == 4:
            x, y, w, h = operands
            self.path += [(x, y), (x + w, y + h)]
        elif op in ("m", "l", "c", "v", "y") and len(operands) >= 2:
            self.path += list(zip(operands[0::2], operands[1::2], strict=False))
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            self.inked("area", "", self.area())
            self.path = []
        elif op in ("n", "S", "s"):
            self.path = []

    def area(self) -> float:
        """The area of the path's bounding box on the page, in square points."""
        if not self.path:
            return 0.0
        xs, ys = zip(*self.path, strict=True)
        return (max(xs) - min(xs)) * (max(ys) - min(ys)) * scale(self.ctm) ** 2

    def inked(self, what: str, font: str, size: float) -> None:
        if self.fill is not None:
            self.paint.inked.append(Inked(self.page, what, font, size, self.fill))

    def shown(self, operand) -> None:
        """A string shown (Tj, ' and "), or the strings of an array (TJ)."""
        strings = operand if isinstance(operand, Array) else [operand]
        for string in strings:
            if isinstance(string, pikepdf.String):
                self.paint.text.append((self.page, self.font, bytes(string)))

    def inline_image(self, image: pikepdf.PdfInlineImage) -> None:
        space = image.obj.get("/CS", image.obj.get("/ColorSpace"))
        space = INLINE_SPACES.get(str(space), str(space))
        if space == "/DeviceRGB":
            self.paint.images.append((self.page, "an RGB inline image"))
        elif space == "/DeviceCMYK":
            self.paint.process.append((self.page, "a CMYK inline image"))

    def state(self, state: Dictionary) -> None:
        for key in ("/CA", "/ca"):
            if float(state.get(key, 1)) < 1:
                self.paint.transparency.append((self.page, f"opacity {float(state[key]):g}"))
        if str(state.get("/SMask", "/None")) != "/None":
            self.paint.transparency.append((self.page, "a soft mask"))
        if str(state.get("/BM", "/Normal")) not in NORMAL_BLENDS:
            self.paint.transparency.append((self.page, f"blend mode {state['/BM']}"))

    def xobject(self, xobject: pikepdf.Object | None, resources: Dictionary) -> None:
        if not isinstance(xobject, pikepdf.Stream) or _identity(xobject) in self.seen:
            return
        self.seen.add(_identity(xobject))
        if xobject.get("/Subtype") == "/Image":
            kind = space_kind(xobject.get("/ColorSpace", Name.DeviceGray))
            if kind in NOT_CMYK and not xobject.get("/ImageMask"):
                self.paint.images.append((self.page, f"an {kind} image"))
            elif kind == "CMYK":
                self.paint.process.append((self.page, "a CMYK image"))
            if "/SMask" in xobject:
                self.paint.transparency.append((self.page, "an image with an alpha channel"))
            return
        group = xobject.get("/Group")
        if isinstance(group, Dictionary) and group.get("/S") == "/Transparency":
            self.paint.transparency.append((self.page, "a transparency group"))
        outer = self.ctm
        matrix = xobject.get("/Matrix")
        if isinstance(matrix, Array) and len(matrix) == 6:
            self.ctm = multiply(tuple(float(x) for x in matrix), self.ctm)
        self.stream(xobject, _resources(xobject) or resources)
        self.ctm = outer

    def pattern(self, pattern: pikepdf.Object | None, resources: Dictionary) -> None:
        if pattern is None:
            return
        if pattern.get("/PatternType") == 2:
            self.paint.shadings.append((self.page, "a gradient (shading pattern)"))
        else:
            self.xobject(pattern, resources)


def pages_of(findings: list[tuple[int, str]]) -> Iterator[tuple[str, list[int]]]:
    """Group findings by what was found: ('RGB colour (rg)', [1, 3])."""
    grouped: dict[str, list[int]] = {}
    for page, what in findings:
        if page not in grouped.setdefault(what, []):
            grouped[what].append(page)
    yield from grouped.items()
