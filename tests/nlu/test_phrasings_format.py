"""The phrasing set nobody here wrote (tests/nlu/phrasings): both halves are well-formed and disjoint.

The evaluation that uses the held-out half lives elsewhere; this checks the data itself: every item
has a text, a topic from the agreed label list, a source and a licence; no phrasing appears twice,
within a half or across the halves; each half holds at least 150 items. dev2.yml, dev3.yml, dev4.yml and
dev5.yml, development sets gathered later, follow the same format, share no item with either half or with each
other, and none of their items is in the training data (so they keep measuring phrasings the model has not been shown).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

PHRASINGS = Path(__file__).resolve().parent / "phrasings"
HALVES = ("dev.yml", "heldout.yml")
DEV2 = "dev2.yml"
DEV3 = "dev3.yml"
DEV4 = "dev4.yml"
DEV5 = "dev5.yml"
DEV6 = "dev6.yml"
DEV7 = "dev7.yml"
DEV8 = "dev8.yml"
#: The later development sets and the least number of items each must hold.
LATER_SETS = {DEV2: 120, DEV3: 150, DEV4: 150, DEV5: 140, DEV6: 140, DEV7: 140, DEV8: 140}
DATA_NLU = Path(__file__).resolve().parents[2] / "data" / "nlu"
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


@pytest.mark.parametrize("name", (*HALVES, *LATER_SETS))
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


#: Rasa's inline entity annotation: [text](type) or [text]{"entity": ...}.
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def training_texts() -> set[str]:
    """Every training example in data/nlu, entity annotations stripped, normalised."""
    texts = set()
    for path in DATA_NLU.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            examples = block.get("examples")
            if not isinstance(examples, str):
                continue
            for line in examples.splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.add(normalised(ANNOTATION.sub(r"\1", line[2:])))
    return texts


@pytest.mark.parametrize("name", LATER_SETS)
def test_later_set_is_big_enough_and_new(name: str) -> None:
    """A later set has no duplicates and shares nothing with the halves, the other later sets or the training data."""
    texts = [normalised(item["text"]) for item in load(name)]
    assert len(texts) >= LATER_SETS[name]
    assert len(texts) == len(set(texts)), sorted(t for t in set(texts) if texts.count(t) > 1)
    for half in HALVES:
        # Only a count: pytest would print a set, and held-out texts are never printed.
        shared = len(set(texts) & {normalised(item["text"]) for item in load(half)})
        assert shared == 0, half
    for other in LATER_SETS:
        if other != name:
            shared_texts = set(texts) & {normalised(item["text"]) for item in load(other)}
            assert not shared_texts, (other, sorted(shared_texts))
    in_training = set(texts) & training_texts()
    assert not in_training, sorted(in_training)


def test_training_text_normalisation_strips_entity_annotations() -> None:
    """The later sets' leak check would miss annotated copies if annotations were kept."""
    annotated = 'is [retinol](ingredient) ok with [accutane]{"entity": "medicine"}?'
    assert normalised(ANNOTATION.sub(r"\1", annotated)) == "is retinol ok with accutane"
