"""Replies that name the store's ingredients ask it for a few names and the count, not every name: with 40
profiles an unknown name, a question naming none and the fallback each name at most NAMED_INGREDIENTS and
count the rest, and a bare family word still finds its members."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.fallback import ActionUnanswerable
from actions.ingredient_questions import ActionAnswerIngredientQuestion
from bot.answers.fallback import NAMED_INGREDIENTS
from bot.triage.db import use_engine
from bot.triage.recorder import wait_for_queued_topics
from knowledge.bench import SyntheticProfiles
from knowledge.database import get_engine
from knowledge.queries import first_ingredients, ingredients_ending_in, list_ingredients
from knowledge.schema import read_profile
from tests.actions.conftest import entity, make_tracker, run_action
from tests.fixtures.store import FAMILY_PROFILES, REAL_PROFILES, sqlite_url

SYNTHETIC = 40


@pytest.fixture
def large_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real profiles, a second kind of exosomes and 40 synthetic profiles in a temp SQLite store."""
    url = sqlite_url(tmp_path, "large.sqlite")
    synthetic = SyntheticProfiles(SYNTHETIC)
    synthetic.prepare()
    files = [*sorted(REAL_PROFILES.glob("*.yml")), *sorted(FAMILY_PROFILES.glob("*.yml"))]
    synthetic.load(get_engine(url), [read_profile(path) for path in files])
    monkeypatch.setenv("SKINCARE_DB_URL", url)
    use_engine(get_engine(url))
    yield url
    wait_for_queued_topics()
    use_engine(None)


def test_the_first_names_and_the_count_are_what_the_whole_list_would_give(large_store: str) -> None:
    everything = list_ingredients(large_store)
    first = first_ingredients(NAMED_INGREDIENTS, large_store)
    assert first.total == len(everything) == SYNTHETIC + 2
    assert len(first.names) == NAMED_INGREDIENTS and first.more == len(everything) - NAMED_INGREDIENTS
    assert set(first.names) <= set(everything) and list(first.names) == sorted(first.names, key=str.casefold)
    assert first_ingredients(100, large_store).names == tuple(everything)  # all of them when they fit
    assert ingredients_ending_in("exosome", 10, large_store) == ["examplium exosomes", "milk exosomes"]
    assert ingredients_ending_in("exosome%", 10, large_store) == []  # a LIKE wildcard is a plain character


def test_an_unknown_name_is_answered_with_a_few_names_and_how_many_more(large_store: str) -> None:
    tracker = make_tracker("ask_diet", "is snail mucin vegan?", [entity("ingredient", "snail mucin"),
                                                                 entity("diet", "vegan")])
    [message], _ = run_action(ActionAnswerIngredientQuestion(), tracker)
    assert message["answer"]["kind"] == "unknown_ingredient"
    said = re.search(r"I can tell you about (.*) and (\d+) more\.", message["text"])
    assert said is not None, message["text"]
    assert len(said.group(1).split(", ")) == NAMED_INGREDIENTS and int(said.group(2)) == SYNTHETIC + 2 - 10


def test_no_name_asks_which_with_at_most_ten_buttons_and_a_family_word_finds_its_members(large_store: str) -> None:
    [message], _ = run_action(ActionAnswerIngredientQuestion(),
                              make_tracker("ask_diet", "is it vegan?", [entity("diet", "vegan")]))
    assert message["answer"]["kind"] == "which_ingredient" and len(message["buttons"]) == NAMED_INGREDIENTS
    [message], _ = run_action(ActionAnswerIngredientQuestion(), make_tracker(
        "ask_diet", "are exosomes vegan?", [entity("ingredient", "exosomes"), entity("diet", "vegan")]))
    assert {b["title"] for b in message["buttons"]} == {"milk exosomes", "examplium exosomes"}


def test_the_fallback_names_a_few_and_counts_the_rest(large_store: str) -> None:
    [message], _ = run_action(ActionUnanswerable(), make_tracker("nlu_fallback", "blorp the wibble"))
    said = re.search(r"Right now that's (.*) and (\d+) more\.", message["text"])
    assert said is not None, message["text"]
    assert len(said.group(1).split(", ")) == NAMED_INGREDIENTS
