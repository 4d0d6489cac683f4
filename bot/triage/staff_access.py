"""Who may use the staff area, and how its pages answer: the guards around every staff handler.

`api_guard` checks the bearer token (or, for read-only downloads, the session cookie), `page_guard`
the server-side session and the CSRF token of forms; both answer 503 while STAFF_TOKEN is unset or
too short, and turn bad input and database trouble into clear 4xx/503 replies. Wrong tokens go
through the login throttle (bot/triage/login_throttle.py), which makes the next try wait.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path

import jinja2
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.triage import settings, staff_auth, staff_sessions
from bot.triage.login_throttle import LoginThrottle
from bot.triage.models import MAX_NOTE_CHARS, TicketStatus, utcnow

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

DISABLED_MESSAGE = (
    "The staff area is switched off because STAFF_TOKEN is not set. To enable it, set the STAFF_TOKEN "
    "environment variable to a long random secret (e.g. `python -c 'import secrets; "
    "print(secrets.token_urlsafe(32))'`) and restart the web server."
)
DATABASE_DOWN_MESSAGE = "The triage database cannot be reached right now; try again in a moment."
STATUS_LABELS = {
    TicketStatus.OPEN: "Open",
    TicketStatus.IN_PROGRESS: "In progress",
    TicketStatus.RESOLVED: "Resolved",
}

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


class BadInput(Exception):
    """A request the person can fix; ``status`` is the 4xx code, ``message`` says what to change."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _age(moment: dt.datetime) -> str:
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


_templates.filters["age"] = _age
_templates.globals["status_labels"] = {status.value: label for status, label in STATUS_LABELS.items()}
_templates.globals["max_note_chars"] = MAX_NOTE_CHARS


def json_error(status: int, message: str, **headers: str) -> HTTPResponse:
    """An API error: ``{"error": message}`` with this status."""
    return response.json({"error": message}, status=status, headers=headers or None)


def render(name: str, http_status: int = 200, **context: object) -> HTTPResponse:
    """A page from templates/ (autoescaped)."""
    return response.html(_templates.get_template(name).render(**context), status=http_status)



Handler = Callable[..., Awaitable[HTTPResponse]]


def client_address(request: Request) -> str:
    """Who is knocking: the forwarded client address when Sanic is configured for a proxy, else the peer."""
    return request.remote_addr or request.ip or "unknown"


def configured_token() -> tuple[str | None, str]:
    """STAFF_TOKEN, or ``None`` and why the staff area is closed (unset, or too short to be safe)."""
    try:
        token = settings.staff_token()
        settings.staff_session_key()
        settings.staff_session_idle_seconds()
        settings.staff_session_max_seconds()
    except settings.SettingError as error:
        return None, f"The staff area is switched off: {error}."
    return token, DISABLED_MESSAGE


async def token_checked(throttle: LoginThrottle, client: str, given_ok: Callable[[], bool]) -> bool:
    """Check a presented token in the address's turn (after its wait) and count the outcome."""
    async with throttle.turn(client):
        ok = given_ok()
        (throttle.succeeded if ok else throttle.failed)(client)
    return ok


def api_guard(handler: Handler, throttle: LoginThrottle, allow_session: bool = False) -> Handler:
    """Guard an API handler: 503 when switched off, 401 without the bearer token (429 after too many
    wrong ones), 4xx on bad input."""

    @wraps(handler)
    async def guarded(request: Request, **kwargs: str) -> HTTPResponse:
        token, closed = configured_token()
        if token is None:
            return json_error(503, closed)
        authorization = request.headers.get("authorization")
        bearer_ok = bool(authorization) and await token_checked(
            throttle, client_address(request), lambda: staff_auth.bearer_matches(authorization, token))
        cookie = request.cookies.get(staff_auth.SESSION_COOKIE)
        try:
            allowed = bearer_ok or (allow_session and bool(cookie) and (
                await asyncio.to_thread(staff_sessions.check, cookie, token)) is not None)
        except SQLAlchemyError:
            logger.exception("staff API: database error")
            return json_error(503, DATABASE_DOWN_MESSAGE)
        if not allowed:
            return json_error(
                401,
                "missing or wrong credentials: send 'Authorization: Bearer <STAFF_TOKEN>'",
                **{"WWW-Authenticate": 'Bearer realm="staff"'},
            )
        try:
            return await handler(request, **kwargs)
        except BadInput as error:
            return json_error(error.status, error.message)
        except SQLAlchemyError:
            logger.exception("staff API: database error")
            return json_error(503, DATABASE_DOWN_MESSAGE)

    return guarded


def page_guard(handler: Handler) -> Handler:
    """Guard a page: 503 when switched off, the login form without a session, CSRF check on POST."""

    @wraps(handler)
    async def guarded(request: Request, **kwargs: str) -> HTTPResponse:
        token, closed = configured_token()
        if token is None:
            return render("disabled.html", http_status=503, message=closed)
        try:
            signed_in = await asyncio.to_thread(
                staff_sessions.check, request.cookies.get(staff_auth.SESSION_COOKIE), token)
        except SQLAlchemyError:
            logger.exception("staff page: database error")
            return render("disabled.html", http_status=503, message=DATABASE_DOWN_MESSAGE)
        if signed_in is None:
            return render("login.html", http_status=401 if request.method == "POST" else 200, error=None)
        request.ctx.csrf = signed_in.csrf
        if request.method == "POST" and not signed_in.csrf_matches(request.form.get("csrf")):
            return render(
                "message.html",
                http_status=403,
                title="Form expired",
                message="This form is out of date (or did not come from the dashboard). Reload and try again.",
                csrf=request.ctx.csrf,
            )
        try:
            return await handler(request, **kwargs)
        except BadInput as error:
            return render(
                "message.html",
                http_status=error.status,
                title="Cannot do that",
                message=error.message,
                csrf=request.ctx.csrf,
            )
        except SQLAlchemyError:
            logger.exception("staff page: database error")
            return render(
                "message.html",
                http_status=503,
                title="Database unavailable",
                message=DATABASE_DOWN_MESSAGE,
                csrf=request.ctx.csrf,
            )

    return guarded


def set_session_cookie(request: Request, resp: HTTPResponse, value: str, max_age: int) -> None:
    """Set (or, with an empty value and max_age 0, clear) the staff session cookie."""
    resp.cookies[staff_auth.SESSION_COOKIE] = value
    cookie = resp.cookies[staff_auth.SESSION_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/staff"
    cookie["max-age"] = max_age
    # request.scheme follows X-Forwarded-Proto / Forwarded only when Sanic trusts the proxy
    # (SANIC_PROXIES_COUNT or SANIC_FORWARDED_SECRET), so a client cannot fake it.
    if request.scheme == "https":
        cookie["secure"] = True
