"""Shared fixtures. `assistant`: the real servers, started once per test run and shared."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.servers import RunningAssistant, start_assistant


def running_in_ci() -> bool:
    """CI=true: services that this machine provides must be there, no skipping."""
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """The action server, Rasa server and web server on free ports, with temporary databases."""
    running = start_assistant(tmp_path_factory.mktemp("assistant"))
    try:
        yield running
    finally:
        running.stack.stop()


@pytest.fixture(scope="session")
def stack(assistant: RunningAssistant) -> RunningAssistant:
    """Alias of `assistant` (the name the channel and triage tests use)."""
    return assistant
