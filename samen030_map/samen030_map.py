"""The Reflex app: its routes, global style, HTTP extras and start-up tasks."""

import reflex as rx

from samen030_map.pages.beheer import beheer
from samen030_map.pages.index import index
from samen030_map.pages.submit import submit_page
from samen030_map.server import live
from samen030_map.server.auth import auth_routes
from samen030_map.server.first_paint import first_paint
from samen030_map.server.http_security import security_headers
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.submit import SubmitState
from samen030_map.state.workspace import WorkspaceState

app = rx.App(
    html_lang="nl",  # Dutch first; view_sync switches it with the page's language
    stylesheets=["/styles.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    # The login routes first (they set the HttpOnly session cookie), the map page's first paint for
    # each link (server/first_paint.py), then the security headers on every response (CSP, frames,
    # referrer; see server/http_security.py).
    api_transformer=[auth_routes, first_paint, security_headers],
)
app.add_page(index, route="/", title="SAMEN030 Buurtkaart", on_load=DashboardState.load)
app.add_page(submit_page, route="/meld-aan", title="Meld je initiatief aan — SAMEN030 Buurtkaart", on_load=SubmitState.load)
app.add_page(beheer, route="/beheer", title="Werkruimte — SAMEN030 Buurtkaart", on_load=WorkspaceState.load)
# Migrate and seed when a worker starts (never on import), then follow the registry's revision.
app.register_lifespan_task(live.prepare_on_start)
app.register_lifespan_task(live.follow_registry)
