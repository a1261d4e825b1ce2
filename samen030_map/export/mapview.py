"""What a reader sees on the map, as one small value shared by the app, the CLI and every export.

A `MapView` holds the registry filters, the status filter, the legend rows and layers switched off, the
selection and the language: everything the app's permalink holds (state/dashboard.py), and nothing else.
`MapView.from_link` reads such a link (unknown values are ignored, as the app ignores them) and
`link()` writes it back.

In this app filters never change the coverage: the statuses are always the real ones. The registry
filters and the hidden kinds choose which organisations and places are listed and marked; the status
filter and the hidden statuses choose which buurten are shown. The selection only zooms.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

from samen030_map.core.registry import ORG_KINDS, PILLARS, PLACE_KINDS, RELATIONS, THEMES, RegistryEntry
from samen030_map.i18n import LANGUAGES, translate
from samen030_map.labels import (
    FILTER_LABELS,
    KIND_LABELS,
    LAYER_LABELS,
    PILLAR_LABELS,
    RELATION_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
)
from samen030_map.view import ENTITY_PARAMS, MONTH_LABELS, Filters, entry_key, split_entry_key

# The permalink's vocabulary (the same words as state/dashboard.py): parameter -> field, and what it allows.
FILTER_PARAMS = {"thema": "theme", "soort": "kind", "pijler": "pillar", "relatie": "relation", "status": "status_filter"}
FILTER_CHOICES = {
    "theme": THEMES,
    "kind": (*ORG_KINDS, *PLACE_KINDS),
    "pillar": PILLARS,
    "relation": RELATIONS,
    "status_filter": STATUS_ORDER,
}
LAYERS = tuple(LAYER_LABELS)
HIDDEN_PARAMS = {
    "verberg": ("hidden_statuses", STATUS_ORDER),
    "verberg_soort": ("hidden_kinds", FILTER_CHOICES["kind"]),
    "lagen_uit": ("hidden_layers", LAYERS),
}
ENTITY_LAYERS = {"organisation": "organisaties", "meeting_place": "plekken"}
NO_FILTERS = "Alle buurten en organisaties"
TITLE = "SAMEN030 Buurtkaart"


@dataclass(frozen=True)
class MapView:
    """One view of the map. Empty strings and tuples mean 'all' and 'nothing hidden'."""

    filters: Filters = field(default_factory=Filters)
    status_filter: str = ""
    hidden_statuses: tuple[str, ...] = ()
    hidden_kinds: tuple[str, ...] = ()
    hidden_layers: tuple[str, ...] = ()
    buurt: str = ""  # buurtcode; `wijk` is then its wijk
    wijk: str = ""
    entry: str = ""  # view.entry_key of an organisation or place
    lang: str = "nl"
    year: int = 0  # the growth view: the coverage at the end of this year (0 = today)
    presentation: bool = False  # the presentation mode, at tour step `step`
    step: int = 0

    # ---- the link ----

    @classmethod
    def from_link(cls, link: str = "", picture=None, geography=None) -> MapView:
        """The view a permalink asks for: a full address, "/?wijk=…", "?wijk=…" or "wijk=…&lang=en".

        Like the app: values outside the vocabularies are dropped; an entry wins over a buurt, a buurt
        over a wijk; a buurt brings its wijk. Buurt and wijk codes are checked against the geography
        (default: the shipped boundaries), an entry against `picture` when one is given.
        """
        params = _query_params(link)
        if picture is not None:
            geography = picture.geography
        if geography is None:
            from samen030_map.picture import geography as shipped_geography

            geography = shipped_geography()
        values: dict = {"lang": params.get("lang", "nl") if params.get("lang") in LANGUAGES else "nl"}
        chosen = {name: params.get(param, "") for param, name in FILTER_PARAMS.items()}
        chosen = {name: value if value in FILTER_CHOICES[name] else "" for name, value in chosen.items()}
        values["status_filter"] = chosen.pop("status_filter")
        values["filters"] = Filters(**chosen)
        for param, (name, allowed) in HIDDEN_PARAMS.items():
            wanted = [value for value in params.get(param, "").split(",") if value in allowed]
            values[name] = tuple(dict.fromkeys(wanted))
        values |= _selection(params, geography, picture)
        # Length first: Python refuses to read a number of thousands of digits (and nobody means one).
        year = params.get("jaar", "")
        values["year"] = int(year) if year.isdigit() and len(year) == 4 and 1800 <= int(year) <= 2100 else 0
        values["presentation"] = params.get("presentatie", "") == "1"
        step = params.get("stap", "")
        # A step beyond the tour is its last one (the dashboard clamps 99 to the last step).
        values["step"] = (int(step) if len(step) <= 2 else 99) if values["presentation"] and step.isdigit() else 0
        return cls(**values)

    def link(self) -> str:
        """The permalink of this view, in the app's own format ("/" when nothing is chosen)."""
        entity, entry_id = split_entry_key(self.entry)
        selection = {ENTITY_PARAMS[entity]: entry_id} if entity else {"buurt": self.buurt} if self.buurt else {"wijk": self.wijk}
        params = selection | {
            "thema": self.filters.theme,
            "soort": self.filters.kind,
            "pijler": self.filters.pillar,
            "relatie": self.filters.relation,
            "status": self.status_filter,
            "verberg": ",".join(self.hidden_statuses),
            "verberg_soort": ",".join(self.hidden_kinds),
            "lagen_uit": ",".join(self.hidden_layers),
            "jaar": str(self.year) if self.year else "",
            "presentatie": "1" if self.presentation else "",
            "stap": str(self.step) if self.presentation and self.step else "",
            "lang": self.lang if self.lang != "nl" else "",
        }
        query = urlencode({key: value for key, value in params.items() if value})
        return f"/?{query}" if query else "/"

    def with_lang(self, lang: str) -> MapView:
        return replace(self, lang=lang if lang in LANGUAGES else "nl")

    # ---- what is shown ----

    def visible_statuses(self) -> tuple[str, ...]:
        """Statuses whose buurten are filled: not hidden in the legend and passing the status filter."""
        return tuple(s for s in STATUS_ORDER if s not in self.hidden_statuses and (not self.status_filter or s == self.status_filter))

    def keeps(self, entry: RegistryEntry) -> bool:
        """An organisation or place is listed (in lists and files): it passes the filters, its kind is shown."""
        return self.filters.keeps(entry) and entry.kind not in self.hidden_kinds

    def marks(self, entry: RegistryEntry) -> bool:
        """An organisation or place gets a marker: it is listed and its layer is switched on."""
        return self.keeps(entry) and ENTITY_LAYERS.get(entry.entity, "") not in self.hidden_layers

    def shows_layer(self, layer: str) -> bool:
        return layer not in self.hidden_layers

    def kept_entries(self, picture, entity: str | None = None) -> list[RegistryEntry]:
        """The picture's published entries that this view lists (organisations first, then places)."""
        entries = [*picture.organisation_entries, *picture.meeting_place_entries]
        return [e for e in entries if (entity is None or e.entity == entity) and self.keeps(e)]

    def selected_entry(self, picture) -> RegistryEntry | None:
        if not self.entry:
            return None
        return next((e for e in [*picture.organisation_entries, *picture.meeting_place_entries] if entry_key(e.entity, e.id) == self.entry), None)

    # ---- in words ----

    def describe(self, lang: str | None = None) -> str:
        """The filters in words, as the map's banner says them ("Thema: Gezondheid & zorg · Soort:
        Speeltuin"), then what the legend hides; "Alle buurten en organisaties" when nothing is chosen."""
        lang = lang or self.lang
        parts = [self.filter_summary(lang)] if self.filter_summary(lang) else []
        hidden = [
            *(STATUS_LABELS[s] for s in self.hidden_statuses),
            *(KIND_LABELS.get(k, k) for k in self.hidden_kinds),
            *(LAYER_LABELS[layer] for layer in self.hidden_layers),
        ]
        if hidden:
            parts.append(f"{translate('Niet getoond', lang)}: {', '.join(translate(text, lang) for text in hidden)}")
        if self.year:
            parts.append(self.year_text(lang))
        return " · ".join(parts) if parts else translate(NO_FILTERS, lang)

    def year_text(self, lang: str | None = None) -> str:
        """The growth view's year in words ("" for today)."""
        return translate("Situatie eind {year}", lang or self.lang).replace("{year}", str(self.year)) if self.year else ""

    def filter_summary(self, lang: str | None = None) -> str:
        """Only the filters in force, in words ("" when none): what the map's banner says."""
        lang = lang or self.lang
        parts = []
        for name, value, labels in (
            ("theme", self.filters.theme, {}),
            ("kind", self.filters.kind, KIND_LABELS),
            ("pillar", self.filters.pillar, PILLAR_LABELS),
            ("relation", self.filters.relation, RELATION_LABELS),
            ("status_filter", self.status_filter, STATUS_LABELS),
        ):
            if value:
                parts.append(f"{translate(FILTER_LABELS[name], lang)}: {translate(labels.get(value, value), lang)}")
        return " · ".join(parts)

    def selection_name(self, picture, lang: str | None = None) -> str:
        """What the view is zoomed to, in words ("Wijk Noordwest", "Ondiep (Noordwest)", a name); "" for the city."""
        lang = lang or self.lang
        buurten, wijken = picture.boundaries.buurten, picture.boundaries.wijken
        entry = self.selected_entry(picture)
        if entry is not None:
            return entry.name
        if self.buurt in buurten.index:
            return f"{buurten.loc[self.buurt, 'buurtnaam']} ({buurten.loc[self.buurt, 'wijknaam']})"
        if self.wijk in wijken.index:
            return translate("Wijk {name}", lang).replace("{name}", str(wijken.loc[self.wijk, "wijknaam"]))
        return ""

    def title(self, picture, lang: str | None = None) -> str:
        """"SAMEN030 Buurtkaart", with what the view is zoomed to."""
        name = self.selection_name(picture, lang)
        return f"{TITLE} — {name}" if name else TITLE

    def zoom_codes(self, picture) -> list[str]:
        """The buurtcodes the view zooms to: the buurt, the wijk's buurten, an entry's werkgebied; [] = the city."""
        from samen030_map.view import entry_area_buurten

        buurten = picture.boundaries.buurten
        entry = self.selected_entry(picture)
        if entry is not None:
            return entry_area_buurten(entry, picture)
        if self.buurt in buurten.index:
            return [self.buurt]
        if self.wijk:
            return sorted(buurten.index[buurten["wijkcode"] == self.wijk])
        return []


