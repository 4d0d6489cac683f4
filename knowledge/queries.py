"""The read side of the knowledge store, for the action server and the spaCy pipeline builder.

Queries return the plain fact types of ``knowledge.facts`` and never word a reply. The store is small,
so the whole of it is read into an in-process snapshot (one SELECT per table) and reused for as long as
the loaded profiles' content hashes stay the same: each call costs one small query to check that.
The ``a``-prefixed variants run in a worker thread so an event loop is never blocked by the database.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import SQLAlchemyError

from knowledge import models
from knowledge.database import display_url, get_engine, sqlite_path
from knowledge.facts import (
    AllergenVerdict,
    ComedogenicRating,
    CosmeticFunction,
    DietCompatibility,
    IngredientFacts,
    LifeStageAdvice,
    SideEffect,
    SkinTypeSuitability,
    SourceRef,
    SunSensitivity,
    TextFact,
    UsageAdvice,
)
from knowledge.schema import normalize_term

__all__ = [
    "IngredientTerms",
    "KnowledgeStoreUnavailable",
    "afind_ingredient",
    "alist_ingredients",
    "find_ingredient",
    "ingredient_terms",
    "list_ingredients",
]


class KnowledgeStoreUnavailable(RuntimeError):
    """The store cannot be read (no database file, tables missing, server down); `make kb` builds it."""


@dataclass(frozen=True)
class IngredientTerms:
    """Every way people may name one profiled ingredient (for the entity pipeline builder)."""

    name: str
    slug: str
    inci_name: str
    terms: tuple[str, ...]  # name, INCI name, synonyms and misspellings, in profile order


@dataclass(frozen=True)
class _Snapshot:
    fingerprint: tuple[tuple[str, str], ...]
    slug_by_term: dict[str, str]
    facts_by_slug: dict[str, IngredientFacts]
    terms: tuple[IngredientTerms, ...]


_snapshots: dict[Engine, _Snapshot] = {}
_snapshot_lock = threading.Lock()


def find_ingredient(name: str, engine: Engine | str | None = None) -> IngredientFacts | None:
    """The facts of the ingredient called ``name`` (its name, slug, INCI name, a synonym or a known
    misspelling; case, hyphens and extra spaces are ignored), or None when the store has no profile.

    Raises :class:`KnowledgeStoreUnavailable` when the store cannot be read.
    """
    key = normalize_term(name) if isinstance(name, str) else ""
    if not key:
        return None
    snapshot = _current_snapshot(engine)
    slug = snapshot.slug_by_term.get(key)
    return snapshot.facts_by_slug[slug] if slug is not None else None


def list_ingredients(engine: Engine | str | None = None) -> list[str]:
    """The display names of all profiled ingredients, sorted."""
    return sorted((facts.name for facts in _current_snapshot(engine).facts_by_slug.values()), key=str.casefold)


def check_store(engine: Engine | str | None = None) -> int:
    """How many ingredients the store can answer about, read the way every question reads it (readiness
    probes); raises KnowledgeStoreUnavailable when it cannot be read or holds none."""
    count = len(_current_snapshot(engine).facts_by_slug)
    if count == 0:
        raise KnowledgeStoreUnavailable("The knowledge store holds no ingredients. Run `make kb` to load them.")
    return count


def ingredient_terms(engine: Engine | str | None = None) -> list[IngredientTerms]:
    """Each profiled ingredient's names and surface forms, sorted by name."""
    return list(_current_snapshot(engine).terms)


async def afind_ingredient(name: str, engine: Engine | str | None = None) -> IngredientFacts | None:
    """:func:`find_ingredient` in a worker thread, for use inside an event loop."""
    return await asyncio.to_thread(find_ingredient, name, engine)


async def alist_ingredients(engine: Engine | str | None = None) -> list[str]:
    """:func:`list_ingredients` in a worker thread, for use inside an event loop."""
    return await asyncio.to_thread(list_ingredients, engine)


def _resolve_engine(engine: Engine | str | None) -> Engine:
    if isinstance(engine, Engine):
        resolved = engine
    else:
        try:
            resolved = get_engine(engine)
        except SQLAlchemyError as error:
            raise KnowledgeStoreUnavailable(
                f"The knowledge store URL {engine!r} is not usable ({error}). Check SKINCARE_DB_URL."
            ) from error
    path = sqlite_path(resolved.url)
    if path is not None and not path.is_file():
        # Checked before connecting: SQLite would otherwise create an empty database file.
        raise KnowledgeStoreUnavailable(
            f"The knowledge store has not been built yet ({path} does not exist). Run `make kb` to build it."
        )
    return resolved


def _current_snapshot(engine: Engine | str | None) -> _Snapshot:
    resolved = _resolve_engine(engine)
    try:
        with resolved.connect() as connection:
            fingerprint = _fingerprint(connection)
            cached = _snapshots.get(resolved)
            if cached is not None and cached.fingerprint == fingerprint:
                return cached
        with _snapshot_lock:
            cached = _snapshots.get(resolved)
            if cached is not None and cached.fingerprint == fingerprint:
                return cached
            snapshot = _read_snapshot(resolved)
            _snapshots[resolved] = snapshot
            return snapshot
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise KnowledgeStoreUnavailable(
            f"The knowledge store at {display_url(resolved.url)} cannot be read ({reason}). "
            "Run `make kb` to build it."
        ) from error


