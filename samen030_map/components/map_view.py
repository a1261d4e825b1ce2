"""The live map: buurten coloured and patterned by coverage status, wijk outlines with names, buurt
name labels, registry markers.

The geometry is a constant in the compiled page (sent once, cached by the browser). Filters, legend
toggles and the selection only change small state vars that the style functions read, so Leaflet
restyles the existing shapes; nothing is resent or remounted. The browser-side behaviour (tooltips,
labels, spreading stacked markers, the background credit) lives in buurtkaart.js.
"""

from __future__ import annotations

import json
from pathlib import Path

import reflex as rx

from samen030_map.components import leaflet as lf
from samen030_map.components.theme import PATTERN_IDS, WIJK_OUTLINE
from samen030_map.palette import BUURT_OUTLINE, SELECTED_OUTLINE, svg_pattern_element
from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.picture import geography, label_points
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t

# PDOK's BRT-Achtergrondkaart (grey). Optional: offline the tiles fail and the map stays neutral.
BRT_GREY_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
BRT_ATTRIBUTION = "Achtergrond: BRT-Achtergrondkaart (PDOK, Kadaster, CC BY 4.0)"
MAP_SCRIPT = Path(__file__).with_name("buurtkaart.js")


class MapScript(rx.Fragment):
    """Puts buurtkaart.js into the page module, so window.buurtkaart exists before anything renders."""

    def add_custom_code(self) -> list[str]:
        return [MAP_SCRIPT.read_text(encoding="utf-8")]


def buurt_style_function() -> rx.Var:
    """Per-feature style from small state vars; react-leaflet re-applies it with setStyle, no remount."""
    s = DashboardState
    return lf.js(
        f"""((feature) => {{
  const code = feature.properties.code;
  const status = ({s.status_by_code})[code];
  const shown = !({s.hidden_layers}).includes('buurten') && ({s.visible_statuses}).includes(status);
  const selected = code === {s.selected_buurt};
  const highlighted = ({s.highlight_codes}).includes(code);
  const inWijk = {s.selected_wijk} !== '' && feature.properties.wijkcode === {s.selected_wijk};
  return {{
    color: selected || highlighted ? '{SELECTED_OUTLINE}' : '{BUURT_OUTLINE}',
    weight: selected ? 4 : (highlighted ? 3 : (inWijk ? 1.6 : 0.8)),
    dashArray: highlighted && !selected ? '6 3' : null,
    opacity: shown ? 1 : 0.35,
    fillColor: status === undefined ? 'transparent' : `url(#${{({json.dumps(PATTERN_IDS)})[status]}})`,
    fillOpacity: shown ? 0.8 : 0,
  }};
}})""",
        s.status_by_code,
        s.hidden_layers,
        s.visible_statuses,
        s.selected_buurt,
        s.highlight_codes,
        s.selected_wijk,
    )


def pattern_definitions() -> rx.Component:
    """SVG fill patterns, one per status, used by the map and the legend swatches (palette.py)."""
    return rx.html(svg_pattern_element())


def _marker_layer() -> rx.Component:
    """Markers with a symbol per kind (or how many entries share the point), never only a colour.

    Leaflet creates them itself (pointToLayer). The points come from state (they change when anyone
    saves); the small marker layer is remounted (via `key`) when they or the visible entries change,
    the buurt geometry never. A click on one entry opens its card; a click on a
    stack spreads it out first (buurtkaart.spiderfy) and the spread markers open their entry.
    """
    visible = DashboardState.visible_entry_keys
    opens_entry = lf.event_chain(DashboardState.marker_click, lf.marker_click_args)
    return lf.geo_json(
        data=DashboardState.markers_geojson,
        point_to_layer=lf.js(f"((feature, latlng) => window.buurtkaart.marker(feature, latlng, {visible}))", visible),
        filter=lf.js(f"((feature) => feature.properties.keys.some((k) => ({visible}).includes(k)))", visible),
        event_handlers=lf.js(
            f"({{click: (e) => {{ window.buurtkaart.spiderfy(e); ({opens_entry})(e); }}, remove: () => window.buurtkaart.closeSpider()}})",
            opens_entry,
        ),
        key=DashboardState.revision.to_string() + ":" + visible.join(","),
    )


