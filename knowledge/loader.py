"""Load the YAML profiles into the knowledge store: validate everything first, then write once.

Every profile is validated before anything is written; any problem raises :class:`ProfileError` and
the store keeps its previous content. The write is one transaction. Loading is idempotent: profiles
whose content hash is unchanged are skipped, a changed profile is replaced, and a profile whose file
has gone is removed from the store. The rows a profile becomes follow from the fact dataclasses
(``knowledge.rows``); they are written in batches, one multi-row INSERT per table.

Command line: ``python -m knowledge.loader [--db URL] [--profiles DIR ...]``.
"""

from __future__ import annotations

import argparse
import enum
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from sqlalchemy import delete, func, insert, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge import models, rows
from knowledge.database import DB_URL_ENV, display_url, get_engine, session_scope, sqlite_path
from knowledge.profile_reader import KNOWLEDGE_DIR, ProfileError, ProfileIssue, display_path
from knowledge.schema import Profile, check_profile_set, read_profile
from knowledge.vocabulary import load_vocabulary

PROFILES_DIR = KNOWLEDGE_DIR / "profiles"
PROFILE_SUFFIXES = (".yml", ".yaml")
LOAD_LOCK_KEY = 0x6B6E6F77  # PostgreSQL advisory lock id for profile loads ("know")
#: Profiles written per round of multi-row INSERTs: big enough to make loading thousands fast, small enough
#: for the ``IN (...)`` lists that read back the new ids.
WRITE_BATCH = 500

ProfileDirs = str | PathLike[str] | Iterable[str | PathLike[str]]


