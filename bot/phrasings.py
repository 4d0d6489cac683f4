"""Topic accuracy on the phrasing set (tests/nlu/phrasings): real questions nobody here wrote.

Each item's text goes through the trained model's NLU (in process); the topic the assistant would answer
(``bot.answers.understanding``: intent + what the message names) is compared with the item's label.
``python -m bot.phrasings dev`` lists the dev half's misses with their texts (the dev half may be used for
tuning); ``dev2`` to ``dev8`` are development sets gathered later (never copied into the training
data, so they keep measuring phrasings the model has not seen) and list their misses the same way, unless
``--counts-only`` is given. ``--subset a`` or ``--subset b`` keeps only the even (a) or odd (b) positions of
a set, as the safety corpus does: dev4 to dev8 are split that way, their even halves (dev4a ... dev8a) may
be tuned on and their odd halves (dev4b ... dev8b) are the cross-checks a change is judged by, so their misses are
listed only for ``--subset a`` (the whole set or ``--subset b`` prints counts only). The held-out half is only
ever reported as counts, accuracy and a per-topic confusion summary, never its texts (``bot.quality`` runs it
and fails below the bar).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answers.topics import Topic
from bot.answers.understanding import resolve_topic, topic_label

REPO_ROOT = Path(__file__).resolve().parents[1]
PHRASINGS = REPO_ROOT / "tests" / "nlu" / "phrasings"
MODEL = REPO_ROOT / "models" / "skincare.tar.gz"
#: The target of issue 10: topic accuracy on the held-out half.
TOPIC_ACCURACY_BAR = 0.95
#: What `make test` enforces until the target is met: the accuracy measured when the check was added
#: (0.856 on 2026-12-01; 155/180 = 0.861 after the third session's round, tuned on dev2 and judged by
#: dev3's counts; 158/180 = 0.878 after the fourth, kept only where dev2 rose and dev3 did not fall;
#: 161/180 = 0.894 after the fifth, tuned on dev2 and dev3's misses, so only held-out judges it;
#: 164/180 = 0.911 after the sixth, tuned on dev4's even half and judged by its odd half's counts;
#: 165/180 = 0.917 after the eighth, tuned on dev6's even half, judged by dev4b + dev5b + dev6b together;
#: 166/180 = 0.922 after the tenth, tuned on dev7's even half, judged by dev4b to dev7b together),
#: so a change that understands less fails. Raise it as accuracy improves; it becomes
#: TOPIC_ACCURACY_BAR once that is reached.
TOPIC_ACCURACY_FLOOR = 166 / 180  # the measured figure itself, not a rounding of it


@dataclass(frozen=True)
class Outcome:
    """One item: its label and the topic the assistant decided."""

    text: str
    expected: str
    predicted: str


def label_of(parse: dict[str, Any]) -> str:
    """The phrasing-set label of one NLU parse (intent + entities), the way the assistant would answer."""
    intent = (parse.get("intent") or {}).get("name")
    named: dict[str, list[str]] = {}
    for entity in parse.get("entities") or []:
        named.setdefault(str(entity.get("entity")), []).append(str(entity.get("value")))
    base = Topic.from_intent(intent)
    if base is None:
        return topic_label(None, named, intent)
    topic = resolve_topic(base, {k: tuple(v) for k, v in named.items()})
    return topic_label(topic, named, intent)


def quiet() -> None:
    """Drop Rasa's structured debug log (it prints every parsed message's text)."""
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


#: The sets whose misses may be listed with their texts; the held-out half never is.
DEVELOPMENT_SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8")
#: Fixed halves of a set: "a" the even positions (0, 2, ...), "b" the odd ones (as bot.safety.evaluation).
SUBSETS = ("a", "b")
#: Sets split into a half that may be tuned on and a half measured only as counts: their misses are listed
#: for that subset alone (dev4a ... dev8a), never for the other half or the whole set.
MISSES_LISTED_ONLY_FOR = {"dev4": "a", "dev5": "a", "dev6": "a", "dev7": "a", "dev8": "a"}


def split_items(items: list[dict[str, str]], subset: str | None) -> list[dict[str, str]]:
    """A fixed half of a set's items: "a" the even positions, "b" the odd ones, None all of them."""
    if subset is None:
        return items
    if subset not in SUBSETS:
        raise ValueError(f"unknown subset {subset!r}: expected one of {', '.join(SUBSETS)}")
    return items[SUBSETS.index(subset)::2]


def may_list_misses(half: str, subset: str | None) -> bool:
    """Whether the texts of a set's misses may be printed: development sets only, and a split set's tuning half only."""
    if half not in DEVELOPMENT_SETS:
        return False
    return half not in MISSES_LISTED_ONLY_FOR or subset == MISSES_LISTED_ONLY_FOR[half]


def read_items(half: str, subset: str | None = None) -> list[dict[str, str]]:
    """The items of one set ("dev", "dev2" ... "dev8" or "heldout"), or its subset "a"/"b"."""
    document = yaml.safe_load((PHRASINGS / f"{half}.yml").read_text(encoding="utf-8"))
    return split_items(list(document["phrasings"]), subset)


def evaluate(half: str, model: Path = MODEL, subset: str | None = None) -> list[Outcome]:
    """Parse every item of one half (or its subset "a"/"b") with the trained model."""
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent  # heavy: only when evaluating

    async def run() -> list[Outcome]:
        agent = Agent.load(str(model))
        quiet()  # Rasa logs each parsed text at debug level: the held-out texts must never be printed
        outcomes = []
        for item in read_items(half, subset):
            parse = await agent.parse_message(item["text"])
            outcomes.append(Outcome(item["text"], item["topic"], label_of(parse)))
        return outcomes

    return asyncio.run(run())


def summary(outcomes: list[Outcome]) -> str:
    """Counts, accuracy and a per-topic confusion summary (no texts)."""
    right = sum(o.expected == o.predicted for o in outcomes)
    lines = [f"{right}/{len(outcomes)} correct, topic accuracy {right / max(len(outcomes), 1):.3f}"]
    per_topic: dict[str, Counter[str]] = {}
    for o in outcomes:
        per_topic.setdefault(o.expected, Counter())[o.predicted] += 1
    for topic in sorted(per_topic):
        counts = per_topic[topic]
        total, ok = sum(counts.values()), counts[topic]
        wrong = ", ".join(f"{label} {n}" for label, n in counts.most_common() if label != topic)
        lines.append(f"  {topic:<16} {ok:>3}/{total:<3}" + (f"  -> {wrong}" if wrong else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: evaluate one set; the development sets also list their misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("half", choices=[*DEVELOPMENT_SETS, "heldout"])
    parser.add_argument(
        "--counts-only",
        action="store_true",
        help="print only the accuracy and per-topic counts, not the misses (a set used as a cross-check)",
    )
    parser.add_argument(
        "--subset",
        choices=SUBSETS,
        help="only the even (a) or odd (b) positions of the set; dev4's to dev8's misses are listed for a only"
        " (the tuning half)",
    )
    args = parser.parse_args(argv)
    outcomes = evaluate(args.half, subset=args.subset)
    print(summary(outcomes))
    if may_list_misses(args.half, args.subset) and not args.counts_only:
        for o in outcomes:
            if o.expected != o.predicted:
                print(f"  {o.expected:>16} -> {o.predicted:<16} {o.text!r}")
    accuracy = sum(o.expected == o.predicted for o in outcomes) / max(len(outcomes), 1)
    return 0 if accuracy >= TOPIC_ACCURACY_BAR else 1


if __name__ == "__main__":
    sys.exit(main())
