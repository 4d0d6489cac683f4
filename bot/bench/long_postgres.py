"""How the cost of a message grows with the conversation on PostgreSQL: our tracker store vs Rasa's own.

A step of `make bench-prod` (`python -m bot.bench.prod --long-only` runs it alone). Our assistant runs as
one process on production's endpoints (PostgreSQL tracker store, Redis locks), once with
endpoints.production.yml as it is (bot.tracker_store.IncrementalSQLTrackerStore) and once with the same
file but Rasa's own SQLTrackerStore (`type: SQL`), one after the other in the same run and on the same
scratch database. Each gets a warm-up, then one conversation of `turns` messages; the report is the
median latency of turns 1-50 and 250-300 (bot/bench/long_conversation.py) and their ratio.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from bot.bench.load import run_for
from bot.bench.long_conversation import growth, long_conversation
from bot.run import Stack

#: Closed-loop messages of another conversation before the measured one (first messages load caches).
WARM_UP_SECONDS = 10.0
OURS = "our IncrementalSQLTrackerStore"
RASAS = "Rasa's SQLTrackerStore"


def rasas_store_endpoints(production_endpoints: Path, work: Path) -> Path:
    """`production_endpoints` with Rasa's own SQL tracker store instead of ours (same database settings)."""
    endpoints = yaml.safe_load(production_endpoints.read_text())
    endpoints["tracker_store"]["type"] = "SQL"
    path = work / "endpoints.rasa-sql-tracker-store.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def compare_stores(production_endpoints: Path, work: Path, start: Callable[[Path, str], Stack],
                   script: Sequence[str], turns: int, refused_replies: Sequence[str] = ()
                   ) -> dict[str, dict[str, float]]:
    """p50 (ms) of turns 1-50 and 250-300 for each store; `start(endpoints, log name)` starts one process
    of our servers on that endpoints file (stopped here)."""
    results = {}
    for name, endpoints in ((OURS, production_endpoints), (RASAS, rasas_store_endpoints(production_endpoints, work))):
        stack = start(endpoints, "long-" + ("ours" if name == OURS else "rasa-sql"))
        try:
            port = stack.settings.rasa_port
            run_for(port, script, 1, WARM_UP_SECONDS, f"long-warm-{uuid.uuid4().hex[:6]}",
                    refused_replies=refused_replies)
            print(f">> {name} on PostgreSQL: one conversation of {turns} messages")
            results[name] = long_conversation(port, script, turns, refused_replies=refused_replies)
            print("     p50 " + describe(results[name]))
        finally:
            stack.stop()
    return results


def describe(p50_by_window: dict[str, float]) -> str:
    """"turns 1-50 20 ms, turns 250-300 22 ms (late/early 1.10x)"."""
    ratio = growth(p50_by_window)
    return (", ".join(f"{window} {ms:.0f} ms" for window, ms in p50_by_window.items())
            + ("" if ratio is None else f" (late/early {ratio:.2f}x)"))


def report(results: dict[str, dict[str, float]]) -> str:
    """The comparison, one line per store, with the issue's target for ours."""
    lines = ["Long conversation on PostgreSQL, 1 user, one process, p50 (target for ours: late/early <= 1.5x):"]
    width = max(len(name) for name in results)
    lines += [f"  {name:<{width}}  {describe(p50)}" for name, p50 in results.items()]
    return "\n".join(lines)
