"""The live map: buurten coloured by coverage status, wijk outlines with names, registry markers."""

from __future__ import annotations

import json

import reflex as rx

from samen030_map.components import leaflet as lf
from samen030_map.components.theme import (
    MEETING_PLACE_COLOUR,
    ORGANISATION_COLOUR,
    PATTERN_IDS,
    STATUS_COLOURS,
    WIJK_OUTLINE,
)
from samen030_map.picture import current_picture, marker_rows
from samen030_map.state.dashboard import DashboardState

UTRECHT_CENTER = [52.0907, 5.1214]
# PDOK's BRT-Achtergrondkaart (grey). Optional: offline the tiles fail and the map stays neutral.
BRT_GREY_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
BRT_ATTRIBUTION = "Achtergrond: BRT-Achtergrondkaart (PDOK, Kadaster, CC BY 4.0)"


def _bounds() -> list[list[float]]:
    west, south, east, north = current_picture().boundaries.buurten.to_crs(4326).total_bounds
    return [[south, west], [north, east]]


def buurt_style_function() -> rx.Var:
    """Per-feature style from small state vars; react-leaflet re-applies it with setStyle, no remount."""
    patterns = json.dumps(PATTERN_IDS)
    return lf.js(
        f"""((feature) => {{
  const code = feature.properties.code;
  const status = ({DashboardState.status_by_code})[code];
  const hidden = status === undefined || ({DashboardState.hidden_statuses}).includes(status);
  const selected = code === {DashboardState.selected_buurt};
  return {{
    color: selected ? '#000000' : '#4d4d4d',
    weight: selected ? 4 : 0.8,
    opacity: hidden ? 0.35 : 1,
    fillColor: status === undefined ? 'transparent' : `url(#${{({patterns})[status]}})`,
    fillOpacity: hidden ? 0 : 0.8,
  }};
}})""",
        DashboardState.status_by_code,
        DashboardState.hidden_statuses,
        DashboardState.selected_buurt,
    )


def pattern_definitions() -> rx.Component:
    """SVG fill patterns, one per status, used by the map and the legend swatches."""
    colour = STATUS_COLOURS
    svg = f"""<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="{PATTERN_IDS['open']}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="8" height="8" fill="#fbe3d4"/><rect width="4" height="8" fill="{colour['open']}"/></pattern>
<pattern id="{PATTERN_IDS['wijkniveau']}" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="#dcefff"/><circle cx="4" cy="4" r="2.2" fill="{colour['wijkniveau']}"/></pattern>
<pattern id="{PATTERN_IDS['gedekt']}" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="{colour['gedekt']}"/></pattern>
<pattern id="{PATTERN_IDS['weinig bewoners']}" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="#eeeeee"/><rect y="3" width="8" height="1.5" fill="{colour['weinig bewoners']}"/></pattern>
</defs></svg>"""
    return rx.html(svg)


def _wijk_labels() -> rx.Var:
    # Permanent tooltips at each wijk's centre carry the wijk names.
    return lf.js(
        "((feature, layer) => layer.bindTooltip(feature.properties.name, "
        "{permanent: true, direction: 'center', className: 'wijk-label'}))"
    )


def _marker(row: dict, colour: str) -> rx.Component:
    dash = "3 3" if row["approximate"] else None
    name = row["name"] + (" (locatie bij benadering)" if row["approximate"] else "")
    return lf.circle_marker(
        lf.tooltip(name),
        center=[row["lat"], row["lon"]],
        radius=7,
        # A click on a marker selects the buurt it stands in.
        event_handlers=lf.leaflet_events(args_spec=lf.layer_click_args, click=DashboardState.select_buurt(row["buurtcode"])),
        path_options={"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.9 if not row["approximate"] else 0.35, "dashArray": dash},
    )


def map_view(**props) -> rx.Component:
    picture = current_picture()
    markers = [_marker(row, ORGANISATION_COLOUR) for row in marker_rows(picture.organisations)]
    markers += [_marker(row, MEETING_PLACE_COLOUR) for row in marker_rows(picture.meeting_places)]
    return rx.fragment(
        pattern_definitions(),
        lf.map_container(
            lf.tile_layer(url=BRT_GREY_TILES, attribution=BRT_ATTRIBUTION, max_zoom=19, opacity=0.6),
            lf.pane(
                lf.geo_json(
                    data=picture.buurten_geojson,
                    attribution=picture.attribution,
                    path_style=buurt_style_function(),
                    event_handlers=lf.leaflet_events(click=DashboardState.select_buurt),
                ),
                name="buurten",
            ),
            lf.pane(
                lf.geo_json(
                    data=picture.wijken_geojson,
                    path_style={"color": WIJK_OUTLINE, "weight": 2.5, "fill": False},
                    interactive=False,
                    on_each_feature=_wijk_labels(),
                ),
                name="wijken",
                style={"zIndex": 420, "pointerEvents": "none"},
            ),
            lf.pane(*markers, name="markers", style={"zIndex": 450}),
            bounds=_bounds(),
            zoom_snap=0.25,
            scroll_wheel_zoom=True,
            **props,
        ),
    )
