"""The staff dashboard (pages under /staff) and its JSON API (/staff/api/), as one Sanic blueprint.

Switched off (503 everywhere) until STAFF_TOKEN is set. The API takes ``Authorization: Bearer
<STAFF_TOKEN>``; the pages use a login form that sets a signed, HttpOnly, SameSite=Strict session
cookie, and every form carries a CSRF token tied to that session. Wrong tokens are counted per client
address (bot/triage/login_throttle.py): too many and the address waits (429). Pages are rendered server-side
with autoescaping and carry no JavaScript, so text people typed is always shown as text.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import re
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path

import jinja2
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.triage import casework, export, settings, staff_auth
from bot.triage.login_throttle import LoginThrottle
from bot.triage.models import MAX_NOTE_CHARS, TicketStatus, utcnow
from bot.triage.recorder import normalise_tags
from bot.triage.transcript import read_transcript

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
#: Status filters: "active" (open or in progress) is what the page shows by default.
STATUS_FILTERS: dict[str, tuple[TicketStatus, ...]] = {
    "active": (TicketStatus.OPEN, TicketStatus.IN_PROGRESS),
    "open": (TicketStatus.OPEN,),
    "in_progress": (TicketStatus.IN_PROGRESS,),
    "resolved": (TicketStatus.RESOLVED,),
    "all": (),
}
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_TICKET_ID = re.compile(r"[0-9]{1,12}")

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


def parse_ticket_id(raw: str) -> int:
    """A ticket id from a URL, or ``BadInput(400)`` saying what an id looks like."""
    if not _TICKET_ID.fullmatch(raw or "") or int(raw) == 0:
        raise BadInput(400, f"ticket id must be a positive whole number, got {raw[:40]!r}")
    return int(raw)


def parse_status(raw: object) -> TicketStatus:
    """A ticket status from input, or ``BadInput(400)`` listing the allowed values."""
    try:
        return TicketStatus(raw)
    except ValueError:
        allowed = ", ".join(status.value for status in TicketStatus)
        raise BadInput(400, f"status must be one of {allowed}; got {str(raw)[:40]!r}") from None


def parse_filters(request: Request, default_status: str) -> tuple[str | None, str]:
    """The ``tag`` and ``status`` query filters (status: a status, "active" or "all")."""
    raw_tag = request.args.get("tag", "").strip()
    tag = None
    if raw_tag:
        tags = normalise_tags([raw_tag])
        if not tags or len(raw_tag) > 64:
            raise BadInput(400, "tag must be a topic name such as 'pregnancy' (letters, digits, '_')")
        tag = tags[0]
    status = request.args.get("status", "").strip() or default_status
    if status not in STATUS_FILTERS:
        raise BadInput(400, f"status filter must be one of {', '.join(STATUS_FILTERS)}; got {status[:40]!r}")
    return tag, status


def _json_error(status: int, message: str, **headers: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers or None)


def _render(name: str, http_status: int = 200, **context: object) -> HTTPResponse:
    return response.html(_templates.get_template(name).render(**context), status=http_status)


def _csv_response(body: str, filename: str) -> HTTPResponse:
    return response.text(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


Handler = Callable[..., Awaitable[HTTPResponse]]


def client_address(request: Request) -> str:
    """Who is knocking: the forwarded client address when Sanic is configured for a proxy, else the peer."""
    return request.remote_addr or request.ip or "unknown"


def _too_many_tries(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return (f"too many wrong staff tokens from your address; try again in {minutes} minute"
            f"{'' if minutes == 1 else 's'}")


def _api(handler: Handler, throttle: LoginThrottle, allow_session: bool = False) -> Handler:
    """Guard an API handler: 503 when switched off, 401 without the bearer token (429 after too many
    wrong ones), 4xx on bad input."""

    @wraps(handler)
    async def guarded(request: Request, **kwargs: str) -> HTTPResponse:
        token = settings.staff_token()
        if token is None:
            return _json_error(503, DISABLED_MESSAGE)
        client = client_address(request)
        authorization = request.headers.get("authorization")
        if authorization and (wait := throttle.retry_after(client)) is not None:
            return _json_error(429, _too_many_tries(wait), **{"Retry-After": str(wait)})
        bearer_ok = staff_auth.bearer_matches(authorization, token)
        if authorization and bearer_ok:
            throttle.succeeded(client)
        elif authorization:
            throttle.failed(client)
        allowed = bearer_ok or (
            allow_session and staff_auth.session_nonce(request.cookies.get(staff_auth.SESSION_COOKIE), token)
        )
        if not allowed:
            return _json_error(
                401,
                "missing or wrong credentials: send 'Authorization: Bearer <STAFF_TOKEN>'",
                **{"WWW-Authenticate": 'Bearer realm="staff"'},
            )
        try:
            return await handler(request, **kwargs)
        except BadInput as error:
            return _json_error(error.status, error.message)
        except SQLAlchemyError:
            logger.exception("staff API: database error")
            return _json_error(503, DATABASE_DOWN_MESSAGE)

    return guarded


def _page(handler: Handler) -> Handler:
    """Guard a page: 503 when switched off, the login form without a session, CSRF check on POST."""

    @wraps(handler)
    async def guarded(request: Request, **kwargs: str) -> HTTPResponse:
        token = settings.staff_token()
        if token is None:
            return _render("disabled.html", http_status=503, message=DISABLED_MESSAGE)
        nonce = staff_auth.session_nonce(request.cookies.get(staff_auth.SESSION_COOKIE), token)
        if nonce is None:
            return _render("login.html", http_status=401 if request.method == "POST" else 200, error=None)
        request.ctx.csrf = staff_auth.csrf_token(nonce, token)
        if request.method == "POST" and not staff_auth.csrf_matches(request.form.get("csrf"), nonce, token):
            return _render(
                "message.html",
                http_status=403,
                title="Form expired",
                message="This form is out of date (or did not come from the dashboard). Reload and try again.",
                csrf=request.ctx.csrf,
            )
        try:
            return await handler(request, **kwargs)
        except BadInput as error:
            return _render(
                "message.html",
                http_status=error.status,
                title="Cannot do that",
                message=error.message,
                csrf=request.ctx.csrf,
            )
        except SQLAlchemyError:
            logger.exception("staff page: database error")
            return _render(
                "message.html",
                http_status=503,
                title="Database unavailable",
                message=DATABASE_DOWN_MESSAGE,
                csrf=request.ctx.csrf,
            )

    return guarded


async def _transcript(conversation_id: str) -> tuple[list, str | None]:
    try:
        return await asyncio.to_thread(read_transcript, conversation_id), None
    except SQLAlchemyError:
        logger.exception("staff: could not read the tracker store")
        return [], "The conversation store cannot be reached, so the transcript is not available right now."
    except settings.SettingError as error:
        logger.error("staff: the tracker store is misconfigured: %s", error)
        return [], f"The transcript is not available: {error}."


def _note_text(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise BadInput(400, "a note needs some text")
    if len(raw) > MAX_NOTE_CHARS:
        raise BadInput(413, f"a note can be at most {MAX_NOTE_CHARS} characters (this one has {len(raw)})")
    return raw


def _json_body(request: Request) -> dict:
    try:
        body = request.json
    except Exception:  # Sanic raises its own InvalidUsage for malformed JSON
        raise BadInput(400, "the request body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadInput(400, "the request body must be a JSON object")
    return body


def create_staff_blueprint(throttle: LoginThrottle | None = None) -> Blueprint:
    """The staff area: dashboard pages at /staff, JSON API under /staff/api/ (see module docstring).

    ``throttle`` counts wrong staff tokens (a new one by default).
    """
    bp = Blueprint("staff", url_prefix="/staff", strict_slashes=False)
    throttle = throttle or LoginThrottle()

    def api(handler: Handler, allow_session: bool = False) -> Handler:
        return _api(handler, throttle, allow_session)

    @bp.middleware("response")
    async def private_headers(request: Request, resp: HTTPResponse) -> None:
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")

    # ---- pages -------------------------------------------------------------------------------------

    @bp.get("")
    @_page
    async def tickets_page(request: Request) -> HTTPResponse:
        tag, status = parse_filters(request, default_status="active")
        tickets = await asyncio.to_thread(casework.list_tickets, tag, STATUS_FILTERS[status])
        tags = await asyncio.to_thread(casework.ticket_tags)
        return _render(
            "tickets.html",
            tickets=tickets,
            tags=tags,
            tag=tag,
            status=status,
            status_filters=STATUS_FILTERS,
            csrf=request.ctx.csrf,
        )

    @bp.get("/tickets/<ticket_id>")
    @_page
    async def ticket_page(request: Request, ticket_id: str) -> HTTPResponse:
        ticket = await asyncio.to_thread(casework.get_ticket, parse_ticket_id(ticket_id))
        if ticket is None:
            raise BadInput(404, f"there is no ticket {ticket_id}")
        transcript, transcript_error = await _transcript(ticket.conversation_id)
        return _render(
            "ticket.html",
            ticket=ticket,
            transcript=transcript,
            transcript_error=transcript_error,
            csrf=request.ctx.csrf,
        )

    @bp.post("/tickets/<ticket_id>/status")
    @_page
    async def ticket_status_form(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        ticket = await asyncio.to_thread(casework.set_status, number, parse_status(request.form.get("status")))
        if ticket is None:
            raise BadInput(404, f"there is no ticket {number}")
        return response.redirect(f"/staff/tickets/{number}", status=303)

    @bp.post("/tickets/<ticket_id>/notes")
    @_page
    async def ticket_note_form(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        note = await asyncio.to_thread(casework.add_note, number, _note_text(request.form.get("text")))
        if note is None:
            raise BadInput(404, f"there is no ticket {number}")
        return response.redirect(f"/staff/tickets/{number}", status=303)

    @bp.get("/gaps")
    @_page
    async def gaps_page(request: Request) -> HTTPResponse:
        gaps = await asyncio.to_thread(casework.list_gaps)
        return _render("gaps.html", gaps=gaps, csrf=request.ctx.csrf)

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        token = settings.staff_token()
        if token is None:
            return _render("disabled.html", http_status=503, message=DISABLED_MESSAGE)
        client = client_address(request)
        if (wait := throttle.retry_after(client)) is not None:
            resp = _render("login.html", http_status=429, error=_too_many_tries(wait).capitalize() + ".")
            resp.headers["Retry-After"] = str(wait)
            return resp
        if not staff_auth.token_matches(request.form.get("token"), token):
            throttle.failed(client)
            return _render("login.html", http_status=401, error="That staff token is not right.")
        throttle.succeeded(client)
        resp = response.redirect("/staff", status=303)
        _set_session_cookie(request, resp, staff_auth.new_session(token), staff_auth.SESSION_SECONDS)
        return resp

    @bp.post("/logout")
    @_page
    async def logout(request: Request) -> HTTPResponse:
        resp = response.redirect("/staff", status=303)
        _set_session_cookie(request, resp, "", 0)
        return resp

    @bp.get("/staff.css")
    async def stylesheet(_: Request) -> HTTPResponse:
        return await response.file(str(STATIC_DIR / "staff.css"), mime_type="text/css")

    # ---- JSON API ----------------------------------------------------------------------------------

    @bp.get("/api/tickets")
    @api
    async def api_tickets(request: Request) -> HTTPResponse:
        tag, status = parse_filters(request, default_status="all")
        tickets = await asyncio.to_thread(casework.list_tickets, tag, STATUS_FILTERS[status])
        return response.json({"tickets": [ticket.as_dict() for ticket in tickets]})

    @bp.get("/api/tickets/<ticket_id>")
    @api
    async def api_ticket(request: Request, ticket_id: str) -> HTTPResponse:
        ticket = await asyncio.to_thread(casework.get_ticket, parse_ticket_id(ticket_id))
        if ticket is None:
            raise BadInput(404, f"there is no ticket {ticket_id}")
        transcript, transcript_error = await _transcript(ticket.conversation_id)
        data = ticket.as_dict(with_notes=True)
        data["transcript"] = [line.as_dict() for line in transcript]
        data["transcript_error"] = transcript_error
        return response.json(data)

    @bp.route("/api/tickets/<ticket_id>", methods=["PATCH"])
    @api
    async def api_patch_ticket(request: Request, ticket_id: str) -> HTTPResponse:
        return await _api_set_status(request, ticket_id)

    @bp.post("/api/tickets/<ticket_id>/status")
    @api
    async def api_post_status(request: Request, ticket_id: str) -> HTTPResponse:
        return await _api_set_status(request, ticket_id)

    @bp.post("/api/tickets/<ticket_id>/notes")
    @api
    async def api_add_note(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        note = await asyncio.to_thread(casework.add_note, number, _note_text(_json_body(request).get("text")))
        if note is None:
            raise BadInput(404, f"there is no ticket {number}")
        return response.json(note.as_dict(), status=201)

    @bp.get("/api/gaps")
    @api
    async def api_gaps(request: Request) -> HTTPResponse:
        gaps = await asyncio.to_thread(casework.list_gaps)
        return response.json({"gaps": [gap.as_dict() for gap in gaps]})

    async def tickets_export(request: Request) -> HTTPResponse:
        tag, status = parse_filters(request, default_status="all")
        tickets = await asyncio.to_thread(casework.list_tickets, tag, STATUS_FILTERS[status], 100_000)
        return _csv_response(export.tickets_csv(tickets), "tickets.csv")

    async def gaps_export(request: Request) -> HTTPResponse:
        gaps = await asyncio.to_thread(casework.list_gaps, 100_000)
        return _csv_response(export.gaps_csv(gaps), "knowledge-gaps.csv")

    # CSV downloads are read-only, so the page's session cookie works for them as well as the token.
    bp.add_route(api(tickets_export, allow_session=True), "/api/tickets.csv", methods=["GET"])
    bp.add_route(api(gaps_export, allow_session=True), "/api/gaps.csv", methods=["GET"])
    return bp


async def _api_set_status(request: Request, ticket_id: str) -> HTTPResponse:
    number = parse_ticket_id(ticket_id)
    status = parse_status(_json_body(request).get("status"))
    ticket = await asyncio.to_thread(casework.set_status, number, status)
    if ticket is None:
        raise BadInput(404, f"there is no ticket {number}")
    return response.json(ticket.as_dict(with_notes=True))


def _set_session_cookie(request: Request, resp: HTTPResponse, value: str, max_age: int) -> None:
    resp.cookies[staff_auth.SESSION_COOKIE] = value
    cookie = resp.cookies[staff_auth.SESSION_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/staff"
    cookie["max-age"] = max_age
    if request.scheme == "https":
        cookie["secure"] = True
