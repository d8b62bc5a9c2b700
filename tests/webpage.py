"""Reading built web pages in tests: parsed as a browser parses them (tinyhtml5)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import tinyhtml5

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FOCUSABLE = ("a", "button", "input", "select", "textarea", "summary")


def load(path: Path) -> ET.Element:
    return tinyhtml5.parse(path.read_text(encoding="utf-8"), namespace_html_elements=False)


def text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def metas(root: ET.Element) -> list[tuple[str, str]]:
    """(property or name, content) of every <meta> that has content, in order."""
    return [
        (meta.get("property") or meta.get("name") or "", meta.get("content") or "")
        for meta in root.iter("meta")
        if meta.get("content") is not None
    ]


def meta(root: ET.Element, name: str) -> str:
    found = [content for key, content in metas(root) if key == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def graph(root: ET.Element) -> dict[str, dict]:
    """The JSON-LD @graph by @type."""
    scripts = [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    data = json.loads(scripts[0].text or "")
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def headings(root: ET.Element) -> list[tuple[int, str]]:
    return [(int(e.tag[1]), text(e)) for e in root.iter() if e.tag in HEADINGS]


def first_focusable(root: ET.Element) -> ET.Element:
    body = root.find("body")
    assert body is not None
    for element in body.iter():
        if element.get("tabindex") not in (None, "-1"):
            return element
        if element.tag in FOCUSABLE and (element.tag != "a" or element.get("href")):
            return element
    raise AssertionError("nothing focusable")


def next_siblings(root: ET.Element, tags: tuple[str, ...]) -> list[tuple[ET.Element, ET.Element]]:
    """(element, the element after it) for every element with one of `tags`."""
    pairs = []
    for parent in root.iter():
        children = list(parent)
        for index, child in enumerate(children[:-1]):
            if child.tag in tags:
                pairs.append((child, children[index + 1]))
    return pairs
