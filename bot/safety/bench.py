"""Cost of the emergency detector per message: it runs on every message, so it must stay cheap.

    .venv/bin/python -m bot.safety.bench

Prints p50 / p95 / max wall time of `assess_message` over the corpus dev half (every emergency and
near-miss), over long messages (chatty text of 2,000 to 20,000 characters with an emergency last), and
for comparison the old red-flag regexes (bot.safety.red_flags) on the same dev messages. Numbers only;
the test suite asserts no timings.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterable

from bot.safety.emergency import assess_message
from bot.safety.evaluation import load_half
from bot.safety.red_flags import detect_red_flag

_CHATTER = (
    "hi, quick update on my routine: i use a gentle cleanser, a niacinamide serum and spf 50 every morning, "
    "and at night a retinol twice a week with a rich moisturiser. my skin is combination and a bit sensitive "
    "around the nose, and i was wondering whether the new toner would fit in, or if it clashes with retinol. "
)
_EMERGENCY_LAST = "sorry typing this now because my lips are swelling and i cant breathe properly"


def long_messages(sizes: Iterable[int] = (2_000, 5_000, 10_000, 20_000)) -> list[str]:
    """Chatty messages of roughly the given sizes, each with an emergency in its last sentence."""
    messages = []
    for size in sizes:
        chatter = (_CHATTER * (size // len(_CHATTER) + 1))[:size]
        messages.append(chatter + " " + _EMERGENCY_LAST)
    return messages


def _timings(detector: Callable[[str], object], texts: list[str], repeat: int) -> list[float]:
    """Per-message times in milliseconds, each message run `repeat` times (best of the runs)."""
    timings = []
    for text in texts:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            detector(text)
            best = min(best, time.perf_counter() - start)
        timings.append(best * 1000)
    return timings


def _summary(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"{name:<44} n={len(ordered):<4} p50 {statistics.median(ordered):7.3f} ms   "
            f"p95 {p95:7.3f} ms   max {ordered[-1]:7.3f} ms")


def main(argv: list[str] | None = None) -> int:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per message (the best counts)")
    args = parser.parse_args(argv)
    dev = load_half("dev")
    texts = [item["text"] for item in dev["emergencies"] + dev["near_misses"]]
    assess_message("warm-up")
    print(_summary("assess_message, corpus dev half", _timings(assess_message, texts, args.repeat)))
    long_texts = long_messages()
    print(_summary("assess_message, long messages (2k-20k chars)", _timings(assess_message, long_texts, args.repeat)))
    for text in long_texts:
        print(f"  {len(text):>6} chars: {_timings(assess_message, [text], args.repeat)[0]:7.3f} ms, "
              f"verdict {assess_message(text).verdict.value}")
    print(_summary("old red_flags.detect_red_flag, dev half", _timings(detect_red_flag, texts, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
