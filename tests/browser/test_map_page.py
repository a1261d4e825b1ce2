"""The map page in a real browser: shapes, legend, attribution, a click on a buurt."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import CLICKABLE_POINT, HTML_NAME, click_buurt, save_screenshot, wait_for_map

pytestmark = pytest.mark.browser


def legend_counts(page) -> dict[str, int]:
    rows = page.locator("#legend .legend-row[data-status]")
    return {
        rows.nth(i).get_attribute("data-status"): int(rows.nth(i).locator(".legend-count").inner_text())
        for i in range(rows.count())
    }


def test_map_draws_111_buurten_10_wijken_and_the_legend(app_url, page):
    wait_for_map(page, app_url)
    assert page.locator(".leaflet-buurten-pane path").count() == 111
    assert page.locator(".leaflet-wijken-pane path").count() == 10
    labels = page.locator(".leaflet-tooltip.wijk-label").all_inner_texts()
    assert "Overvecht" in labels and "Leidsche Rijn" in labels and len(labels) == 10
    counts = legend_counts(page)
    assert set(counts) == {"open", "wijkniveau", "gedekt", "weinig bewoners"}
    assert sum(counts.values()) == 111
    assert counts["open"] > 0 and counts["weinig bewoners"] > 0
    assert "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)" in page.locator("body").inner_text()
    # Every buurt gets a status pattern as fill; none is left unstyled.
    fills = page.eval_on_selector_all(".leaflet-buurten-pane path", "els => els.map(e => e.getAttribute('fill'))")
    assert all(re.fullmatch(r"url\(#pattern-[a-z]+\)", fill or "") for fill in fills), fills[:5]
    save_screenshot(page, "map-page")


def test_clicking_a_buurt_shows_its_name_and_status(app_url, page):
    wait_for_map(page, app_url)
    click_buurt(page, "BU03440222")
    page.wait_for_selector("#panel-buurt-name")
    assert page.locator("#panel-buurt-name").inner_text() == "Ondiep"
    assert page.locator("#panel-status").inner_text() in {
        "Nog geen buurtorganisatie", "Alleen op wijkniveau", "Buurtorganisatie actief", "Weinig bewoners"}


def test_html_in_a_name_is_shown_as_text(app_url, page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    wait_for_map(page, app_url, "?buurt=BU03440222")
    panel = page.locator("#buurt-panel")
    panel.wait_for()
    assert HTML_NAME in panel.locator(".entry-name").all_inner_texts()
    assert panel.locator("b, img").count() == 0
    # The marker's tooltip gets the name as text too.
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-marker-icon')).some(m => (m.title || '').includes('<b>Testorganisatie</b>'))"
    )
    assert dialogs == []


def test_the_map_reads_well_names_on_hover_and_as_labels(app_url, page):
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(app_url + "/")
    # A loading sign until the buurten are drawn, then gone.
    assert page.locator(".map-loading").count() == 1
    wait_for_map(page, app_url)
    page.wait_for_selector(".map-loading", state="hidden")
    assert not [url for url in failed if url.startswith(app_url)], failed  # the favicon included
    # Offline no background tile loads, so no background credit is shown.
    assert "BRT-Achtergrondkaart" not in page.locator(".leaflet-control-attribution").inner_text()
    # Hovering a buurt shows its name.
    page.mouse.move(*page.evaluate(CLICKABLE_POINT, "BU03440222"))
    page.wait_for_selector(".leaflet-tooltip.buurt-tooltip")
    assert page.locator(".leaflet-tooltip.buurt-tooltip").inner_text() == "Ondiep"
    # Buurt names as labels only once zoomed in far enough for them to fit.
    assert page.locator(".buurt-label").first.is_hidden()
    page.evaluate("window.buurtkaartMap.setZoom(14.5, {animate: false})")
    page.wait_for_function("document.querySelector('.leaflet-container').classList.contains('show-buurt-labels')")
    assert page.locator(".buurt-label:visible").count() > 5
    # Wijk names lie in a pane above the markers.
    z = page.evaluate("[getComputedStyle(document.querySelector('.leaflet-wijklabels-pane')).zIndex, getComputedStyle(document.querySelector('.leaflet-markers-pane')).zIndex].map(Number)")
    assert z[0] > z[1]
    save_screenshot(page, "map-labels")
