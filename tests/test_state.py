"""DashboardState (samen030_map.state.dashboard) without a browser: event handlers run on a state instance.

How: under pytest Reflex allows a state to be created directly (it checks PYTEST_CURRENT_TEST). The
fixture creates the root ``rx.State`` (which creates every substate, so ``lang`` lives in I18nState as in
the app) and takes the DashboardState from it. Handlers run through ``run()``: the handler's function
with the state as ``self``, which is what Reflex does when it processes an event. (On the class,
``DashboardState.toggle_status("open")`` only builds an EventSpec for the browser.)

Handlers that touch the URL or the map return ``rx.call_script`` EventSpecs; ``scripts()`` digs the
JavaScript text out of them and ``written_url()`` the address that ``history.replaceState`` writes.
"""

from __future__ import annotations

# Must come before any samen030_map.picture/view/state import: it points SAMEN030_DB_URL at a
# throwaway SQLite file before the process-wide picture is built (see tests/app_env.py).
import tests.app_env  # noqa: F401  isort: skip

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import reflex as rx
from reflex.event import EventSpec
from reflex.istate.data import RouterData

from samen030_map.core.registry import THEMES
from samen030_map.state.dashboard import BUURT_BOUNDS, DashboardState
from tests.expected import expected_status_counts, raw_buurten

ONDIEP = "BU03440222"
NOORDWEST = "WK034402"
OVERVECHT = "WK034403"
OOST = "WK034405"
HEALTH = "Gezondheid & zorg"
STATUSES = ("open", "wijkniveau", "gedekt", "weinig bewoners")
REPLACE_STATE = re.compile(r"window\.history\.replaceState\(null, '', (\".*\")\)")


@pytest.fixture
def state() -> DashboardState:
    root = rx.State()
    return root.get_substate(DashboardState.get_full_name().split("."))


def run(state: DashboardState, handler: str, *args):
    """Process one event: the handler's function with the state as self; returns what it returns."""
    return getattr(DashboardState, handler).fn(state, *args)


def scripts(result) -> list[str]:
    """The JavaScript of the rx.call_script EventSpec(s) a handler returned (none for None)."""
    specs = [] if result is None else result if isinstance(result, list) else [result]
    texts = []
    for spec in specs:
        assert isinstance(spec, EventSpec)
        arguments = {name._js_expr: value for name, value in spec.args}
        assert "javascript_code" in arguments  # the signature of rx.call_script's event
        texts.append(arguments["javascript_code"]._var_value)
    return texts


def written_url(result) -> str:
    """The address a handler writes with history.replaceState (exactly one such script)."""
    (url,) = [json.loads(match.group(1)) for text in scripts(result) if (match := REPLACE_STATE.search(text))]
    return url


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def flies_to(result) -> list:
    """The bounds the map is sent to (window.buurtkaartTarget = …), or [] when it does not move."""
    return [json.loads(m.group(1)) for text in scripts(result) if (m := re.search(r"window\.buurtkaartTarget = (\[.*?\]\]);", text))]


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


def test_set_filter_accepts_a_known_theme_and_writes_it_to_the_url(state):
    result = run(state, "set_filter", "theme", HEALTH)
    assert state.theme == HEALTH
    assert state.filters_active is True
    assert query(written_url(result)) == {"thema": HEALTH}


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
    result = run(state, "set_filter", "kind", "")
    assert state.kind == ""
    assert written_url(result) == "/"


@pytest.mark.parametrize("theme", THEMES)
def test_status_counts_follow_the_theme_filter(state, theme):
    assert state.status_counts == expected_status_counts()
    assert "status_counts" not in state.dirty_vars
    run(state, "set_filter", "theme", theme)
    assert "status_counts" in state.dirty_vars  # so the browser is sent the new counts
    assert state.status_counts == expected_status_counts(theme)
    assert state.status_counts["gedekt"] == 0  # no counted-kind organisation with a theme works on a buurt
    run(state, "clear_filters")
    assert state.status_counts == expected_status_counts()


