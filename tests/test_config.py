"""publish.yml: every problem names the file, the line, the key, what was expected and what came."""

import pytest
from conftest import REPO, article, make_project, publish

BASE = (REPO / "publish.yml").read_text()

CASES = {
    "relative base URL": (
        ("base_url: https://albanyketamine.example/", "base_url: albanyketamine"),
        "publish.yml:5: 'site.base_url' in publish.yml: expected an absolute URL such as "
        "https://clinic.example/, got 'albanyketamine'",
    ),
    "missing postal code": (
        ('    postal_code: "12205"\n', ""),
        "publish.yml:12: publish.yml is missing the required key "
        "'organization.address.postal_code'. Add 'postal_code:' with a value",
    ),
    "three CMYK values": (
        ("cmyk: [0, 58, 78, 6]", "cmyk: [0, 58, 78]"),
        "publish.yml:31: 'brand.colors.accent.cmyk' in publish.yml: expected four percentages "
        "from 0 to 100 (C, M, Y, K), got [0, 58, 78]",
    ),
    "a day that is not a day": (
        ("- days: [Saturday, Sunday]", "- days: [Saturday, Sundy]"),
        "publish.yml:23: 'organization.hours[1].days[1]' in publish.yml: input should be "
        "'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday' or 'Sunday', "
        "got 'Sundy'",
    ),
    "a disclaimer that is a list": (
        ("disclaimer: >-\n", "disclaimer:\n  - one\n  - two\nold_disclaimer: >-\n"),
        "publish.yml:38: 'disclaimer' in publish.yml: expected text, or one text per language "
        "such as {en: \"...\", es: \"...\"}, got ['one', 'two']",
    ),
    "a disclaimer keyed by a language that is not one": (
        ("disclaimer: >-\n", "disclaimer:\n  english: Not advice.\nold_disclaimer: >-\n"),
        "publish.yml:38: 'disclaimer' in publish.yml: expected language codes such as en or "
        "es-MX, not 'english', got a mapping",
    ),
    "a disclaimer without the site's language": (
        ("disclaimer: >-\n", "disclaimer:\n  es: No es consejo médico.\nold_disclaimer: >-\n"),
        "publish.yml:38: 'disclaimer' in publish.yml: expected a text in the site's language, "
        "'en' (site.language), among the languages given (es), got a mapping",
    ),
    "a disclaimer in a language that is not text": (
        ("disclaimer: >-\n", "disclaimer:\n  en: [a, b]\nold_disclaimer: >-\n"),
        "publish.yml:38: 'disclaimer' in publish.yml: expected text in 'en', got a mapping",
    ),
    "type limits the wrong way round": (
        ("  size: letter\n", "  size: letter\n  copyfit:\n    body_size: [11, 9.5]\n"),
        "publish.yml:47: 'print.copyfit.body_size' in publish.yml: expected [smallest, "
        "largest] in points, from 6 to 16, smallest first, got [11, 9.5]",
    ),
    "a leading out of its range": (
        ("  size: letter\n", "  size: letter\n  copyfit:\n    leading: [1.2, 2.5]\n"),
        "publish.yml:47: 'print.copyfit.leading' in publish.yml: expected [smallest, largest] "
        "times the type size, from 1 to 2, smallest first, got [1.2, 2.5]",
    ),
    "one margin instead of two": (
        ("  size: letter\n", "  size: letter\n  copyfit:\n    margins: [0.8]\n"),
        "publish.yml:47: 'print.copyfit.margins' in publish.yml: expected [smallest, largest] "
        "in inches, from 0.3 to 1.5, smallest first, got [0.8]",
    ),
    "not YAML": (
        ("  language: en\n", "\tlanguage: en\n"),
        "publish.yml:6: invalid YAML: found character '\\t' that cannot start any token. "
        "Check the indentation, the colons and the quotes on that line",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_invalid_config_names_key_and_line(tmp_path, name):
    (old, new), message = CASES[name]
    assert old in BASE
    root = make_project(tmp_path, {"good.md": article()})
    (root / "publish.yml").write_text(BASE.replace(old, new, 1))
    result = publish("build", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert not (root / "output").exists()


def test_unknown_config_key_warns_with_line(tmp_path):
    root = make_project(tmp_path, {"good.md": article()})
    (root / "publish.yml").write_text(
        BASE.replace("  language: en\n", "  language: en\n  lang: fr\n")
    )
    result = publish("build", "--channel", "email", cwd=root)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: publish.yml:7: unknown key 'site.lang' in publish.yml (ignored; check its "
        "spelling)\n"
    )


def test_no_config_in_folder(tmp_path):
    result = publish("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no publish.yml in {tmp_path}. Run publish from the project folder (the "
        "one with publish.yml)\n"
    )
