"""What the dashboard shows, as small JSON-ready dicts: the bridge between the analysed picture and state.

Plain Python (no Reflex), so every figure on the page can be tested without a browser.

Coverage is always the real coverage: the map's statuses come from the counted kinds of the whole
registry. The registry filters (theme, kind, pillar, SAMEN030 relation) only decide which organisations
and places are shown as markers, list rows and cards; a filter can never repaint a buurt.

Words and numbers are formatted here for the reader's language (``lang``); the core only returns facts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from samen030_map.core.coverage import STATUSES
from samen030_map.core.registry import PUBLISHED_STATUSES, RegistryEntry
from samen030_map.core.search import SearchIndex, SearchResult, build_search_index
from samen030_map.i18n import format_number, ngettext, translate
from samen030_map.labels import (
    ENTITY_LABELS,
    ENTRY_STATUS_LABELS,
    KIND_LABELS,
    KIND_SYMBOLS,
    PILLAR_LABELS,
    PRECISION_LABELS,
    RELATION_LABELS,
    STATUS_ORDER,
)
from samen030_map.picture import Picture, area_bounds, current_picture, marker_rows, picture_of, plain

GAP_RANKINGS = {"inwoners": "inwoners", "ouderen": "pct_65_plus", "kinderen": "pct_0_15"}
BUURT_SORT_KEYS = ("buurtnaam", "wijknaam", "status", "inwoners")
ENTITY_PARAMS = {"organisation": "org", "meeting_place": "plek"}  # permalink parameter per entity


def entry_key(entity: str, entry_id: str) -> str:
    """The one way to name a registry entry across both tables: '<entity>:<id>'."""
    return f"{entity}:{entry_id}"


def split_entry_key(key: str) -> tuple[str, str]:
    """'<entity>:<id>' -> (entity, id); ("", "") for anything else."""
    entity, _, entry_id = key.partition(":")
    return (entity, entry_id) if entity in ENTITY_PARAMS and entry_id else ("", "")


@dataclass(frozen=True)
class Filters:
    """Registry filters; an empty string means 'all'. They choose what is listed, never the coverage."""

    theme: str = ""
    kind: str = ""
    pillar: str = ""
    relation: str = ""

    def keeps(self, entry: RegistryEntry) -> bool:
        return (
            (not self.theme or self.theme in entry.themes)
            and (not self.kind or entry.kind == self.kind)
            and (not self.pillar or self.pillar in entry.pillars)
            and (not self.relation or entry.samen030_relation == self.relation)
        )

    def active(self) -> bool:
        return any((self.theme, self.kind, self.pillar, self.relation))


@dataclass(frozen=True)
class FilteredView:
    """The real coverage, and the organisations and places that pass the filters."""

    picture: Picture
    organisation_ids: frozenset[str]
    meeting_place_ids: frozenset[str]

    @property
    def coverage(self):
        return self.picture.coverage

    def keeps(self, entity: str, entry_id: str) -> bool:
        kept = self.organisation_ids if entity == "organisation" else self.meeting_place_ids
        return entry_id in kept


def filtered_view(filters: Filters, min_revision: int = 0) -> FilteredView:
    """The organisations and places that pass the filters; the coverage stays the picture's own.

    Of this process's current picture (never older than `min_revision`), cached with it per filters."""
    picture = current_picture(min_revision)

    def compute() -> FilteredView:
        organisation_ids = frozenset(e.id for e in picture.organisation_entries if filters.keeps(e))
        place_ids = frozenset(e.id for e in picture.meeting_place_entries if filters.keeps(e))
        return FilteredView(picture, organisation_ids, place_ids)

    return picture.cached(("view", filters), compute)


def map_year(picture: Picture, mapview) -> int:
    """The growth year a view shows: its own, or 0 (today) when the registry's span does not hold it,
    as the dashboard does."""
    from samen030_map.core import growth

    if not mapview.year:
        return 0
    series = growth.growth_series(picture)
    return mapview.year if (series.first_year or 0) <= mapview.year <= (series.last_year or 0) else 0


def map_statuses(picture: Picture, mapview) -> dict[str, str]:
    """The status per buurt the map draws for a view: today's, or at the end of its growth year."""
    from samen030_map.core import growth

    year = map_year(picture, mapview)
    if year:
        return growth.status_in_year(picture, year)
    return {code: str(status) for code, status in picture.coverage.buurten["status"].items()}


