"""The dashboard's live channel: /staff/events streams ticket changes to signed-in pages as server-sent
events (static/staff.js turns them into fresh lists, notifications and a sound)."""

from __future__ import annotations

import asyncio
import json

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.triage.live import TicketFeed
from bot.triage.staff_access import STATIC_DIR, page_guard

KEEP_ALIVE_SECONDS = 15.0


def add_live_routes(bp: Blueprint, feed: TicketFeed) -> None:
    """Mount /staff/events and /staff/staff.js, and run ``feed`` while the server runs."""

    @bp.listener("after_server_start")
    async def start_feed(app: object, loop: object) -> None:
        feed.start()

    @bp.listener("before_server_stop")
    async def stop_feed(app: object, loop: object) -> None:
        await feed.stop()

    @bp.get("/events")
    @page_guard
    async def events(request: Request) -> HTTPResponse | None:
        stream = await request.respond(content_type="text/event-stream; charset=utf-8",
                                       headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
        async with feed.subscription() as queue:
            await stream.send("retry: 3000\n: connected\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except asyncio.TimeoutError:
                    await stream.send(": keep-alive\n\n")
                    continue
                await stream.send(f"event: ticket\ndata: {json.dumps(event)}\n\n")
        return None

    @bp.get("/staff.js")
    async def script(_: Request) -> HTTPResponse:
        from sanic import response

        return await response.file(str(STATIC_DIR / "staff.js"), mime_type="text/javascript")
