"""Separate conversation-id spaces per channel, so no channel can address another's conversations.

Rasa keys a conversation by its sender id alone. The widget's ids are issued by the server with the
prefix ``web-`` (bot/channels/widget_sessions.py); each messaging app's ids carry its own prefix
(``telegram-``, ``slack-``, ``twilio-``, ``facebook-``) added by its input channel and removed again by its output
channel before the platform's API is called. The REST channel refuses sender ids with any of these
prefixes, so a REST caller can never read or steer a widget or messaging conversation.
"""

from __future__ import annotations

from typing import Any

from bot.channels.widget_sessions import WIDGET_ID_PREFIX

TELEGRAM_PREFIX = "telegram-"
SLACK_PREFIX = "slack-"
TWILIO_PREFIX = "twilio-"
FACEBOOK_PREFIX = "facebook-"
RESERVED_PREFIXES = (WIDGET_ID_PREFIX, TELEGRAM_PREFIX, SLACK_PREFIX, TWILIO_PREFIX, FACEBOOK_PREFIX)


def reserved_prefix_of(sender_id: str) -> str | None:
    """The channel prefix `sender_id` starts with (compared case-insensitively), or None."""
    lowered = sender_id.lower()
    return next((prefix for prefix in RESERVED_PREFIXES if lowered.startswith(prefix)), None)


def scoped(prefix: str, platform_id: str) -> str:
    """The conversation id for a platform's own id (chat id, phone number, page-scoped id)."""
    return prefix + platform_id


def unscoped(prefix: str, conversation_id: str) -> str:
    """The platform's own id back from a conversation id (unchanged when it has no prefix)."""
    return conversation_id[len(prefix):] if conversation_id.startswith(prefix) else conversation_id


class ScopedRecipientOutput:
    """Mixin for a messaging output channel: strips the channel prefix before calling the platform.

    Rasa hands every bot response to ``send_response(recipient_id, message)`` with the conversation
    id; the platform needs its own id. Put this mixin before the platform's output class.
    """

    id_prefix: str = ""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rasa's dispatch to send_text_message & co., with the platform's own recipient id."""
        await super().send_response(unscoped(self.id_prefix, recipient_id), message)  # type: ignore[misc]
