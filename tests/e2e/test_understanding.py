"""Issue 10 over REST against the real servers: questions answered for what was really asked, for the
person who asked it. Each turn checks the decided answer the reply carries (topic, verdict, disclaimer
kind, professional, what about the person was weighed) and only the words that are the behaviour."""

from __future__ import annotations

import pytest

from tests.e2e.test_conversations import UNKNOWN, Turn, run_conversation, turn
from tests.servers import RunningAssistant

pytestmark = pytest.mark.servers

GREETING = "skincare ingredient assistant"
GOODBYE = "Take care"

CONVERSATIONS: dict[str, list[Turn]] = {
    "nursing while using is a life-stage question": [
        turn("im nursing my 3 month old, can i put milk exosome serum on my face?", avoid=("sorry your skin",),
             disclaimer=True, topic="life_stage", verdict="no_known_risk", disclaimer_kind="life_stage",
             considered=["life_stage:breastfeeding"])],
    "pregnant while using is a life-stage question": [
        turn("What should I do if I become pregnant while using milk exosomes?", avoid=("sorry your skin",),
             disclaimer=True, topic="life_stage", verdict="no_known_risk", considered=["life_stage:pregnancy"])],
    "can't have dairy: allergy first, intolerance honestly unknown": [
        turn("I can't have dairy products, so are milk exosomes okay for me to use?", "milk protein allergy",
             avoid=("Suits most", "skin types"), disclaimer=True, topic="allergy", verdict="caution",
             considered=["intolerance:dairy products"])],
    "lactose intolerance is not an allergy": [
        turn("I'm lactose intolerant, can I use milk exosomes?", "intolerance", "isn't the same as an allergy",
             UNKNOWN, topic="allergy", considered=["intolerance:lactose"])],
    "avoiding dairy is a choice: where it comes from": [
        turn("I avoid dairy, are milk exosomes ok?", "cow", topic="diet", verdict="unknown",
             considered=["diet:dairy-free"])],
    "reacting to milk when eaten is not a reaction now": [
        turn("If my skin reacts poorly when I ingest milk products, will milk exosome skin care cause irritation?",
             "milk protein allergy", avoid=("sorry your skin", "Rinse the area"), topic="allergy",
             verdict="caution")],
    "side effects to expect": [
        turn("What side effects should I expect from milk exosomes?", "redness", disclaimer=True,
             topic="side_effects")],
    "breastfeeding then can I use it": [
        turn("I'm breastfeeding", "breastfeeding"),
        turn("can I use milk exosomes?", avoid=(UNKNOWN,), disclaimer=True, verdict="no_known_risk",
             considered=["life_stage:breastfeeding"])],
    "pregnant with a milk allergy asks about sensitive skin": [
        turn("I'm pregnant and allergic to milk protein", "pregnant", "milk protein"),
        turn("is milk exosomes good for sensitive skin?", "milk protein allergy", "sensitive skin", disclaimer=True,
             topic="suitability", verdict="caution", disclaimer_kind="allergy",
             considered=["allergy:milk protein", "skin_type:sensitive", "life_stage:pregnancy"])],
    "allergic to milk, said plainly, leads the answer": [
        turn("I'm pregnant and allergic to milk", "pregnant", "milk protein"),
        turn("is milk exosomes good for sensitive skin?", "milk protein allergy", disclaimer=True,
             topic="suitability", verdict="caution", disclaimer_kind="allergy",
             considered=["allergy:milk protein", "skin_type:sensitive", "life_stage:pregnancy"])],
    "allergic to milk exosomes is about the ingredient": [
        turn("I think I'm allergic to milk exosomes, what should I do?", "milk exosomes",
             avoid=("several kinds of",))],
    "safe for my baby is a children question": [
        turn("is milk exosomes safe for my baby?", "paediatrician", avoid=("No known risk",), disclaimer=True,
             topic="children", verdict="unknown", disclaimer_kind="children", professional="paediatrician")],
    "tretinoin is a medicines question": [
        turn("what are milk exosomes?", "lipids"),
        turn("can I use it with tretinoin?", "tretinoin", "pharmacist", disclaimer=True, topic="medicines",
             verdict="unknown", disclaimer_kind="medicines", professional="pharmacist",
             considered=["medicine:tretinoin"])],
    "my son has eczema": [
        turn("my son has eczema, can he use milk exosomes?", "dermatologist", disclaimer=True,
             topic="skin_condition", considered=["skin_condition:eczema", "life_stage:child"])],
    "an unknown named ingredient is named back": [
        turn("are milk exosomes vegan?", "may choose to avoid"),
        turn("what's the comedogenic rating of zinc unicornium?", UNKNOWN, "zinc unicornium",
             avoid=("Assuming you mean", "1/5"), kind="unknown_ingredient", ingredient="zinc unicornium")],
    "bare exosomes asks which": [
        turn("exosomes", "Which", "milk exosomes", avoid=("lipids",), kind="which_ingredient")],
    "small talk": [
        turn("Is anyone there?", GREETING), turn("moin", GREETING), turn("Salam", GREETING),
        turn("hey there", GREETING), turn("have a good day", GOODBYE), turn("good by", GOODBYE),
        turn("cheers, bye", GOODBYE)],
    "faithful sensitive-skin answer": [
        turn("are milk exosomes good for sensitive skin?", "very sensitive", "compromised", topic="suitability",
             verdict="yes")],
    "plural agreement": [
        turn("are milk exosomes vegan?", avoid=("It comes", "it comes"), verdict="caution"),
        turn("are milk exosomes good for oily skin?", "They feel light", avoid=("It feels",))],
    "patch test starts with yes": [turn("Should I patch test milk exosomes?", verdict="yes", topic="patch_test")],
    "results timing: the source doesn't say": [
        turn("How long until I see results from milk exosomes?", "doesn't say", topic="results_timing",
             verdict="unknown")],
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_issue_example(assistant: RunningAssistant, name: str) -> None:
    run_conversation(assistant, name, CONVERSATIONS[name])


def test_patch_test_reply_starts_with_a_plain_yes(assistant: RunningAssistant) -> None:
    assert assistant.send("patch-yes", "Should I patch test milk exosomes?")[0]["text"].startswith("Yes")
