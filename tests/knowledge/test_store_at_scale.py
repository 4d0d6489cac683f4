"""Synthetic profiles and the store benchmark, at a small scale (no timing is asserted): the generated
profiles are valid and varied, every one of them comes back from the store exactly as validated, and the
benchmark loads, looks up what it claims to, and leaves no database behind. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from knowledge.bench import Lookup, SyntheticProfiles, format_report, run_backend, time_lookup
from knowledge.database import get_engine
from knowledge.loader import LoadStatus, load_profiles, read_profiles, write_profiles
from knowledge.queries import find_ingredient
from knowledge.schema import Profile, check_profile_set, validate_profile
from knowledge.synthetic import synthetic_profiles
from tests.fixtures.store import (
    BACKEND_PARAMS,
    FICTIONAL_SLUG,
    POSTGRES_URL,
    REAL_PROFILES,
    TEST_PROFILES,
    backend_store,
    require_postgres,
)

COUNT = 40


@pytest.fixture(scope="module")
def synthetic() -> list[Profile]:
    return [validate_profile(p.document, p.path) for p in synthetic_profiles(COUNT)]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          synthetic: list[Profile]) -> Iterator[str]:
    """The real profiles plus the synthetic ones, on each backend."""
    with backend_store(request.param, tmp_path_factory.mktemp("scale"), profile_dirs=None) as url:
        write_profiles([*read_profiles([REAL_PROFILES]), *synthetic], url)
        yield url


def test_synthetic_profiles_are_valid_distinct_and_varied(synthetic: list[Profile]) -> None:
    check_profile_set([*read_profiles([REAL_PROFILES]), *synthetic])  # no name belongs to two ingredients
    assert len({p.slug for p in synthetic}) == COUNT
    # The optional parts really vary, so the store's handling of absent facts is exercised.
    assert {p.facts.sun is None for p in synthetic} == {True, False}
    assert {p.facts.comedogenic is None for p in synthetic} == {True, False}
    assert {p.facts.history is None for p in synthetic} == {True, False}
    assert len({p.facts.comedogenic.rating for p in synthetic if p.facts.comedogenic}) > 2
    assert len({tuple(s.verdict for s in p.facts.skin_types) for p in synthetic}) > COUNT // 2


def test_same_seed_same_profiles() -> None:
    first = [p.document for p in synthetic_profiles(5)]
    assert first == [p.document for p in synthetic_profiles(5)]
    assert first != [p.document for p in synthetic_profiles(5, seed=14)]


def test_every_synthetic_profile_comes_back_exactly(store: str, synthetic: list[Profile]) -> None:
    for profile in synthetic:
        for name in (profile.facts.name, profile.facts.inci_name, *profile.facts.synonyms,
                     *profile.facts.misspellings):
            assert find_ingredient(name, store) == profile.facts, name


def test_reloading_the_same_profiles_changes_nothing(store: str, synthetic: list[Profile]) -> None:
    report = write_profiles([*read_profiles([REAL_PROFILES]), *synthetic], store)
    assert not report.changed and len(report.slugs(LoadStatus.UNCHANGED)) == COUNT + 1


def test_a_reload_is_seen_at_once_by_a_process_that_asked_before(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    shutil.copytree(TEST_PROFILES, folder)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    load_profiles([folder], url)
    assert find_ingredient("examplium", url).comedogenic.rating == 3  # now remembered by this process
    path = folder / f"{FICTIONAL_SLUG}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("rating: 3", "rating: 4"), encoding="utf-8")
    load_profiles([folder], url)
    assert find_ingredient("examplium", url).comedogenic.rating == 4
    path.unlink()
    load_profiles([folder], url)
    assert find_ingredient("examplium", url) is None


def test_benchmark_refuses_to_time_misses_as_hits(store: str) -> None:
    engine = get_engine(store)
    with pytest.raises(AssertionError, match="snail mucin"):
        time_lookup(Lookup("expects a hit", lambda name, e: find_ingredient(name, e), ["snail mucin"], True),
                    engine, repeat=3)


def test_benchmark_small_run_on_sqlite() -> None:
    dataset = SyntheticProfiles(12)
    dataset.prepare()
    run = run_backend("sqlite", [dataset], read_profiles([REAL_PROFILES]), repeat=5)
    assert run.ingredients == 13
    assert [what for what, _, _ in run.loads] == ["real profiles", "synthetic profiles"]
    labels = [t.label for t in run.timings["loaded"]]
    assert "find: synthetic by name (uncached)" in labels and "find: unknown name" in labels
    assert "first_ingredients (ten names and the count, as replies ask)" in labels
    report = format_report([run], [("synthetic profiles", 0.1)])
    assert "== sqlite: 13 ingredients loaded" in report
    assert "find: real profile (uncached)" in report


@pytest.mark.postgres
def test_benchmark_drops_its_postgres_database() -> None:
    require_postgres()
    admin_url = POSTGRES_URL
    run = run_backend("postgresql", [], read_profiles([REAL_PROFILES]), repeat=3, pg_admin_url=admin_url)
    assert run.ingredients == 1
    admin = create_engine(admin_url, future=True)
    try:
        with admin.connect() as connection:
            left = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
                                      {"prefix": f"knowledge_bench_{os.getpid()}_%"}).scalars().all()
    finally:
        admin.dispose()
    assert left == []


def test_the_process_keeps_a_bounded_number_of_ingredients(tmp_path: Path, synthetic: list[Profile],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge import queries

    monkeypatch.setattr(queries, "FACTS_CACHE_SIZE", 10)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    write_profiles(synthetic, url)
    for profile in synthetic:
        assert find_ingredient(profile.facts.name, url) == profile.facts
    cache = queries._caches[get_engine(url)]
    assert len(cache.entries) == 10  # the last ten asked, not the whole store
    assert find_ingredient(synthetic[0].facts.name, url) == synthetic[0].facts  # forgotten, read again
