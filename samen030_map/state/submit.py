"""The public form "Meld je initiatief aan" at /meld-aan.

What a resident types stays in their own session until they send it; sending stores it as pending
(db/submissions.py), where no public page can see it until a coordinator approves it.
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx

from samen030_map.core.search import normalise
from samen030_map.db import store, submissions
from samen030_map.picture import geography
from samen030_map.state.i18n import I18nState

FIELDS = ("name", "kind", "description", "address", "postcode", "website", "founded")
LIMITS = {"name": 200, "description": 600, "address": 200, "postcode": 20, "website": 500, "founded": 10}


def areas_from_text(text: str) -> tuple[list[str], list[str]]:
    """Buurtcodes for typed buurt names or 4-digit postcodes (separated by , or ;); and what was not found."""
    buurten = geography().boundaries.buurten
    by_name = {normalise(name): code for code, name in buurten["buurtnaam"].items()}
    codes, unknown = [], []
    for part in re.split(r"[,;\n]", text):
        part = part.strip()
        if not part:
            continue
        digits = re.fullmatch(r"(\d{4})\s*[A-Za-z]{0,2}", part)
        found = list(buurten.index[buurten["postcode"] == digits.group(1)]) if digits else [by_name[normalise(part)]] if normalise(part) in by_name else []
        if not found and not digits:  # "Lunetten" for Lunetten-Noord and -Zuid: the names that start with it
            found = [code for name, code in by_name.items() if name.startswith(normalise(part) + " ") or name == normalise(part)]
        if found:
            codes += [code for code in found if code not in codes]
        else:
            unknown.append(part)
    return codes, unknown


class SubmitState(I18nState):
    entity: str = "organisation"
    fields: dict[str, str] = {}
    themes: list[str] = []
    area_codes: list[str] = []
    area_text: str = ""
    whole_city: bool = False
    contact: str = ""
    wish: str = "kaart"
    consent: bool = False
    honeypot: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    sent: bool = False

    @rx.event
    def load(self):
        """A fresh form; a link from an open buurt (?buurt=BU…) fills in that buurt."""
        params = self.router.url.query_parameters
        lang = params.get("lang", "nl")
        self.lang = lang if lang in ("nl", "en") else "nl"
        buurt = params.get("buurt", "").upper()
        self.entity, self.fields, self.themes, self.contact, self.wish = "organisation", {}, [], "", "kaart"
        self.area_codes = [buurt] if buurt in geography().buurt_wijk else []
        self.area_text = self.honeypot = self.message = ""
        self.whole_city = self.consent = self.sent = False
        self.errors = {}

    @rx.event
    def set_entity(self, entity: str | list[str]):
        entity = entity if isinstance(entity, str) else (entity[0] if entity else "")
        if entity in ("organisation", "meeting_place"):
            self.entity = entity
            self.fields = {**self.fields, "kind": ""}

    @rx.event
    def set_field(self, name: str, value: str):
        if name in FIELDS:
            self.fields = {**self.fields, name: str(value)[: LIMITS.get(name, 200) + 50]}
            self.errors = {k: v for k, v in self.errors.items() if k != name}

    @rx.event
    def toggle_theme(self, theme: str):
        from samen030_map.core.schema import THEMES

        if theme in THEMES:
            self.themes = [t for t in self.themes if t != theme] if theme in self.themes else [*self.themes, theme]

    @rx.event
    def toggle_buurt(self, code: str):
        """A click on the form's map adds or removes the buurt."""
        if code in geography().buurt_wijk:
            self.area_codes = [c for c in self.area_codes if c != code] if code in self.area_codes else [*self.area_codes, code]
            self.whole_city = False
            self.errors = {k: v for k, v in self.errors.items() if k != "area_codes"}

    @rx.event
    def set_area_text(self, text: str):
        self.area_text = str(text)[:500]

    @rx.event
    def add_typed_areas(self):
        codes, unknown = areas_from_text(self.area_text)
        self.area_codes = [*self.area_codes, *[c for c in codes if c not in self.area_codes]]
        self.errors = {k: v for k, v in self.errors.items() if k != "area_codes"} | (
            {"area_codes": "Niet gevonden: " + ", ".join(unknown) + ". Typ de naam van een buurt of een postcode van 4 cijfers, of klik op de kaart."} if unknown else {}
        )
        if not unknown:
            self.area_text = ""

    @rx.event
    def set_whole_city(self, value: bool):
        self.whole_city = bool(value)

    @rx.event
    def set_contact(self, value: str):
        self.contact = str(value)[:600]

    @rx.event
    def set_wish(self, value: str | list[str]):
        value = value if isinstance(value, str) else (value[0] if value else "")
        if value in submissions.WISHES:
            self.wish = value

    @rx.event
    def set_consent(self, value: bool):
        self.consent = bool(value)

    @rx.event
    def set_honeypot(self, value: str):
        self.honeypot = str(value)[:200]

    @rx.event
    def send(self):
        if not self.consent:
            self.errors = {**self.errors, "consent": "Vink aan dat u akkoord gaat met wat er wordt gepubliceerd."}
            self.message = "Nog niet verstuurd."
            return
        fields = dict(self.fields) | {
            "themes": ";".join(self.themes),
            "area_level": "stad" if self.whole_city else "buurt",
            "area_codes": "" if self.whole_city else ";".join(self.area_codes),
        }
        try:
            submissions.submit_initiative(
                store.engine(), self.entity, fields, self.contact, self.wish, geography().boundaries,
                client=self.router.session.client_ip, browser=self.router.session.client_token, honeypot=self.honeypot,
            )  # fmt: skip
        except submissions.SubmissionRefused as refused:
            self.errors, self.message = refused.problems, str(refused)
            return
        self.sent, self.errors, self.message = True, {}, ""

    @rx.event
    def another(self):
        return rx.redirect("/meld-aan" + ("?lang=en" if self.lang == "en" else ""))

    @rx.var
    def chosen_buurten(self) -> list[dict[str, Any]]:
        names = geography().boundaries.buurten["buurtnaam"]
        return [{"code": code, "name": str(names[code])} for code in self.area_codes if code in names.index]
