"""DashboardState (samen030_map.state.dashboard) without a browser: event handlers run on a state instance.

How: under pytest Reflex allows a state to be created directly (it checks PYTEST_CURRENT_TEST). The
fixture creates the root ``rx.State`` (which creates every substate, so ``lang`` lives in I18nState as in
the app) and takes the DashboardState from it. Handlers run through ``run()``: the handler's function
with the state as ``self``, which is what Reflex does when it processes an event. (On the class,
``DashboardState.toggle_status("open")`` only builds an EventSpec for the browser.)

The address bar is ``state.permalink`` (the page writes it whenever it changes); where the map goes is
``state.map_target``, asked for again each time ``map_target_seq`` grows.
"""

from __future__ import annotations

# Must come before any samen030_map.picture/view/state import: it points SAMEN030_DB_URL at a
# throwaway SQLite file before the process-wide picture is built (see tests/app_env.py).
import tests.app_env  # noqa: F401  isort: skip

from urllib.parse import parse_qs, urlsplit

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from samen030_map import view
from samen030_map.core.registry import ORG_KINDS, PLACE_KINDS, THEMES
from samen030_map.state.dashboard import BUURT_BOUNDS, CITY_BOUNDS, WIJK_BOUNDS, DashboardState
from tests.expected import expected_status_counts, raw_buurten, seed_entries

ONDIEP = "BU03440222"
NOORDWEST = "WK034402"
OVERVECHT = "WK034403"
OOST = "WK034405"
HEALTH = "Gezondheid & zorg"
STATUSES = ("open", "wijkniveau", "gedekt", "weinig bewoners")


@pytest.fixture
def state() -> DashboardState:
    root = rx.State()
    return root.get_substate(DashboardState.get_full_name().split("."))


def run(state: DashboardState, handler: str, *args):
    """Process one event: the handler's function with the state as self; returns what it returns."""
    return getattr(DashboardState, handler).fn(state, *args)


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def moved_to(state: DashboardState, action) -> list:
    """The bounds the map was sent to while ``action()`` ran ([] when it did not move)."""
    before = state.map_target_seq
    action()
    return [state.map_target] if state.map_target_seq > before else []


def open_link(state: DashboardState, path: str):
    """Simulate opening http://localhost:3000<path>: the router data Reflex fills in, then on_load."""
    state.router = RouterData.from_router_data(
        {"headers": {"origin": "http://localhost:3000"}, "asPath": path, "pathname": "/"}
    )
    return run(state, "load")


# ---- legend toggles --------------------------------------------------------------------------


def test_toggle_status_hides_and_shows_a_status(state):
    assert state.visible_statuses == list(STATUSES)
    assert run(state, "toggle_status", "open") is None
    assert state.hidden_statuses == ["open"]
    assert "open" not in state.visible_statuses
    assert state.buurt_list and all(row["status"] != "open" for row in state.buurt_list)

    run(state, "toggle_status", "open")
    assert state.hidden_statuses == []
    assert state.visible_statuses == list(STATUSES)
    assert len(state.buurt_list) == 111


@pytest.mark.parametrize("status", ["bogus", "<script>", "", "OPEN"])
def test_toggle_status_ignores_unknown_statuses(state, status):
    run(state, "toggle_status", "gedekt")
    run(state, "toggle_status", status)
    assert state.hidden_statuses == ["gedekt"]


# ---- filters ---------------------------------------------------------------------------------


def test_set_filter_accepts_a_known_theme_and_puts_it_in_the_link(state):
    run(state, "set_filter", "theme", HEALTH)
    assert state.theme == HEALTH
    assert state.filters_active is True
    assert query(state.permalink) == {"thema": HEALTH}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("theme", "<script>alert(1)</script>"),
        ("theme", "<script>"),
        ("theme", "gezondheid & zorg"),
        ("kind", "kerk"),
        ("status_filter", "gesloten"),
        ("selected_buurt", ONDIEP),  # not a filter field
        ("lang", "en"),  # not a filter field
        ("__class__", ""),
    ],
)
def test_set_filter_ignores_unknown_fields_and_values(state, field, value):
    run(state, "set_filter", "theme", HEALTH)
    before = state.dict()
    assert run(state, "set_filter", field, value) is None
    assert state.dict() == before
    assert state.theme == HEALTH and state.selected_buurt == "" and state.lang == "nl"


