"""A bare Sanic app with only the widget's socket.io channel, answering every message with an echo.

``python -m tests.web.channel_app PORT``: used by test_socketio_channel.py to test the channel
without a trained model. Allowed origins come from WIDGET_ALLOWED_ORIGINS like in Rasa.
"""

from __future__ import annotations

import sys

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.socketio import RestrictedSocketIOInput


async def echo(message: UserMessage) -> None:
    """Answer like a bot would, through the channel's output (so room delivery is exercised)."""
    await message.output_channel.send_text_with_buttons(
        message.sender_id, f"echo: {message.text}", [{"title": "Again", "payload": "/again"}]
    )


def main() -> None:
    """Serve the channel on 127.0.0.1:PORT until stopped."""
    channel = RestrictedSocketIOInput.from_credentials({"session_persistence": True})
    app = Sanic("channel_under_test", configure_logging=False)
    app.blueprint(channel.blueprint(echo), url_prefix="/webhooks/socketio")
    app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, motd=False)


if __name__ == "__main__":
    main()
