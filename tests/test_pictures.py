"""Pictures of a view and the handout: each format opens and shows title, date, filters, legend and source."""

from __future__ import annotations

import io
import re
import struct
import time
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from pypdf import PdfReader

from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.export.mapview import MapView
from samen030_map.export.pictures import PictureError, render_handout, render_picture
from samen030_map.labels import STATUS_LABELS
from tests.conftest import HOSTILE_ORG_NAME, HOSTILE_PLACE_NAME

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 5, 12)


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def svg_texts(root) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_png_is_at_least_1920_pixels_wide(hostile_picture):
    started = time.perf_counter()
    data = render_picture(hostile_picture, MapView(), "png", today=DAY)
    elapsed = time.perf_counter() - started
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert width >= 1920 and 1.3 < width / height < 1.5  # A4 landscape
    assert elapsed < 10, f"one picture took {elapsed:.1f} s"


def test_svg_has_a_path_per_buurt_and_its_words_as_text(hostile_picture):
    mapview = MapView.from_link("/?thema=Gezondheid+%26+zorg&soort=speeltuin")
    root = ET.fromstring(render_picture(hostile_picture, mapview, "svg", today=DAY))
    buurten = [g for g in root.iter(f"{SVG}g") if re.fullmatch(r"BU0344\d{4}", g.get("id", ""))]
    assert len({g.get("id") for g in buurten}) == 111
    assert all(g.find(f"{SVG}path") is not None for g in buurten)
    texts = svg_texts(root)
    assert CBS_ATTRIBUTION in texts
    assert "SAMEN030 Buurtkaart" in texts
    assert any("Thema: Gezondheid & zorg · Soort: Speeltuin" in text for text in texts)
    assert any("12 mei 2026" in text for text in texts)
    for status in ("open", "wijkniveau", "gedekt", "weinig bewoners"):
        assert STATUS_LABELS[status] in texts
    # The legend swatches are filled with the status patterns (hatches), the gedekt one solid.
    assert len(root.findall(f".//{SVG}pattern")) >= 3


def test_pdf_is_one_a4_landscape_page_with_legend_filters_and_source(hostile_picture):
    mapview = MapView.from_link("/?wijk=WK034402&relatie=kernpartner&verberg=weinig bewoners")
    data = render_picture(hostile_picture, mapview, "pdf", today=DAY)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape in points
    text = flat(reader.pages[0].extract_text())
    assert "SAMEN030 Buurtkaart — Wijk Noordwest" in text
    assert "Band met SAMEN030: Kernpartner van SAMEN030" in text and "Niet getoond: Weinig bewoners" in text
    assert "niet getoond op de kaart" in text
    for label in STATUS_LABELS.values():
        assert label in text
    assert "13 buurten in Noordwest" in text
    assert CBS_ATTRIBUTION in text


def test_english_picture(hostile_picture):
    text = flat(pdf_text(render_picture(hostile_picture, MapView.from_link("?lang=en&soort=speeltuin"), "pdf", today=DAY))[0])
    assert "As of 12 May 2026" in text and "Type: Playground" in text
    assert "No neighbourhood organisation yet" in text and "Legend" in text
    assert CBS_ATTRIBUTION in text  # the source line is the same in both languages


def test_hostile_names_stay_text_in_a_picture(hostile_picture):
    """A selected buurt lists its organisations and places: a formula, HTML, a template, mathtext, a
    closing script tag are all drawn as the text they are (and the SVG stays well-formed XML)."""
    mapview = MapView.from_link("/?buurt=BU03440222")
    texts = svg_texts(ET.fromstring(render_picture(hostile_picture, mapview, "svg", today=DAY)))
    assert HOSTILE_ORG_NAME in " ".join(texts)  # wrapped over lines; "$x^2$" stays dollars, not maths
    assert HOSTILE_PLACE_NAME in " ".join(texts)
    assert "Ondiep (Noordwest)" in " ".join(texts)
    pdf = flat(pdf_text(render_picture(hostile_picture, mapview, "pdf", today=DAY))[0])
    assert "{{7*7}} $x^2$" in pdf
    assert "</script><script>alert(1)</script>" in pdf


def test_a_selected_entry_is_named_and_zoomed_to(hostile_picture):
    text = flat(pdf_text(render_picture(hostile_picture, MapView.from_link("/?plek=test-hostile-place", hostile_picture), "pdf", today=DAY))[0])
    assert f"SAMEN030 Buurtkaart — {HOSTILE_PLACE_NAME}" in text
    assert "Ontmoetingsplek: Speeltuin" in text


def test_unknown_format_is_refused(hostile_picture):
    with pytest.raises(PictureError):
        render_picture(hostile_picture, MapView(), "gif")


def test_handout_has_the_city_and_one_page_per_wijk(hostile_picture):
    started = time.perf_counter()
    data = render_handout(hostile_picture, MapView.from_link("?soort=speeltuin"), today=DAY)
    elapsed = time.perf_counter() - started
    pages = [flat(text) for text in pdf_text(data)]
    assert len(pages) == 1 + 10
    assert "111 buurten in Utrecht" in pages[0] and "Per wijk" in pages[0]
    assert "Inwoners in open buurten: 141.465 van 376.770" in pages[0]
    wijken = list(hostile_picture.coverage.wijken["wijknaam"])
    for page, name in zip(pages[1:], wijken):
        assert f"SAMEN030 Buurtkaart — Wijk {name}" in page
        assert "Soort: Speeltuin" in page and CBS_ATTRIBUTION in page
        assert "Organisaties (0)" in page  # the filter keeps only playgrounds
    noordwest = pages[1 + wijken.index("Noordwest")]
    assert "Ontmoetingsplekken (" in noordwest and "Speeltuin" in noordwest
    west = pages[1 + wijken.index("West")]
    assert "Open buurten (inwoners), meeste eerst (10)" in west
    assert elapsed < 30, f"the handout took {elapsed:.1f} s"
