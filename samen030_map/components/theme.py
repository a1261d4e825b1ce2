"""Colours and patterns for the components. The palette itself lives in samen030_map/palette.py (one
source for the app, the CSS and every export); these names are kept for the components that import them.
"""

from samen030_map.labels import STATUS_ORDER  # noqa: F401  (re-exported for the components)
from samen030_map.palette import (  # noqa: F401  (re-exported for the components)
    MEETING_PLACE_COLOUR,
    ORGANISATION_COLOUR,
    PATTERN_IDS,
    STATUS_COLOURS,
    WIJK_OUTLINE,
)
