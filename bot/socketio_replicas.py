"""socket.io across Rasa replicas: python-socketio's Redis manager, when SOCKETIO_REDIS_URL is set.

A widget keeps its socket.io connection to one replica (nginx/Ingress stickiness), but its message may
be handled, or its reply emitted, by another: with a Redis client manager every replica publishes its
emits on Redis and the replica holding the connection delivers them (python-socketio's
`AsyncRedisManager`). Without the variable, one process delivers its own emits (the embedded set-up).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from socketio import AsyncRedisManager

from bot.settings import settings_for

logger = logging.getLogger(__name__)

CHANNEL = "skincare-socketio"


def socketio_client_manager(env: Mapping[str, str] | None = None) -> AsyncRedisManager | None:
    """The Redis manager for SOCKETIO_REDIS_URL (e.g. redis://redis:6379/0), or None when it is unset."""
    url = settings_for(env).socketio_redis_url  # SettingsError naming it when it is not a redis:// URL
    if not url:
        return None
    logger.info("Widget socket.io emits go through Redis (%s), so every replica can reach every widget",
                url.split("@")[-1])
    return AsyncRedisManager(url, channel=CHANNEL)
