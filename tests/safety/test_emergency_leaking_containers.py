"""\"Leaking\" alone is skin weeping after a peel; a bottle, tube or parcel that leaks is a shop question (found while
tuning understanding: "I received my package and a product is defective, broken or leaking" got the emergency reply).
Messages written for this test, not taken from the corpus."""

from __future__ import annotations

import pytest

from bot.safety.emergency import EmergencyKind, SafetyVerdict, assess_message


@pytest.mark.parametrize("text", [
    "my serum bottle is leaking",
    "the product arrived broken and leaking, can I get a refund?",
    "the tube was leaking all over my bag",
    "the pump on the cleanser keeps leaking",
    "my order came with a leaking jar of moisturiser",
])
def test_a_leaking_container_is_not_an_emergency(text: str) -> None:
    assert assess_message(text).verdict is SafetyVerdict.NONE


@pytest.mark.parametrize("text", [
    "its leaking and raw after the peel",
    "after the peel my cheeks are leaking",
    "my skin is leaking fluid after the acid mask",
    "the peel bottle leaked on my face and now my skin is leaking and raw",
])
def test_skin_that_leaks_is_still_a_burn(text: str) -> None:
    assessment = assess_message(text)
    assert (assessment.verdict, assessment.kind) == (SafetyVerdict.EMERGENCY, EmergencyKind.BURN)
