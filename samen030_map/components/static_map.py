"""The map before JavaScript: an inline SVG of the 111 buurten in the pre-rendered page.

The production build renders every page to HTML. This SVG is part of that HTML, so the buurten are
drawn at first paint, before React and Leaflet have loaded; it is also what a browser without
JavaScript and a printer get. Leaflet then draws the same shapes in the same place: the SVG uses
Leaflet's projection (Web Mercator, EPSG:3857) and its viewBox is the city's bounds, scaled to fit the
map area the way Leaflet's fitBounds does (centred, the whole box visible, a fractional zoom), so the
hand-over does not move a buurt. The SVG goes when Leaflet has drawn (`.map-drawn`, buurtkaart.drawn).

Statuses: the paths carry the default view's status as a class (the picture when the page was built).
For a link with its own view, and after later saves, server/first_paint.py adds the current statuses
of that view to the page as a small style block; a page served without it and a view the build cannot
know fall back to a neutral map (the inline script below) until Leaflet takes over.
"""

from __future__ import annotations

import functools
import json

import geopandas as gpd
import reflex as rx
import shapely
from shapely.geometry import MultiPolygon, Polygon

from samen030_map.core.geo import WEB_MERCATOR, WGS84
from samen030_map.labels import STATUS_ORDER
from samen030_map.palette import BUURT_OUTLINE, MAP_BACKGROUND, PATTERNS, TEXT_COLOUR, WIJK_OUTLINE

# Patterns and wijk names are sized for the map's scale on a wide and on a narrow screen (the SVG has
# no script to measure itself). Screen pixels per Mercator metre when the city fits the map area.
WIDE_SCALE = 0.036  # a ~880 x 800 px map area next to the side panel
NARROW_SCALE = 0.016  # a phone: ~390 px wide
NARROW_SCREEN = "(max-width: 768px)"  # the layout's own breakpoint (assets/styles.css)
LABEL_PX = 13
SIMPLIFY_M = 8  # in RD metres: under a third of a pixel at the wide scale  # as the Leaflet wijk labels
SVG_ID = "static-map"
# Fills a link can change: statuses hidden in the legend, a status filter, another year, layers off.
VIEW_PARAMS = ("verberg", "status", "jaar", "lagen_uit")


def status_class(status: str) -> str:
    return "s-" + status.replace(" ", "-")


def path_data(geometry, origin: tuple[float, float]) -> str:
    """SVG path data of a (multi)polygon in EPSG:3857: whole metres from `origin` (the viewBox's top
    left), y pointing down as on the screen; each ring starts absolute, then relative steps (short)."""
    left, top = origin
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    parts = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = [(round(x - left), round(top - y)) for x, y in ring.coords[:-1]]
            (x0, y0), steps = points[0], []
            px, py = x0, y0
            for x, y in points[1:]:
                if (x, y) != (px, py):
                    steps.append(f"{x - px} {y - py}")
                    px, py = x, y
            parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts)


