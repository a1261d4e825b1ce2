"""Translation catalogues. The interface is written in Dutch (B1); English comes from a gettext catalogue.

Plain Python (no Reflex), so the CLI and exports can translate too. Plural texts are gettext plural
entries (msgid / msgid_plural); Dutch and English both use the form "one" for n == 1 and "other" else.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
SOURCE_LANGUAGE = "nl"
LANGUAGES = ("nl", "en")


@functools.cache
def _messages(lang: str) -> tuple:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        return tuple(read_po(po_file, locale=lang))


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Dutch source text -> translation for `lang` (empty for the source language); singular texts only."""
    if lang == SOURCE_LANGUAGE:
        return {}
    return {m.id: m.string for m in _messages(lang) if isinstance(m.id, str) and m.id and m.string}


@functools.cache
def plural_catalogue(lang: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(Dutch singular, Dutch plural) -> (singular, plural) in `lang`; empty for the source language."""
    if lang == SOURCE_LANGUAGE:
        return {}
    return {
        tuple(m.id): tuple(m.string)
        for m in _messages(lang)
        if isinstance(m.id, tuple) and len(m.id) == 2 and all(m.string)
    }


def translate(text: str, lang: str) -> str:
    """`text` in `lang`; falls back to the Dutch source when no translation exists."""
    return catalogue(lang).get(text, text) if lang != SOURCE_LANGUAGE else text


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The singular or plural form for `n` in `lang` (Dutch when there is no translation).

    The text may hold "{n}", which is replaced by the number in the language's notation.
    """
    forms = plural_catalogue(lang).get((singular, plural), (singular, plural))
    return forms[0 if n == 1 else 1].replace("{n}", format_number(n, lang))


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A number in the reader's notation: 157.325 and 1,2 in Dutch; 157,325 and 1.2 in English."""
    if value is None:
        return translate("onbekend", lang)
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))
