"""Coverage rules: which buurten have a resident-run organisation, and which are open.

The rules live in one place, ``_status``:

1. gedekt          a counted-kind organisation works on the buurt: its werkgebied (area_level
                   buurt) lists the buurt, or it has area_level buurt and its display point
                   (exact or approximate) lies in the buurt.
2. weinig bewoners otherwise, if the buurt has fewer inhabitants than the threshold or CBS
                   withheld the number (NaN).
3. wijkniveau      otherwise, if a counted-kind organisation works on the buurt's wijk (area_level wijk).
4. open            otherwise.

Organisations with area_level stad never cover a buurt: the city cooperative is the fallback, not
coverage. Everything is computed with joins (explode + merge, sjoin, sjoin_nearest), in EPSG:28992.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from samen030_map.core.boundaries import Boundaries
from samen030_map.core import config
from samen030_map.core.geo import points_to_buurten

STATUSES = ("gedekt", "wijkniveau", "weinig bewoners", "open")

REQUIRED_COLUMNS = ("id", "name", "kind", "area_level", "area_codes", "point_is_approximate")
BUURT_COLUMNS = (
    "buurtcode", "buurtnaam", "wijkcode", "wijknaam", "status",
    "organisation_ids", "organisation_names", "meeting_place_ids",
    "nearest_meeting_place_id", "nearest_meeting_place_m", "nearest_is_approximate",
    "inwoners", "pct_0_15", "pct_65_plus", "huishoudens", "pct_eenpersoons",
)  # fmt: skip


@dataclass
class CoverageResult:
    """Coverage per buurt, per wijk and for the whole city.

    buurten: DataFrame, index = buurtcode values, columns BUURT_COLUMNS. organisation_ids/names list
        every organisation (any kind, stad level excluded) whose werkgebied reaches the buurt, buurt
        level before wijk level, then in input order; meeting_place_ids the places in the buurt.
        nearest_meeting_place_m is the distance in metres from the buurt polygon (0 when inside), NaN
        when there are no meeting places.
    wijken: DataFrame, index = wijkcode values, columns wijkcode, wijknaam, buurten (count), one
        count column per status (named as the status), ``share_<status>`` (fraction 0..1),
        inwoners and inwoners_open (inhabitants, unknowns left out of the sum).
    city: the same figures as the wijken columns, for all of Utrecht, as plain Python numbers.
    """

    buurten: pd.DataFrame
    wijken: pd.DataFrame
    city: dict


def analyse_coverage(
    boundaries: Boundaries,
    organisations: gpd.GeoDataFrame,
    meeting_places: gpd.GeoDataFrame,
    counted_kinds: Iterable[str] | None = None,
    low_population_threshold: float | None = None,
) -> CoverageResult:
    """Coverage status of every buurt, with per-wijk and city aggregates.

    In: boundaries (EPSG:28992); organisations and meeting_places shaped like
    registry.entries_frame (id, name, kind, area_level, area_codes tuple, point_is_approximate and
    an active geometry column holding the display point, possibly None/empty), in any CRS; their
    points are reprojected to the buurten's CRS for the joins. Out: CoverageResult (no geometry).
    counted_kinds and low_population_threshold default to the settings in core.config.
    """
    if counted_kinds is None:
        counted_kinds = config.buurt_organisation_kinds()
    if low_population_threshold is None:
        low_population_threshold = config.low_population_threshold()
    _check_columns(organisations, "organisations")
    _check_columns(meeting_places, "meeting_places")
    buurten = boundaries.buurten
    n = len(buurten)

    organisation_links = _organisation_links(organisations, buurten)
    counted = organisations["kind"].isin(frozenset(counted_kinds)).to_numpy()[organisation_links["entry"].to_numpy()]
    by_buurt_level = organisation_links["rank"].to_numpy() == 0
    status = _status(
        buurten["inwoners"].to_numpy(),
        covered=_flags(organisation_links["buurt"][counted & by_buurt_level], n),
        wijk_covered=_flags(organisation_links["buurt"][counted & ~by_buurt_level], n),
        threshold=low_population_threshold,
    )
    place_links = _meeting_place_links(meeting_places, buurten)

    result = pd.DataFrame(buurten.drop(columns="geometry"))
    result["status"] = status
    result["organisation_ids"] = _gather(organisation_links, organisations["id"], buurten.index)
    result["organisation_names"] = _gather(organisation_links, organisations["name"], buurten.index)
    result["meeting_place_ids"] = _gather(place_links, meeting_places["id"], buurten.index)
    result = result.join(_nearest_meeting_places(buurten, meeting_places))
    result = result[list(BUURT_COLUMNS)]
    return CoverageResult(buurten=result, wijken=_wijk_summary(result, boundaries.wijken), city=_city_summary(result))


def _check_columns(frame: gpd.GeoDataFrame, name: str) -> None:
    """Fail early, with the missing column names, on input of the wrong shape."""
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks columns {missing}")


def _status(inwoners: np.ndarray, covered: np.ndarray, wijk_covered: np.ndarray, threshold: float) -> np.ndarray:
    """The coverage rules, in order of precedence (see the module docstring); arrays per buurt."""
    few = np.isnan(inwoners) | (inwoners < threshold)
    return np.select([covered, few, wijk_covered], ["gedekt", "weinig bewoners", "wijkniveau"], default="open")


def _flags(positions: pd.Series, n: int) -> np.ndarray:
    """A boolean array of length ``n``, True at the given buurt positions."""
    flags = np.zeros(n, dtype=bool)
    flags[positions.to_numpy(dtype=int)] = True
    return flags


# Links are DataFrames of integer positions: buurt (row in boundaries.buurten), entry (row in the
# organisations or meeting places), rank (0 = reaches the buurt itself, 1 = via its wijk). Integers
# keep sorting and de-duplicating fast; names and ids are looked up at the end.


def _organisation_links(organisations: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Which organisation reaches which buurt.

    A buurt-level organisation reaches the buurten it lists and the buurt its display point lies
    in (rank 0); a wijk-level one reaches every buurt of the wijken it lists (rank 1); stad level
    reaches none.
    """
    by_point = (organisations["area_level"] == "buurt").to_numpy()
    return _unique_links([_listed_links(organisations, buurten), _point_links(organisations, by_point, buurten)])


