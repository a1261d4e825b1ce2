"""Security headers middleware and the allowed-origins setting, without starting the app
(tests/browser/test_security.py checks the real server)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from samen030_map.core.config import DEFAULT_ALLOWED_ORIGINS, SettingError, allowed_origins
from samen030_map.server.http_security import CSP_DIRECTIVES, SECURITY_HEADERS, security_headers
from tests.app_env import run_coroutine


def _app():
    async def page(request):
        # An app that sets a weaker header of its own: the middleware's value must win.
        return PlainTextResponse("hallo", headers={"X-Frame-Options": "ALLOWALL"})

    return security_headers(Starlette(routes=[Route("/", page), Route("/ping", page)]))


def _response_headers(app, path: str) -> list[tuple[str, str]]:
    """Call the ASGI app once with a GET of `path` and return the response's headers."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"testserver")], "scheme": "http", "server": ("testserver", 80), "root_path": ""}
    run_coroutine(app(scope, receive, send))
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    return [(k.decode(), v.decode()) for k, v in start["headers"]]


@pytest.mark.parametrize("path", ["/", "/ping", "/bestaat-niet"])
def test_every_response_gets_the_security_headers(path):
    headers = _response_headers(_app(), path)
    for name, value in SECURITY_HEADERS.items():
        assert [v for k, v in headers if k.lower() == name] == [value]
    assert ("x-frame-options", "SAMEORIGIN") in headers and ("x-frame-options", "ALLOWALL") not in headers


def test_the_policy_keeps_other_sites_out():
    csp = SECURITY_HEADERS["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp and "base-uri 'self'" in csp
    assert "img-src 'self' data: blob: https://service.pdok.nl" in csp
    assert all("*" not in source for sources in CSP_DIRECTIVES.values() for source in sources)
    assert SECURITY_HEADERS["referrer-policy"] == "strict-origin-when-cross-origin"
    assert SECURITY_HEADERS["x-content-type-options"] == "nosniff"


def test_allowed_origins_default_to_the_apps_own(monkeypatch):
    monkeypatch.delenv("SAMEN030_ALLOWED_ORIGINS", raising=False)
    assert allowed_origins() == DEFAULT_ALLOWED_ORIGINS == ("http://localhost:3000", "http://127.0.0.1:3000")
    monkeypatch.setenv("SAMEN030_ALLOWED_ORIGINS", " https://kaart.samen030.nl/ , http://127.0.0.1:8080")
    assert allowed_origins() == ("https://kaart.samen030.nl", "http://127.0.0.1:8080")


@pytest.mark.parametrize("value", ["*", "kaart.samen030.nl", "https://kaart.samen030.nl/pad", "javascript:alert(1)"])
def test_an_origin_that_is_not_one_is_refused(monkeypatch, value):
    monkeypatch.setenv("SAMEN030_ALLOWED_ORIGINS", value)
    with pytest.raises(SettingError, match="SAMEN030_ALLOWED_ORIGINS"):
        allowed_origins()


def test_rxconfig_passes_the_origins_to_reflex(monkeypatch):
    import importlib

    import rxconfig

    monkeypatch.setenv("SAMEN030_ALLOWED_ORIGINS", "https://kaart.samen030.nl")
    try:
        assert list(importlib.reload(rxconfig).config.cors_allowed_origins) == ["https://kaart.samen030.nl"]
    finally:
        monkeypatch.undo()
        importlib.reload(rxconfig)
