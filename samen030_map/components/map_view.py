"""The live map: buurten coloured by coverage status, wijk outlines with names, registry markers.

The geometry is a constant in the compiled page (sent once, cached by the browser). Filters, legend
toggles and the selection only change small state vars that the style functions read, so Leaflet
restyles the existing shapes; nothing is resent or remounted.
"""

from __future__ import annotations

import json

import reflex as rx

from samen030_map.components import leaflet as lf
from samen030_map.components.theme import PATTERN_IDS, STATUS_COLOURS, WIJK_OUTLINE
from samen030_map.labels import KIND_SYMBOLS
from samen030_map.picture import city_bounds, current_picture
from samen030_map.state.dashboard import DashboardState
from samen030_map.view import marker_groups

# PDOK's BRT-Achtergrondkaart (grey). Optional: offline the tiles fail and the map stays neutral.
BRT_GREY_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
BRT_ATTRIBUTION = "Achtergrond: BRT-Achtergrondkaart (PDOK, Kadaster, CC BY 4.0)"


def buurt_style_function() -> rx.Var:
    """Per-feature style from small state vars; react-leaflet re-applies it with setStyle, no remount."""
    s = DashboardState
    return lf.js(
        f"""((feature) => {{
  const code = feature.properties.code;
  const status = ({s.status_by_code})[code];
  const shown = !({s.hidden_layers}).includes('buurten') && ({s.visible_statuses}).includes(status);
  const selected = code === {s.selected_buurt};
  const inWijk = {s.selected_wijk} !== '' && feature.properties.wijkcode === {s.selected_wijk};
  return {{
    color: selected ? '#000000' : '#4d4d4d',
    weight: selected ? 4 : (inWijk ? 1.6 : 0.8),
    opacity: shown ? 1 : 0.35,
    fillColor: status === undefined ? 'transparent' : `url(#${{({json.dumps(PATTERN_IDS)})[status]}})`,
    fillOpacity: shown ? 0.8 : 0,
  }};
}})""",
        s.status_by_code,
        s.hidden_layers,
        s.visible_statuses,
        s.selected_buurt,
        s.selected_wijk,
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


def _text_tooltip(text_js: str, options: str = "{}") -> rx.Var:
    """onEachFeature that binds a tooltip holding `text_js` as text: names never become markup."""
    return lf.js(
        "((feature, layer) => layer.bindTooltip(() => { const div = document.createElement('div'); "
        f"div.textContent = {text_js}; return div; }}, {options}))"
    )


def markers_geojson() -> dict:
    """Registry marker groups as GeoJSON points (EPSG:4326); compiled into the page once."""
    features = []
    for group in marker_groups():
        approximate = " (locatie bij benadering)" if group["approximate"] else ""
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [group["lon"], group["lat"]]},
                "properties": {
                    # What a click selects: the wijk for wijk-level entries, else the buurt.
                    "code": group["wijkcode"] or group["buurtcode"],
                    "keys": group["keys"],
                    "symbol": KIND_SYMBOLS.get(group["kinds"][0], "?"),
                    "shape": "place" if all(e == "meeting_place" for e in group["entities"]) else "org",
                    "approximate": group["approximate"],
                    "title": "\n".join(name + approximate for name in group["names"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _marker_layer() -> rx.Component:
    """Markers with a symbol per kind (or the number of entries at one point), never only a colour.

    Leaflet creates them itself (pointToLayer), so they exist only once Leaflet has loaded. The small
    marker layer is remounted (via `key`) when the visible entries change; the buurt geometry is not.
    """
    visible = DashboardState.visible_entry_keys
    point_to_layer = lf.js(
        f"""((feature, latlng) => {{
  const p = feature.properties;
  const shown = p.keys.filter((k) => ({visible}).includes(k));
  const text = p.keys.length === 1 ? p.symbol : String(shown.length);
  return window.L.marker(latlng, {{
    icon: window.L.divIcon({{html: `<span>${{text}}</span>`, className: `kind-marker ${{p.shape}}${{p.approximate ? ' approx' : ''}}`, iconSize: [26, 26]}}),
    keyboard: true,
    title: p.title,
  }});
}})""",
        visible,
    )
    return lf.geo_json(
        data=markers_geojson(),
        point_to_layer=point_to_layer,
        filter=lf.js(f"((feature) => feature.properties.keys.some((k) => ({visible}).includes(k)))", visible),
        on_each_feature=_text_tooltip("feature.properties.title", "{className: 'marker-tooltip'}"),
        event_handlers=lf.leaflet_events(click=DashboardState.select_area),
        key=visible.join(","),
    )


def map_view(**props) -> rx.Component:
    picture = current_picture()
    hidden = DashboardState.hidden_layers
    return rx.fragment(
        pattern_definitions(),
        lf.map_container(
            rx.cond(
                ~hidden.contains("achtergrond"),
                lf.tile_layer(url=BRT_GREY_TILES, attribution=BRT_ATTRIBUTION, max_zoom=19, opacity=0.7),
            ),
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
                rx.cond(
                    ~hidden.contains("wijken"),
                    lf.geo_json(
                        data=picture.wijken_geojson,
                        path_style={"color": WIJK_OUTLINE, "weight": 2.5, "fill": False},
                        interactive=False,
                        # Permanent tooltips at each wijk's centre carry the wijk names.
                        on_each_feature=_text_tooltip("feature.properties.name", "{permanent: true, direction: 'center', className: 'wijk-label'}"),
                    ),
                ),
                name="wijken",
                style={"zIndex": 420, "pointerEvents": "none"},
            ),
            lf.pane(_marker_layer(), name="markers", style={"zIndex": 610}),
            bounds=city_bounds(picture),
            zoom_snap=0.25,
            scroll_wheel_zoom=True,
            # Expose the map for zooming to a selection; apply a selection that arrived before the map existed.
            # The layout may still be settling when the map is ready: measure again before zooming.
            when_ready=lf.js(
                "((event) => { const map = event.target; window.buurtkaartMap = map; "
                "requestAnimationFrame(() => { map.invalidateSize(); "
                "if (window.buurtkaartTarget) map.fitBounds(window.buurtkaartTarget, {maxZoom: 14.5, padding: [24, 24]}); }); })"
            ),
            **props,
        ),
    )

