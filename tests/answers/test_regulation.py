"""Deciding and wording what EU rules say, from annex entries (no servers, no store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.answers.regulation import decide_labelled_allergens, decide_not_listed, decide_regulation
from bot.answers.render import render
from bot.answers.topics import Topic
from knowledge.annexes.facts import ATTRIBUTION, Annex, AnnexEntry

ENTRY = AnnexEntry(
    annex=Annex.III, reference="99z", chemical_name="Examplium salts", inci_names=("EXAMPLIUM",), cas_numbers=(),
    ec_numbers=(), identified_ingredients=(), product_types="(a) Hair products\n(b) Nail products",
    max_concentration="(a) 2 %\n(b) 5 %", other_conditions=None, warnings="Avoid contact with eyes",
    colour=None, regulation="(EU) 2099/1", updated=date(2020, 3, 4), labelled_allergen=False,
    source_file="annex_III.csv", source_line=42,
)


def test_a_restricted_entry_gives_every_condition_and_its_source() -> None:
    answer = render(decide_regulation("examplium", [ENTRY], Topic.REGULATION))
    assert answer.text.startswith("EU rules say")
    assert "Where: (a) Hair products; (b) Nail products." in answer.text
    assert "Maximum concentration in the ready-to-use product: (a) 2 %; (b) 5 %." in answer.text
    assert "to be printed on the label: Avoid contact with eyes." in answer.text
    assert (f"Source: {ATTRIBUTION}, Annex III entry 99z of Regulation (EC) No 1223/2009, entry updated "
            "4 March 2020.") in answer.text
    assert answer.data["verdict"] == "caution" and answer.data["regulation"]["status"] == "restricted"


@pytest.mark.parametrize(("annexes", "status", "verdict"), [
    ((Annex.II,), "prohibited", "no"),
    ((Annex.II, Annex.III), "restricted", "caution"),
    ((Annex.V,), "allowed", "yes"),
    ((Annex.IV, Annex.VI), "allowed", "yes"),
])
def test_the_status_follows_the_annexes(annexes: tuple[Annex, ...], status: str, verdict: str) -> None:
    entries = [replace(ENTRY, annex=annex) for annex in annexes]
    data = render(decide_regulation("examplium", entries, Topic.REGULATION)).data
    assert (data["regulation"]["status"], data["verdict"]) == (status, verdict)
    assert data["regulation"]["roles"] == [annex.role.value for annex in annexes]


def test_a_topic_the_annexes_do_not_cover_is_an_honest_no_then_the_short_eu_answer() -> None:
    answer = render(decide_regulation("examplium", [replace(ENTRY, labelled_allergen=True)], Topic.COMEDOGENIC))
    assert answer.text.startswith("I have no verified information on examplium's effect on pores")
    assert "must be named in the ingredient list" in answer.text and ATTRIBUTION in answer.text
    assert "Maximum concentration" not in answer.text  # the short version: status, label duty, source
    assert answer.data["verdict"] == "unknown" and "knowledge_gap" in answer.tags
    assert [b.title for b in answer.buttons] == ["What do EU rules say?", "Talk to a person"]


def test_not_listed_and_not_loaded_are_said_plainly() -> None:
    assert "found no entry for bakuchiol" in render(decide_not_listed("bakuchiol", Topic.REGULATION)).text
    empty = render(decide_labelled_allergens([], None))
    assert "don't have the EU annex data" in empty.text and "0" not in empty.text


def test_the_allergen_list_names_each_once_with_the_annex_date() -> None:
    entries = [replace(ENTRY, inci_names=(name,), labelled_allergen=True) for name in ("Beta", "alpha", "Beta")]
    answer = render(decide_labelled_allergens(entries, date(2026, 8, 28)))
    assert "EU rules list 2 fragrance allergens" in answer.text and "alpha and Beta" in answer.text
    assert "last updated 28 August 2026" in answer.text
