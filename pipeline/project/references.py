"""The `bibliography:` and `csl:` settings (publish.yml and the front matter): which files a
bibliography may be, and the citation styles publish ships (layouts/csl/, README.md there)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pipeline.project.templates import BUILTIN_LAYOUTS

STYLES = BUILTIN_LAYOUTS / "csl"
# AMA: the style of JAMA and of most US medical and health writing (numbered, superscript).
DEFAULT_STYLE = "american-medical-association"
# A bibliography's format, by its file's suffix, as pandoc names it (pandoc reads .bib as
# BibLaTeX, a superset of BibTeX).
FORMATS = {
    ".bib": "biblatex",
    ".bibtex": "bibtex",
    ".json": "csljson",
    ".yaml": "yaml",
    ".yml": "yaml",
}


def builtin_styles() -> list[str]:
    return sorted(path.stem for path in STYLES.glob("*.csl"))


def bibliography_files(value: object) -> list[str]:
    """`bibliography:` as a list of paths: one path or several, each of a format pandoc reads."""
    paths = [value] if isinstance(value, str) else value
    if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
        raise ValueError("expected a file name such as references.bib, or a list of them")
    for path in paths:
        if PurePosixPath(path).suffix.lower() not in FORMATS:
            raise ValueError(
                f"expected a bibliography ending in {', '.join(FORMATS)} (BibTeX, BibLaTeX, "
                f"CSL JSON or CSL YAML)" + (f", not '{path}'" if len(paths) > 1 else "")
            )
    return paths


def style_setting(value: str) -> str:
    """`csl:` a style publish ships, by name, or a .csl file of the project."""
    if value.lower().endswith(".csl") or value in builtin_styles():
        return value
    raise ValueError(
        f"expected a style publish ships ({', '.join(builtin_styles())}) or a .csl file"
    )


def builtin_style(name: str) -> Path | None:
    """The file of a style publish ships, or None when `name` is a file of the project."""
    return None if name.lower().endswith(".csl") else STYLES / f"{name}.csl"
