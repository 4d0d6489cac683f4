"""SQL tables of the knowledge store, generated from the fact dataclasses (``knowledge.shape``).

The ingredient's names, its single-valued facts and their sources are one ``ingredients`` row; every
list of facts (and every optional fact record) is a table of its own whose columns are the record's
fields: text, a fixed value set (a SQL enum of its values), true/false, a bounded whole number, and the
source (a reference to a ``sources`` row). Nothing here names a fact: a field added to
``knowledge.facts`` becomes a column or a table here. The ingredients row also holds a copy of all those
rows as one compressed JSON document (:data:`FACTS_DOCUMENT`), for lookups; the tables are what it is
copied from.

The knowledge tables have their own declarative ``Base`` (and so their own ``MetaData``): other
packages (staff triage) keep their tables in the same database under their own ``Base``.

Ownership runs one way: a loaded profile owns its sources and its ingredient; the ingredient owns
its facts. Every foreign key cascades on delete, so removing a ``loaded_profiles`` row removes all
that was loaded from that file.
"""

from __future__ import annotations

import enum
import hashlib
import re

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import declarative_base

from knowledge.schema import InciNameStatus
from knowledge.shape import FACT_FIELDS, TABLE_FIELDS, TERM_FIELDS, FactField, Kind, ValueField

# Explicit constraint names keep migrations and error messages readable on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base = declarative_base(metadata=metadata)


def _sql_enum(enum_type: type[enum.Enum], name: str | None = None) -> Enum:
    """A SQL enum storing the enum's values (``generally_tolerated``), not its Python member names."""
    return Enum(
        enum_type,
        # SuitabilityVerdict -> suitability_verdict
        name=name or re.sub(r"(?<!^)(?=[A-Z])", "_", enum_type.__name__).lower(),
        values_callable=lambda members: [member.value for member in members],
        create_constraint=True,
        validate_strings=True,
    )


class LoadedProfile(Base):
    """One profile file as last loaded: the content hash lets the loader skip unchanged profiles."""

    __tablename__ = "loaded_profiles"

    id = Column(Integer, primary_key=True)
    slug = Column(String(120), nullable=False, unique=True)
    path = Column(Text, nullable=False)
    content_hash = Column(String(64), nullable=False)
    loaded_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())


