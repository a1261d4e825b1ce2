"""The map before JavaScript (components/static_map.py, server/first_paint.py), on the real server."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest

from samen030_map.core import growth
from samen030_map.picture import build_picture
from tests.browser.conftest import save_screenshot

BUURT_PATH = re.compile(r'<path id="sm-(BU\d{8})" class="b(?: s-([a-z-]+))?"')
SERVER_RULE = re.compile(r"((?:#static-map #sm-BU\d{8},?)+)\{([^}]*)\}")


def served(app_url: str, query: str = "", gzipped: bool = False) -> str:
    request = urllib.request.Request(app_url + "/" + query, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        return (gzip.decompress(body) if response.headers.get("content-encoding") == "gzip" else body).decode()


def server_fills(html: str) -> dict[str, str]:
    """Buurtcode -> the fill the server's style block gives it ('transparent' or a status class)."""
    block = html[html.index('data-view="server"') :]
    block = block[block.index("<style>") + 7 : block.index("</style>")]
    fills = {}
    for selectors, rule in SERVER_RULE.findall(block):
        fill = "transparent" if "transparent" in rule else re.search(r"var\(--s-([a-z-]+)\)", rule)[1]
        fills |= {code: fill for code in re.findall(r"BU\d{8}", selectors)}
    return fills


def status_class(status: str) -> str:
    return status.replace(" ", "-")


@pytest.fixture(scope="module")
def picture(app_db_url):
    return build_picture(db_url=app_db_url)


def test_the_page_of_slash_holds_111_buurten_with_the_default_views_statuses(app_url, picture):
    html = served(app_url, gzipped=True)
    expected = {code: status_class(str(s)) for code, s in picture.coverage.buurten["status"].items()}
    baked = dict(BUURT_PATH.findall(html))
    assert len(baked) == 111
    assert baked == expected  # the build's own classes: the registry the server started with
    assert server_fills(html) == expected  # and the server's fill-in for this request
    # The page can paint before the big stylesheets: they no longer block, the layout comes inline.
    assert html.count('rel="stylesheet"') == html.count('<noscript><link rel="stylesheet"') >= 1
    assert ".dashboard-body{" in html and ".static-map-box{" in html  # the first view's own rules, inline


def test_a_link_with_its_own_view_is_filled_in_for_that_view(app_url, picture):
    # Legend toggle: the open buurten are not filled (as Leaflet draws a hidden status).
    fills = server_fills(served(app_url, "?verberg=open"))
    statuses = {code: status_class(str(s)) for code, s in picture.coverage.buurten["status"].items()}
    assert {code for code, fill in fills.items() if fill == "transparent"} == {c for c, s in statuses.items() if s == "open"}
    # A growth year: that year's statuses, not today's.
    series = growth.growth_series(picture)
    year = series.first_year
    then = {code: status_class(s) for code, s in growth.status_in_year(picture, year).items()}
    assert then != statuses
    year_page = served(app_url, f"?jaar={year}")
    assert server_fills(year_page) == then
    assert f">Situatie eind {year}</text>" in year_page  # the map says which year it shows
    # Nonsense in the link is the default view, and never reaches the page as markup.
    html = served(app_url, "?verberg=%3Cscript%3Ealert(1)%3C/script%3E&jaar=abc")
    assert server_fills(html) == statuses
    assert "<script>alert(1)" not in html


def test_without_javascript_the_map_and_legend_are_there(app_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        svg = page.locator("#static-map")
        box = svg.bounding_box()
        assert box and box["width"] > 600 and box["height"] > 500
        assert page.locator("#static-map path.b").count() == 111
        # Every buurt is painted (a pattern or a colour), and the wijk names are there.
        fills = page.evaluate("[...document.querySelectorAll('#static-map path.b')].map((p) => getComputedStyle(p).fill)")
        assert all(fill.startswith("url(") for fill in fills), set(fills)
        assert "Overvecht" in page.locator("#static-map .sm-labels").text_content()
        assert page.locator("#legend .legend-row").first.is_visible()
        assert "Nog geen buurtorganisatie" in page.locator("#legend").inner_text()
        # The interactive map never comes: no "loading" sign that would never go away.
        assert not page.locator(".map-loading").is_visible()
        save_screenshot(page, "first-paint-without-javascript")
    finally:
        context.close()


SCREEN_BOX = "(id) => { const r = document.getElementById(id).getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }"
LEAFLET_BOX = """(code) => {
  let box = null;
  window.buurtkaartMap.eachLayer((l) => { if (l.feature?.properties?.code === code && l._path) { const r = l._path.getBoundingClientRect(); box = [r.x, r.y, r.width, r.height]; } });
  return box;
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 860}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_leaflet_takes_over_where_the_static_map_was(app_url, browser, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    # Hold back every script and stylesheet file: the page as a slow phone first paints it, with
    # only what the HTML itself carries (the static map and the first view's inline CSS).
    held, files = [], re.compile(r".*\.(js|css)(\?.*)?$")

    def hold(route):
        held.append(route)

    context.route(files, hold)
    page = context.new_page()
    try:
        page.goto(app_url + "/", wait_until="commit")
        page.wait_for_selector("#sm-BU03441041", state="attached")
        page.wait_for_timeout(300)
        codes = ["BU03440111", "BU03440222", "BU03440621", "BU03441041"]
        before = {code: page.evaluate(SCREEN_BOX, f"sm-{code}") for code in codes}
        assert page.locator(".leaflet-container").count() == 0  # really before Leaflet
        # Controls that cannot answer yet take no input (typed text would be lost at hydration).
        search_box = "getComputedStyle(document.querySelector('.header-search')).pointerEvents"
        assert page.evaluate(search_box) == "none"
        save_screenshot(page, f"first-paint-before-hydration-{'phone' if viewport['width'] < 500 else 'desktop'}")
        context.unroute(files, hold)  # lets the held files and all later ones through
        assert held
        page.wait_for_function(
            "document.querySelectorAll('.leaflet-buurten-pane path').length >= 111 && Number(document.querySelector('.dashboard')?.dataset.revision) > 0",
            timeout=60_000,
        )
        page.wait_for_timeout(300)
        for code in codes:
            after = page.evaluate(LEAFLET_BOX, code)
            assert after, code
            # Centre and size within a few pixels: the buurt does not move at the hand-over.
            centre_before = (before[code][0] + before[code][2] / 2, before[code][1] + before[code][3] / 2)
            centre_after = (after[0] + after[2] / 2, after[1] + after[3] / 2)
            assert abs(centre_before[0] - centre_after[0]) <= 3 and abs(centre_before[1] - centre_after[1]) <= 3, (code, before[code], after)
            assert abs(before[code][2] - after[2]) <= 3 and abs(before[code][3] - after[3]) <= 3, (code, before[code], after)
        assert page.evaluate(search_box) == "auto"
        # The static map is gone from view once Leaflet has drawn.
        assert page.evaluate("getComputedStyle(document.querySelector('.static-map-box')).visibility") == "hidden"
    finally:
        context.close()
