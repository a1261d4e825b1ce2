"""The interface language, and helpers that put both languages into the page."""

from __future__ import annotations

import reflex as rx

from samen030_map.i18n import catalogue, plural_catalogue, translate


class I18nState(rx.State):
    """Dutch first; DashboardState switches it and keeps it in the URL."""

    lang: str = "nl"

    @rx.var
    def is_english(self) -> bool:
        return self.lang == "en"

    @rx.event
    def set_lang(self, lang: str | list[str]):
        """The language switch of pages without a permalink (the workspace)."""
        lang = lang if isinstance(lang, str) else (lang[0] if lang else "")
        if lang in ("nl", "en"):
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


def tn(n: rx.Var, singular: str, plural: str) -> rx.Component:
    """A count with the right plural form in both languages (gettext plural entries); "{n}" marks the number."""
    english_singular, english_plural = plural_catalogue("en").get((singular, plural), (singular, plural))

    def with_number(text: str) -> rx.Component:
        before, _, after = text.partition("{n}")
        return rx.fragment(before, n, after)

    return rx.cond(
        n == 1,
        rx.cond(I18nState.is_english, with_number(english_singular), with_number(singular)),
        rx.cond(I18nState.is_english, with_number(english_plural), with_number(plural)),
    )