def _fingerprint(connection: Connection) -> tuple[tuple[str, str], ...]:
    rows = connection.execute(
        select(models.LoadedProfile.slug, models.LoadedProfile.content_hash).order_by(models.LoadedProfile.slug)
    )
    return tuple((row.slug, row.content_hash) for row in rows)


def _read_snapshot(engine: Engine) -> _Snapshot:
    """Read the whole store in one transaction (a consistent view even while a load commits)."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        fingerprint = _fingerprint(connection)
        sources: dict[int, SourceRef] = {}
        sources_by_profile: dict[int, list[SourceRef]] = defaultdict(list)
        for row in connection.execute(select(models.Source).order_by(models.Source.id)):
            sources[row.id] = SourceRef(title=row.title, section=row.section, url=row.url)
            sources_by_profile[row.profile_id].append(sources[row.id])
        facts_rows: dict[type, dict[int, list[Row]]] = {}
        for table in models.FACT_TABLES:
            grouped: dict[int, list[Row]] = defaultdict(list)
            statement = select(table).order_by(table.ingredient_id, table.position)
            for row in connection.execute(statement):
                grouped[row.ingredient_id].append(row)
            facts_rows[table] = grouped
        ingredients = list(connection.execute(select(models.Ingredient).order_by(models.Ingredient.name)))

    facts_by_slug: dict[str, IngredientFacts] = {}
    slug_by_term: dict[str, str] = {}
    terms: list[IngredientTerms] = []
    for ingredient in ingredients:
        rows = {table: facts_rows[table].get(ingredient.id, []) for table in models.FACT_TABLES}
        cited = tuple(sources_by_profile[ingredient.profile_id])
        facts_by_slug[ingredient.slug] = _ingredient_facts(ingredient, rows, sources, cited)
        term_rows = rows[models.IngredientTerm]
        for term in term_rows:
            slug_by_term[term.normalized] = ingredient.slug
        terms.append(IngredientTerms(
            name=ingredient.name, slug=ingredient.slug, inci_name=ingredient.inci_name,
            terms=tuple(t.term for t in term_rows if t.kind is not models.TermKind.SLUG),
        ))
    return _Snapshot(fingerprint, slug_by_term, facts_by_slug, tuple(terms))


def _ingredient_facts(
    ingredient: Row, rows: dict[type, list[Row]], sources: dict[int, SourceRef], cited: tuple[SourceRef, ...]
) -> IngredientFacts:
    """Rebuild one ingredient's facts from its rows; ``cited`` are its sources in profile order."""

    def text(name: str) -> TextFact | None:
        value = getattr(ingredient, name)
        return None if value is None else TextFact(value, sources[getattr(ingredient, f"{name}_source_id")])

    def terms(kind: models.TermKind) -> tuple[str, ...]:
        return tuple(t.term for t in rows[models.IngredientTerm] if t.kind is kind)

    product_rows = rows[models.ProductType]
    sun = _one(rows[models.SunSensitivity])
    rating = _one(rows[models.ComedogenicRating])
    return IngredientFacts(
        name=ingredient.name,
        slug=ingredient.slug,
        inci_name=ingredient.inci_name,
        synonyms=terms(models.TermKind.SYNONYM),
        misspellings=terms(models.TermKind.MISSPELLING),
        description=text("description"),
        origin=text("origin"),
        contents=text("contents"),
        history=text("history"),
        manufacturing=text("manufacturing"),
        form=text("form"),
        product_types=tuple(p.name for p in product_rows),
        product_types_source=sources[product_rows[0].source_id],  # the schema requires at least one
        functions=tuple(CosmeticFunction(f.name, f.explanation, sources[f.source_id])
                        for f in rows[models.CosmeticFunction]),
        skin_types=tuple(SkinTypeSuitability(s.skin_type, s.verdict, s.reason, sources[s.source_id])
                         for s in rows[models.SkinTypeVerdict]),
        diets=tuple(DietCompatibility(d.diet, d.verdict, d.reason, d.alternative, sources[d.source_id])
                    for d in rows[models.DietVerdict]),
        life_stages=tuple(LifeStageAdvice(s.life_stage, s.evidence, s.summary, s.advice, sources[s.source_id])
                          for s in rows[models.LifeStageAdvice]),
        sun=SunSensitivity(sun.increases_photosensitivity, sun.explanation, sun.daytime_advice,
                           sources[sun.source_id]) if sun else None,
        allergens=tuple(AllergenVerdict(a.allergen, a.verdict, a.reason, sources[a.source_id])
                        for a in rows[models.AllergenVerdict]),
        side_effects=tuple(SideEffect(s.name, s.description, s.likelihood, s.at_risk, sources[s.source_id])
                           for s in rows[models.SideEffect]),
        side_effects_overview=text("side_effects_overview"),
        comedogenic=ComedogenicRating(rating.rating, rating.rationale, rating.note, sources[rating.source_id])
        if rating else None,
        usage=tuple(UsageAdvice(u.topic, u.advice, sources[u.source_id]) for u in rows[models.UsageAdvice]),
        tolerance=text("tolerance"),
        market_status=text("market_status"),
        sources=cited,
    )


def _one(rows: list[Row]) -> Row | None:
    return rows[0] if rows else None
