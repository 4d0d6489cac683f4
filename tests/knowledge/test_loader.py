"""Loading profiles into the store: all-or-nothing, idempotent, updates and removals follow the files.
Every test runs against SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select, update

from knowledge import models
from knowledge.database import get_engine
from knowledge.loader import LoadStatus, load_profiles, main
from knowledge.profile_reader import ProfileError
from knowledge.queries import find_ingredient, list_ingredients
from tests.fixtures.store import BACKEND_PARAMS, REAL_PROFILES, REPO_ROOT, TEST_PROFILES, backend_store

FICTIONAL_FILE = TEST_PROFILES / "examplium-extract.yml"


@pytest.fixture(params=BACKEND_PARAMS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no tables yet) on each backend."""
    with backend_store(request.param, tmp_path, profile_dirs=None) as url:
        yield url


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    """A writable profile folder holding a copy of the fictional profile (the real one stays in place)."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(FICTIONAL_FILE, folder / FICTIONAL_FILE.name)
    return folder


def table_ids(url: str) -> dict[str, list[int]]:
    """Every knowledge table's primary keys: equal snapshots mean no row was added, removed or replaced."""
    with get_engine(url).connect() as connection:
        return {
            table.name: list(connection.execute(select(table.c.id).order_by(table.c.id)).scalars())
            for table in models.metadata.sorted_tables
            if table is not models.StoreSchema.__table__  # bookkeeping, not content
        }


def hashes(url: str) -> dict[str, str]:
    with get_engine(url).connect() as connection:
        rows = connection.execute(select(models.LoadedProfile.slug, models.LoadedProfile.content_hash))
        return dict(rows.all())


def test_first_load_adds_every_profile(empty_store: str, profiles: Path) -> None:
    report = load_profiles([REAL_PROFILES, profiles], empty_store)
    assert report.slugs(LoadStatus.ADDED) == ["milk-exosomes", "examplium-extract"]
    assert report.changed
    assert list_ingredients(empty_store) == ["examplium extract", "milk exosomes"]


def test_second_load_changes_nothing(empty_store: str, profiles: Path) -> None:
    load_profiles([REAL_PROFILES, profiles], empty_store)
    before = table_ids(empty_store)
    report = load_profiles([REAL_PROFILES, profiles], empty_store)
    assert report.slugs(LoadStatus.UNCHANGED) == ["milk-exosomes", "examplium-extract"]
    assert not report.changed
    assert table_ids(empty_store) == before
    assert all(before[name] for name in before)  # every table has rows: the comparison means something


