"""`python -m bot.bench.nlu_parse`: the NLU path's cost per message, in this process, with a trained model.

Loads the model with Rasa's `Agent` (with bot/rasa_speedups.py applied, as the Rasa server runs it) and
parses a fixed mix of messages a few times: questions about ingredients and the vocabulary with and
without typos, small talk, pasted label lists and emergencies (written here, not taken from any test
set). It prints p50/p95 wall time and CPU per message, the time per NLU graph node (the components of
config.yml) and, with `--profile`, the top functions by cProfile. A script that prints numbers, never a
test: compare two versions by running it for each, alternately, on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
import pstats
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_MODEL = Path("models/skincare.tar.gz")

_INGREDIENTS = (
    "milk exosomes", "niacinamide", "hyaluronic acid", "salicylic acid", "retinol", "squalane", "snail mucin",
    "zinc oxide", "glycerin", "phenoxyethanol", "methylparaben", "sodium laureth sulfate", "shea butter",
    "bakuchiol", "azelaic acid", "vitamin c", "ceramides", "rosehip oil", "green tea extract", "titanium dioxide",
)
_TYPOS = (
    "milk exosoms", "milk exsomes", "mlk exosomes", "niacinimide", "niacanamide", "hyaluronic acd",
    "hyularonic acid", "salicilic acid", "retinl", "sqalane", "phenoxyethenol", "glycerine", "methylparaben",
    "sodium lauryl sulphate", "bakuchoil", "azelic acid", "ceramids", "zinc unicornium",
)
_QUESTIONS = (
    "is {x} safe?", "what is {x}", "can I use {x} every day", "is {x} vegan?", "does {x} clog pores",
    "any side effects of {x}?", "can i use {x} while pregnant", "is {x} ok for sensitive skin",
    "how long until {x} works", "can I mix {x} with tretinoin", "will {x} irritate my eczema",
    "is {x} good for oily skin", "what does {x} do for acne prone skin", "can my baby use {x}",
)
_PROFILE = (
    "I have oily skin", "my skin is very dry and flaky", "i'm pregnant", "im pregnent", "I am breastfeeding",
    "i'm breastfeding my son", "I have combination skin", "I have combinaton skin", "i have sensitve skin",
    "I'm vegan", "i am vegetarain", "i'm allergic to dairy", "I have a nut allergy", "I have eczema",
    "i have ezcema on my hands", "my skin is acne-prone", "I have rosacea", "i have roseacea",
    "I'm lactose intolerant", "I use adapalene at night", "I'm on accutane", "I have hyperpigmentation",
    "i have hyperpigmantation", "does it cause sun sensitivity", "I have mature skin with fine lines",
)
_SMALL_TALK = (
    "hi", "hello there", "good morning", "thanks!", "thank you so much", "bye", "ok", "yes", "no thanks",
    "can I talk to a person", "I want to speak to a human", "what can you do?", "who are you",
    "how much does shipping cost", "my email is kim@example.com", "it stings", "my skin went red after using it",
    "how do I patch test", "are you a bot", "lol", "that's not what I asked", "can you help me code a website",
)
_LABELS = (
    "Ingredients: Aqua, Glycerin, Niacinamide, Phenoxyethanol, Parfum, Citric Acid",
    "Aqua (Water), Glycerin, Butylene Glycol, Sodium Hyaluronate, Panthenol, Allantoin, Carbomer, "
    "Sodium Hydroxide, Phenoxyethanol, Ethylhexylglycerin",
    "INCI: Water, Cetearyl Alcohol, Caprylic/Capric Triglyceride, Dimethicone, Tocopherol, Methylparaben, "
    "Propylparaben, Fragrance, Limonene, Linalool",
    "aqua, glycerin, niacinamide, zinc pca, methylisothiazolinone, parfum, hydroxycitronellal",
    "Ingredients: Water, Milk Exosomes, Glycerin, Squalane, Ceramide NP, Sodium Benzoate, Potassium Sorbate",
)
_EMERGENCIES = (
    "my lips are swelling and I can't breathe", "my throat feels tight after the cream",
    "I swallowed some of the serum, what do I do", "my child drank the toner", "my eye is burning after the peel",
    "i think im having an allergic reaction, my face is swelling up", "huge blisters after the acid, is that normal?",
    "I feel dizzy and my tongue is swollen", "got the serum in my eye and it hurts a lot",
    "mi cara está hinchada y no puedo respirar",
)


def benchmark_messages() -> list[str]:
    """About 300 messages, fixed order: every kind the assistant sees, typos included."""
    messages: list[str] = []
    names = [*_INGREDIENTS, *_TYPOS]
    for index, name in enumerate(names):
        for offset in range(5):
            messages.append(_QUESTIONS[(index * 5 + offset) % len(_QUESTIONS)].format(x=name))
    messages += [*_PROFILE, *_SMALL_TALK, *_LABELS, *_EMERGENCIES]
    messages += [f"{a} and {b}" for a, b in zip(_PROFILE[::2], _QUESTIONS[::1], strict=False)]
    messages += [m.format(x="IT").upper() for m in _QUESTIONS[:5]]
    return [m.format(x="it") if "{x}" in m else m for m in messages]


class NodeTimer:
    """Wraps a graph node and adds up its CPU time (this thread's: other processes on the machine don't count)."""

    def __init__(self, node: Callable[..., Any], totals: dict[str, float], name: str) -> None:
        self.node, self.totals, self.name = node, totals, name

    def __call__(self, *args: Any) -> Any:
        started = time.thread_time()
        try:
            return self.node(*args)
        finally:
            self.totals[self.name] += time.thread_time() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    from bot import rasa_speedups

    rasa_speedups.install_all()
    agent = Agent.load(str(args.model))
    processor = agent.processor
    assert processor is not None
    runner = processor.graph_runner
    totals: dict[str, float] = defaultdict(float)
    nodes = runner._instantiated_nodes  # noqa: SLF001 - timing wrappers around Rasa's own nodes
    for name in list(nodes):
        nodes[name] = NodeTimer(nodes[name], totals, name)
    messages = benchmark_messages()
    results: list[dict[str, Any]] = []

    async def parse(text: str) -> dict[str, Any]:
        return await processor.parse_message(UserMessage(text, sender_id="benchmark"))

    for text in messages[: args.warmup]:
        await parse(text)
    totals.clear()
    wall: list[float] = []
    profiler = cProfile.Profile() if args.profile else None
    cpu_started = time.process_time()
    for _ in range(args.repeats):
        for text in messages:
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            parsed = await parse(text)
            wall.append(time.perf_counter() - started)
            if profiler:
                profiler.disable()
            if len(results) < len(messages):
                results.append(parsed)
    cpu = time.process_time() - cpu_started
    count = len(wall)
    report = {
        "model": str(args.model), "messages": count,
        "p50_ms": 1000 * statistics.median(wall), "p95_ms": 1000 * _percentile(wall, 0.95),
        "cpu_ms_per_message": 1000 * cpu / count,
        "node_cpu_ms_per_message": {name: 1000 * totals[name] / count
                                    for name in sorted(totals, key=lambda n: -totals[n])},
    }
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(args.profile)
        report["profile"] = stream.getvalue()
    report["parses"] = [{"text": r["text"], "intent": r["intent"]["name"],
                         "entities": [(e["entity"], e["value"], e["start"], e["end"]) for e in r.get("entities", [])]}
                        for r in results]
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line; prints a JSON report (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--repeats", type=int, default=3, help="passes over the message mix")
    parser.add_argument("--warmup", type=int, default=50, help="messages parsed before timing")
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions by cProfile")
    parser.add_argument("--parses", help="write each message's intent and entities to this JSON file")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # unconfigured, Rasa logs every parse at debug level
    report = asyncio.run(_run(args))
    profile = report.pop("profile", None)
    parses = report.pop("parses")
    if args.parses:
        Path(args.parses).write_text(json.dumps(parses, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(report, indent=1))
    if profile:
        print(profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
