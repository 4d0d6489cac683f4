"""Message rate limits: a burst, then one message per interval, per address and per conversation."""

from __future__ import annotations

import time

import pytest

from bot.channels.rate_limits import ChatRateLimits, RateLimitConfigError, TokenBuckets


def test_a_conversation_may_send_its_burst_then_waits_for_the_next_token() -> None:
    limits = ChatRateLimits(per_address=0, per_conversation=3)
    assert [limits.check("c1", now=100.0) for _ in range(3)] == [None, None, None]
    refused = limits.check("c1", now=100.0)
    assert refused is not None and refused.first
    assert refused.retry_after_seconds == 20  # 3 per minute: one every 20 s
    again = limits.check("c1", now=101.0)
    assert again is not None and not again.first  # told once, not on every message
    assert limits.check("c2", now=101.0) is None  # other conversations are not affected
    assert limits.check("c1", now=121.0) is None  # a token came back
    after = [limits.check("c1", now=121.0)]
    assert after[0] is not None and after[0].first  # a new streak is announced again


def test_one_address_is_limited_across_its_conversations() -> None:
    limits = ChatRateLimits(per_address=2, per_conversation=10)
    assert limits.check("c1", "10.0.0.1", now=0.0) is None
    assert limits.check("c2", "10.0.0.1", now=0.0) is None
    assert limits.check("c3", "10.0.0.1", now=0.0) is not None
    assert limits.check("c3", "10.0.0.2", now=0.0) is None


def test_zero_switches_a_limit_off() -> None:
    limits = ChatRateLimits(per_address=0, per_conversation=0)
    assert all(limits.check("c", "a", now=0.0) is None for _ in range(1000))


def test_settings_come_from_the_environment_with_defaults() -> None:
    limits = ChatRateLimits.from_env({})
    assert (limits.per_address, limits.per_conversation) == (60, 20)
    limits = ChatRateLimits.from_env({"CHAT_LIMIT_PER_ADDRESS": "5", "CHAT_LIMIT_PER_CONVERSATION": "0"})
    assert (limits.per_address, limits.per_conversation) == (5, 0)
    with pytest.raises(RateLimitConfigError, match="CHAT_LIMIT_PER_CONVERSATION"):
        ChatRateLimits.from_env({"CHAT_LIMIT_PER_CONVERSATION": "ten"})


def test_idle_buckets_are_forgotten_when_too_many_keys_are_tracked() -> None:
    buckets = TokenBuckets(per_minute=60, max_keys=100)
    for i in range(100):
        buckets.take(f"k{i}", now=0.0)
    buckets.take("new", now=10.0)  # every earlier bucket has refilled by now: all dropped
    assert len(buckets._buckets) == 1


def test_a_check_costs_a_few_microseconds() -> None:
    limits = ChatRateLimits.from_env({})
    rounds = 50_000
    began = time.perf_counter()
    for i in range(rounds):
        limits.check(f"c{i % 500}", "127.0.0.1")
    per_check_us = (time.perf_counter() - began) / rounds * 1e6
    print(f"\nrate limit check: {per_check_us:.2f} µs per message")  # a figure, not a timing assertion
    assert limits.check("fresh", "10.9.9.9") is None
