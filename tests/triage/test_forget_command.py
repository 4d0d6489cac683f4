"""`python -m bot.triage forget <id>`, run as the README shows, makes the running assistant forget the person
(issue 11: on the default set-up it once deleted the tickets but left the 15 tracker events, so the next
"does it suit me?" still answered for a pregnant person with oily skin)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers

REPO = Path(__file__).resolve().parents[2]


def tickets_of(assistant: RunningAssistant, sender: str) -> list[dict]:
    reply = requests.get(f"{assistant.web_url}/staff/api/tickets", timeout=10,
                         headers={"Authorization": f"Bearer {assistant.staff_token}"})
    reply.raise_for_status()
    return [t for t in reply.json()["tickets"] if t["conversation_id"] == sender]


def stored_events(assistant: RunningAssistant, sender: str) -> int:
    engine = sa.create_engine(f"sqlite:///{assistant.tracker_db_path}", future=True)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender})
    finally:
        engine.dispose()


def asks_for_profile(reply: str) -> bool:
    """The suitability answer for someone the assistant knows nothing about asks for their skin type."""
    return "your skin type" in reply.lower()


def user_environment(assistant: RunningAssistant) -> dict[str, str]:
    """What a person's shell holds after `make run` with these databases: the README's variables, nothing
    the test harness adds (no TRACKER_DB_URL, no per-run secrets)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("TRACKER_", "STAFF_"))}
    env.update(SKINCARE_DB_URL=assistant.knowledge_db_url, TRACKER_SQLITE_PATH=str(assistant.tracker_db_path))
    return env


def test_forget_as_the_readme_shows_makes_the_assistant_forget_the_person(assistant: RunningAssistant):
    person, bystander = f"forget-{uuid.uuid4().hex[:8]}", f"keep-{uuid.uuid4().hex[:8]}"
    for sender in (person, bystander):
        assistant.send(sender, "I'm pregnant")
        assistant.send(sender, "I have oily skin")
        before = assistant.reply_text(sender, "do milk exosomes suit me?")
        assert "pregnan" in before.lower() and not asks_for_profile(before), before
        assistant.send(sender, "my lips are swelling")  # an urgent ticket for staff
    assert tickets_of(assistant, person) and stored_events(assistant, person) > 10

    # README: `python -m bot.triage forget <conversation id>`, from the project directory.
    done = subprocess.run([sys.executable, "-m", "bot.triage", "forget", person], cwd=REPO,
                          env=user_environment(assistant), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "is not set" not in done.stderr
    assert "1 ticket(s)" in done.stdout and "0 tracker event(s)" not in done.stdout

    assert stored_events(assistant, person) == 0
    assert tickets_of(assistant, person) == []
    after = assistant.reply_text(person, "do milk exosomes suit me?")
    assert "pregnan" not in after.lower() and asks_for_profile(after), after  # answered without the profile
    kept = assistant.reply_text(bystander, "do milk exosomes suit me?")  # nobody else is forgotten
    assert "pregnan" in kept.lower() and not asks_for_profile(kept) and tickets_of(assistant, bystander)


def test_with_no_tracker_variable_forget_and_purge_use_the_launchers_default_store(tmp_path: Path):
    from bot.run import StackSettings

    env = {name: value for name, value in os.environ.items() if not name.startswith("TRACKER_")}
    env["SKINCARE_DB_URL"] = f"sqlite:///{tmp_path / 'store.sqlite'}"
    for command in (["forget", "nobody"], ["purge"]):
        done = subprocess.run([sys.executable, "-m", "bot.triage", *command], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        # The file `make run` gives Rasa when nothing is configured (bot/run.py), not "not set, events kept".
        assert f"sqlite:///{StackSettings().tracker_sqlite_path.resolve()}" in done.stderr
        assert "deleted 0 conversation(s)" in done.stdout
