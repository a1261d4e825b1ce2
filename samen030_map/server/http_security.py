"""Security headers for every HTTP response of the app (plain ASGI middleware, no Reflex import).

rx.App(api_transformer=security_headers) wraps the backend, and in production the static frontend
too (Reflex mounts the compiled pages on the same ASGI app), so "/", "/ping" and "/_event" all get:

- Content-Security-Policy: only this origin's scripts, styles, connections and frames; map tiles
  from PDOK. What the real page needs beyond that, and why, is listed in CSP_DIRECTIVES.
- X-Frame-Options SAMEORIGIN and frame-ancestors 'self': no other site can frame the app.
- Referrer-Policy strict-origin-when-cross-origin: links out never carry a buurt or search query.
- X-Content-Type-Options nosniff.

Which other origins may call the backend (CORS and the websocket) is core.config.allowed_origins(),
passed to Reflex as cors_allowed_origins in rxconfig.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

PDOK_TILES = "https://service.pdok.nl"

CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    # Reflex's production pages start with inline bootstrap scripts (React Router's hydration data),
    # and rx.call_script (the dashboard keeps the permalink in the address bar with it) runs through
    # eval() in Reflex's state.js: without these two the page does not hydrate or update its link.
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    # Leaflet positions tiles and markers with style attributes; Radix themes inject style elements.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", PDOK_TILES],
    "font-src": ["'self'", "data:"],
    # 'self' covers ws:// and wss:// on the same host and port (the Reflex event socket).
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def content_security_policy(directives: dict[str, list[str]] = CSP_DIRECTIVES) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


SECURITY_HEADERS = {
    "content-security-policy": content_security_policy(),
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
}

Scope = dict
Message = dict
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware that sets `headers` on every HTTP response (replacing any the app set itself)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str] = SECURITY_HEADERS):
        self.app = app
        self.headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
        self._names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":  # websocket handshakes and lifespan events pass as they are
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self._names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(app: ASGIApp) -> SecurityHeaders:
    """For rx.App(api_transformer=...): the app wrapped in SecurityHeaders."""
    return SecurityHeaders(app)
