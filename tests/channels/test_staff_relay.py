"""The staff relay (bot/channels/staff_relay.py) on a real loopback server beside the Twilio channel, with
Twilio's REST API stubbed on loopback: an agent's takeover, messages and hand back reach an SMS or
WhatsApp sender from the number they wrote to, signed with the agent's name, and are kept in the tracker
with their author; the relay refuses what it must."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from yarl import URL

from bot.channels.rest import CheckedRestInput
from bot.channels.staff_relay import StaffRelayInput
from tests.channels.loopback import PlatformApi, serve_channel
from tests.channels.test_messenger import graph  # noqa: F401 (the Graph API on loopback, a fixture)
from tests.channels.test_slack import web_api  # noqa: F401 (Slack's Web API on loopback, a fixture)
from tests.channels.test_twilio import (
    OUR_SMS_NUMBER,
    OUR_WHATSAPP_NUMBER,
    make_channel,
    post_form,
    sent_messages,
    signed,
    sms_payload,
    twilio_rest,
    whatsapp_payload,
)

TOKEN = "relay-token-for-loopback-tests-" + "r" * 16
DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


@dataclass
class ConversationAgent:
    """What Rasa's agent is to the relay: a tracker store, a lock store and the domain. People's messages
    are stored as Rasa stores them (with their channel and metadata); the assistant answers nothing."""

    domain: Domain = DOMAIN
    tracker_store: InMemoryTrackerStore = field(default_factory=lambda: InMemoryTrackerStore(DOMAIN))
    lock_store: InMemoryLockStore = field(default_factory=InMemoryLockStore)

    async def handle_message(self, message: UserMessage) -> None:
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, input_channel=message.input_channel, metadata=message.metadata))
        await self.tracker_store.save(tracker)


async def relay(base: str, conversation_id: str, step: str, body: Any, token: str | None = TOKEN) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # Quoted as the dashboard quotes it (bot/triage/takeover.py): "+" and ":" in Twilio ids travel escaped.
    url = f"{base}/webhooks/staff_relay/conversations/{quote(conversation_id, safe='')}/{step}"
    async with aiohttp.ClientSession() as session:
        async with session.post(URL(url, encoded=True), json=body, headers=headers) as reply:
            return reply.status, await reply.json()


def bodies(api: PlatformApi) -> list[tuple[str, str, str]]:
    return [(m["From"][0], m["To"][0], m["Body"][0]) for m in sent_messages(api)]


@pytest.fixture(autouse=True)
def relay_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_RELAY_TOKEN", TOKEN)


def test_an_agent_takes_over_an_sms_chat_writes_and_hands_back() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = ConversationAgent()
            async with serve_channel(make_channel(api), agent, StaffRelayInput()) as base:
                sms = sms_payload("my skin burns a bit after the serum")
                await post_form(f"{base}/webhooks/twilio/webhook", sms, signed(sms))
                person = "twilio-+14155550100"
                who = {"agent": "Sam Support", "agent_id": 4}
                taken = await relay(base, person, "takeover", who)
                said = await relay(base, person, "messages", {**who, "text": "Hi, I'm looking at your message now."})
                back = await relay(base, person, "handback", who)
            assert taken == (200, {"channel": "twilio", "human_agent": "Sam Support"})
            assert said[0] == 200 and back == (200, {"channel": "twilio", "human_agent": None})
            joined, words, handed = bodies(api)
            assert joined[:2] == (OUR_SMS_NUMBER, "+14155550100") and "Sam Support" in joined[2]
            assert words == (OUR_SMS_NUMBER, "+14155550100",
                             "Sam Support (support team): Hi, I'm looking at your message now.")
            assert "back with the assistant" in handed[2]
            tracker = await agent.tracker_store.retrieve(person)
            staff_lines = [(e.text, e.metadata["staff"]) for e in tracker.events if isinstance(e, BotUttered)]
            assert staff_lines[1] == ("Hi, I'm looking at your message now.",
                                      {"kind": "message", "agent": "Sam Support", "agent_id": 4})
            assert [line[1]["kind"] for line in staff_lines] == ["joined", "message", "handed_back"]
            assert tracker.get_slot("human_agent") is None

    asyncio.run(scenario())


def test_a_whatsapp_reply_goes_out_from_the_whatsapp_number() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = ConversationAgent()
            async with serve_channel(make_channel(api), agent, StaffRelayInput()) as base:
                message = whatsapp_payload("hello?")
                await post_form(f"{base}/webhooks/twilio/webhook", message, signed(message))
                status, _ = await relay(base, "twilio-whatsapp:+14155550111", "messages",
                                        {"agent": "Ana", "agent_id": None, "text": "Hello from the team"})
            assert status == 200
            assert bodies(api) == [(OUR_WHATSAPP_NUMBER, "whatsapp:+14155550111",
                                    "Ana (support team): Hello from the team")]

    asyncio.run(scenario())


def test_the_relay_refuses_strangers_unknown_chats_and_a_second_agent() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = ConversationAgent()
            async with serve_channel(make_channel(api), agent, StaffRelayInput()) as base:
                sms = sms_payload("hello")
                await post_form(f"{base}/webhooks/twilio/webhook", sms, signed(sms))
                person = "twilio-+14155550100"
                who = {"agent": "Sam", "agent_id": 1}
                no_token = await relay(base, person, "takeover", who, token=None)
                wrong_token = await relay(base, person, "takeover", who, token="x" * 48)
                unknown = await relay(base, "twilio-+10000000000", "takeover", who)
                nobody_to_hand_back = await relay(base, person, "handback", who)
                empty = await relay(base, person, "messages", {**who, "text": "   "})
                assert (await relay(base, person, "takeover", who))[0] == 200
                second = await relay(base, person, "takeover", {"agent": "Kim", "agent_id": 2})
            assert [no_token[0], wrong_token[0], unknown[0], nobody_to_hand_back[0], empty[0], second[0]] == [
                401, 401, 404, 409, 400, 409]
            assert "Sam has already taken over" in second[1]["error"]
            assert len(sent_messages(api)) == 1  # only Sam's own takeover notice went out

    asyncio.run(scenario())


def test_a_rest_conversation_cannot_be_written_to_later_and_nothing_is_stored() -> None:
    async def scenario() -> None:
        agent = ConversationAgent()
        async with serve_channel(CheckedRestInput(), agent, StaffRelayInput()) as base:
            tracker = await agent.tracker_store.get_or_create_tracker("api-caller")
            tracker.update(UserUttered("hello", input_channel="rest"))
            await agent.tracker_store.save(tracker)
            status, body = await relay(base, "api-caller", "messages", {"agent": "Sam", "text": "hi"})
        assert status == 409 and "reply by email" in body["error"]
        stored = await agent.tracker_store.retrieve("api-caller")
        assert not [e for e in stored.events if isinstance(e, BotUttered)]

    asyncio.run(scenario())


def test_the_relay_is_off_without_its_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFF_RELAY_TOKEN")

    async def scenario() -> None:
        async with serve_channel(StaffRelayInput(), ConversationAgent()) as base:
            status, body = await relay(base, "anyone", "takeover", {"agent": "Sam"})
        assert status == 503 and "STAFF_RELAY_TOKEN" in body["error"]

    asyncio.run(scenario())


def test_telegram_and_messenger_get_the_agents_words_at_the_persons_own_id(graph: PlatformApi) -> None:  # noqa: F811
    from tests.channels import test_messenger, test_telegram

    async def scenario() -> None:
        with PlatformApi(test_telegram.bot_api) as telegram_api:
            agent = ConversationAgent()
            telegram = test_telegram.make_channel(telegram_api)
            async with serve_channel(telegram, agent, test_messenger.ours(), StaffRelayInput()) as base:
                await test_telegram.post_update(base, test_telegram.text_update("hi there"))
                body = test_messenger.text_event("hello page")
                async with aiohttp.ClientSession() as session:
                    await session.post(f"{base}/webhooks/facebook/webhook", data=body, headers={
                        "Content-Type": "application/json", "X-Hub-Signature-256": test_messenger.sign(body)})
                words = {"agent": "Ana", "agent_id": 7, "text": "A person here."}
                by_telegram = await relay(base, f"telegram-{test_telegram.CHAT_ID}", "messages", words)
                by_messenger = await relay(base, f"facebook-{test_messenger.PSID}", "messages", words)
            assert by_telegram == (200, {"channel": "telegram", "human_agent": None})
            assert by_messenger == (200, {"channel": "facebook", "human_agent": None})
            [sent] = test_telegram.sent_messages(telegram_api)
            assert sent["chat_id"] == [str(test_telegram.CHAT_ID)]
            assert sent["text"] == ["Ana (support team): A person here."]
        [message] = [m for m in test_messenger.sent_messages(graph) if m["message"].get("text", "").startswith("Ana")]
        assert message["recipient"] == {"id": test_messenger.PSID}
        assert message["message"]["text"] == "Ana (support team): A person here."

    asyncio.run(scenario())


def test_slack_gets_the_agents_words_where_the_person_wrote(web_api: PlatformApi) -> None:  # noqa: F811
    from tests.channels import test_slack

    async def scenario() -> None:
        agent = ConversationAgent()
        async with serve_channel(test_slack.channel(), agent, StaffRelayInput()) as base:
            body = test_slack.event_body("is this serum ok for me?")
            async with aiohttp.ClientSession() as session:
                await session.post(f"{base}/webhooks/slack/webhook", data=body,
                                   headers={"Content-Type": "application/json", **test_slack.slack_headers(body)})
            for _ in range(100):  # Rasa hands Slack messages to the assistant in a background task
                if await agent.tracker_store.exists(test_slack.CONVERSATION):
                    break
                await asyncio.sleep(0.05)
            words = {"agent": "Ana", "text": "Let me check."}
            status, _ = await relay(base, test_slack.CONVERSATION, "messages", words)
        assert status == 200
        [posted] = [call.json() for call in web_api.calls_to("/api/chat.postMessage")]
        assert posted["channel"] == test_slack.DM_CHANNEL and posted["text"] == "Ana (support team): Let me check."

    asyncio.run(scenario())


def test_a_conversation_store_outage_is_a_clear_503() -> None:
    class DownStore(InMemoryTrackerStore):
        async def retrieve(self, sender_id: str) -> None:
            raise ConnectionError("database is down")

    async def scenario() -> tuple[int, Any]:
        agent = ConversationAgent(tracker_store=DownStore(DOMAIN))
        async with serve_channel(StaffRelayInput(), agent) as base:
            return await relay(base, "web-x", "takeover", {"agent": "Sam"})

    status, body = asyncio.run(scenario())
    assert status == 503 and "cannot be reached" in body["error"]
