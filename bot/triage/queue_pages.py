"""The queue's page (/staff), its bulk status change, the JSON list and the CSV export: one set of
filters (queue.QueueQuery) for all of them, kept in links so "back" returns to the same list."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import parse_qsl

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.triage import casework, export, queue
from bot.triage.models import TicketStatus
from bot.triage.settings import SettingError
from bot.triage.staff_access import BadInput, Handler, page, page_guard

MAX_BULK = 500


def csv_response(body: str, filename: str) -> HTTPResponse:
    """A CSV download."""
    return response.text(body, content_type="text/csv; charset=utf-8",
                         headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def back_link(raw: str | None) -> tuple[str, str]:
    """Where "back to the list" goes: the list with the filters in ``raw`` (a query string), re-parsed so
    nothing but the queue's own filters can ride along; the plain list when they do not parse."""
    try:
        query = queue.QueueQuery.parse(dict(parse_qsl(raw or "", max_num_fields=20)))
    except (queue.QueryError, ValueError):
        return "/staff", ""
    query_string = query.query_string()
    return (f"/staff?{query_string}" if query_string else "/staff"), query_string


def parse_query(request: Request, default_status: str, per_page: int = 50) -> queue.QueueQuery:
    """The queue filters of a request, or ``BadInput(400)`` naming the one that is wrong."""
    try:
        return queue.QueueQuery.parse(request.args, default_status, per_page)
    except queue.QueryError as error:
        raise BadInput(400, str(error)) from None


def _agent_id(request: Request) -> int | None:
    agent = getattr(request.ctx, "agent", None)
    return agent.id if agent is not None else None


async def _queue(request: Request, query: queue.QueueQuery, everything: bool = False) -> queue.QueuePage:
    try:
        return await asyncio.to_thread(queue.list_queue, query, _agent_id(request), everything)
    except queue.QueryError as error:
        raise BadInput(400, str(error)) from None
    except SettingError as error:  # a TICKET_TARGET_* an operator mistyped
        raise BadInput(503, f"the queue cannot compute targets: {error}") from None


def add_queue_routes(bp: Blueprint, api: Callable[..., Handler]) -> None:
    """Mount the queue page, the bulk form, ``/api/tickets`` and ``/api/tickets.csv``."""

    @bp.get("")
    @page_guard
    async def tickets_page(request: Request) -> HTTPResponse:
        query = parse_query(request, "active")
        result = await _queue(request, query)
        tags = await asyncio.to_thread(casework.ticket_tags)
        return page(request, "tickets.html", result=result, query=query, tags=tags,
                    status_filters=queue.STATUS_FILTERS, assigned_filters=queue.ASSIGNED_FILTERS,
                    sorts={key: label for key, (label, _) in queue.SORTS.items()},
                    per_page_choices=queue.PER_PAGE_CHOICES)

    @bp.post("/tickets/bulk-status")
    @page_guard
    async def bulk_status_form(request: Request) -> HTTPResponse:
        raw_ids = request.form.getlist("ids") or []
        if not raw_ids:
            raise BadInput(400, "tick at least one ticket first")
        if len(raw_ids) > MAX_BULK or not all(raw.isdigit() and len(raw) <= 12 for raw in raw_ids):
            raise BadInput(400, f"choose between 1 and {MAX_BULK} tickets by their numbers")
        try:
            status = TicketStatus(request.form.get("status"))
        except ValueError:
            raise BadInput(400, "status must be one of open, in_progress, resolved") from None
        await asyncio.to_thread(casework.set_status_of_many, [int(raw) for raw in raw_ids], status,
                                request.ctx.actor)
        return response.redirect(back_link(request.form.get("back"))[0], status=303)

    async def api_tickets(request: Request) -> HTTPResponse:
        query = parse_query(request, "all", per_page=100)
        result = await _queue(request, query)
        return response.json({"tickets": [row.as_dict() for row in result.rows], "total": result.total,
                              "page": result.page, "pages": result.pages, "by_urgency": result.by_urgency})

    async def tickets_export(request: Request) -> HTTPResponse:
        result = await _queue(request, parse_query(request, "all"), everything=True)
        return csv_response(export.tickets_csv(row.ticket for row in result.rows), "tickets.csv")

    bp.add_route(api(api_tickets), "/api/tickets", methods=["GET"])
    # CSV downloads are read-only, so the page's session cookie works for them as well as the token.
    bp.add_route(api(tickets_export, allow_session=True), "/api/tickets.csv", methods=["GET"])
