"""Translation catalogues. The interface is written in Dutch (B1); English comes from a gettext catalogue.

Plain Python (no Reflex), so the CLI and exports can translate too.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
SOURCE_LANGUAGE = "nl"
LANGUAGES = ("nl", "en")


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Dutch source text -> translation for `lang` (empty for the source language)."""
    if lang == SOURCE_LANGUAGE:
        return {}
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        messages = read_po(po_file, locale=lang)
    return {message.id: message.string for message in messages if message.id and message.string}


def translate(text: str, lang: str) -> str:
    """`text` in `lang`; falls back to the Dutch source when no translation exists."""
    return catalogue(lang).get(text, text) if lang != SOURCE_LANGUAGE else text