def status_by_code(view: FilteredView) -> dict[str, str]:
    return {code: str(status) for code, status in view.coverage.buurten["status"].items()}


# ---- buurt list and ranked gaps --------------------------------------------------------------


def buurt_rows(view: FilteredView, lang: str = "nl") -> list[dict[str, Any]]:
    """One row per buurt for the list (no geometry); inhabitants also as text in the reader's notation.
    Cached with the picture: every page asks for it again after each change of its filters."""
    return view.picture.cached(("buurt-rows", lang), lambda: _buurt_rows(view, lang))


def _buurt_rows(view: FilteredView, lang: str) -> list[dict[str, Any]]:
    rows = []
    for code, buurt in view.coverage.buurten.iterrows():
        inwoners = plain(buurt["inwoners"])
        rows.append(
            {
                "code": code,
                "name": buurt["buurtnaam"],
                "wijkcode": buurt["wijkcode"],
                "wijknaam": buurt["wijknaam"],
                "status": buurt["status"],
                "inwoners": inwoners,
                "inwoners_text": format_number(inwoners, lang),
                "pct_0_15": plain(buurt["pct_0_15"]),
                "pct_65_plus": plain(buurt["pct_65_plus"]),
                "organisations": len(buurt["organisation_ids"]),
            }
        )
    return rows


def sort_buurt_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Sort by name, wijk, status (legend order: open first) or inhabitants; unknown figures always last."""
    column = {"buurtnaam": "name", "wijknaam": "wijknaam", "status": "status", "inwoners": "inwoners"}.get(key, "name")

    def sort_key(row: dict[str, Any]):
        value = row[column]
        if column == "status":
            value = STATUS_ORDER.index(value) if value in STATUS_ORDER else len(STATUS_ORDER)
        elif isinstance(value, str):
            value = _alphabetical(value)
        return (value, _alphabetical(row["name"]))

    known = [row for row in rows if row[column] is not None]
    unknown = [row for row in rows if row[column] is None]
    return sorted(known, key=sort_key, reverse=descending) + unknown


def _alphabetical(text: str) -> str:
    """Sort key that ignores case and accents (Máximapark sorts under M)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def ranked_gaps(view: FilteredView, ranking: str, lang: str = "nl", limit: int = 25) -> list[dict[str, Any]]:
    """Open buurten, most inhabitants (or highest share 65+ / 0–15) first; unknown figures left out."""
    column = GAP_RANKINGS.get(ranking, "inwoners")
    buurten = view.coverage.buurten
    open_buurten = buurten[(buurten["status"] == "open") & buurten[column].notna()]
    ordered = open_buurten.sort_values([column, "inwoners"], ascending=False).head(limit)
    unit = "" if column == "inwoners" else "%"
    return [
        {
            "code": code,
            "name": row["buurtnaam"],
            "wijknaam": row["wijknaam"],
            "value": format_number(plain(row[column]), lang) + unit,
        }
        for code, row in ordered.iterrows()
    ]


# ---- organisations and places ----------------------------------------------------------------


def entry_area_buurten(entry: RegistryEntry, picture: Picture) -> list[str]:
    """The buurtcodes of an entry's werkgebied: its buurten, or every buurt of its wijken; [] for the city."""
    buurten = picture.boundaries.buurten
    if entry.area_level == "buurt":
        return [code for code in entry.area_codes if code in buurten.index]
    if entry.area_level == "wijk":
        return sorted(buurten.index[buurten["wijkcode"].isin(entry.area_codes)])
    return []


def _area_text(entry: RegistryEntry, picture: Picture, lang: str) -> str:
    if entry.area_level == "stad":
        return translate("Heel Utrecht", lang)
    buurten, wijken = picture.boundaries.buurten, picture.boundaries.wijken
    names = [
        buurten.loc[code, "buurtnaam"] if code in buurten.index else wijken.loc[code, "wijknaam"] if code in wijken.index else code
        for code in entry.area_codes
    ]
    if entry.area_level == "wijk":
        return ngettext("Wijk {names}", "Wijken {names}", len(names), lang).replace("{names}", ", ".join(names))
    return ", ".join(names)


