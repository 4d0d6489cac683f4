"""Long conversations get the same replies and store the same events with the bounded per-message work
(bot/bounded_history.py, bot/action_events.py, the tracker store's incremental loading) as with Rasa's own
code: the same trained model and action server code, one run with Rasa as released, one with our changes."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import action_events, bounded_history
from bot.run import Stack, StackSettings, free_port
from knowledge.loader import load_profiles

pytestmark = pytest.mark.servers

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL = REPO_ROOT / "models" / "skincare.tar.gz"
# Every kind of turn the assistant has: answers, profile, off-topic and gibberish (fallbacks, the handoff
# offer), the handoff form, the emergency triage question and an emergency, buttons typed as payloads.
SCRIPT = (
    "hi", "are milk exosomes vegan?", "will it clog my pores", "I have oily skin", "does it suit me?",
    "what's the weather like", "qwzx plorb", "no", "is snail mucin safe in pregnancy?",
    "I want to talk to a person", "yes", "skip", "are milk exosomes vegan? i feel a bit dizzy since using it",
    "yes", "/deny", "my toddler swallowed some of the face cream", "can I use it with retinol?", "thanks", "bye",
)
LONG_TURNS = 260  # past the 200 events an action call carries, and past many rule-state checkpoints
SHORT_TURNS = 40  # a second conversation, interleaved with the first
PATCHED = [(RulePolicy, "_prediction_states"), (DialogueStateTracker, "applied_events"),
           (DialogueStateTracker, "copy"), (RemoteAction, "_action_call_format"), (EndpointConfig, "request")]


@contextmanager
def our_changes() -> Iterator[None]:
    """Our changes to Rasa installed for the block, Rasa's own code again after it."""
    saved = [(owner, name, owner.__dict__.get(name)) for owner, name in PATCHED]
    bounded_history.install_all()
    action_events.install_event_tail()
    try:
        yield
    finally:
        for owner, name, original in saved:
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def action_server(work: Path) -> Stack:
    """Our action server alone, with its own knowledge store (tickets of one run never reach the other)."""
    knowledge = f"sqlite:///{work / 'skincare.sqlite'}"
    load_profiles(REPO_ROOT / "knowledge" / "profiles", knowledge)
    settings = StackSettings(rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
                             tracker_sqlite_path=work / "unused.sqlite", runtime_dir=work / "runtime",
                             extra_env={"SKINCARE_DB_URL": knowledge, "STAFF_TOKEN": secrets.token_urlsafe(32),
                                        "RASA_API_TOKEN": "", "ACTION_TIMEOUT_SECONDS": "30"})
    stack = Stack(settings, log_dir=work / "logs")
    service = stack.service("action server")
    stack.start_service(service)
    stack.wait_ready(service)
    return stack


def comparable(event: dict[str, Any]) -> dict[str, Any]:
    """An event without what differs between any two runs (when it happened, the message's random id)."""
    event = {key: value for key, value in event.items() if key not in ("timestamp", "message_id")}
    if isinstance(event.get("parse_data"), dict):
        event["parse_data"] = {key: value for key, value in event["parse_data"].items() if key != "message_id"}
    return event


async def converse(stack: Stack, tracker_store: EndpointConfig) -> tuple[list[Any], dict[str, list[Any]]]:
    """Both conversations, interleaved: every reply, then every stored event of each conversation."""
    endpoints = AvailableEndpoints(
        action=EndpointConfig(url=f"{stack.settings.action_url}/webhook",
                              headers={"Authorization": f"Bearer {stack.action_token}"}),
        tracker_store=tracker_store)
    agent = await load_agent(model_path=str(MODEL), endpoints=endpoints)
    replies: list[Any] = []
    for turn in range(LONG_TURNS):
        senders = ["long", "short"] if turn < SHORT_TURNS else ["long"]
        for sender in senders:
            output = CollectingOutputChannel()
            await agent.handle_message(UserMessage(SCRIPT[turn % len(SCRIPT)], output, sender))
            replies.append((sender, turn, output.messages))
    stored = {}
    for sender in ("long", "short"):
        tracker = await agent.tracker_store.retrieve_full_tracker(sender)
        stored[sender] = [comparable(event.as_dict()) for event in tracker.events]
    return replies, stored


def test_long_conversations_get_rasas_replies_and_events(tmp_path: Path) -> None:
    if not MODEL.exists():
        pytest.fail(f"needs the trained model {MODEL} (make train)")
    rasas_stack, our_stack = action_server(tmp_path / "rasa"), action_server(tmp_path / "ours")
    try:
        rasas = asyncio.run(converse(rasas_stack, EndpointConfig(
            type="sql", dialect="sqlite", db=str(tmp_path / "rasa" / "conversations.sqlite"))))
        with our_changes():
            ours = asyncio.run(converse(our_stack, EndpointConfig(
                type="bot.tracker_store.SQLiteWALTrackerStore", db=str(tmp_path / "ours" / "conversations.sqlite"))))
    finally:
        rasas_stack.stop()
        our_stack.stop()
    (rasas_replies, rasas_events), (our_replies, our_events) = rasas, ours
    assert len(our_events["long"]) > 5 * LONG_TURNS  # long enough for every bound to apply
    assert len({m.get("text") for *_, messages in rasas_replies for m in messages}) >= 10  # varied turns
    for rasas_turn, our_turn in zip(rasas_replies, our_replies, strict=True):
        assert our_turn == rasas_turn
    for sender in ("long", "short"):
        assert our_events[sender] == rasas_events[sender]
