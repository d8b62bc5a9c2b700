"""The articles a link can reach: every article's slug, and on demand the anchors of one."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.config import Config
from pipeline.project.yaml_reader import load_yaml
from pipeline.source import includes, links
from pipeline.source.body import parse_body, variable_data
from pipeline.source.files import read_text, split_front_matter
from pipeline.source.sources import declared_slug, slug_of, slugify


def project_site(
    root: Path, config: Config, sources: list[Path], slugs: dict[Path, str] | None = None
) -> links.Site:
    """The site of `sources` (every article of the project); `slugs` when they are known."""
    pages = (
        slugs
        if slugs is not None
        else {path.resolve(): declared_slug(path, root) or slugify(path.stem) for path in sources}
    )
    owners: dict[str, list[Path]] = {}
    for path, slug in pages.items():
        owners.setdefault(slug, []).append(path)

    @cache
    def anchors(slug: str) -> set[str] | None:
        paths = owners.get(slug, [])
        return anchors_of(paths[0], root, config) if len(paths) == 1 else None

    return links.Site(config.site.base_url, pages, anchors)


def anchors_of(path: Path, root: Path, config: Config) -> set[str] | None:
    """The ids another article's page holds, read as far as its body; None when it cannot be
    read (its own build says why)."""
    try:
        text = includes.expand(read_text(path, root), path, root).text
        meta, meta_line, body, body_line = split_front_matter(text, path)
        data, _ = load_yaml(meta, path, first_line=meta_line)
        data = data if isinstance(data, dict) else {}
        slug, lang = slug_of(data, path), data.get("lang") or config.site.language
        tree, _ = parse_body(body, body_line, variable_data(config, data, slug, lang), path, lang)
    except PublishError:
        return None
    return links.anchors(tree)