def _query_params(link: str) -> dict[str, str]:
    """The query of a link as a dict (the last value of a repeated parameter wins, as in the app)."""
    link = (link or "").strip()
    if "?" in link or link.startswith(("http://", "https://", "/")):
        query = urlsplit(link).query
    else:
        query = link.split("#", 1)[0]
    return dict(parse_qsl(query, keep_blank_values=True))


def _selection(params: dict[str, str], geography, picture) -> dict[str, str]:
    for entity, param in ENTITY_PARAMS.items():
        entry_id = params.get(param, "")
        if not entry_id:
            continue
        key = entry_key(entity, entry_id)
        if picture is None or any(entry_key(e.entity, e.id) == key for e in [*picture.organisation_entries, *picture.meeting_place_entries]):
            return {"entry": key, "buurt": "", "wijk": ""}
    buurt = params.get("buurt", "").upper()
    if buurt in geography.buurt_wijk:
        return {"entry": "", "buurt": buurt, "wijk": geography.buurt_wijk[buurt]}
    wijk = params.get("wijk", "").upper()
    return {"entry": "", "buurt": "", "wijk": wijk if wijk in geography.wijk_bounds else ""}


def date_text(day: date, lang: str = "nl") -> str:
    """12 mei 2026 / 12 May 2026."""
    return f"{day.day} {translate(MONTH_LABELS[day.month - 1], lang)} {day.year}"
