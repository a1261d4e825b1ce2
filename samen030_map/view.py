"""What the dashboard shows, as small JSON-ready dicts: the bridge between the analysed picture and state.

Plain Python (no Reflex), so every figure on the page can be tested without a browser. Filters on the
registry (theme, kind, pillar, SAMEN030 relation) re-run the coverage rules of the core on the kept
organisations; the result per filter combination is cached, so an interaction costs a dict lookup.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from samen030_map.core.coverage import STATUSES, CoverageResult, analyse_coverage
from samen030_map.core.registry import RegistryEntry
from samen030_map.labels import KIND_LABELS, PRECISION_LABELS, RELATION_LABELS, STATUS_ORDER
from samen030_map.picture import Picture, current_picture, marker_rows, plain

GAP_RANKINGS = {"inwoners": "inwoners", "ouderen": "pct_65_plus", "kinderen": "pct_0_15"}
BUURT_SORT_KEYS = ("buurtnaam", "wijknaam", "status", "inwoners")


@dataclass(frozen=True)
class Filters:
    """Registry filters; an empty string means 'all'."""

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


@dataclass(frozen=True)
class FilteredView:
    coverage: CoverageResult
    organisation_ids: frozenset[str]
    meeting_place_ids: frozenset[str]


@functools.lru_cache(maxsize=256)
def filtered_view(filters: Filters) -> FilteredView:
    """Coverage computed on the organisations and places that pass the filters."""
    picture = current_picture()
    organisation_ids = frozenset(e.id for e in picture.organisation_entries if filters.keeps(e))
    place_ids = frozenset(e.id for e in picture.meeting_place_entries if filters.keeps(e))
    if filters == Filters():
        coverage = picture.coverage
    else:
        coverage = analyse_coverage(
            picture.boundaries,
            picture.organisations[picture.organisations["id"].isin(organisation_ids)],
            picture.meeting_places[picture.meeting_places["id"].isin(place_ids)],
        )
    return FilteredView(coverage, organisation_ids, place_ids)


def status_by_code(view: FilteredView) -> dict[str, str]:
    return {code: str(status) for code, status in view.coverage.buurten["status"].items()}


def buurt_rows(view: FilteredView) -> list[dict[str, Any]]:
    """One row per buurt for the list, the search and the ranked gaps (no geometry)."""
    rows = []
    for code, buurt in view.coverage.buurten.iterrows():
        rows.append(
            {
                "code": code,
                "name": buurt["buurtnaam"],
                "wijkcode": buurt["wijkcode"],
                "wijknaam": buurt["wijknaam"],
                "status": buurt["status"],
                "inwoners": plain(buurt["inwoners"]),
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


def ranked_gaps(view: FilteredView, ranking: str, limit: int = 25) -> list[dict[str, Any]]:
    """Open buurten, most inhabitants (or highest share 65+ / 0–15) first; unknown figures left out."""
    column = GAP_RANKINGS.get(ranking, "inwoners")
    buurten = view.coverage.buurten
    open_buurten = buurten[(buurten["status"] == "open") & buurten[column].notna()]
    ordered = open_buurten.sort_values([column, "inwoners"], ascending=False).head(limit)
    return [
        {
            "code": code,
            "name": row["buurtnaam"],
            "wijknaam": row["wijknaam"],
            "value": plain(row[column]),
            "inwoners": plain(row["inwoners"]),
        }
        for code, row in ordered.iterrows()
    ]


def entry_row(entry: RegistryEntry, picture: Picture) -> dict[str, Any]:
    """An organisation or meeting place as the panel and the lists show it."""
    buurten, wijken = picture.boundaries.buurten, picture.boundaries.wijken
    if entry.area_level == "stad":
        area = "Heel Utrecht"
    else:
        names = [
            buurten.loc[code, "buurtnaam"] if code in buurten.index else wijken.loc[code, "wijknaam"] if code in wijken.index else code
            for code in entry.area_codes
        ]
        area = ", ".join(names)
    return {
        "id": entry.id,
        "entity": entry.entity,
        "name": entry.name,
        "kind": entry.kind,
        "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
        "themes": list(entry.themes),
        "pillars": list(entry.pillars),
        "relation": entry.samen030_relation,
        "relation_label": RELATION_LABELS.get(entry.samen030_relation, entry.samen030_relation),
        "area": area,
        "area_level": entry.area_level,
        "area_codes": list(entry.area_codes),
        "address": entry.address,
        "precision": entry.location_precision,
        "precision_label": PRECISION_LABELS.get(entry.location_precision, ""),
        "approximate": entry.location_precision not in ("adres",),
        "website": entry.website,
        "sources": [url.strip() for url in entry.source_url.split(";") if url.strip()],
        "verified_on": entry.verified_on.isoformat() if entry.verified_on else "",
    }


@functools.cache
def all_entry_rows() -> dict[str, dict[str, Any]]:
    """Every registry entry by '<entity>:<id>' (ids are unique within an entity only)."""
    picture = current_picture()
    rows = {}
    for entry in [*picture.organisation_entries, *picture.meeting_place_entries]:
        rows[f"{entry.entity}:{entry.id}"] = entry_row(entry, picture)
    return rows


def entry_rows(view: FilteredView, entity: str) -> list[dict[str, Any]]:
    kept = view.organisation_ids if entity == "organisation" else view.meeting_place_ids
    rows = [row for row in all_entry_rows().values() if row["entity"] == entity and row["id"] in kept]
    return sorted(rows, key=lambda row: row["name"].casefold())


def buurt_detail(view: FilteredView, code: str) -> dict[str, Any]:
    """Everything the buurt panel shows; {} for an unknown code."""
    buurten = view.coverage.buurten
    if code not in buurten.index:
        return {}
    buurt = buurten.loc[code]
    rows = all_entry_rows()
    nearest_id = plain(buurt["nearest_meeting_place_id"])
    nearest = rows.get(f"meeting_place:{nearest_id}") if nearest_id else None
    distance = plain(buurt["nearest_meeting_place_m"])
    return {
        "code": code,
        "name": buurt["buurtnaam"],
        "wijkcode": buurt["wijkcode"],
        "wijknaam": buurt["wijknaam"],
        "status": buurt["status"],
        "organisations": [rows[f"organisation:{i}"] for i in buurt["organisation_ids"] if f"organisation:{i}" in rows],
        "meeting_places": [rows[f"meeting_place:{i}"] for i in buurt["meeting_place_ids"] if f"meeting_place:{i}" in rows],
        "inwoners": _figure(buurt["inwoners"]),
        "pct_0_15": _figure(buurt["pct_0_15"], "%"),
        "pct_65_plus": _figure(buurt["pct_65_plus"], "%"),
        "pct_eenpersoons": _figure(buurt["pct_eenpersoons"], "%"),
        "nearest_name": nearest["name"] if nearest else "",
        "nearest_distance": _distance(distance),
        "nearest_approximate": bool(buurt["nearest_is_approximate"]) if nearest else False,
    }


def _distance(metres: float | None) -> str:
    """Distance in Dutch notation: 0 means the place is in the buurt itself."""
    if metres is None:
        return ""
    if metres == 0:
        return "in deze buurt"
    if metres < 1000:
        return f"{max(10, round(metres, -1)):.0f} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")


def _figure(value: Any, unit: str = "") -> str:
    """A CBS figure as text; CBS's withheld figures read 'onbekend', never a number."""
    value = plain(value)
    if value is None:
        return "onbekend"
    return f"{value:,.0f}".replace(",", ".") + unit


