"""Pictures of a view (PNG, SVG, PDF) and the handout, drawn on the server with matplotlib; no browser.

A picture holds what the map shows for one `MapView`: the title (with the selected wijk, buurt or entry),
the date, the filters in words, the buurten filled with the status patterns (palette.py: the same
patterns as on screen, as hatches), wijk outlines and names, markers for the organisations and places
the view marks (round and square, dashed when the location is approximate, a number when several share
a point), the legend with the count per status, and the CBS attribution.

- PDF: one A4 landscape page. PNG: the same page at 200 dpi (2339 px wide). SVG: every buurt is its own
  <path> inside <g id="BU…">, and text stays text (<text>), so it can be edited and searched.
- The handout is one PDF: the city with its figures and a table per wijk, then one page per wijk,
  zoomed, with its counts, its open buurten (most inhabitants first), its organisations and its places.

Names are data: they are drawn with mathtext switched off (a "$" is a dollar sign), and control
characters are shown as escapes (safety.printable), so no name can break a file or change its layout.
Matplotlib is not thread-safe: one picture is drawn at a time.
"""

from __future__ import annotations

import io
import textwrap
import threading
import warnings
from dataclasses import replace
from datetime import date

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke

from samen030_map.core.safety import printable
from samen030_map.export.mapview import MapView, date_text
from samen030_map.i18n import format_number, ngettext, translate
from samen030_map.labels import KIND_LABELS, STATUS_LABELS, STATUS_ORDER
from samen030_map.palette import (
    BUURT_OUTLINE,
    MARKER_OUTLINE,
    MEETING_PLACE_COLOUR,
    ORGANISATION_COLOUR,
    SELECTED_OUTLINE,
    TEXT_COLOUR,
    WIJK_OUTLINE,
    mpl_style,
)
from samen030_map.view import entry_area_buurten, entry_row

FORMATS = ("png", "svg", "pdf")
A4_LANDSCAPE = (11.69, 8.27)  # inches
PNG_DPI = 200  # 11.69 in x 200 = 2339 px wide
SIMPLIFY_M = 1.0  # far below what A4 can show, even zoomed to one buurt
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

_RC = {
    "font.family": "DejaVu Sans",  # bundled with matplotlib: the same letters on every machine
    "svg.fonttype": "none",  # text stays <text> in the SVG
    "pdf.fonttype": 42,  # TrueType in the PDF: its text can be selected and searched
    "svg.hashsalt": "samen030",  # the same view gives the same SVG
    "text.usetex": False,
}
_LOCK = threading.Lock()


class PictureError(ValueError):
    """A picture cannot be made as asked (an unknown format)."""


# --- entry points ------------------------------------------------------------------------------


