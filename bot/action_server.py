"""The action server (rasa-sdk's executor), answering only Rasa: shared secret, bounded bodies, quiet errors.

`python -m bot.action_server` is what the launcher (bot/run.py) starts instead of `python -m rasa_sdk`.
rasa-sdk 3.6's own endpoint (rasa_sdk/endpoint.py) accepts any caller, inflates a deflate body
without a limit (`zlib.decompress`) and answers a 500 with the whole request body echoed back. This
server runs the same ActionExecutor behind three checks:

- every request but ``/health``, ``/ready`` and ``/metrics`` (bot/observability.py: liveness, readiness
  with the knowledge store's state, Prometheus counters such as tickets opened) carries
  ``Authorization: Bearer $ACTION_SERVER_TOKEN`` (compared in constant time); Rasa sends it from
  ``action_endpoint.headers`` in endpoints.yml (Rasa's EndpointConfig adds configured headers to every
  call, rasa/utils/endpoints.py);
- a body is at most ACTION_SERVER_MAX_BODY_BYTES, before (Sanic's REQUEST_MAX_SIZE) and after
  decompression (inflated in bounded steps, never whole); larger -> 413;
- errors say what failed, never what was sent.

It also keeps each conversation's latest events, so Rasa may send only the latest ones
(bot/action_events.py); a call it cannot complete gets 409 and Rasa sends it whole.

Settings from the environment (bot/settings.py, all checked at start): ACTION_SERVER_TOKEN (required, at
least 32 characters; the launcher generates one per run when unset), ACTION_PORT, ACTION_SERVER_HOST,
ACTION_SERVER_MAX_BODY_BYTES, ACTION_SERVER_EVENT_HISTORY (conversations whose events are kept).
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os
import sys
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.action_events import (
    ACCEPTS_KEY,
    DEFAULT_HISTORY_CONVERSATIONS,
    RESEND_WHOLE_STATUS,
    EventHistory,
    IncompleteCall,
)
from bot.observability import add_health_routes, check_all
from bot.settings import DEFAULT_ACTION_PORT, DEFAULT_HOST, Settings, SettingsError, load_at_start, load_settings
from bot.startup_heap import freeze_startup_heap
from bot.triage.privacy import FORGET_ACTION

logger = logging.getLogger(__name__)

DEFAULT_PORT = DEFAULT_ACTION_PORT
#: A long conversation's tracker is a few hundred KB of JSON; 4 MiB leaves room and stops inflation bombs.
DEFAULT_MAX_BODY_BYTES = Settings.action_server_max_body_bytes
TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"  # noqa: S105 (the variable's name, not a secret)
#: For probes and Prometheus, which hold no token: they reveal states and counts, nothing anyone said.
OPEN_PATHS = frozenset({"/health", "/ready", "/metrics"})
#: How long an idle connection from Rasa stays open (Sanic's default is 5 s). Rasa keeps its connections
#: to us open for a shorter time (bot/rasa_speedups.py KEPT_CONNECTION_IDLE_SECONDS) and closes them
#: first, so it never sends a call on a connection we are closing.
KEEP_ALIVE_SECONDS = 30


#: A setting the action server cannot start with; the message names the variable.
ActionServerSettingError = SettingsError


@dataclass(frozen=True)
class ActionServerSettings:
    """Where the action server listens, the secret Rasa must present, and the body limit."""

    token: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    event_history: int = DEFAULT_HISTORY_CONVERSATIONS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ActionServerSettings:
        """Settings from the environment (bot/settings.py); SettingsError naming each bad variable."""
        settings = load_settings(os.environ if env is None else env, required=[TOKEN_VARIABLE])
        return cls(
            token=settings.action_server_token or "",
            host=settings.action_host,
            port=settings.action_port,
            max_body_bytes=settings.action_server_max_body_bytes,
            event_history=settings.action_server_event_history,
        )


class BodyTooLarge(Exception):
    """The request body is (or would inflate to) more than the limit."""


def inflate(body: bytes, limit: int) -> bytes:
    """Decompress a zlib ``deflate`` body, refusing (BodyTooLarge) to produce more than ``limit`` bytes."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(body, limit)
    if inflater.unconsumed_tail or len(data) > limit:
        raise BodyTooLarge
    data += inflater.flush(limit + 1 - len(data))
    if len(data) > limit:
        raise BodyTooLarge
    return data


