"""Coverage rules on the tiny layout (known answers) and on the real data.

Tiny layout (see conftest), 1 km squares in RD New:

    BU03440102 | BU03440202        wijk WK034401 = BU03440101 + BU03440102
    -----------+-----------        wijk WK034402 = BU03440201 + BU03440202
    BU03440101 | BU03440201
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from samen030_map.core.boundaries import load_boundaries
from samen030_map.core.config import BOUNDARIES_DIR, buurt_organisation_kinds
from samen030_map.core.coverage import BUURT_COLUMNS, STATUSES, CoverageResult, analyse_coverage
from samen030_map.core.geo import RD_NEW, WGS84

X0, Y0 = 134000.0, 454000.0
CENTRE = {
    "BU03440101": (X0 + 500, Y0 + 500),
    "BU03440102": (X0 + 500, Y0 + 1500),
    "BU03440201": (X0 + 1500, Y0 + 500),
    "BU03440202": (X0 + 1500, Y0 + 1500),
}
FRAME_COLUMNS = ["id", "entity", "name", "kind", "area_level", "area_codes", "location_precision",
                 "point_is_approximate", "buurtcode"]  # fmt: skip


def entries(rows: list[dict], entity: str = "organisation", geometry_name: str = "geometry") -> gpd.GeoDataFrame:
    """A frame shaped like registry.entries_frame's output (EPSG:28992) from short row dicts.

    Row keys: id, kind, area_level, area_codes (tuple), point ((x, y) in RD or None), approximate.
    """
    records = []
    for row in rows:
        records.append(
            {
                "id": row["id"],
                "entity": entity,
                "name": row.get("name", row["id"].title()),
                "kind": row["kind"],
                "area_level": row["area_level"],
                "area_codes": tuple(row.get("area_codes", ())),
                "location_precision": "adres" if not row.get("approximate") else "buurt",
                "point_is_approximate": bool(row.get("approximate", False)),
                "buurtcode": None,
                geometry_name: Point(row["point"]) if row.get("point") else None,
            }
        )
    if not records:
        return gpd.GeoDataFrame({column: [] for column in FRAME_COLUMNS}, geometry=[], crs=RD_NEW)
    return gpd.GeoDataFrame(records, geometry=geometry_name, crs=RD_NEW)


NO_PLACES = entries([], entity="meeting_place")


def statuses(result: CoverageResult) -> dict[str, str]:
    return result.buurten["status"].to_dict()


@pytest.fixture
def scenario_boundaries(make_boundary_folder):
    """Tiny layout; BU03440202 has 100 inhabitants (below the default threshold of 300)."""
    return load_boundaries(make_boundary_folder(inwoners={"BU03440202": 100}))


BUURT_COOP = {"id": "buurtcoop", "kind": "buurtcooperatie", "area_level": "buurt", "area_codes": ("BU03440101",)}
WIJK_COOP = {"id": "wijkcoop", "kind": "wijkcooperatie", "area_level": "wijk", "area_codes": ("WK034401",)}


def test_the_four_statuses_on_known_answers(scenario_boundaries):
    result = analyse_coverage(scenario_boundaries, entries([BUURT_COOP, WIJK_COOP]), NO_PLACES)
    assert statuses(result) == {
        "BU03440101": "gedekt",  # its own buurtcooperatie
        "BU03440102": "wijkniveau",  # only the wijkcooperatie of WK034401
        "BU03440201": "open",  # nobody, 1000 inhabitants
        "BU03440202": "weinig bewoners",  # nobody, 100 inhabitants
    }
    assert result.buurten.loc["BU03440101", "organisation_ids"] == ("buurtcoop", "wijkcoop")
    assert result.buurten.loc["BU03440101", "organisation_names"] == ("Buurtcoop", "Wijkcoop")
    assert result.buurten.loc["BU03440102", "organisation_ids"] == ("wijkcoop",)
    assert result.buurten.loc["BU03440201", "organisation_ids"] == ()


def test_result_shape(scenario_boundaries):
    result = analyse_coverage(scenario_boundaries, entries([BUURT_COOP]), NO_PLACES)
    assert list(result.buurten.columns) == list(BUURT_COLUMNS)
    assert list(result.buurten.index) == list(result.buurten["buurtcode"])
    assert set(result.buurten["status"]) <= set(STATUSES)
    assert list(result.wijken.index) == ["WK034401", "WK034402"]
    assert not isinstance(result.buurten, gpd.GeoDataFrame)


def test_wijk_and_city_aggregates(scenario_boundaries):
    result = analyse_coverage(scenario_boundaries, entries([BUURT_COOP, WIJK_COOP]), NO_PLACES)
    west, east = result.wijken.loc["WK034401"], result.wijken.loc["WK034402"]
    assert west["wijknaam"] == "Westkant" and west["buurten"] == 2
    assert (west["gedekt"], west["wijkniveau"], west["weinig bewoners"], west["open"]) == (1, 1, 0, 0)
    assert (east["gedekt"], east["wijkniveau"], east["weinig bewoners"], east["open"]) == (0, 0, 1, 1)
    assert west["share_gedekt"] == 0.5 and east["share_open"] == 0.5 and east["share_gedekt"] == 0
    assert (west["inwoners"], west["inwoners_open"]) == (2000, 0)
    assert (east["inwoners"], east["inwoners_open"]) == (1100, 1000)
    assert result.city == {
        "buurten": 4,
        "gedekt": 1, "wijkniveau": 1, "weinig bewoners": 1, "open": 1,
        "share_gedekt": 0.25, "share_wijkniveau": 0.25, "share_weinig bewoners": 0.25, "share_open": 0.25,
        "inwoners": 3100, "inwoners_open": 1000,
    }  # fmt: skip


def test_unknown_inhabitants_are_weinig_bewoners_but_gedekt_wins(make_boundary_folder):
    boundaries = load_boundaries(make_boundary_folder(inwoners={"BU03440102": -99997, "BU03440202": -99997}))
    coop_in_unknown = {**BUURT_COOP, "area_codes": ("BU03440202",)}
    wijk_coop_both = {**WIJK_COOP, "area_codes": ("WK034401", "WK034402")}
    result = analyse_coverage(boundaries, entries([coop_in_unknown, wijk_coop_both]), NO_PLACES)
    assert statuses(result) == {
        "BU03440101": "wijkniveau",
        "BU03440102": "weinig bewoners",  # unknown, even though the wijk has a cooperative
        "BU03440201": "wijkniveau",
        "BU03440202": "gedekt",  # unknown, but covered
    }
    assert result.city["inwoners"] == 2000  # unknowns left out of the sum
    assert result.wijken.loc["WK034401", "inwoners"] == 1000


def test_stad_level_never_covers(scenario_boundaries):
    city_wide = [
        {"id": "samen030", "kind": "stadscooperatie", "area_level": "stad", "point": CENTRE["BU03440101"]},
        {"id": "stadsbrede-coop", "kind": "buurtcooperatie", "area_level": "stad", "point": CENTRE["BU03440201"]},
        # Even with (stray) codes listed, stad level is not coverage.
        {"id": "stad-met-codes", "kind": "wijkcooperatie", "area_level": "stad", "area_codes": ("WK034401", "BU03440201")},
    ]
    counted = buurt_organisation_kinds() | {"stadscooperatie"}
    result = analyse_coverage(scenario_boundaries, entries(city_wide), NO_PLACES, counted_kinds=counted)
    assert statuses(result) == {
        "BU03440101": "open", "BU03440102": "open", "BU03440201": "open", "BU03440202": "weinig bewoners",
    }  # fmt: skip
    assert all(ids == () for ids in result.buurten["organisation_ids"])


def test_non_counted_kind_does_not_cover_but_is_listed(scenario_boundaries):
    social = {"id": "koffiebar", "kind": "sociale_onderneming", "area_level": "buurt", "area_codes": ("BU03440201",)}
    result = analyse_coverage(scenario_boundaries, entries([social]), NO_PLACES)
    assert result.buurten.loc["BU03440201", "status"] == "open"
    assert result.buurten.loc["BU03440201", "organisation_ids"] == ("koffiebar",)


def test_counted_kinds_are_configurable(scenario_boundaries):
    social = {"id": "koffiebar", "kind": "sociale_onderneming", "area_level": "buurt", "area_codes": ("BU03440201",)}
    organisations = entries([social, BUURT_COOP])
    result = analyse_coverage(scenario_boundaries, organisations, NO_PLACES, counted_kinds={"sociale_onderneming"})
    assert result.buurten.loc["BU03440201", "status"] == "gedekt"
    assert result.buurten.loc["BU03440101", "status"] == "open"  # buurtcooperatie no longer counted


def test_threshold_is_configurable(scenario_boundaries):
    low = analyse_coverage(scenario_boundaries, entries([BUURT_COOP]), NO_PLACES, low_population_threshold=50)
    assert low.buurten.loc["BU03440202", "status"] == "open"  # 100 inhabitants >= 50
    high = analyse_coverage(scenario_boundaries, entries([BUURT_COOP]), NO_PLACES, low_population_threshold=1001)
    assert statuses(high) == {
        "BU03440101": "gedekt", "BU03440102": "weinig bewoners",
        "BU03440201": "weinig bewoners", "BU03440202": "weinig bewoners",
    }  # fmt: skip
    at = analyse_coverage(scenario_boundaries, entries([]), NO_PLACES, low_population_threshold=1000)
    assert at.buurten.loc["BU03440201", "status"] == "open"  # 1000 is not below 1000


def test_buurt_level_point_covers_the_buurt_it_lies_in(scenario_boundaries):
    rows = [
        # Lists BU03440102 but sits (exact address) in BU03440201: both count as its buurt.
        {"id": "bewoners", "kind": "bewonersorganisatie", "area_level": "buurt", "area_codes": ("BU03440102",),
         "point": CENTRE["BU03440201"]},
        # A wijk-level organisation whose point lies in BU03440202 only works at wijk level there.
        {"id": "platform", "kind": "wijkplatform", "area_level": "wijk", "area_codes": ("WK034401",),
         "point": CENTRE["BU03440202"], "approximate": True},
    ]  # fmt: skip
    result = analyse_coverage(scenario_boundaries, entries(rows), NO_PLACES, low_population_threshold=50)
    assert statuses(result) == {
        "BU03440101": "wijkniveau", "BU03440102": "gedekt", "BU03440201": "gedekt", "BU03440202": "open",
    }  # fmt: skip


def test_unknown_codes_are_ignored(scenario_boundaries):
    stray = {"id": "elders", "kind": "buurtcooperatie", "area_level": "buurt", "area_codes": ("BU03449999",)}
    result = analyse_coverage(scenario_boundaries, entries([stray]), NO_PLACES)
    assert "gedekt" not in set(result.buurten["status"])


def test_meeting_places_in_buurt_and_nearest_distance(scenario_boundaries):
    places = entries(
        [
            {"id": "buurthuis", "kind": "buurthuis", "area_level": "buurt", "area_codes": ("BU03440101",),
             "point": CENTRE["BU03440101"]},
            # Approximate point standing in for wijk WK034402: not "in" a buurt, but still nearest.
            {"id": "wijkcentrum", "kind": "buurtcentrum", "area_level": "wijk", "area_codes": ("WK034402",),
             "point": (X0 + 1900, Y0 + 1900), "approximate": True},
        ],  # fmt: skip
        entity="meeting_place",
    )
    result = analyse_coverage(scenario_boundaries, entries([]), places).buurten
    assert result["meeting_place_ids"].to_dict() == {
        "BU03440101": ("buurthuis",), "BU03440102": (), "BU03440201": (), "BU03440202": (),
    }  # fmt: skip
    assert result.loc["BU03440101", "nearest_meeting_place_id"] == "buurthuis"
    assert result.loc["BU03440101", "nearest_meeting_place_m"] == 0
    assert not result.loc["BU03440101", "nearest_is_approximate"]
    # From the BU03440102 square to the buurthuis: 500 m south of its southern border.
    assert result.loc["BU03440102", "nearest_meeting_place_m"] == pytest.approx(500, abs=0.5)
    assert result.loc["BU03440102", "nearest_meeting_place_id"] == "buurthuis"
    # BU03440201: the buurthuis is 500 m west of it, the wijkcentrum 900 m north.
    assert result.loc["BU03440201", "nearest_meeting_place_id"] == "buurthuis"
    assert result.loc["BU03440202", "nearest_meeting_place_id"] == "wijkcentrum"
    assert result.loc["BU03440202", "nearest_meeting_place_m"] == 0
    assert result.loc["BU03440202", "nearest_is_approximate"]


def test_nearest_meeting_place_distance_from_polygon_corner(scenario_boundaries):
    places = entries([{"id": "speeltuin", "kind": "speeltuin", "area_level": "buurt", "point": CENTRE["BU03440101"]}],
                     entity="meeting_place")  # fmt: skip
    result = analyse_coverage(scenario_boundaries, entries([]), places).buurten
    assert result.loc["BU03440202", "nearest_meeting_place_m"] == pytest.approx(math.hypot(500, 500), abs=0.5)
    assert result.loc["BU03440101", "meeting_place_ids"] == ("speeltuin",)  # by its point, no codes listed


def test_nearest_meeting_place_tie_prefers_an_exact_point(scenario_boundaries):
    places = entries(
        [
            {"id": "a-ongeveer", "kind": "buurthuis", "area_level": "buurt", "point": CENTRE["BU03440101"], "approximate": True},
            {"id": "z-precies", "kind": "speeltuin", "area_level": "buurt", "point": CENTRE["BU03440101"]},
        ],
        entity="meeting_place",
    )
    result = analyse_coverage(scenario_boundaries, entries([]), places).buurten
    assert result["nearest_meeting_place_id"].tolist() == ["z-precies"] * 4
    assert not result["nearest_is_approximate"].any()
    assert result.loc["BU03440101", "meeting_place_ids"] == ("a-ongeveer", "z-precies")


def test_no_meeting_places(scenario_boundaries):
    result = analyse_coverage(scenario_boundaries, entries([]), NO_PLACES).buurten
    assert result["nearest_meeting_place_id"].isna().all()
    assert result["nearest_meeting_place_m"].isna().all()
    assert not result["nearest_is_approximate"].any()
    assert result.loc["BU03440101", "nearest_meeting_place_id"] is None


def test_display_point_column_and_wgs84_input(scenario_boundaries):
    rows = [{"id": "bewoners", "kind": "bewonersorganisatie", "area_level": "buurt", "point": CENTRE["BU03440201"]}]
    organisations = entries(rows, geometry_name="display_point").to_crs(WGS84)
    places = entries([{"id": "bieb", "kind": "bibliotheek", "area_level": "buurt", "point": CENTRE["BU03440201"]}],
                     entity="meeting_place", geometry_name="display_point").to_crs(WGS84)  # fmt: skip
    result = analyse_coverage(scenario_boundaries, organisations, places).buurten
    assert result.loc["BU03440201", "status"] == "gedekt"
    assert result.loc["BU03440201", "meeting_place_ids"] == ("bieb",)
    assert result.loc["BU03440101", "nearest_meeting_place_m"] == pytest.approx(500, abs=0.5)


def test_wrongly_shaped_input_is_refused(scenario_boundaries):
    with pytest.raises(ValueError, match="area_codes"):
        analyse_coverage(scenario_boundaries, entries([BUURT_COOP]).drop(columns="area_codes"), NO_PLACES)


def test_real_data_without_organisations(real_boundaries):
    raw = json.loads((BOUNDARIES_DIR / "buurten.geojson").read_text(encoding="utf-8"))
    low = sum(1 for f in raw["features"] if f["properties"]["aantal_inwoners"] < 300)
    result = analyse_coverage(real_boundaries, entries([]), NO_PLACES)
    assert result.city["weinig bewoners"] == low > 0
    assert result.city["open"] == 111 - low and result.city["gedekt"] == 0
    assert result.city["inwoners"] == 376_770
    assert result.wijken["buurten"].sum() == 111 and result.wijken["inwoners"].sum() == 376_770
    assert result.wijken.set_index("wijknaam")["buurten"].to_dict()["Leidsche Rijn"] == 15


def test_real_data_wijk_cooperative_covers_its_wijk_at_wijk_level(real_boundaries):
    noordwest = {"id": "wijkcoop-noordwest", "kind": "wijkcooperatie", "area_level": "wijk", "area_codes": ("WK034402",)}
    result = analyse_coverage(real_boundaries, entries([noordwest]), NO_PLACES)
    in_noordwest = result.buurten[result.buurten["wijkcode"] == "WK034402"]
    expected = ["weinig bewoners" if (pd.isna(n) or n < 300) else "wijkniveau" for n in in_noordwest["inwoners"]]
    assert in_noordwest["status"].tolist() == expected
    assert (result.buurten.loc[result.buurten["wijkcode"] != "WK034402", "status"] != "wijkniveau").all()
    assert result.wijken.loc["WK034402", "wijkniveau"] == expected.count("wijkniveau") == 13  # no small buurten in Noordwest
