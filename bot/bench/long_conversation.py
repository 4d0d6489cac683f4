"""How the cost of a message grows with the conversation: one person, one long conversation.

Rasa reloads and replays a conversation's whole session on every message, so a message late in a long
conversation costs more than an early one. This sends `turns` messages in one conversation (the
script over and over) and reports the median latency over early and late windows of turns.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence

from bot.bench.load import RestClient, percentile

#: (first, last) turn numbers, counted from 1: the issue's "turns 1-50" and "turns 250-300".
WINDOWS: tuple[tuple[int, int], ...] = ((1, 50), (250, 300))


def window_label(first: int, last: int) -> str:
    """How a window is named in the report ("turns 1-50")."""
    return f"turns {first}-{last}"


def long_conversation(port: int, script: Sequence[str], turns: int = 300,
                      windows: Sequence[tuple[int, int]] = WINDOWS,
                      refused_replies: Sequence[str] = ()) -> dict[str, float]:
    """Median latency (ms) per window of turns, over one conversation of `turns` messages.

    Raises BenchError (from RestClient) when a message fails or gets one of `refused_replies` (an
    apology): a late failure, quickly answered, would hide the growth.
    """
    if any(first < 1 or last > turns or first > last for first, last in windows):
        raise ValueError(f"windows {list(windows)} do not fit in {turns} turns")
    client, sender, latencies = RestClient(port, refused_replies), f"long-{secrets.token_hex(4)}", []
    try:
        for turn in range(turns):
            began = time.perf_counter()
            client.send(sender, script[turn % len(script)])
            latencies.append((time.perf_counter() - began) * 1000)
    finally:
        client.close()
    return {window_label(first, last): percentile(latencies[first - 1:last], 50) for first, last in windows}


def growth(p50_by_window: dict[str, float]) -> float | None:
    """Late window's median over the early one's (1.0 = flat); None when either is missing."""
    values = list(p50_by_window.values())
    return values[-1] / values[0] if len(values) >= 2 and values[0] else None