def _meeting_place_links(meeting_places: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Which meeting place lies in which buurt.

    A place is in a buurt when its werkgebied (area_level buurt) lists the buurt, or when its
    point lies in the buurt and is exact or stands in for that buurt. An approximate point
    standing in for a whole wijk says nothing about the buurt.
    """
    listed = _listed_links(meeting_places, buurten)
    exact = ~meeting_places["point_is_approximate"].astype(bool).to_numpy()
    trusted = exact | (meeting_places["area_level"] == "buurt").to_numpy()
    return _unique_links([listed[listed["rank"] == 0], _point_links(meeting_places, trusted, buurten)])


def _listed_links(entries: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Links from werkgebied codes: area_codes exploded, then buurt codes (area_level buurt,
    rank 0) looked up and wijk codes (area_level wijk, rank 1) merged with the wijk's buurten."""
    codes = pd.Series(entries["area_codes"].to_numpy(), dtype=object).explode().dropna()
    listed = pd.DataFrame(
        {
            "entry": codes.index.to_numpy(),
            "code": codes.to_numpy(dtype=object),
            "level": entries["area_level"].to_numpy(dtype=object)[codes.index.to_numpy()],
        }
    )
    buurt_level = listed[listed["level"] == "buurt"]
    in_buurt = pd.DataFrame(
        {"buurt": buurten.index.get_indexer(buurt_level["code"]), "entry": buurt_level["entry"], "rank": 0}
    )
    members = pd.DataFrame({"code": buurten["wijkcode"].to_numpy(dtype=object), "buurt": np.arange(len(buurten))})
    in_wijk = listed[listed["level"] == "wijk"].merge(members, on="code")[["buurt", "entry"]].assign(rank=1)
    return pd.concat([in_buurt, in_wijk], ignore_index=True)


def _point_links(entries: gpd.GeoDataFrame, use: np.ndarray, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Links from display points (sjoin via points_to_buurten) for the entries where ``use``; rank 0."""
    positions = np.flatnonzero(use)
    codes = points_to_buurten(entries.iloc[positions], buurten) if len(positions) else pd.Series([], dtype=object)
    return pd.DataFrame({"buurt": buurten.index.get_indexer(codes.to_numpy()), "entry": positions, "rank": 0})


def _unique_links(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One link per (buurt, entry), the lowest rank kept; sorted by buurt, rank, entry."""
    links = pd.concat(parts, ignore_index=True).astype(int)
    links = links[links["buurt"] >= 0].sort_values(["buurt", "rank", "entry"], kind="stable")
    return links.drop_duplicates(["buurt", "entry"]).reset_index(drop=True)


def _gather(links: pd.DataFrame, values: pd.Series, index: pd.Index) -> pd.Series:
    """Per buurt (``index`` = the buurten's index) the tuple of ``values`` its links point to."""
    taken = values.to_numpy(dtype=object)[links["entry"].to_numpy()]
    bounds = np.searchsorted(links["buurt"].to_numpy(), np.arange(len(index) + 1))  # links are sorted by buurt
    tuples = [tuple(taken[start:stop].tolist()) for start, stop in zip(bounds[:-1], bounds[1:])]
    return pd.Series(tuples, index=index, dtype=object)


def _nearest_meeting_places(buurten: gpd.GeoDataFrame, meeting_places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per buurt the nearest meeting place (sjoin_nearest from the polygon; 0 m when inside).

    In: buurten in EPSG:28992, meeting places in any CRS (reprojected to the buurten's CRS).
    Out: index = buurtcode values; nearest_meeting_place_id (None if no places),
    nearest_meeting_place_m (NaN if none), nearest_is_approximate. Ties prefer exact points.
    """
    out = pd.DataFrame(
        {
            "nearest_meeting_place_id": pd.Series([None] * len(buurten), index=buurten.index, dtype=object),
            "nearest_meeting_place_m": np.nan,
            "nearest_is_approximate": False,
        },
        index=buurten.index,
    )
    located = meeting_places[~(meeting_places.geometry.isna() | meeting_places.geometry.is_empty)]
    if located.empty:
        return out
    places = located[["id", "point_is_approximate", located.geometry.name]].to_crs(buurten.crs)
    places = places.assign(point_is_approximate=places["point_is_approximate"].astype(bool))
    nearest = gpd.sjoin_nearest(buurten[["buurtcode", "geometry"]], places, how="inner", distance_col="distance_m")
    nearest = nearest.sort_values(["buurtcode", "distance_m", "point_is_approximate", "id"])
    nearest = nearest.drop_duplicates("buurtcode").set_index("buurtcode")
    out.loc[nearest.index, "nearest_meeting_place_id"] = nearest["id"].to_numpy(dtype=object)
    out.loc[nearest.index, "nearest_meeting_place_m"] = nearest["distance_m"].to_numpy(dtype=float)
    out.loc[nearest.index, "nearest_is_approximate"] = nearest["point_is_approximate"].to_numpy(dtype=bool)
    return out


def _wijk_summary(buurten: pd.DataFrame, wijken: gpd.GeoDataFrame) -> pd.DataFrame:
    """Counts and shares per status, inhabitants and inhabitants in open buurten, per wijk."""
    counts = pd.crosstab(buurten["wijkcode"], buurten["status"]).reindex(
        index=wijken.index, columns=list(STATUSES), fill_value=0
    )
    counts.columns.name = None
    summary = pd.DataFrame({"wijkcode": wijken["wijkcode"], "wijknaam": wijken["wijknaam"]}, index=wijken.index)
    summary["buurten"] = counts.sum(axis=1).astype(int)
    summary = summary.join(counts.astype(int))
    for status in STATUSES:
        summary[f"share_{status}"] = summary[status] / summary["buurten"].replace(0, np.nan)
    by_wijk = buurten.groupby("wijkcode")
    summary["inwoners"] = by_wijk["inwoners"].sum().reindex(wijken.index, fill_value=0).round().astype(int)
    open_inwoners = buurten["inwoners"].where(buurten["status"] == "open").groupby(buurten["wijkcode"]).sum()
    summary["inwoners_open"] = open_inwoners.reindex(wijken.index, fill_value=0).round().astype(int)
    return summary


def _city_summary(buurten: pd.DataFrame) -> dict:
    """The wijk figures for the whole city, as a dict of plain Python numbers."""
    counts = buurten["status"].value_counts()
    total = len(buurten)
    city: dict = {"buurten": total}
    city.update({status: int(counts.get(status, 0)) for status in STATUSES})
    city.update({f"share_{status}": (city[status] / total if total else float("nan")) for status in STATUSES})
    city["inwoners"] = int(round(buurten["inwoners"].sum()))
    city["inwoners_open"] = int(round(buurten["inwoners"].where(buurten["status"] == "open").sum()))
    return city
