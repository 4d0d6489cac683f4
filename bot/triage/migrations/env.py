"""Alembic's entry point for triage's schema (bot/triage/migrations; see its __init__ for why).

Run by ``bot.triage.migrations.upgrade`` with the connection it holds (``config.attributes["connection"]``),
or by the ``alembic`` command (``alembic -c bot/triage/alembic.ini revision --autogenerate -m ...``), which
connects to the triage settings' database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.triage.migrations import VERSION_TABLE
from bot.triage.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        # Only triage's tables: Rasa's tracker tables and the knowledge store may share the database.
        include_name=lambda name, kind, _parent: kind != "table" or name.startswith("triage_"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("triage's revisions inspect the database they upgrade: offline (--sql) mode is not supported")

_given = context.config.attributes.get("connection")
if _given is not None:
    _run(_given)
else:
    from bot.triage.db import triage_engine

    with triage_engine().connect() as _connection:
        _run(_connection)
        _connection.commit()
