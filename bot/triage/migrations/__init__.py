"""Triage's schema versions: Alembic revisions in versions/, applied in order, recorded in their own table.

Triage data (tickets, notes, staff accounts, the audit trail) has a life of its own: its tables change
only through these revisions, which keep every row. The knowledge store next to it is dropped and reloaded
at will (knowledge/loader.py) and never touches them; Rasa's tracker tables may share a PostgreSQL
database too, so the version is kept in ``triage_schema_version``, not Alembic's default table.

A database made before revisions existed (tables from ``create_all``, no version table) is recognised and
stamped with the baseline, whose successor adds only what such a database lacks, so it is never re-created.
"""

from __future__ import annotations

import threading
import zlib
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "triage_schema_version"
#: The schema before revisions existed (bot/triage/models.py before ticket kinds): versions/0001_baseline.py.
BASELINE = "0001"
#: The baseline's tables, all of which a database made before revisions existed holds.
BASELINE_TABLES = frozenset({
    "triage_conversations", "triage_conversation_tags", "triage_tickets", "triage_ticket_notes",
    "triage_knowledge_gaps", "triage_knowledge_gap_occurrences",
})
# Serialises migrations across processes sharing a PostgreSQL database (two action servers, the web
# server and Kubernetes pods may start at once); SQLite is serialised by its write lock.
_PG_LOCK_KEY = zlib.crc32(VERSION_TABLE.encode())
_lock = threading.Lock()


class UnrecognisedSchema(RuntimeError):
    """Triage tables exist without a version and do not match any schema triage ever had."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for triage's revisions; with ``connection``, env.py migrates on it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision (what bot/triage/models.py describes)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, f"no revisions in {MIGRATIONS_DIR / 'versions'}"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None``: never migrated)."""
    with engine.connect() as connection:
        return _context(connection).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring triage's tables in ``engine``'s database to the newest revision; returns that revision.

    One transaction (PostgreSQL runs DDL transactionally, so a failed revision leaves nothing half
    done), holding a lock so that processes starting together migrate one after the other. A database
    already at the newest revision is left untouched. Blocking: call it from a worker thread in async code.
    """
    from knowledge.database import SQLITE_BEGIN_OPTION  # the store's engines begin SQLite writers this way

    with _lock, engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})  # the write lock, up front
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
            _stamp_if_made_before_revisions(connection)
            command.upgrade(alembic_config(connection), "head")
            revision = _context(connection).get_current_revision()
    assert revision is not None
    return revision


def _context(connection: Connection) -> MigrationContext:
    return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})


def _stamp_if_made_before_revisions(connection: Connection) -> None:
    """Record the baseline in a database whose triage tables came from ``create_all`` (no version yet)."""
    context = _context(connection)
    if context.get_current_revision() is not None:
        return
    present = {name for name in sa.inspect(connection).get_table_names() if name.startswith("triage_")}
    if not present:
        return  # a new database: the revisions create everything
    missing = BASELINE_TABLES - present
    if missing:
        raise UnrecognisedSchema(
            f"the database has triage tables ({', '.join(sorted(present))}) but no {VERSION_TABLE} table and "
            f"not {', '.join(sorted(missing))}: it was not made by triage; restore a backup or drop its "
            "triage_* tables"
        )
    context.stamp(ScriptDirectory.from_config(alembic_config()), BASELINE)