def test_comment_only_edit_is_unchanged(empty_store: str, profiles: Path) -> None:
    load_profiles([profiles], empty_store)
    path = profiles / FICTIONAL_FILE.name
    path.write_text("# reviewed again, no content change\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_profiles([profiles], empty_store).slugs(LoadStatus.UNCHANGED) == ["examplium-extract"]


def test_changed_profile_is_replaced_and_others_untouched(empty_store: str, profiles: Path) -> None:
    load_profiles([REAL_PROFILES, profiles], empty_store)
    real_before = find_ingredient("milk exosomes", empty_store)
    ids_before = table_ids(empty_store)
    path = profiles / FICTIONAL_FILE.name
    path.write_text(path.read_text(encoding="utf-8").replace("rating: 3", "rating: 4"), encoding="utf-8")

    report = load_profiles([REAL_PROFILES, profiles], empty_store)

    assert report.slugs(LoadStatus.UPDATED) == ["examplium-extract"]
    assert report.slugs(LoadStatus.UNCHANGED) == ["milk-exosomes"]
    assert find_ingredient("examplium extract", empty_store).comedogenic.rating == 4
    assert find_ingredient("milk exosomes", empty_store) == real_before
    ids_after = table_ids(empty_store)
    # The unchanged profile keeps its rows (same ids); the row counts are the same as before.
    assert {n: len(v) for n, v in ids_after.items()} == {n: len(v) for n, v in ids_before.items()}
    milk_rating_id = ids_before["comedogenic_ratings"][0]
    assert milk_rating_id in ids_after["comedogenic_ratings"]


def test_removed_file_removes_the_ingredient_and_all_its_rows(empty_store: str, profiles: Path) -> None:
    load_profiles([REAL_PROFILES, profiles], empty_store)
    (profiles / FICTIONAL_FILE.name).unlink()

    report = load_profiles([REAL_PROFILES, profiles], empty_store)

    assert report.slugs(LoadStatus.REMOVED) == ["examplium-extract"]
    assert find_ingredient("examplium", empty_store) is None
    assert list_ingredients(empty_store) == ["milk exosomes"]
    only_real = table_ids(empty_store)
    with backend_store("sqlite", profiles.parent / "reference", profile_dirs=[REAL_PROFILES]) as reference:
        expected_counts = {name: len(ids) for name, ids in table_ids(reference).items()}
    assert {name: len(ids) for name, ids in only_real.items()} == expected_counts  # no orphan rows left


def test_failed_load_keeps_previous_content(empty_store: str, profiles: Path) -> None:
    load_profiles([REAL_PROFILES, profiles], empty_store)
    before_ids, before_hashes = table_ids(empty_store), hashes(empty_store)
    facts_before = find_ingredient("examplium extract", empty_store)
    # One good change and one broken file in the same run: neither may reach the store.
    path = profiles / FICTIONAL_FILE.name
    path.write_text(path.read_text(encoding="utf-8").replace("rating: 3", "rating: 2"), encoding="utf-8")
    (profiles / "zz-broken.yml").write_text("name: broken\nslug: broken\nverdict: great\n", encoding="utf-8")

    with pytest.raises(ProfileError) as caught:
        load_profiles([REAL_PROFILES, profiles], empty_store)

    assert "zz-broken.yml" in str(caught.value)
    assert "the knowledge store keeps its previous content" in str(caught.value)
    assert table_ids(empty_store) == before_ids
    assert hashes(empty_store) == before_hashes
    assert find_ingredient("examplium extract", empty_store) == facts_before


def test_empty_folder_empties_the_store(empty_store: str, tmp_path: Path) -> None:
    load_profiles([REAL_PROFILES], empty_store)
    empty = tmp_path / "none"
    empty.mkdir()
    assert load_profiles([empty], empty_store).slugs(LoadStatus.REMOVED) == ["milk-exosomes"]
    assert list_ingredients(empty_store) == []
    assert all(not ids for ids in table_ids(empty_store).values())


def test_cli_prints_one_line_per_profile(empty_store: str, profiles: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--db", empty_store, "--profiles", str(REAL_PROFILES), "--profiles", str(profiles)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first == [
        "added     milk-exosomes (knowledge/profiles/milk-exosomes.yml)",
        f"added     examplium-extract ({profiles / FICTIONAL_FILE.name})",
    ]
    assert main(["--db", empty_store, "--profiles", str(REAL_PROFILES)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"removed   examplium-extract ({profiles / FICTIONAL_FILE.name})",
        "unchanged milk-exosomes (knowledge/profiles/milk-exosomes.yml)",
    ]


def test_cli_error_exits_1_with_the_message_and_no_traceback(tmp_path: Path, profiles: Path) -> None:
    (profiles / "broken.yml").write_text("name: broken\nslug: broken\ncomedogenic: {rating: 9}\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "knowledge.loader", "--db", url, "--profiles", str(profiles)],
        cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "broken.yml: comedogenic.rating: expected a whole number from 0 to 5; got 9" in result.stderr
    assert "broken.yml: description: missing required field" in result.stderr
    assert result.stdout == ""


def test_cli_unreachable_database_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = "postgresql+psycopg2://nobody@127.0.0.1:1/none?connect_timeout=2"
    assert main(["--db", url, "--profiles", str(REAL_PROFILES)]) == 1
    err = capsys.readouterr().err
    assert "Could not write to the knowledge store at postgresql+psycopg2://nobody@127.0.0.1:1/none" in err
    assert "Traceback" not in err


def test_concurrent_loads_all_succeed_and_load_once(empty_store: str, profiles: Path) -> None:
    # Several `make kb` runs at once (e.g. two terminals): each waits for the other, none fails.
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = list(pool.map(lambda _: load_profiles([REAL_PROFILES, profiles], empty_store), range(3)))
    added = [slug for report in reports for slug in report.slugs(LoadStatus.ADDED)]
    assert sorted(added) == ["examplium-extract", "milk-exosomes"]
    assert list_ingredients(empty_store) == ["examplium extract", "milk exosomes"]


def test_changed_table_definitions_rebuild_the_store(empty_store: str) -> None:
    load_profiles([REAL_PROFILES], empty_store)
    facts = find_ingredient("milk exosomes", empty_store)
    with get_engine(empty_store).begin() as connection:  # as if the tables came from an older models.py
        connection.execute(update(models.StoreSchema).values(fingerprint="0" * 64))

    report = load_profiles([REAL_PROFILES], empty_store)

    assert report.rebuilt and report.slugs(LoadStatus.ADDED) == ["milk-exosomes"]
    assert find_ingredient("milk exosomes", empty_store) == facts
    again = load_profiles([REAL_PROFILES], empty_store)
    assert not again.rebuilt and again.slugs(LoadStatus.UNCHANGED) == ["milk-exosomes"]
