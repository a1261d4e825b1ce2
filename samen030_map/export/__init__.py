"""Exports of the picture that work without the app: a standalone HTML map for meetings."""

from samen030_map.export.html_map import write_html_map

__all__ = ["write_html_map"]
