"""Search over buurten, wijken, organisations and meeting places, on the real shipped data."""

from __future__ import annotations

import dataclasses

import pytest

from samen030_map.core.config import REGISTRY_DIR
from samen030_map.core.importing import read_seed_csv
from samen030_map.core.registry import entries_frame
from samen030_map.core.search import (
    BUURT_ALIASES,
    MAX_QUERY_LENGTH,
    SearchIndex,
    SearchResult,
    build_search_index,
    normalise,
)

ONDIEP = "BU03440222"
NIJENOORD = "BU03440221"
SCIENCE_PARK = "BU03440533"  # formerly De Uithof
MAXIMAPARK = "BU03441014"  # formerly Leidsche Rijn Park
OVERVECHT = "WK034403"
NOORDWEST = "WK034402"
EVERYTHING = 1000  # a limit above the number of items


@pytest.fixture(scope="module")
def registry_entries(real_boundaries):
    """(organisation entries, meeting place entries) from the shipped seed CSVs."""
    organisations = read_seed_csv(REGISTRY_DIR / "organisations.csv", "organisation", real_boundaries)
    places = read_seed_csv(REGISTRY_DIR / "meeting_places.csv", "meeting_place", real_boundaries)
    return organisations, places


@pytest.fixture(scope="module")
def frames(real_boundaries, registry_entries):
    organisations, places = registry_entries
    return entries_frame(organisations, real_boundaries), entries_frame(places, real_boundaries)


@pytest.fixture(scope="module")
def index(real_boundaries, frames) -> SearchIndex:
    return build_search_index(real_boundaries, *frames)


def keys(results: list[SearchResult]) -> list[str]:
    return [result.key for result in results]


# --- buurten, wijken, postcodes, aliases ----------------------------------------------------------


def test_index_holds_every_area_and_entry(index, real_boundaries, frames):
    organisations, places = frames
    assert len(index) == len(real_boundaries.buurten) + len(real_boundaries.wijken) + len(organisations) + len(places)


def test_buurt_by_name_comes_first(index):
    results = index.search("Ondiep")
    assert results[0] == SearchResult("buurt", ONDIEP, "Ondiep", ONDIEP, NOORDWEST, wijknaam="Noordwest")


@pytest.mark.parametrize("query", ["ondiep", "ONDIEP", "  Ondiep  ", "Ondiep!"])
def test_case_whitespace_and_punctuation_do_not_matter(index, query):
    assert index.search(query)[0].key == ONDIEP


def test_postcode_lists_its_buurten_first(index, real_boundaries):
    expected = set(real_boundaries.buurten.index[real_boundaries.buurten["postcode"] == "3552"])
    assert expected == {NIJENOORD, ONDIEP}  # CBS meest_voorkomende_postcode
    results = index.search("3552")
    assert set(keys(results[: len(expected)])) == expected
    assert all(result.kind == "buurt" for result in results[: len(expected)])
    assert all(result.postcode == "3552" and result.wijknaam == "Noordwest" for result in results[: len(expected)])
    # nothing else is presented as lying in postcode 3552
    assert not [result for result in results[len(expected):] if result.postcode]


@pytest.mark.parametrize("query", ["3552AB", "3552 ab", " 3552 AB "])
def test_postcode_with_letters(index, query):
    assert set(keys(index.search(query)[:2])) == {NIJENOORD, ONDIEP}


def test_postcode_without_buurt_gives_nothing(index):
    assert index.search("9999") == []


@pytest.mark.parametrize("query", ["De Uithof", "de uithof", "uithof", "UITHOF"])
def test_old_name_uithof_finds_utrecht_science_park(index, query):
    first = index.search(query)[0]
    assert (first.kind, first.key, first.buurtcode) == ("buurt", SCIENCE_PARK, SCIENCE_PARK)
    assert first.label == "Utrecht Science Park"
    assert first.alias == "De Uithof"


@pytest.mark.parametrize("query", ["leidsche rijn park", "Leidsche Rijn Park", "leidsche-rijn-park"])
def test_old_name_leidsche_rijn_park_finds_maximapark(index, query):
    # Parkwijk-Noord/-Zuid (wijk Leidsche Rijn) hold all three words too, but only via the wijk name.
    results = index.search(query)
    assert results[0].key == MAXIMAPARK
    assert results[0].alias == "Leidsche Rijn Park"


@pytest.mark.parametrize("query", ["maximapark", "Máximapark", "MAXIMAPARK", "maxima park"])
def test_accents_are_ignored(index, query):
    first = index.search(query)[0]
    assert (first.key, first.label) == (MAXIMAPARK, "Máximapark")


def test_aliases_only_the_stated_ones(real_boundaries):
    assert BUURT_ALIASES == {SCIENCE_PARK: ("De Uithof", "Uithof"), MAXIMAPARK: ("Leidsche Rijn Park",)}
    assert set(BUURT_ALIASES) <= set(real_boundaries.buurten.index)


