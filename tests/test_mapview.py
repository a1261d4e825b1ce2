"""MapView: the app's permalink read back (unknown values ignored), written again, and said in words."""

from __future__ import annotations

import pytest

from samen030_map.export.mapview import MapView
from samen030_map.view import Filters


def test_a_full_link_is_read():
    view = MapView.from_link(
        "http://localhost:3000/?wijk=WK034403&thema=Gezondheid+%26+zorg&soort=speeltuin&pijler=c&relatie=lid"
        "&status=open&verberg=gedekt,weinig+bewoners&verberg_soort=bibliotheek&lagen_uit=wijken,achtergrond&lang=en"
    )
    assert view.filters == Filters(theme="Gezondheid & zorg", kind="speeltuin", pillar="c", relation="lid")
    assert view.status_filter == "open"
    assert view.hidden_statuses == ("gedekt", "weinig bewoners")
    assert view.hidden_kinds == ("bibliotheek",) and view.hidden_layers == ("wijken", "achtergrond")
    assert (view.wijk, view.buurt, view.entry, view.lang) == ("WK034403", "", "", "en")


@pytest.mark.parametrize("link", ["/?wijk=WK034403", "?wijk=WK034403", "wijk=WK034403", "wijk=wk034403#kaart"])
def test_every_form_of_a_link(link):
    assert MapView.from_link(link).wijk == "WK034403"


def test_unknown_values_are_ignored_as_in_the_app():
    view = MapView.from_link("/?wijk=WK999999&thema=Onbekend&soort=kasteel&verberg=open,paars&lagen_uit=alles&lang=fr&foo=bar")
    assert view == MapView(hidden_statuses=("open",))


def test_the_selection_follows_the_apps_precedence(hostile_picture):
    buurt = MapView.from_link("/?buurt=bu03440222&wijk=WK034401")
    assert (buurt.buurt, buurt.wijk) == ("BU03440222", "WK034402")  # a buurt brings its own wijk
    entry = MapView.from_link("/?org=test-hostile-org&buurt=BU03440222", hostile_picture)
    assert (entry.entry, entry.buurt, entry.wijk) == ("organisation:test-hostile-org", "", "")
    unknown = MapView.from_link("/?org=bestaat-niet&buurt=BU03440222", hostile_picture)
    assert (unknown.entry, unknown.buurt) == ("", "BU03440222")
    assert entry.zoom_codes(hostile_picture) == ["BU03440222"]
    assert len(MapView.from_link("wijk=WK034402").zoom_codes(hostile_picture)) == 13
    assert MapView().zoom_codes(hostile_picture) == []


def test_link_round_trips():
    for link in ("/", "/?wijk=WK034403", "/?buurt=BU03440222&thema=Gezondheid+%26+zorg&verberg=open%2Cgedekt&lang=en", "/?plek=de-speler&lagen_uit=wijken"):
        assert MapView.from_link(link).link() == link or link == "/?plek=de-speler&lagen_uit=wijken"
    assert MapView.from_link(MapView.from_link("/?plek=de-speler&lagen_uit=wijken").link()).entry == "meeting_place:de-speler"


def test_filters_in_words():
    assert MapView().describe() == "Alle buurten en organisaties"
    assert MapView().describe("en") == "All neighbourhoods and organisations"
    view = MapView.from_link("?thema=Gezondheid+%26+zorg&soort=speeltuin")
    assert view.describe() == "Thema: Gezondheid & zorg · Soort: Speeltuin"
    assert view.describe("en") == "Theme: Health & care · Type: Playground"
    hidden = MapView.from_link("?status=open&verberg=weinig+bewoners&verberg_soort=speeltuin&lagen_uit=wijken")
    assert hidden.describe() == "Situatie in de buurt: Nog geen buurtorganisatie · Niet getoond: Weinig bewoners, Speeltuin, Wijkgrenzen en namen"
    # The banner's words: only the filters, nothing when none.
    assert hidden.filter_summary() == "Situatie in de buurt: Nog geen buurtorganisatie"
    assert MapView.from_link("?verberg=open").filter_summary() == ""


def test_what_the_view_shows(hostile_picture):
    view = MapView.from_link("?status=wijkniveau&verberg=open&soort=speeltuin&lagen_uit=plekken")
    assert view.visible_statuses() == ("wijkniveau",)
    assert MapView.from_link("?verberg=open").visible_statuses() == ("wijkniveau", "gedekt", "weinig bewoners")
    speeltuinen = view.kept_entries(hostile_picture)
    assert speeltuinen and {e.kind for e in speeltuinen} == {"speeltuin"}
    assert not any(view.marks(e) for e in speeltuinen)  # the places layer is off: listed, not marked
    assert view.title(hostile_picture) == "SAMEN030 Buurtkaart"
    assert MapView.from_link("wijk=WK034402").title(hostile_picture) == "SAMEN030 Buurtkaart — Wijk Noordwest"
    assert MapView.from_link("buurt=BU03440222&lang=en").title(hostile_picture) == "SAMEN030 Buurtkaart — Ondiep (Noordwest)"


def test_the_growth_year_and_the_presentation_step_round_trip():
    view = MapView.from_link("/?jaar=2016&presentatie=1&stap=4&lang=en")
    assert (view.year, view.presentation, view.step, view.lang) == (2016, True, 4, "en")
    assert MapView.from_link(view.link()) == view
    assert view.year_text() == "Situation at the end of 2016" and "2016" in view.describe()


@pytest.mark.parametrize("link", ["jaar=abc", "jaar=1700", "jaar=-2016", "jaar=20160", "stap=3", "presentatie=ja&stap=2", "presentatie=1&stap=x"])
def test_a_bad_year_or_step_is_ignored(link):
    view = MapView.from_link(link)
    assert view.year == 0 and view.step == 0
    assert view.presentation == ("presentatie=1" in link)


def test_a_number_of_thousands_of_digits_is_no_year_and_no_step():
    # Python refuses to read a number this long (more than 4300 digits): it must not end the page's load.
    view = MapView.from_link(f"/?verberg=open&jaar={'1' * 5000}&presentatie=1&stap={'9' * 5000}")
    assert (view.year, view.step, view.hidden_statuses) == (0, 99, ("open",))  # 99: the tour's last step
    assert MapView.from_link("/?jaar=01998").year == 0 and MapView.from_link("/?jaar=1998").year == 1998
