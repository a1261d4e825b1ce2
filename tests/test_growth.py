"""Growth over time: a year's coverage counts only entries started by then; unknown years are never guessed."""

from __future__ import annotations

import csv
import dataclasses
import time

import pytest

from samen030_map.core.config import REGISTRY_DIR
from samen030_map.core.growth import coverage_in_year, growth_series, start_year, status_in_year
from samen030_map.core.registry import RegistryEntry
from tests.conftest import hostile_entries


def org(entry_id, kind, level, codes, founded="", start=True):
    return RegistryEntry(entity="organisation", id=entry_id, name=entry_id, kind=kind, area_level=level, area_codes=codes, founded=founded, founded_is_start=start)


def place(entry_id, codes, founded="", start=True):
    return RegistryEntry(entity="meeting_place", id=entry_id, name=entry_id, kind="speeltuin", area_level="buurt", area_codes=codes, founded=founded, founded_is_start=start)


# The tiny layout (tests/conftest.py): BU03440101 and BU03440102 in WK034401, BU03440201 and BU03440202 in
# WK034402, 1000 inhabitants each.
TINY_REGISTRY = [
    org("a", "wijkcooperatie", "buurt", ("BU03440101",), "2015-03"),
    org("b", "bewonersorganisatie", "buurt", ("BU03440202",), "2019"),
    org("c", "wijkplatform", "wijk", ("WK034402",), "2017-12-31"),
    org("d", "bewonersorganisatie", "buurt", ("BU03440102",)),  # no date: jaar onbekend
    org("e", "buurtcooperatie", "buurt", ("BU03440102",), "2010", start=False),  # a date, but not its start
    org("f", "stadscooperatie", "stad", (), "2018"),  # counted as an organisation, never as coverage
    place("p", ("BU03440201",), "2016"),
    place("q", ("BU03440201",)),
]


def test_start_year_reads_partial_dates_and_only_starts():
    assert [start_year(e) for e in TINY_REGISTRY] == [2015, 2019, 2017, None, None, 2018, 2016, None]
    assert start_year(org("x", "netwerk", "stad", (), "not-a-date")) is None


def test_growth_series_on_a_small_fixture(tiny_boundaries):
    growth = growth_series(TINY_REGISTRY, tiny_boundaries, until=2020)
    assert (growth.first_year, growth.last_year) == (2015, 2020)
    rows = {row["year"]: row for row in growth.rows()}
    expected = {  # year: (gedekt, wijkniveau, open, inwoners_gedekt, organisations started, in total, places started, in total)
        2015: (1, 0, 3, 1000, 1, 1, 0, 0),
        2016: (1, 0, 3, 1000, 0, 1, 1, 1),
        2017: (1, 2, 1, 1000, 1, 2, 0, 1),
        2018: (1, 2, 1, 1000, 1, 3, 0, 1),
        2019: (2, 1, 1, 2000, 1, 4, 0, 1),
        2020: (2, 1, 1, 2000, 0, 4, 0, 1),
    }
    for year, (gedekt, wijkniveau, open_, inwoners, started, total, places_started, places_total) in expected.items():
        row = rows[year]
        assert (row["gedekt"], row["wijkniveau"], row["open"], row["weinig_bewoners"]) == (gedekt, wijkniveau, open_, 0), year
        assert row["inwoners_gedekt"] == inwoners, year
        assert (row["organisations_started"], row["organisations_total"]) == (started, total), year
        assert (row["meeting_places_started"], row["meeting_places_total"]) == (places_started, places_total), year
    # Entries without a start year are counted apart and in no year's map.
    assert growth.unknown_organisations == ("d", "e") and growth.unknown_meeting_places == ("q",)


def test_a_year_before_anything_started_is_all_open(tiny_boundaries):
    assert set(status_in_year(TINY_REGISTRY, 2014, tiny_boundaries).values()) == {"open"}
    coverage = coverage_in_year(TINY_REGISTRY, tiny_boundaries, 2019)
    assert coverage.buurten.loc["BU03440102", "status"] == "open"  # d and e cover it today, but since when is unknown
    assert list(coverage.buurten.loc["BU03440201", "meeting_place_ids"]) == ["p"]


def test_no_dates_gives_no_years(tiny_boundaries):
    growth = growth_series([org("d", "bewonersorganisatie", "buurt", ("BU03440102",))], tiny_boundaries, until=2020)
    assert growth.years == () and growth.unknown_organisations == ("d",)


def _registry_rows(filename: str) -> list[dict[str, str]]:
    with (REGISTRY_DIR / filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_growth_on_the_real_picture(hostile_picture):
    growth = growth_series(hostile_picture, until=2026)
    now = hostile_picture.coverage.city
    assert growth.figures(2015).gedekt < now["gedekt"]
    assert growth.figures(2015).gedekt <= growth.figures(2020).gedekt <= growth.figures(2026).gedekt
    # The oracle: the seed files themselves (a date that is a start), plus the two test entries.
    def unknown(filename: str) -> int:
        rows = [r for r in _registry_rows(filename) if r["status"] != "gestopt"]
        return sum(1 for r in rows if not (r["founded"] and r["founded_is_start"].strip().lower() in ("ja", "true", "1")))

    extra_org, extra_place = hostile_entries()
    assert len(growth.unknown_organisations) == unknown("organisations.csv") + (0 if extra_org.founded else 1)
    assert len(growth.unknown_meeting_places) == unknown("meeting_places.csv") + (0 if extra_place.founded else 1)
    assert growth.figures(2026).organisations_total + len(growth.unknown_organisations) == len(hostile_picture.organisation_entries)
    assert growth.first_year == min(int(r["founded"][:4]) for name in ("organisations.csv", "meeting_places.csv")
                                    for r in _registry_rows(name) if r["founded"] and r["founded_is_start"] == "ja")


def test_growth_is_cached_with_the_picture_and_fast(hostile_picture):
    picture = dataclasses.replace(hostile_picture, cache={})
    started = time.perf_counter()
    coverage_in_year(picture, year=2012)
    one_year = time.perf_counter() - started
    assert one_year < 0.5, f"one year took {one_year * 1000:.0f} ms"
    assert growth_series(picture, until=2026) is growth_series(picture, until=2026)
    with pytest.raises(ValueError):
        growth_series(TINY_REGISTRY)  # a list of entries needs its boundaries


def test_the_picture_of_a_year_holds_only_what_had_started(hostile_picture):
    from samen030_map.picture import picture_in_year

    past = picture_in_year(hostile_picture, 2015)
    everything = [*hostile_picture.organisation_entries, *hostile_picture.meeting_place_entries]
    kept = [*past.organisation_entries, *past.meeting_place_entries]
    assert {e.id for e in kept} == {e.id for e in everything if (start_year(e) or 9999) <= 2015}
    assert 0 < len(kept) < len(everything)
    assert list(past.organisations["id"]) == [e.id for e in past.organisation_entries]
    assert status_in_year(hostile_picture, 2015) == {code: str(s) for code, s in past.coverage.buurten["status"].items()}
    assert picture_in_year(hostile_picture, 2015) is past  # cached with the picture
    assert hostile_picture.coverage.buurten["status"].value_counts()["gedekt"] > past.coverage.buurten["status"].value_counts().get("gedekt", 0)
