"""Facts to table rows and back, by walking ``knowledge.shape``: the loader writes with :func:`profile_rows`,
the reader rebuilds :class:`IngredientFacts` with :func:`facts_from_rows`. Neither names a fact.

The ingredient's row also carries those very rows as one (compressed) JSON document (:data:`FACTS_DOCUMENT`),
written in the same INSERT: a lookup reads it in one indexed fetch (:func:`facts_from_document`) instead of querying
every table. The tables stay the source of truth; the document is rewritten whenever its profile is."""

from __future__ import annotations

import enum
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.facts import IngredientFacts, SourceRef
from knowledge.models import FACTS_DOCUMENT, FAMILY_WORD, source_column
from knowledge.schema import Profile, normalize_term
from knowledge.shape import FACT_FIELDS, TABLE_FIELDS, FactField, Kind, ValueField, names_of

Row = dict[str, Any]

#: The table key of the ingredient's names in :attr:`IngredientRows.facts` (the rest are IngredientFacts fields).
TERMS = "ingredient_terms"


@dataclass(frozen=True)
class IngredientRows:
    """One ingredient's rows, before its ``ingredient_id`` is known."""

    ingredient: Row
    facts: dict[str, list[Row]]  # IngredientFacts field (or TERMS) -> rows of that table


def profile_rows(profile: Profile, source_ids: Mapping[SourceRef, int]) -> IngredientRows:
    """The rows that store ``profile``; ``source_ids`` are the ids of its already written sources."""
    facts = profile.facts
    ingredient: Row = {"inci_name_status": profile.inci_name_status.value}
    tables: dict[str, list[Row]] = {TERMS: _term_rows(facts)}
    for field in FACT_FIELDS:
        value = getattr(facts, field.name)
        if field.kind is Kind.SCALAR:
            ingredient[field.name] = value
        elif field.kind is Kind.TEXT:
            ingredient[field.name] = value.text if value else None
            ingredient[source_column(field.name)] = source_ids[value.source] if value else None
        elif field.kind is Kind.ITEMS:
            source_id = source_ids[getattr(facts, field.notes.source_field)]
            tables[field.name] = [{"position": i, "name": name, "source_id": source_id} for i, name in enumerate(value)]
        elif field.kind is Kind.RECORDS:
            tables[field.name] = [_record_row(field, i, record, source_ids) for i, record in enumerate(value)]
        elif field.kind is Kind.RECORD:
            tables[field.name] = [] if value is None else [_record_row(field, 0, value, source_ids)]
    ingredient[FACTS_DOCUMENT] = _document(ingredient, tables, facts.sources, source_ids)
    ingredient[FAMILY_WORD] = family_word(facts.slug)  # an index entry, not a fact: not in the document
    return IngredientRows(ingredient, tables)


def family_word(slug: str) -> str | None:
    """The last word of a slug of several words ("milk-exosomes" -> "exosomes"); None for a one-word slug."""
    head, dash, last = slug.rpartition("-")
    return last if dash and head else None


# The parts of a facts document: the ingredient's row, its sources (in profile order) and its rows per table.
_INGREDIENT, _SOURCES, _TABLES = "ingredient", "sources", "tables"


def _document(ingredient: Row, tables: Mapping[str, list[Row]], cited: Sequence[SourceRef],
              source_ids: Mapping[SourceRef, int]) -> bytes:
    """The rows about to be written, as the JSON a lookup reads back with :func:`facts_from_document`."""
    sources = [{"id": source_ids[ref], "title": ref.title, "section": ref.section, "url": ref.url} for ref in cited]
    text = json.dumps({_INGREDIENT: ingredient, _SOURCES: sources, _TABLES: tables}, separators=(",", ":"))
    # Compressed: it repeats every text of the profile, which would double a SQLite store (PostgreSQL
    # compresses large values itself). Level 1: a third of the size, 15 us to undo.
    return zlib.compress(text.encode("utf-8"), 1)