def wijk_summary(view: FilteredView, wijkcode: str) -> dict[str, Any]:
    wijken = view.coverage.wijken
    if wijkcode not in wijken.index:
        return {}
    return _summary(wijken.loc[wijkcode].to_dict()) | {
        "code": wijkcode,
        "name": wijken.loc[wijkcode, "wijknaam"],
        "organisaties": _organisations_in_wijk(view, wijkcode),
    }


def _organisations_in_wijk(view: FilteredView, wijkcode: str) -> int:
    """Organisations (passing the filters) whose werkgebied is the wijk or lies in it; city-wide ones left out."""
    buurten = view.coverage.buurten
    ids: set[str] = set()
    for organisation_ids in buurten.loc[buurten["wijkcode"] == wijkcode, "organisation_ids"]:
        ids.update(organisation_ids)
    return len(ids & view.organisation_ids)


def city_summary(view: FilteredView) -> dict[str, Any]:
    return _summary(view.coverage.city) | {"code": "", "name": "Utrecht", "organisaties": len(view.organisation_ids)}


def _summary(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "buurten": plain(figures["buurten"]),
        "counts": {status: plain(figures[status]) for status in STATUSES},
        "inwoners": _figure(figures["inwoners"]),
        "inwoners_open": _figure(figures["inwoners_open"]),
        "share_open": f"{plain(figures['share_open']) * 100:.0f}%" if plain(figures["share_open"]) is not None else "onbekend",
    }


def kind_count_rows(view: FilteredView, entity: str) -> list[dict[str, Any]]:
    """Entries per kind of one entity that pass the filters, most first (for the figures)."""
    counts: dict[str, int] = {}
    for row in entry_rows(view, entity):
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return [{"kind": kind, "label": KIND_LABELS.get(kind, kind), "count": n} for kind, n in sorted(counts.items(), key=lambda item: -item[1])]


def kind_counts(view: FilteredView) -> dict[str, int]:
    """Registry entries per kind that pass the filters (organisations and places together)."""
    counts: dict[str, int] = {}
    for row in all_entry_rows().values():
        kept = view.organisation_ids if row["entity"] == "organisation" else view.meeting_place_ids
        if row["id"] in kept:
            counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return counts


def status_per_wijk(view: FilteredView) -> list[dict[str, Any]]:
    """Rows for the stacked bar chart: one per wijk, a count per status."""
    wijken = view.coverage.wijken
    return [{"wijk": row["wijknaam"], **{status: plain(row[status]) for status in STATUSES}} for _, row in wijken.iterrows()]


def marker_groups() -> list[dict[str, Any]]:
    """Located registry entries grouped per point (many share the approximate point of a buurt or wijk).

    Each group: lat/lon (EPSG:4326), the '<entity>:<id>' keys, the names, whether the point is approximate,
    and what a click selects: the buurt the entries are in, or the wijk for wijk-level entries.
    """
    picture = current_picture()
    rows = all_entry_rows()
    groups: dict[tuple[float, float], dict[str, Any]] = {}
    for row in [*marker_rows(picture.organisations), *marker_rows(picture.meeting_places)]:
        key = f"{row['entity']}:{row['id']}"
        group = groups.setdefault(
            (row["lat"], row["lon"]),
            {"lat": row["lat"], "lon": row["lon"], "keys": [], "names": [], "kinds": [], "entities": [], "approximate": False, "buurtcode": row["buurtcode"], "wijkcode": ""},
        )
        group["keys"].append(key)
        group["names"].append(row["name"])
        group["kinds"].append(row["kind"])
        group["entities"].append(row["entity"])
        group["approximate"] |= row["approximate"]
        entry = rows[key]
        if entry["area_level"] == "wijk" and len(entry["area_codes"]) == 1:
            group["wijkcode"] = entry["area_codes"][0]
    return list(groups.values())