def test_status_filter_limits_the_buurt_list(state):
    run(state, "set_filter", "status_filter", "gedekt")
    assert state.visible_statuses == ["gedekt"]
    assert {row["status"] for row in state.buurt_list} == {"gedekt"}
    assert len(state.buurt_list) == expected_status_counts()["gedekt"]


# ---- selecting places --------------------------------------------------------------------------


def test_select_buurt_selects_it_and_its_wijk(state):
    result = run(state, "select_buurt", ONDIEP)
    assert state.selected_buurt == ONDIEP
    assert state.selected_wijk == NOORDWEST == raw_buurten().loc[ONDIEP, "wijkcode"]
    assert state.buurt["name"] == "Ondiep"
    assert "buurt=BU03440222" in written_url(result)
    assert query(written_url(result)) == {"buurt": ONDIEP, "wijk": NOORDWEST}
    assert flies_to(result) == []  # a map click does not move the map


@pytest.mark.parametrize("code", ["BU99999999", "bu03440222", "", "WK034402", "Ondiep", "<script>"])
def test_select_buurt_with_an_unknown_code_changes_nothing(state, code):
    run(state, "select_buurt", "BU03440231")
    before = state.dict()
    assert run(state, "select_buurt", code) is None
    assert state.dict() == before
    assert state.selected_buurt == "BU03440231" and state.selected_wijk == NOORDWEST


def test_select_area_with_a_wijk_code_selects_the_wijk_and_clears_the_buurt(state):
    run(state, "select_buurt", ONDIEP)
    result = run(state, "select_area", OVERVECHT)
    assert state.selected_wijk == OVERVECHT
    assert state.selected_buurt == ""
    assert state.buurt == {}
    assert state.wijk["name"] == "Overvecht"
    assert query(written_url(result)) == {"wijk": OVERVECHT}
    assert len(flies_to(result)) == 1


def test_select_area_with_a_buurt_code_selects_the_buurt(state):
    """select_area calls select_buurt from inside a handler; the state must really change."""
    run(state, "select_wijk", OVERVECHT)
    assert (state.selected_buurt, state.selected_wijk) == ("", OVERVECHT)
    result = run(state, "select_area", ONDIEP)
    assert state.selected_buurt == ONDIEP
    assert state.selected_wijk == NOORDWEST
    assert state.buurt["name"] == "Ondiep"
    assert "buurt=BU03440222" in written_url(result)


@pytest.mark.parametrize("code", ["WK034499", "BU99999999", "", "XX"])
def test_select_area_with_an_unknown_code_changes_nothing(state, code):
    run(state, "select_buurt", ONDIEP)
    before = state.dict()
    assert run(state, "select_area", code) is None
    assert state.dict() == before


def test_clear_selection_writes_the_bare_address(state):
    run(state, "select_buurt", ONDIEP)
    result = run(state, "clear_selection")
    assert state.selected_buurt == state.selected_wijk == ""
    assert written_url(result) == "/"


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
    events = run(state, "pick_search_result", result["kind"], result["key"], result["buurtcode"], result["wijkcode"])
    assert state.search_query == ""
    assert state.selected_wijk == OVERVECHT and state.selected_buurt == ""
    assert query(written_url(events)) == {"wijk": OVERVECHT}
    assert len(flies_to(events)) == 1


def test_picking_a_buurt_from_the_search_selects_it_and_zooms_to_it(state):
    (result,) = [r for r in _search(state, "Ondiep") if r["kind"] == "buurt"]
    events = run(state, "pick_search_result", result["kind"], result["key"], result["buurtcode"], result["wijkcode"])
    assert state.search_query == ""
    assert state.selected_buurt == ONDIEP and state.selected_wijk == NOORDWEST
    assert "buurt=BU03440222" in written_url(events)
    assert flies_to(events) == [BUURT_BOUNDS[ONDIEP]]


