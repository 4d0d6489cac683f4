"""The staff API and pages over real HTTP: access control, filters, status changes, notes, CSV, escaping."""

from __future__ import annotations

import asyncio
import csv
import io
import re

import pytest
import requests

from bot.triage.models import MAX_NOTE_CHARS
from bot.triage.recorder import Urgency, open_ticket, record_knowledge_gap, record_topics
from tests.triage.conftest import STAFF_LOGIN_THROTTLE

TOKEN = "test-staff-token-" + "x" * 20  # set per test through the environment, never in the repo config


@pytest.fixture
def staff(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    STAFF_LOGIN_THROTTLE.clear()  # each test starts with no wrong tokens counted against 127.0.0.1
    return staff_server


def api(base: str, method: str, path: str, token: str | None = TOKEN, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{base}/staff/api{path}", headers=headers, timeout=10, **kwargs)


def seed(tracker_db) -> dict[str, int]:
    tracker_db.add_user("pregnant-person", "is retinol ok while pregnant?")
    tracker_db.add_bot("pregnant-person", "Here is what is known about retinol in pregnancy.", ["Talk to a person"])
    tracker_db.add_action("pregnant-person", "action_answer_ingredient_question")
    tracker_db.add_user("pregnant-person", "I want to talk to a person", intent="request_human")

    async def record():
        await record_topics("pregnant-person", ["pregnancy"])
        handoff = await open_ticket("pregnant-person", urgency=Urgency.HIGH, reason="Asked to talk to a person",
                                    question="is retinol ok while pregnant?", tags=["handoff"],
                                    contact_email="p@example.com")
        urgent = await open_ticket("swollen", urgency=Urgency.URGENT, reason="Red flag: anaphylaxis",
                                   question="my throat feels tight", tags=["red_flag"])
        formula = await open_ticket("csv", urgency=Urgency.NORMAL, reason="r", question="=HYPERLINK(\"x\")",
                                    tags=["out_of_scope"])
        await record_knowledge_gap("c1", question="what is zorbium", ingredient="zorbium")
        await record_knowledge_gap("c2", question="zorbium vegan?", ingredient="zorbium")
        await record_knowledge_gap("c3", question="=cmd|' /C calc'!A0", ingredient=None)
        return {"handoff": handoff, "urgent": urgent, "formula": formula}

    return asyncio.run(record())


# ---- access ------------------------------------------------------------------------------------------

def test_without_staff_token_everything_answers_503_and_says_how_to_enable(staff_server, triage_db, monkeypatch):
    monkeypatch.delenv("STAFF_TOKEN", raising=False)
    for response in (api(staff_server, "GET", "/tickets"), api(staff_server, "GET", "/gaps.csv", token=None)):
        assert response.status_code == 503
        assert "STAFF_TOKEN" in response.json()["error"]
    page = requests.get(f"{staff_server}/staff", timeout=10)
    assert page.status_code == 503 and "STAFF_TOKEN" in page.text and "<form" not in page.text


@pytest.mark.parametrize("token", [None, "wrong-token", TOKEN + "x", TOKEN[:-1]])
def test_api_refuses_missing_or_wrong_tokens(staff, token):
    response = api(staff, "GET", "/tickets", token=token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "tickets" not in response.json()
    assert api(staff, "PATCH", "/tickets/1", token=token, json={"status": "resolved"}).status_code == 401
    assert api(staff, "GET", "/tickets.csv", token=token).status_code == 401


def test_api_refuses_other_authorization_schemes(staff):
    response = requests.get(f"{staff}/staff/api/tickets", headers={"Authorization": f"Basic {TOKEN}"}, timeout=10)
    assert response.status_code == 401


# ---- tickets -----------------------------------------------------------------------------------------

def test_ticket_list_filters_by_tag_and_status(staff, tracker_db):
    ids = seed(tracker_db)
    everything = api(staff, "GET", "/tickets").json()["tickets"]
    assert [t["id"] for t in everything] == [ids["urgent"], ids["handoff"], ids["formula"]]
    pregnancy = api(staff, "GET", "/tickets", params={"tag": "pregnancy"}).json()["tickets"]
    assert [(t["id"], t["contact_email"]) for t in pregnancy] == [(ids["handoff"], "p@example.com")]
    assert sorted(pregnancy[0]["tags"]) == ["handoff", "pregnancy"]

    api(staff, "PATCH", f"/tickets/{ids['urgent']}", json={"status": "resolved"})
    resolved = api(staff, "GET", "/tickets", params={"status": "resolved"}).json()["tickets"]
    active = api(staff, "GET", "/tickets", params={"status": "active"}).json()["tickets"]
    assert [t["id"] for t in resolved] == [ids["urgent"]]
    assert ids["urgent"] not in [t["id"] for t in active]


@pytest.mark.parametrize(("params", "message"), [
    ({"status": "closed"}, "status filter must be one of"),
    ({"tag": "!!!"}, "tag must be a topic name"),
    ({"tag": "a" * 500}, "tag must be a topic name"),
])
def test_bad_filters_get_a_clear_400(staff, params, message):
    response = api(staff, "GET", "/tickets", params=params)
    assert response.status_code == 400 and message in response.json()["error"]


def test_ticket_detail_has_the_transcript_in_order(staff, tracker_db):
    ids = seed(tracker_db)
    detail = api(staff, "GET", f"/tickets/{ids['handoff']}").json()
    assert detail["question"] == "is retinol ok while pregnant?"
    assert [(line["speaker"], line["text"]) for line in detail["transcript"]] == [
        ("person", "is retinol ok while pregnant?"),
        ("assistant", "Here is what is known about retinol in pregnancy."),
        ("person", "I want to talk to a person"),
    ]
    assert detail["transcript"][1]["buttons"] == ["Talk to a person"]
    assert detail["transcript_error"] is None


def test_status_changes_through_patch_and_post_and_bad_status_is_refused(staff, tracker_db):
    ids = seed(tracker_db)
    patched = api(staff, "PATCH", f"/tickets/{ids['handoff']}", json={"status": "in_progress"})
    assert patched.status_code == 200 and patched.json()["status"] == "in_progress"
    posted = api(staff, "POST", f"/tickets/{ids['handoff']}/status", json={"status": "resolved"})
    assert posted.json()["status"] == "resolved"
    assert api(staff, "GET", f"/tickets/{ids['handoff']}").json()["status"] == "resolved"

    bad = api(staff, "PATCH", f"/tickets/{ids['handoff']}", json={"status": "done"})
    assert bad.status_code == 400 and "open, in_progress, resolved" in bad.json()["error"]
    assert api(staff, "PATCH", f"/tickets/{ids['handoff']}", data="not json").status_code == 400
    assert api(staff, "PATCH", f"/tickets/{ids['handoff']}", json=["resolved"]).status_code == 400


@pytest.mark.parametrize(("ticket_id", "status"), [
    ("abc", 400), ("-1", 400), ("0", 400), ("99999999999999999999999", 400), ("1.5", 400), ("424242", 404),
])
def test_bad_or_unknown_ticket_ids_are_4xx_with_a_message(staff, ticket_id, status):
    for method, path, body in (("GET", "", None), ("PATCH", "", {"status": "open"}),
                               ("POST", "/notes", {"text": "hi"})):
        response = api(staff, method, f"/tickets/{ticket_id}{path}", json=body)
        assert response.status_code == status, (method, path, response.text)
        assert response.json()["error"]


def test_notes_are_saved_and_bad_notes_refused(staff, tracker_db):
    ids = seed(tracker_db)
    created = api(staff, "POST", f"/tickets/{ids['urgent']}/notes", json={"text": "Called back, advised ER."})
    assert created.status_code == 201
    notes = api(staff, "GET", f"/tickets/{ids['urgent']}").json()["notes"]
    assert [n["text"] for n in notes] == ["Called back, advised ER."]

    huge = api(staff, "POST", f"/tickets/{ids['urgent']}/notes", json={"text": "x" * (MAX_NOTE_CHARS + 1)})
    assert huge.status_code == 413 and str(MAX_NOTE_CHARS) in huge.json()["error"]
    assert api(staff, "POST", f"/tickets/{ids['urgent']}/notes", json={"text": "   "}).status_code == 400
    assert api(staff, "POST", f"/tickets/{ids['urgent']}/notes", json={"text": 5}).status_code == 400
    assert api(staff, "POST", f"/tickets/{ids['urgent']}/notes", data="{broken").status_code == 400
    assert len(api(staff, "GET", f"/tickets/{ids['urgent']}").json()["notes"]) == 1


# ---- knowledge gaps and CSV ---------------------------------------------------------------------------

def test_gaps_most_frequent_first(staff, tracker_db):
    seed(tracker_db)
    gaps = api(staff, "GET", "/gaps").json()["gaps"]
    assert [(g["ingredient"], g["count"]) for g in gaps] == [("zorbium", 2), (None, 1)]
    assert gaps[0]["conversation_ids"] == ["c1", "c2"]


def test_csv_exports_are_spreadsheet_safe(staff, tracker_db):
    ids = seed(tracker_db)
    tickets = api(staff, "GET", "/tickets.csv")
    assert tickets.status_code == 200 and tickets.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in tickets.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(tickets.text)))
    assert [int(r["id"]) for r in rows] == [ids["urgent"], ids["handoff"], ids["formula"]]
    assert rows[1]["contact_email"] == "p@example.com" and rows[1]["tags"] == "handoff pregnancy"
    assert rows[2]["question"] == "'=HYPERLINK(\"x\")"  # never run as a formula
    only_pregnancy = list(csv.DictReader(io.StringIO(api(staff, "GET", "/tickets.csv",
                                                         params={"tag": "pregnancy"}).text)))
    assert len(only_pregnancy) == 1

    gaps = list(csv.DictReader(io.StringIO(api(staff, "GET", "/gaps.csv").text)))
    assert [(g["count"], g["ingredient"]) for g in gaps] == [("2", "zorbium"), ("1", "")]
    assert gaps[1]["latest_question"].startswith("'=")


# ---- the page ----------------------------------------------------------------------------------------

def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(base: str) -> requests.Session:
    browser = requests.Session()
    response = browser.post(f"{base}/staff/login", data={"token": TOKEN}, timeout=10)
    assert response.status_code == 200 and "Tickets" in response.text
    return browser


def test_page_login_sets_a_safe_session_cookie(staff):
    first = requests.get(f"{staff}/staff", timeout=10)
    assert first.status_code == 200 and 'name="token"' in first.text
    wrong = requests.post(f"{staff}/staff/login", data={"token": "nope"}, timeout=10, allow_redirects=False)
    assert wrong.status_code == 401 and "not right" in wrong.text and "Set-Cookie" not in wrong.headers

    right = requests.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10, allow_redirects=False)
    assert right.status_code == 303
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    assert TOKEN not in cookie
    assert requests.get(f"{staff}/staff/api/tickets", cookies=right.cookies, timeout=10).status_code == 401