def test_set_filter_with_an_empty_value_clears_it(state):
    run(state, "set_filter", "kind", "buurtwerkkamer")
    run(state, "set_filter", "kind", "")
    assert state.kind == ""
    assert state.permalink == "/"


FILTER_CASES = [("theme", theme) for theme in THEMES] + [("kind", kind) for kind in (*ORG_KINDS, *PLACE_KINDS)] + [
    ("pillar", pillar) for pillar in "abc"
] + [("relation", relation) for relation in ("kernpartner", "lid", "onbekend", "stadscooperatie")]


@pytest.mark.parametrize(("field", "value"), FILTER_CASES)
def test_no_registry_filter_changes_the_coverage(state, field, value):
    """A filter chooses what is listed; the map's statuses and the legend counts stay the real ones."""
    statuses = dict(state.status_by_code)
    run(state, "set_filter", field, value)
    assert state.status_counts == expected_status_counts()
    assert state.status_by_code == statuses
    assert state.city["counts"] == expected_status_counts()


@pytest.mark.parametrize(("field", "value"), FILTER_CASES)
def test_registry_filters_choose_the_listed_entries(state, field, value):
    run(state, "set_filter", field, value)
    column = {"theme": "themes", "kind": "kind", "pillar": "pillars", "relation": "samen030_relation"}[field]
    entries = seed_entries()
    if column in ("themes", "pillars"):
        kept = entries[entries[column].map(lambda text: value in [part.strip() for part in text.split(";")])]
    else:
        kept = entries[entries[column] == value]
    expected = {f"{entity}:{entry_id}" for entity, entry_id in zip(kept["entity"], kept["id"])}
    listed = {row["key"] for row in state.organisation_list + state.place_list}
    assert listed == expected
    assert set(state.visible_entry_keys) <= expected
    assert state.nothing_passes_filters is (not expected)
    assert state.filter_summary != ""


def test_a_filter_that_leaves_nothing_says_so(state):
    run(state, "set_filter", "kind", "speeltuin")
    run(state, "set_filter", "relation", "kernpartner")
    assert state.nothing_passes_filters is True
    assert state.organisation_list == state.place_list == []
    assert "Speeltuin" in state.filter_summary and "Kernpartner" in state.filter_summary


def test_status_filter_limits_the_buurt_list(state):
    run(state, "set_filter", "status_filter", "gedekt")
    assert state.visible_statuses == ["gedekt"]
    assert {row["status"] for row in state.buurt_list} == {"gedekt"}
    assert len(state.buurt_list) == expected_status_counts()["gedekt"]


# ---- selecting places --------------------------------------------------------------------------


def test_select_buurt_selects_it_and_its_wijk(state):
    assert moved_to(state, lambda: run(state, "select_buurt", ONDIEP)) == []  # a map click does not move the map
    assert state.selected_buurt == ONDIEP
    assert state.selected_wijk == NOORDWEST == raw_buurten().loc[ONDIEP, "wijkcode"]
    assert state.buurt["name"] == "Ondiep"
    assert query(state.permalink) == {"buurt": ONDIEP}


@pytest.mark.parametrize("code", ["BU99999999", "bu03440222", "", "WK034402", "Ondiep", "<script>"])
def test_select_buurt_with_an_unknown_code_changes_nothing(state, code):
    run(state, "select_buurt", "BU03440231")
    before = state.dict()
    assert run(state, "select_buurt", code) is None
    assert state.dict() == before
    assert state.selected_buurt == "BU03440231" and state.selected_wijk == NOORDWEST


def test_select_wijk_selects_the_wijk_clears_the_buurt_and_zooms(state):
    run(state, "select_buurt", ONDIEP)
    assert moved_to(state, lambda: run(state, "select_wijk", OVERVECHT)) == [WIJK_BOUNDS[OVERVECHT]]
    assert state.selected_wijk == OVERVECHT
    assert state.selected_buurt == ""
    assert state.buurt == {}
    assert state.wijk["name"] == "Overvecht"
    assert query(state.permalink) == {"wijk": OVERVECHT}


