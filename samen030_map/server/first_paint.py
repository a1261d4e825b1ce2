"""The map page's first paint, made right for each link on the server (plain ASGI middleware).

The pre-rendered page (components/static_map.py) holds an SVG of the buurten with the statuses of the
picture the build saw, for the default view. When the page at `/` is served, this middleware:

1. fills the buurten with the statuses of the link's own view and of the current registry revision
   (legend toggles `verberg`, a status filter, a growth year `jaar`), as a small style block in the
   SVG, and marks the SVG as filled in by the server (`data-view="server"`);
2. lets the page paint before its big stylesheets have loaded: they load without blocking (a
   preload that turns itself into a stylesheet), and the rules the first view needs come inline
   (server/critical_css.py picks them from those stylesheets once per build). The probe in issue 11:
   the render-blocking CSS, not the map, set the first-paint floor.

A page served another way (a CDN, a plain file server) still works: it shows the build's default
statuses, or a neutral map for a link that changes them, until Leaflet has drawn.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import re

from samen030_map.components.static_map import FIRST_PAINT_CLASSES, SVG_ID, status_class, text_in_markup
from samen030_map.server.critical_css import critical_css

log = logging.getLogger("samen030_map.first_paint")
MAP_PAGES = ("/", "/index.html")
GET_TIMEOUT_S = 10  # reading one of the app's own stylesheets
_STYLESHEET = re.compile(r'<link (?=[^>]*rel="stylesheet")[^>]*href="(?P<href>/assets/[^"]+\.css)"[^>]*/?>')


def view_fill(query: str) -> tuple[str, str]:
    """For the link's view, now: CSS that fills each buurt of the static map as the view draws it,
    and the words to put on the map when it shows a past year ("" otherwise)."""
    from samen030_map.export.mapview import MapView
    from samen030_map.picture import current_picture
    from samen030_map.view import map_statuses, map_year

    picture = current_picture()
    mapview = MapView.from_link(query, picture=picture)
    statuses = map_statuses(picture, mapview)
    shown = set(mapview.visible_statuses()) if mapview.shows_layer("buurten") else set()
    groups: dict[str, list[str]] = {}
    for code, status in sorted(statuses.items()):
        # Two ids: stronger than the build's own per-status rules.
        groups.setdefault(status if status in shown else "", []).append(f"#{SVG_ID} #sm-{code}")
    rules = []
    for status, selectors in groups.items():
        fill = f"fill:var(--{status_class(status)})" if status else "fill:transparent;stroke-opacity:.35"
        rules.append(f"{','.join(selectors)}{{{fill}}}")
    # Until Leaflet has drawn (and the page's state runs the legend), its legend is the build's, for
    # the default view: say what differs. Without JavaScript that stays so.
    before = ".dashboard:has(#map:not(.map-drawn))"
    for status in mapview.hidden_statuses:  # from the vocabulary only (MapView.from_link)
        rules.append(f'{before} #legend .legend-row[data-status="{status}"]{{opacity:.45;text-decoration:line-through}}')
    year = map_year(picture, mapview)
    if year:  # today's counts would contradict the map of that year
        rules.append(f"{before} .legend-count{{visibility:hidden}}")
    return "".join(rules), mapview.year_text(mapview.lang) if year else ""


def fill_in_page(html: str, query: str, critical_css: str) -> str:
    """The served page: the view's statuses in the static map, non-blocking stylesheets."""
    marker = f'<svg id="{SVG_ID}"'
    if marker in html:
        html = html.replace(marker, f'{marker} data-view="server"', 1)
        css, year_label = view_fill(query)
        start = html.index(marker)
        opening_end = html.index(">", start) + 1
        closing = html.index("</svg>", opening_end)
        label = ""
        if year_label:
            width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', html[start:opening_end]).groups())
            label = f'<text class="sm-year" x="{width * 0.015:.0f}" y="{height * 0.04:.0f}">{text_in_markup(year_label)}</text>'
        html = html[:opening_end] + f"<style>{css}</style>" + html[opening_end:closing] + label + html[closing:]

    def non_blocking(match: re.Match) -> str:
        href = match["href"]
        return (
            f'<link rel="preload" as="style" href="{href}" onload="this.onload=null;this.rel=\'stylesheet\'"/>'
            f'<noscript><link rel="stylesheet" href="{href}"/></noscript>'
        )

    if not critical_css:  # without the first view's rules inline, the stylesheets must keep blocking
        return html
    first = _STYLESHEET.search(html)
    if first is None:
        return html
    # Before the stylesheets, so that they, once loaded, win every tie as they would without it
    # (print rules, for one, are only in the full stylesheet).
    html = html[: first.start()] + f"<style>{critical_css}</style>" + html[first.start() :]
    return _STYLESHEET.sub(non_blocking, html)


