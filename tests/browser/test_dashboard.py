"""The dashboard in a real browser: legend toggles, filters, search, permalinks, lists, phone, English."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import save_screenshot, wait_for_map

pytestmark = pytest.mark.browser

SHOWN_BUURTEN = "Array.from(document.querySelectorAll('.leaflet-buurten-pane path')).filter(p => p.getAttribute('fill-opacity') !== '0').length"
MARKERS = "document.querySelectorAll('.leaflet-marker-pane .kind-marker').length"


def legend_count(page, status: str) -> int:
    return int(page.locator(f'#legend .legend-row[data-status="{status}"] .legend-count').inner_text())


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=re.compile(name)).click()


def test_legend_toggle_hides_the_matching_buurten_and_markers(app_url, page):
    wait_for_map(page, app_url)
    open_count = legend_count(page, "open")
    assert page.evaluate(SHOWN_BUURTEN) == 111
    page.locator('#legend .legend-row[data-status="open"]').click()
    page.wait_for_function(f"{SHOWN_BUURTEN} === {111 - open_count}")
    assert page.locator('#legend .legend-row[data-status="open"]').get_attribute("aria-pressed") == "false"
    # The list follows the legend: the open buurten leave it.
    open_tab(page, "Lijst")
    assert page.locator("#buurt-table tbody tr").count() == 111 - open_count
    # A kind: the speeltuinen's markers go, and their legend row says so.
    open_tab(page, "Legenda")
    markers_before = page.evaluate(MARKERS)
    page.locator('#legend .legend-row[data-kind="bibliotheek"]').click()
    page.wait_for_function(f"{MARKERS} < {markers_before}")
    save_screenshot(page, "legend-open-hidden")
    page.locator('#legend .legend-row[data-status="open"]').click()
    page.wait_for_function(f"{SHOWN_BUURTEN} === 111")


BUURT_FILLS = "Array.from(document.querySelectorAll('.leaflet-buurten-pane path')).map(p => p.getAttribute('fill')).join(',')"


@pytest.mark.parametrize(("field", "option"), [("theme", "Gezondheid & zorg"), ("kind", "Speeltuin"), ("pillar", "Meedoen en samen leven (volwassenen)")])
def test_a_filter_changes_the_lists_but_never_the_map(app_url, page, field, option):
    wait_for_map(page, app_url)
    counts_before = {status: legend_count(page, status) for status in ("open", "wijkniveau", "gedekt", "weinig bewoners")}
    fills_before = page.evaluate(BUURT_FILLS)
    page.locator(f"#filter-{field}").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_selector("#filter-banner")
    assert option in page.locator("#filter-banner-text").inner_text()
    page.wait_for_function("location.search.length > 1")
    page.wait_for_timeout(300)
    assert {status: legend_count(page, status) for status in counts_before} == counts_before
    assert page.evaluate(BUURT_FILLS) == fills_before
    if field == "theme":
        open_tab(page, "Lijst")
        page.get_by_role("tab", name=re.compile("Organisaties")).click()
        page.locator("#organisation-list li").first.wait_for()  # the list renders after the click
        names = page.locator("#organisation-list li").all_inner_texts()
        assert names and all("Zorgbelang" in n or "Health Hub" in n for n in names), names
    save_screenshot(page, f"filter-{field}")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Ondiep", "Ondiep"), ("3584", None), ("De Uithof", "Utrecht Science Park")],
)
def test_search_selects_the_right_buurt(app_url, page, query, expected):
    wait_for_map(page, app_url)
    page.locator("#search-input").fill(query)
    first = page.locator("#search-results .search-result").first
    first.wait_for()
    label = first.locator(".search-label").inner_text()
    if expected:
        assert label == expected
    first.click()
    page.wait_for_selector("#panel-buurt-name")
    assert page.locator("#panel-buurt-name").inner_text() == label
    code = re.search(r"buurt=(BU\d{8})", page.url).group(1)
    if query == "3584":
        # CBS's most common postcode of the selected buurt is the one searched for.
        from samen030_map.core.boundaries import load_boundaries

        assert load_boundaries().buurten.loc[code, "postcode"] == "3584"


def test_search_for_a_city_wide_organisation_shows_it_in_the_panel(app_url, page):
    wait_for_map(page, app_url)
    page.locator("#search-input").fill("SAMEN030")
    page.locator('#search-results .search-result[data-key="samen030"]').click()
    panel = page.locator("#entry-panel")
    panel.wait_for()
    assert "SAMEN030" in panel.locator(".entry-name").inner_text()
    assert "Heel Utrecht" in panel.inner_text()


def test_permalink_restores_buurt_wijk_language_and_survives_reload(app_url, page):
    wait_for_map(page, app_url, "?buurt=BU03440222")
    page.wait_for_selector("#panel-buurt-name")
    assert page.locator("#panel-buurt-name").inner_text() == "Ondiep"
    page.reload()
    wait_for_map(page, app_url, "?buurt=BU03440222")
    assert page.locator("#panel-buurt-name").inner_text() == "Ondiep"

    wait_for_map(page, app_url, "?wijk=WK034403&lang=en")
    page.wait_for_selector("#panel-wijk-name")
    assert "Overvecht" in page.locator("#panel-wijk-name").inner_text()
    assert page.locator("#tagline").inner_text().startswith("What exists")
    # The map zoomed in on the wijk: its centre lies in Overvecht's bounding box.
    page.wait_for_function("window.buurtkaartMap && window.buurtkaartMap.getZoom() > 12.5")
    page.wait_for_timeout(600)
    centre = page.evaluate("(() => { const c = window.buurtkaartMap.getCenter(); return [c.lat, c.lng]; })()")
    from samen030_map.core.boundaries import load_boundaries

    west, south, east, north = load_boundaries().wijken.to_crs(4326).loc["WK034403"].geometry.bounds
    assert south <= centre[0] <= north and west <= centre[1] <= east, centre
    save_screenshot(page, "permalink-wijk-en")


def test_clicking_a_buurt_writes_the_permalink(app_url, page):
    wait_for_map(page, app_url)
    open_tab(page, "Lijst")
    page.locator('#buurt-table .buurt-link[data-code="BU03440711"]').click()
    page.wait_for_selector("#panel-buurt-name")
    assert page.locator("#panel-buurt-name").inner_text() == "Lunetten-Noord"
    page.wait_for_function("location.search.includes('buurt=BU03440711')")


def test_list_is_sortable_and_keyboard_operable(app_url, page):
    wait_for_map(page, app_url)
    open_tab(page, "Lijst")
    page.locator('#buurt-table .sort-button[data-sort="inwoners"]').click()
    # Veldhuizen (9.225 inhabitants) is the largest buurt, Rivierenwijk (9.155) the next.
    page.wait_for_function("document.querySelector('#buurt-table tbody tr').innerText.includes('Veldhuizen')")
    assert "Rivierenwijk" in page.locator("#buurt-table tbody tr").nth(1).inner_text()
    assert page.locator('#buurt-table .sort-button[data-sort="inwoners"]').inner_text().endswith("↓")
    button = page.locator('#buurt-table .buurt-link[data-code="BU03440812"]')
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel-buurt-name")
    assert page.locator("#panel-buurt-name").inner_text() == "Rivierenwijk"


def test_ranked_gaps_and_figures(app_url, page):
    wait_for_map(page, app_url)
    open_tab(page, "Waar nog niets is")
    first_by_people = page.locator("#gap-list li").first.inner_text()
    page.locator("#gap-ranking").click()
    page.get_by_role("option", name=re.compile("65-plussers")).click()
    page.wait_for_function(f"document.querySelector('#gap-list li').innerText !== {first_by_people!r}")
    page.locator("#gap-list .gap-link").first.click()
    page.wait_for_selector("#panel-buurt-name")
    open_tab(page, "Cijfers")
    assert page.locator("#wijk-cards .wijk-link").count() == 10
    assert page.locator("#organisation-kinds li").count() > 0 and page.locator("#place-kinds li").count() > 0
    page.wait_for_selector("#figures .recharts-bar-rectangle")
    assert page.locator("#city-inwoners-open").inner_text() not in ("", "0")
    save_screenshot(page, "figures")


def test_english_switch_changes_the_labels(app_url, page):
    wait_for_map(page, app_url)
    assert page.locator('#legend .legend-row[data-status="open"]').inner_text().startswith("Nog geen buurtorganisatie")
    page.locator("#language-switch").get_by_role("radio", name="EN").click()
    page.wait_for_function("document.querySelector('#tagline').innerText.startsWith('What exists')")
    assert page.locator('#legend .legend-row[data-status="open"]').inner_text().startswith("No neighbourhood organisation yet")
    page.wait_for_function("location.search.includes('lang=en')")
    save_screenshot(page, "english")


def test_phone_viewport_shows_map_and_panel(app_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        wait_for_map(phone, app_url, "?buurt=BU03440222")
        map_box = phone.locator("#map").bounding_box()
        assert map_box["width"] <= 390 and map_box["height"] > 300
        panel = phone.locator("#panel-buurt-name")
        panel.wait_for()
        panel.scroll_into_view_if_needed()
        assert panel.is_visible() and panel.bounding_box()["y"] >= map_box["y"] + map_box["height"] - 1
        # Every control stays reachable: the search box and the language switch fit on the screen.
        for selector in ("#search-input", "#language-switch"):
            box = phone.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        save_screenshot(phone, "phone")
    finally:
        context.close()
