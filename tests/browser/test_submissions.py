"""Residents submit on a phone; coordinators review; an open public map follows. And a bulk import."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in, save_screenshot, wait_for_map

pytestmark = pytest.mark.browser

VLEUTEN_BUURT = "BU03441013"  # Vleuten: open (no buurt organisation of its own)
STATUS_OF = """(code) => { let status = null; window.buurtkaartMap.eachLayer((l) => { if (l.feature?.properties?.code === code && l._path) status = l._path.getAttribute('fill'); }); return status; }"""


def _phone(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def _fill_submission(page, app_url: str, name: str, buurt: str) -> None:
    page.goto(app_url + f"/meld-aan?buurt={buurt}")
    page.wait_for_selector("#meld-name", timeout=60_000)
    page.fill("#meld-name", name)
    page.locator("#meld-kind-organisation").click()
    page.get_by_role("option", name="Bewonersorganisatie").click()
    page.fill("#meld-description", "Bewoners die samen eten en klussen.")
    page.fill("#meld-contact", "Anna, 06-99887766")
    page.locator("#meld-consent").click()


def test_a_resident_submits_on_a_phone_a_coordinator_approves_and_an_open_map_follows(app_url, browser):
    resident_context, public_context, coordinator_context = _phone(browser), browser.new_context(), browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        resident, public, coordinator = resident_context.new_page(), public_context.new_page(), coordinator_context.new_page()
        # The link under an open buurt brings the resident to the form with that buurt chosen.
        wait_for_map(resident, app_url, f"?buurt={VLEUTEN_BUURT}")
        resident.locator("#panel-meld-aan").scroll_into_view_if_needed()
        assert resident.locator("#panel-meld-aan").is_visible()
        _fill_submission(resident, app_url, "Vleutense Buren (test)", VLEUTEN_BUURT)
        assert resident.evaluate("document.documentElement.scrollWidth") == 390  # no sideways scrolling on a phone
        assert "Vleuten" in resident.locator("#meld-chosen").inner_text()
        save_screenshot(resident, "submit-form-phone")
        resident.click("#meld-send")
        resident.wait_for_selector("#meld-thanks")
        save_screenshot(resident, "submit-confirmation-phone")

        # Not public yet: neither on the map nor in the search.
        wait_for_map(public, app_url, f"?buurt={VLEUTEN_BUURT}")
        public.locator("#search-input").fill("Vleutense Buren")
        public.wait_for_selector("#search-empty")
        assert public.evaluate(STATUS_OF, VLEUTEN_BUURT) != "url(#pattern-gedekt)"
        assert "06-99887766" not in public.content()

        log_in(coordinator, app_url)
        coordinator.locator("#workspace-tab").get_by_role("radio", name=re.compile("Aanmeldingen")).click()
        coordinator.locator(".queue-link", has_text="Vleutense Buren (test)").click()
        coordinator.wait_for_selector("#submission-box")
        assert "06-99887766" in coordinator.locator("#submission-contact").inner_text()
        coordinator.wait_for_function("document.querySelector('#whatif')?.innerText.includes('Vleuten')")
        save_screenshot(coordinator, "review-queue")
        coordinator.click("#approve")
        coordinator.wait_for_function("document.querySelector('#workspace-message')?.innerText.includes('Goedgekeurd')")

        # The open public map shows it, with the buurt's new status, without a reload.
        public.locator("#search-input").fill("")
        public.wait_for_function(f"({STATUS_OF})({VLEUTEN_BUURT!r}) === 'url(#pattern-gedekt)'", timeout=10_000)
        public.wait_for_function("document.querySelector('#buurt-panel')?.innerText.includes('Vleutense Buren (test)')")
        assert "06-99887766" not in public.content()
    finally:
        for context in (resident_context, public_context, coordinator_context):
            context.close()


def test_a_rejected_submission_never_appears_and_a_correction_lands_in_the_queue(app_url, browser):
    resident_context, coordinator_context = _phone(browser), browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        resident, coordinator = resident_context.new_page(), coordinator_context.new_page()
        _fill_submission(resident, app_url, "Nepgroep (test)", VLEUTEN_BUURT)
        resident.click("#meld-send")
        resident.wait_for_selector("#meld-thanks")
        # A correction from the card of an organisation.
        wait_for_map(resident, app_url, "?org=buurtwerkkamer-top")
        resident.locator("#correction-open").click()
        resident.fill("#correction-text", "De buurtwerkkamer zit nu op een ander adres.")
        resident.click("#correction-send")
        resident.wait_for_selector("#correction-thanks")

        log_in(coordinator, app_url)
        coordinator.locator("#workspace-tab").get_by_role("radio", name=re.compile("Aanmeldingen")).click()
        coordinator.locator(".queue-link", has_text="Nepgroep (test)").click()
        coordinator.wait_for_selector("#reject")
        coordinator.fill("#reject-reason", "Geen bewonersinitiatief")
        coordinator.click("#reject")
        coordinator.wait_for_function("document.querySelector('#workspace-message')?.innerText.includes('Afgewezen')")
        assert "Geen bewonersinitiatief" in coordinator.locator("#queue-decided").inner_text()
        coordinator.locator(".queue-link", has_text="BuurtWerkKamer TOP").click()
        coordinator.wait_for_selector("#submission-message")
        assert "ander adres" in coordinator.locator("#submission-message").inner_text()

        public = resident_context.new_page()
        wait_for_map(public, app_url)
        public.locator("#search-input").fill("Nepgroep")
        public.wait_for_selector("#search-empty")
    finally:
        resident_context.close()
        coordinator_context.close()


def test_a_bulk_import_shows_its_report_imports_the_good_rows_and_is_undone(app_url, page, tmp_path):
    from samen030_map.core.schema import CSV_COLUMNS

    rows = [
        {"id": "import-goed-1", "name": "Geïmporteerd goed (test)", "kind": "netwerk", "area_level": "stad", "source_url": "https://example.org/a"},
        {"id": "import-fout", "name": "Fout", "kind": "netwerk", "area_level": "buurt", "area_codes": "BU03449999"},
    ]
    path = tmp_path / "lijst.csv"
    path.write_text(";".join(CSV_COLUMNS) + "\n" + "\n".join(";".join(r.get(c, "") for c in CSV_COLUMNS) for r in rows) + "\n", encoding="utf-8")
    log_in(page, app_url)
    page.locator("#workspace-tab").get_by_role("radio", name=re.compile("Importeren")).click()
    page.set_input_files("#import-upload input[type=file]", str(path))
    page.click("#import-check")
    page.wait_for_selector("#import-report")
    counts = page.locator("#import-counts").inner_text()
    assert "2 rijen" in counts and "1 goed" in counts and "1 problemen" in counts
    problems = page.locator("#import-problems").inner_text()
    assert "3" in problems and "area_codes" in problems and "BU03449999" in problems
    save_screenshot(page, "import-report")
    page.click("#import-apply")
    page.wait_for_selector("#import-done")
    page.locator("#workspace-tab").get_by_role("radio", name=re.compile("Alle items")).click()
    page.wait_for_selector('.item-link[data-key="organisation:import-goed-1"]')
    page.locator("#workspace-tab").get_by_role("radio", name=re.compile("Importeren")).click()
    page.click("#import-undo")
    page.wait_for_function("document.querySelector('#workspace-message')?.innerText.includes('ongedaan')")
    page.locator("#workspace-tab").get_by_role("radio", name=re.compile("Alle items")).click()
    page.wait_for_function("!document.querySelector('.item-link[data-key=\"organisation:import-goed-1\"]')")