class LoadStatus(str, enum.Enum):
    """What a load did to one profile."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"


@dataclass(frozen=True)
class ProfileLoadResult:
    """The outcome for one profile (``path`` is the file last loaded for a removed profile)."""

    slug: str
    path: str
    status: LoadStatus

    def summary(self) -> str:
        """One line for the command line."""
        return f"{self.status.value:<9} {self.slug} ({self.path})"


@dataclass(frozen=True)
class LoadReport:
    """What a load did, profile by profile."""

    results: tuple[ProfileLoadResult, ...]
    rebuilt: bool = False  # the table definitions had changed: the store was rebuilt from scratch

    def slugs(self, status: LoadStatus) -> list[str]:
        """The slugs of the profiles that got ``status``."""
        return [result.slug for result in self.results if result.status is status]

    @property
    def changed(self) -> bool:
        """Whether the store content changed."""
        return any(result.status is not LoadStatus.UNCHANGED for result in self.results)


def profile_files(directories: ProfileDirs = PROFILES_DIR) -> list[Path]:
    """The profile files in the given folder(s), sorted; a missing folder is a :class:`ProfileError`."""
    if isinstance(directories, (str, PathLike)):
        directories = [directories]
    files: list[Path] = []
    for directory in map(Path, directories):
        if not directory.is_dir():
            raise ProfileError([ProfileIssue(str(directory), "", "profile folder not found",
                                             "pass an existing folder with --profiles")])
        files.extend(sorted(p for p in directory.iterdir() if p.suffix in PROFILE_SUFFIXES and p.is_file()))
    return files


def read_profiles(directories: ProfileDirs = PROFILES_DIR) -> list[Profile]:
    """Read and validate every profile; all problems of all files are reported together."""
    vocabulary = load_vocabulary()
    profiles: list[Profile] = []
    issues: list[ProfileIssue] = []
    for path in profile_files(directories):
        try:
            profiles.append(read_profile(path, vocabulary))
        except ProfileError as error:
            issues.extend(error.issues)
    if issues:
        raise ProfileError(issues)
    check_profile_set(profiles)
    return profiles


def load_profiles(directory: ProfileDirs = PROFILES_DIR, engine: Engine | str | None = None) -> LoadReport:
    """Validate all profiles in ``directory`` (one folder or several), then write them in one transaction.

    Raises :class:`ProfileError` (nothing written) when any profile is invalid.
    """
    return write_profiles(read_profiles(directory), engine)


def write_profiles(profiles: Sequence[Profile], engine: Engine | str | None = None) -> LoadReport:
    """Make the store hold exactly ``profiles`` (already validated, e.g. by :func:`read_profiles`), in one
    transaction: unchanged ones are skipped, changed ones replaced, missing ones removed."""
    engine = engine if isinstance(engine, Engine) else get_engine(engine)
    path = sqlite_path(engine.url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    with session_scope(engine, write=True) as session:
        if engine.dialect.name == "postgresql":
            # Concurrent loads queue up instead of racing to insert the same slugs.
            session.execute(select(func.pg_advisory_xact_lock(LOAD_LOCK_KEY)))
        rebuilt = _ensure_tables(session)
        results = _synchronise(session, profiles)
        count = select(func.count()).select_from(models.ingredients).scalar_subquery()
        session.execute(update(models.StoreSchema).values(ingredient_count=count))
    return LoadReport(tuple(results), rebuilt=rebuilt)


def _ensure_tables(session: Session) -> bool:
    """Create the knowledge tables; drop and recreate them when their definitions changed since the last
    load (the store is rebuilt from the profiles, so nothing is lost). True when tables were rebuilt."""
    connection = session.connection()
    fingerprint = models.schema_fingerprint()
    existing = set(inspect(connection).get_table_names())
    ours = {table.name for table in models.metadata.sorted_tables}
    stale = False
    if existing & ours:
        stored = None
        if models.StoreSchema.__tablename__ in existing:
            stored = session.execute(select(models.StoreSchema.fingerprint)).scalar_one_or_none()
        stale = stored != fingerprint
        if stale:
            models.metadata.drop_all(connection)
    models.metadata.create_all(connection)
    if stale or not existing & ours:
        session.execute(delete(models.StoreSchema))
        session.add(models.StoreSchema(fingerprint=fingerprint))
        session.flush()
    return stale


def _synchronise(session: Session, profiles: Sequence[Profile]) -> list[ProfileLoadResult]:
    loaded = models.LoadedProfile.__table__
    stored = {row.slug: row for row in session.execute(select(loaded.c.id, loaded.c.slug, loaded.c.path,
                                                              loaded.c.content_hash))}
    results: list[ProfileLoadResult] = []
    wanted = {profile.slug for profile in profiles}
    for slug in sorted(set(stored) - wanted):
        results.append(ProfileLoadResult(slug, stored[slug].path, LoadStatus.REMOVED))
        session.execute(delete(loaded).where(loaded.c.id == stored[slug].id))
    to_write: list[tuple[Profile, str, str]] = []
    for profile in profiles:
        shown = display_path(profile.path)
        content_hash = profile.content_hash()
        previous = stored.get(profile.slug)
        if previous is not None and previous.content_hash == content_hash:
            if previous.path != shown:  # moved or renamed file, same content
                session.execute(update(loaded).where(loaded.c.id == previous.id).values(path=shown))
            results.append(ProfileLoadResult(profile.slug, shown, LoadStatus.UNCHANGED))
            continue
        if previous is not None:
            # Deleting a profile cascades to its ingredient, facts and sources (in the database).
            session.execute(delete(loaded).where(loaded.c.id == previous.id))
        to_write.append((profile, shown, content_hash))
        status = LoadStatus.ADDED if previous is None else LoadStatus.UPDATED
        results.append(ProfileLoadResult(profile.slug, shown, status))
    for start in range(0, len(to_write), WRITE_BATCH):
        _insert_profiles(session, to_write[start:start + WRITE_BATCH])
    return results


def _insert_profiles(session: Session, batch: Sequence[tuple[Profile, str, str]]) -> None:
    """Write a batch of profiles: one multi-row INSERT per table, reading back the ids the next table needs."""
    loaded, sources, ingredients = models.LoadedProfile.__table__, models.Source.__table__, models.ingredients
    session.execute(insert(loaded), [
        {"slug": profile.slug, "path": shown, "content_hash": content_hash} for profile, shown, content_hash in batch
    ])
    slugs = [profile.slug for profile, _, _ in batch]
    profile_ids = dict(session.execute(select(loaded.c.slug, loaded.c.id).where(loaded.c.slug.in_(slugs))).all())

    source_rows = []
    for profile, _, _ in batch:
        declarations = {declaration.title: declaration for declaration in profile.sources}
        source_rows += [
            {"profile_id": profile_ids[profile.slug], "position": position, "ref": declarations[ref.title].id,
             "title": ref.title, "section": ref.section, "url": ref.url, "document": declarations[ref.title].document}
            for position, ref in enumerate(profile.facts.sources)
        ]
    if source_rows:
        session.execute(insert(sources), source_rows)
    source_ids: dict[int, dict[int, int]] = defaultdict(dict)  # profile id -> position -> source id
    for row in session.execute(select(sources.c.profile_id, sources.c.position, sources.c.id)
                               .where(sources.c.profile_id.in_(profile_ids.values()))):
        source_ids[row.profile_id][row.position] = row.id

    rows_by_slug = {}
    for profile, _, _ in batch:
        profile_id = profile_ids[profile.slug]
        ids = {ref: source_ids[profile_id][position] for position, ref in enumerate(profile.facts.sources)}
        rows_by_slug[profile.slug] = rows.profile_rows(profile, ids)
        rows_by_slug[profile.slug].ingredient["profile_id"] = profile_id
    session.execute(insert(ingredients), [r.ingredient for r in rows_by_slug.values()])
    ingredient_ids = dict(session.execute(select(ingredients.c.slug, ingredients.c.id)
                                          .where(ingredients.c.slug.in_(slugs))).all())
    for name in rows.ROW_TABLES:
        table = models.ingredient_terms if name == rows.TERMS else models.fact_tables[name]
        table_rows = [{**row, "ingredient_id": ingredient_ids[slug]}
                      for slug, ingredient_rows in rows_by_slug.items() for row in ingredient_rows.facts[name]]
        if table_rows:
            session.execute(insert(table), table_rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status (1 on any error, with a message, no traceback)."""
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.loader",
        description="Validate the ingredient profiles and load them into the knowledge store.",
    )
    parser.add_argument("--db", help="database URL (default: $SKINCARE_DB_URL or var/skincare.sqlite)")
    parser.add_argument("--profiles", action="append", type=Path, metavar="DIR",
                        help=f"profile folder, repeatable (default: {display_path(PROFILES_DIR)})")
    args = parser.parse_args(argv)
    directories = args.profiles or [PROFILES_DIR]
    try:
        engine = get_engine(args.db)
    except (ArgumentError, ValueError) as error:
        print(f"Not a database URL: {args.db!r} ({error}). Use e.g. sqlite:///var/skincare.sqlite or "
              "postgresql+psycopg2://user@host:5432/dbname.", file=sys.stderr)
        return 1
    try:
        report = load_profiles(directories, engine)
    except ProfileError as error:
        print(error, file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"Could not write to the knowledge store at {display_url(engine.url)}: {reason}\n"
              f"Check the --db URL (or {DB_URL_ENV}) and that the database is running.", file=sys.stderr)
        return 1
    if report.rebuilt:
        print("the store's table definitions changed: all knowledge tables were rebuilt")
    for result in report.results:
        print(result.summary())
    if not report.results:
        print("no profiles found: the store is empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
