"""The retention clean-up runs by itself: at web-server start and then on a timer; failures retry."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.run import free_port, stop_process_group
from bot.triage import settings
from bot.triage.privacy import DeletionReport
from bot.triage.retention import purge_on_schedule

REPO = Path(__file__).resolve().parents[2]


def test_the_clean_up_runs_at_once_and_again_after_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    fourth_run = threading.Event()  # by then the third run's result has been logged

    def purge(days: int) -> DeletionReport:
        calls.append(days)
        if len(calls) == 2:
            raise RuntimeError("database is down")
        if len(calls) == 4:
            fourth_run.set()
        return DeletionReport(conversations=len(calls))

    async def scenario() -> None:
        task = asyncio.create_task(purge_on_schedule(0.1 / 3600, purge=purge, days=lambda: 45))
        await asyncio.to_thread(fourth_run.wait, 10)
        task.cancel()

    with caplog.at_level(logging.INFO, logger="bot.triage.retention"):
        asyncio.run(scenario())
    assert calls[:3] == [45, 45, 45]
    assert "retention clean-up (older than 45 days): deleted 1 conversation(s)" in caplog.text
    assert "retention clean-up failed" in caplog.text and "database is down" in caplog.text
    assert "deleted 3 conversation(s)" in caplog.text  # it carried on after the failure


@pytest.mark.parametrize(("raw", "expected"), [("", 24.0), ("6", 6.0), ("0.5", 0.5), ("0", None)])
def test_the_interval_setting(monkeypatch: pytest.MonkeyPatch, raw: str, expected: float | None) -> None:
    monkeypatch.setenv("RETENTION_PURGE_HOURS", raw)
    assert settings.purge_every_hours() == expected


@pytest.mark.parametrize("raw", ["daily", "-1", "nan", "inf"])
def test_a_bad_interval_is_refused_with_a_clear_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("RETENTION_PURGE_HOURS", raw)
    with pytest.raises(settings.SettingError, match="RETENTION_PURGE_HOURS"):
        settings.purge_every_hours()


@pytest.mark.servers
def test_the_web_server_purges_old_conversations_when_it_starts(tmp_path: Path, tracker_db) -> None:
    old = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=45)
    tracker_db.add_user("long-ago", "is it vegan?", at=old)
    tracker_db.add_user("this-week", "is it vegan?")
    port = free_port()
    env = {**os.environ, "WEB_PORT": str(port), "RETENTION_DAYS": "30", "TRACKER_DB_URL": tracker_db.url,
           "SKINCARE_DB_URL": f"sqlite:///{tmp_path / 'store.sqlite'}", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=REPO, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while tracker_db.count("long-ago") and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert tracker_db.count("long-ago") == 0, (tmp_path / "web.log").read_text()
        assert tracker_db.count("this-week") == 1
        assert "retention clean-up (older than 30 days): deleted" in (tmp_path / "web.log").read_text()
    finally:
        stop_process_group(process)
        log.close()


def test_the_web_server_refuses_a_bad_interval_at_start(tmp_path: Path) -> None:
    env = {**os.environ, "RETENTION_PURGE_HOURS": "weekly", "WEB_PORT": str(free_port())}
    result = subprocess.run([sys.executable, "-m", "bot.web"], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "RETENTION_PURGE_HOURS must be 0 (never) or a positive number" in result.stderr
