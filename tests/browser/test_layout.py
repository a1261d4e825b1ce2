"""The page fits the screens people use (desktop, laptop, phone) and prints on one landscape page."""

from __future__ import annotations

import io
import re

import pytest

from tests.browser.conftest import save_screenshot, wait_for_map
from tests.browser.test_dashboard import open_tab

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": (1366, 768), "desktop": (1920, 1080), "phone": (390, 844)}
TABS = ("Legenda", "Lijst", "Waar nog niets is", "Cijfers")

# Every visible control that sticks out of the panel (or the window) it belongs to.
CONTROLS_OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const panel = document.querySelector('.side-panel').getBoundingClientRect();
  const bad = [];
  for (const el of document.querySelectorAll('button, input, select, [role=combobox], [role=tab], a')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.leaflet-container') || el.closest('.table-scroll')) continue;  // the map and scroll boxes clip themselves
    const inPanel = el.closest('.side-panel');
    const left = inPanel ? panel.left : 0, right = inPanel ? panel.right : width;
    if (box.left < left - 1 || box.right > right + 1) bad.push((el.id || el.className || el.tagName) + ' ' + Math.round(box.left) + '-' + Math.round(box.right));
  }
  return bad;
}"""

# Chart tick labels that overlap each other (the two long wijk names used to).
OVERLAPPING_TICKS = """() => {
  const boxes = Array.from(document.querySelectorAll('#figures text.recharts-cartesian-axis-tick-value[orientation=left]')).map(t => t.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
  }
  return overlaps;
}"""


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_nothing_sticks_out_at_common_screen_sizes(app_url, browser, name):
    width, height = VIEWPORTS[name]
    phone = name == "phone"
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    try:
        wait_for_map(page, app_url, "?buurt=BU03440222")
        for tab in TABS:
            open_tab(page, tab)
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth") == width, (name, tab)
            assert page.evaluate(CONTROLS_OUTSIDE) == [], (name, tab)
            if tab == "Lijst":
                # The inhabitants column is visible, or reachable inside the table's own scroll box.
                header = page.locator('#buurt-table .sort-button[data-sort="inwoners"]')
                header.scroll_into_view_if_needed()
                assert header.is_visible()
            if tab == "Cijfers":
                page.wait_for_selector('#figures text.recharts-cartesian-axis-tick-value[orientation=left]')
                assert page.evaluate(OVERLAPPING_TICKS) == 0
            page.locator("#panel-tabs").scroll_into_view_if_needed()
            save_screenshot(page, f"layout-{name}-{tab.split()[0].lower()}")
    finally:
        context.close()


def test_printing_gives_one_landscape_page_with_map_legend_title_and_source(app_url, page):
    from pypdf import PdfReader

    wait_for_map(page, app_url, "?wijk=WK034403")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(500)
    save_screenshot(page, "print-preview")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "SAMEN030 Buurtkaart" in text
    assert "Bron: CBS Wijken en Buurten 2025" in text
    assert "Nog geen buurtorganisatie" in text  # the legend
    assert not re.search(r"Zoek buurt|Wis filters|Legenda", text)  # no controls
    assert page.evaluate("document.querySelectorAll('.leaflet-buurten-pane path').length") == 111


def test_a_printed_past_year_says_which_year_it_is(app_url, app_db_url, page):
    from pypdf import PdfReader

    from samen030_map.core import growth
    from samen030_map.picture import build_picture

    year = growth.growth_series(build_picture(db_url=app_db_url)).first_year
    wait_for_map(page, app_url, f"?jaar={year}")
    # The first paint hid today's counts (they would contradict that year); the loaded page shows its own.
    page.wait_for_selector("#map.map-drawn")
    assert page.locator('#legend .legend-row[data-status="open"] .legend-count').is_visible()
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(500)
    text = " ".join(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True))).pages[0].extract_text().split())
    assert f"Situatie eind {year}" in text
