"""The shape of a fact, read once from the dataclasses of ``knowledge.facts``.

``IngredientFacts``' fields, their types and their :class:`~knowledge.facts.FieldNotes` are the only
place a fact's shape is written. This module turns them into a plain description that the validator
(``knowledge.schema``), the tables (``knowledge.models``) and the row mapping (``knowledge.rows``) all
walk, so none of them lists fields by hand.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

from knowledge.facts import NOTES_KEY, FieldNotes, IngredientFacts, SourceRef, TextFact


class Kind(enum.Enum):
    """How one field of :class:`IngredientFacts` is written in a profile and kept in the store."""

    SCALAR = "scalar"  # a str on the ingredient's row (name, slug, INCI name)
    TERMS = "terms"  # more names for the ingredient (synonyms, misspellings): rows of the terms table
    TEXT = "text"  # a TextFact: a text column and its source on the ingredient's row
    ITEMS = "items"  # a list of names sharing one source (product types): rows of its own table
    ITEMS_SOURCE = "items_source"  # that one source (written inside the ITEMS field in a profile)
    RECORDS = "records"  # a list of fact records (skin type verdicts...): rows of its own table
    RECORD = "record"  # an optional fact record (sun sensitivity...): at most one row of its own table
    CITED = "cited"  # every source the other facts cite (derived, never written by hand)


@dataclass(frozen=True)
class ValueField:
    """One field of a fact record (e.g. ``SkinTypeSuitability.verdict``)."""

    name: str
    type: type  # str, bool, int, an Enum subclass, or SourceRef
    nullable: bool
    notes: FieldNotes

    @property
    def is_source(self) -> bool:
        """Whether the value is the record's source (stored as a reference to a sources row)."""
        return self.type is SourceRef

    @property
    def omittable(self) -> bool:
        """Whether a profile may leave the field out altogether (null fields not marked explicit)."""
        return self.nullable and not self.notes.explicit


@dataclass(frozen=True)
class FactField:
    """One field of :class:`IngredientFacts`."""

    name: str
    kind: Kind
    nullable: bool
    notes: FieldNotes
    record: type | None = None  # the dataclass of a TEXT, RECORD or RECORDS field
    values: tuple[ValueField, ...] = ()  # its fields

    @property
    def table(self) -> str:
        """The SQL table of an ITEMS, RECORD or RECORDS field."""
        if self.notes.table is None:
            raise ValueError(f"IngredientFacts.{self.name} has no table: add stored(table=...) in knowledge/facts.py")
        return self.notes.table

    @property
    def key(self) -> str | None:
        """The field of a RECORDS entry that must not repeat within the list."""
        return next((value.name for value in self.values if value.notes.key), None)


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); anything else -> (hint, False)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def _notes(field: dataclasses.Field) -> FieldNotes:
    return field.metadata.get(NOTES_KEY, FieldNotes())


def record_values(record: type) -> tuple[ValueField, ...]:
    """The fields of a fact record dataclass, with their types resolved."""
    hints = typing.get_type_hints(record)
    values = []
    for field in dataclasses.fields(record):
        hint, nullable = _unwrap_optional(hints[field.name])
        if not (hint in (str, bool, int, SourceRef) or (isinstance(hint, type) and issubclass(hint, enum.Enum))):
            raise TypeError(f"{record.__name__}.{field.name}: a fact record holds text, true/false, whole numbers, "
                            f"fixed value sets or a SourceRef; got {hint!r}")
        values.append(ValueField(field.name, hint, nullable, _notes(field)))
    return tuple(values)


def describe(facts_type: type = IngredientFacts) -> tuple[FactField, ...]:
    """Every field of ``facts_type`` with its kind, in declaration order."""
    hints = typing.get_type_hints(facts_type)
    items_sources = {_notes(f).source_field for f in dataclasses.fields(facts_type)} - {None}
    described = []
    for field in dataclasses.fields(facts_type):
        hint, nullable = _unwrap_optional(hints[field.name])
        notes = _notes(field)
        element = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else None
        if field.name in items_sources:
            described.append(FactField(field.name, Kind.ITEMS_SOURCE, nullable, notes))
        elif hint is str:
            described.append(FactField(field.name, Kind.SCALAR, nullable, notes))
        elif element is str:
            kind = Kind.ITEMS if notes.source_field else Kind.TERMS
            described.append(FactField(field.name, kind, nullable, notes))
        elif element is SourceRef:
            described.append(FactField(field.name, Kind.CITED, nullable, notes))
        elif hint is TextFact:
            described.append(FactField(field.name, Kind.TEXT, nullable, notes, TextFact, record_values(TextFact)))
        elif dataclasses.is_dataclass(element):
            described.append(FactField(field.name, Kind.RECORDS, nullable, notes, element, record_values(element)))
        elif dataclasses.is_dataclass(hint):
            described.append(FactField(field.name, Kind.RECORD, nullable, notes, hint, record_values(hint)))
        else:
            raise TypeError(f"IngredientFacts.{field.name}: no store shape for {hint!r}")
    return tuple(described)


#: The fields of IngredientFacts, in declaration order.
FACT_FIELDS: tuple[FactField, ...] = describe()
#: The fields naming the ingredient, in the order its names are listed (name first).
TERM_FIELDS: tuple[FactField, ...] = tuple(f for f in FACT_FIELDS if f.notes.term)
#: The fields that have a table of their own (a list of facts, or an optional record).
TABLE_FIELDS: tuple[FactField, ...] = tuple(f for f in FACT_FIELDS if f.kind in (Kind.ITEMS, Kind.RECORDS, Kind.RECORD))


def field_named(name: str) -> FactField:
    """The described field ``name`` of IngredientFacts."""
    return next(f for f in FACT_FIELDS if f.name == name)


def names_of(facts: IngredientFacts) -> list[tuple[str, str]]:
    """(field, name) for every way the facts name the ingredient, in listing order."""
    names: list[tuple[str, str]] = []
    for field in TERM_FIELDS:
        value = getattr(facts, field.name)
        names.extend((field.name, term) for term in (value if field.kind is Kind.TERMS else (value,)))
    return names
