"""The read side of the annex layer: indexed SQL lookups, never the whole layer in memory.

``find_annex_entries("Linalool")`` is one statement (the entries one of whose names has that indexed key,
with all their names); the labelled fragrance allergens are one statement on an indexed flag. A store loaded without the
annex layer (older stores, tests of the profiles alone) simply holds no EU rules: lookups return nothing.
The ``a``-prefixed variants run in a worker thread so an event loop is never blocked.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import JSON, bindparam, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select
from sqlalchemy.sql.functions import FunctionElement

from knowledge.annexes import models
from knowledge.annexes.facts import Annex, AnnexDataset, AnnexEntry
from knowledge.annexes.names import name_key
from knowledge.database import PreparedRead, display_url, get_engine, read, sqlite_path
from knowledge.queries import KnowledgeStoreUnavailable

T = TypeVar("T")

#: Name kinds people say out loud (numbers are looked up, not recognised in text).
SPOKEN_KINDS = (models.NameKind.INCI, models.NameKind.CHEMICAL, models.NameKind.IDENTIFIED)


@dataclass(frozen=True)
class AnnexTerm:
    """One spoken name of an annexed substance, for the entity pipeline builder."""

    name: str
    kind: str


def find_annex_entries(name: str, engine: Engine | str | None = None) -> list[AnnexEntry]:
    """Every annex entry one of whose names (INCI, chemical, identified ingredient, CAS or EC number) is
    ``name`` once normalised; ordered by annex, then reference. Empty when none is."""
    key = name_key(name) if isinstance(name, str) else ""
    if not key:
        return []

    def work(connection: Connection) -> list[AnnexEntry]:
        return [entry for _, entry in _from_rows(_BY_KEY.execute(connection, key=key))]

    return _run(engine, work, [])


def labelled_fragrance_allergens(engine: Engine | str | None = None) -> list[AnnexEntry]:
    """The entries whose presence must be named on the label above 0.001 % (leave-on) / 0.01 % (rinse-off)."""

    def work(connection: Connection) -> list[AnnexEntry]:
        ids = select(models.AnnexEntryRow.id).where(models.AnnexEntryRow.labelled_allergen.is_(True))
        return _entries(connection, ids)

    return _run(engine, work, [])


def annex_terms(engine: Engine | str | None = None) -> list[AnnexTerm]:
    """Every spoken name in the annex layer (distinct, in load order)."""

    def work(connection: Connection) -> list[AnnexTerm]:
        rows = connection.execute(select(models.AnnexName.name, models.AnnexName.kind)
                                  .where(models.AnnexName.kind.in_(SPOKEN_KINDS)).order_by(models.AnnexName.id))
        seen: dict[str, AnnexTerm] = {}
        for row in rows:
            seen.setdefault(row.name.casefold(), AnnexTerm(row.name, row.kind.value))
        return list(seen.values())

    return _run(engine, work, [])


def annex_dataset(engine: Engine | str | None = None) -> AnnexDataset | None:
    """Which export is loaded and each annex's last update; None when the store has no annex layer."""

    def work(connection: Connection) -> AnnexDataset | None:
        row = connection.execute(select(models.AnnexDatasetRow)).first()
        if row is None:
            return None
        updates = {r.annex: r.last_update for r in connection.execute(select(models.AnnexFile))}
        return AnnexDataset(row.package, row.sha256, updates)

    return _run(engine, work, None, consistent=True)


async def afind_annex_entries(name: str, engine: Engine | str | None = None) -> list[AnnexEntry]:
    """:func:`find_annex_entries` in a worker thread."""
    return await asyncio.to_thread(find_annex_entries, name, engine)


async def alabelled_fragrance_allergens(engine: Engine | str | None = None) -> list[AnnexEntry]:
    """:func:`labelled_fragrance_allergens` in a worker thread."""
    return await asyncio.to_thread(labelled_fragrance_allergens, engine)


async def afind_annex_entries_for(names: Sequence[str],
                                  engine: Engine | str | None = None) -> dict[str, list[AnnexEntry]]:
    """:func:`find_annex_entries_for` in a worker thread."""
    return await asyncio.to_thread(find_annex_entries_for, names, engine)


async def aannex_dataset(engine: Engine | str | None = None) -> AnnexDataset | None:
    """:func:`annex_dataset` in a worker thread."""
    return await asyncio.to_thread(annex_dataset, engine)


def _entries(connection: Connection, ids: object) -> list[AnnexEntry]:
    """The entries whose id is in the ``ids`` subquery, with their names, ordered by annex and line."""
    return [entry for _, entry in _entries_with_ids(connection, ids)]


def _entries_with_ids(connection: Connection, ids: object) -> list[tuple[int, AnnexEntry]]:
    return _from_rows(connection.execute(_entries_statement(ids)))


def _entries_statement(ids: object) -> Select:
    """The entries whose id is in ``ids``, one row each with all its names aggregated in the row (see
    :class:`_NamesOf`), in one statement: on PostgreSQL a lookup is one round trip, and it sees one state of the
    layer even while a load commits. (Joining the names instead repeated every entry's cells once per name: the
    Annex II entry with 708 names took 3 ms to read on either database.)"""
    entry, name = models.AnnexEntryRow, models.AnnexName
    names = (select(_NamesOf(name.position, name.kind, name.name)).where(name.entry_id == entry.id)
             .scalar_subquery().label("names"))
    return select(entry, names).where(entry.id.in_(ids))


