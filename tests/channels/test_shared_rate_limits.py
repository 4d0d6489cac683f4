"""Chat rate limits counted in Redis (bot/channels/shared_rate_limits.py): two replicas, one budget."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
import redis

from bot.channels import shared_rate_limits
from bot.channels.rate_limits import ChatRateLimits, RateLimitConfigError, rate_limits_from_env
from bot.channels.shared_rate_limits import SharedChatRateLimits
from bot.production import ProductionPorts, server_env
from bot.run import free_port
from tests.bot.dependencies import REDIS_HOST, REDIS_PORT, require_redis

REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
T = TypeVar("T")


def replicas(count: int, per_address: int, per_conversation: int, url: str = REDIS_URL) -> list[SharedChatRateLimits]:
    """`count` limiters as separate Rasa replicas would build them: own clients, one Redis, one key prefix."""
    prefix = f"test-chat-limit-{uuid.uuid4().hex[:8]}:"
    return [SharedChatRateLimits.from_url(url, per_address, per_conversation, key_prefix=prefix)
            for _ in range(count)]


def run_with(limiters: list[SharedChatRateLimits], scenario: Callable[[], Awaitable[T]], clean_up: bool = True) -> T:
    """Run `scenario` in one event loop, then close the limiters' clients and delete their keys."""

    async def wrapped() -> T:
        try:
            return await scenario()
        finally:
            for limiter in limiters:
                await limiter.close()

    try:
        return asyncio.run(wrapped())
    finally:
        if clean_up:
            delete_keys(limiters[0].key_prefix)


def delete_keys(prefix: str) -> None:
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)
    client.close()


@pytest.mark.redis
def test_two_replicas_share_one_budget_per_conversation() -> None:
    require_redis()
    first, second = limiters = replicas(2, per_address=0, per_conversation=3)

    async def scenario() -> list[tuple[float, bool] | None]:
        answers = []
        for limiter in (first, second, first, second, first):
            refusal = await limiter.admit("web-abc")
            answers.append(None if refusal is None else (refusal.retry_after, refusal.first))
        answers.append(None if await second.admit("web-other") is None else "refused")
        return answers

    answers = run_with(limiters, scenario)
    assert answers[:3] == [None, None, None]  # 3 per minute in all, not 3 per replica
    (wait, told), (_, told_again) = answers[3], answers[4]
    assert 19.0 < wait <= 20.0 and told  # one every 20 s; the first refusal is announced...
    assert not told_again  # ...once, whichever replica refuses next
    assert answers[5] is None  # other conversations have their own budget


@pytest.mark.redis
def test_two_replicas_share_one_budget_per_address() -> None:
    require_redis()
    first, second = limiters = replicas(2, per_address=2, per_conversation=10)

    async def scenario() -> list[bool]:
        return [await first.admit("web-1", "10.0.0.1") is None, await second.admit("web-2", "10.0.0.1") is None,
                await first.admit("web-3", "10.0.0.1") is None, await second.admit("web-3", "10.0.0.2") is None]

    assert run_with(limiters, scenario) == [True, True, False, True]


@pytest.mark.redis
def test_a_token_comes_back_after_its_interval() -> None:
    require_redis()
    (limiter,) = limiters = replicas(1, per_address=0, per_conversation=600)  # one every 0.1 s

    async def scenario() -> tuple[int, bool]:
        allowed = 0
        while await limiter.admit("web-burst") is None:
            allowed += 1
        await asyncio.sleep(0.25)
        return allowed, await limiter.admit("web-burst") is None

    allowed, after_pause = run_with(limiters, scenario)
    assert allowed >= 600  # the burst (plus what refilled while it was sent)
    assert after_pause


@pytest.mark.redis
def test_buckets_expire_in_redis_once_full_again() -> None:
    require_redis()
    (limiter,) = limiters = replicas(1, per_address=60, per_conversation=20)
    run_with(limiters, lambda: limiter.admit("web-ttl", "10.1.1.1"), clean_up=False)
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    try:
        ttls = [client.pttl(f"{limiter.key_prefix}{kind}") for kind in ("a:10.1.1.1", "c:web-ttl")]
    finally:
        delete_keys(limiter.key_prefix)
        client.close()
    assert all(0 < ttl <= 5000 for ttl in ttls), ttls  # one token to refill: ~1-3 s, plus a second


