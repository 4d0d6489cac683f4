"""Telegram webhook against a real loopback server, with the Bot API stubbed on loopback.

Update shapes follow the Telegram Bot API docs (Update, Message, CallbackQuery, ChatMemberUpdated).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from bot.channels.telegram import TEXT_ONLY_REPLY, SecretTokenTelegramInput
from tests.channels.loopback import REPLY_BUTTONS, PlatformApi, RecordingAgent, serve_channel

TOKEN = "123456789:AAE-loopback-test-token-not-real-00000"
SECRET = "loopback-secret_0123456789"
PUBLIC_URL = "https://bot.example.org/webhooks/telegram/webhook"
CHAT_ID = 1111111
PERSON = {"id": CHAT_ID, "is_bot": False, "first_name": "Sam", "username": "sam", "language_code": "en"}
CHAT = {"id": CHAT_ID, "first_name": "Sam", "username": "sam", "type": "private"}


def text_update(text: str, update_id: int = 10000) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {"message_id": 1365, "from": PERSON, "chat": CHAT, "date": 1441645532, "text": text},
    }


def sticker_update() -> dict[str, Any]:
    return {
        "update_id": 10001,
        "message": {
            "message_id": 1366,
            "from": PERSON,
            "chat": CHAT,
            "date": 1441645533,
            "sticker": {
                "file_id": "CAACAgIAAxkBAAIBY2",
                "file_unique_id": "AgADcQADsB0UAg",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "\U0001f44d",
                "set_name": "HotCherry",
                "file_size": 16930,
            },
        },
    }


def edited_update(text: str | None, caption: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 1365,
        "from": PERSON,
        "chat": CHAT,
        "date": 1441645532,
        "edit_date": 1441645540,
    }
    if text is not None:
        message["text"] = text
    if caption is not None:
        message["caption"] = caption
        message["photo"] = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    return {"update_id": 10002, "edited_message": message}


def button_update(data: str, inline: bool = False) -> dict[str, Any]:
    query: dict[str, Any] = {"id": "4382bfdwdsb323b2d9", "from": PERSON, "chat_instance": "-42", "data": data}
    if inline:
        query["inline_message_id"] = "AAAAAGUAAAA"
    else:
        query["message"] = {
            "message_id": 1367,
            "from": {"id": 123456789, "is_bot": True, "first_name": "Skincare", "username": "skin_bot"},
            "chat": CHAT,
            "date": 1441645534,
            "text": "Which skin type fits you best?",
        }
    return {"update_id": 10003, "callback_query": query}


def chat_member_update() -> dict[str, Any]:
    member = {"user": PERSON, "status": "member"}
    return {
        "update_id": 10004,
        "my_chat_member": {
            "chat": CHAT,
            "from": PERSON,
            "date": 1441645535,
            "old_chat_member": member,
            "new_chat_member": {"user": PERSON, "status": "kicked", "until_date": 0},
        },
    }


def bot_api(method: str, path: str, body: bytes) -> tuple[int, Any]:
    """The Bot API's answers for the methods the channel uses."""
    if path.endswith("/sendMessage"):
        message = {"message_id": 2000, "date": 1441645536, "chat": CHAT, "text": "reply"}
        return 200, {"ok": True, "result": message}
    return 200, {"ok": True, "result": True}


def make_channel(api: PlatformApi, **overrides: Any) -> SecretTokenTelegramInput:
    credentials = {"access_token": TOKEN, "webhook_url": PUBLIC_URL, "secret_token": SECRET}
    channel = SecretTokenTelegramInput.from_credentials({**credentials, **overrides})
    channel.api_base_url = api.base_url
    return channel


async def post_update(base: str, update: Any, secret: str | None = SECRET) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = update if isinstance(update, str) else json.dumps(update)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/webhooks/telegram/webhook", data=body, headers=headers) as reply:
            return reply.status, await reply.text()


def sent_messages(api: PlatformApi) -> list[dict[str, list[str]]]:
    return [call.form() for call in api.calls_to(f"/bot{TOKEN}/sendMessage")]


