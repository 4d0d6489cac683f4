"""The facts document on each ingredients row (what a lookup reads): it says exactly what the ingredient's
rows in every table say, for the real profiles and synthetic ones, it is rewritten when its profile is
reloaded, and a store built before it existed is rebuilt by the next load. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from knowledge import models, rows
from knowledge.database import get_engine
from knowledge.facts import IngredientFacts, SourceRef
from knowledge.loader import LoadStatus, load_profiles, read_profiles, write_profiles
from knowledge.queries import KnowledgeStoreUnavailable, find_ingredient, forget_cached_facts
from knowledge.schema import Profile, validate_profile
from knowledge.synthetic import synthetic_profiles
from tests.fixtures.store import BACKEND_PARAMS, FICTIONAL_SLUG, REAL_PROFILES, TEST_PROFILES, backend_store

SYNTHETIC = 30


@pytest.fixture(scope="module")
def profiles() -> list[Profile]:
    """Every real profile, the fictional test profile and some synthetic ones (optional parts vary)."""
    synthetic = [validate_profile(p.document, p.path) for p in synthetic_profiles(SYNTHETIC)]
    return [*read_profiles([REAL_PROFILES, TEST_PROFILES]), *synthetic]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          profiles: list[Profile]) -> Iterator[str]:
    with backend_store(request.param, tmp_path_factory.mktemp("document"), profile_dirs=None) as url:
        write_profiles(profiles, url)
        yield url


def facts_from_tables(connection: Connection, slug: str) -> IngredientFacts:
    """The ingredient's facts read row by row from every table (no document involved)."""
    ingredients, sources = models.ingredients, models.Source.__table__
    ingredient = connection.execute(select(ingredients).where(ingredients.c.slug == slug)).mappings().one()
    cited = connection.execute(select(sources).where(sources.c.profile_id == ingredient["profile_id"])
                               .order_by(sources.c.position)).mappings().all()
    by_id = {row["id"]: SourceRef(row["title"], row["section"], row["url"]) for row in cited}
    tables = {}
    for name in rows.ROW_TABLES:
        table = models.ingredient_terms if name == rows.TERMS else models.fact_tables[name]
        tables[name] = connection.execute(select(table).where(table.c.ingredient_id == ingredient["id"])
                                          .order_by(table.c.position)).mappings().all()
    return rows.facts_from_rows(ingredient, tables, by_id, tuple(by_id.values()))


def stored_documents(url: str) -> dict[str, bytes]:
    ingredients = models.ingredients
    with get_engine(url).connect() as connection:
        found = connection.execute(select(ingredients.c.slug, ingredients.c[models.FACTS_DOCUMENT]))
        return {slug: bytes(document) for slug, document in found}  # psycopg2 gives a memoryview


def test_the_document_says_what_the_rows_say_for_every_profile(store: str, profiles: list[Profile]) -> None:
    documents = stored_documents(store)
    assert set(documents) == {p.slug for p in profiles}
    with get_engine(store).connect() as connection:
        for profile in profiles:
            from_rows = facts_from_tables(connection, profile.slug)
            assert rows.facts_from_document(documents[profile.slug]) == from_rows == profile.facts, profile.slug
            forget_cached_facts()  # the lookup itself, not a cached copy
            assert find_ingredient(profile.facts.misspellings[0] if profile.facts.misspellings else profile.slug,
                                   store) == from_rows


def test_a_lookup_reads_the_document(store: str, profiles: list[Profile]) -> None:
    # What makes the comparison above mean something: a document that disagreed with the rows would be answered.
    first, second = profiles[0], profiles[-1]
    documents = stored_documents(store)
    ingredients = models.ingredients
    engine = get_engine(store)

    def store_document(slug: str, document: object) -> None:
        with engine.begin() as connection:
            connection.execute(update(ingredients).where(ingredients.c.slug == slug)
                               .values({models.FACTS_DOCUMENT: document}))
        forget_cached_facts()

    try:
        store_document(first.slug, documents[second.slug])
        assert find_ingredient(first.slug, store) == second.facts
    finally:
        store_document(first.slug, documents[first.slug])
    assert find_ingredient(first.slug, store) == first.facts


@pytest.fixture(params=BACKEND_PARAMS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_store(request.param, tmp_path, profile_dirs=None) as url:
        yield url


def test_reloading_a_changed_profile_rewrites_its_document(empty_store: str, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    shutil.copytree(TEST_PROFILES, folder)
    load_profiles([REAL_PROFILES, folder], empty_store)
    before = stored_documents(empty_store)
    assert find_ingredient("examplium", empty_store).comedogenic.rating == 3  # now cached by this process
    path = folder / f"{FICTIONAL_SLUG}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("rating: 3", "rating: 4"), encoding="utf-8")

    report = load_profiles([REAL_PROFILES, folder], empty_store)

    assert report.slugs(LoadStatus.UPDATED) == [FICTIONAL_SLUG]
    after = stored_documents(empty_store)
    assert after["milk-exosomes"] == before["milk-exosomes"]  # an unchanged profile keeps its row and document
    assert rows.facts_from_document(after[FICTIONAL_SLUG]).comedogenic.rating == 4
    with get_engine(empty_store).connect() as connection:
        assert rows.facts_from_document(after[FICTIONAL_SLUG]) == facts_from_tables(connection, FICTIONAL_SLUG)
    assert find_ingredient("examplium", empty_store).comedogenic.rating == 4  # seen at once, cache or not


def test_a_store_built_before_the_document_is_rebuilt_by_the_next_load(empty_store: str) -> None:
    load_profiles([REAL_PROFILES], empty_store)
    facts = find_ingredient("milk exosomes", empty_store)
    with get_engine(empty_store).begin() as connection:  # the tables as the previous models.py made them
        connection.exec_driver_sql(f"ALTER TABLE ingredients DROP COLUMN {models.FACTS_DOCUMENT}")
        connection.execute(update(models.StoreSchema).values(fingerprint="0" * 64))
    forget_cached_facts()
    with pytest.raises(KnowledgeStoreUnavailable, match="make kb"):
        find_ingredient("milk exosomes", empty_store)

    report = load_profiles([REAL_PROFILES], empty_store)

    assert report.rebuilt and report.slugs(LoadStatus.ADDED) == ["milk-exosomes"]
    assert find_ingredient("milk exosomes", empty_store) == facts
