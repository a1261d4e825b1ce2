"""Logging in and out over plain HTTP, so the session token lives in an HttpOnly cookie.

A Reflex state var (or localStorage) would put the token within reach of any script on the page; an
HttpOnly cookie is not. The browser posts the login form here; on success this sets the cookie and
sends the browser back to /beheer, whose page then opens its event socket with the cookie, and the
workspace state reads it from the socket's headers (state/workspace.py). A post from another site is
refused (Origin check), and the cookie is SameSite=Strict.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from samen030_map.db import accounts, store

COOKIE = "samen030_sessie"
WORKSPACE = "/beheer"


def session_token(cookie_header: str) -> str:
    """The session token from a Cookie header ("" when there is none)."""
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header or "")
    except Exception:  # a malformed header from the client is simply no session
        return ""
    morsel = cookies.get(COOKIE)
    return morsel.value if morsel else ""


def _same_origin(request: Request) -> bool:
    """A form post must come from a page of this app (its Origin, or else its Referer, is this host)."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    return bool(source) and urlsplit(source).netloc == request.headers.get("host", "")


def _back(message: str = "") -> RedirectResponse:
    return RedirectResponse(WORKSPACE + (f"?{urlencode({'melding': message})}" if message else ""), status_code=303)


async def log_in(request: Request) -> Response:
    if not _same_origin(request):
        return Response("Verzoek geweigerd: het komt niet van deze website.", status_code=403)
    form = await request.form()
    client = request.client.host if request.client else ""
    try:
        token = accounts.log_in(store.engine(), str(form.get("naam", "")), str(form.get("wachtwoord", "")), client)
    except accounts.AccountError as error:
        return _back(str(error))
    response = _back()
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(accounts.SESSION_MAX.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def log_out(request: Request) -> Response:
    if not _same_origin(request):
        return Response("Verzoek geweigerd: het komt niet van deze website.", status_code=403)
    accounts.log_out(store.engine(), request.cookies.get(COOKIE))
    response = _back("Je bent uitgelogd.")
    response.delete_cookie(COOKIE, path="/", samesite="strict", httponly=True)
    return response


# Mounted in front of Reflex's own app (rx.App(api_transformer=...)): these two routes win, the rest passes on.
auth_routes = Starlette(
    routes=[
        Route(f"{WORKSPACE}/inloggen", log_in, methods=["POST"]),
        Route(f"{WORKSPACE}/uitloggen", log_out, methods=["POST"]),
    ]
)
