"""The edge checks a messaging-app channel runs on each incoming text, in one call.

Telegram, Slack, Twilio and Messenger requests are signed by the platform, so the sender is who the
platform says; what is left to check is the text itself (control characters, empty, too long) and how
fast one conversation sends. (The widget and REST channels run the same checks in their own handlers,
with their own replies: see socketio.py, rest.py.)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers import channel_notices
from bot.channels.input_hygiene import clean_text, is_blank
from bot.channels.rate_limits import MessageRateLimits
from bot.nlu.message_limits import MAX_MESSAGE_CHARS, refused_as_too_long


@dataclass(frozen=True)
class Admission:
    """What to do with one incoming message.

    `text` is the cleaned message when it may go on to the assistant (`reply` is None and `drop` False);
    otherwise the channel sends `reply` (when there is one) to the person instead, and nothing is stored.
    """

    text: str
    reply: str | None = None
    drop: bool = False

    @property
    def admitted(self) -> bool:
        """True when the message goes on to the assistant."""
        return self.reply is None and not self.drop


async def admit_message(text: str, conversation_id: str, limits: MessageRateLimits) -> Admission:
    """Rate limit first (a flood is answered once, then dropped quietly), then clean and size the text."""
    refusal = await limits.admit(conversation_id)
    if refusal is not None:
        return Admission("", channel_notices.too_many_messages()) if refusal.first else Admission("", drop=True)
    cleaned = clean_text(text)
    if is_blank(cleaned):
        return Admission("", channel_notices.empty_message())
    if refused_as_too_long(cleaned):  # an emergency at the end of a long message is still answered
        return Admission("", channel_notices.too_long(MAX_MESSAGE_CHARS))
    return Admission(cleaned)
