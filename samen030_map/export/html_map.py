"""A standalone HTML map (folium) with the app's layers, that opens offline from a file or a USB stick.

folium's default page loads Leaflet, jQuery, Bootstrap and awesome-markers from CDNs and stays blank
without internet. This export empties folium's CDN lists and inlines Leaflet's JS and CSS from a local
copy of the npm package instead. jQuery/Bootstrap are only needed for folium popups, awesome-markers
and `keep_in_front`, none of which are used here.

Names come from the registry (people can type anything), so they never reach innerHTML: they travel as
JSON data and tooltips set them with `textContent`.
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
from branca.element import Element
from folium.utilities import JsCode

from samen030_map.components.theme import (
    MEETING_PLACE_COLOUR,
    ORGANISATION_COLOUR,
    STATUS_COLOURS,
    STATUS_ORDER,
    WIJK_OUTLINE,
)
from samen030_map.core.config import PROJECT_ROOT
from samen030_map.core.geo import WGS84
from samen030_map.labels import ENTITY_LABELS, KIND_LABELS, STATUS_LABELS
from samen030_map.picture import Picture, marker_rows

LEAFLET_PACKAGE = "leaflet@1.9.4"
# Where the app's build installs Leaflet, and where this module installs it when there is no build.
WEB_LEAFLET_DIST = PROJECT_ROOT / ".web" / "node_modules" / "leaflet" / "dist"
CACHE_PREFIX = PROJECT_ROOT / ".cache" / "leaflet"
NPM_TIMEOUT_S = 300

APPROXIMATE_NOTE = "locatie bij benadering"


class RawElement(Element):
    """Header content inserted verbatim (branca's Element would run it through Jinja)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


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

# Tooltips built with textContent: names are shown as text, whatever characters they contain.
_TOOLTIP_JS = """(feature, layer) => {
    const lines = feature.properties.tooltip;
    const box = document.createElement('div');
    lines.forEach((line, i) => {
        const el = document.createElement(i === 0 ? 'strong' : 'div');
        el.textContent = line;
        box.appendChild(el);
    });
    layer.bindTooltip(box, {sticky: true});
}"""

_WIJK_LABEL_JS = """(feature, layer) => {
    const label = document.createElement('span');
    label.textContent = feature.properties.name;
    layer.bindTooltip(label, {permanent: true, direction: 'center', className: 'wijk-label'});
}"""


def buurten_features(picture: Picture) -> dict[str, Any]:
    statuses = picture.coverage.buurten["status"].astype(str).to_dict()
    features = []
    for feature in picture.buurten_geojson["features"]:
        props = feature["properties"]
        status = statuses.get(props["code"], "")
        tooltip = [props["name"], f"Wijk {props['wijknaam']}", STATUS_LABELS.get(status, "Geen gegevens")]
        features.append({**feature, "properties": {**props, "status": status, "tooltip": tooltip}})
    return {"type": "FeatureCollection", "features": features}


def _buurt_style(feature: dict) -> dict[str, Any]:
    status = feature["properties"]["status"]
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
                "properties": {"entity": row["entity"], "approximate": row["approximate"], "tooltip": tooltip},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _marker_style(feature: dict) -> dict[str, Any]:
    props = feature["properties"]
    colour = ORGANISATION_COLOUR if props["entity"] == "organisation" else MEETING_PLACE_COLOUR
    # Approximate points: dashed outline and a pale fill, as in the app.
    return {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.35 if props["approximate"] else 0.9,
        "dashArray": "3 3" if props["approximate"] else None,
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

    folium.GeoJson(
        buurten_features(picture),
        name="Buurten",
        style_function=_buurt_style,
        on_each_feature=JsCode(_TOOLTIP_JS),
        class_name="buurt",
        attribution=picture.attribution,
    ).add_to(fmap)
    folium.GeoJson(
        picture.wijken_geojson,
        name="Wijken",
        style_function=lambda _feature: {"color": WIJK_OUTLINE, "weight": 2.5, "fill": False},
        on_each_feature=JsCode(_WIJK_LABEL_JS),
        interactive=False,
        class_name="wijk",
    ).add_to(fmap)
    markers = marker_features(picture)
    if markers["features"]:
        folium.GeoJson(
            markers,
            name="Organisaties en ontmoetingsplekken",
            marker=folium.CircleMarker(radius=7),
            style_function=_marker_style,
            on_each_feature=JsCode(_TOOLTIP_JS),
        ).add_to(fmap)
    root.html.add_child(RawElement(_legend_html(picture)), name="legend")
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def write_html_map(picture: Picture, path: Path, leaflet_dir: Path | None = None) -> Path:
    """Write the standalone HTML map to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_html_map(picture, leaflet_dir).save(str(path))
    return path
