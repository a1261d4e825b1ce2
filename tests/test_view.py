"""The dashboard's view model (samen030_map.view) on the real shipped data, against answers computed
independently from the GeoJSON and the seed CSVs (tests/expected.py)."""

from __future__ import annotations

# Must come before any samen030_map.picture/view/state import: it points SAMEN030_DB_URL at a
# throwaway SQLite file before the process-wide picture is built (see tests/app_env.py).
import tests.app_env  # noqa: F401  isort: skip

import dataclasses
import math
import unicodedata
from collections import Counter

import pandas as pd
import pytest

from samen030_map import view
from samen030_map.core.registry import THEMES, RegistryEntry
from samen030_map.picture import current_picture
from tests.expected import (
    CBS_WITHHELD,
    dutch_thousands,
    expected_status_counts,
    expected_statuses,
    known_inwoners,
    raw_buurten,
    raw_wijken,
    seed_entries,
    split,
)

ONDIEP = "BU03440222"
NOORDWEST = "WK034402"
ALL = view.Filters()
HEALTH = "Gezondheid & zorg"
STATUSES = ("gedekt", "wijkniveau", "weinig bewoners", "open")
# CBS property -> the buurt panel's field showing it.
DETAIL_FIGURES = {
    "aantal_inwoners": "inwoners",
    "percentage_personen_0_tot_15_jaar": "pct_0_15",
    "percentage_personen_65_jaar_en_ouder": "pct_65_plus",
    "percentage_eenpersoonshuishoudens": "pct_eenpersoons",
}
RANKING_PROPERTIES = {
    "inwoners": "aantal_inwoners",
    "ouderen": "percentage_personen_65_jaar_en_ouder",
    "kinderen": "percentage_personen_0_tot_15_jaar",
}


def withheld(cbs_property: str) -> list[str]:
    """Buurtcodes whose ``cbs_property`` CBS withheld (-99997) in the shipped GeoJSON."""
    buurten = raw_buurten()
    return sorted(buurten.index[buurten[cbs_property] == CBS_WITHHELD])


