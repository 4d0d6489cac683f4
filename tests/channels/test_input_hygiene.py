"""Edge checks every channel applies: control characters out, safe sender ids, small shallow metadata."""

from __future__ import annotations

import time

import pytest

from bot.channels.input_hygiene import (
    MAX_METADATA_DEPTH,
    clean_metadata,
    clean_text,
    is_blank,
    metadata_problem,
    sender_id_problem,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("are milk exosomes vegan?", "are milk exosomes vegan?"),
        ("NUL\x00 inside", "NUL inside"),
        ("ESC \x1b[31mred\x1b[0m", "ESC [31mred[0m"),
        ("C1 \x85next \x9b", "C1 next "),
        ("bidi \u202eevil\u202c and \u2066isolate\u2069", "bidi evil and isolate"),
        ("lone \ud800 surrogate \udfff", "lone  surrogate "),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("crlf\r\n", "crlf\n"),
        ("émoji 😀 and Arabic مرحبا stay", "émoji 😀 and Arabic مرحبا stay"),
    ],
)
def test_control_characters_are_removed_and_ordinary_text_kept(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_a_message_of_only_invisible_characters_is_blank() -> None:
    assert is_blank(clean_text("\x00\u202e \ud800\t"))
    assert not is_blank(clean_text("hi\x00"))


@pytest.mark.parametrize("sender", ["user-123", "whatsapp:+447700900123", "a.b@c", "web-" + "a" * 32])
def test_ordinary_sender_ids_are_accepted(sender: str) -> None:
    assert sender_id_problem(sender) is None


@pytest.mark.parametrize(
    "sender", ["", "x" * 129, "a\x00b", "a\nb", "a\x1b[2Jb", "a\u200fb", "a\u202eb", "a b", "-leading", "ü"]
)
def test_sender_ids_outside_the_safe_alphabet_are_refused(sender: str) -> None:
    assert sender_id_problem(sender)


def test_metadata_must_be_a_small_shallow_object() -> None:
    assert metadata_problem(None) is None
    assert metadata_problem({"page": "/shop", "tags": ["a", 1]}) is None
    assert "JSON object" in (metadata_problem([1, 2]) or "")
    deep: dict = {}
    node = deep
    for _ in range(5000):  # deeper than the JSON encoder's recursion limit: checked without recursion
        node["a"] = {}
        node = node["a"]
    assert "deeper" in (metadata_problem(deep) or "")
    just_deep_enough: dict = {}
    node = just_deep_enough
    for _ in range(MAX_METADATA_DEPTH - 1):
        node["a"] = {}
        node = node["a"]
    assert metadata_problem(just_deep_enough) is None
    assert "larger" in (metadata_problem({"blob": "x" * 10_000}) or "")


def test_metadata_strings_and_keys_are_cleaned() -> None:
    assert clean_metadata({"pa\x00ge": ["\u202e/shop\x1b", 3, None]}) == {"page": ["/shop", 3, None]}


def test_the_checks_cost_about_a_microsecond_per_message() -> None:
    message = "I have oily skin and I'm breastfeeding, are milk exosomes safe for me to use every day?"
    rounds = 20_000
    began = time.perf_counter()
    for _ in range(rounds):
        clean_text(message)
        is_blank(message)
        sender_id_problem("web-0123456789abcdef0123456789abcdef")
    per_message_us = (time.perf_counter() - began) / rounds * 1e6
    print(f"\ninput hygiene: {per_message_us:.2f} µs per message")  # a figure, not a timing assertion
    assert clean_text(message) is message  # the usual case makes no copy