def render_picture(picture, mapview: MapView | None = None, fmt: str = "png", today: date | None = None) -> bytes:
    """The picture of `mapview` (default: the whole city, nothing filtered) as PNG, SVG or PDF bytes."""
    if fmt not in FORMATS:
        raise PictureError(f"onbekend formaat {fmt!r} (kies uit {', '.join(FORMATS)})")
    mapview = mapview or MapView()
    today = today or date.today()
    with _LOCK, matplotlib.rc_context(_RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")  # a name in a script DejaVu lacks
        figure = _page(picture, mapview, today)
        out = io.BytesIO()
        figure.savefig(out, format=fmt, dpi=PNG_DPI, metadata=_metadata(picture, mapview, fmt, today))
    return out.getvalue()


def render_handout(picture, mapview: MapView | None = None, today: date | None = None) -> bytes:
    """One PDF: the city (figures and a table per wijk), then one page per wijk, all of `mapview`'s filters."""
    mapview = mapview or MapView()
    today = today or date.today()
    wijken = picture.boundaries.wijken
    with _LOCK, matplotlib.rc_context(_RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        out = io.BytesIO()
        metadata = _metadata(picture, MapView(filters=mapview.filters, lang=mapview.lang), "pdf", today)
        with PdfPages(out, metadata=metadata) as pdf:
            city = replace(mapview, buurt="", wijk="", entry="")
            pdf.savefig(_page(picture, city, today, handout=True))
            for code in wijken.index:
                pdf.savefig(_page(picture, replace(city, wijk=code), today, handout=True))
    return out.getvalue()


def filename(mapview: MapView, fmt: str) -> str:
    """A file name for the download: buurtkaart[-<wijk or buurt code>].<fmt>."""
    code = mapview.buurt or mapview.wijk or ""
    return f"buurtkaart{'-' + code if code else ''}.{fmt}"


def _metadata(picture, mapview: MapView, fmt: str, today: date) -> dict:
    title = mapview.title(picture)
    if fmt == "pdf":
        return {"Title": title, "Subject": mapview.describe(), "Keywords": picture.attribution, "Creator": "SAMEN030 Buurtkaart"}
    if fmt == "svg":
        return {"Title": title, "Description": mapview.describe(), "Rights": picture.attribution, "Date": today.isoformat()}
    return {"Title": title, "Description": mapview.describe(), "Copyright": picture.attribution}


# --- one page ------------------------------------------------------------------------------------


def _page(picture, mapview: MapView, today: date, handout: bool = False) -> Figure:
    lang = mapview.lang
    figure = Figure(figsize=A4_LANDSCAPE)
    figure.set_facecolor("white")
    _text(figure, 0.025, 0.955, mapview.title(picture, lang), size=19, weight="bold")
    subtitle = f"{translate('Stand van {date}', lang).replace('{date}', date_text(today, lang))} · {translate('Filter', lang)}: {mapview.describe(lang)}"
    _text(figure, 0.025, 0.918, _wrapped(subtitle, 150), size=9.5, va="top")
    _text(figure, 0.025, 0.022, picture.attribution, size=9)
    _text(figure, 0.975, 0.022, f"{translate('Link', lang)}: {mapview.link()}", size=7.5, ha="right", color="#555555")

    codes = mapview.zoom_codes(picture)
    wijk_page = handout and bool(mapview.wijk)
    width = 0.50 if wijk_page else 0.60 if handout else 0.66
    map_axes = figure.add_axes((0.015, 0.05, width, 0.83))
    _draw_map(map_axes, picture, mapview, codes, labels=bool(codes))

    left = width + 0.035
    if wijk_page:  # two columns: the legend and open buurten, then the organisations and places
        column, lists = _Column(_side_axes(figure, left, 0.205), wrap=33), _Column(_side_axes(figure, left + 0.225, 0.975 - left - 0.225), wrap=34)
    else:
        column, lists = _Column(_side_axes(figure, left, 0.975 - left), wrap=46), None
    area = _area(picture, mapview)
    _legend(column, picture, mapview, area)
    if not handout:
        _selection(column, picture, mapview)
    elif lists is not None:
        _wijk_lists(column, lists, picture, mapview)
    else:
        _wijk_table(column, picture, lang)
    return figure


def _side_axes(figure: Figure, left: float, width: float):
    axes = figure.add_axes((left, 0.05, width, 0.83))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    return axes


def _text(target, x, y, text, **style):
    """Text that is only text: no mathtext ("$" stays "$"), control characters shown as escapes."""
    style = {"color": TEXT_COLOUR, "parse_math": False, **style}
    return target.text(x, y, printable(str(text)), **style)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(printable(text), width)) or text


# --- the map -------------------------------------------------------------------------------------


def _geometry_path(geometry) -> MplPath:
    """A (multi)polygon as one matplotlib path: every ring closed, holes included (even-odd)."""
    vertices, codes = [], []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(points), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            vertices.append(points)
            codes.append(ring_codes)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _simplified(areas):
    return shapely.simplify(areas.geometry.to_numpy(), SIMPLIFY_M, preserve_topology=True)


def _draw_map(axes, picture, mapview: MapView, codes: list[str], labels: bool) -> None:
    """Buurten with their status patterns, wijk outlines and names, markers; zoomed to `codes` (or the city)."""
    boundaries = picture.boundaries
    buurten, wijken = boundaries.buurten, boundaries.wijken
    status = picture.coverage.buurten["status"].astype(str)
    visible = set(mapview.visible_statuses())
    selected = set(codes)
    show_buurten = mapview.shows_layer("buurten")
    for code, geometry in zip(buurten.index, _simplified(buurten)):
        buurt_status = status.get(code, "")
        faded = bool(selected) and code not in selected  # the surroundings, drawn lighter
        if show_buurten and buurt_status in visible:
            style = mpl_style(buurt_status)
        else:
            style = {"facecolor": "none"}
        patch = PathPatch(_geometry_path(geometry), edgecolor=BUURT_OUTLINE, linewidth=0.35, alpha=0.45 if faded else 1.0, **style)
        patch.set_gid(code)
        axes.add_patch(patch)

    if selected:
        outline = shapely.union_all(buurten.loc[list(selected)].geometry.to_numpy())
        axes.add_patch(PathPatch(_geometry_path(outline), facecolor="none", edgecolor=SELECTED_OUTLINE, linewidth=2.2, zorder=4))

    if mapview.shows_layer("wijken"):
        for geometry in _simplified(wijken):
            axes.add_patch(PathPatch(_geometry_path(geometry), facecolor="none", edgecolor=WIJK_OUTLINE, linewidth=1.3, zorder=3))

    _zoom(axes, buurten, codes)
    if labels:  # zoomed in: the names of the selected buurten fit, just under their markers' spot
        for code, name, point in zip(buurten.index, buurten["buurtnaam"], buurten.geometry.representative_point()):
            if code in selected:
                _label(axes, point, name, -7, size=6.5, color="#222222", va="top", zorder=5)
    if mapview.shows_layer("wijken"):  # wijk names just above the point where wijk-wide entries stand
        for name, point in zip(wijken["wijknaam"], wijken.geometry.representative_point()):
            _label(axes, point, name, 8, size=11 if labels else 10, weight="bold", va="bottom", zorder=7)
    _markers(axes, picture, mapview)
    axes.set_axis_off()


def _label(axes, point, text, offset_points: float, **style) -> None:
    """A name beside a point (above or below it), readable over any pattern; never mathtext."""
    axes.annotate(
        printable(str(text)), (point.x, point.y), xytext=(0, offset_points), textcoords="offset points", ha="center",
        annotation_clip=True, clip_on=True, parse_math=False, color=style.pop("color", TEXT_COLOUR),
        path_effects=[withStroke(linewidth=2.5, foreground="white")], **style,
    )


def _zoom(axes, buurten, codes: list[str]) -> None:
    """The extent: the selection with a margin of its surroundings, or the city, widened to the box's shape."""
    west, south, east, north = buurten.loc[codes].total_bounds if codes else buurten.total_bounds
    margin = max(east - west, north - south) * (0.02 if not codes else 0.6 if len(codes) == 1 else 0.15)
    west, south, east, north = west - margin, south - margin, east + margin, north + margin
    box = axes.get_position()
    figure_width, figure_height = axes.figure.get_size_inches()
    box_ratio = (box.width * figure_width) / (box.height * figure_height)
    x_mid, y_mid = (west + east) / 2, (south + north) / 2
    half_width, half_height = (east - west) / 2, (north - south) / 2
    if half_width / half_height < box_ratio:
        half_width = half_height * box_ratio
    else:
        half_height = half_width / box_ratio
    axes.set_xlim(x_mid - half_width, x_mid + half_width)
    axes.set_ylim(y_mid - half_height, y_mid + half_height)
    axes.set_aspect("equal", adjustable="box")


def _markers(axes, picture, mapview: MapView) -> None:
    """One marker per point: round for organisations, square for places; dashed when approximate."""
    groups: dict[tuple[float, float], dict] = {}
    for entries, frame in ((picture.organisation_entries, picture.organisations), (picture.meeting_place_entries, picture.meeting_places)):
        points = {row_id: (point, approximate) for row_id, point, approximate in zip(frame["id"], frame.geometry, frame["point_is_approximate"])}
        for entry in entries:
            point, approximate = points.get(entry.id, (None, False))
            if point is None or point.is_empty or not mapview.marks(entry):
                continue
            group = groups.setdefault((round(point.x, 1), round(point.y, 1)), {"entities": [], "approximate": False})
            group["entities"].append(entry.entity)
            group["approximate"] |= bool(approximate)
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    for (x, y), group in groups.items():
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        place = all(entity == "meeting_place" for entity in group["entities"])
        colour = MEETING_PLACE_COLOUR if place else ORGANISATION_COLOUR
        axes.scatter(
            [x], [y], s=110, marker="s" if place else "o", facecolor=colour, zorder=6,
            edgecolor=MARKER_OUTLINE if group["approximate"] else "white",
            linewidths=1.0, linestyles="--" if group["approximate"] else "-",
        )
        if len(group["entities"]) > 1:
            _text(axes, x, y, str(len(group["entities"])), size=7, weight="bold", color="white", ha="center", va="center", zorder=6.5)


# --- the side column -------------------------------------------------------------------------------


class _Column:
    """Lines of text (and swatches) from the top of a side axes down; text wraps at `wrap` characters of 9 pt."""

    LINE = 0.034  # one line of 9 pt text, in axes units

    def __init__(self, axes, wrap: int = 46):
        self.axes = axes
        self.wrap = wrap
        self.y = 0.985

    def _wrap(self, text: str, size: float, room: float = 1.0) -> list[str]:
        return textwrap.wrap(printable(str(text)), max(8, int(self.wrap * room * 9 / size))) or [""]

    def heading(self, text: str, size: float = 12) -> None:
        self.y -= self.LINE * 0.3
        for part in self._wrap(text, size):
            _text(self.axes, 0.0, self.y, part, size=size, weight="bold", va="top")
            self.y -= self.LINE * (1.15 if size >= 12 else 0.95)

    def line(self, text: str, size: float = 9, indent: float = 0.0, step: float = 1.0, **style) -> None:
        for part in self._wrap(text, size, 1.0 - indent):
            _text(self.axes, indent, self.y, part, size=size, va="top", **style)
            self.y -= self.LINE * step

    def row(self, swatch, label: str, count: str = "", muted: bool = False) -> None:
        """A swatch, a label (wrapped beside it) and a count on the right."""
        swatch(self.axes, self.y)
        colour = "#777777" if muted else TEXT_COLOUR
        if count:
            _text(self.axes, 1.0, self.y - 0.004, count, size=9, va="top", ha="right", weight="bold", color=colour)
        parts = self._wrap(label, 9, 0.74)
        for i, part in enumerate(parts):
            _text(self.axes, 0.14, self.y - 0.004, part, size=9, va="top", color=colour)
            self.y -= self.LINE * (1.05 if i == len(parts) - 1 else 0.85)

    def gap(self, lines: float = 0.4) -> None:
        self.y -= self.LINE * lines


def _status_swatch(status: str):
    def draw(axes, y):
        axes.add_patch(Rectangle((0.0, y - 0.026), 0.11, 0.024, edgecolor=BUURT_OUTLINE, linewidth=0.6, **mpl_style(status)))

    return draw


def _marker_swatch(shape: str, colour: str, dashed: bool = False):
    def draw(axes, y):
        axes.scatter([0.055], [y - 0.014], s=55, marker=shape, facecolor=colour, linewidths=1.0,
                     edgecolor=MARKER_OUTLINE if dashed else "white", linestyles="--" if dashed else "-")

    return draw


def _area(picture, mapview: MapView) -> dict:
    """The figures of what the view is zoomed to: a wijk (also for a selected buurt), or the city."""
    coverage = picture.coverage
    if mapview.wijk in coverage.wijken.index:
        figures = coverage.wijken.loc[mapview.wijk].to_dict()
        return figures | {"name": str(figures["wijknaam"]), "code": mapview.wijk}
    return dict(coverage.city) | {"name": "Utrecht", "code": ""}


def _legend(column: _Column, picture, mapview: MapView, area: dict) -> None:
    lang = mapview.lang
    visible = mapview.visible_statuses()
    column.heading(translate("Legenda", lang), size=13)
    column.heading(ngettext("{n} buurt in {area}", "{n} buurten in {area}", int(area["buurten"]), lang).replace("{area}", area["name"]), size=10)
    for status in STATUS_ORDER:
        hidden = status not in visible
        column.row(_status_swatch(status), translate(STATUS_LABELS[status], lang), format_number(int(area.get(status, 0)), lang), muted=hidden)
        if hidden:  # the buurten are drawn without their pattern
            column.line(translate("niet getoond op de kaart", lang), size=7.5, indent=0.14, step=0.6, color="#777777")
    column.gap()
    column.heading(translate("Organisaties en plekken", lang), size=10)
    column.row(_marker_swatch("o", ORGANISATION_COLOUR), translate("Organisatie", lang))
    column.row(_marker_swatch("s", MEETING_PLACE_COLOUR), translate("Ontmoetingsplek", lang))
    column.row(_marker_swatch("o", "#ffffff", dashed=True), translate("Stippelrand: locatie bij benadering", lang))
    column.line(translate("Een getal: zoveel op één plek.", lang), size=8, indent=0.14, color="#555555")
    column.gap()
    column.heading(translate("Cijfers", lang), size=10)
    inwoners_open = translate("Inwoners in open buurten: {open} van {all}", lang)
    column.line(inwoners_open.replace("{open}", format_number(_int(area["inwoners_open"]), lang)).replace("{all}", format_number(_int(area["inwoners"]), lang)))
    organisations = len([e for e in mapview.kept_entries(picture, "organisation") if _in_area(e, picture, area["code"])])
    places = len([e for e in mapview.kept_entries(picture, "meeting_place") if _in_area(e, picture, area["code"])])
    column.line(ngettext("{n} organisatie", "{n} organisaties", organisations, lang) + " · " + ngettext("{n} ontmoetingsplek", "{n} ontmoetingsplekken", places, lang))


def _selection(column: _Column, picture, mapview: MapView) -> None:
    """A selected buurt: its status, inhabitants, organisations and places; a selected entry: its card's head."""
    lang = mapview.lang
    entry = mapview.selected_entry(picture)
    if entry is not None:
        row = entry_row(entry, picture, lang)
        column.gap()
        column.heading(_cut(entry.name, 40), size=10)
        for text in (f"{row['entity_label']}: {row['kind_label']}", f"{row['area_heading']}: {row['area']}", row["precision_label"]):
            column.line(_cut(text, 60), size=8.5, step=0.8)
        return
    buurten = picture.coverage.buurten
    if mapview.buurt not in buurten.index:
        return
    buurt = buurten.loc[mapview.buurt]
    column.gap()
    column.heading(_cut(str(buurt["buurtnaam"]), 40), size=10)
    column.line(translate(STATUS_LABELS[buurt["status"]], lang), size=8.5, step=0.8, weight="bold")
    column.line(f"{translate('Inwoners', lang)}: {format_number(_int(buurt['inwoners']), lang)}", size=8.5, step=0.8)
    by_id = {(e.entity, e.id): e for e in mapview.kept_entries(picture)}
    for entity, column_name, heading in (("organisation", "organisation_ids", "Organisaties"), ("meeting_place", "meeting_place_ids", "Ontmoetingsplekken")):
        names = [by_id[(entity, i)].name for i in buurt[column_name] if (entity, i) in by_id]
        column.line(f"{translate(heading, lang)} ({len(names)})", size=8.5, step=0.8, weight="bold")
        for name in names[:6]:
            column.line(name, size=8, indent=0.03, step=0.72)
        if len(names) > 6:
            column.line(translate("… en nog {n}", lang).replace("{n}", str(len(names) - 6)), size=8, indent=0.03, step=0.72, color="#555555")


def _int(value) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def _in_area(entry, picture, wijk: str) -> bool:
    """The entry works (or lies) in the wijk; for the city every entry counts."""
    if not wijk:
        return True
    if wijk in entry.area_codes:
        return True
    buurten = picture.boundaries.buurten
    return any(buurten.at[code, "wijkcode"] == wijk for code in entry_area_buurten(entry, picture) if code in buurten.index)


def _wijk_table(column: _Column, picture, lang: str) -> None:
    """The city page of the handout: per wijk the buurten per status and the inhabitants of open buurten."""
    column.gap()
    column.heading(translate("Per wijk", lang), size=10)
    axes = column.axes
    xs = (0.0, 0.42, 0.51, 0.60, 0.69, 1.0)
    heads = [translate("Wijk", lang), "", "", "", "", translate("Inwoners open", lang)]
    for x, head in zip(xs, heads):
        _text(axes, x, column.y, head, size=7.5, weight="bold", va="top", ha="left" if x == 0 else "right")
    for i, status in enumerate(STATUS_ORDER):  # the pattern stands for the status, as in the legend
        axes.add_patch(Rectangle((xs[i + 1] - 0.07, column.y - 0.022), 0.065, 0.02, edgecolor=BUURT_OUTLINE, linewidth=0.5, **mpl_style(status)))
    column.y -= column.LINE * 0.9
    for _, wijk in picture.coverage.wijken.iterrows():
        values = [str(wijk["wijknaam"]), *(format_number(int(wijk[s]), lang) for s in STATUS_ORDER), format_number(_int(wijk["inwoners_open"]), lang)]
        for x, value in zip(xs, values):
            _text(axes, x, column.y, value, size=8, va="top", ha="left" if x == 0 else "right")
        column.y -= column.LINE * 0.8


def _wijk_lists(column: _Column, lists: _Column, picture, mapview: MapView) -> None:
    """A wijk page of the handout: its open buurten by inhabitants (under the legend), its organisations
    and its places (in the second column)."""
    lang, wijk = mapview.lang, mapview.wijk
    buurten = picture.coverage.buurten
    open_buurten = buurten[(buurten["wijkcode"] == wijk) & (buurten["status"] == "open")].sort_values("inwoners", ascending=False, na_position="last")
    room = int(column.wrap * 9 / 8)  # characters of an 8 pt line: cut the name, never the number
    open_lines = []
    for _, row in open_buurten.iterrows():
        number = format_number(_int(row["inwoners"]), lang)
        open_lines.append(f"{_cut(str(row['buurtnaam']), room - len(number) - 2)}: {number}")
    _sections(column, [(translate("Open buurten (inwoners), meeste eerst", lang), open_lines, translate("Geen open buurten.", lang))], lang)
    _sections(lists, [
        (translate("Organisaties", lang), _entry_lines(picture, mapview, "organisation", wijk), translate("Geen organisaties bekend.", lang)),
        (translate("Ontmoetingsplekken", lang), _entry_lines(picture, mapview, "meeting_place", wijk), translate("Geen ontmoetingsplekken bekend.", lang)),
    ], lang)
    city_wide = [e for e in mapview.kept_entries(picture) if e.area_level == "stad"]
    if city_wide and lists.y > 0.06:
        lists.gap(0.3)
        lists.line(ngettext("En {n} die in heel Utrecht werkt.", "En {n} die in heel Utrecht werken.", len(city_wide), lang), size=7.5, step=0.8, color="#555555")


def _sections(column: _Column, sections: list[tuple[str, list[str], str]], lang: str) -> None:
    """Headed lists that share the room left in the column; a list that does not fit ends in "… en nog N"."""
    step = 0.72
    # gap, space above, and the heading's own lines (it may wrap)
    headings = sum(column.LINE * (0.5 + 0.95 * len(column._wrap(f"{title} (99)", 9.5))) for title, _, _ in sections)
    room = int((column.y - 0.01 - headings) / (column.LINE * step))
    shares = _share(room, [max(1, len(lines)) for _, lines, _ in sections])
    for (title, lines, none), share in zip(sections, shares):
        column.gap(0.2)
        column.heading(f"{title} ({len(lines)})", size=9.5)
        if not lines:
            column.line(none, size=8, step=step, color="#555555")
        shown = lines if len(lines) <= share else lines[: max(0, share - 1)]
        for text in shown:
            column.line(_cut(text, int(column.wrap * 9 / 8)), size=8, step=step)
        if len(shown) < len(lines):
            column.line(translate("… en nog {n}", lang).replace("{n}", str(len(lines) - len(shown))), size=8, step=step, color="#555555")


def _share(room: int, wanted: list[int]) -> list[int]:
    """Lines per section: all that each wants if they fit; else small sections whole, the rest shared evenly."""
    shares, left = [0] * len(wanted), max(0, room)
    pending = sorted(range(len(wanted)), key=lambda i: wanted[i])
    while pending:
        fair = left // len(pending)
        if wanted[pending[0]] <= fair:
            i = pending.pop(0)
            shares[i], left = wanted[i], left - wanted[i]
            continue
        for i in pending:
            shares[i] = max(1, fair)
        break
    return shares


def _entry_lines(picture, mapview: MapView, entity: str, wijk: str) -> list[str]:
    lang = mapview.lang
    entries = [e for e in mapview.kept_entries(picture, entity) if e.area_level != "stad" and _in_area(e, picture, wijk)]
    entries.sort(key=lambda e: e.name.casefold())
    return [f"{e.name} · {translate(KIND_LABELS.get(e.kind, e.kind), lang)}" for e in entries]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
