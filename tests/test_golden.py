"""Golden files: the sample's web pages, compared whole (email ones: test_email_text.py).
Regenerate with `pytest --regen-golden`, then read the diff before committing it."""

from pathlib import Path

import pytest
from conftest import SAMPLE_SLUG

GOLDEN = Path(__file__).parent / "golden"

OUTPUTS = {
    "web-article.html": f"web/{SAMPLE_SLUG}/index.html",
    "web-index.html": "web/index.html",
}


@pytest.mark.parametrize("golden", OUTPUTS)
def test_sample_output_matches_golden(sample_build, regen, golden):
    made = (sample_build / OUTPUTS[golden]).read_text(encoding="utf-8")
    expected = GOLDEN / golden
    if regen:
        expected.write_text(made, encoding="utf-8")
    assert made == expected.read_text(encoding="utf-8"), (
        f"{OUTPUTS[golden]} changed: if the change is meant, run pytest --regen-golden "
        "and read the diff"
    )
