"""The standalone HTML map (folium): offline, all layers, names shown as text."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.export import write_html_map
from samen030_map.export.html_map import leaflet_dist
from samen030_map.picture import build_picture

TAGGED_NAME = "<b>Vet</b> & Co"
CDN_HOSTS = ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn.com", "unpkg.com")


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    """The real picture, with one organisation renamed to contain HTML (names are free text)."""
    tmp_path = tmp_path_factory.mktemp("export")
    picture = build_picture(db_url=f"sqlite:///{tmp_path}/x.db")
    organisations = picture.organisations.copy()
    located = organisations.index[organisations.geometry.notna()][0]  # one that gets a marker
    organisations.loc[located, "name"] = TAGGED_NAME
    return dataclasses.replace(picture, organisations=organisations)


@pytest.fixture(scope="module")
def html_map(picture, tmp_path_factory) -> Path:
    return write_html_map(picture, tmp_path_factory.mktemp("export") / "buurtkaart.html")


def test_export_loads_nothing_from_a_cdn(html_map):
    text = html_map.read_text(encoding="utf-8")
    assert '<script src="http' not in text
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", text)
    assert not any(host in text for host in CDN_HOSTS)
    # Leaflet itself is inlined.
    assert "L.map(" in text and "window.L=" in text and ".leaflet-pane" in text


def test_export_has_every_buurt_the_legend_and_the_attribution(html_map, picture):
    text = html_map.read_text(encoding="utf-8")
    assert set(re.findall(r"BU0344\d{4}", text)) == set(picture.coverage.buurten.index)
    assert len(set(re.findall(r"BU0344\d{4}", text))) == 111
    assert CBS_ATTRIBUTION in text
    counts = dict(re.findall(r'data-status="([a-z ]+)".*?class="legend-count">(\d+)<', text))
    assert sum(int(n) for n in counts.values()) == 111
    assert "locatie bij benadering" in text


def test_export_does_not_write_html_from_names(html_map):
    text = html_map.read_text(encoding="utf-8")
    assert "<b>Vet" not in text
    assert "Vet\\u003c/b\\u003e \\u0026 Co" in text  # the name travels as JSON text


def test_an_explicit_leaflet_dir_must_hold_leaflet(tmp_path):
    with pytest.raises(FileNotFoundError):
        leaflet_dist(tmp_path)


@pytest.mark.browser
def test_export_draws_offline_in_chromium(html_map, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    try:
        errors: list[str] = []
        remote: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: remote.append(request.url) if not request.url.startswith(("file:", "data:")) else None)
        page.goto(html_map.as_uri())
        page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length >= 111", timeout=20_000)
        assert page.locator(".leaflet-overlay-pane path.buurt").count() == 111
        assert page.locator(".leaflet-overlay-pane path.wijk").count() == 10
        assert CBS_ATTRIBUTION in page.locator(".leaflet-control-attribution").inner_text()
        # Open the tooltip of the renamed marker: the tags show as text, no <b> element is made.
        page.evaluate(
            """() => Object.values(window).filter(v => v instanceof L.GeoJSON).forEach(g => g.eachLayer(l => {
                if (l.feature.properties.tooltip && String(l.feature.properties.tooltip[0]).includes('Vet')) l.openTooltip();
            }))"""
        )
        tooltip = page.locator(".leaflet-tooltip", has_text="Vet")
        assert TAGGED_NAME in tooltip.inner_text()
        assert tooltip.locator("b").count() == 0
        assert errors == [] and remote == []
    finally:
        page.close()
