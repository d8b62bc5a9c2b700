"""An article in a language the layouts or publish.yml do not speak: a warning, in the build and
in check, naming the article and its `lang` line."""

from __future__ import annotations

import re

import yaml
from conftest import article, make_project, publish

NO_DISCLAIMER = (
    "publish.yml has no disclaimer in '{lang}': the article shows the one in 'en'; give "
    '\'disclaimer\' one text per language, such as {{en: "...", {lang}: "..."}}'
)
NO_WORDS = (
    "the layouts have no words in 'fr' (they have en, es): the words around the article "
    "(dates, 'Notes', the contact block...) are in English; add a table for it to "
    "pipeline/project/words.py"
)


def disclaimers(root, **texts: str) -> None:
    config = yaml.safe_load((root / "publish.yml").read_text(encoding="utf-8"))
    config["disclaimer"] = {"en": config["disclaimer"], **texts}
    (root / "publish.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def test_one_disclaimer_for_a_spanish_article_is_a_warning(tmp_path):
    root = make_project(tmp_path, {"cita.md": article("Cita", extra="lang: es\n")})
    build = publish("build", "-c", "email", cwd=root)
    assert build.exit_code == 0
    assert build.stderr == f"Warning: source/cita.md:5: {NO_DISCLAIMER.format(lang='es')}\n"
    check = publish("check", cwd=root)
    assert check.output == (
        f"source/cita.md:5: warning: {NO_DISCLAIMER.format(lang='es')}\n"
        "Checked 1 article: 0 errors, 1 warning\n"
    )


def test_a_disclaimer_per_language_serves_each_article_and_its_region(tmp_path):
    articles = {
        "cita.md": article("Cita", extra="lang: es-MX\n"),
        "visit.md": article("Visit"),
    }
    root = make_project(tmp_path, articles)
    disclaimers(root, es="No es consejo médico.")
    build = publish("build", "--strict", "-c", "email", cwd=root)
    assert build.exit_code == 0, build.output
    spanish = (root / "output/email/cita.txt").read_text(encoding="utf-8")
    english = (root / "output/email/visit.txt").read_text(encoding="utf-8")
    assert "\nNo es consejo médico.\n" in spanish and "not medical advice" not in spanish
    assert "This article is general information, not medical advice." in english
    html = re.sub(r' style="[^"]*"', "", (root / "output/email/cita.html").read_text("utf-8"))
    assert '<html lang="es-MX">' in html
    assert '<p class="disclaimer" lang="es">No es consejo médico.</p>' in html


def test_a_language_without_words_is_a_warning(tmp_path):
    root = make_project(tmp_path, {"rdv.md": article("Rendez-vous", extra="lang: fr\n")})
    build = publish("build", "-c", "email", cwd=root)
    assert build.exit_code == 0
    assert build.stderr == (
        f"Warning: source/rdv.md:5: {NO_WORDS}\n"
        f"Warning: source/rdv.md:5: {NO_DISCLAIMER.format(lang='fr')}\n"
    )
    disclaimers(root, fr="Ceci n'est pas un avis médical.")
    check = publish("check", cwd=root)
    assert check.output == (
        f"source/rdv.md:5: warning: {NO_WORDS}\nChecked 1 article: 0 errors, 1 warning\n"
    )
