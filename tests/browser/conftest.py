"""Browser tests: start the real app (production build, one port) and drive headless Chromium with Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from samen030_map.app_server import CHROMIUM, serve_app
from samen030_map.core.boundaries import load_boundaries
from samen030_map.core.registry import RegistryEntry
from samen030_map.db import accounts, store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory) -> str:
    """The browser tests' own SQLite database: the seed registry plus the test-only rows below."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('app-db') / 'browser-test.db'}"
    _add_test_organisation(db_url)
    return db_url


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, app_db_url) -> str:
    """The app served on a free localhost port, on the database of `app_db_url`."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    workdir = tmp_path_factory.mktemp("app")
    # The test build lives in .build-test/ (kept between runs), so a running `make run` is left alone.
    with serve_app(app_db_url, workdir / "reflex.log", build_dir=PROJECT_ROOT / ".build-test") as url:
        yield url


# A test-only organisation (this database only, never shipped): its name holds HTML that must show as text.
HTML_NAME = "<b>Testorganisatie</b> <img src=x onerror=alert(1)>"
SECRET = "GEHEIM-CONTACT-0612345678"
BEHEERDER, PASSWORD = "testbeheer", "een lang testwachtwoord"


def _add_test_organisation(db_url: str) -> None:
    boundaries = load_boundaries()
    engine = store.engine_for(db_url)
    store.migrate(db_url)
    store.seed_from_files(engine, boundaries)
    entry = RegistryEntry(
        entity="organisation", id="test-html-naam", name=HTML_NAME, kind="bewonersorganisatie",
        area_level="buurt", area_codes=("BU03440222",), location_precision="buurt", source_url="https://example.org/test",
    )
    store.add_entry(engine, entry, boundaries)
    # A secret that must never reach a public page, and accounts for the workspace tests.
    store.update_entry(engine, "buurtwerkkamer-top", {"contact": SECRET, "notes": SECRET}, boundaries, "organisation")
    accounts.add_user(engine, BEHEERDER, PASSWORD, "beheerder")
    accounts.add_user(engine, "coordinator-oost", PASSWORD, "coordinator", ["WK034405"], known_wijken={"WK034405"})


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
        "document.querySelectorAll('.leaflet-buurten-pane path').length >= 111"
        " && Number(document.querySelector('.dashboard')?.dataset.revision) > 0",
        timeout=60_000,
    )


# A point of the buurt's shape that is really on top (not under a marker or a label), in page pixels.
CLICKABLE_POINT = """(code, mapName = 'buurtkaartMap') => {
  let path = null;
  window[mapName].eachLayer((layer) => { if (layer.feature?.properties?.code === code && layer._path) path = layer._path; });
  const box = path.getBoundingClientRect();
  for (let step = 2; step <= 32; step *= 2)
    for (let i = 1; i < step; i++) for (let j = 1; j < step; j++) {
      const x = box.left + (box.width * i) / step, y = box.top + (box.height * j) / step;
      if (document.elementFromPoint(x, y) === path) return [x, y];
    }
  return null;
}"""


def click_buurt(page, code: str, map_name: str = "buurtkaartMap") -> None:
    """Click the buurt on the map where a resident would: on its own shape."""
    point = page.evaluate(f"(code) => ({CLICKABLE_POINT})(code, {map_name!r})", code)
    assert point, f"no clickable point of {code} on screen"
    page.mouse.move(*point)  # a hand first hovers (the name shows), then clicks
    page.wait_for_timeout(100)
    page.mouse.click(*point)


def log_in(page, app_url: str, name: str = BEHEERDER, password: str = PASSWORD) -> None:
    """Log in on /beheer as a coordinator would: the form, then the workspace."""
    page.goto(app_url + "/beheer")
    page.wait_for_selector("#login-naam", timeout=60_000)
    page.fill("#login-naam", name)
    page.fill("#login-wachtwoord", password)
    page.click("#login-submit")
    page.wait_for_selector("#user-name", timeout=60_000)
    page.wait_for_selector("#item-table .item-link")
