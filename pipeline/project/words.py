"""The few words the layouts show around an article, in the article's language.

A language missing here falls back to English; add one by adding its table.
"""

from __future__ import annotations

from datetime import date

ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

MONTHS = {
    "en": ENGLISH_MONTHS,
    "es": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ],
}  # fmt: skip

# English text -> its translation. Plural forms take {n}.
WORDS: dict[str, dict[str, str]] = {
    "es": {
        "By": "Por",
        "Published": "Publicado el",
        "Updated": "Actualizado el",
        "Skip to content": "Saltar al contenido",
        "Site": "Sitio",
        "On this page": "En esta página",
        "Link to this section": "Enlace a esta sección",
        "{n} min read": "{n} min de lectura",
        "Download this article as a brochure": "Descargar este artículo como folleto",
        "PDF": "PDF",
        "Disclaimer": "Aviso",
        "Contact": "Contacto",
        "Opening hours": "Horario",
        "Articles": "Artículos",
        "Articles from {site}": "Artículos de {site}",
        "Page not found": "Página no encontrada",
        "There is no page at this address.": "No hay ninguna página en esta dirección.",
        "Go to the home page": "Ir a la página de inicio",
        "Subscribe to the feed": "Suscribirse al canal",
        "Notes": "Notas",
        "Table {n}": "Tabla {n}",
        # The email's own words. The subject a reader writes to unsubscribe stays
        # "unsubscribe": it is what the mailbox behind the address looks for.
        "Read it on the web": "Léalo en la web",
        "Read it on the web: {url}": "Léalo en la web: {url}",
        "You receive this newsletter from {org}.": "Recibe este boletín de {org}.",
        "To unsubscribe: {url}": "Para darse de baja: {url}",
        "Or write to {address} with the subject “unsubscribe”.": (
            "O escriba a {address} con el asunto “unsubscribe”."
        ),
        "To unsubscribe, write to {address} with the subject “unsubscribe”.": (
            "Para darse de baja, escriba a {address} con el asunto “unsubscribe”."
        ),
        "Unsubscribe": "Darse de baja",
        "or": "o",
        "To unsubscribe,": "Para darse de baja,",
        "unsubscribe by email": "darse de baja por correo",
        "write to us": "escríbanos",
        # Who {{< recipient name >}} greets when the list has no name for the reader.
        "reader": "lector",
    },
}


def base_language(lang: str) -> str:
    """'es' for 'es-MX'."""
    return lang.replace("_", "-").split("-")[0].lower()


def translate(text: str, lang: str, **values: object) -> str:
    """`text` in `lang` (English when there is no translation), with `{name}` filled in."""
    table = WORDS.get(base_language(lang), {})
    return table.get(text, text).format(**values)


def long_date(moment: date, lang: str) -> str:
    """'November 25, 2026' in English, '25 de noviembre de 2026' in Spanish."""
    language = base_language(lang)
    month = MONTHS.get(language, ENGLISH_MONTHS)[moment.month - 1]
    if language == "es":
        return f"{moment.day} de {month} de {moment.year}"
    return f"{month} {moment.day}, {moment.year}"
