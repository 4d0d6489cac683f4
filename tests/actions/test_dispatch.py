"""Queued triage writes never cost the person their answer: failures are logged, not raised."""

from __future__ import annotations

import logging
from concurrent.futures import Future

import pytest

from actions.dispatch import tell_triage_soon


def failed_write(error: Exception) -> Future[object]:
    future: Future[object] = Future()
    future.set_exception(error)
    return future


def refused_write(*_args: object) -> Future[object]:
    raise ValueError("conversation_id must not be empty")


def test_a_failed_queued_write_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="actions.dispatch"):
        tell_triage_soon(failed_write, RuntimeError("database is locked"), what="record topics")
    assert "triage: could not record topics" in caplog.text
    assert "database is locked" in caplog.text


def test_a_write_refused_before_queueing_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="actions.dispatch"):
        tell_triage_soon(refused_write, "", ["vegan"], what="record topics")
    assert "conversation_id must not be empty" in caplog.text


def test_a_successful_write_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    done: Future[object] = Future()
    done.set_result(None)
    with caplog.at_level(logging.ERROR, logger="actions.dispatch"):
        tell_triage_soon(lambda: done, what="record topics")
    assert caplog.text == ""
