"""What the widget's socket.io output emits for a bot message (bot/channels/widget_output.py): a reply with a
structured view arrives as one event with its text; everything else exactly as Rasa's own output sends it."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.socketio import SocketIOOutput

from bot.channels.widget_output import WidgetOutput

VIEW = {"type": "label_check", "title": "I checked the 2 ingredients on this label:", "groups": []}


class RecordingServer:
    """Stands in for python-socketio's AsyncServer: keeps what would have been emitted."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, dict[str, Any]]] = []

    async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, kwargs))


def emitted_by(output_class: type[SocketIOOutput], message: dict[str, Any]) -> list[tuple[str, Any, dict]]:
    server = RecordingServer()
    asyncio.run(output_class(server, "bot_uttered").send_response("room-1", dict(message)))  # type: ignore[arg-type]
    return server.emitted


def test_a_reply_with_a_view_is_one_event_with_its_text_and_buttons() -> None:
    message = {"text": "I checked the 2 ingredients on this label:\nLine two", "custom": VIEW,
               "buttons": [{"title": "Talk to a person", "payload": "/request_human"}]}
    [(event, data, where)] = emitted_by(WidgetOutput, message)
    assert event == "bot_uttered" and where == {"room": "room-1"}
    assert data == {"text": message["text"], "custom": VIEW,
                    "quick_replies": [{"content_type": "text", "title": "Talk to a person",
                                       "payload": "/request_human"}]}
    # Rasa's own output: the text, then the custom payload's keys as emit() arguments (no list reaches a client)
    stock = emitted_by(SocketIOOutput, message)
    assert len(stock) == 2 and all(data is None or "custom" not in data for _, data, _ in stock)


def test_other_replies_are_sent_as_rasa_sends_them() -> None:
    for message in ({"text": "Hello\n\nthere"}, {"text": "Pick one", "buttons": [{"title": "A", "payload": "/a"}]},
                    {"text": "Plain", "custom": {}}):
        assert emitted_by(WidgetOutput, message) == emitted_by(SocketIOOutput, message)
