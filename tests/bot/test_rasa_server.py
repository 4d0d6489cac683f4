"""The Rasa speed fix keeps Rasa's validation of action-server responses exactly as strict."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import install_action_response_validator


@pytest.fixture
def remote_action() -> RemoteAction:
    original = RemoteAction._validate_action_result
    install_action_response_validator()
    try:
        yield RemoteAction("action_answer_ingredient_question", None)
    finally:
        RemoteAction._validate_action_result = original  # type: ignore[method-assign]


def test_valid_responses_pass(remote_action: RemoteAction) -> None:
    response = {"events": [{"event": "slot", "name": "ingredient", "value": "milk exosomes"}],
                "responses": [{"text": "No: milk exosomes aren't vegan."}]}
    assert remote_action._validate_action_result(response) is True


def test_invalid_responses_still_raise_rasas_error(remote_action: RemoteAction) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"responses": "nope"})
