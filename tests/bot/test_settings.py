"""The one settings module (bot/settings.py): every variable checked at once and named, defaults written once,
the README's tables in step with it, and no module reading the environment behind its back."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from bot import topology
from bot.run import StackSettings
from bot.settings import (
    VARIABLES,
    Settings,
    SettingsError,
    current_settings,
    load_settings,
    problems,
)
from bot.web.server import WebSettings

REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-value"  # noqa: S105 (a test value that must never appear in a message)


def test_nothing_set_gives_the_documented_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert (settings.rasa_port, settings.action_port, settings.web_port) == (5005, 5055, 8080)
    assert settings.staff_token is None and settings.action_server_token is None  # no default secrets
    assert settings.rasa_replica_ports == (5005, 5006) and settings.public_port == 8000
    # The servers, the launcher and the containers take their defaults from it, not from a copy.
    assert (WebSettings().port, StackSettings().web_port, topology.CONTAINER_PORTS["web"]) == (8080,) * 3
    assert StackSettings().rasa_port == settings.rasa_port and topology.CONTAINER_PORTS["rasa"] == settings.rasa_port


def test_values_are_read_as_their_types() -> None:
    settings = load_settings({
        "WEB_PORT": " 9000 ", "ACTION_TIMEOUT_SECONDS": "2.5", "ALERT_SMTP_HOST": "mail.internal",
        "ALERT_SMTP_TO": "a@example.com, b@example.com", "ALERT_SMTP_STARTTLS": "yes", "RETENTION_PURGE_HOURS": "0",
        "RASA_REPLICA_PORTS": "6005,6006", "WIDGET_ALLOWED_ORIGINS": "https://Shop.Example.com/, http://localhost:3000",
        "RASA_PUBLIC_URL": "https://chat.example.com/",
    })
    assert settings.web_port == 9000 and settings.action_timeout_seconds == 2.5
    assert settings.alert_smtp_to == ("a@example.com", "b@example.com") and settings.alert_smtp_starttls is True
    assert settings.retention_purge_hours == 0 and settings.rasa_replica_ports == (6005, 6006)
    assert settings.widget_allowed_origins == ("https://shop.example.com", "http://localhost:3000")
    assert settings.rasa_public_url == "https://chat.example.com"


def test_every_unusable_variable_is_named_at_once_with_what_was_given_and_expected() -> None:
    env = {
        "WEB_PORT": "abc", "RASA_PORT": "70000", "ACTION_TIMEOUT_SECONDS": "-1", "RASA_PUBLIC_URL": "localhost:5005",
        "LOG_FORMAT": "xml", "TICKET_TARGET_HIGH": "soon", "RASA_REPLICA_PORTS": "5005",
        "WEB_HOST": "127.0.0.1",  # fine: not mentioned
    }
    with pytest.raises(SettingsError) as raised:
        load_settings(env)
    found = raised.value.problems
    assert [line.split()[0] for line in found] == [
        "RASA_PORT", "WEB_PORT", "RASA_PUBLIC_URL", "ACTION_TIMEOUT_SECONDS", "LOG_FORMAT", "TICKET_TARGET_HIGH",
        "RASA_REPLICA_PORTS"]
    assert "WEB_PORT must be a port number (1-65535), got 'abc'" in found
    assert "RASA_PORT must be a port number (1-65535), got '70000'" in found
    assert any(line.startswith("ACTION_TIMEOUT_SECONDS must be a positive number") and "'-1'" in line for line in found)
    assert "WEB_HOST" not in str(raised.value)
    assert str(raised.value).count("\n  - ") == len(found) - 1  # one line per variable


def test_secrets_and_urls_that_may_hold_passwords_are_never_echoed() -> None:
    env = {"STAFF_TOKEN": SECRET, "WIDGET_SESSION_KEY": SECRET, "SKINCARE_DB_URL": f"nonsense {SECRET}",
           "CHAT_LIMITS_REDIS_URL": f"redis-host:6379 {SECRET}", "ALERT_WEBHOOK_URL": f"hooks/{SECRET}"}
    found = problems(env)
    assert {line.split()[0] for line in found} == set(env)
    assert any(line.startswith(f"STAFF_TOKEN is {len(SECRET)} characters long; it must be at least 32 characters")
               for line in found)
    assert not any(SECRET in line for line in found)


def test_a_program_names_what_it_requires() -> None:
    found = problems({"REST_TOKEN": " "}, required=["ACTION_SERVER_TOKEN", "REST_TOKEN"])
    assert [line.split()[0] for line in found] == ["ACTION_SERVER_TOKEN", "REST_TOKEN"]
    assert all(" is not set: expected " in line for line in found)
    assert problems({"ACTION_SERVER_TOKEN": "x" * 32}, required=["ACTION_SERVER_TOKEN"]) == []
    with pytest.raises(KeyError, match="NOT_A_SETTING"):
        problems({}, required=["NOT_A_SETTING"])


def test_variables_that_go_together_are_checked_together() -> None:
    assert problems({"ALERT_SMTP_HOST": "mail.internal"}) == [
        "ALERT_SMTP_HOST is set but ALERT_SMTP_TO is empty: expected the addresses alerts go to"]


def test_the_process_settings_are_read_once_and_again_only_after_a_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_PORT", "9100")
    first = current_settings()
    assert first.web_port == 9100 and current_settings() is first  # not read again
    monkeypatch.setenv("WEB_PORT", "9101")
    assert current_settings().web_port == 9101
    monkeypatch.setenv("WEB_PORT", "port")
    with pytest.raises(SettingsError, match="WEB_PORT must be a port number"):
        current_settings()


def test_every_setting_says_its_variable_and_what_it_does_in_one_line() -> None:
    assert len(VARIABLES) == len(fields(Settings))  # no variable read by two fields
    for variable, spec in VARIABLES.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", variable), variable
        assert spec.metadata["doc"] and "\n" not in spec.metadata["doc"], variable


# ---------------------------------------------------------------- the README's tables


def _readme_rows() -> dict[str, str]:
    """Each variable named in a README table whose first column is "variable", with its row."""
    rows: dict[str, str] = {}
    in_table = False
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| variable"):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
        elif in_table:
            first = line.split("|")[1]
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", first):
                rows[name] = line
    return rows


def test_the_readme_tables_list_exactly_the_settings() -> None:
    rows = _readme_rows()
    assert sorted(set(VARIABLES) - set(rows)) == [], "settings missing from README's variable tables"
    assert sorted(set(rows) - set(VARIABLES)) == [], "README lists variables bot/settings.py does not read"


def _shown(default: object) -> str | None:
    if isinstance(default, bool) or default is None or default == ():
        return None
    if isinstance(default, tuple):
        return ",".join(map(str, default))
    if isinstance(default, float):
        return f"{default:g}"
    return str(default)


def test_the_readme_gives_each_default_in_the_variables_row() -> None:
    rows = _readme_rows()
    for variable, spec in VARIABLES.items():
        shown = _shown(spec.default)
        if shown is not None:
            assert re.search(rf"(?<![\w.]){re.escape(shown)}(?![\w.])", rows[variable]), (variable, shown)


# ---------------------------------------------------------------- no reads behind the module's back

SCANNED = ("bot", "actions", "knowledge")
#: Benchmarks have their own command-line options; the settings module is the one reader.
EXEMPT = ("bot/settings.py", "bot/bench/", "knowledge/bench.py")


def _environment_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module reads a variable itself: os.getenv, os.environ.get / [...], or any .get("NAME") /
    ["NAME"] of a setting's variable. Handing the whole environment on (to a child process) is not a read."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = ast.unparse(func)
            if name in ("os.getenv", "getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"):
                found.append((node.lineno, name))
            elif (isinstance(func, ast.Attribute) and func.attr in ("get", "pop", "setdefault") and node.args
                  and isinstance(node.args[0], ast.Constant) and node.args[0].value in VARIABLES):
                found.append((node.lineno, f"{name}({node.args[0].value!r})"))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if ast.unparse(node.value) == "os.environ":
                found.append((node.lineno, ast.unparse(node)))
            elif isinstance(node.slice, ast.Constant) and node.slice.value in VARIABLES:
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_no_module_reads_a_setting_from_the_environment_itself() -> None:
    offenders = []
    for root in SCANNED:
        for path in sorted((REPO / root).rglob("*.py")):
            relative = path.relative_to(REPO).as_posix()
            if relative.startswith(EXEMPT):
                continue
            for line, what in _environment_reads(ast.parse(path.read_text(encoding="utf-8"))):
                offenders.append(f"{relative}:{line}: {what}")
    assert offenders == [], "read settings through bot/settings.py instead:\n" + "\n".join(offenders)


def test_the_guard_sees_the_reads_it_forbids() -> None:
    source = '''
import os
a = os.environ.get("ANYTHING")
b = os.getenv("X")
c = os.environ["HOME"]
d = env.get("WEB_PORT", "8080")
e = env["STAFF_TOKEN"]
child = dict(os.environ)
child["WEB_PORT"] = "1"
'''
    assert [line for line, _ in _environment_reads(ast.parse(source))] == [3, 4, 5, 6, 7]


# ---------------------------------------------------------------- each server checks at start


@pytest.mark.parametrize("command", [
    ["bot.web"],
    ["bot.action_server"],
    ["bot.run", "--check"],
    ["bot.rasa_server", "run"],
])
def test_each_server_refuses_to_start_naming_every_bad_variable(command: list[str]) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "WEB_PORT": "abc", "STAFF_TOKEN": "short",  # noqa: S108
           "RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-m", *command], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "WEB_PORT must be a port number (1-65535), got 'abc'" in done.stderr
    assert "STAFF_TOKEN is 5 characters long" in done.stderr and "short" not in done.stderr
    if command[0] == "bot.action_server":
        assert "ACTION_SERVER_TOKEN is not set" in done.stderr  # what this server requires, in the same list
    assert "Traceback" not in done.stderr


def test_the_makefile_repeats_no_default() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assigned = set(re.findall(r"^(?:export\s+)?([A-Z][A-Z0-9_]+)\s*[:?+]?=", makefile, flags=re.M))
    assert sorted(assigned & set(VARIABLES)) == [], "defaults live in bot/settings.py; make passes given values on"
