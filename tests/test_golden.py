"""Golden files: the sample's web pages, compared whole (email ones: test_email_text.py).
Regenerate with `pytest --regen-golden`, then read the diff before committing it."""

import pytest
from conftest import SAMPLE_SLUG

OUTPUTS = {
    "web-article.html": f"web/{SAMPLE_SLUG}/index.html",
    "web-index.html": "web/index.html",
}


@pytest.mark.parametrize("name", OUTPUTS)
def test_sample_output_matches_golden(sample_build, golden, name):
    golden((sample_build / OUTPUTS[name]).read_text(encoding="utf-8"), name)