class _NamesOf(FunctionElement):
    """One entry's names as a JSON array of ``[position, kind, name]`` triples, in no particular order (SQLite
    3.40 cannot order inside an aggregate; :func:`_from_rows` sorts by position)."""

    type = JSON()
    inherit_cache = True


@compiles(_NamesOf, "postgresql")
def _names_of_postgresql(element: _NamesOf, compiler: Any, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


@compiles(_NamesOf)
def _names_of_sqlite(element: _NamesOf, compiler: Any, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


#: The lookup by one name's key, planned once per connection on PostgreSQL.
_BY_KEY = PreparedRead("knowledge_find_annex_entries", _entries_statement(
    select(models.AnnexName.entry_id).where(models.AnnexName.key == bindparam("key"))))


def _from_rows(found: Iterable[Any]) -> list[tuple[int, AnnexEntry]]:
    """Entries (with their ids) from the rows of :func:`_entries_statement`, ordered by annex and line."""
    order = list(Annex)
    ordered = sorted(found, key=lambda r: (order.index(r.annex), r.source_line))
    return [(row.id, _entry(row, _names_by_kind(row.names))) for row in ordered]


def _names_by_kind(triples: Iterable[Sequence[Any]] | None) -> dict[models.NameKind, list[str]]:
    names: dict[models.NameKind, list[str]] = defaultdict(list)
    for _, kind, text in sorted(triples or (), key=lambda triple: triple[0]):
        names[models.NameKind(kind)].append(text)
    return names


def _entry(row: object, names: dict[models.NameKind, list[str]]) -> AnnexEntry:
    return AnnexEntry(
        annex=row.annex, reference=row.reference, chemical_name=row.chemical_name,  # type: ignore[attr-defined]
        inci_names=tuple(names[models.NameKind.INCI]), cas_numbers=tuple(names[models.NameKind.CAS]),
        ec_numbers=tuple(names[models.NameKind.EC]),
        identified_ingredients=tuple(names[models.NameKind.IDENTIFIED]),
        product_types=row.product_types, max_concentration=row.max_concentration,  # type: ignore[attr-defined]
        other_conditions=row.other_conditions, warnings=row.warnings, colour=row.colour,  # type: ignore[attr-defined]
        regulation=row.regulation, updated=row.updated,  # type: ignore[attr-defined]
        labelled_allergen=row.labelled_allergen,  # type: ignore[attr-defined]
        source_file=row.source_file, source_line=row.source_line,  # type: ignore[attr-defined]
    )


def _run(engine: Engine | str | None, work: Callable[[Connection], T], without_layer: T, *,
         consistent: bool = False) -> T:
    """Run ``work`` (:func:`knowledge.database.read`; ``consistent`` for work of several statements that must
    see one state of the layer); ``without_layer`` when the store has no annex tables."""
    resolved = engine if isinstance(engine, Engine) else get_engine(engine)
    path = sqlite_path(resolved.url)
    if path is not None and not path.is_file():
        raise KnowledgeStoreUnavailable(
            f"The knowledge store has not been built yet ({path} does not exist). Run `make kb` to build it.")
    try:
        return read(resolved, work, consistent=consistent)
    except SQLAlchemyError as error:
        if not _has_annex_layer(resolved):
            return without_layer
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise KnowledgeStoreUnavailable(
            f"The knowledge store at {display_url(resolved.url)} cannot be read ({reason}). Run `make kb`."
        ) from error


def _has_annex_layer(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table(models.AnnexEntryRow.__tablename__)
    except SQLAlchemyError:
        return True  # the database itself is unreachable: report that, not "no rules"


def entry_keys(entries: Sequence[AnnexEntry]) -> list[tuple[str, str]]:
    """(annex, reference) of each entry: a compact, stable identity for tests and answer data."""
    return [(e.annex.value, e.reference) for e in entries]



def find_annex_entries_for(names: Sequence[str], engine: Engine | str | None = None) -> dict[str, list[AnnexEntry]]:
    """:func:`find_annex_entries` for many names at once (a pasted ingredient list), in three queries.

    Every name given is a key of the result; a name no entry lists maps to an empty list.
    """
    keys = {name: name_key(name) for name in names}
    wanted = sorted({key for key in keys.values() if key})
    if not wanted:
        return {name: [] for name in names}

    def work(connection: Connection) -> dict[str, list[AnnexEntry]]:
        pairs = connection.execute(select(models.AnnexName.key, models.AnnexName.entry_id)
                                   .where(models.AnnexName.key.in_(wanted))).all()
        ids = select(models.AnnexEntryRow.id).where(models.AnnexEntryRow.id.in_({p.entry_id for p in pairs}))
        by_id = dict(_entries_with_ids(connection, ids))
        ids_by_key: dict[str, list[int]] = defaultdict(list)
        for key, entry_id in pairs:
            ids_by_key[key].append(entry_id)
        order = list(Annex)
        return {name: sorted((by_id[i] for i in dict.fromkeys(ids_by_key.get(key, []))),
                             key=lambda e: (order.index(e.annex), e.source_line))
                for name, key in keys.items()}

    return _run(engine, work, {name: [] for name in names}, consistent=True)
