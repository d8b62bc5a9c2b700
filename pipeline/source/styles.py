"""Inline CSS in an article (style attributes, an SVG's <style>): declarations that only style.

A declaration is dropped when its value fetches or runs something (`url()`, `image()`,
`expression()`: anything but the colour and arithmetic functions) or its property binds
behaviour (`behavior`, `-moz-binding`). tinycss2 tokenizes as browsers do, so escapes such as
`\\75rl(` are read as the `url(` they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import tinycss2

# Functions that compute a value and never fetch or run anything.
SAFE_FUNCTIONS = {
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
    "device-cmyk", "calc", "min", "max", "clamp", "var", "translate", "rotate", "scale",
    "matrix", "skewx", "skewy", "translatex", "translatey",
}  # fmt: skip
BEHAVIOUR = {"behavior", "-moz-binding", "binding"}


@dataclass(frozen=True)
class Cleaned:
    text: str | None  # the style as it may be published; None when nothing of it is left
    dropped: list[str]  # the properties taken out, in order


def clean_style(style: str, fragment_urls: bool = False) -> Cleaned:
    """`style` (the value of a style attribute) without its unsafe declarations.

    With `fragment_urls`, `url(#id)` is kept: an SVG's gradients and clip paths point at its
    own elements that way, which fetches nothing.
    """
    declarations = tinycss2.parse_blocks_contents(style, skip_whitespace=True, skip_comments=True)
    kept, dropped = [], []
    for declaration in declarations:
        if declaration.type == "declaration" and _safe(declaration, fragment_urls):
            kept.append(declaration)
        else:
            dropped.append(getattr(declaration, "lower_name", None) or "unreadable CSS")
    if not dropped:
        return Cleaned(style, [])
    text = "; ".join(f"{d.name}:{tinycss2.serialize(d.value)}" for d in kept)
    return Cleaned(text or None, dropped)


def clean_stylesheet(css: str) -> tuple[str, list[str]]:
    """An SVG's <style> element: its rules with only safe declarations, no at-rule but @media."""
    kept, dropped = [], []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "qualified-rule":
            cleaned = clean_style(tinycss2.serialize(rule.content), fragment_urls=True)
            dropped += cleaned.dropped
            kept.append(f"{tinycss2.serialize(rule.prelude).strip()} {{{cleaned.text or ''}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            inner, lost = clean_stylesheet(tinycss2.serialize(rule.content))
            dropped += lost
            kept.append(f"@media {tinycss2.serialize(rule.prelude).strip()} {{{inner}}}")
        else:
            dropped.append(f"@{rule.lower_at_keyword}" if rule.type == "at-rule" else "bad CSS")
    return "\n".join(kept), dropped


def _safe(declaration, fragment_urls: bool) -> bool:
    if declaration.lower_name in BEHAVIOUR:
        return False
    return all(_safe_token(token, fragment_urls) for token in declaration.value)


def _safe_token(token, fragment_urls: bool) -> bool:
    if token.type == "url":
        return fragment_urls and token.value.startswith("#")
    if token.type == "error":
        return False
    if token.type == "function":
        if token.lower_name == "url":  # url("...") written as a function, with quotes
            strings = [t.value for t in token.arguments if t.type == "string"]
            return fragment_urls and len(strings) == 1 and strings[0].startswith("#")
        if token.lower_name not in SAFE_FUNCTIONS:
            return False
    inside = getattr(token, "arguments", None) or getattr(token, "content", None) or []
    return all(_safe_token(part, fragment_urls) for part in inside)