@pytest.mark.parametrize("code", ["WK034499", "BU99999999", "", "XX", ONDIEP])
def test_select_wijk_with_an_unknown_code_changes_nothing(state, code):
    run(state, "select_buurt", ONDIEP)
    before = state.dict()
    assert run(state, "select_wijk", code) is None
    assert state.dict() == before


def test_the_wijk_panel_lists_its_organisations_and_places(state):
    run(state, "select_wijk", NOORDWEST)
    names = {row["name"] for row in state.wijk["organisation_rows"]}
    places = {row["name"] for row in state.wijk["meeting_place_rows"]}
    assert "BuurtWerkKamer TOP" in names and "De Speler" in places
    assert state.wijk["organisaties"] == len(state.wijk["organisation_rows"])


def test_clear_selection_gives_the_bare_address(state):
    run(state, "select_buurt", ONDIEP)
    run(state, "clear_selection")
    assert state.selected_buurt == state.selected_wijk == state.selected_entry == ""
    assert state.permalink == "/"


# ---- organisations and places ------------------------------------------------------------------


def test_every_organisation_and_place_can_be_opened_from_search_and_list(state):
    """All 79 seed entries: the search finds each by name, picking it opens its own card, and the lists hold it."""
    entries = seed_entries()
    assert len(entries) == 79  # 73 restated from public sources, 6 found later (shared/facts)
    listed = {row["key"] for row in state.organisation_list + state.place_list}
    for entity, entry_id, name in zip(entries["entity"], entries["id"], entries["name"]):
        key = f"{entity}:{entry_id}"
        assert key in listed, key
        hits = [r for r in _search(state, name) if r["kind"] == entity and r["key"] == entry_id]
        assert hits, f"search does not find {name!r}"
        run(state, "pick_search_result", entity, entry_id)
        assert state.selected_entry == key
        assert state.entry["name"] == name
        assert query(state.permalink) == {view.ENTITY_PARAMS[entity]: entry_id}
        run(state, "clear_selection")
        run(state, "open_entry", key)  # the same from a list row
        assert state.entry["name"] == name


def test_opening_an_entry_highlights_its_werkgebied_and_zooms_to_it(state):
    assert moved_to(state, lambda: run(state, "open_entry", "organisation:buurtwerkkamer-top")) != []
    assert state.highlight_codes == [ONDIEP]
    assert state.map_target == BUURT_BOUNDS[ONDIEP]
    run(state, "open_entry", "organisation:buurtwerkkamer-de-klop")  # works in wijk Overvecht
    buurten = raw_buurten()
    assert set(state.highlight_codes) == set(buurten.index[buurten["wijkcode"] == OVERVECHT])
    run(state, "open_entry", "organisation:samen030")  # the whole city: nothing outlined, the city in view
    assert state.highlight_codes == [] and state.map_target == CITY_BOUNDS
    assert state.entry["area"] == "Heel Utrecht"


@pytest.mark.parametrize("key", ["organisation:bogus", "meeting_place:samen030", "samen030", "", "<b>x</b>"])
def test_opening_an_unknown_entry_changes_nothing(state, key):
    run(state, "select_buurt", ONDIEP)
    before = state.dict()
    run(state, "open_entry", key)
    run(state, "marker_click", [key])
    assert state.dict() == before


def test_a_marker_of_one_entry_opens_it_and_a_stack_does_not_select_anything(state):
    run(state, "marker_click", ["meeting_place:de-speler"])
    assert state.selected_entry == "meeting_place:de-speler"
    run(state, "clear_selection")
    run(state, "marker_click", ["meeting_place:de-speler", "organisation:buurtwerkkamer-top"])
    assert state.selected_entry == ""


def test_an_unknown_relation_is_not_printed_on_the_card(state):
    run(state, "open_entry", "meeting_place:de-speler")
    assert state.entry["relation_label"] == ""
    run(state, "open_entry", "organisation:power-by-peers")
    assert state.entry["relation_label"] == "Kernpartner van SAMEN030"


