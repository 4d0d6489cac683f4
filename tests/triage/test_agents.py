"""Staff accounts (issue 14): scrypt-hashed passwords, the first admin made with STAFF_TOKEN, agents made
by an admin or on the command line, roles, switched-off accounts, and an audit trail naming who did what."""

from __future__ import annotations

import asyncio
import io
import re

import pytest
import requests

from bot.triage import agents
from bot.triage.__main__ import main as triage_cli
from bot.triage.recorder import Urgency, open_ticket
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "agents-test-token-" + "a" * 24
ADMIN_PASSWORD = "correct horse battery"
AGENT_PASSWORD = "agent password 123"


@pytest.fixture
def staff(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()
    return staff_server


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(base: str, email: str, password: str) -> requests.Session:
    browser = requests.Session()
    reply = browser.post(f"{base}/staff/login", data={"email": email, "password": password}, timeout=10)
    assert reply.status_code == 200 and "Tickets" in reply.text, reply.text
    return browser


def test_passwords_are_kept_as_salted_scrypt_hashes():
    stored = agents.hash_password(ADMIN_PASSWORD)
    assert stored.startswith("scrypt$") and ADMIN_PASSWORD not in stored
    assert stored != agents.hash_password(ADMIN_PASSWORD)  # a new salt every time
    assert agents.password_matches(ADMIN_PASSWORD, stored)
    assert not agents.password_matches(ADMIN_PASSWORD + "!", stored)
    assert not agents.password_matches(ADMIN_PASSWORD, "md5$abc")


def test_the_first_admin_is_made_with_the_token_then_the_token_no_longer_opens_the_dashboard(staff):
    login_form = requests.get(f"{staff}/staff", timeout=10).text
    assert 'name="token"' in login_form and "first admin" in login_form
    setup = requests.Session()
    assert setup.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10).status_code == 200
    accounts_page = setup.get(f"{staff}/staff/agents", timeout=10).text
    assert "Create the first admin" in accounts_page
    made = setup.post(f"{staff}/staff/agents", timeout=10, data={
        "csrf": csrf_of(accounts_page), "email": "Ada@Example.com", "display_name": "Ada",
        "password": ADMIN_PASSWORD, "role": "agent"})
    assert made.status_code == 200 and "First admin created" in made.text
    assert [(a.email, a.role.value) for a in agents.list_agents()] == [("ada@example.com", "admin")]

    login_form = requests.get(f"{staff}/staff", timeout=10).text
    assert 'name="email"' in login_form and 'name="token"' not in login_form
    refused = requests.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10, allow_redirects=False)
    assert refused.status_code == 401 and "own account" in refused.text
    wrong = requests.post(f"{staff}/staff/login", data={"email": "ada@example.com", "password": "nope" * 4},
                          timeout=10, allow_redirects=False)
    assert wrong.status_code == 401 and "Set-Cookie" not in wrong.headers
    admin = sign_in(staff, "ada@example.com", ADMIN_PASSWORD)
    assert "Ada" in admin.get(f"{staff}/staff", timeout=10).text
    # The API keeps taking the token.
    assert requests.get(f"{staff}/staff/api/tickets", headers={"Authorization": f"Bearer {TOKEN}"},
                        timeout=10).status_code == 200


