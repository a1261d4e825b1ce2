"""Per-user state of the dashboard: filters, what is shown, what is selected, the search and the lists.

Only codes, filters and small lists live here. The geometry is compiled into the page once; the analysis
is module-level (`samen030_map.picture`, cached per filter combination in `samen030_map.view`).
The URL mirrors the view (`?buurt=…&wijk=…&lang=…&thema=…`), so a link restores it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from samen030_map import view
from samen030_map.core.registry import ORG_KINDS, PILLARS, PLACE_KINDS, RELATIONS, THEMES
from samen030_map.core.search import build_search_index
from samen030_map.i18n import LANGUAGES
from samen030_map.labels import STATUS_ORDER
from samen030_map.picture import area_bounds, current_picture
from samen030_map.state.i18n import I18nState

# URL parameter -> state field. CBS codes for places, plain words for filters.
FILTER_PARAMS = {"thema": "theme", "soort": "kind", "pijler": "pillar", "relatie": "relation", "status": "status_filter"}
FILTER_CHOICES = {
    "theme": THEMES,
    "kind": (*ORG_KINDS, *PLACE_KINDS),
    "pillar": PILLARS,
    "relation": RELATIONS,
    "status_filter": STATUS_ORDER,
}
LAYERS = ("buurten", "wijken", "organisaties", "plekken", "achtergrond")


def _search_index():
    picture = current_picture()
    return build_search_index(picture.boundaries, picture.organisations, picture.meeting_places)


class DashboardState(I18nState):
    # Registry filters ("" = all) and the status filter.
    theme: str = ""
    kind: str = ""
    pillar: str = ""
    relation: str = ""
    status_filter: str = ""

    # Legend toggles and layer switches.
    hidden_statuses: list[str] = []
    hidden_kinds: list[str] = []
    hidden_layers: list[str] = []

    selected_buurt: str = ""
    selected_wijk: str = ""
    # '<entity>:<id>' of an organisation or place picked in the search that has no single buurt or wijk.
    selected_entry: str = ""

    search_query: str = ""
    list_tab: str = "buurten"
    sort_key: str = "buurtnaam"
    sort_descending: bool = False
    gap_ranking: str = "inwoners"

    # ---- derived from filters (cached per filter combination in `view`) ----

    def _view(self) -> view.FilteredView:
        return view.filtered_view(view.Filters(self.theme, self.kind, self.pillar, self.relation))

    @rx.var
    def status_by_code(self) -> dict[str, str]:
        return view.status_by_code(self._view())

    @rx.var
    def visible_statuses(self) -> list[str]:
        """Statuses drawn on the map: not hidden in the legend and passing the status filter."""
        return [
            status
            for status in STATUS_ORDER
            if status not in self.hidden_statuses and (not self.status_filter or status == self.status_filter)
        ]

    @rx.var
    def status_counts(self) -> dict[str, int]:
        return dict(view.city_summary(self._view())["counts"])

    @rx.var
    def kind_counts(self) -> dict[str, int]:
        return view.kind_counts(self._view())

    @rx.var
    def visible_entry_keys(self) -> list[str]:
        """'<entity>:<id>' of the registry entries whose markers are shown."""
        filtered = self._view()
        keys = []
        for key, row in view.all_entry_rows().items():
            kept = filtered.organisation_ids if row["entity"] == "organisation" else filtered.meeting_place_ids
            layer = "organisaties" if row["entity"] == "organisation" else "plekken"
            if row["id"] in kept and row["kind"] not in self.hidden_kinds and layer not in self.hidden_layers:
                keys.append(key)
        return keys

    @rx.var
    def buurt(self) -> dict[str, Any]:
        return view.buurt_detail(self._view(), self.selected_buurt) if self.selected_buurt else {}

    @rx.var
    def entry(self) -> dict[str, Any]:
        return view.all_entry_rows().get(self.selected_entry, {})

    @rx.var
    def wijk(self) -> dict[str, Any]:
        return view.wijk_summary(self._view(), self.selected_wijk) if self.selected_wijk else {}

    @rx.var
    def city(self) -> dict[str, Any]:
        return view.city_summary(self._view())

    @rx.var
    def wijk_cards(self) -> list[dict[str, Any]]:
        filtered = self._view()
        return [view.wijk_summary(filtered, code) for code in filtered.coverage.wijken.index]

    @rx.var
    def organisation_kind_rows(self) -> list[dict[str, Any]]:
        return view.kind_count_rows(self._view(), "organisation")

    @rx.var
    def place_kind_rows(self) -> list[dict[str, Any]]:
        return view.kind_count_rows(self._view(), "meeting_place")

    @rx.var
    def chart_rows(self) -> list[dict[str, Any]]:
        return view.status_per_wijk(self._view())

    @rx.var
    def buurt_list(self) -> list[dict[str, Any]]:
        rows = [row for row in view.buurt_rows(self._view()) if row["status"] in self.visible_statuses]
        return view.sort_buurt_rows(rows, self.sort_key, self.sort_descending)

    @rx.var
    def organisation_list(self) -> list[dict[str, Any]]:
        return [row for row in view.entry_rows(self._view(), "organisation") if row["kind"] not in self.hidden_kinds]

    @rx.var
    def place_list(self) -> list[dict[str, Any]]:
        return [row for row in view.entry_rows(self._view(), "meeting_place") if row["kind"] not in self.hidden_kinds]

    @rx.var
    def gaps(self) -> list[dict[str, Any]]:
        return view.ranked_gaps(self._view(), self.gap_ranking)

    @rx.var
    def search_results(self) -> list[dict[str, str]]:
        if not self.search_query.strip():
            return []
        return [
            {"kind": r.kind, "key": r.key, "label": r.label, "detail": r.detail, "buurtcode": r.buurtcode, "wijkcode": r.wijkcode}
            for r in SEARCH_INDEX.search(self.search_query)
        ]

    @rx.var
    def filters_active(self) -> bool:
        return any((self.theme, self.kind, self.pillar, self.relation, self.status_filter))

    # ---- events ----

    @rx.event
    def load(self):
        """On page load (also from a shared link): restore the view from the URL.

        A field is only assigned when the URL changes it: Reflex marks an assigned field dirty even when
        its value stays the same, and then recomputes and sends every computed var that reads it. Assigning
        them all on a plain visit resent the whole dashboard (~78 kB: lists, cards, chart rows) right after
        hydration, and the browser re-rendered the page with it while the map was being created.
        """
        params = self.router.url.query_parameters
        lang = params.get("lang", "nl")
        wanted = {"lang": lang if lang in LANGUAGES else "nl"}
        for param, field in FILTER_PARAMS.items():
            value = params.get(param, "")
            wanted[field] = value if value in FILTER_CHOICES[field] else ""
        buurt = params.get("buurt", "").upper()
        wijk = params.get("wijk", "").upper()
        wanted["selected_buurt"] = buurt if buurt in BUURT_WIJK else ""
        # A buurt brings its own wijk; otherwise the wijk from the URL, if it exists.
        wanted["selected_wijk"] = BUURT_WIJK[buurt] if wanted["selected_buurt"] else (wijk if wijk in WIJK_BOUNDS else "")
        for field, value in wanted.items():
            if getattr(self, field) != value:
                setattr(self, field, value)
        if self.selected_buurt:
            return self._fly_to(BUURT_BOUNDS[self.selected_buurt])
        if self.selected_wijk:
            return self._fly_to(WIJK_BOUNDS[self.selected_wijk])

    def _sync_url(self):
        """Keep the address bar in step without reloading, so a copied link restores this view."""
        params = {"buurt": self.selected_buurt, "wijk": self.selected_wijk}
        params |= {param: getattr(self, field) for param, field in FILTER_PARAMS.items()}
        params["lang"] = self.lang if self.lang != "nl" else ""
        query = urlencode({key: value for key, value in params.items() if value})
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps('/?' + query if query else '/')})")

    @staticmethod
    def _fly_to(bounds: list[list[float]]):
        """Zoom the map to bounds; if the map is not created yet, it picks them up when it is (see map_view)."""
        target = json.dumps(bounds)
        return rx.call_script(
            f"window.buurtkaartTarget = {target}; "
            f"if (window.buurtkaartMap) window.buurtkaartMap.flyToBounds({target}, {{duration: 0.4, maxZoom: 14.5, padding: [24, 24]}});"
        )

    @rx.event
    def select_buurt(self, code: str):
        """A click on the map: select the buurt, without moving the map under the user's hand."""
        if code in BUURT_WIJK:
            self.selected_entry = ""
            self.selected_buurt = code
            self.selected_wijk = BUURT_WIJK[code]
            return self._sync_url()

    @rx.event
    def focus_buurt(self, code: str):
        """A pick from the search, a list or the ranked gaps: select the buurt and zoom to it."""
        if code in BUURT_WIJK:
            self.selected_entry = ""
            self.selected_buurt = code
            self.selected_wijk = BUURT_WIJK[code]
            return [self._sync_url(), self._fly_to(BUURT_BOUNDS[code])]

    @rx.event
    def select_wijk(self, code: str):
        if code in WIJK_BOUNDS:
            self.selected_entry = ""
            self.selected_wijk = code
            self.selected_buurt = ""
            return [self._sync_url(), self._fly_to(WIJK_BOUNDS[code])]

    @rx.event
    def select_area(self, code: str):
        """A marker click: select the wijk (WK…) or buurt (BU…) it belongs to."""
        return self.select_wijk(code) if code.startswith("WK") else self.select_buurt(code)

    @rx.event
    def clear_selection(self):
        self.selected_buurt = ""
        self.selected_wijk = ""
        self.selected_entry = ""
        return self._sync_url()

    @rx.event
    def pick_search_result(self, kind: str, key: str, buurtcode: str, wijkcode: str):
        self.search_query = ""
        if kind == "wijk":
            return self.select_wijk(key)
        if buurtcode:
            return self.focus_buurt(buurtcode)
        if wijkcode:
            return self.select_wijk(wijkcode)
        # Works city-wide or in several wijken: show the entry itself.
        self.selected_buurt = self.selected_wijk = ""
        self.selected_entry = f"{kind}:{key}"
        return self._sync_url()

    @rx.event
    def set_search_query(self, query: str):
        self.search_query = query[:100]

    @rx.event
    def set_filter(self, field: str, value: str):
        if field in FILTER_CHOICES and (value == "" or value in FILTER_CHOICES[field]):
            setattr(self, field, value)
            return self._sync_url()

    @rx.event
    def clear_filters(self):
        self.theme = self.kind = self.pillar = self.relation = self.status_filter = ""
        return self._sync_url()

    @rx.event
    def toggle_status(self, status: str):
        self.hidden_statuses = _toggled(self.hidden_statuses, status, STATUS_ORDER)

    @rx.event
    def toggle_kind(self, kind: str):
        self.hidden_kinds = _toggled(self.hidden_kinds, kind, FILTER_CHOICES["kind"])

    @rx.event
    def toggle_layer(self, layer: str):
        self.hidden_layers = _toggled(self.hidden_layers, layer, LAYERS)

    @rx.event
    def set_language(self, lang: str | list[str]):
        # A segmented control reports its value as str | list[str].
        lang = lang if isinstance(lang, str) else (lang[0] if lang else "")
        if lang in LANGUAGES:
            self.lang = lang
            return self._sync_url()

    @rx.event
    def set_list_tab(self, tab: str):
        self.list_tab = tab

    @rx.event
    def sort_buurten(self, key: str):
        if key not in view.BUURT_SORT_KEYS:
            return
        self.sort_descending = not self.sort_descending if key == self.sort_key else key == "inwoners"
        self.sort_key = key

    @rx.event
    def set_gap_ranking(self, ranking: str | list[str]):
        ranking = ranking if isinstance(ranking, str) else (ranking[0] if ranking else "")
        if ranking in view.GAP_RANKINGS:
            self.gap_ranking = ranking


def _toggled(items: list[str], item: str, allowed) -> list[str]:
    if item in items:
        return [existing for existing in items if existing != item]
    return [*items, item] if item in allowed else items


SEARCH_INDEX = _search_index()
WIJK_BOUNDS = area_bounds(current_picture().boundaries.wijken)
BUURT_BOUNDS = area_bounds(current_picture().boundaries.buurten)
BUURT_WIJK = {code: str(wijk) for code, wijk in current_picture().boundaries.buurten["wijkcode"].items()}