# ---- search ----------------------------------------------------------------------------------


def _search(state, text: str) -> list[dict[str, str]]:
    run(state, "set_search_query", text)
    return state.search_results


def test_searching_a_postcode_lists_its_buurten(state):
    results = _search(state, "3552")
    buurten = raw_buurten()
    with_postcode = set(buurten.index[buurten["meest_voorkomende_postcode"] == "3552"])
    assert ONDIEP in with_postcode
    assert {r["key"] for r in results if r["kind"] == "buurt"} >= with_postcode
    (ondiep,) = [r for r in results if r["key"] == ONDIEP]
    assert ondiep["label"] == "Ondiep"
    assert ondiep["buurtcode"] == ONDIEP and ondiep["wijkcode"] == NOORDWEST


def test_an_empty_search_lists_nothing(state):
    assert _search(state, "   ") == []
    run(state, "set_search_query", "x" * 500)
    assert len(state.search_query) == 100


def test_picking_a_wijk_from_the_search(state):
    (result,) = [r for r in _search(state, "Overvecht") if r["kind"] == "wijk"]
    assert moved_to(state, lambda: run(state, "pick_search_result", result["kind"], result["key"])) == [WIJK_BOUNDS[OVERVECHT]]
    assert state.search_query == ""
    assert state.selected_wijk == OVERVECHT and state.selected_buurt == ""
    assert query(state.permalink) == {"wijk": OVERVECHT}


def test_picking_a_buurt_from_the_search_selects_it_and_zooms_to_it(state):
    (result,) = [r for r in _search(state, "Ondiep") if r["kind"] == "buurt"]
    assert moved_to(state, lambda: run(state, "pick_search_result", result["kind"], result["key"])) == [BUURT_BOUNDS[ONDIEP]]
    assert state.search_query == ""
    assert state.selected_buurt == ONDIEP and state.selected_wijk == NOORDWEST
    assert query(state.permalink) == {"buurt": ONDIEP}


def test_picking_an_organisation_opens_its_own_card(state):
    (result,) = [r for r in _search(state, "Platform Oost") if r["key"] == "platform-oost"]
    assert result["kind"] == "organisation" and result["wijkcode"] == OOST
    run(state, "select_buurt", ONDIEP)
    run(state, "pick_search_result", result["kind"], result["key"])
    assert state.selected_entry == "organisation:platform-oost"
    assert state.selected_wijk == "" and state.selected_buurt == ""
    assert state.entry["name"] == "Platform Oost"
    assert query(state.permalink) == {"org": "platform-oost"}
    # Selecting a buurt afterwards replaces it.
    run(state, "select_buurt", ONDIEP)
    assert state.selected_entry == "" and state.entry == {}


def test_search_by_keyboard(state):
    results = _search(state, "lunetten")
    assert len(results) >= 2 and state.search_active == 0 and state.search_open
    run(state, "search_key", "ArrowDown")
    assert state.search_active == 1
    run(state, "search_key", "ArrowUp")
    run(state, "search_key", "ArrowUp")  # wraps to the last
    assert state.search_active == len(results) - 1
    run(state, "search_key", "ArrowDown")
    assert state.search_active == 0
    run(state, "search_key", "ArrowDown")
    picked = results[1]
    run(state, "search_key", "Enter")
    assert state.search_query == "" and state.search_open is False
    assert picked["key"] in (state.selected_buurt, state.selected_wijk, state.selected_entry.partition(":")[2])


def test_escape_and_leaving_the_box_close_the_list(state):
    _search(state, "ondiep")
    run(state, "search_key", "Escape")
    assert state.search_open is False and state.search_active == -1
    run(state, "search_key", "Enter")  # nothing picked from a closed list
    assert state.selected_buurt == ""
    run(state, "open_search")
    assert state.search_open is True
    run(state, "close_search")
    assert state.search_open is False


