"""Faults while running: the action server hung or down, PostgreSQL down, Redis down (bot/resilience.py).

The Rasa server reaches PostgreSQL, Redis and the action server through loopback proxies this test
controls (tests/bot/tcp_proxy.py), so a dependency can be cut without touching the machine's shared
services. Each fault must get a clear reply within seconds, be visible on /health, /ready and
/metrics, and heal by itself when the dependency is back.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.answers.unavailable import ACTION_UNAVAILABLE
from tests.bot.dependencies import POSTGRES_PORT, REDIS_PORT
from tests.bot.production import get_json, get_text, production_env, start_production, tracker_database
from tests.bot.tcp_proxy import TcpProxy
from tests.servers import RunningAssistant

pytestmark = [pytest.mark.servers, pytest.mark.postgres, pytest.mark.redis]
ACTION_TIMEOUT = 2.0


@dataclass
class FaultyAssistant:
    """The servers, with a proxy in front of each dependency of the Rasa server."""

    running: RunningAssistant
    postgres: TcpProxy
    redis: TcpProxy
    actions: TcpProxy

    def ask(self, sender: str, text: str) -> tuple[str, float]:
        """The joined reply texts and how long they took."""
        started = time.monotonic()
        reply = self.running.reply_text(sender, text)
        return reply, time.monotonic() - started

    def health(self, path: str = "/health") -> tuple[int, dict]:
        return get_json(f"{self.running.rasa_url}{path}")

    def metric(self, name: str, **labels: str) -> float:
        """A counter's value on /metrics (0 when not yet counted)."""
        wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
        pattern = re.compile(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", re.M)
        text = get_text(f"{self.running.rasa_url}/metrics")
        if labels:
            match = pattern.search(text)
            return float(match.groups()[-1]) if match else 0.0
        # No labels asked: the sum over every labelled series of the metric.
        series = re.findall(rf"^{re.escape(name)}(?:\{{[^}}]*\}})? (\S+)$", text, re.M)
        return sum(float(value) for value in series)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyAssistant]:
    with tracker_database() as (database, user):
        postgres, redis = TcpProxy("127.0.0.1", POSTGRES_PORT), TcpProxy("127.0.0.1", REDIS_PORT)
        actions = TcpProxy("127.0.0.1", 9)  # aimed at the action server once it has a port
        env = production_env(database, user, postgres_port=postgres.port, redis_port=redis.port)
        env.update(ACTION_ENDPOINT_URL=f"http://127.0.0.1:{actions.port}/webhook",
                   ACTION_TIMEOUT_SECONDS=str(ACTION_TIMEOUT), LOG_FORMAT="json")
        try:
            running = start_production(tmp_path_factory.mktemp("faults"), env)
            actions.target = ("127.0.0.1", running.stack.settings.action_port)
            try:
                yield FaultyAssistant(running, postgres, redis, actions)
            finally:
                running.stack.stop()
        finally:
            for proxy in (postgres, redis, actions):
                proxy.close()


def wait_until_answered(faulty: FaultyAssistant, sender: str, text: str, expected: str, within: float = 20) -> str:
    """Ask until the expected answer comes back (the first messages after an outage may still apologise)."""
    deadline = time.monotonic() + within
    while True:
        reply, _ = faulty.ask(sender, text)
        if expected in reply or time.monotonic() > deadline:
            return reply
        time.sleep(0.5)


def test_a_hung_action_server_gets_a_clear_reply_within_five_seconds(faulty: FaultyAssistant) -> None:
    sender = f"hung-{uuid.uuid4().hex[:8]}"
    before = faulty.metric("skincare_action_timeouts_total", action="action_answer_ingredient_question")
    faulty.actions.hang()
    try:
        reply, took = faulty.ask(sender, "are milk exosomes vegan?")
    finally:
        faulty.actions.restore()
    assert reply == ACTION_UNAVAILABLE and took < 5.0
    assert faulty.metric("skincare_action_timeouts_total", action="action_answer_ingredient_question") == before + 1
    assert "may choose to avoid" in faulty.ask(sender, "are milk exosomes vegan?")[0]  # healed by itself
    log = (faulty.running.log_dir / "rasa-server.log").read_text(errors="replace").splitlines()
    logged = [json.loads(line) for line in log if line.startswith("{") and sender in line]
    assert any(entry["level"] == "ERROR" and "no answer within" in entry["message"] for entry in logged)


