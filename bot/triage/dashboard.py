"""The staff dashboard (pages under /staff) and its JSON API (/staff/api/), as one Sanic blueprint.

Switched off (503 everywhere) until STAFF_TOKEN is set (and refused if it is shorter than 32
characters). The API takes ``Authorization: Bearer <STAFF_TOKEN>``; the pages use a login form that
starts a server-side session (bot/triage/staff_sessions.py) held in a signed, HttpOnly,
SameSite=Strict cookie (Secure over HTTPS, including behind a proxy Sanic is told to trust), and
every form carries a CSRF token tied to that session. Wrong tokens make further tries from the same
address wait (bot/triage/login_throttle.py). Pages are rendered server-side with autoescaping and
carry no JavaScript, so text people typed is always shown as text.
"""

from __future__ import annotations

import asyncio
import logging
import re

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.triage import casework, export, settings, staff_auth, staff_sessions
from bot.triage.login_throttle import LoginThrottle
from bot.triage.models import MAX_NOTE_CHARS, TicketStatus
from bot.triage.recorder import normalise_tags
from bot.triage.staff_access import (
    DATABASE_DOWN_MESSAGE,
    STATIC_DIR,
    BadInput,
    Handler,
    api_guard,
    client_address,
    configured_token,
    page_guard,
    render,
    set_session_cookie,
    token_checked,
)
from bot.triage.transcript import read_transcript

logger = logging.getLogger(__name__)

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



def _csv_response(body: str, filename: str) -> HTTPResponse:
    return response.text(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )




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
        return api_guard(handler, throttle, allow_session)

    @bp.middleware("response")
    async def private_headers(request: Request, resp: HTTPResponse) -> None:
        resp.headers["Cache-Control"] = "no-store"
        # Assigned, not defaulted: the web server's own middleware may have set a laxer policy first.
        resp.headers["X-Frame-Options"] = "DENY"  # for browsers that ignore CSP frame-ancestors
        resp.headers["Content-Security-Policy"] = PAGE_POLICY
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"

    # ---- pages -------------------------------------------------------------------------------------

    @bp.get("")
    @page_guard
    async def tickets_page(request: Request) -> HTTPResponse:
        tag, status = parse_filters(request, default_status="active")
        tickets = await asyncio.to_thread(casework.list_tickets, tag, STATUS_FILTERS[status])
        tags = await asyncio.to_thread(casework.ticket_tags)
        return render(
            "tickets.html",
            tickets=tickets,
            tags=tags,
            tag=tag,
            status=status,
            status_filters=STATUS_FILTERS,
            csrf=request.ctx.csrf,
        )

    @bp.get("/tickets/<ticket_id>")
    @page_guard
    async def ticket_page(request: Request, ticket_id: str) -> HTTPResponse:
        ticket = await asyncio.to_thread(casework.get_ticket, parse_ticket_id(ticket_id))
        if ticket is None:
            raise BadInput(404, f"there is no ticket {ticket_id}")
        transcript, transcript_error = await _transcript(ticket.conversation_id)
        return render(
            "ticket.html",
            ticket=ticket,
            transcript=transcript,
            transcript_error=transcript_error,
            csrf=request.ctx.csrf,
        )

    @bp.post("/tickets/<ticket_id>/status")
    @page_guard
    async def ticket_status_form(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        ticket = await asyncio.to_thread(casework.set_status, number, parse_status(request.form.get("status")))
        if ticket is None:
            raise BadInput(404, f"there is no ticket {number}")
        return response.redirect(f"/staff/tickets/{number}", status=303)

    @bp.post("/tickets/<ticket_id>/notes")
    @page_guard
    async def ticket_note_form(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        note = await asyncio.to_thread(casework.add_note, number, _note_text(request.form.get("text")))
        if note is None:
            raise BadInput(404, f"there is no ticket {number}")
        return response.redirect(f"/staff/tickets/{number}", status=303)

    @bp.get("/gaps")
    @page_guard
    async def gaps_page(request: Request) -> HTTPResponse:
        gaps = await asyncio.to_thread(casework.list_gaps)
        return render("gaps.html", gaps=gaps, csrf=request.ctx.csrf)

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        token, closed = configured_token()
        if token is None:
            return render("disabled.html", http_status=503, message=closed)
        given = request.form.get("token")
        if not await token_checked(throttle, client_address(request), lambda: staff_auth.token_matches(given, token)):
            return render("login.html", http_status=401, error="That staff token is not right.")
        try:
            cookie = await asyncio.to_thread(staff_sessions.sign_in, token)
        except SQLAlchemyError:
            logger.exception("staff login: database error")
            return render("disabled.html", http_status=503, message=DATABASE_DOWN_MESSAGE)
        resp = response.redirect("/staff", status=303)
        set_session_cookie(request, resp, cookie, staff_sessions.max_age_seconds())
        return resp

    @bp.post("/logout")
    @page_guard
    async def logout(request: Request) -> HTTPResponse:
        # Ended on the server: the same cookie, replayed, is refused from now on.
        await asyncio.to_thread(staff_sessions.sign_out, request.cookies.get(staff_auth.SESSION_COOKIE),
                                settings.staff_token() or "")
        resp = response.redirect("/staff", status=303)
        set_session_cookie(request, resp, "", 0)
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