def test_search_details_follow_the_language(state):
    (dutch,) = [r for r in _search(state, "Ondiep") if r["kind"] == "buurt"]
    assert dutch["detail"] == "buurt in Noordwest"
    run(state, "set_language", "en")
    (english,) = [r for r in state.search_results if r["kind"] == "buurt"]
    assert english["detail"] == "neighbourhood in Noordwest"
    assert state.search_status.endswith("results") or state.search_status.endswith("result")


# ---- list sorting, language ------------------------------------------------------------------


def test_sort_buurten_toggles_direction_on_the_same_key(state):
    assert (state.sort_key, state.sort_descending) == ("buurtnaam", False)
    run(state, "sort_buurten", "buurtnaam")
    assert (state.sort_key, state.sort_descending) == ("buurtnaam", True)
    run(state, "sort_buurten", "buurtnaam")
    assert (state.sort_key, state.sort_descending) == ("buurtnaam", False)

    run(state, "sort_buurten", "inwoners")  # a new key: inhabitants start with the most
    assert (state.sort_key, state.sort_descending) == ("inwoners", True)
    largest = raw_buurten()["aantal_inwoners"].idxmax()
    assert state.buurt_list[0]["code"] == largest
    run(state, "sort_buurten", "inwoners")
    assert state.sort_descending is False
    assert state.buurt_list[-1]["code"] == largest

    run(state, "sort_buurten", "wijknaam")
    assert (state.sort_key, state.sort_descending) == ("wijknaam", False)
    run(state, "sort_buurten", "geometry")  # unknown keys are ignored
    assert (state.sort_key, state.sort_descending) == ("wijknaam", False)


@pytest.mark.parametrize("value", ["en", ["en"]])
def test_set_language_accepts_english(state, value):
    run(state, "set_language", value)
    assert state.lang == "en"
    assert state.is_english is True
    assert query(state.permalink) == {"lang": "en"}
    assert state.city["inwoners"] == "376,770"  # English number notation
    # Back to Dutch: the default language is left out of the address.
    run(state, "set_language", "nl")
    assert state.permalink == "/" and state.lang == "nl"
    assert state.city["inwoners"] == "376.770"


@pytest.mark.parametrize("value", ["de", ["de"], [], "", "EN", None])
def test_set_language_rejects_other_languages(state, value):
    run(state, "set_language", "en")
    assert run(state, "set_language", value) is None
    assert state.lang == "en"


# ---- the permalink (on_load with router data) ------------------------------------------------


def test_a_link_restores_buurt_language_and_filters(state):
    assert moved_to(state, lambda: open_link(state, "/?buurt=bu03440222&lang=en&thema=Gezondheid+%26+zorg&status=open")) == [BUURT_BOUNDS[ONDIEP]]
    assert state.selected_buurt == ONDIEP
    assert state.selected_wijk == NOORDWEST
    assert state.lang == "en"
    assert state.theme == HEALTH
    assert state.status_filter == "open"


def test_a_link_with_only_a_wijk_selects_the_wijk(state):
    assert moved_to(state, lambda: open_link(state, "/?wijk=wk034403")) == [WIJK_BOUNDS[OVERVECHT]]
    assert state.selected_wijk == OVERVECHT and state.selected_buurt == ""


def test_a_link_to_an_organisation_opens_its_card(state):
    open_link(state, "/?org=buurtwerkkamer-top&buurt=BU03440231")
    assert state.selected_entry == "organisation:buurtwerkkamer-top"
    assert state.selected_buurt == "" and state.highlight_codes == [ONDIEP]
    open_link(state, "/?plek=de-speler")
    assert state.selected_entry == "meeting_place:de-speler"


def test_a_link_with_unknown_values_falls_back_to_the_defaults(state):
    moves = moved_to(state, lambda: open_link(
        state,
        "/?buurt=BU99999999&wijk=%3Cscript%3E&lang=de&thema=%3Cscript%3E&soort=kerk&status=gesloten"
        "&org=%3Cb%3E&plek=samen030&verberg=bogus,open&lagen_uit=%3Cscript%3E",
    ))
    assert moves == []
    assert (state.selected_buurt, state.selected_wijk, state.selected_entry, state.lang) == ("", "", "", "nl")
    assert (state.theme, state.kind, state.pillar, state.relation, state.status_filter) == ("", "", "", "", "")
    assert (state.hidden_statuses, state.hidden_layers) == (["open"], [])


