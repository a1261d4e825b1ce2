"""Browser tests: start the real app (production build, one port) and drive headless Chromium with Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from samen030_map.app_server import CHROMIUM, CHROMIUM_ARGS, serve_app

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> str:
    """The app served on a free localhost port, with its own SQLite database seeded from geodata/."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    workdir = tmp_path_factory.mktemp("app")
    with serve_app(f"sqlite:///{workdir / 'browser-test.db'}", workdir / "reflex.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def wait_for_map(page, app_url: str, query: str = "") -> None:
    """Open the page and wait until the buurten layer is drawn."""
    page.goto(app_url + "/" + query)
    page.wait_for_function(
        "document.querySelectorAll('.leaflet-buurten-pane path').length >= 111", timeout=60_000
    )