def test_picking_an_organisation_with_only_a_wijk_selects_the_wijk(state):
    (result,) = [r for r in _search(state, "Platform Oost") if r["key"] == "platform-oost"]
    assert result["kind"] == "organisation" and result["buurtcode"] == "" and result["wijkcode"] == OOST
    run(state, "select_buurt", ONDIEP)
    events = run(state, "pick_search_result", result["kind"], result["key"], result["buurtcode"], result["wijkcode"])
    assert state.selected_wijk == OOST and state.selected_buurt == ""
    assert query(written_url(events)) == {"wijk": OOST}


def test_picking_a_city_wide_organisation_shows_the_organisation_itself(state):
    (result,) = [r for r in _search(state, "SAMEN030") if r["key"] == "samen030"]
    run(state, "select_buurt", ONDIEP)
    run(state, "pick_search_result", result["kind"], result["key"], result["buurtcode"], result["wijkcode"])
    assert state.selected_buurt == "" and state.selected_wijk == "" and state.search_query == ""
    assert state.selected_entry == "organisation:samen030"
    assert state.entry["name"] == "SAMEN030" and state.entry["area"] == "Heel Utrecht"
    # Selecting a buurt afterwards replaces it.
    run(state, "select_buurt", ONDIEP)
    assert state.selected_entry == "" and state.entry == {}


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
    result = run(state, "set_language", value)
    assert state.lang == "en"
    assert state.is_english is True
    assert query(written_url(result)) == {"lang": "en"}
    # Back to Dutch: the default language is left out of the address.
    assert written_url(run(state, "set_language", "nl")) == "/"
    assert state.lang == "nl"


@pytest.mark.parametrize("value", ["de", ["de"], [], "", "EN", None])
def test_set_language_rejects_other_languages(state, value):
    run(state, "set_language", "en")
    assert run(state, "set_language", value) is None
    assert state.lang == "en"


# ---- the permalink (on_load with router data) ------------------------------------------------


def test_a_link_restores_buurt_language_and_filters(state):
    result = open_link(state, "/?buurt=bu03440222&lang=en&thema=Gezondheid+%26+zorg&status=open")
    assert state.selected_buurt == ONDIEP
    assert state.selected_wijk == NOORDWEST
    assert state.lang == "en"
    assert state.theme == HEALTH
    assert state.status_filter == "open"
    assert flies_to(result) == [BUURT_BOUNDS[ONDIEP]]


def test_a_link_with_only_a_wijk_selects_the_wijk(state):
    result = open_link(state, "/?wijk=wk034403")
    assert state.selected_wijk == OVERVECHT and state.selected_buurt == ""
    assert len(flies_to(result)) == 1


def test_a_link_with_unknown_values_falls_back_to_the_defaults(state):
    result = open_link(
        state, "/?buurt=BU99999999&wijk=%3Cscript%3E&lang=de&thema=%3Cscript%3E&soort=kerk&status=gesloten"
    )
    assert result is None
    assert (state.selected_buurt, state.selected_wijk, state.lang) == ("", "", "nl")
    assert (state.theme, state.kind, state.pillar, state.relation, state.status_filter) == ("", "", "", "", "")


def test_a_buurt_in_the_link_overrides_a_wijk_that_does_not_contain_it(state):
    open_link(state, f"/?buurt={ONDIEP}&wijk={OVERVECHT}")
    assert state.selected_buurt == ONDIEP and state.selected_wijk == NOORDWEST


def test_the_address_the_app_writes_restores_the_same_view(state):
    run(state, "set_filter", "theme", HEALTH)
    run(state, "set_filter", "status_filter", "weinig bewoners")
    run(state, "set_language", "en")
    url = written_url(run(state, "select_buurt", ONDIEP))
    assert "buurt=BU03440222" in url

    restored = rx.State().get_substate(DashboardState.get_full_name().split("."))
    open_link(restored, url)
    for field in ("selected_buurt", "selected_wijk", "lang", "theme", "kind", "pillar", "relation", "status_filter"):
        assert getattr(restored, field) == getattr(state, field), field
