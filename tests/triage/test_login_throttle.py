"""Counting wrong staff tokens per address: the pause, its end, a right token, and bounded memory."""

from __future__ import annotations

from bot.triage.login_throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_waits_after_too_many_wrong_tokens_until_the_oldest_leaves_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(max_failures=3, window_seconds=60, clock=clock)
    for _ in range(2):
        throttle.failed("10.0.0.1")
        clock.now += 10
    assert throttle.retry_after("10.0.0.1") is None
    throttle.failed("10.0.0.1")  # third wrong token, at t=20 (first at t=0)
    assert throttle.retry_after("10.0.0.1") == 40
    assert throttle.retry_after("10.0.0.2") is None  # other addresses are not affected
    clock.now += 40
    assert throttle.retry_after("10.0.0.1") is None  # the first one left the window: one more try
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 10  # the second one (t=10) now decides


def test_a_right_token_forgets_the_wrong_ones() -> None:
    throttle = LoginThrottle(max_failures=2, window_seconds=60, clock=Clock())
    throttle.failed("10.0.0.1")
    throttle.succeeded("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") is None


def test_memory_stays_bounded_dropping_the_oldest_addresses() -> None:
    throttle = LoginThrottle(max_failures=1, window_seconds=60, max_clients=100, clock=Clock())
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(throttle._failures) == 100
    assert throttle.retry_after("10.0.3.231") is not None  # the newest (n=999) is still counted
    assert throttle.retry_after("10.0.0.0") is None  # the oldest were dropped
