"""Baseline for bench/page.py: the Buurtkaart's map layers as a minimal Streamlit + streamlit-folium page.

Runs in bench/.venv-baselines (Streamlit is a bench-only dependency) and is started by bench/page.py:

    SAMEN030_BENCH_DATA=<dir> SAMEN030_LEAFLET_URL=http://127.0.0.1:<port>/leaflet \\
        bench/.venv-baselines/bin/streamlit run bench/baselines/streamlit_app.py --server.headless true

<dir> holds buurten.geojson, wijken.geojson, markers.geojson and legend.json, written by bench/page.py from the
same picture the app shows. streamlit-folium would load Leaflet (and jQuery, Bootstrap) from CDNs; this
machine reaches none, so the page loads Leaflet from a local URL and, like the HTML export, drops the rest.
Written the way a small Streamlit app usually is: geopandas reads the files (cached), folium draws the map.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
from folium.utilities import JsCode
from streamlit_folium import st_folium

DATA = Path(os.environ["SAMEN030_BENCH_DATA"])
LEAFLET_URL = os.environ["SAMEN030_LEAFLET_URL"].rstrip("/")

WIJK_LABELS = JsCode(
    """(feature, layer) => layer.bindTooltip(feature.properties.name,
        {permanent: true, direction: 'center', className: 'wijk-label'})"""
)


@st.cache_resource
def load_layers():
    buurten = gpd.read_file(DATA / "buurten.geojson")
    wijken = gpd.read_file(DATA / "wijken.geojson")
    markers = gpd.read_file(DATA / "markers.geojson")
    legend = json.loads((DATA / "legend.json").read_text(encoding="utf-8"))
    return buurten, wijken, markers, legend


def build_map(buurten, wijken, markers, legend) -> folium.Map:
    west, south, east, north = buurten.total_bounds
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=12, tiles=None, zoom_snap=0.25)
    fmap.default_js = [("leaflet", f"{LEAFLET_URL}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{LEAFLET_URL}/leaflet.css")]
    folium.GeoJson(
        buurten,
        style_function=lambda f: {"color": "#4d4d4d", "weight": 0.8, "fillColor": f["properties"]["fill_colour"], "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(fields=["name", "wijknaam", "status_label"], labels=False),
        class_name="buurt",
        attribution=legend["attribution"],
    ).add_to(fmap)
    folium.GeoJson(
        wijken,
        style_function=lambda f: {"color": "#333333", "weight": 2.5, "fill": False},
        on_each_feature=WIJK_LABELS,
        interactive=False,
    ).add_to(fmap)
    folium.GeoJson(
        markers,
        marker=folium.CircleMarker(radius=7),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 2,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.35 if f["properties"]["approximate"] else 0.9,
            "dashArray": "3 3" if f["properties"]["approximate"] else None,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


st.set_page_config(page_title="SAMEN030 Buurtkaart (Streamlit-baseline)", layout="wide")
buurten, wijken, markers, legend = load_layers()
map_column, legend_column = st.columns([4, 1])
with map_column:
    st_folium(build_map(buurten, wijken, markers, legend), height=760, use_container_width=True, returned_objects=[])
with legend_column:
    st.markdown("**Buurten**")
    for row in legend["rows"]:
        st.markdown(f"<span style='color:{row['colour']}'>■</span> {row['label']}: **{row['count']}**", unsafe_allow_html=True)
    st.caption(legend["attribution"])