def run_updates(*updates: Any, secret: str | None = SECRET) -> tuple[list[int], RecordingAgent, PlatformApi]:
    """Serve the channel, post each update in turn; return the statuses, the agent and the API stub."""

    async def scenario() -> tuple[list[int], RecordingAgent, PlatformApi]:
        with PlatformApi(bot_api) as api:
            agent = RecordingAgent()
            channel = make_channel(api)
            async with serve_channel(channel, agent) as base:
                assert channel.webhook_registration is not None
                assert await channel.webhook_registration  # setWebhook answered ok
                statuses = [(await post_update(base, update, secret))[0] for update in updates]
            return statuses, agent, api

    return asyncio.run(scenario())


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param(None, id="no-header"),
        pytest.param("", id="empty-header"),
        pytest.param("wrong-secret", id="wrong-secret"),
        pytest.param(SECRET + "x", id="secret-with-suffix"),
    ],
)
def test_updates_without_the_secret_token_are_refused_before_the_bot_sees_them(secret: str | None) -> None:
    statuses, agent, api = run_updates(text_update("hello"), secret=secret)
    assert statuses == [403]
    assert agent.messages == []
    assert sent_messages(api) == []


def test_webhook_is_registered_with_the_secret_token_when_the_server_starts() -> None:
    _, _, api = run_updates()
    (call,) = api.calls_to(f"/bot{TOKEN}/setWebhook")
    form = call.form()
    assert form["url"] == [PUBLIC_URL]
    assert form["secret_token"] == [SECRET]
    assert json.loads(form["allowed_updates"][0]) == ["message", "edited_message", "callback_query"]


def test_text_message_reaches_the_bot_and_the_reply_has_inline_buttons() -> None:
    statuses, agent, api = run_updates(text_update("is this ok for dry skin?"))
    assert statuses == [200]
    assert [(m.text, m.sender_id, m.input_channel) for m in agent.messages] == [
        ("is this ok for dry skin?", f"telegram-{CHAT_ID}", "telegram")  # its own id space
    ]
    (sent,) = sent_messages(api)
    assert sent["chat_id"] == [str(CHAT_ID)]
    assert sent["text"] == ["Which skin type fits you best?"]
    keyboard = json.loads(sent["reply_markup"][0])["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Oily", "Dry", "Sensitive"]
    assert [row[0]["callback_data"] for row in keyboard] == [b["payload"] for b in REPLY_BUTTONS]


def test_button_press_sends_the_payload_and_stops_the_spinner() -> None:
    statuses, agent, api = run_updates(button_update(REPLY_BUTTONS[1]["payload"]))
    assert statuses == [200]
    assert [m.text for m in agent.messages] == [REPLY_BUTTONS[1]["payload"]]
    (ack,) = api.calls_to("/answerCallbackQuery")
    assert ack.form()["callback_query_id"] == ["4382bfdwdsb323b2d9"]


def test_button_press_on_an_inline_message_uses_the_person_as_the_conversation() -> None:
    statuses, agent, _ = run_updates(button_update("/greet", inline=True))
    assert statuses == [200]
    assert [(m.text, m.sender_id) for m in agent.messages] == [("/greet", f"telegram-{CHAT_ID}")]


def test_sticker_gets_a_text_only_reply_not_an_error() -> None:
    statuses, agent, api = run_updates(sticker_update())
    assert statuses == [200]
    assert agent.messages == []
    assert [m["text"] for m in sent_messages(api)] == [[TEXT_ONLY_REPLY]]


def test_edited_messages_are_read_and_edited_photos_get_the_text_only_reply() -> None:
    statuses, agent, api = run_updates(edited_update("is it safe in pregnancy?"), edited_update(None, "look"))
    assert statuses == [200, 200]
    assert [m.text for m in agent.messages] == ["is it safe in pregnancy?"]
    assert sent_messages(api)[-1]["text"] == [TEXT_ONLY_REPLY]


