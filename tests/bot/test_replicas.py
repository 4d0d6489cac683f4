"""Two Rasa replicas on one PostgreSQL tracker store and one Redis (atomic locks, socket.io manager).

People's messages alternate between the replicas: every conversation must hold each message once, in
order, each followed by its reply, with nobody's profile leaking into another's; messages sent all at
once must still be handled one at a time per person; a widget connected to one replica gets the reply
to a message handled by the other; one conversation's rate limit is one budget across both replicas.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from bot.run import Stack
from tests.bot.production import (
    post_message,
    production_env,
    start_production,
    start_rasa_replica,
    stored_events,
    tracker_database,
)
from tests.servers import RunningAssistant
from tests.web.test_socketio_channel import Conversation

pytestmark = [pytest.mark.servers, pytest.mark.postgres, pytest.mark.redis]

SKIN_TYPES = ("oily", "dry", "sensitive", "combination")


@dataclass
class Replicas:
    primary: RunningAssistant
    replica: Stack
    database: str
    user: str

    @property
    def urls(self) -> tuple[str, str]:
        return self.primary.rasa_url, self.replica.settings.rasa_url


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    with tracker_database() as (database, user):
        env = production_env(database, user)
        env["SOCKETIO_REDIS_URL"] = "redis://127.0.0.1:6379/0"
        env["CHAT_LIMITS_REDIS_URL"] = "redis://127.0.0.1:6379/0"  # as make run-prod sets it
        primary = start_production(tmp_path_factory.mktemp("replicas"), env)
        try:
            replica = start_rasa_replica(primary)
            try:
                yield Replicas(primary, replica, database, user)
            finally:
                replica.stop()
        finally:
            primary.stack.stop()


def conversation(skin: str) -> list[str]:
    """Ten messages one person sends, telling their own skin type."""
    return ["hi", f"I have {skin} skin", "are milk exosomes vegan?", "would milk exosomes suit me?",
            "will milk exosomes clog my pores?", "thanks", "are milk exosomes safe while breastfeeding?",
            "would they suit me?", "is snail mucin vegan?", "bye"]


def turns(events: list[dict]) -> list[tuple[str, int]]:
    """Each user message with the number of bot messages that answered it (before the next user message)."""
    result: list[tuple[str, int]] = []
    for event in events:
        if event["event"] == "user":
            result.append((event["text"], 0))
        elif event["event"] == "bot" and result:
            result[-1] = (result[-1][0], result[-1][1] + 1)
    return result


def skin_slots(events: list[dict]) -> set[str]:
    return {str(e["value"]) for e in events if e["event"] == "slot" and e["name"] == "skin_type" and e["value"]}


def test_fifty_people_alternating_between_replicas_keep_their_own_conversations(replicas: Replicas) -> None:
    run = uuid.uuid4().hex[:6]
    people = {f"alt-{run}-{i}": SKIN_TYPES[i % 4] for i in range(50)}

    def talk(sender: str) -> list[list[dict]]:
        return [post_message(replicas.urls[n % 2], sender, text)
                for n, text in enumerate(conversation(people[sender]))]

    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = dict(zip(people, pool.map(talk, people), strict=True))
    for sender, skin in people.items():
        assert all(replies[sender]), f"{sender} got no reply to some message"
        events = stored_events(replicas.database, replicas.user, sender)
        stored = turns(events)
        assert [text for text, _ in stored] == conversation(skin), sender  # each once, in order
        assert all(answers > 0 for _, answers in stored), (sender, stored)  # each with its reply
        assert skin_slots(events) == {skin}, sender  # nobody else's profile


def test_messages_sent_all_at_once_are_handled_one_at_a_time(replicas: Replicas) -> None:
    """Each person's messages arrive together, half at each replica: the lock serialises their turns."""
    run = uuid.uuid4().hex[:6]
    people = {f"burst-{run}-{i}": SKIN_TYPES[i % 4] for i in range(20)}
    messages = {sender: conversation(skin)[:6] for sender, skin in people.items()}
    jobs = [(sender, n, text) for sender in people for n, text in enumerate(messages[sender])]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        replies = list(pool.map(lambda job: post_message(replicas.urls[job[1] % 2], job[0], job[2]), jobs))
    assert all(replies)
    for sender in people:
        stored = turns(stored_events(replicas.database, replicas.user, sender))
        assert sorted(text for text, _ in stored) == sorted(messages[sender]), sender  # each exactly once
        assert all(answers > 0 for _, answers in stored), (sender, stored)  # replies never interleave