def test_an_admin_adds_agents_who_cannot_manage_accounts_and_can_be_switched_off(staff):
    agents.create_agent("ada@example.com", "Ada", ADMIN_PASSWORD, "admin")
    admin = sign_in(staff, "ada@example.com", ADMIN_PASSWORD)
    accounts_page = admin.get(f"{staff}/staff/agents", timeout=10).text
    form = {"csrf": csrf_of(accounts_page), "email": "ben@example.com", "display_name": "Ben",
            "password": AGENT_PASSWORD, "role": "agent"}
    assert admin.post(f"{staff}/staff/agents", data=form, timeout=10).status_code == 200
    again = admin.post(f"{staff}/staff/agents", data=form, timeout=10)
    assert again.status_code == 400 and "already an account" in again.text
    short = admin.post(f"{staff}/staff/agents", data={**form, "email": "c@example.com", "password": "short"},
                       timeout=10)
    assert short.status_code == 400 and str(agents.MIN_PASSWORD_CHARS) in short.text

    ben = sign_in(staff, "ben@example.com", AGENT_PASSWORD)
    assert ben.get(f"{staff}/staff/agents", timeout=10).status_code == 403
    ben_id = next(a.id for a in agents.list_agents() if a.email == "ben@example.com")
    admin.post(f"{staff}/staff/agents/{ben_id}/active", data={"csrf": csrf_of(accounts_page), "active": "0"},
               timeout=10)
    assert 'name="password"' in ben.get(f"{staff}/staff", timeout=10).text  # signed out at once
    off = requests.post(f"{staff}/staff/login", data={"email": "ben@example.com", "password": AGENT_PASSWORD},
                        timeout=10, allow_redirects=False)
    assert off.status_code == 401
    ada_id = next(a.id for a in agents.list_agents() if a.email == "ada@example.com")
    last = admin.post(f"{staff}/staff/agents/{ada_id}/active", data={"csrf": csrf_of(accounts_page), "active": "0"},
                      timeout=10)
    assert last.status_code == 400 and "last active admin" in last.text


def test_assignment_status_and_notes_are_recorded_with_their_author(staff, tracker_db):
    agents.create_agent("ada@example.com", "Ada Admin", ADMIN_PASSWORD, "admin")
    ben_id = agents.create_agent("ben@example.com", "Ben Agent", AGENT_PASSWORD).id
    ticket_id = asyncio.run(open_ticket("audit-1", urgency=Urgency.URGENT, reason="Red flag",
                                        question="my lips are swelling", tags=["red_flag"]))
    ben = sign_in(staff, "ben@example.com", AGENT_PASSWORD)
    url = f"{staff}/staff/tickets/{ticket_id}"
    csrf = csrf_of(ben.get(url, timeout=10).text)
    ben.post(f"{url}/assign", data={"csrf": csrf, "agent": "me"}, timeout=10)
    ben.post(f"{url}/status", data={"csrf": csrf, "status": "in_progress"}, timeout=10)
    ben.post(f"{url}/notes", data={"csrf": csrf, "text": "Called, advised emergency care."}, timeout=10)
    requests.patch(f"{staff}/staff/api/tickets/{ticket_id}", json={"status": "resolved"}, timeout=10,
                   headers={"Authorization": f"Bearer {TOKEN}"})

    detail = requests.get(f"{staff}/staff/api/tickets/{ticket_id}", timeout=10,
                          headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert detail["assigned_agent_id"] == ben_id and detail["assignee"] == "Ben Agent"
    assert [(e["author"], e["action"]) for e in detail["events"]] == [
        ("Ben Agent", "assign"), ("Ben Agent", "status"), ("Ben Agent", "note"), ("API (staff token)", "status")]
    assert detail["events"][1]["detail"] == "open → in_progress" and all(e["at"] for e in detail["events"])
    assert detail["notes"][0]["author"] == "Ben Agent"
    page = ben.get(url, timeout=10).text
    assert "Ben Agent" in page and "in_progress → resolved" in page
    listing = ben.get(f"{staff}/staff", params={"status": "all"}, timeout=10).text
    assert "Ben Agent" in listing
    bad = ben.post(f"{url}/assign", data={"csrf": csrf, "agent": "999"}, timeout=10)
    assert bad.status_code == 400 and "no active agent" in bad.text


def test_agents_are_added_and_listed_on_the_command_line(triage_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSWORD + "\n"))
    assert triage_cli(["agents", "add", "--email", "ops@example.com", "--name", "Ops", "--role", "admin",
                       "--password-stdin"]) == 0
    assert agents.authenticate("OPS@example.com", ADMIN_PASSWORD).role == agents.AgentRole.ADMIN
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert triage_cli(["agents", "add", "--email", "x@example.com", "--name", "X", "--password-stdin"]) == 2
    assert "at least" in capsys.readouterr().err
    assert triage_cli(["agents", "list"]) == 0
    listed = capsys.readouterr().out
    assert "ops@example.com" in listed and "x@example.com" not in listed
