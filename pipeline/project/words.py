"""The words the layouts show around an article, in the article's language.

One table per language, in LANGUAGES: add a language by adding its table (tests/test_words.py
checks that it has every word of WORDS). A language without a table gets English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Every word the built-in layouts add, in English: the keys of each language's table. A
# `{name}` is filled in when the word is shown.
WORDS = (
    # The web page and the site's pages
    "By", "Published", "Updated", "Skip to content", "Site", "On this page",
    "Link to this section", "{n} min read", "Download this article as a brochure", "PDF",
    "Disclaimer", "Notes", "Table {n}", "Articles", "Articles from {site}", "Page not found",
    "There is no page at this address.", "Go to the home page", "Subscribe to the feed",
    # The contact block, in every channel
    "Contact", "Opening hours", "Phone", "Email",
    # The brochure
    "Visit us", "Read this article online", "QR code that opens this article online",
    "Questions for your visit",
    "Write down what you would like to ask us, and bring this booklet along.",
    "Your appointments", "Date", "Time",
    # The email, its text part and the digest
    "Links", "Image", "Read it on the web", "Read it on the web: {url}", "Read the article",
    "In this issue:", "In this issue: {titles}", "You receive this newsletter from {org}.",
    "To unsubscribe: {url}", "Or write to {address} with the subject “unsubscribe”.",
    "To unsubscribe, write to {address} with the subject “unsubscribe”.", "Unsubscribe",
    "or", "To unsubscribe,", "unsubscribe by email", "write to us", "reader",
    # What writers add to an article: callouts, cross-references, references, drafts
    "Note", "Tip", "Important", "Warning", "Caution", "Figure {n}", "Section {n}", "References",
    "Back to where it is cited ({n})", "Draft", "not published", "to be published on {date}",
)  # fmt: skip


@dataclass(frozen=True)
class Language:
    months: tuple[str, ...]  # January first
    days: tuple[str, ...]  # Monday first
    long_date: str  # a date written out: {day}, {month} and {year}
    twelve_hour: bool  # "5:00 pm" rather than "17:00"
    words: dict[str, str]  # each of WORDS in this language


ENGLISH = Language(
    months=(
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    days=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    long_date="{month} {day}, {year}",
    twelve_hour=True,
    words={word: word for word in WORDS},
)  # fmt: skip

SPANISH = Language(
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    days=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    long_date="{day} de {month} de {year}",
    twelve_hour=False,
    words={
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
        "Notes": "Notas",
        "Table {n}": "Tabla {n}",
        "Articles": "Artículos",
        "Articles from {site}": "Artículos de {site}",
        "Page not found": "Página no encontrada",
        "There is no page at this address.": "No hay ninguna página en esta dirección.",
        "Go to the home page": "Ir a la página de inicio",
        "Subscribe to the feed": "Suscribirse al canal",
        "Contact": "Contacto",
        "Opening hours": "Horario",
        "Phone": "Teléfono",
        "Email": "Correo electrónico",
        "Visit us": "Visítenos",
        "Read this article online": "Lea este artículo en línea",
        "QR code that opens this article online": "Código QR que abre este artículo en línea",
        "Questions for your visit": "Preguntas para su visita",
        "Write down what you would like to ask us, and bring this booklet along.": (
            "Anote lo que quiera preguntarnos y traiga este folleto a su cita."
        ),
        "Your appointments": "Sus citas",
        "Date": "Fecha",
        "Time": "Hora",
        "Links": "Enlaces",
        "Image": "Imagen",
        "Read it on the web": "Léalo en la web",
        "Read it on the web: {url}": "Léalo en la web: {url}",
        "Read the article": "Leer el artículo",
        "In this issue:": "En este número:",
        "In this issue: {titles}": "En este número: {titles}",
        # The subject a reader writes to unsubscribe stays "unsubscribe": it is what the
        # mailbox behind the address looks for.
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
        "Note": "Nota",
        "Tip": "Consejo",
        "Important": "Importante",
        "Warning": "Advertencia",
        "Caution": "Precaución",
        "Figure {n}": "Figura {n}",
        "Section {n}": "Sección {n}",
        "References": "Referencias",
        "Back to where it is cited ({n})": "Volver a donde se cita ({n})",
        "Draft": "Borrador",
        "not published": "no publicado",
        "to be published on {date}": "se publicará el {date}",
    },
)

LANGUAGES = {"en": ENGLISH, "es": SPANISH}


def base_language(lang: str) -> str:
    """'es' for 'es-MX'."""
    return lang.replace("_", "-").split("-")[0].lower()


def language(lang: str) -> Language:
    """The table of `lang` ('es-MX' reads 'es'); English when there is none."""
    return LANGUAGES.get(base_language(lang), ENGLISH)


def has_words(lang: str) -> bool:
    return base_language(lang) in LANGUAGES


def translate(text: str, lang: str, **values: object) -> str:
    """`text` in `lang`, with `{name}` filled in. A text that is none of WORDS (a project's
    own layout may have its own) stays as it is."""
    return language(lang).words.get(text, text).format(**values)


def long_date(moment: date, lang: str) -> str:
    """'November 25, 2026' in English, '25 de noviembre de 2026' in Spanish."""
    table = language(lang)
    month = table.months[moment.month - 1]
    return table.long_date.format(day=moment.day, month=month, year=moment.year)


def day_range(days: list[int], lang: str) -> str:
    """Days (0 is Monday) as a reader says them: 'Monday – Friday' for three or more in a row,
    else the days listed."""
    names = [language(lang).days[day] for day in days]
    if len(days) > 1 and days == list(range(days[0], days[0] + len(days))):
        return f"{names[0]} – {names[-1]}"
    return ", ".join(names)


def clock(time: str, lang: str) -> str:
    """'17:00' as `lang` reads it: '5:00 pm' in English, '17:00' in Spanish."""
    hour, minute = (int(part) for part in time.split(":"))
    if not language(lang).twelve_hour:
        return f"{hour}:{minute:02d}"
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {'am' if hour < 12 else 'pm'}"
