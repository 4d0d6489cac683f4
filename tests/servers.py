"""The real assistant, started for tests: action server, Rasa server and web server on free ports.

Uses the same launcher as `make run` (bot.run.Stack) with temporary databases: a knowledge store
loaded from knowledge/profiles, an empty SQLite tracker store, and a random staff token.
"""

from __future__ import annotations

import json
import secrets
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.run import Stack, StackSettings, free_port
from knowledge.annexes.loader import load_annexes
from knowledge.annexes.reader import default_wheel
from knowledge.loader import load_profiles

REPO_ROOT = Path(__file__).resolve().parents[1]
MODEL = REPO_ROOT / "models" / "skincare.tar.gz"




@dataclass
class RunningAssistant:
    """Handles tests use: URLs, the staff token, a REST helper and restarts."""

    stack: Stack
    knowledge_db_url: str
    tracker_db_path: Path
    staff_token: str
    log_dir: Path

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return self.stack.settings.rasa_url

    @property
    def action_url(self) -> str:
        """Base URL of the action server."""
        return self.stack.settings.action_url

    @property
    def action_token(self) -> str:
        """The secret this run's Rasa server presents to the action server."""
        return self.stack.action_token

    @property
    def web_url(self) -> str:
        """Base URL of the web server (demo page, widget, staff area)."""
        return self.stack.settings.web_url

    @property
    def rest_url(self) -> str:
        """Rasa's REST channel webhook."""
        return f"{self.rasa_url}/webhooks/rest/webhook"

    def send(self, sender: str, text: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Send one message over the REST channel and return the bot's replies."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        headers = {"Content-Type": "application/json"}
        rest_token = self.stack.settings.extra_env.get("REST_TOKEN")
        if rest_token:
            headers["Authorization"] = f"Bearer {rest_token}"
        request = urllib.request.Request(self.rest_url, data=body, headers=headers)
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
            return json.load(response)

    def reply_text(self, sender: str, text: str) -> str:
        """All reply texts for one message, joined (what the person reads)."""
        return "\n".join(m.get("text", "") for m in self.send(sender, text))

    def restart_rasa(self) -> None:
        """Stop and start the Rasa server (same ports, same databases)."""
        self.stack.restart_service("rasa server")

    def stop_rasa(self) -> None:
        """Stop the Rasa server only."""
        self.stack.stop_service(self.stack.service("rasa server"))

    def start_rasa(self) -> None:
        """Start the Rasa server again after stop_rasa()."""
        service = self.stack.service("rasa server")
        self.stack.start_service(service)
        self.stack.wait_ready(service)


def start_assistant(
    work_dir: Path,
    *,
    knowledge_db_url: str | None = None,
    endpoints: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> RunningAssistant:
    """Start all three servers with fresh databases; the caller must stop() the stack.

    By default the knowledge store is a new SQLite file loaded from knowledge/profiles and the EU annexes; pass
    `knowledge_db_url` for an already loaded store, `endpoints` and `extra_env` for another set-up
    (e.g. endpoints.production.yml with PostgreSQL and Redis settings).
    """
    if not MODEL.exists():
        raise RuntimeError(f"no trained model at {MODEL}: run `make train` (make test does it first)")
    work_dir.mkdir(parents=True, exist_ok=True)
    if knowledge_db_url is None:
        knowledge_db_url = f"sqlite:///{work_dir / 'skincare.sqlite'}"
        load_profiles(REPO_ROOT / "knowledge" / "profiles", knowledge_db_url)
        load_annexes(default_wheel(), knowledge_db_url)  # as `make kb` does (it downloads the wheel)
    tracker = work_dir / "conversations.sqlite"
    staff_token = secrets.token_urlsafe(32)
    settings = StackSettings(
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        tracker_sqlite_path=tracker,
        runtime_dir=work_dir / "runtime",
        extra_env={
            "SKINCARE_DB_URL": knowledge_db_url,
            "TRACKER_DB_URL": f"sqlite:///{tracker}",
            "STAFF_TOKEN": staff_token,
            "RASA_API_TOKEN": "",
            # Production apologises after 4 s (bot/resilience.py); this machine's shared cores can be slower
            # than that under load, so tests that do not test the timeout give actions more time.
            "ACTION_TIMEOUT_SECONDS": "30",
            # Every browser and client in the tests comes from 127.0.0.1: one visitor's per-address limit
            # would throttle the whole suite. The per-conversation limit keeps its default (tested).
            "CHAT_LIMIT_PER_ADDRESS": "100000",
            **(extra_env or {}),
        },
    )
    if endpoints is not None:
        settings.endpoints = endpoints
    stack = Stack(settings, log_dir=work_dir / "logs")
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    return RunningAssistant(stack, knowledge_db_url, tracker, staff_token, work_dir / "logs")
