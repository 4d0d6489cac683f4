"""The ticket page's chat with the person: take over / hand back / write forms, and a live stream of the
conversation (/staff/tickets/<id>/conversation, server-sent events) so that what the person writes appears
on the agent's page as it is stored. The stream reads the tracker store (bot/triage/transcript.py) every
STAFF_LIVE_POLL_SECONDS, only while a ticket page is open: a person's message costs nothing extra.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.triage import casework, live, settings, takeover
from bot.triage.replies import ReplyError
from bot.triage.staff_access import BadInput, Handler, page_guard
from bot.triage.transcript import read_transcript

logger = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 15.0


def add_chat_routes(bp: Blueprint, parse_ticket_id: Callable[[str], int],
                    back_to_ticket: Callable[[Request, int], HTTPResponse], api: Callable[[Handler], Handler]) -> None:
    """Mount the chat forms, their JSON API twins (POST /staff/api/tickets/<id>/takeover, /handback and
    /chat {"text"}, bearer token, optional {"agent": the name the person sees}) and the conversation
    stream on the staff blueprint."""

    async def run(request: Request, ticket_id: str, action: str, text: object,
                  shown_as: str | None = None) -> tuple[int, dict]:
        number = parse_ticket_id(ticket_id)
        try:
            done = await asyncio.to_thread(takeover.act_in_chat, number, action, request.ctx.actor, text, shown_as)
        except ReplyError as error:
            raise BadInput(error.status, str(error)) from None
        if done is None:
            raise BadInput(404, f"there is no ticket {number}")
        return number, done

    async def act(request: Request, ticket_id: str, action: str, text: object = None) -> HTTPResponse:
        number, _ = await run(request, ticket_id, action, text)
        return back_to_ticket(request, number)

    async def api_act(request: Request, ticket_id: str) -> HTTPResponse:
        action = request.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            body = request.json if request.body else {}
        except Exception:  # Sanic's own InvalidUsage for malformed JSON
            body = None
        if not isinstance(body, dict):
            raise BadInput(400, "the request body must be a JSON object")
        agent = body.get("agent")  # the staff token acts for someone: the name the person sees
        if agent is not None and not isinstance(agent, str):
            raise BadInput(400, "'agent' must be the display name the person sees")
        _, done = await run(request, ticket_id, action, body.get("text"), agent)
        return response.json(done)

    for action in ("takeover", "handback", "chat"):
        bp.add_route(api(api_act), f"/api/tickets/<ticket_id>/{action}", methods=["POST"],
                     name=f"api_ticket_{action}")

    @bp.post("/tickets/<ticket_id>/takeover")
    @page_guard
    async def take_over_form(request: Request, ticket_id: str) -> HTTPResponse:
        return await act(request, ticket_id, "takeover")

    @bp.post("/tickets/<ticket_id>/handback")
    @page_guard
    async def hand_back_form(request: Request, ticket_id: str) -> HTTPResponse:
        return await act(request, ticket_id, "handback")

    @bp.post("/tickets/<ticket_id>/chat")
    @page_guard
    async def chat_form(request: Request, ticket_id: str) -> HTTPResponse:
        return await act(request, ticket_id, "chat", request.form.get("text"))

    @bp.get("/tickets/<ticket_id>/conversation")
    @page_guard
    async def conversation_stream(request: Request, ticket_id: str) -> HTTPResponse | None:
        number = parse_ticket_id(ticket_id)
        ticket = await asyncio.to_thread(casework.get_ticket, number)
        if ticket is None:
            raise BadInput(404, f"there is no ticket {number}")
        raw_after = request.args.get("after", "0")
        after = int(raw_after) if raw_after.isdigit() and len(raw_after) < 19 else 0
        resumed_from = request.headers.get("last-event-id", "")  # the browser reconnecting after a drop
        if resumed_from.isdigit() and len(resumed_from) < 19:
            after = max(after, int(resumed_from))
        stream = await request.respond(content_type="text/event-stream; charset=utf-8",
                                       headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
        await stream.send("retry: 3000\n: connected\n\n")
        quiet = 0.0
        while True:
            interval = live.poll_seconds()
            try:
                lines = await asyncio.to_thread(read_transcript, ticket.conversation_id, None, after)
            except (SQLAlchemyError, settings.SettingError) as error:
                logger.warning("staff conversation stream: cannot read the tracker store: %s", error)
                lines = []
            for line in lines:
                after = max(after, line.event_id)
                await stream.send(f"event: line\nid: {line.event_id}\ndata: {json.dumps(line.as_dict())}\n\n")
            quiet = 0.0 if lines else quiet + interval
            if quiet >= KEEP_ALIVE_SECONDS:
                await stream.send(": keep-alive\n\n")
                quiet = 0.0
            await asyncio.sleep(interval)
        return None
