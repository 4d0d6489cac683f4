"""The REST channel refuses malformed requests with a clear 400 and keeps conversations apart."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.channels.rest import MAX_MESSAGE_CHARS, request_problem
from tests.servers import RunningAssistant


def post(assistant: RunningAssistant, body: bytes) -> tuple[int, object]:
    request = urllib.request.Request(assistant.rest_url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 (loopback)
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], "expected a JSON object"),
        ({"message": "hi"}, '"sender" is required'),
        ({"sender": "  ", "message": "hi"}, '"sender" is required'),
        ({"sender": "x" * 200, "message": "hi"}, '"sender" is too long'),
        ({"sender": "a"}, '"message" is required'),
        ({"sender": "a", "message": 123}, '"message" is required and must be a string'),
        ({"sender": "a", "message": "x" * (MAX_MESSAGE_CHARS + 1)}, '"message" is too long'),
        ({"sender": "a", "message": "hi", "metadata": "zzz"}, '"metadata"'),
    ],
)
def test_request_problems_are_named(body: object, expected: str) -> None:
    assert expected in (request_problem(body) or "")


def test_a_good_request_has_no_problem() -> None:
    assert request_problem({"sender": "a", "message": "", "metadata": {"page": "/"}}) is None


@pytest.mark.servers
@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"message": "hi"}', b'{"sender": "x", "message": 123}',
     json.dumps({"sender": "x", "message": "a" * 100_000}).encode()],
)
def test_the_running_channel_answers_malformed_requests_with_400(assistant: RunningAssistant, body: bytes) -> None:
    status, reply = post(assistant, body)
    assert status == 400
    assert isinstance(reply, dict) and reply["error"]


@pytest.mark.servers
def test_the_running_channel_still_answers_good_requests(assistant: RunningAssistant) -> None:
    status, reply = post(assistant, json.dumps({"sender": "rest-ok", "message": "are milk exosomes vegan?"}).encode())
    assert status == 200
    assert "may choose to avoid" in reply[0]["text"]
    assert reply[0]["answer"]["topic"] == "diet"  # the decided answer rides along as data
