"""Ticket kinds and report counts, staff sessions and accounts, the audit trail, urgency corrections,
handled knowledge gaps and alert times: everything models.py gained after the baseline.

These arrived one by one while db.py still made the schema itself (``create_all`` plus "add missing
columns", in commits 9568069 to 4aa56d7), so a database stamped with the baseline may already hold any
of them: each table, column and index is added only when it is missing. Revisions after this one are
plain Alembic operations.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def _urgency(name: str) -> sa.Enum:
    return _enum(name, "urgent", "high", "normal")


def _ticket_id() -> sa.Column:
    return sa.Column("ticket_id", sa.Integer, sa.ForeignKey("triage_tickets.id", ondelete="CASCADE"),
                     nullable=False)


#: Tables this revision creates, with all their columns (a function: a Column belongs to one table).
NEW_TABLES: dict[str, Callable[[], list[sa.Column]]] = {
    "triage_staff_sessions": lambda: [
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("token_fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("agent_id", sa.Integer),
    ],
    "triage_secrets": lambda: [
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    ],
    "triage_agents": lambda: [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", _enum("triage_agent_role", "agent", "admin"), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    ],
    "triage_ticket_events": lambda: [
        sa.Column("id", sa.Integer, primary_key=True),
        _ticket_id(),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("agent_id", sa.Integer),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    ],
    "triage_urgency_corrections": lambda: [
        sa.Column("id", sa.Integer, primary_key=True),
        _ticket_id(),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("from_urgency", _urgency("triage_correction_from"), nullable=False),
        sa.Column("to_urgency", _urgency("triage_correction_to"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("corpus_text", sa.Text, nullable=False),
        sa.Column("emergency_kind", sa.String(32)),
        sa.Column("lang", sa.String(8), nullable=False),
    ],
}

#: Columns added to tables that already existed (nullable or with a server default: existing rows stay valid).
NEW_COLUMNS: dict[str, Callable[[], list[sa.Column]]] = {
    "triage_tickets": lambda: [
        sa.Column("kind", sa.String(64)),  # NULL: a ticket from before kinds existed
        sa.Column("reports", sa.Integer, nullable=False, server_default="1"),
        sa.Column("assigned_agent_id", sa.Integer),
        sa.Column("alerted_at", sa.DateTime),
    ],
    "triage_ticket_notes": lambda: [sa.Column("author", sa.String(80))],
    "triage_knowledge_gaps": lambda: [
        sa.Column("handled_at", sa.DateTime),
        sa.Column("handled_by", sa.String(80)),
        sa.Column("handled_note", sa.Text),
    ],
    # The sessions table came before agent accounts, without this column.
    "triage_staff_sessions": lambda: [sa.Column("agent_id", sa.Integer)],
}

#: (name, table, columns); "add missing columns" never made the assigned-agent index.
NEW_INDEXES = [
    ("ix_triage_staff_sessions_last_seen", "triage_staff_sessions", ["last_seen"]),
    ("ix_triage_tickets_assigned_agent_id", "triage_tickets", ["assigned_agent_id"]),
    ("ix_triage_ticket_events_ticket_id", "triage_ticket_events", ["ticket_id"]),
    ("ix_triage_urgency_corrections_ticket_id", "triage_urgency_corrections", ["ticket_id"]),
]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for table, columns in NEW_TABLES.items():
        if table not in existing:
            op.create_table(table, *columns())
    inspector = sa.inspect(op.get_bind())  # a fresh look after each step: inspectors cache what they saw
    for table, columns in NEW_COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        for column in columns():
            if column.name not in present:
                op.add_column(table, column)
    inspector = sa.inspect(op.get_bind())
    for name, table, columns in NEW_INDEXES:
        if name not in {index["name"] for index in inspector.get_indexes(table)}:
            op.create_index(name, table, columns)


def downgrade() -> None:
    # Back to the baseline: the new tables go (staff accounts, audit trail, corrections, sessions), and
    # the added columns with them; tickets, notes, conversations and gaps stay.
    op.drop_index("ix_triage_tickets_assigned_agent_id", "triage_tickets")
    for table in reversed(list(NEW_TABLES)):
        op.drop_table(table)
    for table, columns in NEW_COLUMNS.items():
        if table in NEW_TABLES:
            continue
        for column in columns():
            op.drop_column(table, column.name)
