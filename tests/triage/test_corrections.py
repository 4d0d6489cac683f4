"""Corrections that teach (issue 14): urgency and topics changed with a reason, in the audit trail, and
false alarms / missed emergencies exported in the safety corpus's own format."""

from __future__ import annotations

import asyncio
import re

import pytest
import requests
import yaml

from bot.triage import agents
from bot.triage.__main__ import main as triage_cli
from bot.triage.recorder import Urgency, open_ticket, record_topics
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "corrections-token-" + "c" * 24
PASSWORD = "corrections pass 1"


@pytest.fixture
def agent(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()
    agents.create_agent("cleo@example.com", "Cleo", PASSWORD)
    browser = requests.Session()
    browser.post(f"{staff_server}/staff/login", data={"email": "cleo@example.com", "password": PASSWORD}, timeout=10)
    return staff_server, browser


def detail(base: str, ticket_id: int) -> dict:
    return requests.get(f"{base}/staff/api/tickets/{ticket_id}", headers={"Authorization": f"Bearer {TOKEN}"},
                        timeout=10).json()


def test_urgency_corrections_are_audited_and_exported_for_the_safety_corpus(agent, tmp_path, capsys):
    base, browser = agent
    false_alarm = asyncio.run(open_ticket("fa", urgency=Urgency.URGENT, reason="Red flag",
                                          question="I can't breathe how good this serum is", tags=["red_flag"]))
    missed = asyncio.run(open_ticket("me", urgency=Urgency.NORMAL, reason="Asked for a person",
                                     question="no i cant breathe", tags=["handoff"]))
    undone = asyncio.run(open_ticket("un", urgency=Urgency.URGENT, reason="Red flag", question="throat tight",
                                     tags=["red_flag"]))
    url = f"{base}/staff/tickets/{false_alarm}"
    csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get(url, timeout=10).text).group(1)

    def correct(ticket_id: int, **form: str) -> requests.Response:
        return browser.post(f"{base}/staff/tickets/{ticket_id}/urgency", data={"csrf": csrf, **form}, timeout=10)

    no_reason = correct(false_alarm, urgency="normal", reason=" ")
    assert no_reason.status_code == 400 and "why" in no_reason.text
    assert correct(false_alarm, urgency="normal", reason="praise, not a symptom", lang="en").status_code == 200
    no_kind = correct(missed, urgency="urgent", reason="breathing trouble")
    assert no_kind.status_code == 400 and "anaphylaxis" in no_kind.text
    correct(missed, urgency="urgent", reason="breathing trouble", kind="anaphylaxis", lang="en")
    correct(undone, urgency="high", reason="misread")
    correct(undone, urgency="urgent", reason="no, it was right", kind="anaphylaxis")

    fixed = detail(base, false_alarm)
    assert fixed["urgency"] == "normal"
    assert [(e["author"], e["action"], e["detail"]) for e in fixed["events"]] == [
        ("Cleo", "urgency", "urgent → normal: praise, not a symptom")]

    out = tmp_path / "corrections.yml"
    assert triage_cli(["export-corrections", "-o", str(out)]) == 0
    exported = yaml.safe_load(out.read_text())
    assert exported == {
        "emergencies": [{"text": "no i cant breathe", "kind": "anaphylaxis", "lang": "en"}],
        "near_misses": [{"text": "I can't breathe how good this serum is", "lang": "en"}],
    }
    corpus_line = '  - {text: "no i cant breathe", kind: anaphylaxis, lang: en}'
    assert corpus_line in out.read_text().splitlines()  # the corpus's own line shape


def test_topics_are_corrected_with_a_reason(agent):
    base, browser = agent
    ticket = asyncio.run(open_ticket("tg", urgency=Urgency.HIGH, reason="Reaction", question="rash after toner",
                                     tags=["reaction"]))
    asyncio.run(record_topics("tg", ["vegan"]))
    url = f"{base}/staff/tickets/{ticket}"
    csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get(url, timeout=10).text).group(1)
    browser.post(f"{url}/tags", data={"csrf": csrf, "tags": "reaction, fragrance", "reason": "not about vegan"},
                 timeout=10)
    fixed = detail(base, ticket)
    assert sorted(fixed["tags"]) == ["fragrance", "reaction"]
    assert fixed["events"][-1]["detail"] == "added fragrance; removed vegan: not about vegan"
