"""The writers' case (tests/cases/writers): callouts of every kind, an include of an include,
cross-references, references from BibTeX, CSL JSON and CSL YAML in two styles, an English and a
Spanish article, a draft and a scheduled one; set up as a project of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
import yaml
from conftest import CASES, REPO

WRITERS = CASES / "writers"
DRAFT_WORDS = ("Zebra", "zebra", "draft.md", "/draft/")
FUTURE_WORDS = ("Quokka", "quokka", "future.md", "/future/")


def writers_project(root: Path) -> Path:
    """A copy of the case with the repository's publish.yml, a project-wide bibliography and
    a disclaimer in Spanish too."""
    shutil.copytree(WRITERS, root, dirs_exist_ok=True)
    config = yaml.safe_load((REPO / "publish.yml").read_text(encoding="utf-8"))
    config["bibliography"] = "references/clinic.bib"
    config["disclaimer"] = {
        "en": config["disclaimer"],
        "es": "Este artículo es información general, no consejo médico.",
    }
    (root / "publish.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return root


def outputs(out: Path) -> dict[str, str]:
    """Every output file's text: PDFs as their extracted text, other files decoded."""
    found = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(out).as_posix()
        if path.suffix == ".pdf":
            found[name] = pdf_text(path)
        elif path.suffix in (".html", ".txt", ".xml", ".eml", ".css"):
            found[name] = path.read_text(encoding="utf-8")
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def bookmarks(path: Path) -> list[str]:
    """Every bookmark title of a PDF, depth first."""
    found: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append(item.title)

    walk(pypdf.PdfReader(path).outline)
    return found