def test_redis_unreachable_fails_open_to_counting_in_this_process(caplog: pytest.LogCaptureFixture) -> None:
    (limiter,) = limiters = replicas(1, per_address=0, per_conversation=2, url=f"redis://127.0.0.1:{free_port()}/0")

    async def scenario() -> list[bool]:
        return [await limiter.admit("web-x") is None for _ in range(4)]

    with caplog.at_level(logging.WARNING, logger="bot.channels.shared_rate_limits"):
        began = time.perf_counter()
        allowed = run_with(limiters, scenario, clean_up=False)
        elapsed = time.perf_counter() - began
    assert allowed == [True, True, False, False]  # nobody refused for the outage; the local limit still holds
    warnings = [r.getMessage() for r in caplog.records if "Redis is not answering" in r.getMessage()]
    assert len(warnings) == 1  # one line for the outage, not one per message
    print(f"\n4 checks with Redis down: {elapsed * 1000:.1f} ms in all (one failed connect, then local)")


@pytest.mark.redis
def test_redis_going_down_mid_run_fails_open_and_counting_returns_to_redis(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_redis()
    monkeypatch.setattr(shared_rate_limits, "RETRY_AFTER_SECONDS", 0.0)  # try Redis again at once
    first, second = limiters = replicas(2, per_address=0, per_conversation=2)
    pool = first._client.connection_pool

    async def scenario() -> list[bool]:
        allowed = [await first.admit("web-y") is None]  # counted in Redis: 1 of 2
        pool.connection_kwargs["port"] = free_port()  # Redis "goes away" for this replica
        await pool.disconnect()
        pool.reset()  # new connections use the dead port
        allowed += [await first.admit("web-y") is None for _ in range(3)]  # local: 2 allowed, then refused
        pool.connection_kwargs["port"] = REDIS_PORT  # back
        pool.reset()
        allowed.append(await first.admit("web-y") is None)  # Redis again: its 2nd token
        allowed.append(await second.admit("web-y") is None)  # and the shared budget is spent
        return allowed

    with caplog.at_level(logging.WARNING, logger="bot.channels.shared_rate_limits"):
        allowed = run_with(limiters, scenario)
    assert allowed == [True, True, True, False, True, False]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("Redis is not answering" in m for m in messages) == 1
    assert sum("Redis answers again" in m for m in messages) == 1


def test_the_setting_chooses_where_to_count() -> None:
    assert isinstance(rate_limits_from_env({}), ChatRateLimits)
    shared = rate_limits_from_env({"CHAT_LIMITS_REDIS_URL": REDIS_URL, "CHAT_LIMIT_PER_CONVERSATION": "7"})
    assert isinstance(shared, SharedChatRateLimits) and shared.per_conversation == 7
    with pytest.raises(RateLimitConfigError, match="CHAT_LIMITS_REDIS_URL") as error:
        rate_limits_from_env({"CHAT_LIMITS_REDIS_URL": "redis-host:6379 secret"})
    assert "secret" not in str(error.value)  # the value may hold a password: never echoed


@pytest.mark.redis
def test_a_shared_check_costs_about_one_redis_round_trip() -> None:
    require_redis()
    # Limits high enough that nothing is refused: every check takes a token from both buckets. Each
    # conversation is checked 4 times against 10 a minute, so its key lives until the bucket refills (24 s),
    # not the 1-second floor a huge limit gives: the count below must not depend on how loaded the machine is.
    (limiter,) = limiters = replicas(1, per_address=1_000_000, per_conversation=10)
    local = ChatRateLimits(1_000_000, 1_000_000)
    rounds = 2000

    async def scenario() -> tuple[float, float]:
        began = time.perf_counter()
        for i in range(rounds):
            await local.admit(f"c{i % 500}", "127.0.0.1")
        local_us = (time.perf_counter() - began) / rounds * 1e6
        began = time.perf_counter()
        refused = 0
        for i in range(rounds):
            refused += await limiter.admit(f"c{i % 500}", f"10.0.{i % 7}.1") is not None
        assert refused == 0
        return local_us, (time.perf_counter() - began) / rounds * 1e6

    local_us, shared_us = run_with(limiters, scenario, clean_up=False)
    print(f"\nrate limit check: {local_us:.1f} µs in process, {shared_us:.1f} µs in Redis (loopback)")
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    try:
        counted = sum(1 for key in client.scan_iter(limiter.key_prefix + "c:*") if not key.endswith(b":told"))
    finally:
        delete_keys(limiter.key_prefix)
        client.close()
    assert counted == 500  # every conversation was counted in Redis, not in the process


def test_make_run_prod_counts_in_the_lock_stores_redis_by_default() -> None:
    env = server_env(ProductionPorts(), {"REDIS_PASSWORD": "pw", "REDIS_DB": "2"})
    assert env["CHAT_LIMITS_REDIS_URL"] == "redis://:pw@127.0.0.1:6379/2"
    assert isinstance(rate_limits_from_env(env), SharedChatRateLimits)
    assert server_env(ProductionPorts(), {"CHAT_LIMITS_REDIS_URL": "redis://r:6379/5"})["CHAT_LIMITS_REDIS_URL"] == (
        "redis://r:6379/5")
