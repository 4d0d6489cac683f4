"""Triage's schema migrations (bot/triage/migrations): an old database is upgraded with every ticket kept,
a new one is made, a current one is left alone, and the revisions make exactly what models.py describes.
Each runs on SQLite and, marked postgres, on PostgreSQL (the ``triage_db`` fixture)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from bot.triage import casework, migrations
from bot.triage.models import Base, Ticket, TicketStatus, Urgency
from bot.triage.recorder import open_ticket
from tests.triage import previous_schema
from tests.triage.conftest import _drop_postgres_schema, _postgres_engine

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_CHANGES = ("CREATE", "ALTER", "DROP")


def _differences(engine: Engine) -> list[object]:
    """What Alembic's autogenerate would change to make the database match models.py (empty: it matches)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "compare_server_default": True, "version_table": migrations.VERSION_TABLE,
            "include_name": lambda name, kind, _parent: kind != "table" or name.startswith("triage_"),
        })
        return compare_metadata(context, Base.metadata)


def _check_constraints(engine: Engine) -> dict[str, set[str]]:
    """The named CHECK constraints (the enums' allowed values) of each triage table."""
    inspector = sa.inspect(engine)
    return {table.name: {check["name"] for check in inspector.get_check_constraints(table.name) if check["name"]}
            for table in Base.metadata.sorted_tables}


def _expected_check_constraints() -> dict[str, set[str]]:
    return {table.name: {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint) and c.name}
            for table in Base.metadata.sorted_tables}


