"""What a PDF paints: colour spaces, images, fonts, transparency and shadings, page by page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject

# Colour spaces a CMYK press cannot take as they are.
NOT_CMYK = {"RGB", "Lab", "unknown"}
NORMAL_BLENDS = {"/Normal", "/Compatible"}


@dataclass
class Paint:
    """What the pages of a PDF paint with, each finding as (page number, what)."""

    colors: list[tuple[int, str]] = field(default_factory=list)  # non-CMYK colour
    images: list[tuple[int, str]] = field(default_factory=list)  # non-CMYK images
    transparency: list[tuple[int, str]] = field(default_factory=list)
    shadings: list[tuple[int, str]] = field(default_factory=list)  # gradients


def scan(reader: PdfReader) -> Paint:
    """Walk every page's content stream, and the forms and patterns it draws."""
    paint = Paint()
    for number, page in enumerate(reader.pages, start=1):
        group = page.get("/Group")
        if group is not None and group.get_object().get("/S") == "/Transparency":
            paint.transparency.append((number, "a transparency group on the page"))
        _Painter(reader, paint, number).stream(page.get_contents(), _resources(page))
    return paint


def space_kind(space) -> str:
    """'CMYK', 'Gray', 'RGB', 'Lab', 'Pattern', 'Spot' or 'unknown' for a colour space."""
    space = space.get_object() if space is not None else None
    if isinstance(space, NameObject):
        names = {"/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK", "/DeviceGray": "Gray"}
        return names.get(space, "Pattern" if space == "/Pattern" else "unknown")
    if isinstance(space, ArrayObject) and space:
        family = space[0]
        if family == "/ICCBased":
            return {1: "Gray", 3: "RGB", 4: "CMYK"}.get(space[1].get_object().get("/N"), "RGB")
        if family == "/Indexed":
            return space_kind(space[1])
        if family in ("/Separation", "/DeviceN"):
            return "Spot"
        families = {"/CalRGB": "RGB", "/CalGray": "Gray", "/Lab": "Lab", "/Pattern": "Pattern"}
        return families.get(family, "unknown")
    return "unknown"


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages and their forms use: name -> embedded."""
    found: dict[str, bool] = {}
    for resources in _all_resources([_resources(page) for page in reader.pages]):
        table = resources.get("/Font")
        for font in table.get_object().values() if table is not None else ():
            font = font.get_object()
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            found[name] = found.get(name, True) and font_embedded(font)
    return found


def _all_resources(pending: list[DictionaryObject]) -> Iterator[DictionaryObject]:
    """Resource dictionaries, and those of the forms and patterns they hold, each once."""
    seen: set[int] = set()
    while pending:
        resources = pending.pop()
        if id(resources) in seen:
            continue
        seen.add(id(resources))
        yield resources
        for kind in ("/XObject", "/Pattern"):
            table = resources.get(kind)
            for item in table.get_object().values() if table is not None else ():
                if "/Resources" in item.get_object():
                    pending.append(_resources(item.get_object()))


def font_embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are drawn in the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _resources(holder) -> DictionaryObject:
    resources = holder.get("/Resources")
    return resources.get_object() if resources is not None else DictionaryObject()


def _entry(resources: DictionaryObject, kind: str, name) -> DictionaryObject | None:
    table = resources.get(kind)
    entry = table.get_object().get(name) if table is not None else None
    return entry.get_object() if entry is not None else None


class _Painter:
    """Follows the operators of one page's content, into the forms it draws."""

    def __init__(self, reader: PdfReader, paint: Paint, page: int):
        self.reader, self.paint, self.page = reader, paint, page
        self.seen: set[int] = set()

    def stream(self, contents, resources: DictionaryObject) -> None:
        if contents is None:
            return
        for operands, operator in ContentStream(contents, self.reader).operations:
            self.operator(operator.decode("latin-1"), operands, resources)

    def operator(self, op: str, operands, resources: DictionaryObject) -> None:
        if op in ("rg", "RG"):
            self.paint.colors.append((self.page, f"RGB colour ({op})"))
        elif op in ("cs", "CS"):
            kind = space_kind(_entry(resources, "/ColorSpace", operands[0]) or operands[0])
            if kind in NOT_CMYK:
                self.paint.colors.append((self.page, f"{kind} colour space ({op})"))
        elif op == "sh":
            self.paint.shadings.append((self.page, "a gradient (sh)"))
        elif op == "gs":
            self.state(_entry(resources, "/ExtGState", operands[0]) or DictionaryObject())
        elif op == "Do":
            self.xobject(_entry(resources, "/XObject", operands[0]), resources)
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], NameObject):
            self.pattern(_entry(resources, "/Pattern", operands[-1]), resources)
        elif op == "INLINE IMAGE":
            space = operands["settings"].get("/CS", operands["settings"].get("/ColorSpace"))
            if space in ("/RGB", "/DeviceRGB"):
                self.paint.images.append((self.page, "an RGB inline image"))

    def state(self, state: DictionaryObject) -> None:
        for key in ("/CA", "/ca"):
            if float(state.get(key, 1)) < 1:
                self.paint.transparency.append((self.page, f"opacity {float(state[key]):g}"))
        if state.get("/SMask", "/None") != "/None":
            self.paint.transparency.append((self.page, "a soft mask"))
        if state.get("/BM", "/Normal") not in NORMAL_BLENDS:
            self.paint.transparency.append((self.page, f"blend mode {state['/BM']}"))

    def xobject(self, xobject: DictionaryObject | None, resources: DictionaryObject) -> None:
        if xobject is None or id(xobject) in self.seen:
            return
        self.seen.add(id(xobject))
        if xobject.get("/Subtype") == "/Image":
            kind = space_kind(xobject.get("/ColorSpace", NameObject("/DeviceGray")))
            if kind in NOT_CMYK and not xobject.get("/ImageMask"):
                self.paint.images.append((self.page, f"an {kind} image"))
            if "/SMask" in xobject:
                self.paint.transparency.append((self.page, "an image with an alpha channel"))
            return
        group = xobject.get("/Group")
        if group is not None and group.get_object().get("/S") == "/Transparency":
            self.paint.transparency.append((self.page, "a transparency group"))
        self.stream(xobject, _resources(xobject) or resources)

    def pattern(self, pattern: DictionaryObject | None, resources: DictionaryObject) -> None:
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
