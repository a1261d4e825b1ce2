"""The live picture: every open page shows a change without a reload.

Two lifespan tasks of the Reflex app (one set per backend worker):
- ``prepare_on_start`` migrates and seeds the database when the worker starts (never on import);
- ``follow_registry`` asks the database for the registry revision every POLL_S (or at once when this
  worker saved something, see ``notify``); when it changed, it rebuilds the worker's picture and
  raises the `revision` var of every page connected to this worker. Their computed vars then
  recompute and Reflex sends the new figures, lists and markers to the browser.

With several workers (Redis), every worker polls the same database, so a save in one reaches the
pages connected to all of them.
"""

from __future__ import annotations

import asyncio
import logging

from reflex.istate.manager.token import BaseStateToken

from samen030_map.db import store
from samen030_map.picture import current_picture

POLL_S = 0.5
log = logging.getLogger("samen030_map.live")

_wake: asyncio.Event | None = None
_loop: asyncio.AbstractEventLoop | None = None


def notify() -> None:
    """Called after a save in this worker: look at the revision now instead of at the next poll."""
    if _loop is not None and _wake is not None:
        _loop.call_soon_threadsafe(_wake.set)


async def prepare_on_start() -> None:
    """Migrate and seed at start-up (idempotent; a second worker waits for the first one)."""
    try:
        await asyncio.to_thread(store.prepare_database)
    except Exception as error:  # the app keeps running; the log says what to do
        log.error("FOUT database niet klaargezet: %s", store.database_problem(error))


async def follow_registry(app) -> None:
    global _wake, _loop
    _loop, _wake = asyncio.get_running_loop(), asyncio.Event()
    shown = None
    while True:
        try:
            await asyncio.wait_for(_wake.wait(), POLL_S)
        except TimeoutError:
            pass
        _wake.clear()
        try:
            picture = await asyncio.to_thread(current_picture, 0, True)
        except Exception as error:
            log.warning("revisie niet gelezen: %s", store.database_problem(error))
            continue
        if shown is not None and picture.revision != shown:
            await push_revision(app, picture.revision)
        shown = picture.revision


def _local_tokens(app) -> list[str]:
    """Client tokens with a socket on this worker."""
    manager = app.event_namespace._token_manager
    return [token for token, record in list(manager.token_to_socket.items()) if record.instance_id == manager.instance_id]


async def push_revision(app, revision: int) -> None:
    """Raise `revision` on the pages of every client connected to this worker."""
    from samen030_map.state.dashboard import DashboardState
    from samen030_map.state.workspace import WorkspaceState

    for token in _local_tokens(app):
        try:
            async with app.modify_state(BaseStateToken(ident=token, cls=DashboardState)) as root:
                dashboard = await root.get_state(DashboardState)
                if dashboard.revision < revision:
                    dashboard.revision = revision
                workspace = await root.get_state(WorkspaceState)
                if workspace.revision < revision:
                    await asyncio.to_thread(workspace._refresh_after_save_elsewhere, revision)
        except Exception as error:  # one broken session must not stop the others
            log.warning("pagina %s niet bijgewerkt: %s", token[:8], error)