@contextmanager
def _schema_statements(engine: Engine) -> Iterator[list[str]]:
    """The schema-changing SQL statements the engine runs inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        if statement.lstrip().upper().startswith(SCHEMA_CHANGES):
            seen.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def _old_tickets() -> list[tuple[str, str, str, str, str | None]]:
    return sorted((t["conversation_id"], t["urgency"], t["status"], t["question"], t["contact_email"])
                  for t in previous_schema.OLD_TICKETS)


def _stored_tickets() -> list[tuple[str, str, str, str, str | None]]:
    return sorted((t.conversation_id, t.urgency.value, t.status.value, t.question, t.contact_email)
                  for t in casework.list_tickets())


@pytest.mark.parametrize("history", ["first release", "kinds added by hand"])
def test_a_database_made_by_the_previous_schema_is_upgraded_with_every_ticket_kept(triage_db, history):
    previous_schema.PREVIOUS.create_all(triage_db)
    previous_schema.fill(triage_db)
    if history == "kinds added by hand":  # what db.py's "add missing columns" did to it before revisions
        with triage_db.begin() as connection:
            connection.execute(sa.text("ALTER TABLE triage_tickets ADD COLUMN kind VARCHAR(64)"))
            connection.execute(sa.text("ALTER TABLE triage_tickets ADD COLUMN reports INTEGER DEFAULT '1' NOT NULL"))

    assert migrations.upgrade(triage_db) == migrations.head_revision()

    assert _stored_tickets() == _old_tickets()
    urgent = next(t for t in casework.list_tickets() if t.urgency is Urgency.URGENT)
    assert [note.text for note in casework.get_ticket(urgent.id).notes] == ["called her back"]
    assert urgent.tags == ("red_flag",) and urgent.kind is None and urgent.reports == 1
    assert _differences(triage_db) == []
    assert _check_constraints(triage_db) == _expected_check_constraints()
    # The assistant keeps working on them: a repeat joins the old unresolved ticket, a new one gets a fresh id.
    again = asyncio.run(open_ticket("alice", urgency=Urgency.URGENT, reason="red flag", question="now my tongue"))
    fresh = asyncio.run(open_ticket("carol", urgency=Urgency.HIGH, reason="reaction", question="itchy",
                                    tags=["reaction"]))
    assert again == urgent.id and casework.get_ticket(again).reports == 2
    assert fresh not in {t.id for t in casework.list_tickets() if t.conversation_id != "carol"}
    assert len(casework.list_tickets()) == len(previous_schema.OLD_TICKETS) + 1


def test_a_new_database_gets_the_whole_schema(triage_db):
    assert migrations.current_revision(triage_db) is None
    assert migrations.upgrade(triage_db) == migrations.head_revision()
    assert migrations.current_revision(triage_db) == migrations.head_revision()
    assert _differences(triage_db) == []
    assert _check_constraints(triage_db) == _expected_check_constraints()


def test_a_current_database_is_left_untouched(triage_db):
    migrations.upgrade(triage_db)
    ticket_id = asyncio.run(open_ticket("dana", urgency=Urgency.URGENT, reason="red flag", question="swelling"))
    with _schema_statements(triage_db) as statements:
        assert migrations.upgrade(triage_db) == migrations.head_revision()
    assert statements == []
    assert [t.id for t in casework.list_tickets()] == [ticket_id]


def test_a_database_made_by_create_all_before_revisions_is_stamped_not_recreated(triage_db):
    Base.metadata.create_all(triage_db)  # what db.py did until revisions existed: no version table
    ticket_id = asyncio.run(_open_before_revisions(triage_db))
    with _schema_statements(triage_db) as statements:
        migrations.upgrade(triage_db)
    assert migrations.current_revision(triage_db) == migrations.head_revision()
    assert [s for s in statements if migrations.VERSION_TABLE not in s] == []  # nothing made or altered but it
    [ticket] = casework.list_tickets()
    assert (ticket.id, ticket.question, ticket.kind) == (ticket_id, "swelling", "red_flag")


async def _open_before_revisions(engine: Engine) -> int:
    # Written straight into the tables, as the old code did (open_ticket would migrate first).
    from bot.triage.models import Conversation, utcnow

    def write() -> int:
        with sa.orm.Session(engine, future=True) as session, session.begin():
            now = utcnow()
            session.add(Conversation(id="erin", first_seen=now, last_seen=now))
            ticket = Ticket(conversation_id="erin", kind="red_flag", urgency=Urgency.URGENT, status=TicketStatus.OPEN,
                            reason="red flag", question="swelling", reports=1, created_at=now, updated_at=now)
            session.add(ticket)
            session.flush()
            return ticket.id

    return await asyncio.to_thread(write)


def test_tables_that_triage_never_made_are_refused_not_stamped(triage_db):
    with triage_db.begin() as connection:
        connection.execute(sa.text("CREATE TABLE triage_tickets (id INTEGER PRIMARY KEY)"))
    with pytest.raises(migrations.UnrecognisedSchema, match="triage_conversations"):
        migrations.upgrade(triage_db)
    assert migrations.current_revision(triage_db) is None


def test_downgrading_to_the_baseline_and_back_keeps_the_tickets(triage_db):
    from alembic import command

    previous_schema.PREVIOUS.create_all(triage_db)
    previous_schema.fill(triage_db)
    migrations.upgrade(triage_db)
    with triage_db.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), migrations.BASELINE)
    assert "triage_agents" not in sa.inspect(triage_db).get_table_names()
    migrations.upgrade(triage_db)
    assert _stored_tickets() == _old_tickets()
    assert _differences(triage_db) == []


def test_rebuilding_the_knowledge_store_keeps_triage_data(tmp_path):
    from knowledge.database import dispose_engine, get_engine
    from knowledge.loader import load_profiles
    from knowledge.models import StoreSchema

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    load_profiles(REPO_ROOT / "knowledge" / "profiles", url)
    engine = get_engine(url)
    try:
        migrations.upgrade(engine)
        with engine.begin() as connection:  # as if the store's models changed: the next load rebuilds it
            connection.execute(sa.update(StoreSchema).values(fingerprint="an older schema"))
        from bot.triage import db

        db.use_engine(engine)
        try:
            ticket_id = asyncio.run(open_ticket("fay", urgency=Urgency.HIGH, reason="reaction", question="red"))
            assert load_profiles(REPO_ROOT / "knowledge" / "profiles", url).rebuilt
            assert [t.id for t in casework.list_tickets()] == [ticket_id]
            assert migrations.current_revision(engine) == migrations.head_revision()
        finally:
            db.use_engine(None)
    finally:
        dispose_engine(url)


@pytest.mark.postgres
def test_servers_starting_together_migrate_one_after_the_other():
    """Three `python -m bot.triage migrate` at once on a new PostgreSQL database (the launcher, and each
    server on first use, in Kubernetes pods starting together): all succeed, the schema is made once."""
    schema = f"triage_test_{uuid.uuid4().hex[:12]}"
    engine = _postgres_engine(schema)
    if engine is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PostgreSQL on 127.0.0.1:5432 (database 'test') is required under CI=true")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (database 'test'); CI is not set")
    try:
        url = engine.url.set(query={"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        env = {**os.environ, "SKINCARE_DB_URL": url}
        runs = [subprocess.Popen([sys.executable, "-m", "bot.triage", "migrate"], cwd=REPO_ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
        assert [code for code, _, _ in results] == [0, 0, 0], [err for _, _, err in results]
        assert all(f"revision {migrations.head_revision()}" in out for _, out, _ in results)
        assert _differences(engine) == []
    finally:
        _drop_postgres_schema(engine, schema)
