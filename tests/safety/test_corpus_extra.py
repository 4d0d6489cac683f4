"""The second author's development batch (dev_extra.yml) is well formed, big enough and new.

It is development data only (never held out): the detector may be tuned on it. It must not repeat a
message already in dev.yml or heldout.yml, compared after folding case, accents, punctuation and spacing,
so that it adds phrasings instead of echoing the first author's.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.safety.corpus.split import KINDS, LANGS, normalised

CORPUS = Path(__file__).resolve().parent / "corpus"
EXTRA = CORPUS / "dev_extra.yml"
MIN_EMERGENCIES = 300
MIN_NEAR_MISSES = 220
MIN_PER_KIND = {"anaphylaxis": 140, "swallowed": 50, "eye": 45, "burn": 40}


def load(name: str) -> dict:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extra() -> dict:
    return load(EXTRA.name)


def test_extra_has_only_the_two_labels_with_allowed_fields(extra: dict) -> None:
    assert set(extra) == {"emergencies", "near_misses"}
    for item in extra["emergencies"]:
        assert set(item) == {"text", "kind", "lang"}, item
        assert item["kind"] in KINDS, item
        assert item["lang"] in LANGS, item
        assert isinstance(item["text"], str) and item["text"].strip(), item
    for item in extra["near_misses"]:
        assert set(item) == {"text", "lang"}, item
        assert item["lang"] in LANGS, item
        assert isinstance(item["text"], str) and item["text"].strip(), item


def test_extra_meets_its_counts_and_covers_every_kind_and_language(extra: dict) -> None:
    emergencies, near_misses = extra["emergencies"], extra["near_misses"]
    assert len(emergencies) >= MIN_EMERGENCIES
    assert len(near_misses) >= MIN_NEAR_MISSES
    kinds = Counter(item["kind"] for item in emergencies)
    for kind, minimum in MIN_PER_KIND.items():
        assert kinds[kind] >= minimum, kinds
    assert {item["lang"] for item in emergencies} == set(LANGS)
    assert {item["lang"] for item in near_misses} == set(LANGS)
    english = sum(item["lang"] == "en" for item in emergencies)
    assert 0.6 <= english / len(emergencies) <= 0.8, english
    foreign_near = sum(item["lang"] != "en" for item in near_misses)
    assert foreign_near / len(near_misses) >= 0.2, foreign_near


def test_extra_has_long_messages_with_the_emergency_last(extra: dict) -> None:
    long_ones = [item for item in extra["emergencies"] if len(item["text"]) > 1200]
    assert len(long_ones) >= 15


def test_header_counts_match_the_file() -> None:
    header = EXTRA.read_text(encoding="utf-8").split("\nemergencies:", 1)[0]
    data = load(EXTRA.name)
    assert f"emergencies: {len(data['emergencies'])}" in header
    assert f"near_misses: {len(data['near_misses'])}" in header


def test_no_duplicates_within_extra_or_with_the_other_files(extra: dict) -> None:
    seen: dict[str, str] = {}
    for name in ("dev.yml", "heldout.yml"):
        data = load(name)
        for label in ("emergencies", "near_misses"):
            for item in data[label]:
                seen[normalised(item["text"])] = f"{name}/{label}"
    duplicates = []
    for label in ("emergencies", "near_misses"):
        for item in extra[label]:
            key = normalised(item["text"])
            if key in seen:
                duplicates.append((item["text"], seen[key]))
            seen[key] = f"dev_extra.yml/{label}"
    assert duplicates == []
