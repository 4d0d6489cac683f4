"""Nobody let in: Rasa's HTTP API is off without a token, the action server listens on loopback only."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.run import Stack, StackSettings
from tests.servers import RunningAssistant


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:  # noqa: S310 (loopback)
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.servers
def test_rasa_http_api_is_not_exposed_without_a_token(assistant: RunningAssistant) -> None:
    assert status_of(f"{assistant.rasa_url}/status") == 404
    assert status_of(f"{assistant.rasa_url}/conversations/someone/tracker") == 404
    assert status_of(f"{assistant.rasa_url}/webhooks/rest/") == 200


@pytest.mark.servers
def test_action_server_listens_on_loopback_only(assistant: RunningAssistant) -> None:
    port = int(assistant.action_url.rsplit(":", 1)[1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                listening.append(address)
    assert listening, "action server not listening"
    assert all(a in ("0100007F", "00000000000000000000000001000000") for a in listening), listening


def test_api_needs_a_token_and_hosts_default_to_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    plain = Stack(StackSettings(runtime_dir=tmp_path))
    rasa = plain.service("rasa server")
    assert "--enable-api" not in rasa.argv
    assert rasa.argv[rasa.argv.index("--interface") + 1] == "127.0.0.1"
    assert plain.service("action server").env["ACTION_SERVER_HOST"] == "127.0.0.1"
    with_token = Stack(StackSettings(runtime_dir=tmp_path, api_token="a-long-random-token"))
    argv = with_token.service("rasa server").argv
    assert argv[argv.index("--enable-api") + 1 : argv.index("--enable-api") + 3] == ["--auth-token",
                                                                                     "a-long-random-token"]
