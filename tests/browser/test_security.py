"""The running app (production build, one port): security headers, CORS and the event websocket only
for its own origin, and a page that works under its Content-Security-Policy."""

from __future__ import annotations

import http.client
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from samen030_map.server.http_security import SECURITY_HEADERS

pytestmark = pytest.mark.browser

EVIL = "https://evil.example"


def _get(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:  # a 4xx still has headers to check
        return error.code, error.headers


@pytest.mark.parametrize("path", ["/", "/ping", "/_event/?EIO=4&transport=websocket", "/?buurt=BU03440222"])
def test_every_answer_has_the_security_headers(app_url, path):
    _, headers = _get(app_url + path)
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (path, name)


def test_another_site_gets_no_cors_permission(app_url):
    _, headers = _get(app_url + "/ping", {"Origin": EVIL})
    assert headers.get("access-control-allow-origin") is None
    status, headers = _get(app_url + "/ping", {"Origin": EVIL, "Access-Control-Request-Method": "POST"}, method="OPTIONS")
    assert status == 400 and headers.get("access-control-allow-origin") is None
    # The app's own origin is allowed.
    _, headers = _get(app_url + "/ping", {"Origin": app_url})
    assert headers.get("access-control-allow-origin") == app_url


def _websocket_handshake(app_url: str, origin: str) -> int:
    parts = urlsplit(app_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        connection.request("GET", "/_event/?EIO=4&transport=websocket", headers={
            "Origin": origin, "Connection": "Upgrade", "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        })
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_event_websocket_accepts_only_the_apps_own_origin(app_url):
    assert _websocket_handshake(app_url, EVIL) in (400, 403)
    assert _websocket_handshake(app_url, app_url) == 101


def test_the_page_works_under_its_content_security_policy(app_url, page):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    # Waits without wait_for_function: Playwright evaluates its predicates with eval, which the
    # policy itself governs; the app's own needs must be what this test measures.
    page.goto(app_url + "/")
    page.locator(".leaflet-buurten-pane path").nth(110).wait_for(state="attached", timeout=60_000)
    # Selecting a buurt updates the permalink through rx.call_script, which Reflex runs with eval().
    page.locator("#search-input").fill("Ondiep")
    page.locator("#search-results .search-result").first.click()
    page.wait_for_url(re.compile(r"buurt=BU03440222"), timeout=20_000)
    assert page.evaluate("() => window.__cspViolations") == []
    assert problems == []
