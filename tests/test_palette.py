"""One palette: the same status patterns for the live map, the CSS swatches and every export."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from samen030_map import palette
from samen030_map.components import theme
from samen030_map.core.config import PROJECT_ROOT
from samen030_map.labels import STATUS_LABELS, STATUS_ORDER

SVG = ""  # inline SVG in an HTML page needs no namespace


def test_every_status_has_its_own_pattern_and_label():
    assert set(palette.PATTERNS) == set(STATUS_ORDER) == set(STATUS_LABELS)
    kinds = {status: pattern.kind for status, pattern in palette.PATTERNS.items()}
    assert kinds == {"open": "stripes", "wijkniveau": "dots", "gedekt": "solid", "weinig bewoners": "lines"}
    assert len({p.pattern_id for p in palette.PATTERNS.values()}) == 4
    assert [row["status"] for row in palette.legend_rows()] == list(STATUS_ORDER)


def test_svg_patterns_parse_and_carry_the_colours():
    root = ET.fromstring(palette.svg_pattern_element())
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert set(patterns) == set(palette.PATTERN_IDS.values())
    for status, pattern in palette.PATTERNS.items():
        fills = {element.get("fill") for element in patterns[pattern.pattern_id]}
        assert pattern.colour in fills and pattern.background in fills
    assert patterns["pattern-open"].get("patternTransform") == "rotate(45)"  # diagonal stripes
    assert patterns["pattern-wijkniveau"].find(f"{SVG}circle") is not None  # dots
    swatch = ET.fromstring(palette.svg_swatch("open"))
    assert swatch.find(f"{SVG}rect").get("fill") == "url(#pattern-open)"


def test_the_components_read_the_palette():
    assert theme.STATUS_COLOURS is palette.STATUS_COLOURS and theme.PATTERN_IDS is palette.PATTERN_IDS
    assert (theme.ORGANISATION_COLOUR, theme.MEETING_PLACE_COLOUR, theme.WIJK_OUTLINE) == (
        palette.ORGANISATION_COLOUR, palette.MEETING_PLACE_COLOUR, palette.WIJK_OUTLINE,
    )


def test_the_stylesheet_swatches_match_the_palette():
    """Until the page takes its swatch CSS from palette.css_rules(), the copy in styles.css must match."""
    css = (PROJECT_ROOT / "assets" / "styles.css").read_text(encoding="utf-8")
    for rule in palette.css_rules().splitlines():
        match = re.match(r"\.(status-[a-z-]+) \{", rule)
        if match and re.search(rf"\.{match.group(1)}\s*\{{", css):
            assert rule in css, f"styles.css differs from the palette: {rule}"


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_matplotlib_styles_follow_the_pattern(status):
    style = palette.mpl_style(status)
    pattern = palette.PATTERNS[status]
    if pattern.kind == "solid":
        assert style == {"facecolor": pattern.colour}
    else:
        assert style["facecolor"] == pattern.background and style["hatchcolor"] == pattern.colour
        assert {"stripes": "/", "dots": ".", "lines": "-"}[pattern.kind] in style["hatch"]
