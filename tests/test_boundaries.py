"""Loading, validating, simplifying and refreshing the wijk/buurt boundaries."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
import shapely

from samen030_map.core.boundaries import (
    BUURT_FIGURES,
    BoundaryError,
    browser_geojson,
    fetch_from_pdok,
    load_boundaries,
    write_processed_copy,
)
from samen030_map.core.config import BOUNDARIES_DIR, CBS_ATTRIBUTION

SHARED_SOURCE = Path("/work/shared/geodata/utrecht")
README_BUURTEN_PER_WIJK = {
    "West": 11, "Noordwest": 13, "Overvecht": 10, "Noordoost": 11, "Oost": 13,
    "Binnenstad": 11, "Zuid": 8, "Zuidwest": 7, "Leidsche Rijn": 15, "Vleuten-De Meern": 12,
}  # fmt: skip


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the real, shipped data -------------------------------------------------------------------


def test_real_data_has_111_buurten_and_10_wijken_in_rd(real_boundaries):
    buurten, wijken = real_boundaries.buurten, real_boundaries.wijken
    assert len(buurten) == 111 and len(wijken) == 10
    assert buurten.crs.to_epsg() == 28992 and wijken.crs.to_epsg() == 28992
    assert list(buurten.index) == list(buurten["buurtcode"]) and buurten.index.is_unique
    assert list(wijken.index) == list(wijken["wijkcode"])
    assert buurten.geometry.is_valid.all()
    # Utrecht is about 99.21 km²; in RD the areas come out in m².
    assert buurten.area.sum() / 1e6 == pytest.approx(99.21, abs=0.05)


def test_real_buurten_per_wijk_match_the_readme(real_boundaries):
    counts = real_boundaries.buurten.groupby("wijknaam").size().to_dict()
    assert counts == README_BUURTEN_PER_WIJK


def test_real_inhabitants_sum_to_376770(real_boundaries):
    buurten, wijken = real_boundaries.buurten, real_boundaries.wijken
    assert buurten["inwoners"].sum() == 376_770
    assert wijken["inwoners"].sum() == 376_770
    per_wijk = buurten.groupby("wijkcode")["inwoners"].sum()
    assert per_wijk.to_dict() == wijken["inwoners"].to_dict()


def test_real_withheld_figures_are_nan_and_others_kept():
    raw = {f["properties"]["buurtcode"]: f["properties"] for f in read_json(BOUNDARIES_DIR / "buurten.geojson")["features"]}
    buurten = load_boundaries(BOUNDARIES_DIR).buurten
    nan_cells = 0
    for column, cbs in BUURT_FIGURES.items():
        for code, value in buurten[column].items():
            if raw[code][cbs] < 0:
                assert math.isnan(value), (code, column)
                nan_cells += 1
            else:
                assert value == raw[code][cbs], (code, column)
    assert nan_cells > 0
    wetering = buurten.loc["BU03440911"]
    assert wetering["inwoners"] == 0 and math.isnan(wetering["pct_0_15"])


def test_real_names_and_postcodes(real_boundaries):
    buurten, wijken = real_boundaries.buurten, real_boundaries.wijken
    assert set(wijken["wijknaam"]) == set(README_BUURTEN_PER_WIJK)
    assert wijken.loc["WK034401", "wijknaam"] == "West"
    assert (buurten["wijknaam"] == buurten["wijkcode"].map(wijken["wijknaam"])).all()
    assert buurten.loc["BU03440533", "buurtnaam"] == "Utrecht Science Park"
    assert buurten["postcode"].map(lambda p: isinstance(p, str) and len(p) == 4 and p.isdigit()).all()


def test_shipped_copy_is_compact_full_resolution_with_attribution():
    for name, code_property in (("buurten.geojson", "buurtcode"), ("wijken.geojson", "wijkcode")):
        text = (BOUNDARIES_DIR / name).read_text(encoding="utf-8")
        assert "\n" not in text.rstrip("\n") and '": ' not in text
        shipped = json.loads(text)
        assert shipped["attribution"] == CBS_ATTRIBUTION
        assert all(feature["id"] == feature["properties"][code_property] for feature in shipped["features"])
    assert "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)" in (BOUNDARIES_DIR / "README.md").read_text()


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="shared source data not available")
def test_shipped_copy_equals_the_source_features():
    for name in ("buurten.geojson", "wijken.geojson"):
        assert read_json(BOUNDARIES_DIR / name)["features"] == read_json(SHARED_SOURCE / name)["features"]


# --- the tiny hand-made layout ---------------------------------------------------------------


def test_tiny_layout_loads(tiny_boundaries):
    buurten, wijken = tiny_boundaries.buurten, tiny_boundaries.wijken
    assert list(buurten.index) == ["BU03440101", "BU03440102", "BU03440201", "BU03440202"]
    assert buurten.area.to_numpy() == pytest.approx([1e6] * 4, rel=1e-4)
    assert wijken.loc["WK034402", "wijknaam"] == "Oostkant"
    assert buurten.loc["BU03440201", "wijknaam"] == "Oostkant"
    assert buurten.loc["BU03440201", "postcode"] == "3531"
    assert wijken["inwoners"].tolist() == [2000.0, 2000.0]


def test_cbs_unknown_and_any_negative_figure_become_nan(make_boundary_folder, feature_of):
    def mutate(buurten, wijken):
        feature_of(buurten, "BU03440101")["properties"]["percentage_personen_65_jaar_en_ouder"] = -1
        feature_of(buurten, "BU03440102")["properties"].pop("aantal_huishoudens")

    buurten = load_boundaries(make_boundary_folder(mutate, inwoners={"BU03440202": -99997})).buurten
    assert math.isnan(buurten.loc["BU03440202", "inwoners"])
    assert buurten.loc["BU03440201", "inwoners"] == 1000
    assert math.isnan(buurten.loc["BU03440101", "pct_65_plus"])
    assert math.isnan(buurten.loc["BU03440102", "huishoudens"])
    assert buurten["inwoners"].sum() == 3000
    assert buurten["inwoners"].dtype == np.float64


def test_wijknaam_falls_back_to_the_long_name_without_prefix(make_boundary_folder, feature_of):
    def mutate(buurten, wijken):
        feature_of(wijken, "WK034401")["properties"].pop("wijknaam_kort")

    wijken = load_boundaries(make_boundary_folder(mutate)).wijken
    assert wijken.loc["WK034401", "wijknaam"] == "Westkant"


def _set(collection_name, code, key, value):
    def mutate(buurten, wijken, feature_of):
        collection = buurten if collection_name == "buurten" else wijken
        feature_of(collection, code)["properties"][key] = value

    return mutate


def _drop(collection_name, code, key):
    def mutate(buurten, wijken, feature_of):
        collection = buurten if collection_name == "buurten" else wijken
        del feature_of(collection, code)["properties"][key]

    return mutate


def _bow_tie(buurten, wijken, feature_of):
    feature = feature_of(buurten, "BU03440201")
    ring = feature["geometry"]["coordinates"][0]
    south_west, south_east, north_east, north_west = ring[0], ring[2], ring[4], ring[6]
    feature["geometry"]["coordinates"] = [[south_west, north_east, south_east, north_west, south_west]]


def _geometry(code, geometry):
    def mutate(buurten, wijken, feature_of):
        feature_of(buurten, code)["geometry"] = geometry

    return mutate


def _rd_coordinates(buurten, wijken, feature_of):
    square = [[135000, 454000], [136000, 454000], [136000, 455000], [135000, 455000], [135000, 454000]]
    feature_of(buurten, "BU03440201")["geometry"] = {"type": "Polygon", "coordinates": [square]}


def _declared_rd_crs(buurten, wijken, feature_of):
    buurten["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def _no_wijknaam(buurten, wijken, feature_of):
    properties = feature_of(wijken, "WK034402")["properties"]
    del properties["wijknaam"], properties["wijknaam_kort"]


def _duplicate(buurten, wijken, feature_of):
    feature_of(buurten, "BU03440102")["properties"]["buurtcode"] = "BU03440101"


BROKEN_CASES = {
    "missing buurtnaam": (_drop("buurten", "BU03440102", "buurtnaam"), "buurten", "BU03440102", "'buurtnaam'"),
    "missing gemeentecode": (_drop("buurten", "BU03440201", "gemeentecode"), "buurten", "BU03440201", "'gemeentecode'"),
    "missing wijkcode": (_drop("buurten", "BU03440202", "wijkcode"), "buurten", "BU03440202", "'wijkcode'"),
    "missing wijknaam": (_no_wijknaam, "wijken", "WK034402", "wijknaam"),
    "wrong gemeente": (_set("buurten", "BU03440101", "gemeentecode", "GM0363"), "buurten", "BU03440101", "GM0363"),
    "wrong gemeente wijk": (_set("wijken", "WK034401", "gemeentecode", "GM0363"), "wijken", "WK034401", "GM0363"),
    "bad buurtcode": (_set("buurten", "BU03440101", "buurtcode", "BU034401"), "buurten", "BU034401", "not of the form"),
    "bad wijkcode": (_set("wijken", "WK034402", "wijkcode", "WK3442"), "wijken", "WK3442", "not of the form"),
    "duplicate code": (_duplicate, "buurten", "BU03440101", "duplicate"),
    "bow-tie geometry": (_bow_tie, "buurten", "BU03440201", "Self-intersection"),
    "empty geometry": (_geometry("BU03440102", {"type": "Polygon", "coordinates": []}), "buurten", "BU03440102", "empty"),
    "no geometry": (_geometry("BU03440102", None), "buurten", "BU03440102", "missing"),
    "point geometry": (_geometry("BU03440102", {"type": "Point", "coordinates": [5.1, 52.1]}), "buurten", "BU03440102", "Point"),
    "unknown wijk": (_set("buurten", "BU03440202", "wijkcode", "WK034409"), "buurten", "BU03440202", "WK034409"),
    "buurt outside its wijk": (_set("buurten", "BU03440201", "wijkcode", "WK034401"), "buurten", "BU03440201", "outside its wijk"),
    "RD coordinates": (_rd_coordinates, "buurten", "BU03440201", "wrong CRS"),
    "declared RD crs": (_declared_rd_crs, "buurten", None, "wrong CRS"),
}


@pytest.mark.parametrize("case", list(BROKEN_CASES))
def test_broken_data_raises_boundary_error_naming_file_and_feature(case, make_boundary_folder, feature_of):
    mutate, file, feature, words = BROKEN_CASES[case]
    folder = make_boundary_folder(lambda buurten, wijken: mutate(buurten, wijken, feature_of))
    with pytest.raises(BoundaryError) as raised:
        load_boundaries(folder)
    message = str(raised.value)
    assert f"{file}.geojson" in message
    if feature:
        assert feature in message
    assert words in message


def _shift_west(metres: float):
    """Move BU03440101 west by about ``metres`` (1 m is ~1/68,600 degree of longitude at 52°N)."""

    def mutate(buurten, wijken, feature_of):
        ring = feature_of(buurten, "BU03440101")["geometry"]["coordinates"][0]
        for point in ring:
            point[0] = round(point[0] - metres / 68_600, 7)

    return mutate


@pytest.mark.parametrize(("metres", "accepted"), [(5, True), (50, False)])
def test_buurt_may_stick_out_of_its_wijk_by_at_most_one_percent(metres, accepted, make_boundary_folder, feature_of):
    folder = make_boundary_folder(lambda b, w: _shift_west(metres)(b, w, feature_of))
    if accepted:  # 5 m of 1000 m: 0.5% outside
        assert len(load_boundaries(folder).buurten) == 4
    else:  # 50 m: 5% outside
        with pytest.raises(BoundaryError, match=r"BU03440101: 5% of the buurt lies outside its wijk WK034401"):
            load_boundaries(folder)


def test_the_valid_neighbours_are_not_blamed(make_boundary_folder, feature_of):
    folder = make_boundary_folder(lambda b, w: _bow_tie(b, w, feature_of))
    with pytest.raises(BoundaryError) as raised:
        load_boundaries(folder)
    assert "BU03440201" in str(raised.value) and "BU03440101" not in str(raised.value)


@pytest.mark.parametrize("text", ['{"type": "FeatureCollection", "features": [', "", "[1, 2]", '{"type": "Feature"}'])
def test_broken_json_raises_boundary_error_naming_the_file(text, make_boundary_folder):
    folder = make_boundary_folder()
    (folder / "wijken.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(BoundaryError, match="wijken.geojson"):
        load_boundaries(folder)


def test_missing_file_raises_boundary_error(make_boundary_folder):
    folder = make_boundary_folder()
    (folder / "buurten.geojson").unlink()
    with pytest.raises(BoundaryError, match=r"buurten\.geojson: file not found"):
        load_boundaries(folder)


# --- browser output ---------------------------------------------------------------------------


def _vertex_count(collection: dict) -> int:
    return sum(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])) for f in collection["features"])


def test_browser_geojson_is_small_wgs84_with_short_properties(real_boundaries):
    buurten_fc, wijken_fc = browser_geojson(real_boundaries)
    assert len(buurten_fc["features"]) == 111 and len(wijken_fc["features"]) == 10
    assert {f["properties"]["code"] for f in buurten_fc["features"]} == set(real_boundaries.buurten.index)
    first = next(f for f in buurten_fc["features"] if f["id"] == "BU03440111")
    assert first["properties"] == {"code": "BU03440111", "name": "Welgelegen, Den Hommel", "wijkcode": "WK034401", "wijknaam": "West"}
    assert wijken_fc["features"][0]["properties"] == {"code": "WK034401", "name": "West"}

    source_vertices = int(shapely.get_num_coordinates(real_boundaries.buurten.geometry.to_numpy()).sum())
    assert 0 < _vertex_count(buurten_fc) < source_vertices
    assert _vertex_count(wijken_fc) < int(shapely.get_num_coordinates(real_boundaries.wijken.geometry.to_numpy()).sum())

    for collection in (buurten_fc, wijken_fc):
        geometries = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
        coordinates = shapely.get_coordinates(geometries)
        # EPSG:4326 longitude/latitude around Utrecht, 6 decimals at most.
        assert coordinates[:, 0].min() > 4.9 and coordinates[:, 0].max() < 5.25
        assert coordinates[:, 1].min() > 51.95 and coordinates[:, 1].max() < 52.17
        assert np.allclose(coordinates, np.round(coordinates, 6), rtol=0, atol=1e-12)
        assert all(geometry.is_valid for geometry in geometries)
        exteriors = [polygon.exterior for g in geometries for polygon in getattr(g, "geoms", [g])]
        assert all(ring.is_ccw for ring in exteriors)
    json.dumps(buurten_fc)  # serialisable as is


def test_browser_geojson_tolerance_controls_detail(real_boundaries):
    coarse, _ = browser_geojson(real_boundaries, tolerance_m=25)
    fine, _ = browser_geojson(real_boundaries, tolerance_m=1)
    assert _vertex_count(coarse) < _vertex_count(fine)


# --- writing and fetching copies --------------------------------------------------------------


def test_write_processed_copy_adds_attribution_and_keeps_data(make_boundary_folder, tmp_path):
    src = make_boundary_folder()
    dest = tmp_path / "shipped"
    write_processed_copy(src, dest)
    for name in ("buurten.geojson", "wijken.geojson"):
        written = read_json(dest / name)
        assert written["attribution"] == CBS_ATTRIBUTION
        assert written["features"] == read_json(src / name)["features"]
    pd.testing.assert_frame_equal(load_boundaries(dest).buurten, load_boundaries(src).buurten)


def test_write_processed_copy_refuses_invalid_source(make_boundary_folder, feature_of, tmp_path):
    src = make_boundary_folder(lambda b, w: _bow_tie(b, w, feature_of))
    dest = tmp_path / "shipped"
    with pytest.raises(BoundaryError, match="BU03440201"):
        write_processed_copy(src, dest)
    assert not (dest / "buurten.geojson").exists()


class _PdokHandler(BaseHTTPRequestHandler):
    """Serves ``server.pages[(path, offset)] = (status, body)``, records every request path."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        url = urlsplit(self.path)
        offset = parse_qs(url.query).get("offset", ["0"])[0]
        status, body = self.server.pages.get((url.path, offset), (404, b'{"detail": "not found"}'))
        self.send_response(status)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def pdok_server(monkeypatch):
    """A local stand-in for the PDOK OGC API on 127.0.0.1, running in a thread."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PdokHandler)
    server.pages, server.requests = {}, []
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}/ogc/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _pdok_page(features: list[dict], next_url: str | None) -> bytes:
    """One OGC API items page: features with PDOK's own numeric ids, links incl. rel=next."""
    served = [{**feature, "id": 1000 + number} for number, feature in enumerate(features)]
    links = [{"rel": "self", "type": "application/geo+json", "href": "ignored"}]
    if next_url:
        # An HTML next link comes first; following it would hit a 404.
        links.append({"rel": "next", "type": "text/html", "href": next_url + "&f=html-404"})
        links.append({"rel": "next", "type": "application/geo+json", "href": next_url})
    page = {"type": "FeatureCollection", "numberReturned": len(served), "features": served, "links": links}
    return json.dumps(page).encode()


