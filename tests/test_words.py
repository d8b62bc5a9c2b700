"""The words the layouts add: each language's table has every one, and the built-in layouts
show no word that is not in the tables (tests/test_words_spanish.py builds every channel)."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from pipeline.channels.email.text import FILTER_WORDS
from pipeline.project.templates import BUILTIN_LAYOUTS
from pipeline.project.words import LANGUAGES, WORDS, long_date, translate

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
LETTERS = re.compile(r"[A-Za-z]{2}")
# Jinja's tags, comments and values; and <body class="...">'s block, which holds class names.
JINJA = re.compile(
    r"\{% block body_class %\}.*?\{% endblock %\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S
)
# Text in a layout's expressions that is no word: attribute names and URL schemes.
NOT_WORDS = {"mailto:", "twitter:", "name", "property"}
READ_ALOUD = ("alt", "title", "aria-label", "placeholder")  # attributes a reader meets


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_each_language_has_every_word_and_no_other(code):
    table = LANGUAGES[code]
    assert sorted(table.words) == sorted(WORDS)
    assert all(table.words[word].strip() for word in WORDS)
    assert [word for word in WORDS if fields(table.words[word]) != fields(word)] == []
    assert len(table.months) == 12 and len(table.days) == 7
    assert fields(table.long_date) == {"day", "month", "year"}


def test_words_are_listed_once():
    assert len(WORDS) == len(set(WORDS))


def test_a_language_without_a_table_gets_english_and_a_region_its_language():
    assert translate("Notes", "fr") == "Notes"
    assert translate("Notes", "es-MX") == "Notas"
    assert translate("Read it on the web: {url}", "es", url="u") == "Léalo en la web: u"
    assert translate("A word of a project's own layout", "es") == "A word of a project's own layout"


def layouts(*suffixes: str) -> list[Path]:
    return sorted(p for p in BUILTIN_LAYOUTS.rglob("*") if p.name.endswith(suffixes))


def translated(template: str) -> list[str]:
    """The texts a layout passes to the `t` filter ({{ "Notes" | t }})."""
    found: list[str] = []
    tree = jinja2.Environment().parse(template)
    for node in tree.find_all(nodes.Filter):
        if node.name == "t" and node.node is not None:
            found += [const.value for const in node.node.find_all(nodes.Const)]
            if isinstance(node.node, nodes.Const):
                found.append(node.node.value)
    return found


def called(source: str) -> list[str]:
    """The texts Python code translates: translate("Notes", lang)."""
    return [match[2] for match in re.finditer(r"""translate\(\s*(['"])(.+?)\1""", source)]


def test_every_word_the_layouts_and_channels_translate_is_in_the_tables():
    used = [w for path in layouts(".j2") for w in translated(path.read_text(encoding="utf-8"))]
    used += [w for path in PIPELINE.rglob("*.py") for w in called(path.read_text(encoding="utf-8"))]
    used += list(FILTER_WORDS.values())
    assert len(set(used)) > 40
    assert sorted(set(used) - set(WORDS)) == []
    assert sorted(set(WORDS) - set(used)) == []  # no word is left in the tables unused


class ShownText(HTMLParser):
    """Text outside <style> and <script>, and the attributes read aloud, that has letters."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "script")
        self.found += [v for k, v in attrs if k in READ_ALOUD and v and LETTERS.search(v)]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.hidden and LETTERS.search(data):
            self.found.append(data.strip())


def untranslated(path: Path) -> list[str]:
    """Words a layout shows as they are written in it, in English whatever the language."""
    template = path.read_text(encoding="utf-8")
    bare = JINJA.sub(" ", template)
    if path.name.endswith(".html.j2"):
        found = ShownText(bare).found
    elif path.name.endswith(".txt.j2"):
        found = [line.strip() for line in bare.split("\n") if LETTERS.search(line)]
    else:  # a stylesheet's generated content
        found = re.findall(r'content:\s*"[^"]*[A-Za-z][^"]*"', bare)
    for output in jinja2.Environment().parse(template).find_all(nodes.Output):
        for node in output.nodes:
            found += _printed_constants(node)
    return [text for text in found if text not in NOT_WORDS]


def _printed_constants(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Filter) and node.name == "t":
        return []
    if isinstance(node, nodes.Const):
        return [node.value] if isinstance(node.value, str) and LETTERS.search(node.value) else []
    return [found for child in node.iter_child_nodes() for found in _printed_constants(child)]


@pytest.mark.parametrize("path", layouts(".j2"), ids=lambda p: str(p.relative_to(BUILTIN_LAYOUTS)))
def test_a_layout_shows_every_word_through_the_t_filter(path):
    assert untranslated(path) == []


def test_the_text_part_filter_takes_its_words_from_the_command_line():
    lua = (BUILTIN_LAYOUTS / "filters" / "plain-email.lua").read_text(encoding="utf-8")
    for key, word in FILTER_WORDS.items():
        assert f"meta_text(doc.meta['{key}'], '{word}')" in lua


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "November 25, 2026"),
        ("es", "25 de noviembre de 2026"),
        ("es-MX", "25 de noviembre de 2026"),
    ],
)
def test_long_dates(lang, expected):
    from datetime import date

    assert long_date(date(2026, 11, 25), lang) == expected
