"""A standalone HTML map (folium) with the app's layers, that opens offline from a file or a USB stick.

folium's default page loads Leaflet, jQuery, Bootstrap and awesome-markers from CDNs and stays blank
without internet. This export empties folium's CDN lists and inlines Leaflet's JS and CSS from a local
copy of the npm package instead. jQuery/Bootstrap are only needed for folium popups, awesome-markers
and `keep_in_front`, none of which are used here.

Names come from the registry (people can type anything) and from CBS. They never pass through a template
and never reach innerHTML:
- folium/branca render each element's script through Jinja a second time, so data inside a folium layer
  would be evaluated as a template ({{ 7*7 }} -> 49, or code run on the exporting machine). The data
  therefore lives in one <script type="application/json"> element written here, outside branca, and
  the layers are made by our own script (also written verbatim) that reads it with JSON.parse.
- Tooltips set names with `textContent`; the attribution (which Leaflet shows as HTML) is escaped.
Only numbers, constant code and folium's own identifiers go through Jinja.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement

from samen030_map.components.theme import (
    MEETING_PLACE_COLOUR,
    ORGANISATION_COLOUR,
    STATUS_COLOURS,
    STATUS_ORDER,
    WIJK_OUTLINE,
)
from samen030_map.core.config import PROJECT_ROOT
from samen030_map.core.geo import WGS84
from samen030_map.core.safety import json_for_script_element
from samen030_map.labels import ENTITY_LABELS, KIND_LABELS, STATUS_LABELS
from samen030_map.picture import Picture, marker_rows

LEAFLET_PACKAGE = "leaflet@1.9.4"
# Where the app's build installs Leaflet, and where this module installs it when there is no build.
WEB_LEAFLET_DIST = PROJECT_ROOT / ".web" / "node_modules" / "leaflet" / "dist"
CACHE_PREFIX = PROJECT_ROOT / ".cache" / "leaflet"
NPM_TIMEOUT_S = 300

APPROXIMATE_NOTE = "locatie bij benadering"


DATA_ELEMENT_ID = "samen030-kaartdata"


class RawElement(Element):
    """Page content inserted verbatim (branca's Element would run it through Jinja)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptAfterMap(MacroElement):
    """JavaScript that runs after the map is made, inserted verbatim (no Jinja pass).

    As a child of the map it renders after the map's own script, so the map variable exists.
    """

    def __init__(self, code: str):
        super().__init__()
        self._name = "Samen030Layers"
        self.code = code

    def render(self, **kwargs) -> None:
        self.get_root().script.add_child(RawElement(self.code), name=self.get_name())


# --- Leaflet from a local copy --------------------------------------------------------------


def _is_leaflet_dist(folder: Path) -> bool:
    return (folder / "leaflet.js").is_file() and (folder / "leaflet.css").is_file()


def leaflet_dist(leaflet_dir: Path | None = None) -> Path:
    """The folder with leaflet.js/leaflet.css: explicit, the app's build, the cache, or a fresh npm install."""
    if leaflet_dir is not None:
        if not _is_leaflet_dist(leaflet_dir):
            raise FileNotFoundError(f"no leaflet.js and leaflet.css in {leaflet_dir}")
        return leaflet_dir
    cached = CACHE_PREFIX / "node_modules" / "leaflet" / "dist"
    for candidate in (WEB_LEAFLET_DIST, cached):
        if _is_leaflet_dist(candidate):
            return candidate
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"Leaflet not found and npm is missing: install {LEAFLET_PACKAGE} or pass leaflet_dir")
    CACHE_PREFIX.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--prefix", str(CACHE_PREFIX), LEAFLET_PACKAGE, "--no-audit", "--no-fund"],
        capture_output=True, text=True, timeout=NPM_TIMEOUT_S, check=False,
    )
    if result.returncode != 0 or not _is_leaflet_dist(cached):
        raise RuntimeError(f"npm install {LEAFLET_PACKAGE} failed:\n{result.stderr[-2000:]}")
    return cached


