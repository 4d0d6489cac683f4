"""Live updates for the dashboard: one poller per web process watches the tickets table and fans each
change out to the agents' open pages (server-sent events, /staff/events), and alerts (alerts.py) about
new urgent tickets.

Polling the database rather than hooking the writers keeps it right with several web processes and an
action server writing from elsewhere: every process sees every change. Messages carry ticket numbers,
urgency, status and the assistant's reason, never what the person wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings, current_settings
from bot.triage import alerts, settings
from bot.triage.db import triage_session
from bot.triage.models import Ticket, Urgency, utcnow

logger = logging.getLogger(__name__)
DEFAULT_POLL_SECONDS = Settings.staff_live_poll_seconds
#: Rows written this long before the last poll are read again (writers' clocks and commits lag a little).
_OVERLAP = dt.timedelta(seconds=5)
#: A ticket created this long before the feed started is not "new" (no alerts for old work on a restart).
_NEW_GRACE = dt.timedelta(minutes=10)
_QUEUE_SIZE = 200


def poll_seconds() -> float:
    """How often the feed looks for changes (env STAFF_LIVE_POLL_SECONDS, 1)."""
    return min(max(current_settings().staff_live_poll_seconds, 0.1), 60.0)


def _changes_since(since: dt.datetime) -> list[dict]:
    query = (sa.select(Ticket.id, Ticket.urgency, Ticket.status, Ticket.reason, Ticket.created_at, Ticket.updated_at,
                       Ticket.alerted_at)
             .where(Ticket.updated_at >= since).order_by(Ticket.updated_at, Ticket.id).limit(1000))
    with triage_session() as session:
        return [{"id": row.id, "urgency": row.urgency.value, "status": row.status.value, "reason": row.reason,
                 "created_at": row.created_at, "updated_at": row.updated_at, "alerted": row.alerted_at is not None}
                for row in session.execute(query)]


class TicketFeed:
    """Ticket changes for the open dashboard pages of this process, plus alerts for new urgent tickets."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue] = set()
        self._task: asyncio.Task | None = None
        self._started = utcnow()
        self._watermark = self._started
        # (ticket id, created at) -> last updated at: ids alone can come back (a test database, a restore).
        self._seen: dict[tuple[int, dt.datetime], dt.datetime] = {}

    def start(self) -> None:
        """Start polling on the running loop (the web server calls it once it listens)."""
        if self._task is None or self._task.done():
            self._started = self._watermark = utcnow()
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @contextlib.asynccontextmanager
    async def subscription(self) -> AsyncIterator[asyncio.Queue]:
        """A queue of change events for one open page, for as long as it stays open."""
        self.start()
        queue: asyncio.Queue = asyncio.Queue(maxsize=_QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    async def _run(self) -> None:
        while True:
            try:
                interval = poll_seconds()
                if settings.staff_token():  # the staff area is on: there is someone to tell
                    await self.poll_once()
            except (SQLAlchemyError, settings.SettingError) as error:
                interval = DEFAULT_POLL_SECONDS
                logger.warning("staff live feed: cannot read tickets right now: %s", error)
            except Exception:  # the feed must outlive any one bad poll
                interval = DEFAULT_POLL_SECONDS
                logger.exception("staff live feed: unexpected error")
            await asyncio.sleep(interval)

    async def poll_once(self) -> None:
        """Read the changes since the last poll, tell the open pages, and alert about new urgent tickets."""
        since = self._watermark - _OVERLAP
        rows = await asyncio.to_thread(_changes_since, since)
        for row in rows:
            key = (row["id"], row["created_at"])
            if self._seen.get(key) == row["updated_at"]:
                continue
            new = key not in self._seen and row["created_at"] >= since
            self._seen[key] = row["updated_at"]
            self._watermark = max(self._watermark, row["updated_at"])
            event = {"id": row["id"], "urgency": row["urgency"], "status": row["status"], "reason": row["reason"],
                     "new": new}
            self._publish(event)
            if row["urgency"] == Urgency.URGENT.value and not row["alerted"] and (
                    row["created_at"] >= self._started - _NEW_GRACE):
                await self._alert(row["id"], row["reason"])
        cutoff = self._watermark - dt.timedelta(minutes=5)
        self._seen = {key: at for key, at in self._seen.items() if at >= cutoff}

    def _publish(self, event: dict) -> None:
        for queue in list(self._subscribers):
            if queue.full():  # a page that stopped reading: drop its oldest news rather than block everyone
                queue.get_nowait()
            queue.put_nowait(event)

    async def _alert(self, ticket_id: int, reason: str) -> None:
        config = alerts.alert_settings()
        if not config.any or not await asyncio.to_thread(alerts.claim, ticket_id):
            return
        await asyncio.to_thread(alerts.send, ticket_id, reason, config)