def test_wijk_ranks_first_for_its_name(index):
    results = index.search("overvecht", limit=EVERYTHING)
    assert results[0] == SearchResult("wijk", OVERVECHT, "Overvecht", "", OVERVECHT, buurt_count=10)
    # the buurt named after it, its buurten and the places called Overvecht follow
    assert {"BU03440343", "bibliotheek-overvecht", "BU03440311"} <= set(keys(results))


def test_wijk_word_finds_the_wijk(index):
    assert index.search("wijk oost")[0].key == "WK034405"


# --- ranking --------------------------------------------------------------------------------------


def test_exact_name_before_prefix_before_word_in_name(index):
    results = index.search("vleuten", limit=EVERYTHING)
    assert keys(results[:3]) == [
        "BU03441013",  # Vleuten: the name itself
        "WK034410",  # Vleuten-De Meern: name starts with it
        "bibliotheek-vleuten",  # Bibliotheek Vleuten: a word of the name starts with it
    ]
    # the rest only lie in the wijk Vleuten-De Meern
    assert all(result.kind == "buurt" and result.wijkcode == "WK034410" for result in results[3:])


def test_ties_buurten_then_organisations_then_places_then_alphabetical(index):
    results = index.search("lunetten")
    assert keys(results) == [
        "BU03440711",  # Lunetten-Noord
        "BU03440712",  # Lunetten-Zuid
        "bewoners-overleg-lunetten-lunetten-wil-wel",  # organisations, alphabetical
        "vereniging-netwerk-lunetten",
        "wijkcooperatie-lunetten",
        "bibliotheek-lunetten",  # then places, alphabetical
        "het-knooppunt-lunetten",
    ]


def test_alias_ranks_above_match_elsewhere(index):
    results = index.search("park", limit=EVERYTHING)
    position = {result.key: number for number, result in enumerate(results)}
    # Máximapark matches the word "park" through its old name Leidsche Rijn Park; Julianapark and
    # Wilhelminapark (alphabetically around it) only contain "park" inside a word.
    assert position["BU03440941"] < position[MAXIMAPARK]  # Parkwijk-Noord: name starts with it
    assert position[MAXIMAPARK] < position["BU03440231"]  # Julianapark en omgeving
    assert position[MAXIMAPARK] < position["BU03440532"]  # Wilhelminapark en omgeving


def test_word_in_name_ranks_above_match_elsewhere(index):
    results = index.search("oost", limit=EVERYTHING)
    position = {result.key: number for number, result in enumerate(results)}
    assert keys(results)[0] == "WK034405"  # the wijk Oost itself
    # Lombok-Oost (name) before Sterrenwijk (only its wijk is Oost)
    assert position["BU03440121"] < position["BU03440522"]
    # tie on "word in name": buurt, then organisation, then place
    assert position["BU03440121"] < position["platform-oost"] < position["podium-oost"]
    assert position["podium-oost"] < position["BU03440522"]


# --- organisations and meeting places ---------------------------------------------------------------


def test_speeltuin_finds_only_speeltuinen(index, frames):
    _, places = frames
    speeltuinen = set(places.loc[places["kind"] == "speeltuin", "id"])
    results = index.search("speeltuin", limit=EVERYTHING)
    assert len(speeltuinen) > 10
    assert {result.kind for result in results} == {"meeting_place"}
    assert set(keys(results)) == speeltuinen
    # a speeltuin without "speeltuin" in its name is found through its kind
    assert "trui-van-lier-speelkwartier" in keys(results)


def test_buurtwerkkamer_finds_the_buurtwerkkamers(index, frames):
    organisations, _ = frames
    kamers = set(organisations.loc[organisations["kind"] == "buurtwerkkamer", "id"])
    results = index.search("buurtwerkkamer", limit=EVERYTHING)
    assert len(kamers) == 4
    assert kamers <= set(keys(results))
    assert all(result.kind == "organisation" for result in results)
    assert all("buurtwerkkamer" in result.label.lower() or result.entry_kind == "buurtwerkkamer" for result in results)


def test_organisation_buurt_and_wijk(index):
    by_key = {result.key: result for result in index.search("buurtwerkkamer", limit=EVERYTHING)}
    top = by_key["buurtwerkkamer-top"]  # one buurt: Ondiep
    assert (top.buurtcode, top.wijkcode, top.entry_kind, top.area) == (ONDIEP, NOORDWEST, "buurtwerkkamer", ("buurten", ("Ondiep",)))
    klop = by_key["buurtwerkkamer-de-klop"]  # wijk Overvecht: its stand-in point says nothing about the buurt
    assert (klop.buurtcode, klop.wijkcode, klop.area) == ("", OVERVECHT, ("wijken", ("Overvecht",)))
    verbinding = by_key["buurtwerkkamer-de-verbinding"]  # seven buurten, all in Noordwest
    assert (verbinding.buurtcode, verbinding.wijkcode) == ("", NOORDWEST)
    assert verbinding.area == ("buurten_in_wijk", 7, "Noordwest")
    city = by_key["buurtwerkkamer-cooperatie"]  # works for the whole city
    assert (city.buurtcode, city.wijkcode, city.entry_kind, city.area) == ("", "", "netwerk", ("stad",))


