"""The static first paint without a server: the SVG, its paths, and the page's fill-in per link."""

from __future__ import annotations

import tests.app_env  # noqa: F401  isort: skip

import re

from shapely.geometry import MultiPolygon, Polygon

from samen030_map.components.static_map import path_data, static_map_svg
from samen030_map.picture import current_picture, geography
from samen030_map.server.first_paint import fill_in_page, view_fill


def default_statuses() -> dict[str, str]:
    return {code: str(status) for code, status in current_picture().coverage.buurten["status"].items()}


def test_path_data_is_whole_metres_from_the_top_left_with_y_down():
    square = Polygon([(100, 200), (110, 200), (110, 190), (100, 190)])
    assert path_data(square, (100, 200)) == "M0 0l10 0 0 10 -10 0z"
    # A hole and a second part each start absolute; repeated points after rounding are left out.
    with_hole = Polygon([(0, 0), (10, 0), (10, -10), (0, -10)], [[(2, -2), (2.2, -2.2), (4, -2), (4, -4)]])
    two = MultiPolygon([with_hole, Polygon([(20, 0), (30, 0), (30, -10)])])
    assert path_data(two, (0, 0)) == "M0 0l10 0 0 10 -10 0zM2 2l2 0 0 2zM20 0l10 0 0 10z"