def _web_link(url: str) -> dict[str, str] | None:
    """A link for the page, only for http(s) addresses; the text is the site's name (e.g. nu.nl)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.hostname or parts.netloc
    return {"url": url.strip(), "text": host.removeprefix("www.")}


def entry_row(entry: RegistryEntry, picture: Picture, lang: str = "nl") -> dict[str, Any]:
    """An organisation or meeting place with everything that is known about it, in the reader's language.

    Public fields only (the picture holds no others). Provenance is always stated: the sources (or that
    there is none), when a coordinator last checked it or that nobody has yet, when the data was read
    from the source, how precise the location is, when it last changed; themes derived from the kind
    say so; a founding date says how it was derived and whether the event was the start itself.
    """
    key = entry_key(entry.entity, entry.id)
    sources = [link for url in entry.source_url.split(";") if (link := _web_link(url))]
    website = _web_link(entry.website)
    relation = "" if entry.samen030_relation == "onbekend" else RELATION_LABELS.get(entry.samen030_relation, "")
    changed = picture.last_changed.get(key)
    return {
        "key": key,
        "id": entry.id,
        "entity": entry.entity,
        "entity_label": translate(ENTITY_LABELS.get(entry.entity, ""), lang),
        "name": entry.name,
        "kind": entry.kind,
        "kind_label": translate(KIND_LABELS.get(entry.kind, entry.kind), lang),
        "description": entry.description,
        "status": entry.status,
        "status_label": translate(ENTRY_STATUS_LABELS.get(entry.status, ""), lang),
        "themes": [translate(theme, lang) for theme in entry.themes],
        "pillars": [translate(PILLAR_LABELS[p], lang) for p in entry.pillars if p in PILLAR_LABELS],
        "themes_derived": bool(entry.themes_derived and (entry.themes or entry.pillars)),
        "relation": entry.samen030_relation,
        "relation_label": translate(relation, lang) if relation else "",
        "area_heading": translate("Werkt in", lang) if entry.entity == "organisation" else translate("Ligt in", lang),
        "area": _area_text(entry, picture, lang),
        "area_level": entry.area_level,
        "area_codes": list(entry.area_codes),
        "address": " ".join(part for part in (entry.address, entry.postcode) if part),
        "precision": entry.location_precision,
        "precision_label": translate(PRECISION_LABELS.get(entry.location_precision, ""), lang),
        "approximate": entry.location_precision != "adres",
        "founded": _founded_text(entry, lang),
        "founded_source": link["url"] if (link := _web_link(entry.founded_source)) else "",
        "website": website["url"] if website else "",
        "website_text": website["text"] if website else "",
        "sources": sources,
        "source_text": entry.source_text,
        "no_source": not sources and not entry.source_text,
        "checked": _date_text(entry.checked_on, lang) if entry.checked_on else "",
        "source_read": _date_text(entry.source_read_on, lang) if entry.source_read_on else "",
        "changed": _date_text(changed.date(), lang) if changed else "",
        "note": entry.note,
    }


MONTH_LABELS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def _date_text(day, lang: str) -> str:
    """1 december 2026 / 1 December 2026."""
    return f"{day.day} {translate(MONTH_LABELS[day.month - 1], lang)} {day.year}"


def _founded_text(entry: RegistryEntry, lang: str) -> str:
    """'2019-03: wijkcoöperatie opgericht' plus how the date was derived, or that it is no founding."""
    if not entry.founded:
        return ""
    text = f"{entry.founded}: {entry.founded_event}" if entry.founded_event else entry.founded
    if entry.founded_derived:
        text += f" ({translate('afgeleid', lang)}: {entry.founded_derived})"
    if not entry.founded_is_start:
        text += f" — {translate('dit is geen oprichtingsdatum', lang)}"
    return text


def all_entry_rows(lang: str = "nl", min_revision: int = 0) -> dict[str, dict[str, Any]]:
    """Every published entry by entry_key (ids are unique within an entity only), in one language."""
    picture = current_picture(min_revision)

    def compute():
        return {
            entry_key(entry.entity, entry.id): entry_row(entry, picture, lang)
            for entry in [*picture.organisation_entries, *picture.meeting_place_entries]
        }

    return picture.cached(("rows", lang), compute)


def entries_by_key(min_revision: int = 0) -> dict[str, RegistryEntry]:
    picture = current_picture(min_revision)
    return picture.cached("entries", lambda: {entry_key(e.entity, e.id): e for e in [*picture.organisation_entries, *picture.meeting_place_entries]})


def entry_start_years(min_revision: int = 0) -> dict[str, int]:
    """entry_key -> start year, for the entries that have one (core/growth.py's rules)."""
    from samen030_map.core.growth import start_year

    picture = current_picture(min_revision)

    def compute() -> dict[str, int]:
        years = {key: start_year(entry) for key, entry in entries_by_key(min_revision).items()}
        return {key: year for key, year in years.items() if year is not None}

    return picture.cached("start-years", compute)


def entry_highlight(key: str, min_revision: int = 0) -> list[str]:
    """The buurten to highlight on the map for an opened entry (its werkgebied)."""
    entry = entries_by_key(min_revision).get(key)
    return entry_area_buurten(entry, current_picture(min_revision)) if entry else []


def entry_bounds(key: str, min_revision: int = 0) -> list[list[float]] | None:
    """Bounds to zoom to for an opened entry: its werkgebied; None for a city-wide entry."""
    codes = entry_highlight(key, min_revision)
    if not codes:
        return None
    buurten = current_picture(min_revision).boundaries.buurten
    merged = buurten.loc[codes].dissolve()
    merged.index = ["werkgebied"]
    return area_bounds(merged)["werkgebied"]


def entry_rows(view: FilteredView, entity: str, lang: str = "nl") -> list[dict[str, Any]]:
    rows = all_entry_rows(lang, view.picture.revision)
    kept = [row for row in rows.values() if row["entity"] == entity and view.keeps(entity, row["id"])]
    return sorted(kept, key=lambda row: _alphabetical(row["name"]))


# ---- the buurt panel -------------------------------------------------------------------------


def buurt_detail(view: FilteredView, code: str, lang: str = "nl") -> dict[str, Any]:
    """Everything the buurt panel shows; {} for an unknown code. Organisations and places pass the filters."""
    buurten = view.coverage.buurten
    if code not in buurten.index:
        return {}
    buurt = buurten.loc[code]
    rows = all_entry_rows(lang, view.picture.revision)
    nearest_id = plain(buurt["nearest_meeting_place_id"])
    nearest = rows.get(entry_key("meeting_place", nearest_id)) if nearest_id else None
    distance = plain(buurt["nearest_meeting_place_m"])
    return {
        "code": code,
        "name": buurt["buurtnaam"],
        "wijkcode": buurt["wijkcode"],
        "wijknaam": buurt["wijknaam"],
        "status": buurt["status"],
        "organisations": _kept_rows(view, rows, "organisation", buurt["organisation_ids"]),
        "meeting_places": _kept_rows(view, rows, "meeting_place", buurt["meeting_place_ids"]),
        "inwoners": _figure(buurt["inwoners"], lang),
        "pct_0_15": _figure(buurt["pct_0_15"], lang, "%"),
        "pct_65_plus": _figure(buurt["pct_65_plus"], lang, "%"),
        "pct_eenpersoons": _figure(buurt["pct_eenpersoons"], lang, "%"),
        "nearest_name": nearest["name"] if nearest else "",
        "nearest_key": nearest["key"] if nearest else "",
        "nearest_distance": _distance(distance, lang),
        "nearest_approximate": bool(buurt["nearest_is_approximate"]) if nearest else False,
    }


def _kept_rows(view: FilteredView, rows: dict, entity: str, ids) -> list[dict[str, Any]]:
    return [rows[key] for i in ids if view.keeps(entity, i) and (key := entry_key(entity, i)) in rows]


def _distance(metres: float | None, lang: str) -> str:
    """Distance in the reader's notation: 0 means the place is in the buurt itself."""
    if metres is None:
        return ""
    if metres == 0:
        return translate("in deze buurt", lang)
    if metres < 1000:
        return f"{format_number(max(10, round(metres, -1)), lang)} m"
    return f"{format_number(metres / 1000, lang, 1)} km"


def _figure(value: Any, lang: str, unit: str = "") -> str:
    """A CBS figure as text; CBS's withheld figures read 'onbekend', never a number."""
    value = plain(value)
    return translate("onbekend", lang) if value is None else format_number(value, lang) + unit


# ---- wijk and city ---------------------------------------------------------------------------


def wijk_summary(view: FilteredView, wijkcode: str, lang: str = "nl") -> dict[str, Any]:
    """A wijk's figures and the organisations and places (passing the filters) in it; cached with the picture."""
    key = ("wijk-summary", view.organisation_ids, view.meeting_place_ids, wijkcode, lang)
    return view.picture.cached(key, lambda: _wijk_summary(view, wijkcode, lang))


def _wijk_summary(view: FilteredView, wijkcode: str, lang: str) -> dict[str, Any]:
    wijken = view.coverage.wijken
    if wijkcode not in wijken.index:
        return {}
    organisations = _entries_in_wijk(view, wijkcode, "organisation", lang)
    places = _entries_in_wijk(view, wijkcode, "meeting_place", lang)
    return _summary(wijken.loc[wijkcode].to_dict(), lang) | {
        "code": wijkcode,
        "name": wijken.loc[wijkcode, "wijknaam"],
        "organisaties": len(organisations),
        "organisation_rows": organisations,
        "meeting_place_rows": places,
    }


def _entries_in_wijk(view: FilteredView, wijkcode: str, entity: str, lang: str) -> list[dict[str, Any]]:
    """Entries (passing the filters) whose werkgebied is the wijk or lies in it; city-wide ones left out."""
    buurten = view.coverage.buurten
    in_wijk = set(buurten.index[buurten["wijkcode"] == wijkcode])
    rows = []
    for row in entry_rows(view, entity, lang):
        codes = set(row["area_codes"])
        if wijkcode in codes or codes & in_wijk:
            rows.append(row)
    return rows


def city_summary(view: FilteredView, lang: str = "nl") -> dict[str, Any]:
    return _summary(view.coverage.city, lang) | {"code": "", "name": "Utrecht", "organisaties": len(view.organisation_ids)}


def _summary(figures: dict[str, Any], lang: str) -> dict[str, Any]:
    share = plain(figures["share_open"])
    return {
        "buurten": plain(figures["buurten"]),
        "counts": {status: plain(figures[status]) for status in STATUSES},
        "inwoners": _figure(figures["inwoners"], lang),
        "inwoners_open": _figure(figures["inwoners_open"], lang),
        "share_open": translate("onbekend", lang) if share is None else f"{share * 100:.0f}%",
    }


def kind_count_rows(view: FilteredView, entity: str, lang: str = "nl") -> list[dict[str, Any]]:
    """Entries per kind of one entity that pass the filters, most first (for the figures)."""
    counts: dict[str, int] = {}
    for row in entry_rows(view, entity):
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return [{"kind": kind, "label": translate(KIND_LABELS.get(kind, kind), lang), "count": n} for kind, n in ordered]


def kind_counts(view: FilteredView, start_years: dict[str, int] | None = None, year: int = 0) -> dict[str, int]:
    """Registry entries per kind that pass the filters (organisations and places together); with
    `start_years` (entry_start_years), only those started by the end of `year`."""
    counts: dict[str, int] = {}
    for key, row in all_entry_rows("nl", view.picture.revision).items():
        if start_years is not None and start_years.get(key, year + 1) > year:
            continue
        if view.keeps(row["entity"], row["id"]):
            counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return counts


def status_per_wijk(view: FilteredView) -> list[dict[str, Any]]:
    """Rows for the stacked bar chart: one per wijk, a count per status."""
    wijken = view.coverage.wijken
    return [{"wijk": row["wijknaam"], **{status: plain(row[status]) for status in STATUSES}} for _, row in wijken.iterrows()]


# ---- markers ---------------------------------------------------------------------------------


def marker_groups(min_revision: int = 0) -> list[dict[str, Any]]:
    """Located registry entries grouped per point (many share the approximate point of a buurt or wijk).

    Each group: lat/lon (EPSG:4326), the entry keys, names, kinds and entities, and whether the point is
    approximate. A click on a group of one opens that entry; a larger group spreads out on the map.
    """
    picture = current_picture(min_revision)
    return picture.cached("markers", lambda: _marker_groups(picture))


def markers_geojson(min_revision: int = 0) -> dict:
    """The marker groups as GeoJSON points (EPSG:4326); per entry its key, name, symbol and shape."""
    features = []
    for group in marker_groups(min_revision):
        shapes = ["place" if entity == "meeting_place" else "org" for entity in group["entities"]]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [group["lon"], group["lat"]]},
                "properties": {
                    "keys": group["keys"],
                    "names": group["names"],
                    "symbols": [KIND_SYMBOLS.get(kind, "?") for kind in group["kinds"]],
                    "shapes": shapes,
                    "shape": "place" if all(shape == "place" for shape in shapes) else "org",
                    "approximate": [group["approximate"]] * len(group["keys"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def search_index(min_revision: int = 0) -> SearchIndex:
    """The search index over the areas and the published entries of the current picture."""
    picture = current_picture(min_revision)
    return picture.cached("search", lambda: build_search_index(picture.boundaries, picture.organisations, picture.meeting_places))


def _marker_groups(picture: Picture) -> list[dict[str, Any]]:
    groups: dict[tuple[float, float], dict[str, Any]] = {}
    for row in [*marker_rows(picture.organisations), *marker_rows(picture.meeting_places)]:
        group = groups.setdefault(
            (row["lat"], row["lon"]),
            {"lat": row["lat"], "lon": row["lon"], "keys": [], "names": [], "kinds": [], "entities": [], "approximate": False},
        )
        group["keys"].append(entry_key(row["entity"], row["id"]))
        group["names"].append(row["name"])
        group["kinds"].append(row["kind"])
        group["entities"].append(row["entity"])
        group["approximate"] |= row["approximate"]
    return list(groups.values())


# ---- search ----------------------------------------------------------------------------------


def search_detail(result: SearchResult, lang: str = "nl") -> str:
    """The line under a search hit: what it is and where, in the reader's language."""
    if result.kind == "wijk":
        detail = ngettext("wijk met {n} buurt", "wijk met {n} buurten", result.buurt_count, lang)
    elif result.kind == "buurt":
        detail = translate("buurt in {wijk}", lang).replace("{wijk}", result.wijknaam)
    else:
        kind = translate(KIND_LABELS.get(result.entry_kind, result.entry_kind), lang).lower()
        detail = f"{kind} · {_search_area(result.area, lang)}"
        if result.address:
            detail += f" · {result.address}"
    if result.alias:
        detail = translate("ook bekend als {alias}", lang).replace("{alias}", result.alias) + f" — {detail}"
    if result.postcode:
        detail = f"{translate('postcode', lang)} {result.postcode} — {detail}"
    return detail


def _search_area(area: tuple, lang: str) -> str:
    what = area[0] if area else "onbekend"
    if what == "buurten":
        return ", ".join(area[1])
    if what == "buurten_in_wijk":
        return ngettext("{n} buurt in {wijk}", "{n} buurten in {wijk}", area[1], lang).replace("{wijk}", area[2])
    if what == "buurten_count":
        return ngettext("{n} buurt", "{n} buurten", area[1], lang)
    if what == "wijken":
        return ngettext("wijk {names}", "wijken {names}", len(area[1]), lang).replace("{names}", ", ".join(area[1]))
    if what == "stad":
        return translate("heel Utrecht", lang)
    return translate("buurt onbekend", lang)


# ---- what-if (the workspace's preview) -----------------------------------------------------------


def what_if(draft: RegistryEntry, lang: str = "nl", min_revision: int = 0) -> dict[str, Any]:
    """What saving `draft` would change in the coverage, before anything is saved.

    The draft replaces the stored entry with its key (or is added; a stopped one is taken away) in the
    published registry; the coverage is computed again. Out: the city figures before and after, the
    buurten whose status changes, and every buurt's status after (for the workspace map).
    """
    picture = current_picture(min_revision)
    key = entry_key(draft.entity, draft.id)
    lists = {"organisation": list(picture.organisation_entries), "meeting_place": list(picture.meeting_place_entries)}
    lists[draft.entity] = [e for e in lists[draft.entity] if entry_key(e.entity, e.id) != key]
    if draft.status in PUBLISHED_STATUSES:
        lists[draft.entity].append(draft)
    after = picture_of(picture.geography, picture.revision, lists["organisation"], lists["meeting_place"])
    before_status, after_status = picture.coverage.buurten["status"], after.coverage.buurten["status"]
    names = picture.coverage.buurten["buurtnaam"]
    changed = [
        {"code": code, "name": names[code], "before": before_status[code], "after": after_status[code]}
        for code in picture.coverage.buurten.index
        if before_status[code] != after_status[code]
    ]
    city_before, city_after = picture.coverage.city, after.coverage.city
    return {
        "open_before": city_before["open"],
        "open_after": city_after["open"],
        "gedekt_before": city_before["gedekt"],
        "gedekt_after": city_after["gedekt"],
        "inwoners_open_before": format_number(city_before["inwoners_open"], lang),
        "inwoners_open_after": format_number(city_after["inwoners_open"], lang),
        "changed": changed,
        "status_by_code": {code: str(status) for code, status in after_status.items()},
    }


# ---- the presentation's tour -------------------------------------------------------------------------


def tour_steps(view: FilteredView, lang: str = "nl") -> list[dict[str, Any]]:
    """The tour of the presentation mode: the city, then each wijk, then the buurten without an
    organisation with the most inhabitants. Each step: what to zoom to (`area`: "" = the city, a
    wijkcode), a title and a few facts to read from the back of a room. Cached with the picture."""
    key = ("tour", view.organisation_ids, view.meeting_place_ids, lang)
    return view.picture.cached(key, lambda: _tour_steps(view, lang))


TOUR_NAMES = 10  # organisations and places named on a wijk's step; the rest as "en nog N"
TOUR_GAPS = 8  # buurten ranked on the last step: what fits a 1920×1080 screen with the filter named


def _residents_line(summary: dict[str, Any], lang: str) -> str:
    return (
        translate("Inwoners in buurten zonder buurtorganisatie", lang)
        + f": {summary['inwoners_open']} {translate('van', lang)} {summary['inwoners']}"
    )


def _entries_line(organisations: int, places: int, lang: str) -> str:
    return ngettext("{n} organisatie", "{n} organisaties", organisations, lang) + " · " + ngettext("{n} ontmoetingsplek", "{n} ontmoetingsplekken", places, lang)


def _tour_step(area: str, title: str, counts: dict, facts: list[str], list_title: str = "", items: list[str] = (), names: list[str] = (), highlight: list[str] = ()) -> dict[str, Any]:
    """One step: `facts` are short lines, `items` a numbered list under `list_title` (its buurten
    outlined on the map: `highlight`), `names` the organisations and places (the first TOUR_NAMES,
    and how many more)."""
    return {
        "area": area,
        "highlight": list(highlight),
        "title": title,
        "counts": counts,
        "facts": facts,
        "list_title": list_title,
        "items": list(items),
        "names": list(names[:TOUR_NAMES]),
        "more": max(0, len(names) - TOUR_NAMES),
    }


def _tour_steps(view: FilteredView, lang: str) -> list[dict[str, Any]]:
    coverage = view.coverage
    city = city_summary(view, lang)
    steps = [
        _tour_step(
            "",
            translate("Heel Utrecht", lang),
            city["counts"],
            [_residents_line(city, lang), _entries_line(len(view.organisation_ids), len(view.meeting_place_ids), lang)],
        )
    ]
    buurten = coverage.buurten
    for code in coverage.wijken.index:
        wijk = wijk_summary(view, code, lang)
        open_buurten = buurten[(buurten["wijkcode"] == code) & (buurten["status"] == "open") & buurten["inwoners"].notna()]
        biggest = open_buurten.sort_values("inwoners", ascending=False).head(5)
        names = [row["name"] for row in wijk["organisation_rows"]] + [row["name"] for row in wijk["meeting_place_rows"]]
        steps.append(
            _tour_step(
                code,
                translate("Wijk {name}", lang).replace("{name}", wijk["name"]),
                wijk["counts"],
                [_residents_line(wijk, lang), _entries_line(len(wijk["organisation_rows"]), len(wijk["meeting_place_rows"]), lang)],
                translate("Meeste inwoners zonder buurtorganisatie", lang) if len(biggest) else "",
                [f"{row['buurtnaam']}: {format_number(plain(row['inwoners']), lang)}" for _, row in biggest.iterrows()],
                names,
                list(biggest.index),
            )
        )
    gaps = ranked_gaps(view, "inwoners", lang, limit=TOUR_GAPS)
    steps.append(
        _tour_step(
            "",
            translate("Buurten zonder buurtorganisatie", lang),
            city["counts"],
            [translate("Hier wonen mensen, maar is nog geen buurtorganisatie van bewoners.", lang)],
            translate("Meeste inwoners", lang),
            [f"{gap['name']} ({gap['wijknaam']}): {gap['value']}" for gap in gaps],
            highlight=[gap["code"] for gap in gaps],
        )
    )
    return steps