def collation_key(text: str) -> str:
    """How a Dutch reader alphabetises: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---- city and wijk figures -----------------------------------------------------------------


def test_city_summary_counts_all_111_buurten_and_their_inhabitants():
    summary = view.city_summary(view.filtered_view(ALL))
    assert len(raw_buurten()) == 111
    assert summary["buurten"] == 111
    assert sum(summary["counts"].values()) == 111
    assert set(summary["counts"]) == set(STATUSES)
    assert known_inwoners().sum() == 376_770
    assert summary["inwoners"] == "376.770" == dutch_thousands(known_inwoners().sum())
    assert summary["name"] == "Utrecht"


@pytest.mark.parametrize("filters", [ALL, *[view.Filters(theme=theme) for theme in THEMES], view.Filters(kind="speeltuin"), view.Filters(pillar="a"), view.Filters(relation="kernpartner")])
def test_status_per_buurt_follows_the_rules_whatever_the_filters(filters):
    """A filter never repaints a buurt: the statuses are the rules applied to the whole registry."""
    filtered = view.filtered_view(filters)
    assert view.status_by_code(filtered) == expected_statuses()
    assert view.city_summary(filtered)["counts"] == expected_status_counts()


@pytest.mark.parametrize("theme", ["", HEALTH])
def test_inhabitants_of_open_buurten_is_the_sum_over_the_open_buurten(theme):
    statuses = expected_statuses()
    open_codes = [code for code, status in statuses.items() if status == "open"]
    assert open_codes
    expected = known_inwoners()[open_codes].sum()
    summary = view.city_summary(view.filtered_view(view.Filters(theme=theme)))
    assert summary["inwoners_open"] == dutch_thousands(expected)
    assert summary["share_open"] == f"{round(100 * len(open_codes) / 111)}%"


def test_wijk_summaries_add_up_per_wijk():
    filtered = view.filtered_view(ALL)
    buurten, statuses, inwoners = raw_buurten(), expected_statuses(), known_inwoners()
    assert len(raw_wijken()) == 10
    for wijkcode, wijk in raw_wijken().iterrows():
        members = buurten.index[buurten["wijkcode"] == wijkcode]
        summary = view.wijk_summary(filtered, wijkcode)
        assert summary["code"] == wijkcode
        assert summary["name"] in wijk["wijknaam"]  # "Noordwest" in "Wijk 02 Noordwest"
        assert summary["buurten"] == len(members) == sum(summary["counts"].values())
        assert summary["counts"] == {status: sum(statuses[code] == status for code in members) for status in STATUSES}
        assert summary["inwoners"] == dutch_thousands(inwoners[members].sum())
        open_members = [code for code in members if statuses[code] == "open"]
        assert summary["inwoners_open"] == dutch_thousands(inwoners[open_members].sum())
    assert view.wijk_summary(filtered, "WK034499") == {}


def test_status_per_wijk_has_one_row_per_wijk_counting_its_buurten():
    rows = view.status_per_wijk(view.filtered_view(ALL))
    per_wijk = Counter(raw_buurten()["wijkcode"])
    short_names = {wijk["wijknaam"]: code for code, wijk in raw_wijken().iterrows()}
    assert len(rows) == 10
    for row in rows:
        (wijkcode,) = [code for name, code in short_names.items() if name.endswith(" " + row["wijk"])]
        assert sum(row[status] for status in STATUSES) == per_wijk[wijkcode]


# ---- the buurt panel -------------------------------------------------------------------------


def test_buurt_detail_of_ondiep():
    detail = view.buurt_detail(view.filtered_view(ALL), ONDIEP)
    raw = raw_buurten().loc[ONDIEP]
    assert detail["code"] == ONDIEP
    assert detail["name"] == raw["buurtnaam"] == "Ondiep"
    assert detail["wijkcode"] == raw["wijkcode"] == NOORDWEST
    assert detail["wijknaam"] == "Noordwest"
    assert raw_wijken().loc[NOORDWEST, "wijknaam"].endswith("Noordwest")
    assert detail["inwoners"] == dutch_thousands(raw["aantal_inwoners"])
    assert detail["pct_65_plus"] == f"{raw['percentage_personen_65_jaar_en_ouder']:.0f}%"

    organisations = {row["name"]: row for row in detail["organisations"]}
    assert "BuurtWerkKamer TOP" in organisations
    top = organisations["BuurtWerkKamer TOP"]
    assert "bij benadering" in top["precision_label"]
    assert top["approximate"] is True
    assert top["area"] == "Ondiep"
    # Every organisation that lists Ondiep in the seed file is in the panel.
    listing = seed_entries()
    listing = listing[(listing["entity"] == "organisation") & listing["area_codes"].map(lambda c: ONDIEP in split(c))]
    assert set(listing["name"]) <= set(organisations)
    assert detail["status"] == expected_statuses()[ONDIEP] == "gedekt"


@pytest.mark.parametrize("code", ["BU99999999", "", "WK034402", "ondiep"])
def test_buurt_detail_of_an_unknown_code_is_empty(code):
    assert view.buurt_detail(view.filtered_view(ALL), code) == {}


WITHHELD_CASES = [(code, field) for prop, field in DETAIL_FIGURES.items() for code in withheld(prop)]


def test_the_shipped_data_has_withheld_figures():
    """The 'onbekend' tests below need real cases; CBS withheld the share of 65+ for some buurten."""
    assert withheld("percentage_personen_65_jaar_en_ouder")


@pytest.mark.parametrize(("code", "field"), WITHHELD_CASES)
def test_a_withheld_cbs_figure_reads_onbekend(code, field):
    detail = view.buurt_detail(view.filtered_view(ALL), code)
    assert detail[field] == "onbekend"


def test_no_buurt_panel_shows_a_negative_or_wrong_figure():
    filtered = view.filtered_view(ALL)
    for code, raw in raw_buurten().iterrows():
        detail = view.buurt_detail(filtered, code)
        for prop, field in DETAIL_FIGURES.items():
            value = raw[prop]
            unit = "" if field == "inwoners" else "%"
            shown = detail[field]
            assert not shown.startswith("-"), (code, field, shown)
            if value < 0:
                assert shown == "onbekend", (code, field, shown)
            else:
                assert shown == dutch_thousands(value) + unit, (code, field, shown)


def test_a_nearby_meeting_place_is_never_shown_at_zero_distance():
    filtered = view.filtered_view(ALL)
    distances = filtered.coverage.buurten["nearest_meeting_place_m"]
    nearby = distances[(distances > 0) & (distances < 50)]
    assert not nearby.empty  # the shipped data has such buurten
    shown = {code: view.buurt_detail(filtered, code)["nearest_distance"] for code in nearby.index}
    assert all(text not in ("0,0 km", "in deze buurt") for text in shown.values()), shown


# ---- ranked gaps and the buurt list ------------------------------------------------------------


@pytest.mark.parametrize("ranking", sorted(RANKING_PROPERTIES))
def test_ranked_gaps_are_the_open_buurten_with_a_known_figure_highest_first(ranking):
    buurten, statuses = raw_buurten(), expected_statuses()
    figure = buurten[RANKING_PROPERTIES[ranking]].astype(float)
    expected_codes = {code for code in buurten.index if statuses[code] == "open" and figure[code] >= 0}

    gaps = view.ranked_gaps(view.filtered_view(ALL), ranking, limit=1000)
    assert {gap["code"] for gap in gaps} == expected_codes
    values = [figure[gap["code"]] for gap in gaps]
    assert values == sorted(values, reverse=True)
    unit = "" if ranking == "inwoners" else "%"
    for gap in gaps:
        assert gap["value"] == dutch_thousands(figure[gap["code"]]) + unit
    # Ties are broken by inhabitants, most first.
    inwoners = buurten["aantal_inwoners"]
    for first, second in zip(gaps, gaps[1:]):
        if figure[first["code"]] == figure[second["code"]]:
            assert inwoners[first["code"]] >= inwoners[second["code"]]
    assert view.ranked_gaps(view.filtered_view(ALL), "inwoners", "en", limit=1)[0]["value"] == f"{int(figure[gaps[0]['code']]):,}" or ranking != "inwoners"
    # The default list is the top 25.
    assert view.ranked_gaps(view.filtered_view(ALL), ranking) == gaps[:25]


def test_ranked_gaps_leave_out_an_open_buurt_whose_figure_is_unknown():
    filtered = view.filtered_view(ALL)
    top = view.ranked_gaps(filtered, "ouderen", limit=1)[0]["code"]
    buurten = filtered.coverage.buurten.copy()
    buurten.loc[top, "pct_65_plus"] = math.nan
    buurten.loc[top, "inwoners"] = math.nan
    picture = dataclasses.replace(filtered.picture, coverage=dataclasses.replace(filtered.coverage, buurten=buurten))
    unknown = dataclasses.replace(filtered, picture=picture)
    for ranking in ("ouderen", "inwoners"):
        codes = [gap["code"] for gap in view.ranked_gaps(unknown, ranking, limit=1000)]
        assert top not in codes
        assert len(codes) == len(view.ranked_gaps(filtered, ranking, limit=1000)) - 1


def test_ranked_gaps_are_the_same_under_a_theme_filter():
    gaps = view.ranked_gaps(view.filtered_view(view.Filters(theme=HEALTH)), "inwoners", limit=1000)
    assert gaps == view.ranked_gaps(view.filtered_view(ALL), "inwoners", limit=1000)
    assert len(gaps) == sum(status == "open" for status in expected_statuses().values())


def test_buurt_rows_carry_the_cbs_figures_with_unknown_as_none():
    rows = {row["code"]: row for row in view.buurt_rows(view.filtered_view(ALL))}
    assert set(rows) == set(raw_buurten().index)
    for code, raw in raw_buurten().iterrows():
        value = raw["percentage_personen_65_jaar_en_ouder"]
        assert rows[code]["pct_65_plus"] == (None if value == CBS_WITHHELD else value)
        assert rows[code]["inwoners"] == raw["aantal_inwoners"]


def _rows_with_unknown_inhabitants(*codes: str) -> list[dict]:
    rows = [dict(row) for row in view.buurt_rows(view.filtered_view(ALL))]
    for row in rows:
        if row["code"] in codes:
            row["inwoners"] = None
    return rows


@pytest.mark.parametrize("descending", [True, False])
def test_sorting_by_inhabitants_puts_unknowns_last(descending):
    unknown = ("BU03440222", "BU03440911")
    ordered = view.sort_buurt_rows(_rows_with_unknown_inhabitants(*unknown), "inwoners", descending)
    assert len(ordered) == 111
    assert {row["code"] for row in ordered[-2:]} == set(unknown)
    known = [row["inwoners"] for row in ordered[:-2]]
    assert None not in known
    assert known == sorted(known, reverse=descending)


def test_sorting_by_inhabitants_descending_starts_with_the_largest_buurt():
    ordered = view.sort_buurt_rows(view.buurt_rows(view.filtered_view(ALL)), "inwoners", True)
    largest = raw_buurten()["aantal_inwoners"].idxmax()
    assert ordered[0]["code"] == largest


def test_sorting_by_name_is_alphabetical():
    ordered = view.sort_buurt_rows(view.buurt_rows(view.filtered_view(ALL)), "buurtnaam", False)
    names = [row["name"] for row in ordered]
    assert names == sorted(raw_buurten()["buurtnaam"], key=collation_key)


def test_sorting_by_name_descending_is_the_reverse_and_unknown_keys_sort_by_name():
    rows = view.buurt_rows(view.filtered_view(ALL))
    ascending = view.sort_buurt_rows(rows, "buurtnaam", False)
    assert len({row["name"] for row in rows}) == 111  # names are unique, so the order is total
    assert view.sort_buurt_rows(rows, "buurtnaam", True) == ascending[::-1]
    assert view.sort_buurt_rows(rows, "no-such-key", False) == ascending
    assert ascending[0]["name"] == "2e Daalsebuurt en omgeving"  # digits before letters


# ---- filters ---------------------------------------------------------------------------------


def test_theme_filter_health_only_counts_organisations_with_that_theme():
    filtered = view.filtered_view(view.Filters(theme=HEALTH))
    entries = seed_entries(HEALTH)
    assert set(entries["name"]) >= {"Health Hub Utrecht / GROZUtrecht"}
    organisations = set(entries.loc[entries["entity"] == "organisation", "id"])
    places = set(entries.loc[entries["entity"] == "meeting_place", "id"])
    assert filtered.organisation_ids == organisations
    assert filtered.meeting_place_ids == places

    # The coverage stays the real one: the buurten with a buurt organisation stay gedekt.
    assert view.city_summary(filtered)["counts"]["gedekt"] == expected_status_counts()["gedekt"] > 0


@pytest.mark.parametrize("theme", ["", *THEMES])
def test_kind_counts_only_count_entries_with_the_theme(theme):
    counts = view.kind_counts(view.filtered_view(view.Filters(theme=theme)))
    assert counts == dict(Counter(seed_entries(theme)["kind"]))


def test_other_filters_keep_only_matching_entries():
    filtered = view.filtered_view(view.Filters(kind="buurtwerkkamer"))
    organisations = seed_entries()
    expected = set(organisations.loc[organisations["kind"] == "buurtwerkkamer", "id"])
    assert filtered.organisation_ids == expected
    assert filtered.meeting_place_ids == frozenset()
    assert view.kind_counts(filtered) == {"buurtwerkkamer": len(expected)}


def test_filtered_view_is_cached_per_filter_combination():
    first = view.filtered_view(view.Filters(theme=HEALTH))
    again = view.filtered_view(view.Filters(theme=HEALTH))
    assert first is again
    assert view.filtered_view(view.Filters(theme="Wijk & gemeentezaken")) is not first
    assert view.filtered_view(view.Filters()).coverage is current_picture().coverage


# ---- markers and entry rows ------------------------------------------------------------------


def _located_seed_entries() -> pd.DataFrame:
    """Entries with a display point (own coordinates, or exactly one buurt or wijk in their werkgebied),
    indexed by '<entity>:<id>'."""
    entries = seed_entries()
    single_area = entries["area_level"].isin(["buurt", "wijk"]) & entries["area_codes"].map(lambda codes: len(split(codes)) == 1)
    own_point = (entries["lat"] != "") & (entries["lon"] != "")
    located = entries[single_area | own_point]
    return located.set_index(located["entity"] + ":" + located["id"])


def test_marker_groups_hold_every_located_entry_exactly_once():
    groups = view.marker_groups()
    keys = [key for group in groups for key in group["keys"]]
    assert len(keys) == len(set(keys))
    located = _located_seed_entries()
    assert set(keys) == set(located.index)
    for group in groups:
        assert len(group["keys"]) == len(group["names"]) == len(group["kinds"]) == len(group["entities"])
        assert -90 <= group["lat"] <= 90 and -180 <= group["lon"] <= 180


def test_marker_groups_share_a_point_only_for_entries_at_the_same_area():
    located = _located_seed_entries()
    for group in view.marker_groups():
        areas = {split(located.loc[key, "area_codes"])[0] for key in group["keys"]}
        assert len(areas) == 1, group["keys"]  # stand-in points: one buurt's or wijk's representative point
        assert group["approximate"] is True  # no seed row has coordinates


def test_entry_row_keeps_html_in_names_as_plain_text():
    name = '<b>Vet</b> & Co <script>alert("x")</script>'
    entry = RegistryEntry(
        entity="organisation",
        id="html-in-name",
        name=name,
        kind="buurtcooperatie",
        area_level="buurt",
        area_codes=(ONDIEP,),
        address="<i>Straat</i> 1",
        location_precision="buurt",
        source_url="https://a.example ; https://b.example",
    )
    row = view.entry_row(entry, current_picture())
    assert row["name"] == name
    assert row["address"] == "<i>Straat</i> 1"
    assert row["area"] == "Ondiep"
    assert row["kind_label"] == "Buurtcoöperatie"
    assert "bij benadering" in row["precision_label"]
    assert row["sources"] == [{"url": "https://a.example", "text": "a.example"}, {"url": "https://b.example", "text": "b.example"}]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "www.example.org", "ftp://x.example"])
def test_entry_row_links_only_to_http_addresses(url):
    entry = RegistryEntry(entity="organisation", id="x", name="X", kind="netwerk", website=url, source_url=f"{url} ; https://ok.example")
    row = view.entry_row(entry, current_picture())
    assert row["website"] == ""
    assert [source["url"] for source in row["sources"]] == ["https://ok.example"]


def test_entry_row_names_the_area():
    picture = current_picture()
    city = RegistryEntry(entity="organisation", id="x", name="X", kind="netwerk")
    assert view.entry_row(city, picture)["area"] == "Heel Utrecht"
    wijk = RegistryEntry(entity="meeting_place", id="y", name="Y", kind="buurthuis", area_level="wijk", area_codes=("WK034404", "WK034405"))
    assert view.entry_row(wijk, picture)["area"] == "Wijken Noordoost, Oost"
    assert view.entry_row(wijk, picture, "en")["area"] == "Districts Noordoost, Oost"
    assert view.entry_row(city, picture, "en")["area"] == "All of Utrecht"


def test_wijk_summary_counts_the_organisations_working_in_the_wijk():
    import csv

    from samen030_map.core.config import REGISTRY_DIR

    with (REGISTRY_DIR / "organisations.csv").open(encoding="utf-8") as seed:
        rows = list(csv.DictReader(seed))
    in_noordwest = {
        row["id"]
        for row in rows
        if any(code == "WK034402" or code.startswith("BU034402") for code in row["area_codes"].split(";"))
    }
    summary = view.wijk_summary(view.filtered_view(view.Filters()), "WK034402")
    assert summary["organisaties"] == len(in_noordwest) > 0
    assert view.city_summary(view.filtered_view(view.Filters()))["organisaties"] == len(rows)


def test_every_kind_has_its_own_map_symbol():
    from samen030_map.core.registry import ORG_KINDS, PLACE_KINDS
    from samen030_map.labels import KIND_SYMBOLS

    kinds = (*ORG_KINDS, *PLACE_KINDS)
    assert set(KIND_SYMBOLS) == set(kinds)
    assert len(set(KIND_SYMBOLS.values())) == len(kinds)


# ---- search details ----------------------------------------------------------------------------


def test_search_details_in_both_languages():
    from samen030_map.core.search import SearchResult

    wijk = SearchResult("wijk", "WK034403", "Overvecht", "", "WK034403", buurt_count=10)
    assert (view.search_detail(wijk, "nl"), view.search_detail(wijk, "en")) == ("wijk met 10 buurten", "district with 10 neighbourhoods")
    one = SearchResult("wijk", "WK034499", "Klein", "", "WK034499", buurt_count=1)
    assert view.search_detail(one, "nl") == "wijk met 1 buurt"
    buurt = SearchResult("buurt", ONDIEP, "Ondiep", ONDIEP, NOORDWEST, wijknaam="Noordwest", postcode="3552")
    assert view.search_detail(buurt, "nl") == "postcode 3552 — buurt in Noordwest"
    assert view.search_detail(buurt, "en") == "postcode 3552 — neighbourhood in Noordwest"
    alias = SearchResult("buurt", "BU03440533", "Utrecht Science Park", "BU03440533", "WK034405", wijknaam="Oost", alias="De Uithof")
    assert view.search_detail(alias, "en") == "also known as De Uithof — neighbourhood in Oost"
    kamer = SearchResult("organisation", "x", "X", "", NOORDWEST, entry_kind="buurtwerkkamer", area=("buurten_in_wijk", 7, "Noordwest"))
    assert view.search_detail(kamer, "nl") == "buurtwerkkamer · 7 buurten in Noordwest"
    assert view.search_detail(kamer, "en") == "neighbourhood workroom · 7 neighbourhoods in Noordwest"
    city = SearchResult("organisation", "y", "Y", "", "", entry_kind="netwerk", area=("stad",), address="Neude 11")
    assert view.search_detail(city, "nl") == "netwerk · heel Utrecht · Neude 11"
    assert view.search_detail(city, "en") == "network · all of Utrecht · Neude 11"