def facts_from_document(document: bytes | memoryview) -> IngredientFacts:
    """Rebuild one ingredient's facts from its :data:`FACTS_DOCUMENT` (as :func:`facts_from_rows` does from
    its rows, which the document holds in position order)."""
    found = json.loads(zlib.decompress(document))
    sources = {row["id"]: SourceRef(row["title"], row["section"], row["url"]) for row in found[_SOURCES]}
    return facts_from_rows(found[_INGREDIENT], found[_TABLES], sources, tuple(sources.values()))


def _term_rows(facts: IngredientFacts) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    for kind, term in names_of(facts):
        normalized = normalize_term(term)
        if normalized in seen:  # e.g. an INCI name equal to the common name: one row is enough
            continue
        seen.add(normalized)
        rows.append({"position": len(seen), "term": term, "normalized": normalized, "kind": kind})
    return rows


def _record_row(field: FactField, position: int, record: Any, source_ids: Mapping[SourceRef, int]) -> Row:
    row: Row = {"position": position}
    for value in field.values:
        item = getattr(record, value.name)
        if value.is_source:
            row[source_column(value.name)] = source_ids[item] if item is not None else None
        else:
            row[value.name] = item.value if isinstance(item, enum.Enum) else item
    return row


def facts_from_rows(
    ingredient: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    sources: Mapping[int, SourceRef],
    cited: tuple[SourceRef, ...],
) -> IngredientFacts:
    """Rebuild one ingredient's facts from its ``ingredients`` row, its rows per table (keyed as in
    :func:`profile_rows`, each list in position order) and its sources by id (``cited`` in profile order).

    Values may come back as plain JSON values (an enum as its stored value): each is converted to its field's type."""
    terms = tables.get(TERMS, ())
    values: dict[str, Any] = {}
    for field in FACT_FIELDS:
        if field.kind is Kind.SCALAR:
            values[field.name] = ingredient[field.name]
        elif field.kind is Kind.TERMS:
            values[field.name] = tuple(t["term"] for t in terms if t["kind"] == field.name)
        elif field.kind is Kind.TEXT:
            text = ingredient[field.name]
            values[field.name] = (
                None if text is None else field.record(text, sources[ingredient[source_column(field.name)]])
            )
        elif field.kind is Kind.ITEMS:
            rows = tables.get(field.name, ())
            values[field.name] = tuple(row["name"] for row in rows)
            # The schema requires at least one item, so the shared source is on every row.
            values[field.notes.source_field] = sources[rows[0]["source_id"]]
        elif field.kind is Kind.RECORDS:
            values[field.name] = tuple(_record(field, row, sources) for row in tables.get(field.name, ()))
        elif field.kind is Kind.RECORD:
            rows = tables.get(field.name, ())
            values[field.name] = _record(field, rows[0], sources) if rows else None
        elif field.kind is Kind.CITED:
            values[field.name] = cited
    return IngredientFacts(**values)


def _record(field: FactField, row: Mapping[str, Any], sources: Mapping[int, SourceRef]) -> Any:
    return field.record(**{name: read(row, sources) for name, read in _READERS[field.name]})


def _reader(value: ValueField) -> Callable[[Mapping[str, Any], Mapping[int, SourceRef]], Any]:
    name = value.name
    if value.is_source:
        column = source_column(name)
        return lambda row, sources: sources[row[column]]
    if value.type is str:
        return lambda row, _sources: row[name]
    convert = value.type  # bool, int, or an enum made from its stored value
    return lambda row, _sources: None if row[name] is None else convert(row[name])


#: IngredientFacts field -> (record field, how to read it from a row), worked out once.
_READERS = {field.name: tuple((value.name, _reader(value)) for value in field.values) for field in FACT_FIELDS}

#: The tables :func:`profile_rows` fills, besides the ingredients table: TERMS and each TABLE_FIELDS field.
ROW_TABLES: tuple[str, ...] = (TERMS, *(field.name for field in TABLE_FIELDS))
