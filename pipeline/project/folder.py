"""A project: its folder, its validated config, its layouts and fonts, loaded once per build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2

from pipeline.project import templates
from pipeline.project.config import Config, hours_lines, load_config

FONT_STYLES = {
    "Regular": (400, "normal"),
    "Italic": (400, "italic"),
    "Bold": (700, "normal"),
    "BoldItalic": (700, "italic"),
}
# Built-in fonts of the PDFs (layouts/fonts/, OFL-Noto.txt): code, then, in this order, the
# fonts for characters the brand fonts lack. Noto Emoji first, so that every emoji has one
# style; the symbol fonts set arrows, dingbats and signs it lacks.
CODE_FONT = "Noto Sans Mono"
PRINT_FALLBACKS = ("Noto Emoji", "Noto Sans Symbols 2", "Noto Sans Symbols")
FONT_FILE = re.compile(
    r"^(?P<family>.+)-(?P<style>Regular|Italic|Bold|BoldItalic)\."
    r"(?P<ext>otf|ttf|woff2?)$"
)


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    path: Path


@dataclass
class Project:
    root: Path
    config: Config
    # The channels this build makes (so the web page links the brochure only when it is made).
    channels: tuple[str, ...] = ()
    compiled: Path | None = None  # where compiled templates are kept between builds

    @classmethod
    def load(cls, root: Path) -> Project:
        return cls(root.resolve(), load_config(root))

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @cached_property
    def templates(self) -> jinja2.Environment:
        return templates.environment(self.root, self.compiled)

    @cached_property
    def layout_dirs(self) -> list[Path]:
        return templates.layout_dirs(self.root)

    def layout_file(self, name: str) -> Path:
        """A file of the layouts (filter, font...): the project's own first, then built-in."""
        for folder in self.layout_dirs:
            if (folder / name).is_file() and templates.within(folder / name, folder):
                return folder / name
        return self.layout_dirs[-1] / name

    @cached_property
    def fonts(self) -> list[FontFace]:
        """The brand fonts' files: layouts/fonts/<Family>-<Style>.<otf|ttf|woff2>."""
        brand = self.config.brand.fonts
        return self._faces({brand.heading, brand.body})

    @cached_property
    def print_fonts(self) -> list[FontFace]:
        """The fonts a PDF embeds: the brand's, the code font, and the fonts that set what the
        brand fonts lack (PRINT_FALLBACKS), shipped so that every machine prints the same."""
        return self.fonts + self._faces({CODE_FONT, *PRINT_FALLBACKS})

    def _faces(self, wanted: set[str]) -> list[FontFace]:
        faces: dict[tuple[str, int, str], FontFace] = {}
        for folder in reversed(self.layout_dirs):  # the project's own files win
            for path in sorted((folder / "fonts").glob("*")):
                match = FONT_FILE.match(path.name) if templates.within(path, folder) else None
                family = match and match["family"]
                if family and (family in wanted or family.replace("-", " ") in wanted):
                    weight, style = FONT_STYLES[match["style"]]
                    name = family.replace("-", " ")
                    faces[(name, weight, style)] = FontFace(name, weight, style, path)
        return list(faces.values())

    def url(self, path: str = "") -> str:
        return self.config.site.base_url + path

    def render(self, layout: str, **context) -> str:
        """Render a layout with the project-wide values every template may use."""
        config = self.config
        return templates.render(
            self.templates,
            layout,
            site=config.site,
            org=config.organization,
            hours=hours_lines(config.organization.hours),
            brand=config.brand,
            disclaimer=config.disclaimer,
            config=config,
            **context,
        )