def test_a_buurt_in_the_link_overrides_a_wijk_that_does_not_contain_it(state):
    open_link(state, f"/?buurt={ONDIEP}&wijk={OVERVECHT}")
    assert state.selected_buurt == ONDIEP and state.selected_wijk == NOORDWEST


def test_a_reload_only_brings_back_what_the_link_holds(state):
    """Reflex keeps a tab's state over a reload; load must still reset everything the link does not hold."""
    run(state, "toggle_status", "open")
    run(state, "toggle_kind", "speeltuin")
    run(state, "toggle_layer", "achtergrond")
    run(state, "set_filter", "kind", "buurthuis")
    run(state, "open_entry", "organisation:samen030")
    open_link(state, "/?buurt=BU03440222")
    assert (state.hidden_statuses, state.hidden_kinds, state.hidden_layers) == ([], [], [])
    assert state.kind == "" and state.selected_entry == "" and state.selected_buurt == ONDIEP


VIEW_FIELDS = (
    "selected_buurt", "selected_wijk", "selected_entry", "lang", "theme", "kind", "pillar", "relation",
    "status_filter", "hidden_statuses", "hidden_kinds", "hidden_layers", "growth_year", "presenting", "tour_step",
)  # fmt: skip


def test_the_link_is_the_view_after_every_change(state):
    """After each step of a series, opening the permalink in a fresh tab gives exactly the same view."""
    steps = [
        ("set_filter", "theme", HEALTH),
        ("toggle_status", "weinig bewoners"),
        ("toggle_kind", "speeltuin"),
        ("toggle_layer", "achtergrond"),
        ("set_language", "en"),
        ("select_buurt", ONDIEP),
        ("select_buurt", "BU03440231"),
        ("select_wijk", OVERVECHT),
        ("open_entry", "meeting_place:de-speler"),
        ("pick_search_result", "buurt", "BU03440711"),
        ("toggle_status", "weinig bewoners"),
        ("set_filter", "status_filter", "open"),
        ("clear_selection",),
        ("set_growth_year", [2016]),
        ("start_presentation",),
        ("tour_next",),
        ("tour_next",),
        ("stop_presentation",),
        ("stop_growth",),
        ("clear_filters",),
    ]
    for handler, *args in steps:
        run(state, handler, *args)
        restored = rx.State().get_substate(DashboardState.get_full_name().split("."))
        open_link(restored, state.permalink)
        for field in VIEW_FIELDS:
            assert getattr(restored, field) == getattr(state, field), (handler, args, field, state.permalink)


# ---- the presentation mode -------------------------------------------------------------------


def test_the_tour_goes_city_then_each_wijk_then_the_gaps_and_stops_at_both_ends(state):
    assert state.tour == {}  # not presenting: the tour is not even computed
    assert moved_to(state, lambda: run(state, "start_presentation")) == [CITY_BOUNDS]
    assert state.presenting and state.tour["number"] == 1 and state.tour["first"]
    assert query(state.permalink) == {"presentatie": "1"}
    run(state, "tour_previous")  # already at the start: stays
    assert state.tour_step == 0
    wijken = sorted(WIJK_BOUNDS)
    for index, wijk in enumerate(wijken, start=1):
        assert moved_to(state, lambda: run(state, "tour_next")) == [WIJK_BOUNDS[wijk]]
        assert state.selected_wijk == wijk and state.tour["area"] == wijk
        assert query(state.permalink) == {"presentatie": "1", "stap": str(index), "wijk": wijk}
    run(state, "tour_next")
    assert state.tour["last"] and state.selected_wijk == "" and state.tour["number"] == state.tour["of"] == 12
    run(state, "tour_next")  # already at the end: stays
    assert state.tour_step == 11
    # The last step outlines the buurten it ranks, and they are all without a buurt organisation.
    assert len(state.highlight_codes) == view.TOUR_GAPS and all(state.status_by_code[code] == "open" for code in state.highlight_codes)
    run(state, "stop_presentation")
    assert not state.presenting and state.tour == {} and "presentatie" not in state.permalink