class FirstPaint:
    """ASGI middleware: rewrites the map page's HTML on its way out (see the module text)."""

    def __init__(self, app):
        self.app = app
        self._critical: dict[tuple[str, ...], str] = {}  # per set of stylesheets, i.e. per build

    async def _get(self, scope, path: str) -> bytes:
        """A file of the app itself (a stylesheet), asked of the wrapped app directly."""
        inner = {**scope, "path": path, "raw_path": path.encode(), "query_string": b"", "headers": [(b"host", b"localhost")], "extensions": {}}
        status, body, asked, done = 0, bytearray(), False, asyncio.Event()

        async def receive():
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # a file response listens for the client leaving: only once it is sent
            return {"type": "http.disconnect"}

        async def collect(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        try:
            await asyncio.wait_for(self.app(inner, receive, collect), GET_TIMEOUT_S)
        except TimeoutError:
            return b""
        return bytes(body) if status == 200 else b""

    async def critical_css(self, scope, html: str) -> str:
        """The first view's rules from the page's stylesheets (computed once per build, ~0.5 s)."""
        hrefs = tuple(match["href"] for match in _STYLESHEET.finditer(html))
        if hrefs not in self._critical:
            sheets = [(await self._get(scope, href)).decode("utf-8", "replace") for href in hrefs]
            if not all(sheets):
                return ""
            self._critical[hrefs] = await asyncio.to_thread(lambda: "".join(critical_css(sheet, html, FIRST_PAINT_CLASSES) for sheet in sheets))
        return self._critical[hrefs]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in MAP_PAGES:
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope["headers"])
        accepts_gzip = b"gzip" in request_headers.get(b"accept-encoding", b"")
        # The file as it is (no precompressed copy, no 304): the answer depends on the view and revision.
        dropped = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range"}
        # And as body messages: granian offers to send files by path, which would bypass the rewrite.
        extensions = {k: v for k, v in scope.get("extensions", {}).items() if k not in ("http.response.pathsend", "http.response.zerocopy")}
        inner_scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in dropped], "extensions": extensions}
        start: dict = {}
        body = bytearray()

        async def collect(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(inner_scope, receive, collect)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"etag", b"last-modified", b"content-encoding", b"vary")]
        content_type = dict(headers).get(b"content-type", b"")
        payload = bytes(body)
        if start.get("status") == 200 and content_type.startswith(b"text/html"):
            try:
                query = scope.get("query_string", b"").decode("latin-1")
                html = payload.decode("utf-8")
                page = await asyncio.to_thread(fill_in_page, html, query, await self.critical_css(scope, html))
                payload = page.encode("utf-8")
                headers.append((b"cache-control", b"no-cache"))
            except Exception as error:  # the page as built is still a working page
                log.warning("eerste weergave niet ingevuld: %s", error)
        if accepts_gzip:
            payload = gzip.compress(payload, 6)
            headers.append((b"content-encoding", b"gzip"))
        headers += [(b"content-length", str(len(payload)).encode()), (b"vary", b"accept-encoding")]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def first_paint(app) -> FirstPaint:
    """For rx.App(api_transformer=...): the app wrapped in FirstPaint."""
    return FirstPaint(app)

