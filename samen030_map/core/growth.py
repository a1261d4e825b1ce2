"""Growth over time: the coverage as it was at the end of each year, from the registry's founding dates.

Rules (never a guess):
- An entry counts from the year of its `founded` date (a partial ISO date: "2019", "2019-03" or
  "2019-03-11"; only the year is used) when `founded_is_start` says that date is its start.
- An entry without a founding date, or whose date is another event (a building's age, a restart), has
  no start year: it is left out of every year's map and counted apart as "jaar onbekend".
- A year's coverage is core.coverage.analyse_coverage on the entries started by the end of that year,
  with the same rules as today's map. Entries that stopped are not in the published registry at all, so
  the past shows only what still exists (the registry has no end dates).

Plain Python, no words: the view puts labels on these facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.coverage import CoverageResult, analyse_coverage
from samen030_map.core.registry import RegistryEntry, entries_frame
from samen030_map.core.schema import PARTIAL_DATE


def start_year(entry: RegistryEntry) -> int | None:
    """The year the entry started, or None when it is not known (no date, or the date is not its start)."""
    founded = (entry.founded or "").strip()
    if not entry.founded_is_start or not PARTIAL_DATE.match(founded):
        return None
    return int(founded[:4])


@dataclass(frozen=True)
class YearFigures:
    """The coverage at the end of `year`, counting only the entries started by then."""

    year: int
    gedekt: int
    wijkniveau: int
    open: int
    weinig_bewoners: int
    inwoners_gedekt: int  # inhabitants of the gedekt buurten (unknown figures left out)
    organisations_started: int  # organisations whose start year is `year`
    organisations_total: int  # organisations started by the end of `year`
    meeting_places_started: int
    meeting_places_total: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Growth:
    """Figures per year from the earliest start year to `years[-1].year`, and what has no start year."""

    years: tuple[YearFigures, ...]
    unknown_organisations: tuple[str, ...]  # ids of published organisations without a start year
    unknown_meeting_places: tuple[str, ...]

    @property
    def first_year(self) -> int | None:
        return self.years[0].year if self.years else None

    @property
    def last_year(self) -> int | None:
        return self.years[-1].year if self.years else None

    def figures(self, year: int) -> YearFigures | None:
        return next((figures for figures in self.years if figures.year == year), None)

    def rows(self) -> list[dict]:
        """One plain dict per year (for a chart or a table)."""
        return [figures.as_dict() for figures in self.years]


class _Registry:
    """The published entries with their display points, computed once; a year is a mask over them."""

    def __init__(self, boundaries: Boundaries, organisations, meeting_places, organisation_frame=None, place_frame=None):
        self.boundaries = boundaries
        self.organisations = tuple(organisations)
        self.meeting_places = tuple(meeting_places)
        self.organisation_frame = organisation_frame if organisation_frame is not None else entries_frame(list(self.organisations), boundaries)
        self.place_frame = place_frame if place_frame is not None else entries_frame(list(self.meeting_places), boundaries)
        # -1 = no start year; the frames hold one row per entry, in the entries' order.
        self.organisation_years = np.array([start_year(e) or -1 for e in self.organisations], dtype=int)
        self.place_years = np.array([start_year(e) or -1 for e in self.meeting_places], dtype=int)

    def coverage(self, year: int) -> CoverageResult:
        organisations = self.organisation_frame[(self.organisation_years >= 0) & (self.organisation_years <= year)]
        places = self.place_frame[(self.place_years >= 0) & (self.place_years <= year)]
        return analyse_coverage(self.boundaries, organisations, places)


def _is_picture(source) -> bool:
    """A Picture (duck-typed: core never imports the picture module, which is built on core)."""
    return hasattr(source, "organisation_entries") and hasattr(source, "cached")


def _registry(source, boundaries: Boundaries | None) -> _Registry:
    """A _Registry of a Picture (cached with it, per revision) or of a list of entries on `boundaries`."""
    if _is_picture(source):  # its frames are already computed
        picture = source
        return picture.cached(
            "growth-registry",
            lambda: _Registry(picture.boundaries, picture.organisation_entries, picture.meeting_place_entries, picture.organisations, picture.meeting_places),
        )
    if boundaries is None:
        raise ValueError("boundaries are needed with a list of entries")
    entries = list(source)
    return _Registry(
        boundaries,
        [e for e in entries if e.entity == "organisation"],
        [e for e in entries if e.entity == "meeting_place"],
    )


def coverage_in_year(source, boundaries: Boundaries | None = None, year: int | None = None) -> CoverageResult:
    """The coverage at the end of `year` (default: this year), counting only entries started by then.

    `source`: a Picture (its published entries; the result is cached with the picture) or an iterable
    of RegistryEntry (organisations and meeting places together) with `boundaries`.
    """
    year = date.today().year if year is None else int(year)
    registry = _registry(source, boundaries)
    if _is_picture(source):
        return source.cached(("growth-year", year), lambda: registry.coverage(year))
    return registry.coverage(year)


def status_in_year(source, year: int, boundaries: Boundaries | None = None) -> dict[str, str]:
    """buurtcode -> status at the end of `year` (for the map behind the year slider)."""
    buurten = coverage_in_year(source, boundaries, year).buurten
    return {code: str(status) for code, status in buurten["status"].items()}


def growth_series(source, boundaries: Boundaries | None = None, until: int | None = None) -> Growth:
    """Figures per year, from the earliest start year in the registry to `until` (default: this year).

    A Picture's series is cached with the picture (so per registry revision).
    """
    until = date.today().year if until is None else int(until)
    if _is_picture(source):
        return source.cached(("growth-series", until), lambda: _series(source, boundaries, until))
    return _series(source, boundaries, until)


def _series(source, boundaries: Boundaries | None, until: int) -> Growth:
    registry = _registry(source, boundaries)
    known = np.concatenate([registry.organisation_years, registry.place_years])
    known = known[known >= 0]
    years: list[YearFigures] = []
    if len(known):
        for year in range(int(known.min()), max(until, int(known.min())) + 1):
            coverage = coverage_in_year(source, boundaries, year) if _is_picture(source) else registry.coverage(year)
            years.append(_figures(year, coverage, registry))
    return Growth(
        years=tuple(years),
        unknown_organisations=tuple(e.id for e, y in zip(registry.organisations, registry.organisation_years) if y < 0),
        unknown_meeting_places=tuple(e.id for e, y in zip(registry.meeting_places, registry.place_years) if y < 0),
    )


def _figures(year: int, coverage: CoverageResult, registry: _Registry) -> YearFigures:
    buurten = coverage.buurten
    counts = buurten["status"].value_counts()
    gedekt = buurten["status"] == "gedekt"
    inwoners = pd.to_numeric(buurten.loc[gedekt, "inwoners"], errors="coerce").sum(min_count=0)
    org_years, place_years = registry.organisation_years, registry.place_years
    return YearFigures(
        year=year,
        gedekt=int(counts.get("gedekt", 0)),
        wijkniveau=int(counts.get("wijkniveau", 0)),
        open=int(counts.get("open", 0)),
        weinig_bewoners=int(counts.get("weinig bewoners", 0)),
        inwoners_gedekt=int(inwoners) if pd.notna(inwoners) else 0,
        organisations_started=int(np.sum(org_years == year)),
        organisations_total=int(np.sum((org_years >= 0) & (org_years <= year))),
        meeting_places_started=int(np.sum(place_years == year)),
        meeting_places_total=int(np.sum((place_years >= 0) & (place_years <= year))),
    )


def start_years(entries: Iterable[RegistryEntry]) -> dict[str, int | None]:
    """entry id -> start year (None = jaar onbekend), for lists and cards."""
    return {entry.id: start_year(entry) for entry in entries}