def test_updates_with_nothing_to_answer_are_acknowledged_quietly() -> None:
    statuses, agent, api = run_updates(chat_member_update(), {"update_id": 5})
    assert statuses == [200, 200]
    assert agent.messages == []
    assert sent_messages(api) == []


def test_a_body_that_is_not_an_update_is_a_bad_request_not_a_crash() -> None:
    statuses, agent, _ = run_updates("{not json", "[1, 2]")
    assert statuses == [400, 400]
    assert agent.messages == []


def test_payloads_too_long_for_telegram_travel_as_option_numbers_and_come_back_as_payloads() -> None:
    long_payload = '/inform_profile{"skin_type": "combination", "skin_condition": "rosacea-prone"}'
    assert len(long_payload.encode()) > 64

    async def scenario() -> None:
        with PlatformApi(bot_api) as api:
            agent = RecordingAgent()
            agent.reply_buttons = [REPLY_BUTTONS[0], {"title": "Combination", "payload": long_payload}]
            async with serve_channel(make_channel(api), agent) as base:
                await post_update(base, text_update("which skin type?"))
                keyboard = json.loads(sent_messages(api)[0]["reply_markup"][0])["inline_keyboard"]
                pressed = keyboard[1][0]["callback_data"]
                assert pressed == "#2"
                await post_update(base, button_update(pressed))
            assert [m.text for m in agent.messages] == ["which skin type?", long_payload]

    asyncio.run(scenario())


@pytest.mark.parametrize("secret", [None, "", "has spaces", "x" * 257])
def test_channel_refuses_to_start_without_a_valid_secret_token(secret: str | None) -> None:
    with pytest.raises(ValueError, match="TELEGRAM_SECRET_TOKEN"):
        SecretTokenTelegramInput.from_credentials(
            {"access_token": TOKEN, "webhook_url": PUBLIC_URL, "secret_token": secret}
        )


def test_a_refused_set_webhook_is_logged_and_the_channel_still_serves(caplog: pytest.LogCaptureFixture) -> None:
    def refusing_api(method: str, path: str, body: bytes) -> tuple[int, Any]:
        if path.endswith("/setWebhook"):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return bot_api(method, path, body)

    async def scenario() -> tuple[bool, int, RecordingAgent]:
        with PlatformApi(refusing_api) as api:
            agent = RecordingAgent()
            channel = make_channel(api)
            async with serve_channel(channel, agent) as base:
                assert channel.webhook_registration is not None
                registered = await channel.webhook_registration
                status, _ = await post_update(base, text_update("hello"))
            return registered, status, agent

    registered, status, agent = asyncio.run(scenario())
    assert registered is False
    assert "Telegram refused setWebhook" in caplog.text
    assert status == 200 and [m.text for m in agent.messages] == ["hello"]


def test_start_command_is_read_as_a_greeting() -> None:
    statuses, agent, _ = run_updates(text_update("/start"), text_update("/start@SkincareBot"))
    assert statuses == [200, 200]
    assert [m.text for m in agent.messages] == ["/greet", "/greet"]


def test_control_characters_are_removed_and_an_invisible_message_gets_a_clear_reply() -> None:
    statuses, agent, api = run_updates(text_update("is it\x00 vegan?\u202e\x1b"), text_update("\x00\u202e", 10001))
    assert statuses == [200, 200]
    assert [m.text for m in agent.messages] == ["is it vegan?"]  # the invisible one never reached the bot
    assert "empty" in sent_messages(api)[-1]["text"][0]


def test_a_flood_from_one_chat_gets_one_polite_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_LIMIT_PER_CONVERSATION", "2")
    statuses, agent, api = run_updates(*(text_update(f"message {i}", 10000 + i) for i in range(5)))
    assert statuses == [200] * 5
    assert [m.text for m in agent.messages] == ["message 0", "message 1"]
    notices = [m["text"][0] for m in sent_messages(api) if "faster" in m["text"][0]]
    assert len(notices) == 1  # told once, then the flood is dropped quietly