def test_an_action_server_that_is_down_gets_the_same_reply(faulty: FaultyAssistant) -> None:
    sender = f"down-{uuid.uuid4().hex[:8]}"
    before = faulty.metric("skincare_action_errors_total", action="action_answer_ingredient_question")
    faulty.actions.cut()
    try:
        reply, took = faulty.ask(sender, "will milk exosomes clog my pores?")
    finally:
        faulty.actions.restore()
    assert reply == ACTION_UNAVAILABLE and took < 5.0
    assert faulty.metric("skincare_action_errors_total", action="action_answer_ingredient_question") == before + 1


def test_postgresql_down_is_said_never_a_fresh_conversation(faulty: FaultyAssistant) -> None:
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    faulty.ask(sender, "I have oily skin")
    assert faulty.health("/ready")[0] == 200
    faulty.postgres.cut()
    try:
        reply, took = faulty.ask(sender, "would milk exosomes suit me?")
        status, body = faulty.health("/ready")
        live_status, live_body = faulty.health("/health")
    finally:
        faulty.postgres.restore()
    assert "conversation is kept" in reply and "try again in a minute" in reply and took < 5.0
    assert status == 503 and body["status"] == "degraded" and body["dependencies"]["conversation store"] != "ok"
    assert live_status == 200 and live_body["status"] == "degraded"
    assert faulty.metric("skincare_dependency_failures_total", dependency="conversation store") >= 1
    # Back by itself, in the same conversation: the skin type told before the outage is remembered.
    reply = wait_until_answered(faulty, sender, "would milk exosomes suit me?", "oily skin")
    assert "oily skin usually tolerates" in reply
    assert faulty.health("/ready") == (200, {"status": "ok", "dependencies": {
        "model": "ok", "conversation store": "ok", "lock store": "ok"}})


def test_redis_down_is_said_too(faulty: FaultyAssistant) -> None:
    sender = f"redis-{uuid.uuid4().hex[:8]}"
    faulty.redis.cut()
    try:
        reply, took = faulty.ask(sender, "are milk exosomes vegan?")
        status, body = faulty.health("/ready")
    finally:
        faulty.redis.restore()
    assert "try again in a minute" in reply and "vegan" not in reply and took < 5.0
    assert status == 503 and body["dependencies"]["lock store"] != "ok"
    assert faulty.metric("skincare_dependency_failures_total", dependency="lock store") >= 1
    answer = wait_until_answered(faulty, sender, "are milk exosomes vegan?", "may choose to avoid")
    assert "may choose to avoid" in answer
    assert faulty.health("/ready")[0] == 200


def test_metrics_count_messages_latency_and_red_flags(faulty: FaultyAssistant) -> None:
    sender = f"metrics-{uuid.uuid4().hex[:8]}"
    answered = faulty.metric("skincare_messages_total", channel="rest", outcome="answered")
    red_flags = faulty.metric("skincare_red_flags_total")
    latency = faulty.metric("skincare_message_latency_seconds_count", channel="rest")
    fallbacks = faulty.metric("skincare_fallbacks_total")
    faulty.ask(sender, "my lips are swelling and I can't breathe")
    faulty.ask(sender, "asdkjh qwpoeiru zxmcnv")
    assert faulty.metric("skincare_messages_total", channel="rest", outcome="answered") == answered + 2
    assert faulty.metric("skincare_message_latency_seconds_count", channel="rest") == latency + 2
    assert faulty.metric("skincare_red_flags_total") == red_flags + 1
    assert faulty.metric("skincare_fallbacks_total") == fallbacks + 1
