"""The read-only types of the annex layer: what one annex entry says, and where it was read from."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

#: The attribution every reuse of the data must carry (Commission Decision 2011/833/EU, CC BY 4.0).
ATTRIBUTION = "CosIng, © European Union"
REGULATION = "Regulation (EC) No 1223/2009"


class Annex(str, enum.Enum):
    """The annexes of the regulation the export covers; the value is the roman numeral."""

    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"

    @property
    def role(self) -> AnnexRole:
        """What being listed in this annex means for a substance."""
        return _ROLES[self]


class AnnexRole(str, enum.Enum):
    """What an annex lists its substances as."""

    PROHIBITED = "prohibited"
    RESTRICTED = "restricted"
    COLOURANT = "colourant"
    PRESERVATIVE = "preservative"
    UV_FILTER = "uv_filter"


_ROLES = {Annex.II: AnnexRole.PROHIBITED, Annex.III: AnnexRole.RESTRICTED, Annex.IV: AnnexRole.COLOURANT,
          Annex.V: AnnexRole.PRESERVATIVE, Annex.VI: AnnexRole.UV_FILTER}


@dataclass(frozen=True)
class AnnexEntry:
    """One entry of one annex, as the export states it (texts verbatim; None where the cell is empty)."""

    annex: Annex
    reference: str  # the entry's reference number in its annex ("98", "2a")
    chemical_name: str
    inci_names: tuple[str, ...]  # the Common Ingredients Glossary (INCI) names, colour index for Annex IV
    cas_numbers: tuple[str, ...]
    ec_numbers: tuple[str, ...]
    identified_ingredients: tuple[str, ...]
    product_types: str | None
    max_concentration: str | None
    other_conditions: str | None
    warnings: str | None
    colour: str | None
    regulation: str | None  # the amending act that last set the entry ("(EU) 2023/1545")
    updated: date
    #: Its presence must be named in the ingredient list above 0.001 % (leave-on) / 0.01 % (rinse-off).
    labelled_allergen: bool
    source_file: str
    source_line: int

    @property
    def role(self) -> AnnexRole:
        """What the annex lists it as."""
        return self.annex.role

    @property
    def display_name(self) -> str:
        """The name people know it by: its first INCI name, else its chemical name."""
        return self.inci_names[0] if self.inci_names else self.chemical_name


@dataclass(frozen=True)
class AnnexDataset:
    """The export as loaded: which wheel, and each annex's "Last update" date."""

    package: str
    sha256: str
    last_updates: dict[Annex, date]
