"""SQL tables of the knowledge store: one table per kind of fact, every fact tied to its source.

The knowledge tables have their own declarative ``Base`` (and so their own ``MetaData``): other
packages (staff triage) keep their tables in the same database under their own ``Base``.

Ownership runs one way: a loaded profile owns its sources and its ingredient; the ingredient owns
its facts. Every foreign key cascades on delete, so removing a ``loaded_profiles`` row removes all
that was loaded from that file.
"""

from __future__ import annotations

import enum
import hashlib

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import declarative_base, relationship

from knowledge.facts import EvidenceState, Likelihood, SuitabilityVerdict, UsageTopic
from knowledge.schema import InciNameStatus

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


class TermKind(str, enum.Enum):
    """How a surface form names an ingredient."""

    NAME = "name"
    SLUG = "slug"
    INCI_NAME = "inci_name"
    SYNONYM = "synonym"
    MISSPELLING = "misspelling"


def _sql_enum(enum_type: type[enum.Enum], name: str) -> Enum:
    """A SQL enum storing the enum's values (``generally_tolerated``), not its Python member names."""
    return Enum(
        enum_type,
        name=name,
        values_callable=lambda members: [member.value for member in members],
        create_constraint=True,
        validate_strings=True,
    )


def _verdict() -> Enum:
    return _sql_enum(SuitabilityVerdict, "suitability_verdict")


def _ingredient_fk() -> Column:
    return Column(Integer, ForeignKey("ingredients.id", ondelete="CASCADE"), nullable=False, index=True)


def _source_fk(nullable: bool = False) -> Column:
    return Column(Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=nullable)


class LoadedProfile(Base):
    """One profile file as last loaded: the content hash lets the loader skip unchanged profiles."""

    __tablename__ = "loaded_profiles"

    id = Column(Integer, primary_key=True)
    slug = Column(String(120), nullable=False, unique=True)
    path = Column(Text, nullable=False)
    content_hash = Column(String(64), nullable=False)
    loaded_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())

    sources = relationship("Source", back_populates="profile", passive_deletes=True)
    ingredient = relationship("Ingredient", back_populates="profile", uselist=False, passive_deletes=True)


