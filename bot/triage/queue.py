"""The queue an agent works from: filters, search, sort orders and pages over the tickets, with counts
and each ticket's wait against its target (targets.py).

``QueueQuery`` is parsed from a page's or an export's query string and written back into links, so the
same filters survive opening a ticket, going back, and downloading the CSV.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bot.triage import targets
from bot.triage.casework import TicketView, agent_names, ticket_view
from bot.triage.db import triage_session
from bot.triage.models import Conversation, ConversationTag, Ticket, TicketStatus, Urgency, utcnow
from bot.triage.recorder import normalise_tags
from bot.triage.targets import Waiting

#: Status filters: "active" (open or in progress) is what the page shows by default.
STATUS_FILTERS: dict[str, tuple[TicketStatus, ...]] = {
    "active": (TicketStatus.OPEN, TicketStatus.IN_PROGRESS),
    "open": (TicketStatus.OPEN,),
    "in_progress": (TicketStatus.IN_PROGRESS,),
    "resolved": (TicketStatus.RESOLVED,),
    "all": (),
}
ASSIGNED_FILTERS = {"all": "anyone's", "me": "mine", "unassigned": "unassigned"}
_URGENCY_ORDER = sa.case((Ticket.urgency == Urgency.URGENT, 0), (Ticket.urgency == Urgency.HIGH, 1), else_=2)
SORTS = {
    "urgency": ("most urgent, newest first", (_URGENCY_ORDER, Ticket.created_at.desc(), Ticket.id.desc())),
    "newest": ("newest first", (Ticket.created_at.desc(), Ticket.id.desc())),
    "oldest": ("waiting longest first", (Ticket.created_at, Ticket.id)),
    "updated": ("recently changed first", (Ticket.updated_at.desc(), Ticket.id.desc())),
}
PER_PAGE_CHOICES = (25, 50, 100, 500)
MAX_SEARCH_CHARS = 200


class QueryError(ValueError):
    """A filter the queue cannot use; the message says which and what is allowed."""


def _choice(args: Mapping[str, str], name: str, allowed: Mapping[str, object] | tuple, default: str) -> str:
    value = (args.get(name) or "").strip() or default
    if value not in allowed:
        raise QueryError(f"{name} filter must be one of {', '.join(map(str, allowed))}; got {value[:40]!r}")
    return value


@dataclass(frozen=True)
class QueueQuery:
    """What an agent asked the queue for."""

    status: str = "active"
    tag: str | None = None
    assigned: str = "all"
    search: str = ""
    sort: str = "urgency"
    page: int = 1
    per_page: int = 50

    @classmethod
    def parse(cls, args: Mapping[str, str], default_status: str = "active", per_page: int = 50) -> QueueQuery:
        """From a query string (``QueryError`` for a value it cannot use)."""
        raw_tag = (args.get("tag") or "").strip()
        tag = None
        if raw_tag:
            tags = normalise_tags([raw_tag])
            if not tags or len(raw_tag) > 64:
                raise QueryError("tag must be a topic name such as 'pregnancy' (letters, digits, '_')")
            tag = tags[0]
        search = (args.get("q") or "").strip()
        if len(search) > MAX_SEARCH_CHARS:
            raise QueryError(f"a search can be at most {MAX_SEARCH_CHARS} characters")
        raw_page, raw_size = (args.get("page") or "1").strip(), (args.get("per_page") or str(per_page)).strip()
        if not raw_page.isdigit() or not 1 <= int(raw_page) <= 1_000_000:
            raise QueryError(f"page must be a whole number from 1; got {raw_page[:40]!r}")
        if not raw_size.isdigit() or int(raw_size) not in PER_PAGE_CHOICES:
            raise QueryError(f"per_page must be one of {', '.join(map(str, PER_PAGE_CHOICES))}")
        return cls(status=_choice(args, "status", STATUS_FILTERS, default_status), tag=tag,
                   assigned=_choice(args, "assigned", ASSIGNED_FILTERS, "all"), search=search,
                   sort=_choice(args, "sort", SORTS, "urgency"), page=int(raw_page), per_page=int(raw_size))

    def query_string(self, **changes: object) -> str:
        """This query (with ``changes``) as a query string, defaults left out."""
        query = replace(self, **changes)
        pairs = {"status": query.status, "tag": query.tag or "", "assigned": query.assigned, "q": query.search,
                 "sort": query.sort, "page": str(query.page), "per_page": str(query.per_page)}
        defaults = {"status": "active", "tag": "", "assigned": "all", "q": "", "sort": "urgency", "page": "1",
                    "per_page": "50"}
        return urlencode({k: v for k, v in pairs.items() if v != defaults[k]})


@dataclass(frozen=True)
class QueueRow:
    """A ticket in the queue with its wait."""

    ticket: TicketView
    waiting: Waiting

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form: the ticket's fields and the wait's."""
        return {**self.ticket.as_dict(), **self.waiting.as_dict()}


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and the counts behind it."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    by_urgency: dict[str, int]


def _filtered(query: QueueQuery, agent_id: int | None) -> sa.Select:
    statement = sa.select(Ticket)
    if query.tag:
        tagged = sa.select(ConversationTag.conversation_id).where(ConversationTag.tag == query.tag)
        statement = statement.where(Ticket.conversation_id.in_(tagged))
    if STATUS_FILTERS[query.status]:
        statement = statement.where(Ticket.status.in_(list(STATUS_FILTERS[query.status])))
    if query.assigned == "me":
        if agent_id is None:
            raise QueryError("'assigned to me' needs an agent's own sign-in")
        statement = statement.where(Ticket.assigned_agent_id == agent_id)
    elif query.assigned == "unassigned":
        statement = statement.where(Ticket.assigned_agent_id.is_(None))
    if query.search:
        # LIKE with the wildcards escaped: a search for "50%" finds "50%", not everything.
        needle = "%" + query.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(
            sa.func.lower(Ticket.contact_email).like(needle, escape="\\"),
            sa.func.lower(Ticket.question).like(needle, escape="\\"),
            sa.func.lower(Ticket.reason).like(needle, escape="\\"),
            Ticket.conversation_id == query.search,
        ))
    return statement


def list_queue(query: QueueQuery, agent_id: int | None = None, everything: bool = False) -> QueuePage:
    """One page of tickets matching ``query`` (``everything``: all of them, for exports), with counts.

    ``agent_id`` is whose "assigned to me" it is. Blocking; call it from a worker thread.
    """
    statement = _filtered(query, agent_id)
    matching = statement.subquery()
    counts_query = sa.select(matching.c.urgency, sa.func.count()).group_by(matching.c.urgency)
    listing = statement.options(selectinload(Ticket.conversation).selectinload(Conversation.tags)).order_by(
        *SORTS[query.sort][1])
    with triage_session() as session:
        by_urgency = {urgency.value: 0 for urgency in Urgency}
        for urgency, count in session.execute(counts_query):
            by_urgency[Urgency(urgency).value] = count
        total = sum(by_urgency.values())
        pages = max(1, math.ceil(total / query.per_page))
        page = min(query.page, pages)
        if not everything:
            listing = listing.offset((page - 1) * query.per_page).limit(query.per_page)
        names = agent_names(session)
        tickets = [ticket_view(ticket, names=names) for ticket in session.scalars(listing)]
    table, now = targets.targets(), utcnow()
    rows = [QueueRow(t, targets.waiting(t.urgency, t.created_at, t.status == TicketStatus.RESOLVED, now, table))
            for t in tickets]
    return QueuePage(rows, total, page, pages, by_urgency)