def test_two_buurten_in_one_wijk_give_the_wijk_only(index):
    result = next(r for r in index.search("wijkcooperatie kanaleneiland") if r.key == "wijkcooperatie-kanaleneiland")
    assert result.area == ("buurten", ("Kanaleneiland-Noord", "Kanaleneiland-Zuid"))
    assert (result.buurtcode, result.wijkcode) == ("", "WK034408")


def test_place_in_two_wijken_has_no_wijk(index):
    result = index.search("wijkbureau")[0]
    assert (result.key, result.buurtcode, result.wijkcode) == ("wijkbureau-oost-noordoost", "", "")


@pytest.mark.parametrize("query", ["coöperatie", "cooperatie", "COOPERATIE", "Coöperatie"])
def test_diaeresis_is_ignored(index, query):
    results = keys(index.search(query, limit=EVERYTHING))
    assert "wijkcooperatie-kanaleneiland" in results
    assert "buurtwerkkamer-cooperatie" in results
    assert "samen030" in results  # through its kind, stadscoöperatie
    assert results == keys(index.search("cooperatie", limit=EVERYTHING))


def test_address_is_searched_when_the_frame_has_it(real_boundaries, frames, registry_entries):
    organisations, places = frames
    addresses = {entry.id: entry.address for entry in registry_entries[1]}
    with_address = places.assign(address=places["id"].map(addresses))
    index = build_search_index(real_boundaries, organisations, with_address)
    results = index.search("stormdijklaan")
    assert keys(results) == ["buurtkamer-hoograven-portaal"]
    assert results[0].address.endswith("Stormdijklaan 10")
    assert keys(index.search("tractieweg 41")) == ["werkspoorkathedraal"]


# --- query words --------------------------------------------------------------------------------


def test_every_word_must_occur(index):
    assert keys(index.search("speeltuin zuilen")) == ["speelbos-zuilen-niftarlakepark"]
    assert index.search("ondiep overvecht") == []
    assert index.search("lombok oost")[0].key == "BU03440121"
    assert "BU03440121" in keys(index.search("oost lombok"))  # word order is free


def test_multi_word_across_name_and_wijk(index):
    # "maan" is in the name, "west" only in the wijk name
    assert set(keys(index.search("maan west"))) == {"BU03440113", "BU03440114"}


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "!!! ---", "()"])
def test_empty_query_gives_nothing(index, query):
    assert index.search(query) == []


@pytest.mark.parametrize("query", ["<script>", "<script>alert('x')</script>", "</script><script>"])
def test_html_is_just_text(index, query):
    assert index.search(query) == []


def test_html_around_a_name_is_just_text(index):
    # the tags are words like any other: "b" occurs in no text about Ondiep, so nothing is found
    assert index.search("<b>Ondiep</b>") == []
    assert index.search("<i>Ondiep") == index.search("i ondiep")


def test_long_query_is_truncated(index):
    query = "Ondiep".ljust(MAX_QUERY_LENGTH) + "zzzz"  # the word after 100 characters is not used
    assert index.search(query)[0].key == ONDIEP
    assert index.search("Ondiep zzzz") == []


def test_limit_is_respected(index):
    assert len(index.search("oost")) == 12
    assert len(index.search("oost", limit=3)) == 3
    assert keys(index.search("oost", limit=3)) == keys(index.search("oost", limit=EVERYTHING))[:3]
    assert index.search("oost", limit=0) == []
    assert index.search("oost", limit=-1) == []
    assert len(index.search("3552", limit=1)) == 1


def test_results_are_frozen(index):
    result = index.search("Ondiep")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.key = "x"  # type: ignore[misc]


def test_normalise():
    assert normalise("Máximapark") == "maximapark"
    assert normalise("Wijkcoöperatie Kanaleneiland U.A.") == "wijkcooperatie kanaleneiland u a"
    assert normalise("Stichting Elinkwijk's Belang (SEB)") == "stichting elinkwijks belang seb"
    assert normalise("  Lombok-Oost ") == "lombok oost"
    assert normalise(None) == ""


def test_without_registry_only_areas(real_boundaries):
    index = build_search_index(real_boundaries, None, None)
    assert len(index) == len(real_boundaries.buurten) + len(real_boundaries.wijken)
    assert index.search("speeltuin") == []
    assert index.search("ondiep")[0].key == ONDIEP


def test_english_kind_words_find_entries_too(index):
    assert {result.entry_kind for result in index.search("playground", limit=EVERYTHING)} == {"speeltuin"}
