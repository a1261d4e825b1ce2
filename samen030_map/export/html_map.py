"""A standalone HTML map (folium) with the app's layers, that opens offline from a file or a USB stick.

It shows one `MapView` (export/mapview.py) as the app does: buurten filled with the status patterns
(SVG patterns from palette.py, the same as on screen) and named in tooltips, a legend with the patterns,
counts, the filters in words and the source; markers round (organisations) and square (places), dashed
where the location is approximate, only for the entries the view marks; a click opens a card like the
app's panel (what, where, sources, provenance). Hidden statuses keep only a faint outline.

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

from samen030_map.core.config import PROJECT_ROOT
from samen030_map.core.geo import WGS84
from samen030_map.core.safety import json_for_script_element
from samen030_map.export.mapview import MapView
from samen030_map.i18n import format_number, translate
from samen030_map.labels import KIND_SYMBOLS, STATUS_LABELS, STATUS_ORDER
from samen030_map.palette import (
    BUURT_OUTLINE,
    MAP_BACKGROUND,
    MARKER_OUTLINE,
    MEETING_PLACE_COLOUR,
    ORGANISATION_COLOUR,
    PATTERN_IDS,
    SELECTED_OUTLINE,
    WIJK_OUTLINE,
    svg_pattern_element,
    svg_swatch,
)
from samen030_map.picture import Picture, marker_rows, plain
from samen030_map.view import entry_key, entry_row

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

# Reads the data element and draws the layers. Every text is set with textContent, every element made
# with createElement: names are shown as text, whatever characters they contain. Links are made only
# for http(s) addresses (checked again here). build_html_map fills in __DATA_ID__ and __MAP__
# (folium's name for the map variable).
_LAYERS_JS = """(() => {
    const data = JSON.parse(document.getElementById('__DATA_ID__').textContent);
    const map = __MAP__;
    const el = (tag, text, className) => {
        const element = document.createElement(tag);
        if (text !== undefined && text !== null) element.textContent = text;
        if (className) element.className = className;
        return element;
    };
    const isWebAddress = (url) => {
        try { return ['http:', 'https:'].includes(new URL(url).protocol); } catch (error) { return false; }
    };
    const tooltip = (feature, layer) => {
        const box = el('div');
        feature.properties.tooltip.forEach((line, i) => box.appendChild(el(i === 0 ? 'strong' : 'div', line)));
        layer.bindTooltip(box, {sticky: true});
    };
    // A card like the app's panel: title, facts, lists and links, all as text.
    const card = (content) => {
        const box = el('div', null, 'card');
        box.appendChild(el('strong', content.title, 'card-title'));
        content.rows.forEach(([label, value]) => {
            const row = el('div', null, 'card-row');
            if (label) row.appendChild(el('span', label + ': ', 'card-label'));
            row.appendChild(el('span', value));
            box.appendChild(row);
        });
        content.lists.forEach(([heading, items]) => {
            box.appendChild(el('div', heading, 'card-heading'));
            const list = el('ul');
            items.forEach((item) => list.appendChild(el('li', item)));
            box.appendChild(list);
        });
        content.links.forEach(([label, links]) => {
            const row = el('div', null, 'card-row');
            row.appendChild(el('span', label + ': ', 'card-label'));
            links.filter(([, url]) => isWebAddress(url)).forEach(([text, url], i) => {
                if (i) row.appendChild(document.createTextNode(', '));
                const link = el('a', text);
                link.href = url;
                link.target = '_blank';
                link.rel = 'noopener noreferrer';
                row.appendChild(link);
            });
            box.appendChild(row);
        });
        return box;
    };
    const withCard = (feature, layer) => {
        tooltip(feature, layer);
        layer.bindPopup(() => card(feature.properties.card), {maxWidth: 320});
    };
    const markerIcon = (p) => L.divIcon({
        html: el('span', p.symbol), className: 'kind-marker ' + p.shape + (p.approximate ? ' approx' : ''), iconSize: [26, 26],
    });
    const wijkLabel = (feature, layer) => {
        layer.bindTooltip(el('span', feature.properties.name), {permanent: true, direction: 'center', className: 'wijk-label'});
    };
    const layers = {
        buurten: L.geoJSON(data.buurten, {
            style: (feature) => feature.properties.style, onEachFeature: withCard,
            className: 'buurt', attribution: data.attribution_html,
        }),
        wijken: L.geoJSON(data.wijken, {style: data.wijk_style, onEachFeature: wijkLabel, interactive: false, className: 'wijk'}),
        markers: L.geoJSON(data.markers, {
            pointToLayer: (feature, latlng) => L.marker(latlng, {icon: markerIcon(feature.properties), keyboard: true}),
            onEachFeature: withCard,
        }),
    };
    layers.buurten.addTo(map);
    if (data.show_wijken) layers.wijken.addTo(map);
    layers.markers.addTo(map);
    window.samen030Layers = layers;  // for tests and for people who want to script the map
})();"""


def _card(title: str, rows=(), lists=(), links=()) -> dict[str, Any]:
    """What a popup shows: [label, value] rows, [heading, items] lists, [label, [[text, url], …]] links."""
    return {"title": title, "rows": [list(row) for row in rows if row[1]], "lists": [[h, items] for h, items in lists], "links": [[l, u] for l, u in links if u]}


def buurten_features(picture: Picture, mapview: MapView | None = None) -> dict[str, Any]:
    """The buurten as GeoJSON with their style (pattern of the status), tooltip and card."""
    mapview = mapview or MapView()
    lang = mapview.lang
    coverage = picture.coverage.buurten
    visible = set(mapview.visible_statuses()) if mapview.shows_layer("buurten") else set()
    selected = set(mapview.zoom_codes(picture))
    kept = {(e.entity, e.id): e for e in mapview.kept_entries(picture)}
    features = []
    for feature in picture.buurten_geojson["features"]:
        props = feature["properties"]
        code = props["code"]
        status = str(coverage.at[code, "status"]) if code in coverage.index else ""
        status_label = translate(STATUS_LABELS.get(status, "Geen gegevens"), lang)
        wijk = f"{translate('Wijk', lang)} {props['wijknaam']}"
        tooltip = [props["name"], wijk, status_label]
        lists, rows = [], [("", wijk), (translate("Situatie", lang), status_label)]
        if code in coverage.index:
            buurt = coverage.loc[code]
            rows.append((translate("Inwoners", lang), _figure(buurt["inwoners"], lang)))
            organisations = [kept[("organisation", i)].name for i in buurt["organisation_ids"] if ("organisation", i) in kept]
            places = [kept[("meeting_place", i)].name for i in buurt["meeting_place_ids"] if ("meeting_place", i) in kept]
            lists = [
                (translate("Organisaties die hier actief zijn", lang), organisations or [translate("Geen (die passen bij het filter)", lang)]),
                (translate("Ontmoetingsplekken", lang), places or [translate("Geen (die passen bij het filter)", lang)]),
            ]
        properties = {
            **props,
            "status": status,
            "tooltip": tooltip,
            "card": _card(props["name"], rows, lists),
            "style": _buurt_style(status, status in visible, code in selected),
        }
        features.append({**feature, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _figure(value, lang: str) -> str:
    value = plain(value)
    return translate("onbekend", lang) if value is None else format_number(value, lang)


def _buurt_style(status: str, shown: bool, selected: bool) -> dict[str, Any]:
    """As on the live map: the status's pattern; a hidden status keeps only a faint outline."""
    return {
        "color": SELECTED_OUTLINE if selected else BUURT_OUTLINE,
        "weight": 3 if selected else 0.8,
        "opacity": 1 if shown else 0.35,
        "fillColor": f"url(#{PATTERN_IDS[status]})" if status in PATTERN_IDS else "transparent",
        "fillOpacity": 0.8 if shown and status in PATTERN_IDS else 0.0,
    }


