"""The machine's PostgreSQL and Redis for the runtime tests: skip when absent, fail under CI=true."""

from __future__ import annotations

import os
import socket

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432


def require_service(name: str, host: str, port: int) -> None:
    """Skip the calling test when nothing listens at host:port, unless CI=true (then fail)."""
    try:
        with socket.create_connection((host, port), timeout=3):
            return
    except OSError as error:
        reason = f"{name} not reachable at {host}:{port}: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: {name} is required)")
        pytest.skip(reason)


def require_redis() -> None:
    """Redis at 127.0.0.1:6379 or skip (fail under CI=true)."""
    require_service("Redis", REDIS_HOST, REDIS_PORT)
