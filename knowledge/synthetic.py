"""Synthetic ingredient profiles for sizing the store: valid, varied, and never about a real ingredient.

Each profile is the real milk exosomes profile (a realistic amount of text, every kind of fact) with a
made-up name and its own verdicts, ratings and optional parts drawn from a seeded random generator, so
the same ``count`` and ``seed`` always give the same profiles. Names are built from syllables ("kavolumi
extract"), so they never collide with each other or with a real ingredient. The documents are what
``yaml.safe_load`` would return for a profile file; ``knowledge.schema.validate_profile`` checks them.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.facts import EvidenceState, Likelihood, SuitabilityVerdict
from knowledge.profile_reader import KNOWLEDGE_DIR, parse_profile_file

TEMPLATE_PATH = KNOWLEDGE_DIR / "profiles" / "milk-exosomes.yml"
_ONSETS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = tuple(c + v for c in _ONSETS for v in _VOWELS)  # 70 syllables: 70**4 = 24 million names
_WORD_SYLLABLES = 4


@dataclass(frozen=True)
class SyntheticProfile:
    """One generated profile document and the names people could look it up by."""

    path: Path  # a made-up file name, used in error messages only
    document: dict[str, Any]

    @property
    def lookup_names(self) -> tuple[str, ...]:
        """Its name, INCI name, synonyms and misspellings."""
        doc = self.document
        return (doc["name"], doc["inci_name"], *doc["synonyms"], *doc["misspellings"])


def synthetic_word(index: int) -> str:
    """A pronounceable made-up word, different for every index below 70**4."""
    syllables = []
    for _ in range(_WORD_SYLLABLES):
        index, digit = divmod(index, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    return "".join(syllables)


def synthetic_profiles(count: int, seed: int = 13) -> Iterator[SyntheticProfile]:
    """``count`` distinct synthetic profile documents (deterministic for a given seed)."""
    template = parse_profile_file(TEMPLATE_PATH)
    rng = random.Random(seed)
    stride = 7_919  # a prime: consecutive profiles get dissimilar words
    for number in range(count):
        word = synthetic_word(number * stride % len(_SYLLABLES) ** _WORD_SYLLABLES)
        yield SyntheticProfile(Path(f"synthetic/{word}-extract.yml"), _vary(template, word, rng))


def _vary(template: dict[str, Any], word: str, rng: random.Random) -> dict[str, Any]:
    doc = copy.deepcopy(template)
    doc["name"] = f"{word} extract"
    doc["slug"] = f"{word}-extract"
    doc["inci_name"] = f"{word.capitalize()} Callus Extract"
    doc["inci_name_status"] = rng.choice(["official", "inci_style"])
    doc["synonyms"] = [f"{word} leaf extract", f"{word} ferment filtrate"]
    doc["misspellings"] = [f"{word}e extract", f"{word} extrat"]
    verdicts = [v.value for v in SuitabilityVerdict]
    doc["skin_types"] = [
        {**entry, "verdict": rng.choice(verdicts)}
        for entry in doc["skin_types"] if rng.random() < 0.8
    ]
    for entry in doc["diets"]:
        entry["verdict"] = rng.choice(verdicts)
    for entry in doc["life_stages"]:
        entry["evidence"] = rng.choice([e.value for e in EvidenceState])
    for entry in doc["allergens"]:
        entry["verdict"] = rng.choice(verdicts)
    for entry in doc["side_effects"]:
        entry["likelihood"] = rng.choice([likelihood.value for likelihood in Likelihood])
    doc["product_types"]["items"] = rng.sample(doc["product_types"]["items"], k=rng.randint(1, 4))
    # Optional parts are sometimes absent, as in real profiles.
    for optional in ("history", "tolerance", "market_status", "side_effects_overview"):
        if rng.random() < 0.25:
            del doc[optional]
    if rng.random() < 0.3:
        del doc["sun"]
    if rng.random() < 0.3:
        del doc["comedogenic"]
    else:
        doc["comedogenic"]["rating"] = rng.randint(0, 5)
        if rng.random() < 0.5:
            doc["comedogenic"]["note"] = None
    return doc
