"""The HTML WeasyPrint lays the sample's brochure out from, against checked-in golden files."""

from __future__ import annotations

import pytest
from conftest import REPO, SAMPLE_SLUG

from pipeline.channels import CHANNELS
from pipeline.channels.print.brochure import PRESS, SCREEN, Sheet, brochure_htmls
from pipeline.channels.print.cmyk import output_profile
from pipeline.project.folder import Project
from pipeline.project.templates import BUILTIN_LAYOUTS
from pipeline.source.article import read_article


@pytest.mark.parametrize("variant", [PRESS, SCREEN], ids=lambda v: v.name)
def test_brochure_html_matches_golden(variant, golden):
    project = Project.load(REPO)
    article = read_article(REPO / "source" / f"{SAMPLE_SLUG}.md", REPO, project.config, CHANNELS)
    profile = output_profile(None, REPO)
    htmls, _ = brochure_htmls(article, project, Sheet.of("booklet", "letter"), profile)
    html = htmls[variant]
    # Files are named by absolute URL: make them the same on every machine.
    html = html.replace(BUILTIN_LAYOUTS.resolve().as_uri(), "file:///LAYOUTS")
    html = html.replace(profile.path.as_uri(), "file:///ICC_PROFILE")
    golden(html, f"print/{SAMPLE_SLUG}.{variant.name}.html")
