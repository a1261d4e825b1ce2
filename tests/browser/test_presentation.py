"""Presenting and sharing in a real browser: the tour on a 1920×1080 beamer (buttons, keys, a clicker's
PageUp/PageDown, Escape), the growth slider and play button, and downloads from the menu."""

from __future__ import annotations

import csv
import io
import re
import struct

import pytest

from tests.browser.conftest import save_screenshot, wait_for_map

pytestmark = pytest.mark.browser

MARKERS = "document.querySelectorAll('.leaflet-marker-pane .kind-marker').length"
THEME = "Ontmoeten%20%26%20samen%20doen"


@pytest.fixture
def beamer(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def tour_title(page) -> str:
    return page.locator("#tour-title").inner_text()


def wait_for_title(page, title: str) -> None:
    page.wait_for_function("(t) => document.querySelector('#tour-title')?.textContent === t", arg=title)
    page.wait_for_timeout(600)  # the map flies to the step


def card_fits(page) -> bool:
    """The whole step is readable without scrolling the card."""
    return page.evaluate("(() => { const c = document.querySelector('#tour-card'); return c.scrollHeight <= c.clientHeight + 1; })()")


def test_the_tour_by_buttons_keys_and_escape(app_url, beamer):
    page = beamer
    wait_for_map(page, app_url, f"?thema={THEME}")
    city_zoom = page.evaluate("window.buurtkaartMap.getZoom()")
    page.click("#present-button")
    wait_for_title(page, "Heel Utrecht")
    # Large type, nothing but the map and the card, the filter named.
    assert page.locator("#tour-step-number").inner_text() == "Stap 1 van 12"
    for selector in ("#tour-facts li", ".tour-count-label", "#tour-next"):
        size = float(page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)"))
        assert size >= 24, (selector, size)
    assert not page.locator(".side-panel").is_visible() and not page.locator(".app-header").is_visible()
    assert "Ontmoeten & samen doen" in page.locator("#tour-filter").inner_text()
    assert page.locator("#tour-prev").is_disabled()
    assert "presentatie=1" in page.url
    assert card_fits(page)
    save_screenshot(page, "tour-1-city")

    page.keyboard.press("ArrowRight")
    wait_for_title(page, "Wijk West")
    assert page.evaluate("window.buurtkaartMap.getZoom()") > city_zoom
    assert re.search(r"stap=1\b", page.url) and "wijk=WK034401" in page.url
    assert "Ontmoeten & samen doen" in page.locator("#tour-filter").inner_text()  # named on every step
    save_screenshot(page, "tour-2-west")

    page.keyboard.press("PageDown")  # a presenter's clicker
    wait_for_title(page, "Wijk Noordwest")
    assert page.locator("#tour-names li").count() >= 1
    page.keyboard.press("PageUp")
    wait_for_title(page, "Wijk West")
    page.click("#tour-next")
    wait_for_title(page, "Wijk Noordwest")
    for _ in range(9):
        assert card_fits(page), tour_title(page)
        page.click("#tour-next")
        page.wait_for_timeout(150)
    wait_for_title(page, "Buurten zonder buurtorganisatie")
    assert page.locator("#tour-items li").count() == 8
    assert page.locator("#tour-next").is_disabled() and card_fits(page)
    save_screenshot(page, "tour-12-gaps")

    page.keyboard.press("Escape")
    page.wait_for_selector("#tour-card", state="detached")
    assert page.locator(".side-panel").is_visible() and page.locator(".app-header").is_visible()
    page.wait_for_function("!location.search.includes('presentatie')")


def test_a_tour_link_opens_at_its_step_in_english(app_url, beamer):
    page = beamer
    wait_for_map(page, app_url, "?presentatie=1&stap=2&lang=en")
    wait_for_title(page, "District Noordwest")
    assert page.locator("#tour-step-number").inner_text() == "Step 3 of 12"
    assert page.locator("#tour-prev").is_enabled()
    page.keyboard.press("ArrowLeft")
    wait_for_title(page, "District West")
    save_screenshot(page, "tour-english")


def test_the_growth_slider_and_play_button_change_the_map(app_url, page):
    wait_for_map(page, app_url)
    markers_today = page.evaluate(MARKERS)
    page.get_by_role("tab", name="Groei").click()
    last = int(page.locator("#growth-year").inner_text())
    page.locator("#growth-slider [role=slider]").focus()
    page.keyboard.press("Home")  # the first year with a known start
    page.wait_for_selector("#growth-banner")
    first = int(page.locator("#growth-year").inner_text())
    assert first < last and f"jaar={first}" in page.url
    assert page.locator("#growth-banner-text").inner_text() == f"Situatie eind {first}"
    page.wait_for_function(f"{MARKERS} < {markers_today}")
    assert "organisaties" in page.locator("#growth-unknown").inner_text()
    save_screenshot(page, "growth-first-year")

    page.click("#growth-play")
    page.wait_for_function(f"Number(document.querySelector('#growth-year').textContent) >= {first + 2}", timeout=15_000)
    page.click("#growth-play")  # pause
    page.wait_for_timeout(1200)
    paused = page.locator("#growth-year").inner_text()
    page.wait_for_timeout(1200)
    assert page.locator("#growth-year").inner_text() == paused

    page.locator("#growth-today").click()
    page.wait_for_selector("#growth-banner", state="detached")
    page.wait_for_function(f"{MARKERS} === {markers_today}")
    assert "jaar=" not in page.url


def _download(page, kind: str):
    page.click("#download-button")
    with page.expect_download(timeout=60_000) as download:
        page.locator(f"[data-download={kind}]").click()
    return download.value


def test_downloads_from_the_menu_are_the_view_on_screen(app_url, beamer):
    page = beamer
    wait_for_map(page, app_url, "?soort=speeltuin")
    png = _download(page, "png")
    data = open(png.path(), "rb").read()
    assert png.suggested_filename.endswith(".png") and data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1920 and width > height

    places = _download(page, "plekken-csv")
    rows = list(csv.DictReader(io.StringIO(open(places.path(), encoding="utf-8-sig").read())))
    assert rows and {row["kind"] for row in rows} == {"speeltuin"}
    assert page.locator("#download-button").inner_text().strip() == "Downloaden"  # done, no spinner left