def marker_features(picture: Picture, mapview: MapView | None = None) -> dict[str, Any]:
    """One marker per entry the view marks (organisations first, then places, as in the registry)."""
    mapview = mapview or MapView()
    lang = mapview.lang
    entries = {(e.entity, e.id): e for e in [*picture.organisation_entries, *picture.meeting_place_entries]}
    features = []
    for row in marker_rows(picture.organisations) + marker_rows(picture.meeting_places):
        entry = entries.get((row["entity"], row["id"]))
        if entry is None or not mapview.marks(entry):
            continue
        card = entry_row(entry, picture, lang)
        tooltip = [entry.name, f"{card['entity_label']}: {card['kind_label']}"]
        if row["approximate"]:
            tooltip.append(f"({translate(APPROXIMATE_NOTE, lang)})")
        features.append(
            {
                "type": "Feature",
                "id": entry_key(row["entity"], row["id"]),
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {
                    "entity": row["entity"],
                    "approximate": row["approximate"],
                    "symbol": KIND_SYMBOLS.get(entry.kind, "?"),
                    "shape": "place" if row["entity"] == "meeting_place" else "org",
                    "tooltip": tooltip,
                    "card": _entry_card(entry, card, lang),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _entry_card(entry, card: dict[str, Any], lang: str) -> dict[str, Any]:
    """The entry's card as in the app's panel: what, where, and where its data comes from."""
    checked = (
        f"{translate('Gecontroleerd door een coördinator op', lang)} {card['checked']}"
        if card["checked"] else translate("Nog niet gecontroleerd door een coördinator.", lang)
    )
    rows = [
        ("", f"{card['entity_label']}: {card['kind_label']}"),
        (card["area_heading"], card["area"]),
        (translate("Adres", lang), card["address"]),
        (translate("Thema's", lang), ", ".join(card["themes"])),
        (translate("Begonnen", lang), card["founded"]),
        (translate("SAMEN030", lang), card["relation_label"]),
        (translate("Toelichting", lang), card["note"]),
        (translate("Plek op de kaart", lang), card["precision_label"]),
        ("", checked),
        (translate("Overgenomen uit de bron op", lang), card["source_read"]),
    ]
    sources = [[source["text"], source["url"]] for source in card["sources"]]
    links = [(translate("Website", lang), [[card["website_text"], card["website"]]] if card["website"] else []), (translate("Bronnen", lang), sources)]
    if not sources:
        rows.append(("", translate("Nog geen bron bekend.", lang)))
    return _card(card["name"], rows, (), links)


def map_data(picture: Picture, mapview: MapView | None = None) -> dict[str, Any]:
    """Everything the exported map shows that comes from data, as one JSON-able dict."""
    mapview = mapview or MapView()
    return {
        "buurten": buurten_features(picture, mapview),
        "wijken": picture.wijken_geojson,
        "wijk_style": {"color": WIJK_OUTLINE, "weight": 2.5, "fill": False},
        "show_wijken": mapview.shows_layer("wijken"),
        "markers": marker_features(picture, mapview),
        # Leaflet shows attributions as HTML: escaped, so it shows as the text it is.
        "attribution_html": html.escape(picture.attribution),
    }


def _legend_html(picture: Picture, mapview: MapView | None = None) -> str:
    """The legend: a pattern swatch, label and count per status, the markers, the filters, the source.
    Every text is escaped: a title with a name in it (a selected entry) stays text."""
    mapview = mapview or MapView()
    lang = mapview.lang
    esc = html.escape
    counts = picture.coverage.buurten["status"].value_counts()
    visible = set(mapview.visible_statuses()) if mapview.shows_layer("buurten") else set()
    rows = []
    for status in STATUS_ORDER:
        hidden = status not in visible
        note = f' <span class="legend-note">({esc(translate("niet getoond", lang))})</span>' if hidden else ""
        rows.append(
            f'<div class="legend-row{" is-hidden" if hidden else ""}" data-status="{esc(status)}">'
            f'<span class="swatch">{svg_swatch(status)}</span>'
            f"<span>{esc(translate(STATUS_LABELS[status], lang))}{note}</span>"
            f'<b class="legend-count">{int(counts.get(status, 0))}</b></div>'
        )
    markers = (
        f'<div class="legend-row"><span class="kind-marker org"><span></span></span><span>{esc(translate("Organisatie", lang))}</span></div>'
        f'<div class="legend-row"><span class="kind-marker place"><span></span></span><span>{esc(translate("Ontmoetingsplek", lang))}</span></div>'
        f'<div class="legend-row"><span class="kind-marker org approx"><span></span></span>'
        f'<span>{esc(translate("Stippelrand", lang))}: {esc(translate(APPROXIMATE_NOTE, lang))}</span></div>'
    )
    return f"""<div id="legend" role="group" aria-label="{esc(translate('Legenda', lang))}">
<div class="legend-title">{esc(mapview.title(picture, lang))}</div>
<div id="legend-filters"><b>{esc(translate('Filter', lang))}:</b> {esc(mapview.describe(lang))}</div>
<div class="legend-sub">{esc(translate('Buurten', lang))} ({len(picture.coverage.buurten)})</div>
{''.join(rows)}
<hr>{markers}
<div id="attribution">{esc(picture.attribution)}</div>
</div>"""


_PAGE_CSS = f"""<style>
#legend {{ position: fixed; right: 10px; top: 10px; z-index: 1000; background: #fff; padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.35); font: 13px/1.35 system-ui, sans-serif; max-width: 300px; }}
#legend .legend-title {{ font-weight: bold; font-size: 15px; }}
#legend #legend-filters {{ margin: 4px 0; font-size: 12px; }}
#legend .legend-sub {{ font-weight: bold; margin: 4px 0; }}
#legend .legend-row {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
#legend .legend-row > span:nth-child(2) {{ flex: 1; }}
#legend .legend-row.is-hidden {{ opacity: 0.5; }}
#legend .legend-note {{ font-size: 11px; }}
#legend .swatch {{ display: flex; }}
#legend .kind-marker span {{ width: 18px; height: 18px; }}
#legend hr {{ border: none; border-top: 1px solid #ddd; }}
#legend #attribution {{ margin-top: 6px; font-size: 11px; color: #555; }}
.kind-marker span {{ display: flex; align-items: center; justify-content: center; width: 26px; height: 26px;
  box-sizing: border-box; font: 700 11px/1 system-ui, sans-serif; color: #fff; border: 2px solid #fff; box-shadow: 0 0 0 1px #333; }}
.kind-marker.org span {{ background: {ORGANISATION_COLOUR}; border-radius: 50%; }}
.kind-marker.place span {{ background: {MEETING_PLACE_COLOUR}; border-radius: 4px; }}
.kind-marker.approx span {{ border-style: dashed; border-color: {MARKER_OUTLINE}; }}
.card {{ font: 13px/1.35 system-ui, sans-serif; }}
.card .card-title {{ display: block; font-size: 14px; margin-bottom: 4px; }}
.card .card-label {{ color: #555; }}
.card .card-heading {{ font-weight: bold; margin-top: 6px; }}
.card ul {{ margin: 2px 0 0 16px; padding: 0; }}
.leaflet-container {{ background: {MAP_BACKGROUND}; }}
.wijk-label {{ background: transparent; border: none; box-shadow: none; font-weight: bold; color: #222;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }}
</style>"""


# --- the map ---------------------------------------------------------------------------------


def build_html_map(picture: Picture, leaflet_dir: Path | None = None, mapview: MapView | None = None) -> folium.Map:
    """The folium map of the picture as `mapview` shows it, with Leaflet inlined and no CDN links."""
    mapview = mapview or MapView()
    buurten = picture.boundaries.buurten
    codes = mapview.zoom_codes(picture)
    west, south, east, north = (buurten.loc[codes] if codes else buurten).to_crs(WGS84).total_bounds
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
    root.html.add_child(RawElement(svg_pattern_element()), name="patterns")

    data = json_for_script_element(map_data(picture, mapview))
    root.html.add_child(RawElement(f'<script type="application/json" id="{DATA_ELEMENT_ID}">{data}</script>'), name="data")
    fmap.add_child(ScriptAfterMap(_LAYERS_JS.replace("__DATA_ID__", DATA_ELEMENT_ID).replace("__MAP__", fmap.get_name())))
    root.html.add_child(RawElement(_legend_html(picture, mapview)), name="legend")
    # Numbers only go through folium's template: the bounds of the selection (or the city).
    fmap.fit_bounds([[float(south), float(west)], [float(north), float(east)]])
    return fmap


def render_html_map(picture: Picture, mapview: MapView | None = None, leaflet_dir: Path | None = None) -> bytes:
    """The standalone HTML map of `mapview` as bytes (UTF-8), e.g. for a download button."""
    return build_html_map(picture, leaflet_dir, mapview).get_root().render().encode("utf-8")


def write_html_map(picture: Picture, path: Path, mapview: MapView | None = None, leaflet_dir: Path | None = None) -> Path:
    """Write the standalone HTML map of `mapview` (default: the whole city, nothing filtered) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_html_map(picture, leaflet_dir, mapview).save(str(path))
    return path
