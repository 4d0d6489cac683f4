"""What the servers tell an operator: Prometheus metrics, /health and /ready, JSON log lines.

Installed on the Rasa server by bot/rasa_server.py before Rasa starts, and on the action server by
bot/action_server.py (this module imports Rasa only when installing into it, so the action server stays
free of it):

- `GET /metrics` (Prometheus text format): messages handled per channel and outcome, message latency,
  custom-action errors and timeouts, fallbacks, red flags (Rasa server); tickets opened for staff, by
  urgency and kind (the process that writes them: the action server, and the web server's catch-up of
  missed emergency tickets). Counted where they happen (the message wrapper, the action wrapper in
  bot/resilience.py, the parse step, bot/triage/recorder.py).
- `GET /health` always answers 200 while the process runs (a liveness probe), with `status` "ok" or
  "degraded" and each dependency's state; `GET /ready` answers the same body with 503 when a
  dependency is not usable (Rasa: conversation store, lock store, model; action server: the knowledge
  store), so a load balancer or Kubernetes sends people to a replica that can answer them.
- `LOG_FORMAT=json`: every log record as one JSON object per line (time, level, logger, message, error).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import settings_for

logger = logging.getLogger(__name__)

MESSAGES = Counter("skincare_messages_total", "Messages handled, by channel and outcome", ["channel", "outcome"])
MESSAGE_LATENCY = Histogram(
    "skincare_message_latency_seconds", "Time from a message arriving to its replies being ready", ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
ACTION_ERRORS = Counter("skincare_action_errors_total", "Custom actions that failed (server down, error)", ["action"])
ACTION_TIMEOUTS = Counter("skincare_action_timeouts_total", "Custom actions that did not answer in time", ["action"])
FALLBACKS = Counter("skincare_fallbacks_total", "Honest fallbacks (action_unanswerable), by why", ["kind"])
RED_FLAGS = Counter("skincare_red_flags_total", "Messages describing emergency symptoms")
DEPENDENCY_FAILURES = Counter(
    "skincare_dependency_failures_total", "Messages answered with an apology because a service was down",
    ["dependency"],
)
TICKETS_OPENED = Counter(
    "skincare_tickets_opened_total", "Tickets opened for staff (not repeats joining an open one), by urgency and kind",
    ["urgency", "kind"],
)

FALLBACK_KINDS = {"nlu_fallback": "not_understood", "out_of_scope": "out_of_scope"}  # else "no_rule"
RED_FLAG_INTENT = "red_flag"  # bot/nlu/red_flags.py
#: How long a readiness check waits for one dependency.
CHECK_TIMEOUT_SECONDS = 2.0


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (Loki, CloudWatch, Elastic) parse without rules."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON (time in UTC ISO 8601, level, logger, message, and the error if any)."""
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def use_json_logs_if_asked(env: dict[str, str] | None = None) -> bool:
    """With LOG_FORMAT=json, format every root log handler's output as JSON lines; say whether it did."""
    if settings_for(env).log_format != "json":
        return False
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(JsonLogFormatter())
    return True


# --- health -------------------------------------------------------------------------------------------

async def _check(name: str, probe: Callable[[], Any]) -> tuple[str, str]:
    """Run a blocking probe in a thread, bounded in time: (name, "ok" or what went wrong)."""
    try:
        await asyncio.wait_for(asyncio.to_thread(probe), CHECK_TIMEOUT_SECONDS)
        return name, "ok"
    except asyncio.TimeoutError:
        return name, f"no answer within {CHECK_TIMEOUT_SECONDS:g}s"
    except Exception as error:  # the probe's own error, in one line
        return name, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")


def _tracker_store_probe(agent: Any) -> Callable[[], Any] | None:
    store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)
    engine = getattr(store, "engine", None)
    if engine is None:
        return None

    def probe() -> None:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    return probe


def _lock_store_probe(agent: Any) -> Callable[[], Any] | None:
    red = getattr(agent.lock_store, "red", None)
    return red.ping if red is not None else None


async def dependency_states(app: Sanic) -> dict[str, str]:
    """Each dependency the Rasa server needs to answer, with "ok" or the problem."""
    agent = getattr(app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        return {"model": "not loaded"}
    probes = {"model": lambda: None}
    for name, probe in (("conversation store", _tracker_store_probe(agent)), ("lock store", _lock_store_probe(agent))):
        if probe is not None:
            probes[name] = probe
    return await check_all(probes)


async def check_all(probes: dict[str, Callable[[], Any]]) -> dict[str, str]:
    """Run blocking probes at once, each in a thread and bounded in time: name -> "ok" or the problem."""
    return dict(await asyncio.gather(*(_check(name, probe) for name, probe in probes.items())))


DependencyStates = Callable[[Sanic], Awaitable[dict[str, str]]]


def add_health_routes(app: Sanic, states: DependencyStates = dependency_states) -> None:
    """`/health` (liveness, always 200), `/ready` (503 when degraded) and `/metrics` on a server whose
    dependencies ``states`` reports (default: the Rasa server's)."""

    async def report(request: Request, strict: bool) -> HTTPResponse:
        states_now = await states(request.app)
        healthy = all(state == "ok" for state in states_now.values())
        body = {"status": "ok" if healthy else "degraded", "dependencies": states_now}
        return response.json(body, status=200 if healthy or not strict else 503)

    async def health(request: Request) -> HTTPResponse:
        return await report(request, strict=False)

    async def ready(request: Request) -> HTTPResponse:
        return await report(request, strict=True)

    async def metrics(_: Request) -> HTTPResponse:
        return response.raw(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    app.add_route(health, "/health", methods=["GET", "HEAD"], name="skincare_health")
    app.add_route(ready, "/ready", methods=["GET", "HEAD"], name="skincare_ready")
    app.add_route(metrics, "/metrics", methods=["GET"], name="skincare_metrics")


def install_health_routes() -> None:
    """Add the routes to the app Rasa builds for `rasa run` (and switch to JSON logs if asked)."""
    import rasa.core.run

    rasa_configure_app = rasa.core.run.configure_app

    def configure_app(*args: Any, **kwargs: Any) -> Sanic:
        app = rasa_configure_app(*args, **kwargs)
        use_json_logs_if_asked()  # Rasa's command line has set up its log handlers by now
        add_health_routes(app)
        return app

    rasa.core.run.configure_app = configure_app


def install_parse_counters() -> None:
    """Count red flags as each message is parsed (after bot/nlu/red_flags.py has had its say)."""
    from rasa.core.processor import MessageProcessor

    rasa_parse = MessageProcessor.parse_message

    async def parse_message(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        parse = await rasa_parse(self, *args, **kwargs)
        intent = (parse.get("intent") or {}).get("name")
        if intent == RED_FLAG_INTENT:
            RED_FLAGS.inc()
        return parse

    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]


def count_fallback(intent: str | None) -> None:
    """One honest fallback, by the intent that led to it (not understood, out of scope, no rule)."""
    FALLBACKS.labels(FALLBACK_KINDS.get(intent or "", "no_rule")).inc()


def count_ticket_opened(urgency: str, kind: str) -> None:
    """One new ticket for staff (a repeat joining an unresolved ticket is not counted)."""
    TICKETS_OPENED.labels(urgency, kind).inc()


def install_all() -> None:
    """Metrics, health routes and JSON logs for the Rasa server."""
    install_health_routes()
    install_parse_counters()
