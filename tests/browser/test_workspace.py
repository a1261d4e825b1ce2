"""The coordinators' workspace in a real browser, beside a public map that is already open."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SECRET, click_buurt, log_in, save_screenshot, wait_for_map

pytestmark = pytest.mark.browser

NIJENOORD = "BU03440221"  # Nijenoord, Hoogstraat en omgeving: wijkniveau (no buurt organisation of its own yet)
STATUS_OF = """(code) => { let status = null; window.buurtkaartMap.eachLayer((l) => { if (l.feature?.properties?.code === code && l._path) status = l._path.getAttribute('fill'); }); return status; }"""


def test_login_add_an_organisation_on_the_map_and_an_open_public_map_follows(app_url, browser):
    public_context = browser.new_context(viewport={"width": 1280, "height": 800})
    coordinator_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    public, page = public_context.new_page(), coordinator_context.new_page()
    try:
        # A resident has the map open on Nijenoord: not (yet) gedekt.
        wait_for_map(public, app_url, f"?buurt={NIJENOORD}")
        public.wait_for_selector("#panel-buurt-name")
        assert public.evaluate(STATUS_OF, NIJENOORD) != "url(#pattern-gedekt)"
        status_before = public.locator("#panel-status").inner_text()

        log_in(page, app_url)
        save_screenshot(page, "workspace-table")
        page.click("#new-organisation")
        page.wait_for_selector("#item-form")
        page.fill("#field-name", "Bewonersgroep Nijenoord (test)")
        page.fill("#field-source_url", "https://example.org/nijenoord")
        page.locator("#field-kind-organisation").click()
        page.get_by_role("option", name="Bewonersorganisatie").click()
        page.wait_for_function("window.werkruimteMap")
        click_buurt(page, NIJENOORD, "werkruimteMap")
        # What saving would change, before anything is saved.
        page.wait_for_function("document.querySelector('#whatif')?.innerText.includes('Nijenoord')")
        gedekt = page.locator("#whatif-gedekt").inner_text()
        before, after = (int(part) for part in gedekt.split("→"))
        assert after == before + 1, gedekt
        save_screenshot(page, "workspace-form-whatif")
        public.wait_for_timeout(300)
        assert public.locator("#panel-status").inner_text() == status_before  # nothing saved yet

        page.click("#save")
        page.wait_for_function("document.querySelector('#workspace-message')?.innerText.includes('Opgeslagen')")
        # The public page follows without a reload.
        public.wait_for_function(f"({STATUS_OF})({NIJENOORD!r}) === 'url(#pattern-gedekt)'", timeout=10_000)
        public.wait_for_function("document.querySelector('#panel-status').innerText === 'Buurtorganisatie actief'")
        assert "Bewonersgroep Nijenoord (test)" in public.locator("#buurt-panel").inner_text()
        save_screenshot(public, "public-after-save")

        # Edit it, archive it (the public map loses it), restore it (it comes back), then look at the history.
        page.fill("#field-description", "Bewoners die samen de buurt mooier maken.")
        page.click("#save")
        page.wait_for_function("document.querySelectorAll('#history .history-item').length >= 2")
        page.click("#archive")
        public.wait_for_function(f"({STATUS_OF})({NIJENOORD!r}) !== 'url(#pattern-gedekt)'", timeout=10_000)
        page.click("#unarchive")
        public.wait_for_function(f"({STATUS_OF})({NIJENOORD!r}) === 'url(#pattern-gedekt)'", timeout=10_000)
        history = page.locator("#history").inner_text()
        assert "Gearchiveerd" in history and "Uit het archief gehaald" in history and "Toegevoegd" in history
        assert "testbeheer" in history
        page.locator("#history").scroll_into_view_if_needed()
        save_screenshot(page, "workspace-history")
    finally:
        public_context.close()
        coordinator_context.close()


def test_a_coordinator_outside_the_wijk_cannot_save_and_sees_why(app_url, page):
    log_in(page, app_url, "coordinator-oost")
    page.locator('.item-link[data-key="organisation:buurtwerkkamer-top"]').click()  # in Noordwest
    page.wait_for_selector("#item-form")
    page.fill("#field-description", "Dit mag niet")
    page.click("#save")
    page.wait_for_function("document.querySelector('#workspace-message')?.innerText.includes('eigen wijken')")


def test_wrong_password_and_logging_out(app_url, page):
    page.goto(app_url + "/beheer")
    page.wait_for_selector("#login-naam")
    page.fill("#login-naam", "testbeheer")
    page.fill("#login-wachtwoord", "niet het goede wachtwoord")
    page.click("#login-submit")
    page.wait_for_selector("#login-message")
    assert "klopt niet" in page.locator("#login-message").inner_text()
    log_in(page, app_url)
    assert page.evaluate("document.cookie") == ""  # the session cookie is HttpOnly: no script can read it
    page.click("#logout")
    page.wait_for_selector("#login-naam")
    assert page.locator("#item-table").count() == 0


def test_the_public_page_never_carries_contact_or_notes(app_url, page):
    """Neither in the page nor in anything the socket sends: the seed item with a secret contact is opened."""
    frames = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(str(payload))))
    wait_for_map(page, app_url, "?org=buurtwerkkamer-top")
    page.wait_for_selector("#entry-panel")
    page.locator("#search-input").fill("buurtwerkkamer")
    page.wait_for_selector("#search-results")
    page.wait_for_timeout(500)
    assert frames  # the socket did carry the card and the results
    assert SECRET not in page.content()
    assert not [frame for frame in frames if SECRET in frame]