def test_one_conversations_rate_limit_is_one_budget_across_the_replicas(replicas: Replicas) -> None:
    """26 messages at once, half to each replica: 13 each is under the default 20 a minute per replica, so
    only a shared count refuses any."""
    sender = f"flood-{uuid.uuid4().hex[:6]}"

    def send(n: int) -> int:
        try:
            post_message(replicas.urls[n % 2], sender, f"is milk exosomes vegan? ({n})")
            return 200
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=26) as pool:
        statuses = list(pool.map(send, range(26)))
    assert sorted(set(statuses)) == [200, 429], statuses
    # 20 in all, so 6 refused when all arrive at once; fewer when a slow machine spreads the arrivals and
    # the budget refills (one every 3 s). Counted per replica, none would be refused.
    assert 1 <= statuses.count(429) <= 6, statuses
    stored = turns(stored_events(replicas.database, replicas.user, sender))
    assert len(stored) == statuses.count(200)  # a refused message is never stored


def test_a_widget_on_one_replica_gets_the_reply_handled_by_the_other(replicas: Replicas) -> None:
    """Two sockets in one widget session, one per replica: the reply to a message sent through the
    second replica reaches the socket on the first (python-socketio's Redis manager)."""
    origin = f"http://localhost:{replicas.primary.stack.settings.web_port}"

    async def stored(session_id: str) -> None:
        for _ in range(100):
            if await asyncio.to_thread(stored_events, replicas.database, replicas.user, session_id):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{session_id} was never stored")

    async def scenario() -> dict:
        watcher = await Conversation.open(replicas.urls[0], origin)
        await watcher.say("hi")
        await watcher.next("bot_uttered")
        # Rasa sends the reply before it saves the turn; another tab may resume the conversation once it
        # is stored (until then the server rightly treats the token as naming no conversation)
        await stored(watcher.session_id)
        sender = await Conversation.open(replicas.urls[1], origin, session_token=watcher.session_token)
        assert sender.session_id == watcher.session_id  # the same signed session, on the other replica
        try:
            await sender.say("are milk exosomes vegan?")
            return await watcher.next("bot_uttered")
        finally:
            await watcher.close()
            await sender.close()

    assert "may choose to avoid" in asyncio.run(scenario()).get("text", "")


def test_an_agents_line_sent_through_one_replica_reaches_a_widget_on_the_other(replicas: Replicas) -> None:
    """Takeover with replicas: the dashboard's relay call lands on the first Rasa server, the person's widget
    is connected to the second; the line arrives with the agent's name, and the takeover is in the shared
    tracker store."""
    origin = f"http://localhost:{replicas.primary.stack.settings.web_port}"
    token = replicas.primary.stack.service("rasa server").env["STAFF_RELAY_TOKEN"]

    def relay(session_id: str, step: str, body: dict) -> int:
        request = urllib.request.Request(
            f"{replicas.urls[0]}/webhooks/staff_relay/conversations/{session_id}/{step}",
            data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
            return answer.status

    async def scenario() -> tuple[dict, dict]:
        chat = await Conversation.open(replicas.urls[1], origin)
        try:
            await chat.say("hi")
            await chat.next("bot_uttered")
            for _ in range(100):  # the turn is saved just after the reply
                if await asyncio.to_thread(stored_events, replicas.database, replicas.user, chat.session_id):
                    break
                await asyncio.sleep(0.1)
            assert await asyncio.to_thread(relay, chat.session_id, "takeover", {"agent": "Sam"}) == 200
            joined = await chat.next("bot_uttered")
            words = {"agent": "Sam", "text": "Hello!"}
            assert await asyncio.to_thread(relay, chat.session_id, "messages", words) == 200
            return joined, await chat.next("bot_uttered")
        finally:
            await chat.close()

    joined, words = asyncio.run(scenario())
    assert joined["staff"] == {**joined["staff"], "kind": "joined", "agent": "Sam"}
    assert words["text"] == "Hello!" and words["staff"]["agent"] == "Sam"
