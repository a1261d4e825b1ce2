"""Per-user state of the dashboard: filters, what is shown, what is selected, the search and the lists.

Only codes, filters and small lists live here. The geometry is compiled into the page once; the analysis
is module-level (`samen030_map.picture`, filtered in `samen030_map.view`).

The link is the view: ``permalink`` is computed from every field a reader can change (selection,
filters, hidden legend rows and layers, language), and the page writes it into the address bar whenever
it changes (components/view_sync.py). ``load`` sets every one of those fields from the link, so a
reload or a shared link shows exactly what the link holds and nothing else.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from samen030_map import view
from samen030_map.core import growth
from samen030_map.export.mapview import FILTER_CHOICES, LAYERS, MapView
from samen030_map.i18n import LANGUAGES, ngettext
from samen030_map.labels import STATUS_ORDER
from samen030_map.picture import current_picture, geography, picture_in_year
from samen030_map.state.i18n import I18nState

# The permalink's vocabulary is export/mapview.py's: the app, the CLI and every export read one link.
MAX_SEARCH_RESULTS = 12
PLAY_STEP_S = 0.8
DOWNLOADS = ("png", "svg", "pdf", "handout", "html", "buurten-csv", "organisaties-csv", "plekken-csv", "buurten-geojson", "punten-geojson", "hsds")


def make_download(kind: str, picture, mapview) -> tuple[bytes, str, str]:
    """(data, file name, MIME type) of one download of this view (plain functions of export/)."""
    from samen030_map.export import files, html_map, pictures

    if mapview.year:  # the growth view: the registry as it was at the end of that year
        picture = picture_in_year(picture, mapview.year)
    if kind in pictures.MIME_TYPES:
        return pictures.render_picture(picture, mapview, kind), pictures.filename(mapview, kind), pictures.MIME_TYPES[kind]
    if kind == "handout":
        return pictures.render_handout(picture, mapview), "buurtkaart-handout.pdf", "application/pdf"
    if kind == "html":
        return html_map.render_html_map(picture, mapview), "buurtkaart.html", "text/html"
    return files.export_file(picture, mapview, kind)


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

    # At most one of these leads: an entry, else a buurt (with its wijk), else a wijk.
    selected_buurt: str = ""
    selected_wijk: str = ""
    selected_entry: str = ""  # view.entry_key of an organisation or place

    search_query: str = ""
    search_open: bool = False
    search_active: int = -1  # the highlighted result (keyboard), -1 for none

    list_tab: str = "buurten"
    sort_key: str = "buurtnaam"
    sort_descending: bool = False
    gap_ranking: str = "inwoners"

    # Where the map should go: bounds and a counter, so asking for the same place twice moves it twice.
    map_target: list[list[float]] = []
    map_target_seq: int = 0

    # "Klopt er iets niet?" about the opened entry (the resident's own text until it is sent).
    correction_open: bool = False
    correction_text: str = ""
    correction_contact: str = ""
    correction_error: str = ""
    correction_sent: bool = False

    # The presentation mode and its tour (in the link: presentatie=1&stap=N).
    presenting: bool = False
    tour_step: int = 0

    # The growth view: the coverage at the end of a year (0 = today), and whether it is playing.
    growth_year: int = 0
    growth_playing: bool = False

    # A download being made (its name), so the button can say so.
    preparing: str = ""

    # The registry revision this page shows; raised by the server when anyone saves (live.py), so
    # every figure, list and marker below is computed again and sent without a reload.
    revision: int = 0

    # ---- derived from filters ----

    def _filters(self) -> view.Filters:
        return view.Filters(self.theme, self.kind, self.pillar, self.relation)

    def _view(self) -> view.FilteredView:
        return view.filtered_view(self._filters(), self.revision)

    def _statuses(self) -> dict[str, str]:
        """The status per buurt as the map shows it: today's, or the growth view's year."""
        if self.growth_year:
            return growth.status_in_year(current_picture(self.revision), self.growth_year)
        return view.status_by_code(self._view())

    @rx.var
    def status_by_code(self) -> dict[str, str]:
        return self._statuses()

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
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for status in self._statuses().values():
            counts[status] += 1
        return counts

    @rx.var
    def kind_counts(self) -> dict[str, int]:
        # The growth view counts what had started by the end of its year, as its markers show.
        started = view.entry_start_years(self.revision) if self.growth_year else None
        return view.kind_counts(self._view(), started, self.growth_year)

    @rx.var
    def visible_entry_keys(self) -> list[str]:
        """Entry keys whose markers are shown: passing the filters, kind and layer switched on."""
        filtered = self._view()
        # The growth view marks only what had started by the end of its year (nothing without a year).
        started = view.entry_start_years(self.revision) if self.growth_year else {}
        keys = []
        for key, row in view.all_entry_rows("nl", self.revision).items():
            layer = "organisaties" if row["entity"] == "organisation" else "plekken"
            if self.growth_year and started.get(key, self.growth_year + 1) > self.growth_year:
                continue
            if filtered.keeps(row["entity"], row["id"]) and row["kind"] not in self.hidden_kinds and layer not in self.hidden_layers:
                keys.append(key)
        return keys

    @rx.var
    def markers_geojson(self) -> dict[str, Any]:
        return view.markers_geojson(self.revision)

    @rx.var
    def nothing_passes_filters(self) -> bool:
        filtered = self._view()
        return self._filters().active() and not (filtered.organisation_ids or filtered.meeting_place_ids)

    @rx.var
    def filters_active(self) -> bool:
        return any((self.theme, self.kind, self.pillar, self.relation, self.status_filter))

    def _mapview(self) -> MapView:
        """This page's view as the one value the exports share (every field read by name, so Reflex
        sees what the computed vars below depend on)."""
        return MapView(
            filters=self._filters(),
            status_filter=self.status_filter,
            hidden_statuses=tuple(self.hidden_statuses),
            hidden_kinds=tuple(self.hidden_kinds),
            hidden_layers=tuple(self.hidden_layers),
            buurt=self.selected_buurt,
            wijk=self.selected_wijk,
            entry=self.selected_entry,
            lang=self.lang,
            year=self.growth_year,
            presentation=self.presenting,
            step=self.tour_step,
        )

    @rx.var
    def filter_summary(self) -> str:
        """The filters in force, in words, for the banner on the map ("" when none)."""
        return self._mapview().filter_summary(self.lang)

    # ---- the selection ----

    @rx.var
    def buurt(self) -> dict[str, Any]:
        return view.buurt_detail(self._view(), self.selected_buurt, self.lang) if self.selected_buurt else {}

    @rx.var
    def entry(self) -> dict[str, Any]:
        return view.all_entry_rows(self.lang, self.revision).get(self.selected_entry, {})

    @rx.var
    def highlight_codes(self) -> list[str]:
        """Buurten outlined on the map: the werkgebied of the opened organisation or place, or the
        buurten the presentation's step lists."""
        if self.presenting:
            return self.tour.get("highlight", [])
        return view.entry_highlight(self.selected_entry, self.revision) if self.selected_entry else []

    @rx.var
    def wijk(self) -> dict[str, Any]:
        return view.wijk_summary(self._view(), self.selected_wijk, self.lang) if self.selected_wijk else {}

    @rx.var
    def permalink(self) -> str:
        """The address of this view; see the module docstring."""
        return self._mapview().link()

    # ---- figures and lists ----

    @rx.var
    def city(self) -> dict[str, Any]:
        return view.city_summary(self._view(), self.lang)

    @rx.var
    def wijk_cards(self) -> list[dict[str, Any]]:
        filtered = self._view()
        return [view.wijk_summary(filtered, code, self.lang) for code in filtered.coverage.wijken.index]

    @rx.var
    def organisation_kind_rows(self) -> list[dict[str, Any]]:
        return view.kind_count_rows(self._view(), "organisation", self.lang)

    @rx.var
    def place_kind_rows(self) -> list[dict[str, Any]]:
        return view.kind_count_rows(self._view(), "meeting_place", self.lang)

    @rx.var
    def chart_rows(self) -> list[dict[str, Any]]:
        return view.status_per_wijk(self._view())

    @rx.var
    def buurt_list(self) -> list[dict[str, Any]]:
        rows = [row for row in view.buurt_rows(self._view(), self.lang) if row["status"] in self.visible_statuses]
        return view.sort_buurt_rows(rows, self.sort_key, self.sort_descending)

    @rx.var
    def organisation_list(self) -> list[dict[str, Any]]:
        rows = view.entry_rows(self._view(), "organisation", self.lang)
        return [row for row in rows if row["kind"] not in self.hidden_kinds]

    @rx.var
    def place_list(self) -> list[dict[str, Any]]:
        rows = view.entry_rows(self._view(), "meeting_place", self.lang)
        return [row for row in rows if row["kind"] not in self.hidden_kinds]

    @rx.var
    def gaps(self) -> list[dict[str, Any]]:
        return view.ranked_gaps(self._view(), self.gap_ranking, self.lang)

    @rx.var
    def search_results(self) -> list[dict[str, str]]:
        if not self.search_query.strip():
            return []
        return [
            {
                "kind": r.kind,
                "key": r.key,
                "label": r.label,
                "detail": view.search_detail(r, self.lang),
                "buurtcode": r.buurtcode,
                "wijkcode": r.wijkcode,
            }
            for r in view.search_index(self.revision).search(self.search_query, limit=MAX_SEARCH_RESULTS)
        ]

    @rx.var
    def search_status(self) -> str:
        """What a screen reader hears about the result list."""
        if not self.search_query.strip():
            return ""
        count = len(view.search_index(self.revision).search(self.search_query, limit=MAX_SEARCH_RESULTS))
        return ngettext("{n} resultaat", "{n} resultaten", count, self.lang)

    # ---- loading a link ----

    @rx.event
    def load(self):
        """On page load (also a reload or a shared link): set every field of the view from the URL.

        A field is only assigned when the URL changes it: Reflex marks an assigned field dirty even when
        its value stays the same, and then recomputes and sends every computed var that reads it.
        """
        revision = current_picture().revision
        link = MapView.from_link("?" + urlencode(self.router.url.query_parameters), current_picture(revision))
        wanted: dict[str, Any] = {
            "revision": revision,
            "lang": link.lang,
            "theme": link.filters.theme,
            "kind": link.filters.kind,
            "pillar": link.filters.pillar,
            "relation": link.filters.relation,
            "status_filter": link.status_filter,
            "hidden_statuses": list(link.hidden_statuses),
            "hidden_kinds": list(link.hidden_kinds),
            "hidden_layers": list(link.hidden_layers),
            "selected_entry": link.entry,
            "selected_buurt": link.buurt,
            "selected_wijk": link.wijk,
            "growth_year": link.year,
            "presenting": link.presentation,
            "tour_step": link.step,
        }
        for field, value in wanted.items():
            if getattr(self, field) != value:
                setattr(self, field, value)
        self.search_query, self.search_open, self.growth_playing = "", False, False
        first, last = self.growth_span
        if self.growth_year and not first <= self.growth_year <= last:
            self.growth_year = 0
        if self.presenting:
            self.tour_step = min(self.tour_step, len(self._tour_steps()) - 1)
            return self._show_step()
        bounds = self._selection_bounds()
        if bounds:
            self._fly_to(bounds)

    def _selection_bounds(self) -> list[list[float]] | None:
        if self.selected_entry:
            return view.entry_bounds(self.selected_entry, self.revision) or CITY_BOUNDS
        if self.selected_buurt:
            return BUURT_BOUNDS[self.selected_buurt]
        if self.selected_wijk:
            return WIJK_BOUNDS[self.selected_wijk]
        return None

    def _fly_to(self, bounds: list[list[float]]) -> None:
        self.map_target = bounds
        self.map_target_seq += 1

    # ---- selecting ----

    def _select(self, buurt: str = "", wijk: str = "", entry: str = "") -> None:
        self.selected_buurt, self.selected_wijk, self.selected_entry = buurt, wijk, entry
        self.correction_open = self.correction_sent = False
        self.correction_text = self.correction_contact = self.correction_error = ""

    @rx.event
    def select_buurt(self, code: str):
        """A click on the map: select the buurt, without moving the map under the user's hand."""
        if code in BUURT_WIJK:
            self._select(buurt=code, wijk=BUURT_WIJK[code])

    @rx.event
    def focus_buurt(self, code: str):
        """A pick from the search, a list or the ranked gaps: select the buurt and zoom to it."""
        if code in BUURT_WIJK:
            self._select(buurt=code, wijk=BUURT_WIJK[code])
            self._fly_to(BUURT_BOUNDS[code])

    @rx.event
    def select_wijk(self, code: str):
        if code in WIJK_BOUNDS:
            self._select(wijk=code)
            self._fly_to(WIJK_BOUNDS[code])

    @rx.event
    def open_entry(self, key: str):
        """Open an organisation's or place's own card, highlight its werkgebied and zoom to it."""
        if key in view.all_entry_rows("nl", self.revision):
            self._select(entry=key)
            self._fly_to(view.entry_bounds(key, self.revision) or CITY_BOUNDS)

    @rx.event
    def marker_click(self, keys: list[str]):
        """A marker of one entry opens it; a marker of several spreads out on the map (in the browser)."""
        if isinstance(keys, list) and len(keys) == 1 and isinstance(keys[0], str) and keys[0] in view.all_entry_rows("nl", self.revision):
            self._select(entry=keys[0])

    @rx.event
    def clear_selection(self):
        self._select()

    # ---- the presentation mode ----

    def _tour_steps(self) -> list[dict[str, Any]]:
        return view.tour_steps(self._view(), self.lang)

    @rx.var
    def tour(self) -> dict[str, Any]:
        """The step on screen ({} when not presenting, so a normal page never computes the tour)."""
        if not self.presenting:
            return {}
        steps = self._tour_steps()
        step = min(self.tour_step, len(steps) - 1)
        return steps[step] | {"number": step + 1, "of": len(steps), "first": step == 0, "last": step == len(steps) - 1}

    def _show_step(self) -> None:
        area = self._tour_steps()[self.tour_step]["area"]
        self._select(wijk=area) if area else self._select()
        self._fly_to(WIJK_BOUNDS[area] if area else CITY_BOUNDS)

    @rx.event
    def start_presentation(self):
        self.presenting, self.tour_step = True, 0
        self._show_step()

    @rx.event
    def tour_next(self):
        if self.presenting and self.tour_step < len(self._tour_steps()) - 1:
            self.tour_step += 1
            self._show_step()

    @rx.event
    def tour_previous(self):
        if self.presenting and self.tour_step > 0:
            self.tour_step -= 1
            self._show_step()

    @rx.event
    def stop_presentation(self):
        self.presenting, self.tour_step = False, 0

    # ---- growth over time ----

    @rx.var
    def growth_rows(self) -> list[dict[str, Any]]:
        return [row | {"inwoners_k": round(row["inwoners_gedekt"] / 1000, 1)} for row in growth.growth_series(current_picture(self.revision)).rows()]

    @rx.var
    def growth_span(self) -> list[int]:
        series = growth.growth_series(current_picture(self.revision))
        return [series.first_year or 0, series.last_year or 0]

    @rx.var
    def growth_year_text(self) -> str:
        return self._mapview().year_text(self.lang)

    @rx.var
    def growth_unknown(self) -> list[int]:
        """How many organisations and places have no known start year ("jaar onbekend")."""
        series = growth.growth_series(current_picture(self.revision))
        return [len(series.unknown_organisations), len(series.unknown_meeting_places)]

    @rx.event
    def set_growth_year(self, value: list[int | float] | int | float):
        value = value[0] if isinstance(value, list) and value else value
        first, last = self.growth_span
        try:
            year = int(value)
        except (TypeError, ValueError):
            return
        self.growth_year = year if first <= year <= last else 0

    @rx.event
    def stop_growth(self):
        self.growth_year, self.growth_playing = 0, False

    @rx.event(background=True)
    async def play_growth(self):
        """Step through the years, one every PLAY_STEP_S, until the last year or until stopped."""
        async with self:
            if self.growth_playing:
                self.growth_playing = False
                return
            first, last = self.growth_span
            self.growth_playing = True
            self.growth_year = first if not self.growth_year or self.growth_year >= last else self.growth_year
        while True:
            await asyncio.sleep(PLAY_STEP_S)
            async with self:
                if not self.growth_playing or self.growth_year >= self.growth_span[1]:
                    self.growth_playing = False
                    return
                self.growth_year += 1

    # ---- downloads: pictures and files of this view, made on the server ----

    @rx.event(background=True)
    async def download(self, kind: str):
        """A picture (png, svg, pdf), the handout, a file (see export/files.py EXPORTS) or the offline HTML."""
        if kind not in DOWNLOADS:
            return
        async with self:
            mapview, revision = self._mapview(), self.revision
            self.preparing = kind
        try:
            data, filename, mime = await asyncio.to_thread(make_download, kind, current_picture(revision), mapview)
        finally:
            async with self:
                self.preparing = ""
        return rx.download(data=data, filename=filename, mime_type=mime)

    # ---- "klopt er iets niet?" (a public write, limited per session and address) ----

    @rx.event
    def open_correction(self):
        self.correction_open = bool(self.selected_entry)

    @rx.event
    def set_correction_text(self, text: str):
        self.correction_text = str(text)[:2100]

    @rx.event
    def set_correction_contact(self, text: str):
        self.correction_contact = str(text)[:600]

    @rx.event
    def send_correction(self):
        from samen030_map.db import store, submissions

        try:
            submissions.submit_correction(
                store.engine(), self.selected_entry, self.correction_text, self.correction_contact,
                view.all_entry_rows("nl", self.revision), client=self.router.session.client_ip, browser=self.router.session.client_token,
            )  # fmt: skip
        except submissions.SubmissionRefused as refused:
            self.correction_error = str(refused) + (" " + "; ".join(refused.problems.values()) if refused.problems else "")
            return
        self.correction_sent, self.correction_open, self.correction_text, self.correction_contact = True, False, "", ""

    # ---- search ----

    @rx.event
    def set_search_query(self, query: str):
        self.search_query = query[:100]
        self.search_open = True
        self.search_active = 0 if self.search_query.strip() else -1

    @rx.event
    def open_search(self):
        self.search_open = True

    @rx.event
    def close_search(self):
        self.search_open = False
        self.search_active = -1

    @rx.event
    def search_key(self, key: str):
        """Arrows move through the results, Enter picks the highlighted one, Escape closes the list."""
        results = self.search_results
        if key == "Escape":
            self.close_search()
        elif key in ("ArrowDown", "ArrowUp") and results:
            self.search_open = True
            step = 1 if key == "ArrowDown" else -1
            self.search_active = (self.search_active + step) % len(results) if self.search_active >= 0 else 0
        elif key == "Enter" and results and self.search_open:
            result = results[max(self.search_active, 0)]
            self.pick_search_result(result["kind"], result["key"])

    @rx.event
    def pick_search_result(self, kind: str, key: str):
        self.search_query = ""
        self.close_search()
        if kind == "wijk":
            self.select_wijk(key)
        elif kind == "buurt":
            self.focus_buurt(key)
        elif kind in view.ENTITY_PARAMS:
            self.open_entry(view.entry_key(kind, key))

    # ---- filters, legend, layers, language ----

    @rx.event
    def set_filter(self, field: str, value: str):
        if field in FILTER_CHOICES and (value == "" or value in FILTER_CHOICES[field]):
            setattr(self, field, value)

    @rx.event
    def clear_filters(self):
        self.theme = self.kind = self.pillar = self.relation = self.status_filter = ""

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

    @rx.event
    def set_list_tab(self, tab: str):
        if tab in ("buurten", "organisaties", "plekken"):
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

    def __getstate__(self):
        """What Redis keeps of a page (several workers): its fields, not the values computed from them.

        Reflex pickles computed values with the state (about 90 KB a page: lists, markers, figures);
        they all follow from the fields and the worker's own picture, and are computed again when a
        change needs them, so a page's stored state stays a few KB."""
        return {name: value for name, value in super().__getstate__().items() if not name.startswith("__cached_")}


def _toggled(items: list[str], item: str, allowed) -> list[str]:
    if item in items:
        return [existing for existing in items if existing != item]
    return [*items, item] if item in allowed else items


# From the boundary files only: importing this module never touches the database.
WIJK_BOUNDS = geography().wijk_bounds
BUURT_BOUNDS = geography().buurt_bounds
CITY_BOUNDS = geography().city_bounds
BUURT_WIJK = geography().buurt_wijk