def test_a_guesser_is_slowed_down_but_cannot_lock_out_the_right_token(staff):
    for attempt in range(STAFF_LOGIN_THROTTLE.free_tries + 20):
        assert api(staff, "GET", "/tickets", token=f"guess-{attempt}").status_code == 401
    assert STAFF_LOGIN_THROTTLE.delay("127.0.0.1") == STAFF_LOGIN_THROTTLE.max_delay  # each try now waits
    assert api(staff, "GET", "/tickets", token=TOKEN).status_code == 200  # the right token still gets in
    for attempt in range(STAFF_LOGIN_THROTTLE.free_tries + 20):
        wrong = requests.post(f"{staff}/staff/login", data={"token": f"guess-{attempt}"}, timeout=10)
        assert wrong.status_code == 401
    form = requests.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10, allow_redirects=False)
    assert form.status_code == 303 and "staff_session=" in form.headers["Set-Cookie"]
    assert api(staff, "GET", "/tickets", token=None).status_code == 401  # no token given: nothing counted
    assert STAFF_LOGIN_THROTTLE.failures("127.0.0.1") == 0


def test_a_right_token_clears_the_count_of_wrong_ones(staff):
    for _ in range(3):
        for attempt in range(STAFF_LOGIN_THROTTLE.free_tries + 2):
            assert api(staff, "GET", "/tickets", token=f"typo-{attempt}").status_code == 401
        assert api(staff, "GET", "/tickets").status_code == 200
        assert STAFF_LOGIN_THROTTLE.delay("127.0.0.1") == 0


