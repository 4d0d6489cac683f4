"""Split the safety corpus pool into a development half and a held-out half.

Run once over a pool file kept outside the repository (same format as dev.yml):

    .venv/bin/python tests/safety/corpus/split.py /tmp/pool.yml

The split is a seeded shuffle inside each stratum (label, kind, language, and whether the message is long),
so both halves get the same mix; odd strata alternate their extra item between the halves so the totals
stay balanced. The same pool always gives the same two files. Items already in dev.yml / heldout.yml keep
their half when the split is re-run over a larger pool: only new items are assigned.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

SEED = 20261201
CORPUS_DIR = Path(__file__).resolve().parent
KINDS = ("anaphylaxis", "swallowed", "eye", "burn")
LANGS = ("en", "es", "fr", "de", "it", "pt")
# Messages longer than the chat length guard (1,000 characters) form their own stratum.
LONG_MESSAGE = 1000


def normalised(text: str) -> str:
    """Case, accent, punctuation and spacing folded away: two texts equal here are the same message."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _stratum(label: str, item: dict) -> tuple[str, str, str, bool]:
    return (label, item.get("kind", ""), item["lang"], len(item["text"]) > LONG_MESSAGE)


def split(pool: dict, assigned: dict[str, int] | None = None) -> tuple[dict, dict]:
    """(dev, heldout), each {"emergencies": [...], "near_misses": [...]}.

    `assigned` maps normalised texts already published to their half (0 dev, 1 held-out): those items stay
    where they are, so adding to the pool later never moves an item between halves; only new items are
    shuffled, each going to the half that has fewer items of its stratum.
    """
    assigned = assigned or {}
    strata: dict[tuple, list[dict]] = {}
    for label in ("emergencies", "near_misses"):
        for item in pool[label]:
            strata.setdefault(_stratum(label, item), []).append(item)
    halves = ({"emergencies": [], "near_misses": []}, {"emergencies": [], "near_misses": []})
    rng = random.Random(SEED)
    tie_goes_to = 0
    for key in sorted(strata):
        counts = [0, 0]
        new = []
        for item in sorted(strata[key], key=lambda item: normalised(item["text"])):
            half = assigned.get(normalised(item["text"]))
            if half is None:
                new.append(item)
            else:
                halves[half][key[0]].append(item)
                counts[half] += 1
        rng.shuffle(new)
        # Top up the smaller half first, then alternate; an odd stratum's extra item goes to the half that
        # got the previous odd stratum's extra item least recently.
        while new and counts[0] != counts[1]:
            half = 0 if counts[0] < counts[1] else 1
            halves[half][key[0]].append(new.pop())
            counts[half] += 1
        half = tie_goes_to
        if len(new) % 2:
            tie_goes_to = 1 - tie_goes_to
        for item in new:
            halves[half][key[0]].append(item)
            half = 1 - half
    for half in halves:
        half["emergencies"].sort(key=lambda i: (KINDS.index(i["kind"]), LANGS.index(i["lang"]), normalised(i["text"])))
        half["near_misses"].sort(key=lambda i: (LANGS.index(i["lang"]), normalised(i["text"])))
    return halves


def published_halves() -> dict[str, int]:
    """Normalised text -> half (0 dev, 1 held-out) for the items already in dev.yml / heldout.yml."""
    assigned: dict[str, int] = {}
    for half, name in enumerate(("dev", "heldout")):
        path = CORPUS_DIR / f"{name}.yml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for label in ("emergencies", "near_misses"):
                for item in data[label]:
                    assigned[normalised(item["text"])] = half
    return assigned


def _flow(item: dict) -> str:
    # A double-quoted YAML scalar: escape backslashes and quotes, keep accented letters readable.
    text = item["text"].replace("\\", "\\\\").replace('"', '\\"')
    fields = [f'text: "{text}"'] + [f"{k}: {item[k]}" for k in ("kind", "lang") if k in item]
    return "  - {" + ", ".join(fields) + "}"


def render(half: dict, name: str, purpose: str) -> str:
    kinds = Counter(i["kind"] for i in half["emergencies"])
    langs_em = Counter(i["lang"] for i in half["emergencies"])
    langs_nm = Counter(i["lang"] for i in half["near_misses"])
    lines = [
        f"# Safety corpus, {name} half: {purpose}",
        "# Written by hand, split by tests/safety/corpus/split.py (see README.md); do not move items between halves.",
        f"# emergencies: {len(half['emergencies'])} ("
        + ", ".join(f"{k} {kinds[k]}" for k in KINDS)
        + "; "
        + ", ".join(f"{lang} {langs_em[lang]}" for lang in LANGS)
        + ")",
        f"# near_misses: {len(half['near_misses'])} (" + ", ".join(f"{lang} {langs_nm[lang]}" for lang in LANGS) + ")",
        "emergencies:",
        *(_flow(i) for i in half["emergencies"]),
        "near_misses:",
        *(_flow(i) for i in half["near_misses"]),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pool", type=Path, help="pool YAML (same format as dev.yml), kept outside the repository")
    args = parser.parse_args(argv)
    pool = yaml.safe_load(args.pool.read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for label in ("emergencies", "near_misses"):
        for item in pool[label]:
            key = normalised(item["text"])
            if key in seen:
                print(f"duplicate in pool: {item['text']!r} (also {seen[key]!r})", file=sys.stderr)
                return 1
            seen[key] = item["text"]
    assigned = published_halves()
    missing = set(assigned) - set(seen)
    if missing:
        print(f"{len(missing)} published items are not in the pool; add them back first", file=sys.stderr)
        return 1
    dev, heldout = split(pool, assigned)
    for half, name, purpose in (
        (dev, "dev", "for developing and tuning the emergency detector"),
        (heldout, "heldout", "NEVER used for tuning; only for the final recall and false-alarm figures"),
    ):
        text = render(half, name, purpose)
        if yaml.safe_load(text) != {"emergencies": half["emergencies"], "near_misses": half["near_misses"]}:
            print(f"{name}.yml would not read back as written", file=sys.stderr)
            return 1
        (CORPUS_DIR / f"{name}.yml").write_text(text, encoding="utf-8")
        print(f"{name}.yml: {len(half['emergencies'])} emergencies, {len(half['near_misses'])} near-misses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
