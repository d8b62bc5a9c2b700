"""CMYK for the print shop: the output ICC profile, brand colours and images in process colours."""

from __future__ import annotations

import functools
import glob
import io
import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

import tinycss2
import tinycss2.color4
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from pipeline.errors import PublishError

# Where Ghostscript installs its CMYK profile: Debian 12 (package libgs-common), then the
# layout of older Debian and Ubuntu, Fedora, Arch, Homebrew and source builds.
GHOSTSCRIPT_PROFILES = (
    "/usr/share/color/icc/ghostscript/default_cmyk.icc",
    "/usr/share/ghostscript/*/iccprofiles/default_cmyk.icc",
    "/usr/local/share/ghostscript/*/iccprofiles/default_cmyk.icc",
    "/opt/homebrew/share/ghostscript/*/iccprofiles/default_cmyk.icc",
)
SETTING = "'print.icc_profile' in publish.yml"
# Rendering intent from sRGB to the press: keep in-gamut colours exact, clip the rest.
INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC


@dataclass(frozen=True)
class OutputProfile:
    """The press's CMYK ICC profile: embedded as the PDF's output intent, used for images."""

    path: Path
    data: bytes
    description: str


def output_profile(configured: str | None, root: Path) -> OutputProfile:
    """The configured CMYK profile (relative to the project), else Ghostscript's."""
    config = root / "publish.yml"
    if configured:
        path = root / configured
        if not path.resolve().is_relative_to(root.resolve()):
            raise PublishError(
                f"{SETTING}: '{configured}' is outside the project",
                config,
                hint="Put the print shop's profile in the project folder and give its path "
                "relative to it",
            )
        if not path.is_file():
            raise PublishError(
                f"{SETTING}: no such file '{configured}'",
                config,
                hint="Give the path of a CMYK .icc profile, relative to the project folder",
            )
        return _read_profile(path.resolve(), configured, config)
    for pattern in GHOSTSCRIPT_PROFILES:
        found = sorted(glob.glob(pattern))
        if found:
            return _read_profile(Path(found[-1]), found[-1], config)
    raise PublishError(
        "no CMYK output profile for the print PDF: Ghostscript's default_cmyk.icc is not installed",
        config,
        hint=f"Set {SETTING} to the print shop's CMYK .icc file, or install Ghostscript",
    )


@functools.cache
def _read_profile(path: Path, shown: str, config: Path) -> OutputProfile:
    data = path.read_bytes()
    try:
        profile = ImageCms.getOpenProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError) as error:
        raise PublishError(f"{SETTING}: '{shown}' is not an ICC profile", config) from error
    space = profile.profile.xcolor_space.strip()
    if space != "CMYK":
        raise PublishError(
            f"{SETTING}: '{shown}' is a profile for {space} colour, not CMYK",
            config,
            hint="The print shop prints in CMYK: ask it for its CMYK profile",
        )
    return OutputProfile(path, data, profile.profile.profile_description.strip() or path.stem)


def device_cmyk(percentages: tuple[float, float, float, float]) -> str:
    """A brand colour as CSS for the print PDF: `device-cmyk(86% 30% 38% 30%)`."""
    return "device-cmyk({})".format(" ".join(f"{part:g}%" for part in percentages))


STYLE = re.compile(r"""\bstyle=(?:"([^"]*)"|'([^']*)')""")


def press_colours(html: str, profile: OutputProfile) -> str:
    """The article's HTML with the colours its style attributes set (`color: red`) in the
    press's CMYK: an RGB colour fails the print shop's preflight. A colour with some
    transparency is mixed with the paper (PDF/X has no transparency)."""

    def convert(match: re.Match) -> str:
        style = match[1] if match[1] is not None else match[2]
        tokens = tinycss2.parse_component_value_list(unescape(style))
        text = escape(tinycss2.serialize([_press_token(token, profile) for token in tokens]))
        return f'style="{text}"'

    return STYLE.sub(convert, html)


