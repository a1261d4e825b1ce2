"""One open page without a browser: Reflex's socket.io protocol, for tests and benchmarks.

The page's script (Reflex's state.js) connects to the `/_event` socket.io namespace with its tab's
token in the query string, and puts its first event, `hydrate_and_load`, in the CONNECT packet. The
backend answers with the whole state, runs the page's on_load and sends what changed. Every later
event is a socket.io "event" message {name, payload, router_data}, where `name` is the handler's full
state path; the backend answers with "event" messages holding deltas {state path: {var: value}}.
Var names in a delta end in `_rx_state_`; `values` keeps them without it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import socketio

ROOT_STATE = "reflex___state____state"
VAR_SUFFIX = "_rx_state_"


def state_name(state_cls) -> str:
    """The full path Reflex uses for a state class in events and deltas."""
    return state_cls.get_full_name()


class PageClient:
    def __init__(self, url: str, path: str = "/", query: dict[str, str] | None = None):
        self.url, self.path, self.query = url, path, dict(query or {})
        self.token = str(uuid.uuid4())
        self.values: dict[str, dict[str, Any]] = {}  # state path -> var -> latest value
        self.updates = 0
        self._changed = asyncio.Condition()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_update, namespace="/_event")
        # Reflex may hand a duplicate tab a new token; the page then uses that one.
        self.sio.on("new_token", self._on_new_token, namespace="/_event")

    def _router_data(self) -> dict[str, Any]:
        search = f"?{urlencode(self.query)}" if self.query else ""
        return {"pathname": self.path, "asPath": self.path + search, "query": self.query}

    async def _on_new_token(self, token: str) -> None:
        self.token = token

    async def _on_update(self, update: dict[str, Any]) -> None:
        for state, delta in (update.get("delta") or {}).items():
            values = self.values.setdefault(state, {})
            for name, value in delta.items():
                values[name.removesuffix(VAR_SUFFIX)] = value
        async with self._changed:
            self.updates += 1
            self._changed.notify_all()

    async def open(self, timeout: float = 60) -> None:
        """Connect as the page does and wait until its on_load has run (the page is hydrated)."""
        hydrate = {"name": f"{ROOT_STATE}.hydrate_and_load", "payload": {}, "router_data": self._router_data()}
        await self.sio.connect(
            f"{self.url}?{urlencode({'token': self.token})}",
            socketio_path="/_event",
            namespaces=["/_event"],
            transports=["websocket"],
            headers={"Origin": self.url},  # the backend only answers pages from its own origin
            auth={"event": hydrate},
            wait_timeout=timeout,
        )
        await self.wait_for(lambda: self.values.get(ROOT_STATE, {}).get("is_hydrated") is True, timeout)

    async def wait_for(self, condition, timeout: float) -> None:
        """Wait until `condition()` holds after an update (asyncio.TimeoutError if it never does)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def send(self, handler: str, timeout: float = 10, **payload) -> float:
        """Send one event (`handler` is "<state path>.<method>") and wait for the backend's answer;
        returns the seconds between sending and the first update that answers it."""
        seen = self.updates
        start = time.perf_counter()
        await self.sio.emit("event", {"name": handler, "payload": payload, "router_data": self._router_data()}, namespace="/_event")
        await self.wait_for(lambda: self.updates > seen, timeout)
        return time.perf_counter() - start

    def state(self, state_cls) -> dict[str, Any]:
        return self.values.get(state_name(state_cls), {})

    async def close(self) -> None:
        await self.sio.disconnect()
