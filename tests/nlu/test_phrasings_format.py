"""The phrasing set nobody here wrote (tests/nlu/phrasings): both halves are well-formed and disjoint.

The evaluation that uses the held-out half lives elsewhere; this checks the data itself: every item
has a text, a topic from the agreed label list, a source and a licence; no phrasing appears twice,
within a half or across the halves; each half holds at least 150 items.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

PHRASINGS = Path(__file__).resolve().parent / "phrasings"
HALVES = ("dev.yml", "heldout.yml")
TOPICS = {
    "what_is",
    "contents",
    "how_made",
    "products",
    "benefits",
    "skin_type",
    "skin_condition",
    "diet",
    "pregnancy",
    "breastfeeding",
    "children",
    "medicines",
    "sun",
    "allergy",
    "side_effects",
    "reaction_advice",
    "comedogenic",
    "patch_test",
    "results_timing",
    "usage",
    "treatment",
    "summary",
    "greet",
    "goodbye",
    "thank",
    "human",
    "out_of_scope",
}
MIN_PER_HALF = 150


def load(name: str) -> list[dict]:
    data = yaml.safe_load((PHRASINGS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("phrasings"), list), f"{name}: no 'phrasings' list"
    return data["phrasings"]


def normalised(text: str) -> str:
    """Case, punctuation and spacing do not make two phrasings different."""
    return re.sub(r"\W+", " ", text.lower()).strip()


@pytest.mark.parametrize("name", HALVES)
def test_every_item_has_text_allowed_topic_source_and_licence(name: str) -> None:
    for item in load(name):
        assert set(item) == {"text", "topic", "source", "licence"}, item
        assert isinstance(item["text"], str) and item["text"].strip(), item
        assert item["topic"] in TOPICS, item
        assert isinstance(item["source"], str) and item["source"].strip(), item
        assert isinstance(item["licence"], str) and item["licence"].strip(), item


@pytest.mark.parametrize("name", HALVES)
def test_each_half_is_big_enough_and_has_no_duplicates(name: str) -> None:
    texts = [normalised(item["text"]) for item in load(name)]
    assert len(texts) >= MIN_PER_HALF
    assert len(texts) == len(set(texts)), sorted(t for t in set(texts) if texts.count(t) > 1)


def test_no_phrasing_is_in_both_halves() -> None:
    dev = {normalised(item["text"]) for item in load("dev.yml")}
    heldout = {normalised(item["text"]) for item in load("heldout.yml")}
    assert not dev & heldout, sorted(dev & heldout)


def test_halves_are_stratified_by_topic() -> None:
    """The split is per topic: every topic in the set is in both halves, in counts at most one apart."""
    counts = {name: {} for name in HALVES}
    for name in HALVES:
        for item in load(name):
            counts[name][item["topic"]] = counts[name].get(item["topic"], 0) + 1
    topics = set(counts["dev.yml"]) | set(counts["heldout.yml"])
    for topic in topics:
        dev, heldout = counts["dev.yml"].get(topic, 0), counts["heldout.yml"].get(topic, 0)
        assert abs(dev - heldout) <= 1, (topic, dev, heldout)


def test_halves_are_exactly_the_seeded_split_of_their_union() -> None:
    """Nobody moved items by hand: re-splitting dev + held-out with split.py gives back both halves."""
    spec = importlib.util.spec_from_file_location("phrasing_split", PHRASINGS / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dev, heldout = load("dev.yml"), load("heldout.yml")
    again_dev, again_heldout = module.split(dev + heldout)
    assert {item["text"] for item in again_dev} == {item["text"] for item in dev}
    assert {item["text"] for item in again_heldout} == {item["text"] for item in heldout}