def test_a_tour_link_opens_at_its_step_and_a_step_beyond_the_end_is_the_last(state):
    open_link(state, f"/?presentatie=1&stap=3&wijk={NOORDWEST}")
    assert state.presenting and state.tour_step == 3 and state.tour["title"] == "Wijk Overvecht"
    assert state.selected_wijk == OVERVECHT  # the step decides the zoom, not a wijk in the link
    open_link(state, "/?presentatie=1&stap=999")
    assert state.tour_step == 11
    open_link(state, "/?stap=4")  # a step without presentatie is nothing
    assert not state.presenting and state.tour_step == 0


def test_the_filters_in_force_carry_into_the_tour(state):
    run(state, "start_presentation")
    all_names = sum((step["names"] for step in view.tour_steps(view.filtered_view(view.Filters()))), [])
    run(state, "set_filter", "kind", "speeltuin")
    assert "Soort" in state.filter_summary and "presentatie=1" in state.permalink
    picture = state._view().picture
    playgrounds = {e.name for e in (*picture.organisation_entries, *picture.meeting_place_entries) if e.kind == "speeltuin"}
    shown = sum((step["names"] for step in view.tour_steps(state._view())), [])
    assert shown and set(shown) <= playgrounds and len(shown) < len(all_names)
    assert state.tour["facts"][1].startswith("0 organisaties")


def test_the_tour_speaks_english(state):
    open_link(state, "/?presentatie=1&stap=2&lang=en")
    assert state.tour["title"] == "District Noordwest" or state.tour["title"].endswith("Noordwest")
    assert state.tour["facts"][0].startswith("Residents in")


# ---- the growth view ---------------------------------------------------------------------------


def test_the_growth_year_changes_the_map_and_markers_and_stays_within_the_years(state):
    first, last = state.growth_span
    assert 1900 < first < last
    today = dict(state.status_counts)
    markers_today = len(state.visible_entry_keys)
    run(state, "set_growth_year", [first])
    assert state.growth_year == first and query(state.permalink) == {"jaar": str(first)}
    assert state.status_counts["gedekt"] < today["gedekt"] or state.status_counts["open"] > today["open"]
    assert sum(state.status_counts.values()) == 111
    assert len(state.visible_entry_keys) < markers_today
    # The legend's kind counts are those of the markers: what had started by then.
    assert sum(state.kind_counts.values()) == len(state.visible_entry_keys)
    assert state.growth_year_text == f"Situatie eind {first}"
    for bad in ([first - 1], [last + 1], ["abc"], [], None):
        run(state, "set_growth_year", bad)
        assert state.growth_year in (0, first)
    run(state, "stop_growth")
    assert state.growth_year == 0 and state.status_counts == today and len(state.visible_entry_keys) == markers_today
    assert sum(state.kind_counts.values()) == markers_today


def test_a_growth_link_outside_the_years_shows_today(state):
    open_link(state, "/?jaar=1801")
    assert state.growth_year == 0
    open_link(state, f"/?jaar={state.growth_span[0]}")
    assert state.growth_year == state.growth_span[0]


def test_every_download_is_made_and_a_growth_view_downloads_its_year():
    import csv
    import io

    from samen030_map.core.growth import start_year
    from samen030_map.export.mapview import MapView
    from samen030_map.picture import current_picture
    from samen030_map.state.dashboard import DOWNLOADS, make_download

    picture = current_picture()
    for kind in DOWNLOADS:
        data, filename, mime = make_download(kind, picture, MapView())
        assert data and filename and "/" in mime, kind
    year = 2016
    data, _, _ = make_download("organisaties-csv", picture, MapView(year=year))
    names = {row["name"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    started = {e.name for e in picture.organisation_entries if (start_year(e) or 9999) <= year}
    assert names == started and len(started) < len(picture.organisation_entries)
    assert make_download("png", picture, MapView(year=year))[0] != make_download("png", picture, MapView())[0]
