"""Widget session tokens: only the server can make one, and it proves one conversation until it expires."""

from __future__ import annotations

import pytest

from bot.channels.widget_sessions import SessionConfigError, WidgetSessions

KEY = b"0123456789abcdef0123456789abcdef"


def test_a_token_proves_its_conversation_until_it_expires() -> None:
    sessions = WidgetSessions(KEY, lifetime_seconds=3600)
    session_id = sessions.new_id()
    assert session_id.startswith("web-") and len(session_id) == 36
    token = sessions.token_for(session_id, now=1000.0)
    assert sessions.verify(token, now=1000.0) == session_id
    assert sessions.verify(token, now=4599.0) == session_id
    assert sessions.verify(token, now=4601.0) is None


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace(t.split(".")[0], "web-" + "0" * 32),  # another conversation's id
    lambda t: t.rsplit(".", 1)[0] + ".ffffffff." + t.rsplit(".", 1)[1],  # a later expiry
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # a changed signature
    lambda t: t.split(".")[0],  # the id alone
    lambda t: "",
    lambda t: t + "\ud800",
    lambda t: None,
])
def test_forged_or_altered_tokens_prove_nothing(mangle) -> None:  # noqa: ANN001
    sessions = WidgetSessions(KEY, lifetime_seconds=3600)
    token = sessions.token_for(sessions.new_id(), now=0.0)
    assert sessions.verify(mangle(token), now=1.0) is None


def test_another_key_does_not_accept_the_token() -> None:
    token = WidgetSessions(KEY, 3600).token_for("web-" + "a" * 32, now=0.0)
    assert WidgetSessions(b"x" * 32, 3600).verify(token, now=1.0) is None


def test_settings_from_the_environment() -> None:
    sessions = WidgetSessions.from_env({"WIDGET_SESSION_KEY": "k" * 32, "WIDGET_SESSION_HOURS": "2"})
    assert sessions.lifetime_seconds == 7200
    assert WidgetSessions.from_env({}).lifetime_seconds == 24 * 3600  # key made at start
    with pytest.raises(SessionConfigError, match="at least 32"):
        WidgetSessions.from_env({"WIDGET_SESSION_KEY": "short"})
    with pytest.raises(SessionConfigError, match="WIDGET_SESSION_HOURS"):
        WidgetSessions.from_env({"WIDGET_SESSION_HOURS": "-1"})