def _on_screen(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Areas simplified to screen precision (8 m, shared borders kept shared), in Web Mercator."""
    simplified = shapely.coverage_simplify(areas.geometry.values, SIMPLIFY_M)
    return areas.set_geometry(gpd.GeoSeries(simplified, index=areas.index, crs=areas.crs)).to_crs(WEB_MERCATOR)


def _leaflet_label_point(geometry) -> tuple[float, float]:
    """Where Leaflet opens a polygon's permanent tooltip: the centroid of its first outer ring."""
    first = geometry.geoms[0] if isinstance(geometry, MultiPolygon) else geometry
    point = Polygon(first.exterior).centroid
    return point.x, point.y


def _css() -> str:
    """Fills per status as custom properties, so the pattern size can follow the screen width."""
    def fills(scale: float, suffix: str) -> str:
        props = "".join(f"--{status_class(s)}:url(#sm-{PATTERNS[s].pattern_id}-{suffix});" for s in STATUS_ORDER)
        return f"#{SVG_ID}{{{props}--sm-label:{LABEL_PX / scale:.0f}px}}"

    rules = [
        fills(WIDE_SCALE, "w"),
        f"@media {NARROW_SCREEN}{{{fills(NARROW_SCALE, 'n')}}}",
        *(f"#{SVG_ID} .{status_class(s)}{{fill:var(--{status_class(s)})}}" for s in STATUS_ORDER),
        f"#{SVG_ID}.neutral .b{{fill:{MAP_BACKGROUND}}}",
        f"#{SVG_ID} .b{{fill-opacity:.8;stroke:{BUURT_OUTLINE};stroke-width:.8px;vector-effect:non-scaling-stroke}}",
        f"#{SVG_ID} .w{{fill:none;stroke:{WIJK_OUTLINE};stroke-width:2.5px;vector-effect:non-scaling-stroke}}",
        f"#{SVG_ID} text{{font:700 var(--sm-label)/1 system-ui,sans-serif;fill:{TEXT_COLOUR};text-anchor:middle;"
        f"dominant-baseline:central;paint-order:stroke;stroke:#fff;stroke-opacity:.82;stroke-width:3px;vector-effect:non-scaling-stroke}}",
        f"#{SVG_ID} text.sm-year{{text-anchor:start;font-size:calc(var(--sm-label) * 1.3)}}",
    ]
    return "".join(rules)


def _patterns() -> str:
    """The palette's patterns at map scale (their tiles are in screen pixels, these in metres)."""
    defs = []
    for scale, suffix in ((WIDE_SCALE, "w"), (NARROW_SCALE, "n")):
        for status in STATUS_ORDER:
            pattern = PATTERNS[status]
            turn = " rotate(45)" if pattern.kind == "stripes" else ""
            defs.append(
                f'<pattern id="sm-{pattern.pattern_id}-{suffix}" href="#{pattern.pattern_id}" patternTransform="scale({1 / scale:.2f}){turn}"/>'
            )
    return "".join(defs)


# Runs while the page is parsed, before the first paint (and never again):
# - with JavaScript the interactive map is on its way, so the map area may say it is loading (without
#   JavaScript the static map is the map, and a sign that never finishes would mislead);
# - a link whose view changes the statuses, on a page the server did not fill in: a neutral map.
FIRST_PAINT_CLASSES = ("js-loading", "neutral")  # what it may add (server/critical_css.py keeps their rules)
FIRST_PAINT_SCRIPT = (
    "(function(){var m=document.getElementById('map');if(m)m.classList.add('js-loading');"
    "var s=document.getElementById('" + SVG_ID + "');if(!s||s.dataset.view==='server')return;"
    "var q=new URLSearchParams(location.search);if(" + json.dumps(list(VIEW_PARAMS)) + ".some(function(p){return q.get(p)}))"
    "s.classList.add('neutral');})();"
)


@functools.cache
def static_map_svg(statuses_key: tuple[tuple[str, str], ...], title: str) -> str:
    """The SVG markup (cached: the geometry never changes while the app runs)."""
    from samen030_map.picture import geography

    picture = geography()
    statuses = dict(statuses_key)
    boundaries = picture.boundaries
    buurten = _on_screen(boundaries.buurten)
    wijken = _on_screen(boundaries.wijken)
    # Wijk names where Leaflet puts them: on the browser's (simplified) wijk shapes.
    label_shapes = gpd.GeoDataFrame.from_features(picture.wijken_geojson["features"], crs=WGS84).to_crs(WEB_MERCATOR)
    (south, west), (north, east) = picture.city_bounds
    corners = gpd.GeoSeries(shapely.points([west, east], [south, north]), crs=WGS84).to_crs(WEB_MERCATOR)
    left, bottom, right, top = corners.x[0], corners.y[0], corners.x[1], corners.y[1]
    width, height = right - left, top - bottom
    origin = (left, top)

    paths = []
    for code, row in buurten.iterrows():
        name = row["buurtnaam"]
        status = statuses.get(code, "")
        classes = "b " + status_class(status) if status else "b"
        paths.append(f'<path id="sm-{code}" class="{classes}" d="{path_data(row.geometry, origin)}"><title>{text_in_markup(name)}</title></path>')
    outlines = "".join(f'<path class="w" d="{path_data(g, origin)}"/>' for g in wijken.geometry)
    labels = []
    for _, row in label_shapes.iterrows():
        x, y = _leaflet_label_point(row.geometry)
        labels.append(f'<text x="{x - left:.0f}" y="{top - y:.0f}">{text_in_markup(row["name"])}</text>')
    return (
        f'<svg id="{SVG_ID}" class="static-map" viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-label="{text_in_markup(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<style>{_css()}</style><defs>{_patterns()}</defs>"
        f'<g class="sm-buurten">{"".join(paths)}</g><g class="sm-wijken">{outlines}</g><g class="sm-labels">{"".join(labels)}</g>'
        f"</svg><script>{FIRST_PAINT_SCRIPT}</script>"
    )


def text_in_markup(value: str) -> str:
    """User and boundary text as text inside the SVG markup (never markup)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def static_map() -> rx.Component:
    """The SVG, drawn with the default view's statuses of the picture the page was built from."""
    from samen030_map.picture import current_picture

    statuses = {code: str(status) for code, status in current_picture().coverage.buurten["status"].items()}
    title = "Kaart van de Utrechtse buurten, gekleurd naar dekking"
    return rx.html(static_map_svg(tuple(sorted(statuses.items())), title), class_name="static-map-box", aria_hidden="false")
