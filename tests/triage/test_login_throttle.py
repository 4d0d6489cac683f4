"""Counting wrong staff tokens per address: free tries, a growing wait, its end, one try at a time,
a right token, and bounded memory."""

from __future__ import annotations

import asyncio

from bot.triage.login_throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_grows_with_wrong_tokens_up_to_a_cap_and_ends_with_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_tries=2, base_delay=1, max_delay=8, window_seconds=60, clock=clock)
    waits = []
    for _ in range(7):
        waits.append(throttle.delay("10.0.0.1"))
        throttle.failed("10.0.0.1")
        clock.now += 1
    assert waits == [0, 0, 1, 2, 4, 8, 8]  # never a block, at most the cap
    assert throttle.delay("10.0.0.2") == 0  # other addresses are not affected
    clock.now += 60
    assert throttle.delay("10.0.0.1") == 0  # every wrong token left the window


def test_a_right_token_forgets_the_wrong_ones() -> None:
    throttle = LoginThrottle(free_tries=1)
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.delay("10.0.0.1") > 0
    throttle.succeeded("10.0.0.1")
    assert throttle.delay("10.0.0.1") == 0


def test_tries_from_one_address_are_checked_one_at_a_time() -> None:
    throttle = LoginThrottle()
    inside: list[int] = []
    most = 0

    async def one_try(client: str) -> None:
        nonlocal most
        async with throttle.turn(client):
            inside.append(1)
            most = max(most, len(inside))
            await asyncio.sleep(0)
            inside.pop()

    async def scenario() -> None:
        await asyncio.gather(*(one_try("10.0.0.1") for _ in range(10)))

    asyncio.run(scenario())
    assert most == 1  # parallel requests cannot multiply one address's tries
    assert throttle._turns == {}  # nothing kept once nobody waits


def test_memory_stays_bounded_dropping_the_oldest_addresses() -> None:
    throttle = LoginThrottle(free_tries=0, max_clients=3)
    for n in range(5):
        throttle.failed(f"10.0.0.{n}")
    assert [throttle.failures(f"10.0.0.{n}") for n in range(5)] == [0, 0, 1, 1, 1]
