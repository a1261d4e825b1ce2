"""react-leaflet wrapped as Reflex components.

Leaflet touches `window` when it is imported, so every wrapper is a NoSSRComponent (the production build
pre-renders pages on the server). react-leaflet ignores React-style `onClick` props: it listens to an
`eventHandlers` object instead; `event_chain` turns a Reflex event handler into one of its functions.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventChain
from reflex.vars.base import Var, VarData

REACT_LEAFLET = "react-leaflet@5.0.0"
LEAFLET = "leaflet@1.9.4"


class _ReactLeaflet(rx.NoSSRComponent):
    library = REACT_LEAFLET
    lib_dependencies: list[str] = [LEAFLET]

    # Leaflet pane of the layer; lets labels sit above polygons.
    pane: rx.Var[str]

    # Credit shown in the map's attribution control while the layer is on the map.
    attribution: rx.Var[str]

    # {leaflet event name: js function}; see `event_chain` for Reflex handlers.
    event_handlers: rx.Var[dict[str, Any]]


class MapContainer(_ReactLeaflet):
    """The map itself. Its size comes from `style`/`class_name` (Leaflet needs an explicit height)."""

    tag = "MapContainer"

    center: rx.Var[list[float]]
    zoom: rx.Var[float]
    min_zoom: rx.Var[float]
    max_zoom: rx.Var[float]
    bounds: rx.Var[list[list[float]]]
    max_bounds: rx.Var[list[list[float]]]
    zoom_snap: rx.Var[float]
    scroll_wheel_zoom: rx.Var[bool]
    zoom_control: rx.Var[bool]
    attribution_control: rx.Var[bool]
    prefer_canvas: rx.Var[bool]
    # Called with {target: map} once the map exists.
    when_ready: rx.Var[Any]

    def add_imports(self) -> dict[str, Any]:
        # Leaflet's own stylesheet, bundled from the npm package (no CDN).
        return {"": ["leaflet/dist/leaflet.css"]}

    def add_custom_code(self) -> list[str]:
        # Start loading react-leaflet as soon as the page module runs in the browser, instead of after
        # the first render (NoSSRComponent's lazy import); the later import then resolves from cache.
        return [f"if (typeof window !== 'undefined') {{ import('{REACT_LEAFLET.rsplit('@', 1)[0]}'); }}"]


class TileLayer(_ReactLeaflet):
    """A background tile layer. Optional: offline, tiles simply do not load."""

    tag = "TileLayer"

    url: rx.Var[str]
    max_zoom: rx.Var[float]
    opacity: rx.Var[float]


class GeoJson(_ReactLeaflet):
    """A GeoJSON layer.

    react-leaflet treats `data` as immutable; `style` may change and is then applied with setStyle, so
    selection and filters restyle the features without sending or remounting the geometry.
    """

    tag = "GeoJSON"

    data: rx.Var[dict[str, Any]]
    # A JS function (feature) => path options, or a fixed path-options object.
    path_style: rx.Var[Any]
    # A JS function (feature, layer) => void, run once per feature when the layer is created.
    on_each_feature: rx.Var[Any]
    # A JS function (feature, latlng) => Leaflet layer, for point features.
    point_to_layer: rx.Var[Any]
    # A JS function (feature) => bool, applied when the layer is created.
    filter: rx.Var[Any]
    interactive: rx.Var[bool]

    # `style` is reserved by Reflex for CSS; react-leaflet's GeoJSON takes its path options as `style`.
    _rename_props = {"pathStyle": "style"}


class CircleMarker(_ReactLeaflet):
    """A round marker of a fixed size in pixels (the workspace's chosen point)."""

    tag = "CircleMarker"

    center: rx.Var[list[float]]
    radius: rx.Var[float]
    path_options: rx.Var[dict[str, Any]]


class Pane(_ReactLeaflet):
    """A named map pane: fixes the drawing order (buurten, wijk outlines, markers) and gives tests a handle."""

    tag = "Pane"

    name: rx.Var[str]


def js(expression: str, *depends_on: Var) -> Var:
    """A raw JavaScript expression; pass the state vars it mentions so their React hooks come along."""
    var_data = [var._get_all_var_data() for var in depends_on]
    return Var(_js_expr=expression)._replace(merge_var_data=VarData.merge(*var_data))


def feature_click_args(event: Var) -> list[Var]:
    """Leaflet's click event is circular; pass only the clicked feature's code to Python."""
    return [Var(_js_expr=f"({event}.propagatedFrom ?? {event}.layer ?? {event}.target)?.feature?.properties?.code ?? ''", _var_type=str)]


def feature_click_with_point_args(event: Var) -> list[Var]:
    """The clicked feature's code and where the click was (WGS84 lat, lon)."""
    return [
        *feature_click_args(event),
        Var(_js_expr=f"{event}.latlng.lat", _var_type=float),
        Var(_js_expr=f"{event}.latlng.lng", _var_type=float),
    ]


def marker_click_args(event: Var) -> list[Var]:
    """The entry keys a clicked marker shows (set by buurtkaart.marker), as a list of strings."""
    return [Var(_js_expr=f"({event}.propagatedFrom ?? {event}.layer)?.shownKeys ?? []", _var_type=list[str])]


def event_chain(handler, args_spec) -> Var:
    """A Reflex event handler as a JS function of a Leaflet event, for react-leaflet's `eventHandlers`."""
    return Var.create(EventChain.create(value=handler, args_spec=args_spec, key="leaflet"))


map_container = MapContainer.create
tile_layer = TileLayer.create
geo_json = GeoJson.create
pane = Pane.create
circle_marker = CircleMarker.create
