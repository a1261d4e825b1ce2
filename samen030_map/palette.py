"""The one palette: status colours and fill patterns, marker colours, outlines. Plain Python.

Everything that draws a coverage status reads it here: the live map's SVG patterns and legend swatches,
the page's CSS swatches, the offline HTML export and the pictures (matplotlib hatches). The words for a
status stay in labels.STATUS_LABELS; `legend_rows` puts both together for a legend.

Colours: Okabe–Ito, safe for the common forms of colour blindness. A status never relies on colour
alone: each has its own pattern (open = diagonal stripes, wijkniveau = dots, gedekt = solid,
weinig bewoners = horizontal lines) and a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from samen030_map.labels import STATUS_LABELS, STATUS_ORDER


@dataclass(frozen=True)
class StatusPattern:
    """How one status is filled. `colour` draws the marks (the whole fill when solid), on `background`."""

    status: str
    kind: str  # "stripes" | "dots" | "solid" | "lines"
    colour: str
    background: str
    pattern_id: str  # id of the SVG <pattern> in the page

    @property
    def css_class(self) -> str:
        return "status-" + self.status.replace(" ", "-")


PATTERNS: dict[str, StatusPattern] = {
    "open": StatusPattern("open", "stripes", "#D55E00", "#fbe3d4", "pattern-open"),  # vermillion: the gaps stand out
    "wijkniveau": StatusPattern("wijkniveau", "dots", "#56B4E9", "#dcefff", "pattern-wijkniveau"),  # sky blue
    "gedekt": StatusPattern("gedekt", "solid", "#009E73", "#009E73", "pattern-gedekt"),  # bluish green
    "weinig bewoners": StatusPattern("weinig bewoners", "lines", "#BBBBBB", "#eeeeee", "pattern-weinig"),  # grey: no gap
}

STATUS_COLOURS = {status: pattern.colour for status, pattern in PATTERNS.items()}
PATTERN_IDS = {status: pattern.pattern_id for status, pattern in PATTERNS.items()}

ORGANISATION_COLOUR = "#0072B2"  # blue; organisations are round
MEETING_PLACE_COLOUR = "#CC79A7"  # reddish purple; meeting places are square
MARKER_OUTLINE = "#1a1a1a"
WIJK_OUTLINE = "#333333"
BUURT_OUTLINE = "#4d4d4d"
SELECTED_OUTLINE = "#000000"
MAP_BACKGROUND = "#f2f2ef"
TEXT_COLOUR = "#1a1a1a"

# The SVG pattern tile: 8 px; stripes half of it, dots of radius 2.2, lines 1.5 px high.
_TILE = 8


def _svg_pattern(pattern: StatusPattern) -> str:
    pid, colour, background = pattern.pattern_id, pattern.colour, pattern.background
    if pattern.kind == "stripes":
        return (
            f'<pattern id="{pid}" width="{_TILE}" height="{_TILE}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\n'
            f'<rect width="{_TILE}" height="{_TILE}" fill="{background}"/><rect width="4" height="{_TILE}" fill="{colour}"/></pattern>'
        )
    head = f'<pattern id="{pid}" width="{_TILE}" height="{_TILE}" patternUnits="userSpaceOnUse">\n'
    if pattern.kind == "dots":
        return head + f'<rect width="{_TILE}" height="{_TILE}" fill="{background}"/><circle cx="4" cy="4" r="2.2" fill="{colour}"/></pattern>'
    if pattern.kind == "lines":
        return head + f'<rect width="{_TILE}" height="{_TILE}" fill="{background}"/><rect y="3" width="{_TILE}" height="1.5" fill="{colour}"/></pattern>'
    return head + f'<rect width="{_TILE}" height="{_TILE}" fill="{colour}"/></pattern>'


def svg_pattern_defs() -> str:
    """The <pattern> elements, one per status (for a <defs> of any SVG: the map, a legend, an export)."""
    return "\n".join(_svg_pattern(PATTERNS[status]) for status in PATTERNS)


def svg_pattern_element() -> str:
    """A hidden SVG holding the patterns, for an HTML page; shapes fill with url(#<pattern_id>)."""
    return f'<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>\n{svg_pattern_defs()}\n</defs></svg>'


def svg_swatch(status: str, width: int = 22, height: int = 16) -> str:
    """A legend swatch filled with the status's pattern (the page must hold svg_pattern_element())."""
    return (
        f'<svg width="{width}" height="{height}" aria-hidden="true"><rect width="{width}" height="{height}" rx="2" '
        f'fill="url(#{PATTERN_IDS[status]})" stroke="{BUURT_OUTLINE}" stroke-width="1"/></svg>'
    )


def css_background(pattern: StatusPattern) -> str:
    """The same pattern as a CSS background (for swatches that are plain elements)."""
    colour, background = pattern.colour, pattern.background
    if pattern.kind == "stripes":
        return f"repeating-linear-gradient(45deg, {colour} 0 3px, {background} 3px 6px)"
    if pattern.kind == "dots":
        return f"radial-gradient({colour} 35%, {background} 40%) 0 0 / 7px 7px"
    if pattern.kind == "lines":
        return f"repeating-linear-gradient(0deg, {background} 0 3px, {colour} 3px 4px)"
    return colour


def css_rules() -> str:
    """CSS variables for every colour, and the `.status-*` swatch classes, from this palette."""
    variables = [f"  --status-{p.css_class.removeprefix('status-')}: {p.colour};" for p in PATTERNS.values()]
    variables += [
        f"  --organisation-colour: {ORGANISATION_COLOUR};",
        f"  --meeting-place-colour: {MEETING_PLACE_COLOUR};",
        f"  --wijk-outline: {WIJK_OUTLINE};",
        f"  --buurt-outline: {BUURT_OUTLINE};",
    ]
    rules = [f".{p.css_class} {{ background: {css_background(p)}; }}" for p in PATTERNS.values()]
    return ":root {\n" + "\n".join(variables) + "\n}\n" + "\n".join(rules) + "\n"


# Matplotlib draws the patterns as hatches. Hatch density counts lines per inch of the hatch tile; at
# print size these match the screen patterns' look (thick stripes, small dots, thin lines).
_HATCHES = {"stripes": ("///", 2.2), "dots": ("..", 1.0), "lines": ("---", 1.2), "solid": ("", 1.0)}


def mpl_style(status: str) -> dict:
    """Keyword arguments for a matplotlib patch filled like `status` (face, hatch, hatch colour, width)."""
    pattern = PATTERNS[status]
    hatch, width = _HATCHES[pattern.kind]
    style = {"facecolor": pattern.background if hatch else pattern.colour}
    if hatch:
        style |= {"hatch": hatch, "hatchcolor": pattern.colour, "hatch_linewidth": width}
    return style


def legend_rows() -> list[dict]:
    """The statuses in legend order, each with its Dutch label and pattern (labels: translate per reader)."""
    return [{"status": status, "label": STATUS_LABELS[status], "pattern": PATTERNS[status]} for status in STATUS_ORDER]
