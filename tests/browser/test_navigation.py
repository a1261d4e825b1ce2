"""Reaching things the way a resident does: every organisation and place, stacked markers, the keyboard
search, and a link in the address bar that always is the view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import click_buurt, save_screenshot, wait_for_map
from tests.browser.test_dashboard import open_tab
from tests.expected import seed_entries

pytestmark = pytest.mark.browser

ONDIEP = "BU03440222"
PARAMS = {"organisation": "org", "meeting_place": "plek"}


def link(page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def wait_for_link(page, expected: dict[str, str]) -> None:
    """Wait until the address bar holds exactly ``expected`` (at most 3 s), then check it."""
    try:
        page.wait_for_function(
            "(expected) => { const p = new URLSearchParams(location.search); const got = Object.fromEntries(p.entries());"
            " return JSON.stringify(Object.keys(got).sort().map(k => [k, got[k]])) === JSON.stringify(Object.keys(expected).sort().map(k => [k, expected[k]])); }",
            arg=expected,
            timeout=3000,
        )
    except Exception:
        pass
    assert link(page) == expected


def test_every_organisation_and_place_opens_from_the_lists(app_url, page):
    """All 79 seed entries (plus the test organisation) open their own card from the list."""
    entries = seed_entries()
    wait_for_map(page, app_url)
    open_tab(page, "Lijst")
    opened = 0
    for entity, tab in (("organisation", "Organisaties"), ("meeting_place", "Plekken")):
        page.get_by_role("tab", name=re.compile(tab)).click()
        wanted = entries[entries["entity"] == entity]
        for entry_id, name in zip(wanted["id"], wanted["name"]):
            page.locator(f'.entry-link[data-key="{entity}:{entry_id}"]').first.click()
            page.wait_for_function("(name) => document.querySelector('#entry-name')?.innerText === name", arg=name, timeout=5000)
            assert link(page)[PARAMS[entity]] == entry_id
            opened += 1
    assert opened == len(entries) == 79


def test_a_stack_of_markers_spreads_and_each_entry_opens(app_url, page):
    wait_for_map(page, app_url, f"?buurt={ONDIEP}")
    stack = page.locator('.leaflet-marker-pane .kind-marker[title*="De Speler"]')  # Ondiep's stack
    count = int(stack.inner_text())
    assert count >= 2
    stack.click()
    labels = page.locator(".leaflet-tooltip.spread-label")
    labels.first.wait_for()
    names = labels.all_inner_texts()
    assert len(names) == count
    save_screenshot(page, "markers-spread")
    target = names[0]
    page.locator(f'.leaflet-marker-icon[title="{target}"]').click()
    page.wait_for_function("(name) => document.querySelector('#entry-name')?.innerText === name", arg=target)
    # The panel of the wijk lists its organisations and places, and they open too.
    page.locator("#entry-panel").wait_for()
    wait_for_map(page, app_url, "?wijk=WK034402")
    first = page.locator("#wijk-organisations .entry-link").first
    name = first.locator(".entry-name").inner_text()
    first.click()
    page.wait_for_function("(name) => document.querySelector('#entry-name')?.innerText === name", arg=name)


def test_search_by_keyboard_and_closing_the_list(app_url, page):
    wait_for_map(page, app_url)
    box = page.locator("#search-input")
    box.fill("lunetten")
    page.locator("#search-results").wait_for()
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    assert page.locator("#search-results").get_attribute("role") == "listbox"
    options = page.locator("#search-results [role=option]")
    assert options.count() >= 2
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.querySelector('#search-option-1')?.getAttribute('aria-selected') === 'true'")
    assert box.get_attribute("aria-activedescendant") == "search-option-1"
    second = options.nth(1).locator(".search-label").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results", state="detached")
    page.wait_for_function(
        "(name) => [document.querySelector('#panel-buurt-name'), document.querySelector('#panel-wijk-name'), document.querySelector('#entry-name')]"
        ".some(e => e && e.innerText.includes(name))",
        arg=second,
    )
    box.fill("ondiep")
    page.locator("#search-results").wait_for()
    page.keyboard.press("Escape")
    page.wait_for_selector("#search-results", state="detached")
    box.fill("overvecht")
    page.locator("#search-results").wait_for()
    page.locator("#tagline").click()  # somewhere else on the page
    page.wait_for_selector("#search-results", state="detached")


def test_the_link_is_the_view_over_a_quick_series_of_changes(app_url, page):
    wait_for_map(page, app_url)
    # A search pick.
    page.locator("#search-input").fill("Ondiep")
    page.locator(f'#search-results .search-result[data-key="{ONDIEP}"]').click()
    wait_for_link(page, {"buurt": ONDIEP})
    # Two quick clicks on the map: the second buurt wins.
    page.wait_for_timeout(600)  # the map flies to Ondiep
    for code in ("BU03440221", "BU03440231"):  # Nijenoord, then a neighbour: the second one wins
        click_buurt(page, code)
    wait_for_link(page, {"buurt": "BU03440231"})
    code = "BU03440231"
    from samen030_map.core.boundaries import load_boundaries

    page.wait_for_function("(name) => document.querySelector('#panel-buurt-name').innerText === name", arg=load_boundaries().buurten.loc[code, "buurtnaam"])
    shown = page.locator("#panel-buurt-name").inner_text()
    # Legend rows and layers go into the link at once.
    page.locator('#legend .legend-row[data-status="open"]').click()
    wait_for_link(page, {"buurt": code, "verberg": "open"})
    page.locator('[data-layer="achtergrond"]').click()
    wait_for_link(page, {"buurt": code, "verberg": "open", "lagen_uit": "achtergrond"})
    page.locator('#legend .legend-row[data-status="open"]').click()
    wait_for_link(page, {"buurt": code, "lagen_uit": "achtergrond"})
    # A reload shows exactly what the link holds.
    page.reload()
    wait_for_map(page, app_url, "?" + urlsplit(page.url).query)
    assert page.locator('#legend .legend-row[data-status="open"]').get_attribute("aria-pressed") == "true"
    assert page.locator('[data-layer="achtergrond"]').get_attribute("data-state") == "unchecked"
    assert page.locator("#panel-buurt-name").inner_text() == shown
    # Toggled legend rows that the link does not hold do not come back: open the bare address in this tab.
    page.locator('#legend .legend-row[data-status="gedekt"]').click()
    wait_for_link(page, {"buurt": code, "lagen_uit": "achtergrond", "verberg": "gedekt"})
    wait_for_map(page, app_url)
    page.wait_for_timeout(500)
    assert page.locator('#legend .legend-row[data-status="gedekt"]').get_attribute("aria-pressed") == "true"
    assert link(page) == {}
