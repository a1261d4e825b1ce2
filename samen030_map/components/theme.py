"""Colours and patterns for the coverage statuses and registry kinds: one place to change them.

Palette: Okabe–Ito, safe for the common forms of colour blindness. Status never relies on colour alone:
every status also has its own fill pattern (SVG) and a text label; every kind a two-letter symbol.
"""

from samen030_map.labels import STATUS_ORDER  # noqa: F401  (re-exported for the components)

STATUS_COLOURS = {
    "open": "#D55E00",  # vermillion: the gaps must stand out
    "wijkniveau": "#56B4E9",  # sky blue
    "gedekt": "#009E73",  # bluish green
    "weinig bewoners": "#BBBBBB",  # grey: not counted as a gap
}

PATTERN_IDS = {
    "open": "pattern-open",
    "wijkniveau": "pattern-wijkniveau",
    "gedekt": "pattern-gedekt",
    "weinig bewoners": "pattern-weinig",
}

ORGANISATION_COLOUR = "#0072B2"  # blue
MEETING_PLACE_COLOUR = "#CC79A7"  # reddish purple
WIJK_OUTLINE = "#333333"
