"""The Reflex app: its routes and global style."""

import reflex as rx

from samen030_map.http_security import security_headers
from samen030_map.pages.index import index
from samen030_map.state.dashboard import DashboardState

# security_headers: CSP, frame and referrer headers on every response (see http_security.py).
app = rx.App(
    stylesheets=["/styles.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    api_transformer=security_headers,
)
app.add_page(index, route="/", title="SAMEN030 Buurtkaart", on_load=DashboardState.load)
