"""Baseline: triage's schema before revisions existed (conversations, topics, tickets, notes, gaps).

Exactly what ``create_all`` made from bot/triage/models.py before tickets gained kinds (commit 9568069):
a database made then is stamped with this revision and upgraded from here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    # As models.py stores them: the readable value, checked by a constraint rather than a native type.
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    op.create_table(
        "triage_conversations",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_conversations_last_seen", "triage_conversations", ["last_seen"])
    op.create_table(
        "triage_conversation_tags",
        sa.Column("conversation_id", sa.String(255),
                  sa.ForeignKey("triage_conversations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String(64), primary_key=True),
        sa.Column("first_seen", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_conversation_tags_tag", "triage_conversation_tags", ["tag"])
    op.create_table(
        "triage_tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255),
                  sa.ForeignKey("triage_conversations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("urgency", _enum("triage_urgency", "urgent", "high", "normal"), nullable=False),
        sa.Column("status", _enum("triage_ticket_status", "open", "in_progress", "resolved"), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("contact_email", sa.String(254)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_tickets_conversation_id", "triage_tickets", ["conversation_id"])
    op.create_index("ix_triage_tickets_updated_at", "triage_tickets", ["updated_at"])
    op.create_table(
        "triage_ticket_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("triage_tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_ticket_notes_ticket_id", "triage_ticket_notes", ["ticket_id"])
    op.create_table(
        "triage_knowledge_gaps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(500), nullable=False, unique=True),
        sa.Column("ingredient", sa.String(200)),
    )
    op.create_table(
        "triage_knowledge_gap_occurrences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gap_id", sa.Integer, sa.ForeignKey("triage_knowledge_gaps.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_knowledge_gap_occurrences_gap_id", "triage_knowledge_gap_occurrences", ["gap_id"])
    op.create_index("ix_triage_knowledge_gap_occurrences_conversation_id", "triage_knowledge_gap_occurrences",
                    ["conversation_id"])


def downgrade() -> None:
    for table in ("triage_knowledge_gap_occurrences", "triage_knowledge_gaps", "triage_ticket_notes",
                  "triage_tickets", "triage_conversation_tags", "triage_conversations"):
        op.drop_table(table)