def test_the_svg_has_every_buurt_with_its_status_and_the_citys_shape():
    svg = static_map_svg(tuple(sorted(default_statuses().items())), "Kaart <van> de buurten")
    paths = dict(re.findall(r'<path id="sm-(BU\d{8})" class="b s-([a-z-]+)"', svg))
    assert len(paths) == 111
    assert paths == {code: status.replace(" ", "-") for code, status in default_statuses().items()}
    assert svg.count('<path class="w"') == 10  # wijk outlines
    assert 'aria-label="Kaart &lt;van&gt; de buurten"' in svg  # text stays text
    # The viewBox has the city's proportions in Web Mercator (as Leaflet fits it): wider than tall here.
    width, height = map(float, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    assert 1.1 < width / height < 1.3
    # Small: screen precision (issue 11's probe: about 10 kB gzip for the paths).
    import gzip

    assert len(gzip.compress(svg.encode())) < 25_000


def view_style(query: str) -> str:
    return view_fill(query)[0]


def test_the_fill_in_gives_each_buurt_the_views_fill():
    statuses = default_statuses()
    every = view_style("")
    hidden_open = view_style("verberg=open")
    for code, status in statuses.items():
        assert f"#sm-{code}" in every
    open_codes = {code for code, status in statuses.items() if status == "open"}
    transparent = re.search(r"([^}]*)\{fill:transparent", hidden_open)[1]
    assert set(re.findall(r"BU\d{8}", transparent)) == open_codes
    # Buurten layer off: nothing is filled.
    assert set(re.findall(r"BU\d{8}", re.search(r"([^}]*)\{fill:transparent", view_style("lagen_uit=buurten"))[1])) == set(statuses)


def test_the_page_paints_before_its_stylesheets_and_says_it_was_filled_in():
    page = (
        "<html><head><title>x</title>"
        '<link as="style" href="/assets/__reflex_global_styles-ab.css" rel="preload"/>'
        '<link href="/assets/__reflex_global_styles-ab.css" rel="stylesheet" type="text/css"/>'
        '<link rel="stylesheet" href="/assets/leaflet-cd.css"/></head>'
        '<body><div id="map"><svg id="static-map" class="static-map" viewBox="0 0 1 1"><path id="sm-BU03440111" class="b"/></svg></div></body></html>'
    )
    out = fill_in_page(page, "verberg=open", ".critical{}")
    assert '<svg id="static-map" data-view="server"' in out
    assert "#static-map #sm-" in out
    # The inline rules come before the stylesheets: those win every tie once loaded.
    assert out.index("<style>.critical{}</style>") < out.index('href="/assets/__reflex_global_styles-ab.css" onload=')
    for href in ("/assets/__reflex_global_styles-ab.css", "/assets/leaflet-cd.css"):
        assert f'<link rel="preload" as="style" href="{href}" onload=' in out
        assert f'<noscript><link rel="stylesheet" href="{href}"/></noscript>' in out
    assert out.count('rel="stylesheet"') == 2  # only inside <noscript>
    # Without the first view's rules (the stylesheets could not be read) they keep blocking.
    assert fill_in_page(page, "", "").count('rel="stylesheet" type="text/css"') == 1
    # A page without the static map (another route) keeps its body as it was.
    other = fill_in_page("<html><head></head><body><p>meld</p></body></html>", "", "")
    assert "<p>meld</p>" in other and "data-view" not in other


def test_every_wijk_is_named_on_the_static_map():
    svg = static_map_svg(tuple(sorted(default_statuses().items())), "t")
    names = re.findall(r"<text [^>]*>([^<]+)</text>", svg)
    assert sorted(names) == sorted(f["properties"]["name"] for f in geography().wijken_geojson["features"])


def test_critical_css_keeps_what_the_page_uses_and_the_properties_it_reads():
    from samen030_map.server.critical_css import critical_css

    sheet = (
        "@layer base, app;"
        ":root{--used:1px;--chain:var(--used);--unused:2px}"
        ".here{margin:var(--chain)}.absent{color:red}.here:hover{color:blue}"
        ".here:not(.absent){padding:0}.xs\\:here{gap:0}"
        "@media (max-width:768px){.here{top:0}.absent{top:1px}}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
        "@media print{.here{display:none}}@supports (color:color(display-p3 1 1 1)){:root{--used:red}}"
    )
    html = '<div class="here xs:here">x</div>'
    css = critical_css(sheet, html)
    assert css.startswith("@layer base, app;")
    assert ":root{--used:1px;--chain:var(--used)}" in css  # --unused dropped
    assert ".here{margin:var(--chain)}" in css and ".here:not(.absent){padding:0}" in css
    assert ".xs\\:here{gap:0}" in css
    assert "@media (max-width:768px){.here{top:0}}" in css
    assert ".absent" not in css.replace(":not(.absent)", "") and ":hover" not in css and "keyframes" not in css
    assert "print" not in css and "display-p3" not in css


def test_before_the_page_loads_its_legend_and_map_say_what_the_link_shows():
    from samen030_map.core import growth

    css, label = view_fill("verberg=open")
    before = ".dashboard:has(#map:not(.map-drawn))"  # only until Leaflet (and the page's state) took over
    assert before + ' #legend .legend-row[data-status="open"]{opacity:.45;text-decoration:line-through}' in css and label == ""
    year = growth.growth_series(current_picture()).first_year
    css, label = view_fill(f"jaar={year}")
    assert before + " .legend-count{visibility:hidden}" in css  # today's counts would contradict that year's map
    assert label == f"Situatie eind {year}"
    page = '<html><head></head><body><svg id="static-map" viewBox="0 0 1000 800"><g></g></svg></body></html>'
    assert f'<text class="sm-year" x="15" y="32">Situatie eind {year}</text></svg>' in fill_in_page(page, f"jaar={year}", "")
    # A year the registry does not reach is today: no label, counts stay.
    css, label = view_fill("jaar=1801")
    assert label == "" and "legend-count" not in css


def test_a_page_without_the_servers_fill_in_goes_neutral_for_every_parameter_that_changes_the_fills():
    from samen030_map.components.static_map import VIEW_PARAMS
    from samen030_map.core import growth

    year = growth.growth_series(current_picture()).first_year
    default = view_style("")
    changing = {query.split("=")[0] for query in ("verberg=open", "status=open", f"jaar={year}", "lagen_uit=buurten", "thema=Gezondheid", "wijk=WK034403") if view_style(query) != default}
    assert changing == {"verberg", "status", "jaar", "lagen_uit"}
    assert changing <= set(VIEW_PARAMS)  # the inline script's list (static_map.FIRST_PAINT_SCRIPT)
