"""The web page's colours, light and dark, made from the brand so every text pair is readable.

Brand colours are kept where they already meet WCAG contrast (4.5:1 for text, 3:1 for focus
rings and rules); where they do not, they are mixed towards black or white until they do.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.project.config import Brand

BLACK = "#000000"
WHITE = "#ffffff"
TEXT = 4.5  # WCAG 1.4.3 (AA) for body text
NON_TEXT = 3.0  # WCAG 1.4.11 for focus rings and other non-text marks


@dataclass(frozen=True)
class Scheme:
    background: str
    text: str
    muted: str
    link: str
    heading: str
    focus: str
    rule: str
    tint: str  # the disclaimer's background
    code: str  # the background of code blocks


def schemes(brand: Brand) -> tuple[Scheme, Scheme]:
    """The light scheme (brand ink on brand paper) and the dark one (the reverse)."""
    colours = brand.colors
    paper, ink = colours.paper.rgb, colours.ink.rgb
    night = mix(ink, BLACK, 0.35)
    return scheme(paper, ink, colours.primary.rgb, colours.accent.rgb), scheme(
        night, mix(paper, ink, 0.1), colours.primary.rgb, colours.accent.rgb
    )


def scheme(background: str, text: str, primary: str, accent: str) -> Scheme:
    # Text also sits on the tinted boxes, which are nearer the text colour: check against those.
    tint = mix(accent, background, 0.9)
    text = readable(text, tint, 7)
    link = readable(primary, tint, 6)
    return Scheme(
        background=background,
        text=text,
        muted=readable(mix(text, background, 0.3), tint, TEXT),
        link=link,
        heading=readable(primary, background, 7),
        focus=readable(accent, background, NON_TEXT),
        rule=mix(text, background, 0.75),
        tint=tint,
        code=mix(text, background, 0.93),
    )


def readable(colour: str, background: str, ratio: float) -> str:
    """`colour`, or the nearest mix of it towards black or white that meets `ratio`."""
    target = BLACK if luminance(background) > 0.18 else WHITE
    for step in range(21):
        candidate = mix(colour, target, step / 20)
        if contrast(candidate, background) >= ratio:
            return candidate
    return target


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` (0 to 1) of the way to `other`, in sRGB."""
    a, b = _channels(colour), _channels(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def contrast(one: str, two: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def luminance(colour: str) -> float:
    """WCAG relative luminance."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (part / 255 for part in _channels(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