def test_tampered_or_foreign_cookies_show_the_login_form(staff, monkeypatch):
    browser = _login(staff)
    value = browser.cookies.get("staff_session")
    forged = value[:-4] + ("0000" if not value.endswith("0000") else "1111")
    page = requests.get(f"{staff}/staff", cookies={"staff_session": forged}, timeout=10)
    assert 'name="token"' in page.text
    monkeypatch.setenv("STAFF_TOKEN", TOKEN + "-rotated")  # rotating the token signs everyone out
    assert 'name="token"' in browser.get(f"{staff}/staff", timeout=10).text


def test_page_shows_tickets_escaped_and_saves_status_and_notes(staff, tracker_db):
    ids = seed(tracker_db)
    asyncio.run(open_ticket("xss", urgency=Urgency.HIGH, reason="handoff",
                            question="<script>alert('x')</script> is this ok?", tags=["handoff"]))
    browser = _login(staff)
    listing = browser.get(f"{staff}/staff", timeout=10).text
    assert "<script>alert" not in listing and "&lt;script&gt;alert" in listing
    assert listing.index("my throat feels tight") < listing.index("is retinol ok while pregnant?")
    filtered = browser.get(f"{staff}/staff", params={"tag": "pregnancy"}, timeout=10).text
    assert "is retinol ok while pregnant?" in filtered and "my throat feels tight" not in filtered

    detail_url = f"{staff}/staff/tickets/{ids['handoff']}"
    detail = browser.get(detail_url, timeout=10).text
    assert "Here is what is known about retinol in pregnancy." in detail and "p@example.com" in detail
    token = _csrf(detail)

    no_csrf = browser.post(f"{detail_url}/status", data={"status": "resolved"}, timeout=10)
    assert no_csrf.status_code == 403
    bad_csrf = browser.post(f"{detail_url}/status", data={"status": "resolved", "csrf": "0" * 64}, timeout=10)
    assert bad_csrf.status_code == 403
    bad_status = browser.post(f"{detail_url}/status", data={"status": "gone", "csrf": token}, timeout=10)
    assert bad_status.status_code == 400 and "status must be one of" in bad_status.text

    browser.post(f"{detail_url}/status", data={"status": "in_progress", "csrf": token}, timeout=10)
    browser.post(f"{detail_url}/notes", data={"text": "<b>Emailed</b> the customer", "csrf": token}, timeout=10)
    huge = browser.post(f"{detail_url}/notes", data={"text": "y" * (MAX_NOTE_CHARS + 1), "csrf": token}, timeout=10)
    assert huge.status_code == 413

    reloaded = browser.get(detail_url, timeout=10).text
    assert '<dd class="status">In progress</dd>' in reloaded
    assert "&lt;b&gt;Emailed&lt;/b&gt; the customer" in reloaded
    assert browser.get(f"{staff}/staff/tickets/nope", timeout=10).status_code == 400
    assert browser.get(f"{staff}/staff/tickets/9999", timeout=10).status_code == 404


def test_page_csv_links_and_gaps_view_work_with_the_session(staff, tracker_db):
    seed(tracker_db)
    browser = _login(staff)
    gaps = browser.get(f"{staff}/staff/gaps", timeout=10).text
    assert gaps.index("zorbium") < gaps.index("=cmd")
    assert browser.get(f"{staff}/staff/api/tickets.csv", timeout=10).status_code == 200
    assert browser.get(f"{staff}/staff/api/gaps.csv", timeout=10).status_code == 200


def test_staff_responses_are_not_cached_or_framed(staff):
    page = requests.get(f"{staff}/staff", timeout=10)
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'none': no scripts at all
