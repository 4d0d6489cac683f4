"""Load the YAML profiles into the knowledge store: validate everything first, then write once.

Every profile is validated before anything is written; any problem raises :class:`ProfileError` and
the store keeps its previous content. The write is one transaction. Loading is idempotent: profiles
whose content hash is unchanged are skipped, a changed profile is replaced, and a profile whose file
has gone is removed from the store.

Command line: ``python -m knowledge.loader [--db URL] [--profiles DIR ...]``.
"""

from __future__ import annotations

import argparse
import enum
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge import models
from knowledge.database import DB_URL_ENV, display_url, get_engine, session_scope, sqlite_path
from knowledge.facts import SourceRef, TextFact
from knowledge.profile_reader import KNOWLEDGE_DIR, ProfileError, ProfileIssue, display_path
from knowledge.schema import Profile, check_profile_set, normalize_term, read_profile
from knowledge.vocabulary import load_vocabulary

PROFILES_DIR = KNOWLEDGE_DIR / "profiles"
PROFILE_SUFFIXES = (".yml", ".yaml")
LOAD_LOCK_KEY = 0x6B6E6F77  # PostgreSQL advisory lock id for profile loads ("know")

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
    profiles = read_profiles(directory)
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
    stored = {row.slug: row for row in session.execute(select(models.LoadedProfile)).scalars()}
    results: list[ProfileLoadResult] = []
    wanted = {profile.slug for profile in profiles}
    for slug in sorted(set(stored) - wanted):
        results.append(ProfileLoadResult(slug, stored[slug].path, LoadStatus.REMOVED))
        session.execute(delete(models.LoadedProfile).where(models.LoadedProfile.id == stored[slug].id))
    for profile in profiles:
        shown = display_path(profile.path)
        content_hash = profile.content_hash()
        previous = stored.get(profile.slug)
        if previous is not None and previous.content_hash == content_hash:
            if previous.path != shown:
                previous.path = shown  # moved or renamed file, same content
            results.append(ProfileLoadResult(profile.slug, shown, LoadStatus.UNCHANGED))
            continue
        if previous is not None:
            session.execute(delete(models.LoadedProfile).where(models.LoadedProfile.id == previous.id))
            # Deleting a profile cascades to its ingredient, facts and sources (in the database).
        session.flush()
        _insert_profile(session, profile, shown, content_hash)
        status = LoadStatus.ADDED if previous is None else LoadStatus.UPDATED
        results.append(ProfileLoadResult(profile.slug, shown, status))
    session.flush()
    return results


def _insert_profile(session: Session, profile: Profile, shown: str, content_hash: str) -> None:
    facts = profile.facts
    loaded = models.LoadedProfile(slug=facts.slug, path=shown, content_hash=content_hash)
    session.add(loaded)
    session.flush()

    declarations = {declaration.title: declaration for declaration in profile.sources}
    source_ids: dict[SourceRef, int] = {}
    for ref in facts.sources:
        declared = declarations[ref.title]
        row = models.Source(profile_id=loaded.id, ref=declared.id, title=ref.title, section=ref.section,
                            url=ref.url, document=declared.document)
        session.add(row)
        session.flush()
        source_ids[ref] = row.id

    def text_columns(name: str, fact: TextFact | None) -> dict[str, object]:
        return {name: fact.text if fact else None, f"{name}_source_id": source_ids[fact.source] if fact else None}

    ingredient = models.Ingredient(
        profile_id=loaded.id, name=facts.name, slug=facts.slug, inci_name=facts.inci_name,
        inci_name_status=profile.inci_name_status,
        **text_columns("description", facts.description), **text_columns("origin", facts.origin),
        **text_columns("contents", facts.contents), **text_columns("history", facts.history),
        **text_columns("manufacturing", facts.manufacturing), **text_columns("form", facts.form),
        **text_columns("tolerance", facts.tolerance), **text_columns("market_status", facts.market_status),
        **text_columns("side_effects_overview", facts.side_effects_overview),
    )
    session.add(ingredient)
    session.flush()
    owner = {"ingredient_id": ingredient.id}

    terms = [(facts.name, models.TermKind.NAME), (facts.slug, models.TermKind.SLUG),
             (facts.inci_name, models.TermKind.INCI_NAME),
             *((s, models.TermKind.SYNONYM) for s in facts.synonyms),
             *((m, models.TermKind.MISSPELLING) for m in facts.misspellings)]
    seen: set[str] = set()
    rows: list[object] = []
    for term, kind in terms:
        normalized = normalize_term(term)
        if normalized in seen:  # e.g. an INCI name equal to the common name: one row is enough
            continue
        seen.add(normalized)
        rows.append(models.IngredientTerm(**owner, position=len(seen), term=term, normalized=normalized,
                                          kind=kind))
    rows += [models.ProductType(**owner, position=i, name=name, source_id=source_ids[facts.product_types_source])
             for i, name in enumerate(facts.product_types)]
    rows += [models.CosmeticFunction(**owner, position=i, name=f.name, explanation=f.explanation,
                                     source_id=source_ids[f.source]) for i, f in enumerate(facts.functions)]
    rows += [models.SkinTypeVerdict(**owner, position=i, skin_type=s.skin_type, verdict=s.verdict, reason=s.reason,
                                    source_id=source_ids[s.source]) for i, s in enumerate(facts.skin_types)]
    rows += [models.DietVerdict(**owner, position=i, diet=d.diet, verdict=d.verdict, reason=d.reason,
                                alternative=d.alternative, source_id=source_ids[d.source])
             for i, d in enumerate(facts.diets)]
    rows += [models.LifeStageAdvice(**owner, position=i, life_stage=s.life_stage, evidence=s.evidence,
                                    summary=s.summary, advice=s.advice, source_id=source_ids[s.source])
             for i, s in enumerate(facts.life_stages)]
    if facts.sun is not None:
        sun = facts.sun
        rows.append(models.SunSensitivity(**owner, position=0,
                                          increases_photosensitivity=sun.increases_photosensitivity,
                                          explanation=sun.explanation, daytime_advice=sun.daytime_advice,
                                          source_id=source_ids[sun.source]))
    rows += [models.AllergenVerdict(**owner, position=i, allergen=a.allergen, verdict=a.verdict, reason=a.reason,
                                    source_id=source_ids[a.source]) for i, a in enumerate(facts.allergens)]
    rows += [models.SideEffect(**owner, position=i, name=s.name, description=s.description,
                               likelihood=s.likelihood, at_risk=s.at_risk, source_id=source_ids[s.source])
             for i, s in enumerate(facts.side_effects)]
    if facts.comedogenic is not None:
        rating = facts.comedogenic
        rows.append(models.ComedogenicRating(**owner, position=0, rating=rating.rating,
                                             rationale=rating.rationale, note=rating.note,
                                             source_id=source_ids[rating.source]))
    rows += [models.UsageAdvice(**owner, position=i, topic=u.topic, advice=u.advice, source_id=source_ids[u.source])
             for i, u in enumerate(facts.usage)]
    session.add_all(rows)


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