def bearer_matches(authorization: str | None, token: str) -> bool:
    """Whether ``Authorization: Bearer <token>`` carries the action server's secret (constant-time)."""
    scheme, _, given = (authorization or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _error(status: int, message: str, **extra: object) -> HTTPResponse:
    return response.json({"error": message, **extra}, status=status)


async def dependency_states(_: Sanic) -> dict[str, str]:
    """What the actions need to answer: the knowledge store, readable and loaded ("ok" or the problem)."""
    from knowledge.queries import check_store

    return await check_all({"knowledge store": check_store})


def _forgot_the_conversation(action_call: dict[str, Any], result: dict[str, Any]) -> bool:
    """Whether this call carried out a person's request to be forgotten (bot/triage/privacy.py): the events
    held for the conversation go too."""
    return (action_call.get("next_action") == FORGET_ACTION and isinstance(action_call.get("sender_id"), str)
            and any(isinstance(e, dict) and e.get("event") == "reset_slots" for e in result.get("events") or []))


def create_action_app(settings: ActionServerSettings, actions_package: str = "actions") -> Sanic:
    """The action server: rasa-sdk's executor for ``actions_package`` behind the checks above."""
    from rasa_sdk import utils
    from rasa_sdk.executor import ActionExecutor
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    app = Sanic("skincare_actions", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = settings.max_body_bytes  # refused by Sanic before the body is read
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS
    executor = ActionExecutor()
    executor.register_package(actions_package)
    history = EventHistory(settings.event_history)

    @app.on_request
    async def only_rasa(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not bearer_matches(request.headers.get("authorization"), settings.token):
            return _error(401, "this action server answers only the Rasa server (missing or wrong bearer token)")
        return None

    add_health_routes(app, dependency_states)

    @app.get("/actions")
    async def actions(_: Request) -> HTTPResponse:
        return response.json([{"name": name} for name in executor.actions])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        body = request.body or b""
        encoding = request.headers.get("content-encoding", "").strip().lower()
        try:
            if encoding == "deflate":
                body = inflate(body, settings.max_body_bytes)
            elif encoding not in ("", "identity"):
                return _error(415, f"unsupported Content-Encoding {encoding[:20]!r} (only deflate)")
            action_call = json.loads(body)
        except BodyTooLarge:
            return _error(413, f"the request body inflates to more than {settings.max_body_bytes} bytes")
        except (zlib.error, ValueError):
            return _error(400, "the request body must be JSON (optionally deflate-compressed)")
        if not isinstance(action_call, dict) or not isinstance(action_call.get("next_action"), str):
            return _error(400, "the request body must be a JSON object naming next_action")
        utils.check_version_compatibility(action_call.get("version"))
        try:
            action_call = history.complete(action_call)
        except IncompleteCall:
            return _error(RESEND_WHOLE_STATUS, "this action server does not hold the conversation's earlier "
                          "events: send the call whole")
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as error:
            return _error(400, error.message, action_name=error.action_name)
        except ActionNotFoundException as error:
            return _error(404, error.message, action_name=error.action_name)
        if isinstance(result, dict):
            result[ACCEPTS_KEY] = True
            if _forgot_the_conversation(action_call, result):
                history.forget(action_call["sender_id"])
        return response.json(result)

    @app.exception(Exception)
    async def failed(request: Request, error: Exception) -> HTTPResponse:
        status = getattr(error, "status_code", 500)
        if isinstance(status, int) and 400 <= status < 500:
            return _error(status, str(error)[:200])
        # Logged with the action's traceback but without the tracker: it holds what people told us.
        logger.error("action server: %s on %s", type(error).__name__, request.path, exc_info=error)
        return _error(500, "the action failed; see the action server's log")

    return app


def main(argv: list[str] | None = None) -> int:
    """Check the settings, then serve until stopped (`--port N` overrides ACTION_PORT)."""
    parser = argparse.ArgumentParser(description="The action server (answers Rasa only).")
    parser.add_argument("--port", type=int, help=f"port to listen on (default: ACTION_PORT, else {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    load_at_start("action server", required=[TOKEN_VARIABLE])  # exits 2 naming every bad variable
    settings = ActionServerSettings.from_env()
    if args.port is not None:
        settings = replace(settings, port=args.port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_action_app(settings)
    app.register_listener(freeze_startup_heap, "after_server_start")  # bot/startup_heap.py
    print(f"Action server on http://{settings.host}:{settings.port} (answers Rasa only)", flush=True)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
