"""`make run-prod`'s settings: the replicas' ports and the variables production cannot do without.

Read and checked once, before anything starts; every problem is reported at once, naming the
variable and what to set. Secrets (REST_TOKEN, STAFF_TOKEN, database and Redis passwords) only ever
come from the environment: nothing here has a default for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ENDPOINTS = "endpoints.production.yml"
DEFAULT_PUBLIC_PORT = 8000
DEFAULT_ACTION_PROXY_PORT = 5050
DEFAULT_RASA_PORTS = (5005, 5006)
DEFAULT_ACTION_PORTS = (5055, 5056)

# Required, no default: the tokens (issue 11's security work) and where the data lives.
REQUIRED = {
    "REST_TOKEN": "the bearer token REST clients must send (python -c 'import secrets; "
                  "print(secrets.token_urlsafe(32))')",
    "STAFF_TOKEN": "the staff dashboard's secret (at least 32 characters)",
    "SKINCARE_DB_URL": "the knowledge store and triage database, e.g. postgresql+psycopg2://skincare@127.0.0.1/skincare",
    "TRACKER_DB_NAME": "the PostgreSQL database for conversations (Rasa's tracker store)",
    "TRACKER_DB_USER": "the PostgreSQL user for conversations",
}
# Optional, with the machine's own services as defaults; passwords default to none (trust/peer auth).
DEFAULTS = {
    "TRACKER_DB_HOST": "127.0.0.1",
    "TRACKER_DB_PORT": "5432",
    "TRACKER_DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_DB": "0",
    "REDIS_PASSWORD": "",
}


def _ports(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(name, "").strip()
    return tuple(int(p) for p in raw.split(",")) if raw else default


def _port_problem(env: Mapping[str, str], name: str, count: int | None = None) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parts = [p.strip() for p in raw.split(",")]
    if not all(p.isdigit() and 0 < int(p) < 65536 for p in parts) or (count is not None and len(parts) != count):
        what = f"{count} port numbers separated by a comma" if count and count > 1 else "a port number"
        return f"{name}={raw!r}: expected {what} (1-65535)"
    return None


@dataclass(frozen=True)
class ProductionPorts:
    """Loopback ports of the replicas, of nginx (public) and of nginx's proxy in front of the actions."""

    rasa_ports: tuple[int, ...] = DEFAULT_RASA_PORTS
    action_ports: tuple[int, ...] = DEFAULT_ACTION_PORTS
    public_port: int = DEFAULT_PUBLIC_PORT
    action_proxy_port: int = DEFAULT_ACTION_PROXY_PORT

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ProductionPorts:
        """RASA_REPLICA_PORTS, ACTION_REPLICA_PORTS, PUBLIC_PORT, ACTION_PROXY_PORT (checked by problems())."""
        return cls(
            rasa_ports=_ports(env, "RASA_REPLICA_PORTS", DEFAULT_RASA_PORTS),
            action_ports=_ports(env, "ACTION_REPLICA_PORTS", DEFAULT_ACTION_PORTS),
            public_port=int(env.get("PUBLIC_PORT") or DEFAULT_PUBLIC_PORT),
            action_proxy_port=int(env.get("ACTION_PROXY_PORT") or DEFAULT_ACTION_PROXY_PORT),
        )


def problems(env: Mapping[str, str]) -> list[str]:
    """Everything wrong with the environment for `make run-prod`, one line each (empty when fine)."""
    found = [f"{name} is not set: {why}" for name, why in REQUIRED.items() if not env.get(name, "").strip()]
    url = env.get("SKINCARE_DB_URL", "").strip()
    if url and not url.startswith("postgresql"):
        found.append(f"SKINCARE_DB_URL={url.split('://')[0]}://...: production keeps the knowledge store and "
                     "triage in PostgreSQL (postgresql+psycopg2://user@host:5432/db)")
    if env.get("ENDPOINTS", ENDPOINTS).strip() == "endpoints.yml":
        found.append("ENDPOINTS=endpoints.yml is the embedded set-up (SQLite, locks in memory): unset it, or "
                     f"point it at {ENDPOINTS} or a file like it")
    for name, count in (("RASA_REPLICA_PORTS", 2), ("ACTION_REPLICA_PORTS", 2), ("PUBLIC_PORT", 1),
                        ("ACTION_PROXY_PORT", 1), ("TRACKER_DB_PORT", 1), ("REDIS_PORT", 1)):
        problem = _port_problem(env, name, count)
        if problem:
            found.append(problem)
    return found


def server_env(ports: ProductionPorts, env: Mapping[str, str]) -> dict[str, str]:
    """What every server of `make run-prod` gets on top of the environment."""
    public = f"http://localhost:{ports.public_port}"
    values = {name: env.get(name) or default for name, default in DEFAULTS.items()}
    values.update(
        # Rasa reaches the action servers through nginx, which fails over between them.
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{ports.action_proxy_port}/webhook",
        # The demo page sends the widget to nginx, which keeps each browser on one Rasa replica.
        RASA_PUBLIC_URL=env.get("RASA_PUBLIC_URL") or public,
        WIDGET_ALLOWED_ORIGINS=env.get("WIDGET_ALLOWED_ORIGINS") or f"{public},http://127.0.0.1:{ports.public_port}",
        # Behind one proxy: client addresses (the staff login throttle) come from X-Forwarded-For.
        SANIC_PROXIES_COUNT=env.get("SANIC_PROXIES_COUNT") or "1",
        TRACKER_DB_URL=env.get("TRACKER_DB_URL", ""),
    )
    # socket.io across replicas (python-socketio's Redis manager): its own Redis database by default.
    password = f":{values['REDIS_PASSWORD']}@" if values["REDIS_PASSWORD"] else ""
    values["SOCKETIO_REDIS_URL"] = env.get("SOCKETIO_REDIS_URL") or (
        f"redis://{password}{values['REDIS_HOST']}:{values['REDIS_PORT']}/{int(values['REDIS_DB']) + 1}")
    # Chat rate limits counted in Redis, so the replicas share one budget (beside the locks, own key prefix).
    values["CHAT_LIMITS_REDIS_URL"] = env.get("CHAT_LIMITS_REDIS_URL") or (
        f"redis://{password}{values['REDIS_HOST']}:{values['REDIS_PORT']}/{values['REDIS_DB']}")
    return values