def _serve(server, buurten: dict, wijken: dict) -> None:
    """Buurten on two pages joined by a next link, wijken on one page."""
    items = "/ogc/v1/collections/{}/items"
    next_url = f"{server.base_url}/collections/buurten/items?f=json&gemeentecode=GM0344&limit=1000&offset=2"
    server.pages[(items.format("buurten"), "0")] = (200, _pdok_page(buurten["features"][:2], next_url))
    server.pages[(items.format("buurten"), "2")] = (200, _pdok_page(buurten["features"][2:], None))
    server.pages[(items.format("wijken"), "0")] = (200, _pdok_page(wijken["features"], None))


def test_fetch_from_pdok_follows_next_links_and_writes_the_local_shape(pdok_server, tiny_collections, tmp_path):
    buurten, wijken = tiny_collections()
    _serve(pdok_server, buurten, wijken)
    dest = tmp_path / "boundaries"
    fetch_from_pdok(dest, base_url=pdok_server.base_url, timeout=5)

    loaded = load_boundaries(dest)
    assert list(loaded.buurten.index) == ["BU03440101", "BU03440102", "BU03440201", "BU03440202"]
    assert list(loaded.wijken.index) == ["WK034401", "WK034402"]
    written = read_json(dest / "buurten.geojson")
    assert [f["id"] for f in written["features"]] == [f["properties"]["buurtcode"] for f in written["features"]]
    assert [f["geometry"] for f in written["features"]] == [f["geometry"] for f in buurten["features"]]
    first = parse_qs(urlsplit(pdok_server.requests[0]).query)
    assert first == {"f": ["json"], "gemeentecode": ["GM0344"], "limit": ["1000"]}
    assert len(pdok_server.requests) == 3 and not any("html" in r for r in pdok_server.requests)
    assert [p.name for p in tmp_path.iterdir()] == ["boundaries"]  # no staging folder left behind


