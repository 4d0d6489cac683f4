"""What the website widget receives for one bot message: Rasa's socket.io events, except that a reply carrying
a structured view (Rasa's ``custom`` payload, e.g. a checked label's lists from bot.answers.render.label_list)
arrives as one event with its plain text, so the widget shows the lists in place of the text, not after it.

Rasa 3.6's ``SocketIOOutput.send_response`` sends the text and the custom payload as separate events, and its
``send_custom_json`` passes the payload's keys to ``emit`` as arguments (a payload without a ``data`` key
emits nothing useful)."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.socketio import SocketIOOutput


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output; a text with a ``custom`` view goes as one ``{text, custom, quick_replies}``."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """One event for text plus view (buttons as quick replies, as Rasa sends them); anything else as Rasa does."""
        custom, text = message.get("custom"), message.get("text")
        if not (isinstance(custom, dict) and custom and isinstance(text, str) and text):
            await super().send_response(recipient_id, message)
            return
        event: dict[str, Any] = {"text": text, "custom": custom}
        buttons = message.get("quick_replies") or message.get("buttons") or []
        if buttons:
            event["quick_replies"] = [{"content_type": "text", "title": b["title"], "payload": b["payload"]}
                                      for b in buttons]
        await self._send_message(recipient_id, event)