class Source(Base):
    """Where facts come from: a document title, its address when known, and one section of it."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("profile_id", "title", "section", name="uq_sources_title_section"),)

    id = Column(Integer, primary_key=True)
    profile_id = Column(Integer, ForeignKey("loaded_profiles.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False)  # the order the profile cites its sources in
    ref = Column(String(120), nullable=False)  # the id the profile declares the source under
    title = Column(Text, nullable=False)
    section = Column(Text, nullable=False)
    url = Column(Text, nullable=True)
    document = Column(Text, nullable=True)  # a locator when there is no URL


def source_column(name: str) -> str:
    """The column holding the source of ``name``: a record's ``source`` -> ``source_id``, the text fact
    ``history`` -> ``history_source_id``."""
    return f"{name}_id" if name == "source" else f"{name}_source_id"


def _source_fk(name: str, nullable: bool = False) -> Column:
    return Column(source_column(name), Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=nullable)


def _value_column(value: ValueField) -> Column:
    if value.is_source:
        return _source_fk(value.name, value.nullable)
    if value.type is bool:
        sql_type = Boolean(create_constraint=True, name=f"{value.name}_flag")
    elif value.type is int:
        sql_type = Integer()
    elif issubclass(value.type, enum.Enum):
        sql_type = _sql_enum(value.type)
    else:
        sql_type = Text()
    return Column(value.name, sql_type, nullable=value.nullable)


#: The ingredients column holding a copy of all the ingredient's rows as one compressed JSON document
#: (``knowledge.rows``).
FACTS_DOCUMENT = "facts_document"
#: The ingredients column holding the last word of a slug of several words ("milk-exosomes" -> "exosomes"),
#: indexed: a bare family word is matched on it (``knowledge.queries.ingredients_ending_in``).
FAMILY_WORD = "family_word"


def _ingredients_table() -> Table:
    """One row per ingredient: its names and its single-valued text facts, each with its source, and the
    facts document a lookup reads."""
    columns: list = [
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, ForeignKey("loaded_profiles.id", ondelete="CASCADE"), nullable=False,
               unique=True),
        Column("inci_name_status", _sql_enum(InciNameStatus), nullable=False),
        # Derived, not a second definition: written with the rows it copies, in the same INSERT, so that a
        # lookup is one indexed read (a statement gathering every table cost 2.5 ms on PostgreSQL).
        Column(FACTS_DOCUMENT, LargeBinary, nullable=False),
        # Derived from the slug, in the same INSERT: matching a suffix of the slug itself read every row.
        Column(FAMILY_WORD, Text, nullable=True),
    ]
    for field in FACT_FIELDS:
        if field.kind is Kind.SCALAR:
            columns.append(Column(field.name, Text, nullable=False, unique=field.notes.slug))
        elif field.kind is Kind.TEXT:
            columns += [Column(field.name, Text, nullable=field.nullable), _source_fk(field.name, field.nullable)]
            if field.nullable:
                columns.append(CheckConstraint(
                    f"({field.name} IS NULL) = ({source_column(field.name)} IS NULL)", name=f"{field.name}_has_source"
                ))
    # The members of a family in slug order, read a few at a time even when thousands share the word.
    columns.append(Index(f"ix_ingredients_{FAMILY_WORD}_slug", FAMILY_WORD, "slug"))
    return Table("ingredients", metadata, *columns)


def _owned_by_ingredient() -> list:
    """Columns every per-ingredient fact row has: its ingredient and its place in the profile."""
    return [
        Column("id", Integer, primary_key=True),
        Column("ingredient_id", Integer, ForeignKey("ingredients.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("position", Integer, nullable=False),
    ]


def _fact_table(field: FactField) -> Table:
    """The table of one list of facts (or of one optional record)."""
    parts: list = _owned_by_ingredient()
    if field.kind is Kind.ITEMS:
        parts += [Column("name", Text, nullable=False), _source_fk("source")]
    for value in field.values:
        parts.append(_value_column(value))
        if value.notes.bounds is not None:
            low, high = value.notes.bounds
            parts.append(
                CheckConstraint(f"{value.name} BETWEEN {low} AND {high}", name=f"{value.name}_{low}_to_{high}")
            )
    if field.kind is Kind.RECORD:
        parts.append(UniqueConstraint("ingredient_id"))
    elif field.key is not None:
        parts.append(UniqueConstraint("ingredient_id", field.key))
    return Table(field.table, metadata, *parts)


#: The ingredients table.
ingredients: Table = _ingredients_table()
#: Every name of every ingredient (name, slug, INCI name, synonyms, misspellings); ``normalized`` is matched
#: on, ``kind`` is the IngredientFacts field the name comes from.
ingredient_terms: Table = Table(
    "ingredient_terms", metadata, *_owned_by_ingredient(),
    Column("term", Text, nullable=False),
    Column("normalized", Text, nullable=False, unique=True),
    Column("kind", Enum(*(f.name for f in TERM_FIELDS), name="ingredient_term_kind", create_constraint=True),
           nullable=False),
)
#: IngredientFacts field name -> the table of that list of facts (or optional record).
fact_tables: dict[str, Table] = {field.name: _fact_table(field) for field in TABLE_FIELDS}


class StoreSchema(Base):
    """The fingerprint of the table definitions the store was built with, and how many ingredients the last
    load left (one row; the count is written in the load's transaction, so it always matches the table).

    The store is derived data (the profiles are the source of truth), so when the table definitions
    change the loader drops and rebuilds the knowledge tables instead of migrating them. Replies that name
    a few ingredients and "N more" read the count here: counting the rows read the whole table.
    """

    __tablename__ = "store_schema"

    fingerprint = Column(String(64), primary_key=True)
    ingredient_count = Column(Integer, nullable=False, default=0)


def schema_fingerprint() -> str:
    """A hash of every knowledge table's columns, types, nullability, keys, constraints and indexes."""
    parts: list[str] = []
    for table in metadata.sorted_tables:
        parts.append(f"table {table.name}")
        for column in table.columns:
            targets = ",".join(sorted(fk.target_fullname for fk in column.foreign_keys))
            parts.append(f"  {column.name} {column.type!r} null={column.nullable} pk={column.primary_key} "
                         f"unique={column.unique} fk={targets}")
        parts.extend(f"  constraint {type(c).__name__} {c.name}" for c in sorted(
            table.constraints, key=lambda c: (type(c).__name__, str(c.name))))
        parts.extend(sorted(f"  index {i.name} {[c.name for c in i.columns]}" for i in table.indexes))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

