"""The web server as a visitor and an operator see it: `python -m bot.web` and its pages."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

import bot.web.__main__ as web_command
from bot.run import free_port
from bot.web.server import WebSettings, WebSettingsError, missing_static_files
from tests.web.processes import REPO_ROOT, ServerProcess, python_module

PUBLIC_RASA = "https://chat.example.com"


def test_settings_default_to_the_local_demo() -> None:
    settings = WebSettings.from_env({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.rasa_public_url == "http://localhost:5005"
    assert settings.demo_url == "http://127.0.0.1:8080/"


def test_rasa_port_moves_the_default_public_url_and_all_hosts_print_localhost() -> None:
    settings = WebSettings.from_env({"RASA_PORT": "5006", "WEB_HOST": "0.0.0.0", "WEB_PORT": "9000"})
    assert settings.rasa_public_url == "http://localhost:5006"
    assert settings.demo_url == "http://localhost:9000/"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"WEB_PORT": "eighty"}, "WEB_PORT"),
        ({"WEB_PORT": "70000"}, "WEB_PORT"),
        ({"RASA_PORT": "-1"}, "RASA_PORT"),
        ({"RASA_PUBLIC_URL": "localhost:5005"}, "RASA_PUBLIC_URL"),
        ({"RASA_PUBLIC_URL": "javascript:alert(1)"}, "RASA_PUBLIC_URL"),
    ],
)
def test_unusable_settings_are_named_in_the_error(env: dict[str, str], named: str) -> None:
    with pytest.raises(WebSettingsError, match=named):
        WebSettings.from_env(env)


def test_command_refuses_a_bad_port_with_a_readable_message() -> None:
    result = subprocess.run(
        python_module("bot.web"),
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "WEB_PORT": "eighty"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "WEB_PORT must be a port number (1-65535), got 'eighty'" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_refuses_a_short_staff_token_naming_it() -> None:
    result = subprocess.run(
        python_module("bot.web"),
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "STAFF_TOKEN": "letmein", "WEB_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "STAFF_TOKEN is 7 characters long; it must be at least 32 characters" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ServerProcess]]:
    """`python -m bot.web` on a free port, pointing browsers at a public Rasa address."""
    port = free_port()
    server = ServerProcess(
        "web",
        python_module("bot.web"),
        ready_url=f"http://127.0.0.1:{port}/health",
        env={"WEB_PORT": str(port), "RASA_PUBLIC_URL": PUBLIC_RASA, "STAFF_TOKEN": ""},
        log_dir=Path(tmp_path_factory.mktemp("web")),
    ).start()
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.stop()


def test_command_prints_the_demo_address(web: tuple[str, ServerProcess]) -> None:
    url, server = web
    assert f"Skincare shop demo with the chat widget: {url}/" in server.log_tail()


def test_demo_page_embeds_the_widget_pointed_at_rasa(web: tuple[str, ServerProcess]) -> None:
    url, _ = web
    page = requests.get(f"{url}/", timeout=5)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assert f'<script src="/widget/chat.js" data-server-url="{PUBLIC_RASA}"' in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy  # no inline script can run on the demo page
    assert f"connect-src 'self' {PUBLIC_RASA} wss://chat.example.com" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in policy and page.headers["X-Frame-Options"] == "DENY"


def test_demo_page_footer_credits_the_eu_data(web: tuple[str, ServerProcess]) -> None:
    url, _ = web
    footer = requests.get(f"{url}/", timeout=5).text.split("<footer", 1)[1].split("</footer>", 1)[0]
    assert "CosIng, &copy; European Union" in footer and "2011/833/EU" in footer and "CC BY 4.0" in footer


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/widget/chat.js", "javascript"),
        ("/widget/chat.css", "text/css"),
        ("/widget/vendor/socket.io.min.js", "javascript"),
    ],
)
def test_widget_files_are_served_from_this_server(
    web: tuple[str, ServerProcess], path: str, content_type: str
) -> None:
    url, _ = web
    reply = requests.get(url + path, timeout=5)
    assert reply.status_code == 200
    assert content_type in reply.headers["Content-Type"]


@pytest.mark.parametrize("path", ["/nope", "/widget/../server.py", "/widget/%2e%2e/server.py", "/widget/"])
def test_unknown_or_escaping_paths_get_404_not_an_error(web: tuple[str, ServerProcess], path: str) -> None:
    url, _ = web
    reply = requests.get(url + path, timeout=5)
    assert reply.status_code == 404
    assert "create_web_app" not in reply.text


@pytest.mark.parametrize("path", ["/", "/health"])
def test_head_requests_get_the_headers_without_a_body(web: tuple[str, ServerProcess], path: str) -> None:
    url, _ = web
    reply = requests.head(url + path, timeout=5)
    assert reply.status_code == 200
    assert reply.content == b""
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_dashboard_blueprint_is_mounted(web: tuple[str, ServerProcess]) -> None:
    url, _ = web
    reply = requests.get(f"{url}/staff", timeout=5)
    # Without STAFF_TOKEN the dashboard answers that it is switched off: mounted, but closed.
    assert reply.status_code == 503
    assert "STAFF_TOKEN" in reply.text
    # The staff area's own policy wins over the web server's default (it used to be "same-origin").
    assert reply.headers["Referrer-Policy"] == "no-referrer" and reply.headers["X-Frame-Options"] == "DENY"


def test_command_refuses_to_start_without_the_socketio_client(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "chat.js").write_text("")
    (tmp_path / "chat.css").write_text("")
    assert missing_static_files(tmp_path) == ["vendor/socket.io.min.js"]
    monkeypatch.setattr(web_command, "missing_static_files", lambda: missing_static_files(tmp_path))
    monkeypatch.setenv("WEB_PORT", str(free_port()))

    def must_not_start(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server started without the socket.io client")

    monkeypatch.setattr(web_command, "create_web_app", must_not_start)

    assert web_command.main() == 2
    assert "vendor/socket.io.min.js): run `make widget`" in capsys.readouterr().err