class Source(Base):
    """Where facts come from: a document title, its address when known, and one section of it."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("profile_id", "title", "section", name="uq_sources_title_section"),)

    id = Column(Integer, primary_key=True)
    profile_id = Column(Integer, ForeignKey("loaded_profiles.id", ondelete="CASCADE"), nullable=False, index=True)
    ref = Column(String(120), nullable=False)  # the id the profile declares the source under
    title = Column(Text, nullable=False)
    section = Column(Text, nullable=False)
    url = Column(Text, nullable=True)
    document = Column(Text, nullable=True)  # a locator when there is no URL

    profile = relationship(LoadedProfile, back_populates="sources")


class Ingredient(Base):
    """An ingredient and its single-valued text facts, each with the source it comes from."""

    __tablename__ = "ingredients"

    id = Column(Integer, primary_key=True)
    profile_id = Column(
        Integer, ForeignKey("loaded_profiles.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    name = Column(String(200), nullable=False)
    slug = Column(String(120), nullable=False, unique=True)
    inci_name = Column(String(200), nullable=False)
    inci_name_status = Column(_sql_enum(InciNameStatus, "inci_name_status"), nullable=False)
    description = Column(Text, nullable=False)
    description_source_id = _source_fk()
    origin = Column(Text, nullable=False)
    origin_source_id = _source_fk()
    contents = Column(Text, nullable=False)
    contents_source_id = _source_fk()
    history = Column(Text, nullable=True)
    history_source_id = _source_fk(nullable=True)
    manufacturing = Column(Text, nullable=False)
    manufacturing_source_id = _source_fk()
    form = Column(Text, nullable=False)
    form_source_id = _source_fk()
    tolerance = Column(Text, nullable=True)
    tolerance_source_id = _source_fk(nullable=True)
    market_status = Column(Text, nullable=True)
    market_status_source_id = _source_fk(nullable=True)
    side_effects_overview = Column(Text, nullable=True)
    side_effects_overview_source_id = _source_fk(nullable=True)

    profile = relationship(LoadedProfile, back_populates="ingredient")

    __table_args__ = tuple(
        CheckConstraint(f"({fact} IS NULL) = ({fact}_source_id IS NULL)", name=f"{fact}_has_source")
        for fact in ("history", "tolerance", "market_status", "side_effects_overview")
    )


class _FactRow:
    """Columns every per-ingredient fact row has: its ingredient, its place in the profile, its source."""

    id = Column(Integer, primary_key=True)
    position = Column(Integer, nullable=False)


class IngredientTerm(Base, _FactRow):
    """One surface form (name, slug, INCI name, synonym, misspelling); ``normalized`` is matched on."""

    __tablename__ = "ingredient_terms"

    ingredient_id = _ingredient_fk()
    term = Column(String(200), nullable=False)
    normalized = Column(String(200), nullable=False, unique=True)
    kind = Column(_sql_enum(TermKind, "ingredient_term_kind"), nullable=False)


class ProductType(Base, _FactRow):
    """A kind of product the ingredient is found in (sheet masks, serums...)."""

    __tablename__ = "product_types"

    ingredient_id = _ingredient_fk()
    name = Column(String(200), nullable=False)
    source_id = _source_fk()


class CosmeticFunction(Base, _FactRow):
    """A cosmetic function (emollient...) and what it does."""

    __tablename__ = "functions"

    ingredient_id = _ingredient_fk()
    name = Column(String(200), nullable=False)
    explanation = Column(Text, nullable=False)
    source_id = _source_fk()


class SkinTypeVerdict(Base, _FactRow):
    """Suitability for one normalised skin type."""

    __tablename__ = "skin_type_verdicts"
    __table_args__ = (UniqueConstraint("ingredient_id", "skin_type"),)

    ingredient_id = _ingredient_fk()
    skin_type = Column(String(60), nullable=False)
    verdict = Column(_verdict(), nullable=False)
    reason = Column(Text, nullable=False)
    source_id = _source_fk()


class DietVerdict(Base, _FactRow):
    """Compatibility with one normalised diet; ``alternative`` is NULL when none exists."""

    __tablename__ = "diet_verdicts"
    __table_args__ = (UniqueConstraint("ingredient_id", "diet"),)

    ingredient_id = _ingredient_fk()
    diet = Column(String(60), nullable=False)
    verdict = Column(_verdict(), nullable=False)
    reason = Column(Text, nullable=False)
    alternative = Column(Text, nullable=True)
    source_id = _source_fk()


class LifeStageAdvice(Base, _FactRow):
    """State of evidence and advice for one normalised life stage."""

    __tablename__ = "life_stage_advice"
    __table_args__ = (UniqueConstraint("ingredient_id", "life_stage"),)

    ingredient_id = _ingredient_fk()
    life_stage = Column(String(60), nullable=False)
    evidence = Column(_sql_enum(EvidenceState, "evidence_state"), nullable=False)
    summary = Column(Text, nullable=False)
    advice = Column(Text, nullable=False)
    source_id = _source_fk()


class SunSensitivity(Base, _FactRow):
    """Whether the ingredient increases sun sensitivity (at most one row per ingredient)."""

    __tablename__ = "sun_sensitivity"
    __table_args__ = (UniqueConstraint("ingredient_id"),)

    ingredient_id = _ingredient_fk()
    increases_photosensitivity = Column(Boolean(create_constraint=True, name="photosensitivity_flag"), nullable=False)
    explanation = Column(Text, nullable=False)
    daytime_advice = Column(Text, nullable=False)
    source_id = _source_fk()


class AllergenVerdict(Base, _FactRow):
    """Suitability for people with one normalised allergy."""

    __tablename__ = "allergen_verdicts"
    __table_args__ = (UniqueConstraint("ingredient_id", "allergen"),)

    ingredient_id = _ingredient_fk()
    allergen = Column(String(60), nullable=False)
    verdict = Column(_verdict(), nullable=False)
    reason = Column(Text, nullable=False)
    source_id = _source_fk()


class SideEffect(Base, _FactRow):
    """A possible side effect, its likelihood and who is most at risk."""

    __tablename__ = "side_effects"

    ingredient_id = _ingredient_fk()
    name = Column(String(200), nullable=False)
    description = Column(Text, nullable=False)
    likelihood = Column(_sql_enum(Likelihood, "side_effect_likelihood"), nullable=False)
    at_risk = Column(Text, nullable=False)
    source_id = _source_fk()


class ComedogenicRating(Base, _FactRow):
    """Pore-clogging potential, 0 to 5 (at most one row per ingredient)."""

    __tablename__ = "comedogenic_ratings"
    __table_args__ = (
        UniqueConstraint("ingredient_id"),
        CheckConstraint("rating BETWEEN 0 AND 5", name="rating_0_to_5"),
    )

    ingredient_id = _ingredient_fk()
    rating = Column(Integer, nullable=False)
    rationale = Column(Text, nullable=False)
    note = Column(Text, nullable=True)
    source_id = _source_fk()


class UsageAdvice(Base, _FactRow):
    """Practical advice on one usage topic."""

    __tablename__ = "usage_advice"
    __table_args__ = (UniqueConstraint("ingredient_id", "topic"),)

    ingredient_id = _ingredient_fk()
    topic = Column(_sql_enum(UsageTopic, "usage_topic"), nullable=False)
    advice = Column(Text, nullable=False)
    source_id = _source_fk()


class StoreSchema(Base):
    """The fingerprint of the table definitions the store was built with (one row).

    The store is derived data (the profiles are the source of truth), so when the table definitions
    change the loader drops and rebuilds the knowledge tables instead of migrating them.
    """

    __tablename__ = "store_schema"

    fingerprint = Column(String(64), primary_key=True)


def schema_fingerprint() -> str:
    """A hash of every knowledge table's columns, types, nullability, keys and constraints."""
    parts: list[str] = []
    for table in metadata.sorted_tables:
        parts.append(f"table {table.name}")
        for column in table.columns:
            targets = ",".join(sorted(fk.target_fullname for fk in column.foreign_keys))
            parts.append(f"  {column.name} {column.type!r} null={column.nullable} pk={column.primary_key} "
                         f"unique={column.unique} fk={targets}")
        parts.extend(f"  constraint {type(c).__name__} {c.name}" for c in sorted(
            table.constraints, key=lambda c: (type(c).__name__, str(c.name))))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


#: The per-ingredient fact tables, in the order the read side fetches them.
FACT_TABLES = (
    IngredientTerm, ProductType, CosmeticFunction, SkinTypeVerdict, DietVerdict, LifeStageAdvice,
    SunSensitivity, AllergenVerdict, SideEffect, ComedogenicRating, UsageAdvice,
)
