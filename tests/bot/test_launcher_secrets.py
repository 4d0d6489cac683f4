"""The launcher keeps secrets off command lines and refuses an unauthenticated production REST channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.rasa_server import rasa_arguments
from bot.run import REPO_ROOT, Stack, StackConfigError, StackSettings


def settings(tmp_path: Path, **changes: object) -> StackSettings:
    base = StackSettings(runtime_dir=tmp_path / "runtime", tracker_sqlite_path=tmp_path / "c.sqlite",
                         extra_env={"REST_TOKEN": "", "WIDGET_SESSION_KEY": ""})
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_the_rasa_api_token_is_never_on_a_command_line(tmp_path: Path) -> None:
    secret = "api-token-that-must-not-show-in-ps"
    stack = Stack(settings(tmp_path, api_token=secret))
    rasa = stack.service("rasa server")
    assert "--enable-api" in rasa.argv
    assert not [arg for service in stack.services for arg in service.argv if secret in arg]
    assert rasa.env["RASA_API_TOKEN"] == secret
    # bot/rasa_server.py hands it to Rasa inside the process.
    assert rasa_arguments(["run", "--enable-api"], {"RASA_API_TOKEN": secret}) == [
        "run", "--enable-api", "--auth-token", secret]
    assert rasa_arguments(["run"], {"RASA_API_TOKEN": secret}) == ["run"]  # API off: no token needed


def test_every_server_of_one_run_shares_a_generated_widget_session_key(tmp_path: Path) -> None:
    stack = Stack(settings(tmp_path))
    keys = {service.env["WIDGET_SESSION_KEY"] for service in stack.services}
    assert len(keys) == 1 and len(keys.pop()) >= 32


def test_the_web_and_rasa_servers_of_one_run_share_a_generated_staff_relay_token(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFF_RELAY_TOKEN", raising=False)
    first, second = Stack(settings(tmp_path)), Stack(settings(tmp_path))
    tokens = {service.env["STAFF_RELAY_TOKEN"] for service in first.services}
    assert len(tokens) == 1
    token = tokens.pop()
    assert len(token) >= 32 and token != second.service("rasa server").env["STAFF_RELAY_TOKEN"]
    assert not [arg for service in first.services for arg in service.argv if token in arg]


def test_production_refuses_to_start_without_rest_token(tmp_path: Path) -> None:
    production = REPO_ROOT / "endpoints.production.yml"
    with pytest.raises(StackConfigError, match="REST_TOKEN") as refused:
        Stack(settings(tmp_path, endpoints=production))
    assert "secrets.token_urlsafe" in str(refused.value)  # says how to make one
    with_token = settings(tmp_path, endpoints=production)
    with_token.extra_env["REST_TOKEN"] = "r" * 40
    assert Stack(with_token).service("rasa server")
