"""The interface language, and helpers that put both languages into the page."""

from __future__ import annotations

import reflex as rx

from samen030_map.i18n import LANGUAGES, catalogue, translate


class I18nState(rx.State):
    """Dutch first; `lang` is also kept in the URL (see DashboardState)."""

    lang: str = "nl"

    @rx.var
    def is_english(self) -> bool:
        return self.lang == "en"

    @rx.event
    def set_language(self, lang: str):
        if lang in LANGUAGES:
            self.lang = lang


def t(text: str) -> rx.Var:
    """A fixed Dutch text and its English translation; the browser shows the one for the current language."""
    english = translate(text, "en")
    if english == text:
        return rx.Var.create(text)
    return rx.cond(I18nState.is_english, english, text)


def t_var(text: rx.Var) -> rx.Var:
    """Translate a Dutch text that is only known in the browser (e.g. a status from state)."""
    english = rx.Var.create(catalogue("en"))
    return rx.cond(I18nState.is_english, english[text].to(str) | text, text)
