"""A Spanish article in every channel: the web page, both PDFs of a booklet and a tri-fold (and
the HTML they were made from), the email's text and HTML, and a digest of them. No word the
layouts add may be English: none of the English words of the tables, no English day, month or
"am"/"pm", not the English disclaimer."""

from __future__ import annotations

import re
import string

import pytest
import yaml
from conftest import make_project, publish
from pdfs import run
from PIL import Image
from test_words import ShownText

from pipeline.project.words import ENGLISH, SPANISH, WORDS

ENGLISH_DISCLAIMER = "This article is general information, not medical advice."
SPANISH_DISCLAIMER = "Este artículo es información general, no consejo médico."
BODY = """Una guía breve, escrita por el equipo, para su primera visita.[^1]

## Antes de venir

Traiga la [lista de medicamentos](https://example.org/lista) y sus informes.

![Una sala de espera luminosa](media/sala.png)

## Durante la visita

| Paso | Quién | Cuánto dura |
|------|-------|-------------|
| Acogida | Enfermería | Diez minutos |

## Después de la visita

Recibirá un resumen por escrito.

[^1]: Revisada por el equipo médico.
"""
FOLD = "Una guía muy breve para llevar en el bolso.\n\n## Antes de venir\n\nTraiga sus informes.\n"


def english_words() -> list[str]:
    """The English words of the tables (those Spanish writes otherwise), split at their
    `{fields}`; the English days and months; the English disclaimer."""
    fragments = []
    for word in WORDS:
        if SPANISH.words[word] == word:
            continue  # "PDF"
        for literal, *_ in string.Formatter().parse(word):
            fragments += [literal.strip()] if re.search(r"[A-Za-z]", literal) else []
    return [*fragments, *ENGLISH.days, *ENGLISH.months, ENGLISH_DISCLAIMER]


def english_in(text: str) -> list[str]:
    found = [w for w in english_words() if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    return found + re.findall(r"\d:\d\d [ap]m\b", text)


def flat(text: str) -> str:
    """Text as one line: a word a PDF hyphenated at a line's end joined again."""
    return " ".join(re.sub("[\u2010\u00ad-]\n", "", text).split())


def spanish_article(title: str, body: str, extra: str) -> str:
    summary = "Qué traer, cuánto dura y qué pasa después, lo que conviene saber antes de venir."
    return (
        f"---\ntitle: {title}\nsummary: {summary}\ndate: 2026-01-15\nlang: es\n{extra}---\n\n{body}"
    )


@pytest.fixture(scope="module")
def spanish(tmp_path_factory):
    extra = "author: El equipo\nupdated: 2026-02-01\ntags: [visita]\n"
    root = make_project(
        tmp_path_factory.mktemp("es"),
        {
            "guia.md": spanish_article("Su primera visita", BODY, extra),
            "folleto.md": spanish_article(
                "Antes de su visita", FOLD, "brochure: {layout: trifold}\n"
            ),
        },
    )
    (root / "source" / "media").mkdir()
    Image.new("RGB", (2400, 1600), (40, 120, 130)).save(root / "source" / "media" / "sala.png")
    config = yaml.safe_load((root / "publish.yml").read_text(encoding="utf-8"))
    config["disclaimer"] = {"en": config["disclaimer"], "es": SPANISH_DISCLAIMER}
    config["organization"] |= {"phone": "518 555 0100", "email": "info@clinic.example"}
    (root / "publish.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build = publish("build", "--strict", "--keep-html", cwd=root)
    assert build.exit_code == 0, build.output
    sources = ("source/guia.md", "source/folleto.md")
    digest = publish("newsletter", *sources, "--subject", "Noticias", "--name", "boletin", cwd=root)
    assert digest.exit_code == 0, digest.output
    return root / "output"


OUTPUTS = {
    "web page": ("web/guia/index.html", "html"),
    "tri-fold's web page": ("web/folleto/index.html", "html"),
    "print PDF": ("print/guia.pdf", "pdf"),
    "print HTML": ("print/guia.html", "html"),
    "screen PDF": ("web/guia/brochure.pdf", "pdf"),
    "screen HTML": ("web/guia/brochure.html", "html"),
    "tri-fold PDF": ("print/folleto.pdf", "pdf"),
    "tri-fold HTML": ("print/folleto.html", "html"),
    "email text": ("email/guia.txt", "text"),
    "HTML email": ("email/guia.html", "html"),
    "digest text": ("email/boletin.txt", "text"),
    "digest HTML": ("email/boletin.html", "html"),
}


def shown(out, name: str) -> str:
    path, kind = OUTPUTS[name]
    if kind == "pdf":
        return flat(run("pdftotext", str(out / path), "-"))
    text = (out / path).read_text(encoding="utf-8")
    return flat("\n".join(ShownText(text).found) if kind == "html" else text)


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_english_word_in_a_spanish_article(spanish, name):
    text = shown(spanish, name)
    assert english_in(text) == []
    assert SPANISH_DISCLAIMER in text


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("web page", ["Por El equipo", "Actualizado el 1 de febrero de 2026", "Notas"]),
        ("print HTML", ["Visítenos", "Horario", "lunes – viernes: 9:00 – 17:00", "Sus citas"]),
        ("print PDF", ["Visítenos", "Lea este artículo en línea", "Teléfono: 518 555 0100"]),
        ("tri-fold PDF", ["Visítenos", "Correo electrónico: info@clinic.example"]),
        ("email text", ["Contacto", "Notas", "Enlaces", "[Imagen: Una sala de espera luminosa]"]),
        ("HTML email", ["Léalo en la web", "Horario", "Darse de baja"]),
        ("digest text", ["En este número:", "Léalo en la web:"]),
        ("digest HTML", ["Leer el artículo", "15 de enero de 2026"]),
    ],
)
def test_the_spanish_words_are_there(spanish, name, words):
    text = shown(spanish, name)
    assert [word for word in words if word not in text] == []


def test_the_checker_finds_english(spanish):
    """The test above would see an English word: an English article's page has them."""
    assert english_in("Visit us · Opening hours · Monday – Friday: 9:00 am – 5:00 pm") == [
        "Opening hours",
        "Visit us",
        "Monday",
        "Friday",
        "9:00 am",
        "5:00 pm",
    ]