def _existing_copy(make_boundary_folder, tmp_path) -> tuple[Path, dict]:
    dest = make_boundary_folder(folder=tmp_path / "boundaries")
    return dest, {name: (dest / name).read_bytes() for name in ("buurten.geojson", "wijken.geojson")}


def test_fetch_from_pdok_broken_json_leaves_existing_files_untouched(pdok_server, tiny_collections, make_boundary_folder, tmp_path):
    dest, before = _existing_copy(make_boundary_folder, tmp_path)
    buurten, wijken = tiny_collections()
    _serve(pdok_server, buurten, wijken)
    pdok_server.pages[("/ogc/v1/collections/buurten/items", "2")] = (200, b'{"type": "FeatureCollection", "feat')
    with pytest.raises(BoundaryError, match="offset=2"):
        fetch_from_pdok(dest, base_url=pdok_server.base_url, timeout=5)
    assert {name: (dest / name).read_bytes() for name in before} == before


def test_fetch_from_pdok_invalid_data_leaves_existing_files_untouched(pdok_server, tiny_collections, make_boundary_folder, feature_of, tmp_path):
    dest, before = _existing_copy(make_boundary_folder, tmp_path)
    buurten, wijken = tiny_collections()
    feature_of(buurten, "BU03440202")["properties"]["gemeentecode"] = "GM0363"
    _serve(pdok_server, buurten, wijken)
    with pytest.raises(BoundaryError) as raised:
        fetch_from_pdok(dest, base_url=pdok_server.base_url, timeout=5)
    assert "BU03440202" in str(raised.value) and "left unchanged" in str(raised.value)
    assert {name: (dest / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boundaries"]


def test_fetch_from_pdok_http_error_leaves_existing_files_untouched(pdok_server, make_boundary_folder, tmp_path):
    dest, before = _existing_copy(make_boundary_folder, tmp_path)
    pdok_server.pages[("/ogc/v1/collections/buurten/items", "0")] = (500, b"server error")
    with pytest.raises(BoundaryError, match="download failed"):
        fetch_from_pdok(dest, base_url=pdok_server.base_url, timeout=5)
    assert {name: (dest / name).read_bytes() for name in before} == before


# --- figures must be numbers; a refresh must not change the division by accident ----------------


@pytest.mark.parametrize("value", ["veel", "1000", True, [1000], {"n": 1000}, float("nan"), float("inf")])
def test_a_figure_that_is_not_a_number_is_refused_naming_the_feature(value, make_boundary_folder, feature_of):
    def mutate(buurten, wijken):
        feature_of(buurten, "BU03440201")["properties"]["aantal_inwoners"] = value

    with pytest.raises(BoundaryError) as raised:
        load_boundaries(make_boundary_folder(mutate))
    assert "feature BU03440201: aantal_inwoners" in str(raised.value) and "is geen getal" in str(raised.value)
    assert "BU03440101" not in str(raised.value)


def test_a_missing_or_null_figure_is_unknown_not_an_error(make_boundary_folder, feature_of):
    def mutate(buurten, wijken):
        feature_of(buurten, "BU03440201")["properties"]["aantal_inwoners"] = None
        feature_of(wijken, "WK034401")["properties"].pop("aantal_inwoners")

    boundaries = load_boundaries(make_boundary_folder(mutate))
    assert math.isnan(boundaries.buurten.loc["BU03440201", "inwoners"])
    assert math.isnan(boundaries.wijken.loc["WK034401", "inwoners"])


def _drop_buurt(code):
    def mutate(buurten, wijken):
        buurten["features"] = [f for f in buurten["features"] if f["properties"]["buurtcode"] != code]

    return mutate


def test_write_processed_copy_refuses_another_count_unless_allowed(make_boundary_folder, tmp_path):
    dest, before = _existing_copy(make_boundary_folder, tmp_path)
    smaller = make_boundary_folder(_drop_buurt("BU03440202"))
    with pytest.raises(BoundaryError, match=r"buurten 4 → 3, weg: BU03440202.*--allow-count-change"):
        write_processed_copy(smaller, dest)
    assert {name: (dest / name).read_bytes() for name in before} == before

    assert write_processed_copy(smaller, dest, allow_count_change=True) == ["buurten 4 → 3, weg: BU03440202"]
    assert len(load_boundaries(dest).buurten) == 3


def test_same_count_with_other_codes_is_allowed_and_reported(make_boundary_folder, feature_of, tmp_path):
    dest, _ = _existing_copy(make_boundary_folder, tmp_path)

    def renumber(buurten, wijken):
        feature_of(buurten, "BU03440202")["properties"]["buurtcode"] = "BU03440203"

    assert write_processed_copy(make_boundary_folder(renumber), dest) == ["buurten 4 → 4, weg: BU03440202, nieuw: BU03440203"]


def test_a_first_copy_has_nothing_to_compare_with(make_boundary_folder, tmp_path):
    assert write_processed_copy(make_boundary_folder(_drop_buurt("BU03440202")), tmp_path / "nieuw") == []


def test_fetch_from_pdok_refuses_another_count(pdok_server, tiny_collections, make_boundary_folder, tmp_path):
    dest, before = _existing_copy(make_boundary_folder, tmp_path)
    buurten, wijken = tiny_collections()
    buurten["features"].append(json.loads(json.dumps(buurten["features"][3])))
    buurten["features"][4]["properties"]["buurtcode"] = "BU03440203"  # a fifth buurt, on top of the fourth
    _serve(pdok_server, buurten, wijken)
    with pytest.raises(BoundaryError, match=r"buurten 4 → 5, nieuw: BU03440203"):
        fetch_from_pdok(dest, base_url=pdok_server.base_url, timeout=5)
    assert {name: (dest / name).read_bytes() for name in before} == before
