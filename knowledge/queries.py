"""The read side of the knowledge store, for the action server and the spaCy pipeline builder.

Queries return the plain fact types of ``knowledge.facts`` and never word a reply. A lookup is SQL on
indexed columns, so its cost does not grow with the store: one small query finds the ingredient by a
normalised name, with its profile's content hash and the facts document the loader wrote into its row
(``knowledge.rows``). The document is turned into facts unless a bounded per-process cache already holds
them for that very content hash (so a reload is seen at once).
The ``a``-prefixed variants run in a worker thread so an event loop is never blocked by the database.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Integer, bindparam, func, select, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from knowledge import models, rows
from knowledge.database import PreparedRead, display_url, get_engine, read, sqlite_path
from knowledge.facts import IngredientFacts
from knowledge.schema import normalize_term
from knowledge.shape import TERM_FIELDS

__all__ = [
    "IngredientTerms",
    "KnowledgeStoreUnavailable",
    "IngredientNames",
    "afind_ingredient",
    "afirst_ingredients",
    "alist_ingredients",
    "aingredients_ending_in",
    "find_ingredient",
    "first_ingredients",
    "ingredient_terms",
    "ingredients_ending_in",
    "list_ingredients",
]


T = TypeVar("T")


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
    found = _read(resolved, lambda connection: _LOOKUP.execute(connection, key=key).first())
    if found is None:
        return None
    cache = _caches.setdefault(resolved, _FactsCache(FACTS_CACHE_SIZE))
    facts = cache.get(found.id, found.content_hash)
    if facts is None:
        facts = rows.facts_from_document(found.document)
        cache.put(found.id, found.content_hash, facts)
    return facts


class _FactsCache:
    """The facts of the most recently asked ingredients, each valid only for the content hash it was read
    with: bounded (least recently used first out), never a copy of the store."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[int, tuple[str, IngredientFacts]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, ingredient_id: int, content_hash: str) -> IngredientFacts | None:
        with self.lock:
            entry = self.entries.get(ingredient_id)
            if entry is None or entry[0] != content_hash:
                return None
            self.entries.move_to_end(ingredient_id)
            return entry[1]

    def put(self, ingredient_id: int, content_hash: str, facts: IngredientFacts) -> None:
        with self.lock:
            self.entries[ingredient_id] = (content_hash, facts)
            self.entries.move_to_end(ingredient_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def forget_cached_facts() -> None:
    """Drop every cached ingredient (benchmarks use it to time the uncached path; correctness never needs it)."""
    for cache in list(_caches.values()):
        with cache.lock:
            cache.entries.clear()


#: Ingredients whose facts a process keeps (a few KB each); the rest are read from the store when asked.
FACTS_CACHE_SIZE = 256
_caches: weakref.WeakKeyDictionary[Engine, _FactsCache] = weakref.WeakKeyDictionary()  # gone with its engine


def list_ingredients(engine: Engine | str | None = None) -> list[str]:
    """The display names of all profiled ingredients, sorted (grows with the store: not for replies, see
    :func:`first_ingredients`)."""
    resolved = _resolve_engine(engine)
    names = _read(resolved, lambda connection: connection.execute(select(models.ingredients.c.name)).scalars().all())
    return sorted(names, key=str.casefold)


@dataclass(frozen=True)
class IngredientNames:
    """The first few profiled ingredients by name, and how many the store holds in all."""

    names: tuple[str, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are not among ``names``."""
        return self.total - len(self.names)


def first_ingredients(limit: int, engine: Engine | str | None = None) -> IngredientNames:
    """At most ``limit`` display names (the first by slug, through its unique index; sorted) and the total:
    what a reply that names a few of them needs, at the same cost whatever the size of the store (unlike
    :func:`list_ingredients`). One statement: the total is the count the last load recorded (counting the
    rows read the whole table: 7 ms at 10,000 profiles on PostgreSQL)."""
    resolved = _resolve_engine(engine)
    table = models.ingredients
    total = select(models.StoreSchema.ingredient_count).limit(1).scalar_subquery()
    statement = select(table.c.name, total.label("total")).order_by(table.c.slug).limit(limit)
    found = _read(resolved, lambda connection: connection.execute(statement).all())
    names = [row.name for row in found]
    return IngredientNames(tuple(sorted(names, key=str.casefold)),
                           len(names) if len(names) < limit else max(found[0].total, len(names)))


def ingredients_ending_in(stem: str, limit: int, engine: Engine | str | None = None) -> list[str]:
    """Display names of ingredients whose slug has several words and ends in the word ``stem`` or ``stem`` + "s"
    ("exosome" -> "milk exosomes"), the first ``limit`` by slug, sorted: the candidates for a bare family word.
    The match reads the index of the slug's last word and the slug (:data:`knowledge.models.FAMILY_WORD`), at most
    ``limit`` entries per word, however many ingredients share it; matching a suffix of the slug read every row
    (6 ms at 10,000 profiles on PostgreSQL)."""
    word = stem.lower()
    values = {"word": word, "plural": f"{word}s", "limit": limit}
    resolved = _resolve_engine(engine)
    names = _read(resolved, lambda connection: connection.execute(_FAMILY, values).scalars().all())
    return sorted(names, key=str.casefold)


def _family_statement() -> Select:
    """The first ``:limit`` names by slug among the ingredients whose family word is ``:word`` or ``:plural``
    (built once: building its subqueries cost more than running it)."""
    table, limit = models.ingredients, bindparam("limit", type_=Integer)

    def first_with(last_word: str) -> Select:  # each reads at most ``limit`` entries of the (word, slug) index
        matching = (select(table.c.name, table.c.slug).where(table.c[models.FAMILY_WORD] == bindparam(last_word))
                    .order_by(table.c.slug).limit(limit).subquery())
        return select(matching.c.name, matching.c.slug)

    both = union_all(first_with("word"), first_with("plural")).subquery()
    return select(both.c.name).order_by(both.c.slug).limit(limit)


_FAMILY = _family_statement()


def check_store(engine: Engine | str | None = None) -> int:
    """How many ingredients the store can answer about, read the way every question reads it (readiness
    probes); raises KnowledgeStoreUnavailable when it cannot be read or holds none."""
    resolved = _resolve_engine(engine)

    def work(connection: Connection) -> tuple[int, str | None]:
        return (connection.execute(select(func.count()).select_from(models.ingredients)).scalar_one(),
                connection.execute(select(models.ingredients.c.name).limit(1)).scalar())

    count, first = _read(resolved, work, consistent=True)
    if count == 0 or first is None:
        raise KnowledgeStoreUnavailable("The knowledge store holds no ingredients. Run `make kb` to load them.")
    if find_ingredient(first, resolved) is None:  # the lookup every question makes must work too
        raise KnowledgeStoreUnavailable(f"The knowledge store lists {first!r} but cannot read its facts. "
                                        "Run `make kb` to rebuild it.")
    return count


def ingredient_terms(engine: Engine | str | None = None) -> list[IngredientTerms]:
    """Each profiled ingredient's names and surface forms, sorted by name."""
    ingredients, terms = models.ingredients, models.ingredient_terms
    slug_kind = next(f.name for f in TERM_FIELDS if f.notes.slug)  # a slug is an id, not a name people type
    resolved = _resolve_engine(engine)

    def work(connection: Connection) -> tuple[list[Any], dict[int, list[str]]]:
        listed = connection.execute(select(ingredients.c.id, ingredients.c.name, ingredients.c.slug,
                                           ingredients.c.inci_name).order_by(ingredients.c.name)).all()
        forms: dict[int, list[str]] = defaultdict(list)
        statement = (select(terms.c.ingredient_id, terms.c.term).where(terms.c.kind != slug_kind)
                     .order_by(terms.c.ingredient_id, terms.c.position))
        for row in connection.execute(statement):
            forms[row.ingredient_id].append(row.term)
        return listed, forms

    listed, forms = _read(resolved, work, consistent=True)  # one view of both tables
    return [IngredientTerms(name=row.name, slug=row.slug, inci_name=row.inci_name, terms=tuple(forms[row.id]))
            for row in listed]


async def afind_ingredient(name: str, engine: Engine | str | None = None) -> IngredientFacts | None:
    """:func:`find_ingredient` in a worker thread, for use inside an event loop."""
    return await asyncio.to_thread(find_ingredient, name, engine)


async def alist_ingredients(engine: Engine | str | None = None) -> list[str]:
    """:func:`list_ingredients` in a worker thread, for use inside an event loop."""
    return await asyncio.to_thread(list_ingredients, engine)


async def afirst_ingredients(limit: int, engine: Engine | str | None = None) -> IngredientNames:
    """:func:`first_ingredients` in a worker thread, for use inside an event loop."""
    return await asyncio.to_thread(first_ingredients, limit, engine)


async def aingredients_ending_in(word: str, limit: int, engine: Engine | str | None = None) -> list[str]:
    """:func:`ingredients_ending_in` in a worker thread, for use inside an event loop."""
    return await asyncio.to_thread(ingredients_ending_in, word, limit, engine)


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


def _read(engine: Engine, work: Callable[[Connection], T], *, consistent: bool = False) -> T:
    """:func:`knowledge.database.read`; any database error becomes :class:`KnowledgeStoreUnavailable`."""
    try:
        return read(engine, work, consistent=consistent)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise KnowledgeStoreUnavailable(
            f"The knowledge store at {display_url(engine.url)} cannot be read ({reason}). "
            "Run `make kb` to build it."
        ) from error


def _lookup_statement() -> Select:
    """The ingredient a normalised name (``:key``) belongs to: its id, its profile's content hash and its facts
    document (one statement, so the three always agree, even while a reload commits)."""
    ingredients, terms, loaded = models.ingredients, models.ingredient_terms, models.LoadedProfile.__table__
    return (select(ingredients.c.id, loaded.c.content_hash, ingredients.c[models.FACTS_DOCUMENT].label("document"))
            .join(ingredients, ingredients.c.id == terms.c.ingredient_id)
            .join(loaded, loaded.c.id == ingredients.c.profile_id)
            .where(terms.c.normalized == bindparam("key")))


_LOOKUP = PreparedRead("knowledge_find_ingredient", _lookup_statement())
