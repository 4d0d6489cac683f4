"""`make run-prod`'s settings: the replicas' ports and the variables production cannot do without.

Read and checked once (bot/settings.py), before anything starts; every problem is reported at once,
naming the variable and what to set. Secrets (REST_TOKEN, STAFF_TOKEN, database and Redis passwords) only ever
come from the environment: nothing here has a default for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.settings import DEFAULT_ACTION_PROXY_PORT, DEFAULT_HOST, DEFAULT_PUBLIC_PORT, Settings, check, settings_for

ENDPOINTS = "endpoints.production.yml"

# Required, no default: the tokens (issue 11's security work) and where the data lives. The others
# (TRACKER_DB_HOST/PORT/PASSWORD, REDIS_*, the ports) have the machine's own services as defaults in
# bot/settings.py; passwords default to none (trust/peer auth).
REQUIRED = ("REST_TOKEN", "STAFF_TOKEN", "SKINCARE_DB_URL", "TRACKER_DB_NAME", "TRACKER_DB_USER")


@dataclass(frozen=True)
class ProductionPorts:
    """Loopback ports of the replicas, of nginx (public) and of nginx's proxy in front of the actions."""

    rasa_ports: tuple[int, ...] = Settings.rasa_replica_ports
    action_ports: tuple[int, ...] = Settings.action_replica_ports
    public_port: int = DEFAULT_PUBLIC_PORT
    action_proxy_port: int = DEFAULT_ACTION_PROXY_PORT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ProductionPorts:
        """RASA_REPLICA_PORTS, ACTION_REPLICA_PORTS, PUBLIC_PORT, ACTION_PROXY_PORT (bot/settings.py)."""
        settings = settings_for(env)
        return cls(rasa_ports=settings.rasa_replica_ports, action_ports=settings.action_replica_ports,
                   public_port=settings.public_port, action_proxy_port=settings.action_proxy_port)


def problems(env: Mapping[str, str]) -> list[str]:
    """Everything wrong with the environment for `make run-prod`, one line each (empty when fine)."""
    settings, found = check(env, required=REQUIRED)
    url = settings.skincare_db_url
    if url and not url.startswith("postgresql"):
        found.append(f"SKINCARE_DB_URL={url.split('://')[0]}://...: production keeps the knowledge store and "
                     "triage in PostgreSQL (postgresql+psycopg2://user@host:5432/db)")
    if (settings.endpoints or ENDPOINTS) == "endpoints.yml":
        found.append("ENDPOINTS=endpoints.yml is the embedded set-up (SQLite, locks in memory): unset it, or "
                     f"point it at {ENDPOINTS} or a file like it")
    return found


def server_env(ports: ProductionPorts, env: Mapping[str, str]) -> dict[str, str]:
    """What every server of `make run-prod` gets on top of the environment `env`."""
    settings = check(env)[0]  # each server checks its own environment at start
    public = f"http://localhost:{ports.public_port}"
    values = {
        "TRACKER_DB_HOST": settings.tracker_db_host or DEFAULT_HOST,
        "TRACKER_DB_PORT": str(settings.tracker_db_port),
        "TRACKER_DB_PASSWORD": settings.tracker_db_password or "",
        "REDIS_HOST": settings.redis_host,
        "REDIS_PORT": str(settings.redis_port),
        "REDIS_DB": str(settings.redis_db),
        "REDIS_PASSWORD": settings.redis_password or "",
    }
    values.update(
        # Rasa reaches the action servers through nginx, which fails over between them.
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{ports.action_proxy_port}/webhook",
        # The demo page sends the widget to nginx, which keeps each browser on one Rasa replica.
        RASA_PUBLIC_URL=settings.rasa_public_url or public,
        WIDGET_ALLOWED_ORIGINS=",".join(settings.widget_allowed_origins or ())
        or f"{public},http://127.0.0.1:{ports.public_port}",
        # Behind one proxy: client addresses (the staff login throttle) come from X-Forwarded-For.
        SANIC_PROXIES_COUNT=str(1 if settings.sanic_proxies_count is None else settings.sanic_proxies_count),
        TRACKER_DB_URL=settings.tracker_db_url or "",
    )
    # socket.io across replicas (python-socketio's Redis manager): its own Redis database by default.
    password = f":{settings.redis_password}@" if settings.redis_password else ""
    redis = f"redis://{password}{settings.redis_host}:{settings.redis_port}"
    values["SOCKETIO_REDIS_URL"] = settings.socketio_redis_url or f"{redis}/{settings.redis_db + 1}"
    # Chat rate limits counted in Redis, so the replicas share one budget (beside the locks, own key prefix).
    values["CHAT_LIMITS_REDIS_URL"] = settings.chat_limits_redis_url or f"{redis}/{settings.redis_db}"
    return values
