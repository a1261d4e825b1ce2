"""The map page in a real browser: shapes, legend, attribution, a click on a buurt."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import HTML_NAME, save_screenshot, wait_for_map

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
    # Features are drawn in CBS code order; the 15th is Ondiep (BU03440222). Click the middle of its shape.
    box = page.locator(".leaflet-buurten-pane path").nth(14).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
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
