"""The labelled safety corpus is well formed: the detector's recall and false-alarm figures rest on it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.safety.corpus.split import KINDS, LANGS, normalised

CORPUS = Path(__file__).resolve().parent / "corpus"
HALVES = ("dev", "heldout")
MIN_EMERGENCIES = 250
MIN_NEAR_MISSES = 200


def load(half: str) -> dict:
    return yaml.safe_load((CORPUS / f"{half}.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("half", HALVES)
def test_half_has_only_the_two_labels_with_allowed_fields(half: str) -> None:
    data = load(half)
    assert set(data) == {"emergencies", "near_misses"}
    for item in data["emergencies"]:
        assert set(item) == {"text", "kind", "lang"}, item
        assert item["kind"] in KINDS, item
        assert item["lang"] in LANGS, item
        assert isinstance(item["text"], str) and item["text"].strip(), item
    for item in data["near_misses"]:
        assert set(item) == {"text", "lang"}, item
        assert item["lang"] in LANGS, item
        assert isinstance(item["text"], str) and item["text"].strip(), item


@pytest.mark.parametrize("half", HALVES)
def test_half_is_big_enough_and_covers_every_kind_and_language(half: str) -> None:
    data = load(half)
    assert len(data["emergencies"]) >= MIN_EMERGENCIES
    assert len(data["near_misses"]) >= MIN_NEAR_MISSES
    kinds = Counter(item["kind"] for item in data["emergencies"])
    assert set(kinds) == set(KINDS), kinds
    assert {item["lang"] for item in data["emergencies"]} == set(LANGS)
    assert {item["lang"] for item in data["near_misses"]} == set(LANGS)


@pytest.mark.parametrize("half", HALVES)
def test_half_has_emergencies_at_the_end_of_long_messages(half: str) -> None:
    """The length guard must not hide a red flag: each half carries messages longer than 1,200 characters."""
    long_ones = [item for item in load(half)["emergencies"] if len(item["text"]) > 1200]
    assert len(long_ones) >= 3


def test_no_message_appears_twice_within_or_across_halves() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for half in HALVES:
        data = load(half)
        for label in ("emergencies", "near_misses"):
            for item in data[label]:
                key = normalised(item["text"])
                if key in seen:
                    duplicates.append((item["text"], seen[key], f"{half}/{label}"))
                seen[key] = f"{half}/{label}"
    assert duplicates == []


def test_normalisation_folds_case_spacing_accents_and_punctuation() -> None:
    assert normalised("  No  I CAN'T breathe! ") == normalised("no i can t breathe")
    assert normalised("Mon visage gonfle") == normalised("mon viságe  gonfle")
    assert normalised("my lips are swelling") != normalised("my lips are not swelling")
