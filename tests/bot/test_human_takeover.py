"""While an agent has taken a conversation over (slot human_agent), the assistant only listens, except for
emergencies (bot/human_takeover.py): checked on hand-made trackers, then with the trained model's own
policies (RulePolicy included), the way Rasa picks the next action after a message."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.human_takeover import HUMAN_AGENT_SLOT, assistant_stays_silent

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "skincare.tar.gz"
DOMAIN = Domain.load(str(REPO / "domain.yml"))
TAKEN = [SlotSet(HUMAN_AGENT_SLOT, "Sam Support")]


def message(intent: str, text: str = "...") -> list[Event]:
    return [ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text, {"name": intent, "confidence": 1.0})]


def tracker_of(*events: Event) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events), DOMAIN.slots)


def test_silent_only_while_taken_over_and_right_after_a_message() -> None:
    assert assistant_stays_silent(tracker_of(*TAKEN, *message("ask_benefits")))
    assert not assistant_stays_silent(tracker_of(*message("ask_benefits")))  # nobody took over
    handed_back = tracker_of(*TAKEN, SlotSet(HUMAN_AGENT_SLOT, None), *message("ask_benefits"))
    assert not assistant_stays_silent(handed_back)
    # After the emergency reply ran, the rules (not this policy) decide what follows.
    after_reply = tracker_of(*TAKEN, *message("red_flag"), ActionExecuted("utter_emergency"))
    assert not assistant_stays_silent(after_reply)


@pytest.mark.parametrize("intent", ["red_flag", "possible_emergency"])
def test_emergencies_are_never_silenced(intent: str) -> None:
    assert not assistant_stays_silent(tracker_of(*TAKEN, *message(intent)))


def test_yes_to_the_triage_question_is_answered_but_a_yes_elsewhere_is_not() -> None:
    asked = [*TAKEN, *message("possible_emergency"), ActionExecuted("utter_ask_emergency_triage"),
             BotUttered("Are you having trouble breathing...?")]
    assert not assistant_stays_silent(tracker_of(*asked, *message("affirm", "yes")))
    assert assistant_stays_silent(tracker_of(*asked, *message("deny", "no")))
    assert assistant_stays_silent(tracker_of(*TAKEN, *message("affirm", "yes")))


# ---- with the trained model's policies ---------------------------------------------------------------


@pytest.fixture(scope="module")
def agent() -> Agent:
    if not MODEL.exists():
        pytest.skip("needs the trained model (make train)")
    return Agent.load(str(MODEL))


def next_action(agent: Agent, history: list[Event], text: str) -> tuple[str, str]:
    """The action Rasa would run after the person writes ``text`` with ``history`` before it, and which
    policy chose it."""

    async def predict() -> tuple[str, str]:
        tracker = DialogueStateTracker.from_events("someone", list(history), agent.domain.slots)
        parse = await agent.parse_message(text)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        tracker.update(UserUttered(text, parse["intent"], parse["entities"], parse))
        prediction = agent.processor._predict_next_with_tracker(tracker)
        return agent.domain.action_names_or_texts[prediction.max_confidence_index], prediction.policy_name

    return asyncio.run(predict())


def test_the_model_listens_during_a_takeover_and_answers_after_hand_back(agent: Agent) -> None:
    question = "is niacinamide good for oily skin?"
    assert next_action(agent, TAKEN, question) == (ACTION_LISTEN_NAME, "HumanTakeoverPolicy")
    assert next_action(agent, TAKEN, "hello")[0] == ACTION_LISTEN_NAME
    answered, policy = next_action(agent, [*TAKEN, SlotSet(HUMAN_AGENT_SLOT, None)], question)
    assert answered == "action_answer_ingredient_question" and policy == "RulePolicy"


def test_the_model_still_sends_the_emergency_reply_during_a_takeover(agent: Agent) -> None:
    assert next_action(agent, TAKEN, "my lips are swelling and I can't breathe") == ("utter_emergency", "RulePolicy")


def test_a_form_the_assistant_was_running_does_not_speak_over_the_agent(agent: Agent) -> None:
    # The relay drops the form on takeover; even if one were active, the form's happy path loses.
    history = [ActiveLoop("handoff_form"), SlotSet("requested_slot", "contact_email"), *TAKEN]
    assert next_action(agent, history, "jane@example.com") == (ACTION_LISTEN_NAME, "HumanTakeoverPolicy")
