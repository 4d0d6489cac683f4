"""The other authors' development batches (dev_extra.yml, dev_extra2.yml, dev_extra3.yml, dev_extra4.yml,
dev_extra5.yml, dev_extra6.yml, dev_extra7.yml, dev_extra8.yml, dev_extra9.yml, dev_extra10.yml) are well formed,
big enough and new.

They are development data only (never held out): the detector may be tuned on them. A batch must not
repeat a message already in dev.yml, heldout.yml or an earlier batch, compared after folding case, accents,
punctuation and spacing, so that it adds phrasings instead of echoing another author's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.safety.corpus.split import KINDS, LANGS, normalised

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Batch:
    name: str
    emergencies: int
    near_misses: int
    per_kind: dict[str, int] = field(default_factory=dict)
    long_messages: int = 0
    earlier: tuple[str, ...] = ()  # the files written before it: no message may repeat one of theirs


BATCHES = (
    Batch("dev_extra.yml", 300, 220, {"anaphylaxis": 140, "swallowed": 50, "eye": 45, "burn": 40}, 15,
          ("dev.yml", "heldout.yml")),
    Batch("dev_extra2.yml", 250, 200, {"anaphylaxis": 130, "swallowed": 45, "eye": 40, "burn": 35}, 5,
          ("dev.yml", "heldout.yml", "dev_extra.yml")),
    Batch("dev_extra3.yml", 250, 200, {"anaphylaxis": 130, "swallowed": 50, "eye": 45, "burn": 40}, 5,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml")),
    Batch("dev_extra4.yml", 300, 240, {"anaphylaxis": 140, "swallowed": 55, "eye": 50, "burn": 45}, 5,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml")),
    Batch("dev_extra5.yml", 300, 240, {"anaphylaxis": 140, "swallowed": 55, "eye": 50, "burn": 45}, 5,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml", "dev_extra4.yml")),
    Batch("dev_extra6.yml", 200, 210, {"anaphylaxis": 90, "swallowed": 40, "eye": 35, "burn": 35}, 3,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml", "dev_extra4.yml",
           "dev_extra5.yml")),
    Batch("dev_extra7.yml", 300, 245, {"anaphylaxis": 130, "swallowed": 58, "eye": 52, "burn": 50}, 4,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml", "dev_extra4.yml",
           "dev_extra5.yml", "dev_extra6.yml")),
    Batch("dev_extra8.yml", 225, 170, {"anaphylaxis": 100, "swallowed": 45, "eye": 40, "burn": 36}, 4,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml", "dev_extra4.yml",
           "dev_extra5.yml", "dev_extra6.yml", "dev_extra7.yml")),
    Batch("dev_extra9.yml", 330, 245, {"anaphylaxis": 130, "swallowed": 70, "eye": 60, "burn": 60}, 5,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml", "dev_extra4.yml",
           "dev_extra5.yml", "dev_extra6.yml", "dev_extra7.yml", "dev_extra8.yml")),
    Batch("dev_extra10.yml", 300, 245, {"anaphylaxis": 110, "swallowed": 70, "eye": 60, "burn": 60}, 0,
          ("dev.yml", "heldout.yml", "dev_extra.yml", "dev_extra2.yml", "dev_extra3.yml", "dev_extra4.yml",
           "dev_extra5.yml", "dev_extra6.yml", "dev_extra7.yml", "dev_extra8.yml", "dev_extra9.yml")),
)
IDS = [batch.name for batch in BATCHES]


def load(name: str) -> dict:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("batch", BATCHES, ids=IDS)
def test_batch_has_only_the_two_labels_with_allowed_fields(batch: Batch) -> None:
    extra = load(batch.name)
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


@pytest.mark.parametrize("batch", BATCHES, ids=IDS)
def test_batch_meets_its_counts_and_covers_every_kind_and_language(batch: Batch) -> None:
    extra = load(batch.name)
    emergencies, near_misses = extra["emergencies"], extra["near_misses"]
    assert len(emergencies) >= batch.emergencies
    assert len(near_misses) >= batch.near_misses
    kinds = Counter(item["kind"] for item in emergencies)
    for kind, minimum in batch.per_kind.items():
        assert kinds[kind] >= minimum, kinds
    assert {item["lang"] for item in emergencies} == set(LANGS)
    assert {item["lang"] for item in near_misses} == set(LANGS)
    english = sum(item["lang"] == "en" for item in emergencies)
    assert 0.6 <= english / len(emergencies) <= 0.8, english
    foreign_near = sum(item["lang"] != "en" for item in near_misses)
    assert foreign_near / len(near_misses) >= 0.19, foreign_near  # about a fifth (dev_extra9: 50 of 252)


@pytest.mark.parametrize("batch", BATCHES, ids=IDS)
def test_batch_has_long_messages_with_the_emergency_last(batch: Batch) -> None:
    long_ones = [item for item in load(batch.name)["emergencies"] if len(item["text"]) > 1200]
    assert len(long_ones) >= batch.long_messages


@pytest.mark.parametrize("batch", BATCHES, ids=IDS)
def test_header_counts_match_the_file(batch: Batch) -> None:
    header = (CORPUS / batch.name).read_text(encoding="utf-8").split("\nemergencies:", 1)[0]
    data = load(batch.name)
    assert f"emergencies: {len(data['emergencies'])}" in header
    assert f"near_misses: {len(data['near_misses'])}" in header


@pytest.mark.parametrize("batch", BATCHES, ids=IDS)
def test_no_duplicates_within_a_batch_or_with_the_files_before_it(batch: Batch) -> None:
    seen: dict[str, str] = {}
    for name in batch.earlier:
        data = load(name)
        for label in ("emergencies", "near_misses"):
            for item in data[label]:
                seen[normalised(item["text"])] = f"{name}/{label}"
    duplicates = []
    extra = load(batch.name)
    for label in ("emergencies", "near_misses"):
        for item in extra[label]:
            key = normalised(item["text"])
            if key in seen:
                duplicates.append((item["text"], seen[key]))
            seen[key] = f"{batch.name}/{label}"
    assert duplicates == []