def _pane(name: str, z_index: int, *children, clickable: bool = True) -> rx.Component:
    style = {"zIndex": z_index} | ({} if clickable else {"pointerEvents": "none"})
    return lf.pane(*children, name=name, style=style)


def map_view(**props) -> rx.Component:
    picture = geography()
    hidden = DashboardState.hidden_layers
    home = picture.city_bounds
    return rx.fragment(
        MapScript.create(),
        pattern_definitions(),
        lf.map_container(
            rx.cond(
                ~hidden.contains("achtergrond"),
                lf.tile_layer(
                    url=BRT_GREY_TILES,
                    max_zoom=19,
                    opacity=0.7,
                    event_handlers=lf.js(f"(typeof window === 'undefined' ? {{}} : window.buurtkaart.backgroundEvents({json.dumps(BRT_ATTRIBUTION)}))"),
                ),
            ),
            _pane(
                "buurten",
                400,
                lf.geo_json(
                    data=picture.buurten_geojson,
                    attribution=CBS_ATTRIBUTION,
                    path_style=buurt_style_function(),
                    on_each_feature=lf.js("((feature, layer) => window.buurtkaart.buurtFeature(feature, layer))"),
                    event_handlers=lf.js(
                        f"({{click: {lf.event_chain(DashboardState.select_buurt, lf.feature_click_args)}, add: () => window.buurtkaart.drawn()}})",
                        lf.event_chain(DashboardState.select_buurt, lf.feature_click_args),
                    ),
                ),
            ),
            _pane(
                "wijken",
                420,
                rx.cond(
                    ~hidden.contains("wijken"),
                    lf.geo_json(
                        data=picture.wijken_geojson,
                        path_style={"color": WIJK_OUTLINE, "weight": 2.5, "fill": False},
                        interactive=False,
                        on_each_feature=lf.js("((feature, layer) => window.buurtkaart.wijkLabel(feature, layer))"),
                    ),
                ),
                clickable=False,
            ),
            # Buurt names (their own pane, made in buurtkaart.mapReady, shown from a zoom level where they fit).
            lf.geo_json(
                data=label_points(picture.boundaries.buurten, "buurtnaam"),
                point_to_layer=lf.js("((feature, latlng) => window.buurtkaart.buurtLabel(feature, latlng))"),
                interactive=False,
            ),
            _pane("markers", 610, _marker_layer()),
            bounds=home,
            # Fitted at a fractional zoom, exactly as the static first paint (static_map.py) shows the
            # city; buurtkaart.mapReady sets quarter steps for the user's own zooming afterwards.
            zoom_snap=0,
            scroll_wheel_zoom=True,
            when_ready=lf.js(f"((event) => window.buurtkaart.mapReady(event, {json.dumps(home)}))"),
            **props,
        ),
    )


def loading_sign() -> rx.Component:
    """Shown over the map area until the buurten are drawn (buurtkaart.drawn adds .map-drawn)."""
    return rx.box(
        rx.spinner(size="3"),
        rx.text(t("De kaart wordt geladen…"), size="2"),
        class_name="map-loading",
        role="status",
    )


def filter_banner() -> rx.Component:
    """Names the filters in force on the map itself, and says they do not change the colours."""
    return rx.cond(
        DashboardState.filter_summary != "",
        rx.box(
            rx.text(t("Filter"), ": ", DashboardState.filter_summary, size="1", weight="bold", id="filter-banner-text"),
            rx.text(t("De kleuren van de buurten blijven de echte situatie; het filter kiest alleen wat u ziet."), size="1"),
            rx.cond(
                DashboardState.nothing_passes_filters,
                rx.text(t("Geen organisaties of plekken passen bij dit filter."), size="1", weight="bold", id="filter-empty"),
            ),
            class_name="map-banner",
            id="filter-banner",
        ),
    )
