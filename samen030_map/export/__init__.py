"""Exports of the picture that work without the app, all of one `MapView` (export/mapview.py):

- html_map.py  a standalone HTML map for meetings (opens offline, from a file or a USB stick)
- pictures.py  PNG, SVG and PDF pictures of a view, and the handout (the city, then one page per wijk)
- files.py     CSV, GeoJSON and an Open Referral (HSDS 3.0) data package of the filtered set

Imported lazily: the app imports mapview without loading folium or matplotlib.
"""

__all__ = ["write_html_map"]


def __getattr__(name: str):
    if name == "write_html_map":
        from samen030_map.export.html_map import write_html_map

        return write_html_map
    raise AttributeError(name)
