"""Twilio SMS and WhatsApp webhooks against a real loopback server, with Twilio's REST API stubbed on loopback.

Signatures are made with the Twilio SDK's own RequestValidator, an implementation independent of ours.
Payload shapes follow Twilio's docs for incoming SMS and WhatsApp messages (blank fields included, as
Twilio sends and signs them).
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from twilio.request_validator import RequestValidator

from bot.channels.twilio import TEXT_ONLY_REPLY, SignedTwilioInput
from tests.channels.loopback import REPLY_BUTTONS, PlatformApi, RecordingAgent, serve_channel

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-for-loopback-only"
PUBLIC_URL = "https://bot.example.org/webhooks/twilio/webhook"
OUR_SMS_NUMBER = "+15005550006"
OUR_WHATSAPP_NUMBER = "whatsapp:+14155238886"


def sms_payload(body: str, sender: str = "+14155550100", to: str = OUR_SMS_NUMBER) -> dict[str, str]:
    """An incoming SMS as Twilio posts it (application/x-www-form-urlencoded)."""
    return {
        "ToCountry": "US",
        "ToState": "CA",
        "SmsMessageSid": "SM" + "1" * 32,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": "SM" + "1" * 32,
        "FromState": "CA",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "US",
        "To": to,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": "SM" + "1" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def whatsapp_payload(body: str, sender: str = "whatsapp:+14155550111") -> dict[str, str]:
    """An incoming WhatsApp message via Twilio, as in Twilio's WhatsApp webhook docs."""
    return {
        "SmsMessageSid": "SM" + "2" * 32,
        "NumMedia": "0",
        "ProfileName": "Sam",
        "MessageType": "text",
        "SmsSid": "SM" + "2" * 32,
        "WaId": sender.removeprefix("whatsapp:+"),
        "SmsStatus": "received",
        "Body": body,
        "To": OUR_WHATSAPP_NUMBER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": "SM" + "2" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def twilio_rest(method: str, path: str, body: bytes) -> tuple[int, Any]:
    """Twilio's answer to Messages.create: 201 with the message resource."""
    return 201, {"sid": "SM" + "9" * 32, "status": "queued", "account_sid": ACCOUNT_SID}


def make_channel(api: PlatformApi) -> SignedTwilioInput:
    return SignedTwilioInput(
        ACCOUNT_SID, AUTH_TOKEN, webhook_url=PUBLIC_URL, api_base_url=api.base_url
    )


async def post_form(url: str, fields: dict[str, str], signature: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=urlencode(fields), headers=headers) as reply:
            return reply.status, await reply.text()


def signed(fields: dict[str, str], url: str = PUBLIC_URL, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, fields)


def sent_messages(api: PlatformApi) -> list[dict[str, list[str]]]:
    return [call.form() for call in api.calls_to(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")]


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(None, id="unsigned"),
        pytest.param("", id="empty-header"),
        pytest.param(signed(sms_payload("hello"), token="some-other-token"), id="other-token"),
        pytest.param(signed(sms_payload("hello"), url="http://127.0.0.1/webhooks/twilio/webhook"), id="other-url"),
        pytest.param(signed(sms_payload("a different body")), id="body-changed"),
    ],
)
def test_unsigned_or_wrongly_signed_sms_is_refused_before_the_bot_sees_it(signature: str | None) -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                status, _ = await post_form(f"{base}/webhooks/twilio/webhook", sms_payload("hello"), signature)
            assert status == 403
            assert agent.messages == []
            assert api.calls == []

    asyncio.run(scenario())


def test_signed_sms_reaches_the_bot_and_buttons_come_back_as_numbered_options() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                fields = sms_payload("is this good for my skin?")
                status, _ = await post_form(f"{base}/webhooks/twilio/webhook", fields, signed(fields))
            assert status == 200
            assert [m.text for m in agent.messages] == ["is this good for my skin?"]
            assert agent.messages[0].sender_id == "twilio-+14155550100"  # its own id space
            assert agent.messages[0].input_channel == "twilio"
            (sent,) = sent_messages(api)
            assert sent["To"] == ["+14155550100"]
            assert sent["From"] == [OUR_SMS_NUMBER]
            assert sent["Body"] == [
                "Which skin type fits you best?\nReply 1 for Oily, 2 for Dry, 3 for Sensitive."
            ]
            assert api.calls_to("Messages.json")[0].headers["Authorization"].startswith("Basic ")

    asyncio.run(scenario())


def test_a_number_reply_is_answered_with_that_options_payload() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                url = f"{base}/webhooks/twilio/webhook"
                for text in ("which skin type?", "2", "sensitive"):
                    fields = sms_payload(text)
                    assert (await post_form(url, fields, signed(fields)))[0] == 200
            assert [m.text for m in agent.messages] == [
                "which skin type?",
                REPLY_BUTTONS[1]["payload"],
                REPLY_BUTTONS[2]["payload"],
            ]

    asyncio.run(scenario())


def test_the_number_is_resolved_from_the_conversation_not_from_this_channel_instance() -> None:
    """Two server processes share a tracker store: the one answering "1" never sent the options."""

    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as first:
                fields = sms_payload("which skin type?")
                await post_form(f"{first}/webhooks/twilio/webhook", fields, signed(fields))
            async with serve_channel(make_channel(api), agent) as second:
                fields = sms_payload("1")
                await post_form(f"{second}/webhooks/twilio/webhook", fields, signed(fields))
            assert agent.messages[-1].text == REPLY_BUTTONS[0]["payload"]

    asyncio.run(scenario())


def test_a_number_outside_the_options_gets_a_prompt_and_does_not_reach_the_bot() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                url = f"{base}/webhooks/twilio/webhook"
                first = sms_payload("which skin type?")
                await post_form(url, first, signed(first))
                again = sms_payload("7")
                status, _ = await post_form(url, again, signed(again))
            assert status == 200
            assert [m.text for m in agent.messages] == ["which skin type?"]
            assert sent_messages(api)[-1]["Body"] == ["Please reply with a number from 1 to 3."]

    asyncio.run(scenario())


def test_a_number_with_no_options_offered_is_passed_on_as_text() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                fields = sms_payload("2")
                await post_form(f"{base}/webhooks/twilio/webhook", fields, signed(fields))
            assert [m.text for m in agent.messages] == ["2"]

    asyncio.run(scenario())


def test_signed_whatsapp_message_is_answered_from_the_whatsapp_number() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                url = f"{base}/webhooks/twilio/webhook"
                first = whatsapp_payload("hi")
                status, _ = await post_form(url, first, signed(first))
                answer = whatsapp_payload("3")
                await post_form(url, answer, signed(answer))
            assert status == 200
            assert [m.text for m in agent.messages] == ["hi", REPLY_BUTTONS[2]["payload"]]
            assert agent.messages[0].sender_id == "twilio-whatsapp:+14155550111"
            sent = sent_messages(api)[0]
            assert sent["To"] == ["whatsapp:+14155550111"]
            assert sent["From"] == [OUR_WHATSAPP_NUMBER]
            assert "Reply 1 for Oily, 2 for Dry, 3 for Sensitive." in sent["Body"][0]

    asyncio.run(scenario())


def test_a_photo_without_text_gets_a_text_only_reply_instead_of_an_error() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                fields = whatsapp_payload("")
                fields.update(
                    {
                        "NumMedia": "1",
                        "MessageType": "image",
                        "MediaContentType0": "image/jpeg",
                        "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z",
                    }
                )
                status, _ = await post_form(f"{base}/webhooks/twilio/webhook", fields, signed(fields))
            assert status == 200
            assert agent.messages == []
            assert sent_messages(api)[0]["Body"] == [TEXT_ONLY_REPLY]

    asyncio.run(scenario())


def test_query_string_on_the_called_url_is_part_of_what_twilio_signs() -> None:
    async def scenario() -> None:
        with PlatformApi(twilio_rest) as api:
            agent = RecordingAgent()
            async with serve_channel(make_channel(api), agent) as base:
                fields = sms_payload("hello")
                good = signed(fields, url=f"{PUBLIC_URL}?site=eu")
                assert (await post_form(f"{base}/webhooks/twilio/webhook?site=eu", fields, good))[0] == 200
                assert (await post_form(f"{base}/webhooks/twilio/webhook?site=us", fields, good))[0] == 403
            assert [m.text for m in agent.messages] == ["hello"]

    asyncio.run(scenario())


def test_channel_refuses_to_start_without_the_public_webhook_url() -> None:
    with pytest.raises(ValueError, match="TWILIO_WEBHOOK_URL"):
        SignedTwilioInput.from_credentials({"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN})


def test_twilio_api_unreachable_is_logged_not_a_server_error(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    async def scenario() -> tuple[int, RecordingAgent]:
        agent = RecordingAgent()
        channel = SignedTwilioInput(
            ACCOUNT_SID, AUTH_TOKEN, webhook_url=PUBLIC_URL, api_base_url=f"http://127.0.0.1:{closed_port}"
        )
        async with serve_channel(channel, agent) as base:
            fields = sms_payload("hello")
            status, _ = await post_form(f"{base}/webhooks/twilio/webhook", fields, signed(fields))
        return status, agent

    status, agent = asyncio.run(scenario())
    assert status == 200
    assert [m.text for m in agent.messages] == ["hello"]
    assert "Twilio did not accept the message to +14155550100" in caplog.text
