"""The label-check action: one reply from both layers, unknown entries feed the knowledge-gap view, and a
label longer than what the classifiers read is still read whole (from the user event, not the parse data)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.ingredient_questions import ActionAnswerIngredientQuestion
from actions.label_check import ActionCheckLabel
from bot.triage.db import use_engine
from bot.triage.gaps import list_gaps
from bot.triage.recorder import wait_for_queued_topics
from knowledge.annexes.loader import load_annexes
from knowledge.annexes.reader import default_wheel
from knowledge.database import get_engine
from tests.actions.conftest import make_tracker, run_action
from tests.fixtures.store import make_store


@pytest.fixture
def annex_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Profiles and the EU annexes in a temp SQLite store (also triage's database)."""
    url = make_store(tmp_path)
    load_annexes(default_wheel(), url)
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    use_engine(get_engine(url))
    yield url
    wait_for_queued_topics()
    use_engine(None)


def test_unknown_entries_become_knowledge_gaps_and_known_ones_do_not(annex_store: str) -> None:
    text = "Ingredients: Aqua, Zorbium Glycinate, Linalool, Milk Exosomes, Phenoxyethanol, Quixol Extract"
    messages, _ = run_action(ActionCheckLabel(), make_tracker("check_label", text, sender_id="label-gaps"))
    assert messages[0]["answer"]["kind"] == "label_check" and "label_check" in messages[0]["answer"]["tags"]
    gaps = {gap.ingredient for gap in list_gaps()}
    assert {"Aqua", "Zorbium Glycinate", "Quixol Extract"} <= gaps
    assert not {"Linalool", "Milk Exosomes", "Phenoxyethanol"} & gaps


def test_the_whole_message_is_read_even_when_the_parse_data_was_cut(annex_store: str) -> None:
    names = [f"Plant Extract {i}" for i in range(80)]
    whole = "Ingredients: " + ", ".join(names)
    tracker = make_tracker("check_label", whole[:1000])
    tracker.events[-1]["text"] = whole  # what the channel received; the parse data holds the classifiers' cut
    messages, _ = run_action(ActionCheckLabel(), tracker)
    assert messages[0]["text"].splitlines()[0] == "I checked the 80 ingredients on this label:"


def test_by_sms_a_label_is_short_numbered_lines_flagged_entries_first(annex_store: str) -> None:
    text = "Ingredients: Aqua, Glycerin, Zorbium Glycinate, Linalool, Milk Exosomes, Phenoxyethanol"
    tracker = make_tracker("check_label", text, sender_id="label-sms")
    tracker.events[-1]["input_channel"] = "twilio"  # SMS or WhatsApp
    [message], _ = run_action(ActionCheckLabel(), tracker)
    lines = message["text"].splitlines()
    assert lines[0] == "Checked 6 ingredients:"
    entries = [line for line in lines if line[:1].isdigit()]
    assert sorted(int(line.split(".")[0]) for line in entries) == [1, 2, 3, 4, 5, 6]  # every entry, once
    assert entries[0].startswith("4. ") and "allergen" in entries[0]  # the flagged one leads
    assert any(line.startswith("3. ") and "no verified info" in line for line in entries)
    assert all(len(line) <= 80 for line in lines)  # short lines, not the widget's paragraphs
    assert message["answer"]["kind"] == "label_check"  # the same decision as on the widget

    chat = make_tracker("check_label", text, sender_id="label-chat")
    [widget], _ = run_action(ActionCheckLabel(), chat)
    assert widget["text"].splitlines()[0] == "I checked the 6 ingredients on this label:"


def test_on_the_widget_the_reply_carries_its_lists_and_elsewhere_only_the_text(annex_store: str) -> None:
    text = "Ingredients: Aqua, Zorbium Glycinate, Linalool, Milk Exosomes, Phenoxyethanol"
    widget = make_tracker("check_label", text, sender_id="label-widget")
    widget.events[-1]["input_channel"] = "socketio"
    [message], _ = run_action(ActionCheckLabel(), widget)
    view = message["custom"]
    assert view["type"] == "label_check" and view["title"] == message["text"].splitlines()[0]
    numbers = sorted(item["number"] for group in view["groups"] for item in group["items"])
    assert numbers == [1, 2, 3, 4, 5]
    assert view["groups"][0]["group"] == "allergen" and view["groups"][-1]["group"] == "unknown"

    rest = make_tracker("check_label", text, sender_id="label-rest")
    rest.events[-1]["input_channel"] = "rest"
    [plain], _ = run_action(ActionCheckLabel(), rest)
    assert plain["custom"] == {} and plain["text"] == message["text"]


def test_more_about_a_numbered_entry_flagged_for_the_person_says_why(annex_store: str) -> None:
    entries = ["Aqua", "Milk Exosomes", "Linalool"]
    slots = {"label_entries": entries, "allergies": ["milk protein"]}
    asked = make_tracker("ask_summary", "tell me more about number 2", slots=slots, sender_id="label-more")
    messages, _ = run_action(ActionAnswerIngredientQuestion(), asked)
    answer = messages[0]["answer"]
    assert answer["ingredient"] == "milk exosomes" and "allergy:milk protein" in answer["considered"]
    assert answer["disclaimer"] == "allergy"  # the concern the label flagged, in full

    plain = make_tracker("ask_summary", "tell me more about number 2", slots={"label_entries": entries},
                         sender_id="label-more-plain")
    messages, _ = run_action(ActionAnswerIngredientQuestion(), plain)
    assert messages[0]["answer"]["ingredient"] == "milk exosomes"
    assert messages[0]["answer"]["topic"] == "summary"  # nothing told about the person: the summary as before
