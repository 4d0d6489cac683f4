"""The read side of the knowledge store, for the action server and the spaCy pipeline builder.

Queries return the plain fact types of ``knowledge.facts`` and never word a reply. Each lookup is one
SQL statement on indexed columns (an ingredient's name -> its rows in every fact table), so its cost does
not grow with the store; nothing is cached in the process, so a reload is seen at once.
The ``a``-prefixed variants run in a worker thread so an event loop is never blocked by the database.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, func, literal_column, select, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import ColumnElement, Select

from knowledge import models, rows
from knowledge.database import display_url, get_engine, sqlite_path
from knowledge.facts import IngredientFacts, SourceRef
from knowledge.schema import normalize_term
from knowledge.shape import TERM_FIELDS

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


def find_ingredient(name: str, engine: Engine | str | None = None) -> IngredientFacts | None:
    """The facts of the ingredient called ``name`` (its name, slug, INCI name, a synonym or a known
    misspelling; case, hyphens and extra spaces are ignored), or None when the store has no profile.

    Raises :class:`KnowledgeStoreUnavailable` when the store cannot be read.
    """
    key = normalize_term(name) if isinstance(name, str) else ""
    if not key:
        return None
    resolved = _resolve_engine(engine)
    with _reading(resolved) as connection:
        fetched = connection.execute(_facts_statement(resolved.dialect.name), {"key": key}).all()
    if not fetched:
        return None
    parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for part, _position, payload in sorted(fetched, key=lambda row: (row[0], row[1])):
        parts[part].append(payload if isinstance(payload, dict) else json.loads(payload))
    # In position order: the order the profile cites them in.
    sources = {source["id"]: SourceRef(source["title"], source["section"], source["url"])
               for source in parts.pop(_SOURCES, ())}
    return rows.facts_from_rows(parts.pop(_INGREDIENT)[0], parts, sources, tuple(sources.values()))


def list_ingredients(engine: Engine | str | None = None) -> list[str]:
    """The display names of all profiled ingredients, sorted."""
    resolved = _resolve_engine(engine)
    with _reading(resolved) as connection:
        names = connection.execute(select(models.ingredients.c.name)).scalars().all()
    return sorted(names, key=str.casefold)


def ingredient_terms(engine: Engine | str | None = None) -> list[IngredientTerms]:
    """Each profiled ingredient's names and surface forms, sorted by name."""
    ingredients, terms = models.ingredients, models.ingredient_terms
    slug_kind = next(f.name for f in TERM_FIELDS if f.notes.slug)  # a slug is an id, not a name people type
    resolved = _resolve_engine(engine)
    options = {"isolation_level": "REPEATABLE READ"} if resolved.dialect.name == "postgresql" else {}
    with _reading(resolved, **options) as connection, connection.begin():  # one consistent view
        listed = connection.execute(select(ingredients.c.id, ingredients.c.name, ingredients.c.slug,
                                           ingredients.c.inci_name).order_by(ingredients.c.name)).all()
        forms: dict[int, list[str]] = defaultdict(list)
        statement = (select(terms.c.ingredient_id, terms.c.term).where(terms.c.kind != slug_kind)
                     .order_by(terms.c.ingredient_id, terms.c.position))
        for row in connection.execute(statement):
            forms[row.ingredient_id].append(row.term)
    return [IngredientTerms(name=row.name, slug=row.slug, inci_name=row.inci_name, terms=tuple(forms[row.id]))
            for row in listed]


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


@contextmanager
def _reading(engine: Engine, **options: Any) -> Iterator[Connection]:
    """A connection for one read; any database error becomes :class:`KnowledgeStoreUnavailable`."""
    try:
        with engine.connect() as connection:
            yield connection.execution_options(**options) if options else connection
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise KnowledgeStoreUnavailable(
            f"The knowledge store at {display_url(engine.url)} cannot be read ({reason}). "
            "Run `make kb` to build it."
        ) from error


# The parts of the one-statement fact lookup besides the fact tables (rows.ROW_TABLES).
_INGREDIENT = "ingredient"
_SOURCES = "sources"


def _json_object(dialect: str, columns: Iterable[ColumnElement]) -> ColumnElement:
    """A JSON object of ``columns`` keyed by their names (the keys are our own column names, not input)."""
    build = func.json_build_object if dialect == "postgresql" else func.json_object
    return build(*(item for column in columns for item in (literal_column(f"'{column.name}'"), column)))


@functools.cache
def _facts_statement(dialect: str) -> Select:
    """One statement returning every row of one ingredient (found by a normalised name, ``:key``) as
    (part, position, JSON object): its ingredients row, its sources and its rows in each fact table. One
    round trip, every branch an index lookup; built once per dialect."""
    ingredients, terms, sources = models.ingredients, models.ingredient_terms, models.Source.__table__
    target = select(terms.c.ingredient_id).where(terms.c.normalized == bindparam("key")).scalar_subquery()
    profile = select(ingredients.c.profile_id).where(ingredients.c.id == target).scalar_subquery()

    def part(name: str, table: Table, position: ColumnElement, where: ColumnElement,
             columns: Iterable[ColumnElement] | None = None) -> Select:
        payload = _json_object(dialect, columns if columns is not None else table.columns)
        return select(literal_column(f"'{name}'").label("part"), position.label("position"),
                      payload.label("payload")).where(where)

    branches = [
        part(_INGREDIENT, ingredients, literal_column("0"), ingredients.c.id == target),
        part(_SOURCES, sources, sources.c.position, sources.c.profile_id == profile,
             [sources.c.id, sources.c.title, sources.c.section, sources.c.url]),
    ]
    for name in rows.ROW_TABLES:
        table = terms if name == rows.TERMS else models.fact_tables[name]
        branches.append(part(name, table, table.c.position, table.c.ingredient_id == target))
    return union_all(*branches)
