"""Knowledge-gap pages: the ranking (/staff/gaps) with each gap's conversations, marking a gap handled,
turning one into a ticket, and one conversation in full (/staff/conversation?id=...)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.triage import casework, gaps
from bot.triage.models import MAX_CONVERSATION_ID_CHARS, Urgency
from bot.triage.recorder import open_ticket
from bot.triage.staff_access import BadInput, page, page_guard

GAP_VIEWS = {"open": False, "handled": True, "all": None}


def _gap_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12 or int(raw) == 0:
        raise BadInput(400, "a knowledge gap's number is a positive whole number")
    return int(raw)


def add_gap_routes(bp: Blueprint, transcript: Callable[[str], Awaitable[tuple[list, str | None]]]) -> None:
    """Mount the gap and conversation pages; ``transcript`` reads a conversation's messages."""

    @bp.get("/gaps")
    @page_guard
    async def gaps_page(request: Request) -> HTTPResponse:
        show = request.args.get("show", "open")
        if show not in GAP_VIEWS:
            raise BadInput(400, f"show must be one of {', '.join(GAP_VIEWS)}")
        found = await asyncio.to_thread(gaps.list_gaps, 500, GAP_VIEWS[show])
        return page(request, "gaps.html", gaps=found, show=show, gap_views=list(GAP_VIEWS))

    @bp.post("/gaps/<gap_id>/handled")
    @page_guard
    async def gap_handled_form(request: Request, gap_id: str) -> HTTPResponse:
        number = _gap_id(gap_id)
        try:
            found = await asyncio.to_thread(gaps.mark_handled, number, request.form.get("note") or "",
                                            request.ctx.actor.name)
        except ValueError as error:
            raise BadInput(413, str(error)) from None
        if not found:
            raise BadInput(404, f"there is no knowledge gap {number}")
        return response.redirect("/staff/gaps", status=303)

    @bp.post("/gaps/<gap_id>/ticket")
    @page_guard
    async def gap_ticket_form(request: Request, gap_id: str) -> HTTPResponse:
        number = _gap_id(gap_id)
        latest = await asyncio.to_thread(gaps.latest_occurrence, number)
        if latest is None:
            raise BadInput(404, f"there is no knowledge gap {number}")
        conversation_id, question, ingredient = latest
        ticket_id = await open_ticket(conversation_id, urgency=Urgency.NORMAL, kind="knowledge_gap",
                                      reason=f"Knowledge gap: {ingredient or 'unanswered question'}",
                                      question=question, tags=["knowledge_gap"])
        await asyncio.to_thread(casework.note_event, ticket_id, request.ctx.actor, "created",
                                f"made from knowledge gap {number}")
        return response.redirect(f"/staff/tickets/{ticket_id}", status=303)

    @bp.get("/conversation")
    @page_guard
    async def conversation_page(request: Request) -> HTTPResponse:
        conversation_id = request.args.get("id", "")
        if not conversation_id or len(conversation_id) > MAX_CONVERSATION_ID_CHARS:
            raise BadInput(400, "which conversation? give its id as ?id=...")
        lines, error = await transcript(conversation_id)
        tickets = await asyncio.to_thread(casework.conversation_tickets, conversation_id)
        topics = await asyncio.to_thread(casework.conversation_topics, conversation_id)
        return page(request, "conversation.html", conversation_id=conversation_id, transcript=lines,
                    transcript_error=error, tickets=tickets, topics=topics)
