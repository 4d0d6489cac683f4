"""Telegram, with the webhook secret token checked and every kind of update handled without a 500.

Rasa 3.6's TelegramInput accepts any POST, asks Telegram `getMe` on every update, calls `setWebhook`
with a blocking `asyncio.run` while building the app, and fails on updates that are not text (stickers,
edited messages without text, inline-button presses on inline messages, chat-member updates).
`SecretTokenTelegramInput` registers the webhook with a `secret_token` once the server is up and answers
403 to any update whose `X-Telegram-Bot-Api-Secret-Token` header does not match, before reading it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.edge import admit_message
from bot.channels.numbered_options import offered_buttons, resolve_reply
from bot.channels.rate_limits import rate_limits_from_env
from bot.channels.scoped_ids import TELEGRAM_PREFIX, ScopedRecipientOutput, scoped

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# Said when an update carries no text (a sticker, a photo, a voice note): we can only read text.
TEXT_ONLY_REPLY = "Sorry, I can only read text messages. Please type your question."
# Telegram's rule for secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -.
_SECRET_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Telegram refuses callback_data longer than 64 bytes; longer payloads travel as "#<option number>".
_CALLBACK_DATA_LIMIT = 64
_UPDATES_WANTED = ["message", "edited_message", "callback_query"]


class InlineButtonsTelegramOutput(ScopedRecipientOutput, TelegramOutput):
    """Telegram output whose buttons always fit Telegram's callback_data limit.

    Conversation ids are "telegram-<chat id>" (bot/channels/scoped_ids.py); replies go to the chat id.
    """

    id_prefix = TELEGRAM_PREFIX

    def __init__(self, access_token: str | None, api_base_url: str | None = None) -> None:
        super().__init__(access_token)
        if api_base_url:
            # A self-hosted Bot API server, or a loopback stand-in in tests.
            self.server = TelegramAPIServer.from_base(api_base_url.rstrip("/"))

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = "inline",
        **kwargs: Any,
    ) -> None:
        """One inline button per row; a payload too long for callback_data is sent as its number."""
        if button_type not in (None, "inline", "vertical"):
            await super().send_text_with_buttons(recipient_id, text, buttons, button_type, **kwargs)
            return
        markup = InlineKeyboardMarkup()
        for number, button in enumerate(buttons, start=1):
            payload = str(button.get("payload") or button.get("title") or "")
            if len(payload.encode("utf-8")) > _CALLBACK_DATA_LIMIT:
                payload = f"#{number}"
            markup.row(InlineKeyboardButton(str(button.get("title") or payload), callback_data=payload))
        await self.send_message(recipient_id, text, reply_markup=markup)


#: Telegram's standard bot commands, read as the intents they stand for (not as "/start" payloads).
TELEGRAM_COMMANDS = {"/start": "/greet", "/help": "/help"}


def _update_text_and_chat(update: dict[str, Any]) -> tuple[str | None, Any, str | None]:
    """(text, chat id, callback query id) for an update; text is None when there is nothing to read."""
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message") or {}
        chat_id = (message.get("chat") or {}).get("id") or (callback.get("from") or {}).get("id")
        data = callback.get("data")
        return (data if isinstance(data, str) else None), chat_id, callback.get("id")
    for kind in ("message", "edited_message"):
        message = update.get(kind)
        if isinstance(message, dict):
            text = message.get("text")
            if isinstance(text, str) and text.strip().split("@")[0] in TELEGRAM_COMMANDS:
                text = TELEGRAM_COMMANDS[text.strip().split("@")[0]]
            return (text if isinstance(text, str) else None), (message.get("chat") or {}).get("id"), None
    return None, None, None


class SecretTokenTelegramInput(TelegramInput):
    """Telegram webhook that only accepts updates carrying the secret token given to setWebhook."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build from the credentials.yml entry: access_token, webhook_url, secret_token."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_base_url=credentials.get("api_base_url"),
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None = None,
        webhook_url: str | None = None,
        debug_mode: bool = False,
        secret_token: str | None = None,
        api_base_url: str | None = None,
    ) -> None:
        if not access_token or not webhook_url:
            raise ValueError(
                "Telegram channel: 'access_token' (TELEGRAM_TOKEN, from @BotFather) and 'webhook_url' "
                "(TELEGRAM_WEBHOOK_URL, the public https URL of /webhooks/telegram/webhook) are required."
            )
        if not secret_token or not _SECRET_TOKEN_SHAPE.match(secret_token):
            raise ValueError(
                "Telegram channel: 'secret_token' (TELEGRAM_SECRET_TOKEN) must be 1-256 characters of "
                "A-Z, a-z, 0-9, '_' or '-', e.g. the output of `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`."
            )
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token
        self.api_base_url = api_base_url
        # The setWebhook call started with the server (kept so it is not garbage-collected mid-flight).
        self.webhook_registration: asyncio.Task[bool] | None = None
        self.rate_limits = rate_limits_from_env()

    def is_authentic(self, request: Request) -> bool:
        """True when the update carries the secret token we registered with setWebhook."""
        given = request.headers.get(SECRET_HEADER, "")
        return bool(given) and hmac.compare_digest(
            given.encode("utf-8", "replace"), self.secret_token.encode("utf-8")
        )

    def get_output_channel(self) -> InlineButtonsTelegramOutput:
        """The Telegram client used for replies (no network call here; see `register_webhook`)."""
        return InlineButtonsTelegramOutput(self.access_token, self.api_base_url)

    async def register_webhook(self, out_channel: TelegramOutput) -> bool:
        """Tell Telegram where to send updates and which secret token to send with them."""
        try:
            ok = await out_channel.request(
                "setWebhook",
                {
                    "url": self.webhook_url,
                    "secret_token": self.secret_token,
                    "allowed_updates": json.dumps(_UPDATES_WANTED),
                },
            )
        except TelegramAPIError as error:
            logger.error("Telegram refused setWebhook for %s: %s", self.webhook_url, error)
            return False
        except (OSError, asyncio.TimeoutError) as error:
            logger.error("Could not reach Telegram to set the webhook %s: %s", self.webhook_url, error)
            return False
        logger.info("Telegram webhook set to %s.", self.webhook_url)
        return bool(ok)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: GET / (health) and POST /webhook (updates from Telegram)."""
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()

        @telegram_webhook.listener("after_server_start")
        async def set_webhook(_: Sanic, __: Any) -> None:
            # In the background: a slow or unreachable Telegram must not hold up the other channels.
            self.webhook_registration = asyncio.create_task(self.register_webhook(out_channel))

        @telegram_webhook.listener("before_server_stop")
        async def close_client(_: Sanic, __: Any) -> None:
            with warnings.catch_warnings():
                # aiogram 2 marks close() deprecated only because v3 reuses the name for an API call.
                warnings.simplefilter("ignore", DeprecationWarning)
                await out_channel.close()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.is_authentic(request):
                logger.warning("Refused a Telegram update without the right %s header.", SECRET_HEADER)
                return response.text("invalid secret token", status=403)
            try:
                update = json.loads(request.body or b"null")
            except ValueError:
                return response.text("body is not JSON", status=400)
            if not isinstance(update, dict):
                return response.text("body is not a Telegram update", status=400)

            text, chat_id, callback_id = _update_text_and_chat(update)
            if chat_id is None:
                # Chat-member changes, channel posts, polls...: nothing to answer. 200 so Telegram moves on.
                return response.text("ignored")
            if callback_id:
                await self._acknowledge_button(out_channel, callback_id)
            if text is None:
                await self._send_safely(out_channel, chat_id, TEXT_ONLY_REPLY)
                return response.text("success")
            conversation_id = scoped(TELEGRAM_PREFIX, str(chat_id))
            admission = await admit_message(text, conversation_id, self.rate_limits)
            if not admission.admitted:
                if admission.reply:
                    await self._send_safely(out_channel, chat_id, admission.reply)
                return response.text("success")
            text = admission.text
            if callback_id and text.startswith("#"):
                buttons = await offered_buttons(getattr(request.app.ctx, "agent", None), conversation_id)
                text = resolve_reply(text, buttons).text

            try:
                await on_new_message(
                    UserMessage(
                        text,
                        out_channel,
                        conversation_id,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:
                logger.exception("Exception when handling a Telegram update.")
                if self.debug_mode:
                    raise
            return response.text("success")

        return telegram_webhook

    @staticmethod
    async def _acknowledge_button(out_channel: TelegramOutput, callback_id: str) -> None:
        """Stop the button's loading spinner in the person's app (best effort)."""
        try:
            await out_channel.answer_callback_query(callback_id)
        except (TelegramAPIError, OSError) as error:
            logger.warning("Could not acknowledge a Telegram button press: %s", error)

    @staticmethod
    async def _send_safely(out_channel: TelegramOutput, chat_id: Any, text: str) -> None:
        try:
            await out_channel.send_message(chat_id, text)
        except (TelegramAPIError, OSError) as error:
            logger.warning("Could not send a Telegram message to chat %s: %s", chat_id, error)
