"""The staff dashboard (pages under /staff) and its JSON API (/staff/api/), as one Sanic blueprint.

Switched off (503 everywhere) until STAFF_TOKEN is set (and refused if it is shorter than 32
characters). The API takes ``Authorization: Bearer <STAFF_TOKEN>``; the pages use a login form that
starts a server-side session (bot/triage/staff_sessions.py) held in a signed, HttpOnly,
SameSite=Strict cookie (Secure over HTTPS, including behind a proxy Sanic is told to trust), and
every form carries a CSRF token tied to that session. Wrong tokens make further tries from the same
address wait (bot/triage/login_throttle.py). Pages are rendered server-side with autoescaping and
load one script file (static/staff.js: live updates and notifications; no inline script is allowed by the
page policy), so text people typed is always shown as text.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.triage import agents, casework, corrections, export, replies, settings, staff_auth, staff_sessions
from bot.triage.agent_pages import add_agent_routes
from bot.triage.chat_pages import add_chat_routes
from bot.triage.gap_pages import add_gap_routes
from bot.triage.live import TicketFeed
from bot.triage.live_pages import add_live_routes
from bot.triage.login_throttle import LoginThrottle
from bot.triage.models import MAX_NOTE_CHARS, TicketStatus, Urgency
from bot.triage.queue_pages import add_queue_routes, back_link, csv_response
from bot.triage.staff_access import (
    DATABASE_DOWN_MESSAGE,
    STATIC_DIR,
    BadInput,
    Handler,
    api_guard,
    client_address,
    configured_token,
    login_page,
    page,
    page_guard,
    render,
    set_session_cookie,
    token_checked,
)
from bot.triage.transcript import ChatState, emails_after_handoff_offer, read_chat_state, read_transcript

logger = logging.getLogger(__name__)

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_TICKET_ID = re.compile(r"[0-9]{1,12}")
#: Channels a message can reach the person on after they wrote (the REST channel answers only in its request).
CHAT_CHANNELS = frozenset({"socketio", "twilio", "telegram", "slack", "facebook"})



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


async def _transcript(conversation_id: str) -> tuple[list, str | None]:
    try:
        return await asyncio.to_thread(read_transcript, conversation_id), None
    except SQLAlchemyError:
        logger.exception("staff: could not read the tracker store")
        return [], "The conversation store cannot be reached, so the transcript is not available right now."
    except settings.SettingError as error:
        logger.error("staff: the tracker store is misconfigured: %s", error)
        return [], f"The transcript is not available: {error}."


async def _chat_state(conversation_id: str) -> ChatState:
    try:
        return await asyncio.to_thread(read_chat_state, conversation_id)
    except (SQLAlchemyError, settings.SettingError):
        logger.exception("staff: could not read the conversation's state")
        return ChatState(None, None)


async def _change_ticket(request: Request, ticket_id: str, change: Callable[[int], Any]) -> HTTPResponse:
    """Run one casework change on a ticket off the event loop: a refused value is 400, no ticket 404, else
    back to the ticket page (what every ticket form does)."""
    number = parse_ticket_id(ticket_id)
    try:
        changed = await asyncio.to_thread(change, number)
    except ValueError as error:
        raise BadInput(400, str(error)) from None
    if changed is None:
        raise BadInput(404, f"there is no ticket {number}")
    return _back_to_ticket(request, number)


def _back_to_ticket(request: Request, number: int) -> HTTPResponse:
    """After a form on a ticket: the ticket again, still knowing which list the agent came from."""
    back_query = back_link(request.form.get("back"))[1]
    suffix = f"?{urlencode({'back': back_query})}" if back_query else ""
    return response.redirect(f"/staff/tickets/{number}{suffix}", status=303)


class _LoginRefused(Exception):
    """A sign-in form that does not start a session; the message is shown on the form."""


def _assignee(request: Request) -> int | None:
    """The agent a form assigns a ticket to: "me", "" (nobody) or an account id."""
    raw = (request.form.get("agent") or "").strip()
    if raw == "me":
        if request.ctx.agent is None:
            raise BadInput(400, "sign in with your own account to take tickets")
        return request.ctx.agent.id
    if not raw:
        return None
    if not _TICKET_ID.fullmatch(raw):
        raise BadInput(400, f"agent must be 'me', empty or an account number, got {raw[:40]!r}")
    return int(raw)


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

    async def _signed_in_agent(request: Request, token: str) -> int | None:
        """Whose session a sign-in form starts: the account whose email and password match; or, while
        no account exists, nobody's (the staff token, to create the first admin). Wrong answers from
        one address are throttled alike."""
        client = client_address(request)
        given_token = request.form.get("token")
        if given_token is not None:
            if await asyncio.to_thread(agents.any_agents):
                raise _LoginRefused("Sign in with your own account; the staff token only creates the first admin.")
            if not await token_checked(throttle, client, lambda: staff_auth.token_matches(given_token, token)):
                raise _LoginRefused("That staff token is not right.")
            return None
        email, password = request.form.get("email"), request.form.get("password")
        found: list[agents.AgentView | None] = []
        async with throttle.turn(client):
            found.append(await asyncio.to_thread(agents.authenticate, email, password))
            (throttle.succeeded if found[0] else throttle.failed)(client)
        if found[0] is None:
            raise _LoginRefused("That email and password do not match an active account.")
        return found[0].id

    add_agent_routes(bp)
    add_chat_routes(bp, parse_ticket_id, _back_to_ticket, api)

    # ---- pages -------------------------------------------------------------------------------------

    @bp.get("/tickets/<ticket_id>")
    @page_guard
    async def ticket_page(request: Request, ticket_id: str) -> HTTPResponse:
        ticket = await asyncio.to_thread(casework.get_ticket, parse_ticket_id(ticket_id))
        if ticket is None:
            raise BadInput(404, f"there is no ticket {ticket_id}")
        transcript, transcript_error = await _transcript(ticket.conversation_id)
        staff = await asyncio.to_thread(agents.list_agents)
        back = back_link(request.args.get("back"))
        offers = [] if ticket.contact_email else emails_after_handoff_offer(transcript)
        related = await asyncio.to_thread(casework.related_tickets, ticket)
        chat = await _chat_state(ticket.conversation_id)
        return page(request, "ticket.html", ticket=ticket, transcript=transcript, transcript_error=transcript_error,
                    agents=[agent for agent in staff if agent.active], back=back[0], back_query=back[1],
                    email_offers=offers, related=related, chat=chat,
                    chat_reachable=chat.channel in CHAT_CHANNELS,
                    last_event_id=max((line.event_id for line in transcript), default=0))

    @bp.post("/tickets/<ticket_id>/contact")
    @page_guard
    async def ticket_contact_form(request: Request, ticket_id: str) -> HTTPResponse:
        email, actor = request.form.get("email") or "", request.ctx.actor
        return await _change_ticket(request, ticket_id, lambda number: casework.set_contact(number, email, actor))

    @bp.post("/tickets/<ticket_id>/status")
    @page_guard
    async def ticket_status_form(request: Request, ticket_id: str) -> HTTPResponse:
        status, actor = parse_status(request.form.get("status")), request.ctx.actor
        return await _change_ticket(request, ticket_id, lambda number: casework.set_status(number, status, actor))

    @bp.post("/tickets/<ticket_id>/notes")
    @page_guard
    async def ticket_note_form(request: Request, ticket_id: str) -> HTTPResponse:
        text, actor = _note_text(request.form.get("text")), request.ctx.actor
        return await _change_ticket(request, ticket_id, lambda number: casework.add_note(number, text, actor))

    @bp.post("/tickets/<ticket_id>/reply")
    @page_guard
    async def ticket_reply_form(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        try:
            found = await asyncio.to_thread(replies.reply_by_email, number, request.form.get("text"),
                                            request.ctx.actor)
        except replies.ReplyError as error:
            raise BadInput(error.status, str(error)) from None
        if not found:
            raise BadInput(404, f"there is no ticket {number}")
        return _back_to_ticket(request, number)

    @bp.post("/tickets/<ticket_id>/assign")
    @page_guard
    async def ticket_assign_form(request: Request, ticket_id: str) -> HTTPResponse:
        assignee, actor = _assignee(request), request.ctx.actor
        return await _change_ticket(request, ticket_id, lambda number: casework.assign(number, assignee, actor))

    @bp.post("/tickets/<ticket_id>/urgency")
    @page_guard
    async def ticket_urgency_form(request: Request, ticket_id: str) -> HTTPResponse:
        number, form = parse_ticket_id(ticket_id), request.form
        try:
            urgency = Urgency(form.get("urgency"))
        except ValueError:
            raise BadInput(400, "urgency must be one of urgent, high, normal") from None
        try:
            ticket = await asyncio.to_thread(corrections.correct_urgency, number, urgency, form.get("reason"),
                                             request.ctx.actor, form.get("corpus_text"), form.get("kind") or None,
                                             form.get("lang"))
        except corrections.CorrectionError as error:
            raise BadInput(400, str(error)) from None
        if ticket is None:
            raise BadInput(404, f"there is no ticket {number}")
        return _back_to_ticket(request, number)

    @bp.post("/tickets/<ticket_id>/tags")
    @page_guard
    async def ticket_tags_form(request: Request, ticket_id: str) -> HTTPResponse:
        number = parse_ticket_id(ticket_id)
        try:
            ticket = await asyncio.to_thread(corrections.correct_tags, number, request.form.get("tags") or "",
                                             request.form.get("reason"), request.ctx.actor)
        except corrections.CorrectionError as error:
            raise BadInput(400, str(error)) from None
        if ticket is None:
            raise BadInput(404, f"there is no ticket {number}")
        return _back_to_ticket(request, number)

    add_gap_routes(bp, _transcript)
    add_live_routes(bp, TicketFeed())

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        token, closed = configured_token()
        if token is None:
            return render("disabled.html", http_status=503, message=closed)
        try:
            agent_id = await _signed_in_agent(request, token)
        except _LoginRefused as refused:
            return await login_page(401, str(refused))
        try:
            cookie = await asyncio.to_thread(staff_sessions.sign_in, token, agent_id)
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
        chat = await _chat_state(ticket.conversation_id)
        data["chat"] = {"human_agent": chat.human_agent, "channel": chat.channel,
                        "reachable": chat.channel in CHAT_CHANNELS}
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
        note = await asyncio.to_thread(casework.add_note, number, _note_text(_json_body(request).get("text")),
                                       request.ctx.actor)
        if note is None:
            raise BadInput(404, f"there is no ticket {number}")
        return response.json(note.as_dict(), status=201)

    async def gaps_export(request: Request) -> HTTPResponse:
        gaps = await asyncio.to_thread(casework.list_gaps, 100_000)
        return csv_response(export.gaps_csv(gaps), "knowledge-gaps.csv")

    @bp.get("/api/gaps")
    @api
    async def api_gaps(request: Request) -> HTTPResponse:
        gaps = await asyncio.to_thread(casework.list_gaps)
        return response.json({"gaps": [gap.as_dict() for gap in gaps]})

    bp.add_route(api(gaps_export, allow_session=True), "/api/gaps.csv", methods=["GET"])
    add_queue_routes(bp, api)
    return bp


async def _api_set_status(request: Request, ticket_id: str) -> HTTPResponse:
    number = parse_ticket_id(ticket_id)
    status = parse_status(_json_body(request).get("status"))
    ticket = await asyncio.to_thread(casework.set_status, number, status)
    if ticket is None:
        raise BadInput(404, f"there is no ticket {number}")
    return response.json(ticket.as_dict(with_notes=True))