def _press_token(token, profile: OutputProfile):
    colour = tinycss2.color4.parse_color(token)
    if colour is None or not hasattr(colour, "to") or colour.alpha == 0:
        if getattr(token, "arguments", None) is not None:  # inside a function: var(), calc()
            token.arguments = [_press_token(part, profile) for part in token.arguments]
        return token
    red, green, blue = (1 - colour.alpha * (1 - part) for part in colour.to("srgb").coordinates)
    rgb = tuple(round(255 * min(max(part, 0), 1)) for part in (red, green, blue))
    cmyk = _separate(Image.new("RGB", (1, 1), rgb), profile).getpixel((0, 0))
    return tinycss2.parse_one_component_value(
        device_cmyk(tuple(round(part / 2.55, 1) for part in cmyk))
    )


def to_cmyk(data: bytes, profile: OutputProfile, source: Path) -> bytes:
    """A raster image as a JPEG in the press's CMYK (grey stays grey: it prints in black ink).

    Orientation and transparency are applied first: the press gets neither EXIF rotation
    nor an alpha channel (no transparency in PDF/X).
    """
    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    except (UnidentifiedImageError, OSError) as error:
        raise PublishError(f"image '{source.name}' cannot be read", source) from error
    image = _flatten(image)
    if image.mode != "L":
        image = _separate(image, profile)
    out = io.BytesIO()
    # 4:4:4 and high quality: no colour fringes on small type and sharp edges in figures.
    image.save(out, "JPEG", quality=95, subsampling=0)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """The image on white paper, in RGB, CMYK or grey."""
    if image.mode in ("1", "L", "I", "I;16", "F"):
        return image.convert("L")
    if image.mode in ("RGB", "CMYK"):
        return image
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(paper, rgba).convert("RGB")
    flat.info = image.info
    return flat


def _separate(image: Image.Image, profile: OutputProfile) -> Image.Image:
    """From the image's embedded profile (else sRGB) to the press's CMYK.

    A CMYK image without a profile is taken as already separated for print and kept.
    """
    source = _embedded(image)
    if image.mode == "CMYK" and source is None:
        return image
    transform = ImageCms.buildTransform(
        source or _srgb(), _open(profile), image.mode, "CMYK", renderingIntent=INTENT
    )
    return ImageCms.applyTransform(image, transform)


def _embedded(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The image's own ICC profile when it matches its pixels, else None."""
    data = image.info.get("icc_profile")
    if not data:
        return None
    try:
        profile = ImageCms.getOpenProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError):
        return None
    return profile if profile.profile.xcolor_space.strip() == image.mode else None


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.cache
def _open(profile: OutputProfile) -> ImageCms.ImageCmsProfile:
    return ImageCms.getOpenProfile(io.BytesIO(profile.data))


@functools.cache
def two_inks(cmyk: tuple[float, ...], profile: OutputProfile) -> tuple[float, ...]:
    """The colour nearest `cmyk` (percentages) that a press prints in two inks at most, for
    type under 12 pt: a fine letter in three or four inks shows their edges when the plates
    are a hair out of register. Nearest as the eye sees it: the least difference in Lab (CIE
    1976) through the press's profile, among every pair of inks in steps of 2 %."""
    if sum(1 for part in cmyk if part) <= 2:
        return tuple(cmyk)
    steps = range(0, 101, 2)
    candidates = [
        tuple(a if ink == first else b if ink == second else 0 for ink in range(4))
        for first in range(4)
        for second in range(first + 1, 4)
        for a in steps
        for b in steps
    ]
    target, *found = _lab([tuple(cmyk), *candidates], profile)
    distances = [sum((p - q) ** 2 for p, q in zip(lab, target, strict=True)) for lab in found]
    return candidates[distances.index(min(distances))]


def _lab(colours: list[tuple[float, ...]], profile: OutputProfile) -> list[tuple[int, ...]]:
    """Each CMYK colour (percentages) in Lab, through the press's profile."""
    image = Image.new("CMYK", (len(colours), 1))
    image.putdata([tuple(round(part * 2.55) for part in colour) for colour in colours])
    transform = ImageCms.buildTransform(
        _open(profile), ImageCms.createProfile("LAB"), "CMYK", "LAB", renderingIntent=INTENT
    )
    return list(ImageCms.applyTransform(image, transform).getdata())
