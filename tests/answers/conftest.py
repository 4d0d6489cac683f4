"""Plain fact fixtures for the deciders: profiles read from YAML into facts, no database."""

from __future__ import annotations

import pytest

from knowledge.facts import IngredientFacts
from knowledge.schema import read_profile
from tests.fixtures.store import REAL_PROFILES, TEST_PROFILES


@pytest.fixture(scope="session")
def milk() -> IngredientFacts:
    """The real milk exosomes facts (a plural name; a milk protein allergy the store says to take care with)."""
    return read_profile(REAL_PROFILES / "milk-exosomes.yml").facts


@pytest.fixture(scope="session")
def examplium() -> IngredientFacts:
    """The fictional test ingredient (a singular name; verdicts that differ from the real profile's)."""
    return read_profile(TEST_PROFILES / "examplium-extract.yml").facts
