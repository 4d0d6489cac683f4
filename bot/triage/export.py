"""CSV exports of tickets and knowledge gaps for staff spreadsheets.

Every cell is cleaned of control characters here too (the views already are): Python's csv writer
raises on a NUL, which once made an export answer 500 for good after one bad message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from bot.triage.casework import GapView, TicketView
from bot.triage.clean_text import clean_text

# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else clean_text(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def tickets_csv(tickets: Iterable[TicketView]) -> str:
    """Tickets as CSV, one row each, tags joined with spaces."""
    header = (
        "id",
        "urgency",
        "status",
        "reason",
        "question",
        "tags",
        "contact_email",
        "conversation_id",
        "created_at",
        "updated_at",
        "kind",
        "reports",
    )
    return _csv(
        header,
        (
            (
                t.id,
                t.urgency.value,
                t.status.value,
                t.reason,
                t.question,
                " ".join(t.tags),
                t.contact_email,
                t.conversation_id,
                t.created_at.isoformat(),
                t.updated_at.isoformat(),
                t.kind or "",
                t.reports,
            )
            for t in tickets
        ),
    )


def gaps_csv(gaps: Iterable[GapView]) -> str:
    """Knowledge gaps as CSV, most frequent first (the order given)."""
    header = ("count", "ingredient", "latest_question", "first_seen", "last_seen", "conversations")
    return _csv(
        header,
        (
            (
                g.count,
                g.ingredient,
                g.question,
                g.first_seen.isoformat(),
                g.last_seen.isoformat(),
                len(g.conversation_ids),
            )
            for g in gaps
        ),
    )
