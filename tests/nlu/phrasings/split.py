"""Split the phrasing pool into a dev half and a held-out half.

Usage: python tests/nlu/phrasings/split.py /tmp/phrasing-pool.yml

The pool (every gathered phrasing with its topic, source and licence) lives outside the repository;
this script writes dev.yml and heldout.yml next to itself. The split is a deterministic seeded
shuffle stratified by topic: each topic's items, sorted by text, are shuffled with a generator seeded
from SEED and the topic, and halved; when a topic has an odd count the extra item goes to the dev half
and the held-out half in turn (alternating over topics in sorted order) so the halves stay the same
size. Re-running on the same set of items gives the same files, whatever their order. The held-out
half is never used for training or tuning.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

SEED = 20261201
HERE = Path(__file__).resolve().parent
FIELDS = ("text", "topic", "source", "licence")


def normalised(text: str) -> str:
    """Case, punctuation and spacing do not make two phrasings different."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Stratified by topic, 50/50, seeded; the order inside each half is by topic then pool order."""
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_topic[item["topic"]].append(item)
    dev: list[dict] = []
    heldout: list[dict] = []
    odd_turn = 0
    for topic in sorted(by_topic):
        # Sorted first, so the split depends on which items there are, not on their order in the pool:
        # re-splitting dev.yml + heldout.yml gives back the same two halves (the format test checks it).
        group = sorted(by_topic[topic], key=lambda item: (normalised(item["text"]), item["text"]))
        random.Random(f"{SEED}:{topic}").shuffle(group)
        half = len(group) // 2
        if len(group) % 2:
            half += 1 if odd_turn % 2 == 0 else 0
            odd_turn += 1
        dev.extend(group[:half])
        heldout.extend(group[half:])
    return dev, heldout


def header(name: str, items: list[dict], other: str, total: int) -> str:
    topics = Counter(item["topic"] for item in items)
    licences = Counter(
        "short quotation" if item["licence"].startswith("short quotation") else item["licence"] for item in items
    )
    lines = [
        f"# {name}",
        "# Real phrasings of questions about cosmetic ingredients (and small talk), quoted from",
        "# public sources (FAQ pages, brand help centres, Q&A and forum threads, blog headings, other open",
        "# chatbots' training data), each labelled with the topic the person most needs answered.",
        "# Nobody on this project wrote them; see tests/nlu/phrasings/README.md for how they were gathered",
        "# and what each topic label means.",
        f"# This half: {len(items)} items of {total}; the other half is {other}.",
        "# Split: split.py, seeded shuffle stratified by topic, 50/50. The held-out half is never used",
        "# for training or tuning.",
        "# Licences (per item in `licence`): " + ", ".join(f"{k}: {v}" for k, v in sorted(licences.items())),
        "#   'short quotation, © owner' = a single question quoted from a page that states no open",
        "#   licence, kept with its source for attribution.",
        "# Items per topic: " + ", ".join(f"{k} {v}" for k, v in sorted(topics.items())),
    ]
    return "\n".join(lines) + "\n"


def write(path: Path, name: str, items: list[dict], other: str, total: int) -> None:
    body = yaml.safe_dump(
        {"phrasings": [{k: item[k] for k in FIELDS} for item in items]}, allow_unicode=True, sort_keys=False, width=200
    )
    path.write_text(header(name, items, other, total) + body, encoding="utf-8")


def main(pool_path: str) -> None:
    items = yaml.safe_load(Path(pool_path).read_text(encoding="utf-8"))["phrasings"]
    dev, heldout = split(items)
    write(HERE / "dev.yml", "dev.yml: the dev half (training and tuning)", dev, "heldout.yml", len(items))
    write(
        HERE / "heldout.yml",
        "heldout.yml: the held-out half (evaluation only, never training or tuning)",
        heldout,
        "dev.yml",
        len(items),
    )
    print(f"{len(items)} items: dev {len(dev)}, heldout {len(heldout)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/phrasing-pool.yml")