def _inline_leaflet(dist: Path) -> tuple[str, str]:
    """(script, stylesheet) with Leaflet's CSS images turned into data URIs and no source-map reference."""
    script = (dist / "leaflet.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S+\s*$", "", script)
    if "</script" in script.lower():
        raise ValueError(f"{dist / 'leaflet.js'} cannot be inlined: it contains '</script'")

    def data_uri(match: re.Match) -> str:
        image = dist / match.group(1)
        if not image.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    css = (dist / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    return f"<script>{script}</script>", f"<style>{css}</style>"


# --- layers ----------------------------------------------------------------------------------

# Reads the data element and draws the layers. Tooltips are built with textContent: names are shown as
# text, whatever characters they contain. build_html_map fills in __DATA_ID__ and __MAP__ (folium's name
# for the map variable).
_LAYERS_JS = """(() => {
    const data = JSON.parse(document.getElementById('__DATA_ID__').textContent);
    const map = __MAP__;
    const tooltip = (feature, layer) => {
        const box = document.createElement('div');
        feature.properties.tooltip.forEach((line, i) => {
            const el = document.createElement(i === 0 ? 'strong' : 'div');
            el.textContent = line;
            box.appendChild(el);
        });
        layer.bindTooltip(box, {sticky: true});
    };
    const wijkLabel = (feature, layer) => {
        const label = document.createElement('span');
        label.textContent = feature.properties.name;
        layer.bindTooltip(label, {permanent: true, direction: 'center', className: 'wijk-label'});
    };
    const layers = {
        buurten: L.geoJSON(data.buurten, {
            style: (feature) => feature.properties.style, onEachFeature: tooltip,
            className: 'buurt', attribution: data.attribution_html,
        }),
        wijken: L.geoJSON(data.wijken, {style: data.wijk_style, onEachFeature: wijkLabel, interactive: false, className: 'wijk'}),
        markers: L.geoJSON(data.markers, {
            pointToLayer: (feature, latlng) => L.circleMarker(latlng, {radius: 7, ...feature.properties.style}),
            onEachFeature: tooltip,
        }),
    };
    Object.values(layers).forEach((layer) => layer.addTo(map));
    window.samen030Layers = layers;  // for tests and for people who want to script the map
})();"""


def buurten_features(picture: Picture) -> dict[str, Any]:
    statuses = picture.coverage.buurten["status"].astype(str).to_dict()
    features = []
    for feature in picture.buurten_geojson["features"]:
        props = feature["properties"]
        status = statuses.get(props["code"], "")
        tooltip = [props["name"], f"Wijk {props['wijknaam']}", STATUS_LABELS.get(status, "Geen gegevens")]
        properties = {**props, "status": status, "tooltip": tooltip, "style": _buurt_style(status)}
        features.append({**feature, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _buurt_style(status: str) -> dict[str, Any]:
    return {
        "color": "#4d4d4d",
        "weight": 0.8,
        "fillColor": STATUS_COLOURS.get(status, "#ffffff"),
        "fillOpacity": 0.75 if status in STATUS_COLOURS else 0.0,
    }


def marker_features(picture: Picture) -> dict[str, Any]:
    rows = marker_rows(picture.organisations) + marker_rows(picture.meeting_places)
    features = []
    for row in rows:
        kind = KIND_LABELS.get(row["kind"], row["kind"])
        tooltip = [row["name"], f"{ENTITY_LABELS.get(row['entity'], '')}: {kind}"]
        if row["approximate"]:
            tooltip.append(f"({APPROXIMATE_NOTE})")
        features.append(
            {
                "type": "Feature",
                "id": f"{row['entity']}:{row['id']}",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {
                    "entity": row["entity"],
                    "approximate": row["approximate"],
                    "tooltip": tooltip,
                    "style": _marker_style(row["entity"], row["approximate"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _marker_style(entity: str, approximate: bool) -> dict[str, Any]:
    colour = ORGANISATION_COLOUR if entity == "organisation" else MEETING_PLACE_COLOUR
    # Approximate points: dashed outline and a pale fill, as in the app.
    return {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.35 if approximate else 0.9,
        "dashArray": "3 3" if approximate else None,
    }


def map_data(picture: Picture) -> dict[str, Any]:
    """Everything the exported map shows that comes from data, as one JSON-able dict."""
    return {
        "buurten": buurten_features(picture),
        "wijken": picture.wijken_geojson,
        "wijk_style": {"color": WIJK_OUTLINE, "weight": 2.5, "fill": False},
        "markers": marker_features(picture),
        # Leaflet shows attributions as HTML: escaped, so it shows as the text it is.
        "attribution_html": html.escape(picture.attribution),
    }


def _legend_html(picture: Picture) -> str:
    counts = picture.coverage.buurten["status"].value_counts()
    rows = []
    for status in STATUS_ORDER:
        rows.append(
            f'<div class="legend-row" data-status="{html.escape(status)}">'
            f'<span class="swatch" style="background:{STATUS_COLOURS[status]}"></span>'
            f"<span>{html.escape(STATUS_LABELS[status])}</span>"
            f'<b class="legend-count">{int(counts.get(status, 0))}</b></div>'
        )
    markers = (
        f'<div class="legend-row"><span class="dot" style="background:{ORGANISATION_COLOUR}"></span>'
        "<span>Organisatie</span></div>"
        f'<div class="legend-row"><span class="dot" style="background:{MEETING_PLACE_COLOUR}"></span>'
        "<span>Ontmoetingsplek</span></div>"
        f'<div class="legend-row"><span class="dot approx"></span><span>Gestippeld: {APPROXIMATE_NOTE}</span></div>'
    )
    return f"""<div id="legend" role="group" aria-label="Legenda">
<div class="legend-title">SAMEN030 Buurtkaart</div>
<div class="legend-sub">Buurten ({len(picture.coverage.buurten)})</div>
{''.join(rows)}
<hr>{markers}
<div id="attribution">{html.escape(picture.attribution)}</div>
</div>"""


_PAGE_CSS = """<style>
#legend { position: fixed; right: 10px; top: 10px; z-index: 1000; background: #fff; padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.35); font: 13px/1.35 system-ui, sans-serif; max-width: 280px; }
#legend .legend-title { font-weight: bold; font-size: 15px; }
#legend .legend-sub { font-weight: bold; margin: 4px 0; }
#legend .legend-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
#legend .legend-row span:nth-child(2) { flex: 1; }
#legend .swatch { width: 20px; height: 14px; border: 1px solid #4d4d4d; border-radius: 2px; }
#legend .dot { width: 12px; height: 12px; border-radius: 50%; margin: 0 4px; }
#legend .dot.approx { border: 2px dashed #555; background: #fff; width: 9px; height: 9px; }
#legend hr { border: none; border-top: 1px solid #ddd; }
#legend #attribution { margin-top: 6px; font-size: 11px; color: #555; }
.wijk-label { background: transparent; border: none; box-shadow: none; font-weight: bold; color: #222;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
</style>"""


# --- the map ---------------------------------------------------------------------------------


def build_html_map(picture: Picture, leaflet_dir: Path | None = None) -> folium.Map:
    """The folium map of the picture, with Leaflet inlined and no CDN links."""
    west, south, east, north = picture.boundaries.buurten.to_crs(WGS84).total_bounds
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=12, tiles=None,
                      zoom_snap=0.25, control_scale=True)
    # Instance attributes shadow folium's class-level CDN lists (which other maps keep using).
    fmap.default_js = []
    fmap.default_css = []
    script, stylesheet = _inline_leaflet(leaflet_dist(leaflet_dir))
    root = fmap.get_root()
    root.title = "SAMEN030 Buurtkaart"
    root.header.add_child(RawElement(stylesheet), name="leaflet_css")
    root.header.add_child(RawElement(script), name="leaflet")
    root.header.add_child(RawElement(_PAGE_CSS), name="samen030_css")

    data = json_for_script_element(map_data(picture))
    root.html.add_child(RawElement(f'<script type="application/json" id="{DATA_ELEMENT_ID}">{data}</script>'), name="data")
    fmap.add_child(ScriptAfterMap(_LAYERS_JS.replace("__DATA_ID__", DATA_ELEMENT_ID).replace("__MAP__", fmap.get_name())))
    root.html.add_child(RawElement(_legend_html(picture)), name="legend")
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def write_html_map(picture: Picture, path: Path, leaflet_dir: Path | None = None) -> Path:
    """Write the standalone HTML map to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_html_map(picture, leaflet_dir).save(str(path))
    return path
