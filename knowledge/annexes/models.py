"""SQL tables of the annex layer (own ``MetaData``, next to the profile tables in the same store).

An entry is one row of one annex; its names (INCI, chemical, identified ingredients, CAS and EC numbers)
are rows of ``annex_names`` with their normalised key indexed, so a lookup is one indexed query however
large the store grows. ``annex_dataset`` records which wheel was loaded (idempotent reloads) and each
annex's "Last update" date.
"""

from __future__ import annotations

import enum
import hashlib

from sqlalchemy import Boolean, Column, Date, Enum, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import declarative_base

from knowledge.annexes.facts import Annex

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base = declarative_base(metadata=metadata)


class NameKind(str, enum.Enum):
    """Which cell of the entry a name comes from."""

    INCI = "inci"
    CHEMICAL = "chemical"
    IDENTIFIED = "identified"
    CAS = "cas"
    EC = "ec"


def _sql_enum(enum_type: type[enum.Enum], name: str) -> Enum:
    return Enum(enum_type, name=name, values_callable=lambda e: [m.value for m in e], validate_strings=True)


class AnnexDatasetRow(Base):
    """The loaded export: one row (which wheel, and the table definitions it was written with)."""

    __tablename__ = "annex_dataset"

    id = Column(Integer, primary_key=True)
    package = Column(String(100), nullable=False)
    sha256 = Column(String(64), nullable=False)  # of the wheel
    content_hash = Column(String(64), nullable=False)  # of what was read from it (a reader change reloads)
    schema_fingerprint = Column(String(64), nullable=False)


class AnnexFile(Base):
    """Each annex file's "Last update" date."""

    __tablename__ = "annex_files"

    annex = Column(_sql_enum(Annex, "annex_number"), primary_key=True)
    last_update = Column(Date, nullable=False)


class AnnexEntryRow(Base):
    """One entry of one annex, its cells as the export states them."""

    __tablename__ = "annex_entries"

    id = Column(Integer, primary_key=True)
    annex = Column(_sql_enum(Annex, "annex_number"), nullable=False)
    reference = Column(String(20), nullable=False)
    chemical_name = Column(Text, nullable=False)
    product_types = Column(Text)
    max_concentration = Column(Text)
    other_conditions = Column(Text)
    warnings = Column(Text)
    colour = Column(String(100))
    regulation = Column(String(200))
    updated = Column(Date, nullable=False)
    labelled_allergen = Column(Boolean, nullable=False, index=True)
    source_file = Column(String(200), nullable=False)
    source_line = Column(Integer, nullable=False)


class AnnexName(Base):
    """One name of one entry; ``key`` is :func:`knowledge.annexes.names.name_key` of it (indexed)."""

    __tablename__ = "annex_names"
    __table_args__ = (Index("ix_annex_names_key_entry", "key", "entry_id"),)

    id = Column(Integer, primary_key=True)
    entry_id = Column(Integer, ForeignKey("annex_entries.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(_sql_enum(NameKind, "annex_name_kind"), nullable=False)
    position = Column(Integer, nullable=False)
    name = Column(Text, nullable=False)
    key = Column(String(500), nullable=False)


def schema_fingerprint() -> str:
    """A hash of the annex tables' columns and indexes: a change rebuilds them on the next load."""
    parts: list[str] = []
    for table in metadata.sorted_tables:
        parts.append(f"table {table.name}")
        parts += [f"  {c.name} {c.type!r} null={c.nullable} pk={c.primary_key} index={c.index}" for c in table.columns]
        parts += sorted(f"  index {i.name} {[c.name for c in i.columns]}" for i in table.indexes)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
