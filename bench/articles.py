"""N articles for the benchmark, made from the sample: same headings, varied text and length."""

from __future__ import annotations

import datetime
import random
import re
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "source/ketamine-therapy-for-pain-management.md"


def make_articles(folder: Path, count: int) -> list[Path]:
    """Write `count` articles into `folder`; the same count always gives the same files."""
    text = SAMPLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        path = folder / f"article-{number:03d}.md"
        path.write_text(variant(front, body, number), encoding="utf-8")
        paths.append(path)
    return paths


def variant(front: str, body: str, number: int) -> str:
    """Article `number`: its own title and date, its sections' paragraphs shuffled, some left
    out and some said twice, so no two articles are the same length."""
    rng = random.Random(number)
    title = re.search(r'^title: "(.*)"$', front, re.M)[1]
    # Each a day before the last: all published, whatever the count and whatever today is.
    date = datetime.date(2026, 1, 1) - datetime.timedelta(days=number)
    front = front.replace(title, f"{title}, part {number}").replace("2026-11-25", str(date))
    sections = re.split(r"(?m)^(?=#)", body)
    out = []
    for section in sections:
        heading, _, text = section.partition("\n") if section.startswith("#") else ("", "", section)
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        kept = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
        kept += [p for p in paragraphs if rng.random() < 0.3]
        out.append("\n\n".join(([heading] if heading else []) + kept))
    intro = f"This is part {number} of the series, written for the benchmark.\n\n"
    return f"---\n{front}---\n\n{intro}" + "\n\n".join(out) + "\n"
