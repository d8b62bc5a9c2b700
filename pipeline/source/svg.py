"""An SVG picture made safe to serve from the site: a drawing, with no script, no fetch, no link
out but http(s) and mail.

Opened on its own, an SVG runs on the site's origin like a page, so it is rebuilt from a safe
list of elements and attributes (as the HTML sanitiser does), never patched. Editors' own
namespaces (Inkscape, Illustrator...) are dropped without a word; active content is reported.
Python's expat (2.4.1 and later) caps entity expansion and never loads external entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from pipeline.source.styles import clean_style, clean_stylesheet

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "title", "desc", "linearGradient",
    "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image", "style",
    "switch", "a", "view", "filter", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}  # fmt: skip
# Namespaces an editor writes its own data in: no browser reads them.
EDITORS = re.compile(r"inkscape|sodipodi|adobe|purl\.org/dc|creativecommons|w3\.org/1999/02/22-rdf")
PICTURE = re.compile(r"^data:image/(png|gif|jpeg|webp);", re.IGNORECASE)
LINK = re.compile(r"^(https?|mailto):", re.IGNORECASE)
OUTSIDE_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)
QUIET = " "  # the reason for dropping an editor's attribute: nothing to tell


class NotSvg(Exception):
    """The file is not well-formed XML, or its root is not an <svg>."""


@dataclass(frozen=True)
class CleanSvg:
    data: bytes
    removed: list[str]  # in the reader's words: "<script>", "the onload attribute of <svg>"


def clean_svg(data: bytes) -> CleanSvg:
    """The SVG with only what draws; raises NotSvg when it cannot be read as one."""
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError) as error:
        raise NotSvg(str(error)) from error
    if root.tag != f"{{{SVG}}}svg":
        raise NotSvg("its root element is not <svg>")
    removed: list[str] = []
    _clean(root, removed)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    text = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanSvg(text, list(dict.fromkeys(removed)))


def _clean(element: ET.Element, removed: list[str]) -> None:
    name = _local(element.tag)
    for key in list(element.attrib):
        reason = _refused_attribute(name, key, element.attrib[key])
        if reason is not None:
            del element.attrib[key]
            if reason is not QUIET:
                removed.append(f"the {_local(key)} attribute of <{name}>{reason}")
    if name == "style":
        element.text, dropped = clean_stylesheet(element.text or "")
        removed += [f"{what} in <style>" for what in dropped]
    elif "style" in element.attrib:
        cleaned = clean_style(element.attrib["style"], fragment_urls=True)
        removed += [f"the {p} property in the style attribute of <{name}>" for p in cleaned.dropped]
        if cleaned.text is None:
            del element.attrib["style"]
        else:
            element.attrib["style"] = cleaned.text
    for child in list(element):
        if _kept(child, removed):
            _clean(child, removed)
        else:
            element.remove(child)


def _kept(element: ET.Element, removed: list[str]) -> bool:
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return False
    namespace, name = _split(element.tag)
    if namespace == SVG and name in ELEMENTS:
        return True
    if not (name == "metadata" or EDITORS.search(namespace)):
        removed.append(f"<{name}>")
    return False


def _refused_attribute(element: str, key: str, value: str) -> str | None:
    """None when the attribute may stay; else why it goes (QUIET: an editor's own, unsaid)."""
    namespace, name = _split(key)
    if namespace not in ("", XLINK, XML):
        return QUIET
    if name.lower().startswith("on"):
        return ""
    if name == "style":
        return None  # cleaned property by property (_clean)
    if name == "href":
        return _refused_link(element, value)
    if OUTSIDE_URL.search(value):
        return " (it fetches a file)"
    return None


def _refused_link(element: str, value: str) -> str | None:
    target = re.sub(r"[\x00-\x20]+", "", value)
    if target.startswith("#"):
        return None
    if element == "image" and PICTURE.match(target):
        return None
    if element == "a" and LINK.match(target):
        return None
    return " (a link or a file the picture would load)"


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, name = tag[1:].split("}", 1)
        return namespace, name
    return "", tag


def _local(tag: str) -> str:
    return _split(tag)[1]
