"""Staff sessions over real HTTP (issue 11): server-side, revoked by logout, bounded in time whatever the
cookie says, signed with a key that is not the token, Secure behind a trusted proxy; short tokens refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

import pytest
import requests
import sqlalchemy as sa

from bot.triage.models import StaffSession
from tests.triage.conftest import STAFF_LOGIN_THROTTLE, TRUSTED_PROXY_SECRET

TOKEN = "session-test-token-" + "s" * 24


@pytest.fixture
def staff(staff_server, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_TOKEN", TOKEN)
    for name in ("STAFF_SESSION_KEY", "STAFF_SESSION_IDLE_MINUTES", "STAFF_SESSION_MAX_HOURS"):
        monkeypatch.delenv(name, raising=False)
    STAFF_LOGIN_THROTTLE.clear()
    return staff_server


def login(base: str, **headers: str) -> requests.Session:
    browser = requests.Session()
    reply = browser.post(f"{base}/staff/login", data={"token": TOKEN}, headers=headers, timeout=10,
                         allow_redirects=False)
    assert reply.status_code == 303, reply.text
    return browser


def signed_in(base: str, cookie: str) -> bool:
    page = requests.get(f"{base}/staff", cookies={"staff_session": cookie}, timeout=10)
    return page.status_code == 200 and 'name="token"' not in page.text


def csrf_of(page: str) -> str:
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_logout_revokes_the_session_on_the_server(staff):
    browser = login(staff)
    cookie = browser.cookies["staff_session"]
    assert signed_in(staff, cookie)
    page = browser.get(f"{staff}/staff", timeout=10).text
    assert browser.post(f"{staff}/staff/logout", data={"csrf": csrf_of(page)}, timeout=10).status_code == 200
    assert not signed_in(staff, cookie)  # the old cookie, replayed, no longer works
    assert requests.get(f"{staff}/staff/api/tickets.csv", cookies={"staff_session": cookie},
                        timeout=10).status_code == 401


def test_a_cookie_with_a_forged_far_future_expiry_is_refused(staff):
    # The old cookie format: "<expiry>.<nonce>.<HMAC keyed by the token>"; anyone with the token made
    # one valid for ever. Neither that nor a far-future expiry means anything now.
    body = f"{int(time.time()) + 10 * 365 * 86400}.nonce"
    key = hmac.new(TOKEN.encode(), b"skincare-staff/session/v1", hashlib.sha256).digest()
    forged = f"{body}.{hmac.new(key, body.encode(), hashlib.sha256).hexdigest()}"
    assert not signed_in(staff, forged)
    genuine = login(staff).cookies["staff_session"]
    session_id = genuine.split(".")[0]
    assert not signed_in(staff, f"{session_id}.{'0' * 64}")  # a signature not made with the cookie key


@pytest.mark.parametrize("column, age", [("last_seen", dt.timedelta(minutes=31)),
                                         ("created_at", dt.timedelta(hours=8, minutes=1))])
def test_sessions_end_after_the_idle_and_absolute_lifetimes(staff, triage_db, column, age):
    cookie = login(staff).cookies["staff_session"]
    assert signed_in(staff, cookie)
    with triage_db.begin() as connection:
        connection.execute(sa.update(StaffSession).values(
            {column: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - age}))
    assert not signed_in(staff, cookie)


def test_lifetimes_are_configurable(staff, triage_db, monkeypatch):
    monkeypatch.setenv("STAFF_SESSION_IDLE_MINUTES", "600")
    cookie = login(staff).cookies["staff_session"]
    with triage_db.begin() as connection:
        connection.execute(sa.update(StaffSession).values(
            last_seen=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(minutes=31)))
    assert signed_in(staff, cookie)
    monkeypatch.setenv("STAFF_SESSION_IDLE_MINUTES", "soon")
    page = requests.get(f"{staff}/staff", timeout=10)
    assert page.status_code == 503 and "STAFF_SESSION_IDLE_MINUTES" in page.text


def test_the_cookie_is_signed_with_its_own_key_not_the_token(staff, triage_db, monkeypatch):
    cookie = login(staff).cookies["staff_session"]
    session_id, signature = cookie.split(".")
    for key in (TOKEN.encode(), hmac.new(TOKEN.encode(), b"skincare-staff/session/v1", hashlib.sha256).digest()):
        assert hmac.new(key, session_id.encode(), hashlib.sha256).hexdigest() != signature
    with triage_db.connect() as connection:  # the database keeps a hash, never a usable cookie
        stored = connection.scalars(sa.select(StaffSession.id_hash)).all()
    assert stored == [hashlib.sha256(session_id.encode()).hexdigest()]
    monkeypatch.setenv("STAFF_SESSION_KEY", "k" * 40)  # a configured key replaces the derived one
    assert not signed_in(staff, cookie)
    assert signed_in(staff, login(staff).cookies["staff_session"])


def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(staff):
    plain = requests.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10, allow_redirects=False)
    assert "Secure" not in plain.headers["Set-Cookie"]
    untrusted = requests.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10, allow_redirects=False,
                              headers={"Forwarded": "for=203.0.113.9;proto=https"})
    assert "Secure" not in untrusted.headers["Set-Cookie"]  # anyone can send that header
    proxied = requests.post(f"{staff}/staff/login", data={"token": TOKEN}, timeout=10, allow_redirects=False,
                            headers={"Forwarded": f"for=203.0.113.9;proto=https;secret={TRUSTED_PROXY_SECRET}"})
    assert "Secure" in proxied.headers["Set-Cookie"]


@pytest.mark.parametrize("short", ["x" * 31, "password"])
def test_a_short_staff_token_keeps_the_staff_area_closed_and_says_why(staff, monkeypatch, short):
    monkeypatch.setenv("STAFF_TOKEN", short)
    page = requests.get(f"{staff}/staff", timeout=10)
    assert page.status_code == 503 and "STAFF_TOKEN" in page.text and "32" in page.text
    assert 'name="token"' not in page.text
    api = requests.get(f"{staff}/staff/api/tickets", headers={"Authorization": f"Bearer {short}"}, timeout=10)
    assert api.status_code == 503 and "STAFF_TOKEN" in api.json()["error"]
