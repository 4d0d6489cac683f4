"""`make bench`'s long-conversation measurement (bot/bench/long_conversation.py), on a short run."""

from __future__ import annotations

import pytest

from bot.bench.long_conversation import growth, long_conversation
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers


def test_reports_the_median_of_early_and_late_turns(assistant: RunningAssistant) -> None:
    port = assistant.stack.settings.rasa_port
    p50 = long_conversation(port, ("hi", "are milk exosomes vegan?", "I have oily skin"), turns=12,
                            windows=((1, 4), (9, 12)))
    assert list(p50) == ["turns 1-4", "turns 9-12"]
    assert all(0 < ms < 30_000 for ms in p50.values())
    assert growth(p50) == p50["turns 9-12"] / p50["turns 1-4"]


def test_windows_must_fit_the_conversation() -> None:
    with pytest.raises(ValueError, match="do not fit in 10 turns"):
        long_conversation(1, ("hi",), turns=10, windows=((1, 5), (8, 11)))
    assert growth({"turns 1-50": 20.0, "turns 250-300": 30.0}) == 1.5
    assert growth({"turns 1-50": 20.0}) is None
