"""The standalone HTML map (folium): offline, all layers, names shown as text and never run as a template."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.export import write_html_map
from samen030_map.export.html_map import DATA_ELEMENT_ID, build_html_map, leaflet_dist
from samen030_map.db import store
from samen030_map.picture import build_picture

TAGGED_NAME = "<b>Vet</b> & Co"
CDN_HOSTS = ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn.com", "unpkg.com")


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    """The real picture, with one organisation renamed to contain HTML (names are free text)."""
    tmp_path = tmp_path_factory.mktemp("export")
    db_url = f"sqlite:///{tmp_path}/x.db"
    store.prepare_database(db_url)
    picture = build_picture(db_url=db_url)
    return _with_names(picture, [TAGGED_NAME])  # the first entry that gets a marker


@pytest.fixture(scope="module")
def html_map(picture, tmp_path_factory) -> Path:
    return write_html_map(picture, tmp_path_factory.mktemp("export") / "buurtkaart.html")


def test_export_loads_nothing_from_a_cdn(html_map):
    text = html_map.read_text(encoding="utf-8")
    assert '<script src="http' not in text
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", text)
    assert not any(host in text for host in CDN_HOSTS)
    # Leaflet itself is inlined.
    assert "L.map(" in text and "window.L=" in text and ".leaflet-pane" in text


def test_export_has_every_buurt_the_legend_and_the_attribution(html_map, picture):
    text = html_map.read_text(encoding="utf-8")
    assert set(re.findall(r"BU0344\d{4}", text)) == set(picture.coverage.buurten.index)
    assert len(set(re.findall(r"BU0344\d{4}", text))) == 111
    assert CBS_ATTRIBUTION in text
    counts = dict(re.findall(r'data-status="([a-z ]+)".*?class="legend-count">(\d+)<', text))
    assert sum(int(n) for n in counts.values()) == 111
    assert "locatie bij benadering" in text


def test_export_does_not_write_html_from_names(html_map):
    text = html_map.read_text(encoding="utf-8")
    assert "<b>Vet" not in text
    assert "Vet\\u003c/b\\u003e \\u0026 Co" in text  # the name travels as JSON text


def test_an_explicit_leaflet_dir_must_hold_leaflet(tmp_path):
    with pytest.raises(FileNotFoundError):
        leaflet_dist(tmp_path)


@pytest.mark.browser
def test_export_draws_offline_in_chromium(html_map, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    try:
        errors: list[str] = []
        remote: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: remote.append(request.url) if not request.url.startswith(("file:", "data:")) else None)
        page.goto(html_map.as_uri())
        page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length >= 111", timeout=20_000)
        assert page.locator(".leaflet-overlay-pane path.buurt").count() == 111
        assert page.locator(".leaflet-overlay-pane path.wijk").count() == 10
        assert CBS_ATTRIBUTION in page.locator(".leaflet-control-attribution").inner_text()
        # Open the tooltip of the renamed marker: the tags show as text, no <b> element is made.
        page.evaluate(
            """() => window.samen030Layers.markers.eachLayer(l => {
                if (String(l.feature.properties.tooltip[0]).includes('Vet')) l.openTooltip();
            })"""
        )
        tooltip = page.locator(".leaflet-tooltip", has_text="Vet")
        assert TAGGED_NAME in tooltip.inner_text()
        assert tooltip.locator("b").count() == 0
        assert errors == [] and remote == []
    finally:
        page.close()


# --- names are data, never a template -------------------------------------------------------------

# Template syntax (Jinja and others), HTML that could end the data element, quotes, backslashes, line
# separators and control characters: each must come back as the same text.
HOSTILE_NAMES = [
    "{{7*7}}",
    "{{ 7*'7' }} en {{config}}",
    "{% for x in range(3) %}x{% endfor %}",
    "{# verborgen #}zichtbaar",
    "open {{ zonder einde",
    "open {# zonder einde",
    "open {% zonder einde",
    "{%raw%}{{7*7}}{%endraw%}",
    "</script><script>alert(1)</script>",
    "<!-- <script>",
    "]]> ${7*7} #{7*7} <%= 7*7 %>",
    "\"dubbel\" 'enkel' `back` \\ \\u0041",
    "regel\u2028scheiding\u2029alinea",
    "bel\x07 tab\t del\x7f",
]


def _data_of(page_html: str) -> dict:
    """The parsed JSON of the page's data element (as the browser's JSON.parse would read it)."""

    class Finder(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.texts = False, []

        def handle_starttag(self, tag, attrs):
            self.inside = tag == "script" and ("id", DATA_ELEMENT_ID) in attrs

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.texts.append(data)

    finder = Finder()
    finder.feed(page_html)
    assert len(finder.texts) == 1, "exactly one data element, not ended early by a name"
    return json.loads(finder.texts[0])


def _with_names(picture, marker_names, buurt_name=None, wijk_name=None, attribution=None):
    """The picture with the entries that get a marker renamed (organisations, then meeting places, in
    marker order; in the registry entries and their frame alike), and optionally the first buurt, the
    first wijk and the attribution."""
    names = iter(marker_names)
    frames, entries = {}, {}
    for field, entry_field in (("organisations", "organisation_entries"), ("meeting_places", "meeting_place_entries")):
        frame = getattr(picture, field).copy()
        renamed = {}
        for index in frame.index[frame.geometry.notna()]:
            frame.loc[index, "name"] = renamed[frame.loc[index, "id"]] = next(names, frame.loc[index, "name"])
        frames[field] = frame
        entries[entry_field] = tuple(dataclasses.replace(e, name=renamed.get(e.id, e.name)) for e in getattr(picture, entry_field))
    buurten, wijken = copy.deepcopy(picture.buurten_geojson), copy.deepcopy(picture.wijken_geojson)
    if buurt_name is not None:
        buurten["features"][0]["properties"]["name"] = buurt_name
    if wijk_name is not None:
        wijken["features"][0]["properties"]["name"] = wijk_name
    geography = dataclasses.replace(picture.geography, buurten_geojson=buurten, wijken_geojson=wijken)
    return dataclasses.replace(picture, **frames, **entries, geography=geography, attribution=attribution or picture.attribution, cache={})


def _marker_names(data: dict) -> list[str]:
    return [feature["properties"]["tooltip"][0] for feature in data["markers"]["features"]]


def test_hostile_names_come_back_literally_everywhere(picture):
    hostile = _with_names(picture, HOSTILE_NAMES, buurt_name="{{7*7}} buurt", wijk_name="{% if 1 %}wijk{% endif %}",
                          attribution="Bron: {{7*7}} <b>CBS</b>")
    page = build_html_map(hostile).get_root().render()
    data = _data_of(page)
    assert _marker_names(data)[: len(HOSTILE_NAMES)] == HOSTILE_NAMES
    assert data["buurten"]["features"][0]["properties"]["tooltip"][0] == "{{7*7}} buurt"
    assert data["wijken"]["features"][0]["properties"]["name"] == "{% if 1 %}wijk{% endif %}"
    assert data["attribution_html"] == "Bron: {{7*7}} &lt;b&gt;CBS&lt;/b&gt;"
    # Names stand in the data element only; the legend shows the attribution as escaped text.
    start = page.index(f'<script type="application/json" id="{DATA_ELEMENT_ID}">')
    outside = page[:start] + page[page.index("</script>", start):]
    assert "{% for x in range(3) %}" not in outside and "alert(1)" not in outside and "verborgen" not in outside
    assert '<div id="attribution">Bron: {{7*7}} &lt;b&gt;CBS&lt;/b&gt;</div>' in outside
    assert "<script>alert(1)</script>" not in page and "<!-- <script>" not in page


def test_a_name_cannot_run_code_on_the_exporting_machine(picture, tmp_path):
    sentinel = tmp_path / "uitgevoerd"
    payloads = [
        # Without quotes (the GeoJSON escaped them): this one ran `id` in the old export.
        "{{ cycler.__init__.__globals__.os.popen(dict(id=1)|first).read() }}",
        "{{ cycler.__init__.__globals__.os.system('touch %s') }}" % sentinel,
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('echo GEHACKT-$((6*7))').read() }}",
        "{{ lipsum.__globals__['os'].popen('echo GEHACKT-$((6*7))').read() }}",
    ]
    target = write_html_map(_with_names(picture, payloads), tmp_path / "kaart.html")
    text = target.read_text(encoding="utf-8")
    assert not sentinel.exists()
    assert "GEHACKT-42" not in text and "uid=" not in text
    assert _marker_names(_data_of(text))[: len(payloads)] == payloads


# Random text built from template and HTML fragments, quotes, line separators and any other character.
TEMPLATE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", "</script>", "<!--", "-->", "\"", "'", "\\", "`", "${", "\u2028", "\u2029", "\x07", "\x1b"]),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    ),
    min_size=1,
    max_size=20,
).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(TEMPLATE_TEXT, min_size=1, max_size=4), buurt_name=TEMPLATE_TEXT)
def test_any_name_is_rendered_literally(picture, names, buurt_name):
    data = _data_of(build_html_map(_with_names(picture, names, buurt_name=buurt_name)).get_root().render())
    assert _marker_names(data)[: len(names)] == names
    assert data["buurten"]["features"][0]["properties"]["tooltip"][0] == buurt_name


@pytest.mark.browser
def test_hostile_names_show_as_text_in_chromium(picture, browser, tmp_path):
    target = write_html_map(_with_names(picture, HOSTILE_NAMES, attribution="Bron: {{7*7}} <b>CBS</b>"), tmp_path / "kaart.html")
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
        page.goto(target.as_uri())
        page.wait_for_function("window.samen030Layers && document.querySelectorAll('.leaflet-overlay-pane path').length >= 111")
        shown = page.evaluate(
            """() => {
                const names = [];
                window.samen030Layers.markers.eachLayer(l => {
                    l.openTooltip();
                    names.push(l.getTooltip().getElement().querySelector('strong').textContent);
                    l.closeTooltip();
                });
                return names;
            }"""
        )
        assert shown[: len(HOSTILE_NAMES)] == HOSTILE_NAMES
        assert "Bron: {{7*7}} <b>CBS</b>" in page.locator(".leaflet-control-attribution").inner_text()
        assert page.locator(".leaflet-control-attribution b").count() == 0
        assert errors == []
    finally:
        page.close()


# --- a view of the map: patterns, legend, filters, cards ------------------------------------------------

from samen030_map.export.mapview import MapView  # noqa: E402
from samen030_map.palette import PATTERN_IDS  # noqa: E402
from tests.conftest import HOSTILE_ORG_NAME, HOSTILE_PLACE_NAME, SECRET_CONTACT, SECRET_NOTES  # noqa: E402

FILTER_LINK = "/?soort=speeltuin&verberg=weinig+bewoners&wijk=WK034402"


def test_statuses_are_patterns_and_the_legend_names_the_filters(hostile_picture):
    mapview = MapView.from_link(FILTER_LINK, hostile_picture)
    data = map_data_of(hostile_picture, mapview)
    styles = {f["properties"]["status"]: f["properties"]["style"] for f in data["buurten"]["features"]}
    assert styles["open"]["fillColor"] == f"url(#{PATTERN_IDS['open']})" and styles["open"]["fillOpacity"] > 0
    assert styles["weinig bewoners"]["fillOpacity"] == 0  # hidden in the legend: outline only
    kinds = {f["properties"]["tooltip"][1] for f in data["markers"]["features"]}
    assert kinds == {"Ontmoetingsplek: Speeltuin"}
    page = build_html_map(hostile_picture, mapview=mapview).get_root().render()
    assert page.count('<pattern id="pattern-') == 4
    assert "Soort: Speeltuin · Niet getoond: Weinig bewoners" in page
    assert "SAMEN030 Buurtkaart — Wijk Noordwest" in page
    assert 'class="legend-row is-hidden" data-status="weinig bewoners"' in page
    assert SECRET_CONTACT not in page and SECRET_NOTES not in page


def test_render_html_map_gives_the_page_as_bytes(hostile_picture):
    from samen030_map.export.html_map import render_html_map

    page = render_html_map(hostile_picture, MapView.from_link("?lang=en")).decode("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>") and CBS_ATTRIBUTION in page
    assert "No neighbourhood organisation yet" in page and "All neighbourhoods and organisations" in page


def map_data_of(picture, mapview):
    from samen030_map.export.html_map import map_data

    return json.loads(json.dumps(map_data(picture, mapview)))


@pytest.mark.browser
def test_a_filtered_view_offline_in_chromium(hostile_picture, browser, tmp_path):
    """Every request that is not the file itself is blocked: the map still draws its 111 shapes with the
    patterns, the legend names the filter from the link, and a card shows a hostile name as text."""
    mapview = MapView.from_link(FILTER_LINK, hostile_picture)
    target = write_html_map(hostile_picture, tmp_path / "kaart.html", mapview)
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    blocked, errors = [], []
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else (blocked.append(route.request.url), route.abort()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
        page.goto(target.as_uri())
        page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path.buurt').length >= 111", timeout=20_000)
        assert page.locator(".leaflet-overlay-pane path.buurt").count() == 111
        fills = page.evaluate(
            "() => [...document.querySelectorAll('.leaflet-overlay-pane path.buurt')].map(p => [p.getAttribute('fill'), Number(p.getAttribute('fill-opacity'))])"
        )
        statuses = hostile_picture.coverage.buurten["status"]
        assert all(fill.startswith("url(#pattern-") for fill, _ in fills)
        assert sum(opacity > 0 for _, opacity in fills) == 111 - int((statuses == "weinig bewoners").sum())  # hidden: no fill
        assert page.evaluate("() => document.querySelectorAll('pattern').length") == 4
        assert page.locator("#legend .swatch rect").count() == 4
        assert page.locator("#legend-filters").inner_text() == "Filter: Soort: Speeltuin · Niet getoond: Weinig bewoners"
        assert int((statuses == "weinig bewoners").sum()) == int(page.locator('[data-status="weinig bewoners"] .legend-count').inner_text())
        kinds = page.evaluate("() => window.samen030Layers.markers.getLayers().map(l => l.feature.properties.tooltip[1])")
        assert kinds and set(kinds) == {"Ontmoetingsplek: Speeltuin"}
        # The card of the hostile playground: its name as text, no element made from it.
        page.evaluate(
            """(key) => window.samen030Layers.markers.eachLayer(l => { if (l.feature.id === key) l.openPopup(); })""",
            "meeting_place:test-hostile-place",
        )
        card = page.locator(".leaflet-popup .card")
        assert card.locator(".card-title").inner_text() == HOSTILE_PLACE_NAME
        assert card.locator("script, b").count() == 0
        assert "Nog geen bron bekend." in card.inner_text() and "=Kerkstraat 1" in card.inner_text()
        assert errors == [] and blocked == []
    finally:
        page.close()


@pytest.mark.browser
def test_cards_link_only_to_web_addresses(hostile_picture, browser, tmp_path):
    target = write_html_map(hostile_picture, tmp_path / "kaart.html", MapView.from_link("?buurt=BU03440222", hostile_picture))
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
        page.goto(target.as_uri())
        page.wait_for_function("window.samen030Layers && document.querySelectorAll('.leaflet-overlay-pane path.buurt').length >= 111")
        page.evaluate("(key) => window.samen030Layers.markers.eachLayer(l => { if (l.feature.id === key) l.openPopup(); })", "organisation:test-hostile-org")
        card = page.locator(".leaflet-popup .card")
        assert card.locator(".card-title").inner_text() == HOSTILE_ORG_NAME
        links = card.locator("a")
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == ["https://example.org/", "https://example.org/bron"]
        assert all(links.nth(i).get_attribute("rel") == "noopener noreferrer" for i in range(links.count()))
        # A buurt's card lists what is active there, names as text.
        page.evaluate("() => window.samen030Layers.buurten.eachLayer(l => { if (l.feature.properties.code === 'BU03440222') l.openPopup(); })")
        buurt = page.locator(".leaflet-popup .card")
        assert buurt.locator(".card-title").inner_text() == "Ondiep"
        assert HOSTILE_ORG_NAME in buurt.inner_text() and buurt.locator("b").count() == 0
    finally:
        page.close()
