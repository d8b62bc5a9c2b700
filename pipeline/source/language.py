"""Whether the layouts and publish.yml speak the article's language: a warning for each gap,
given by the reader so that the build and `publish check` say the same."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.config import Config
from pipeline.project.words import LANGUAGES, base_language, has_words


def language_problems(
    lang: str, config: Config, path: Path, line: int | None
) -> list[PublishError]:
    """What of an article in `lang` would show in another language."""
    found = []
    if not has_words(lang):
        known = ", ".join(sorted(LANGUAGES))
        found.append(
            PublishError(
                f"the layouts have no words in '{lang}' (they have {known}): the words around "
                "the article (dates, 'Notes', the contact block...) are in English; add a "
                "table for it to pipeline/project/words.py",
                path,
                line,
            )
        )
    shown = config.disclaimer_in(lang)[1]
    if base_language(shown) != base_language(lang):
        found.append(
            PublishError(
                f"publish.yml has no disclaimer in '{lang}': the article shows the one in "
                f"'{shown}'; give 'disclaimer' one text per language, such as "
                f'{{{shown}: "...", {lang}: "..."}}',
                path,
                line,
            )
        )
    return found
