"""The action server tells an operator how it is: `/ready` follows the knowledge store (PostgreSQL behind a
proxy the test cuts and restores), `/health` stays up, and `/metrics` counts the tickets it opens."""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import make_url

from bot import topology
from bot.run import free_port
from bot.supervision import Service, spawn, stop_process_group, wait_ready
from tests.bot.dependencies import POSTGRES_PORT
from tests.bot.tcp_proxy import TcpProxy
from tests.fixtures.store import REAL_PROFILES, postgres_store
from tests.triage.test_action_server import forged_call

pytestmark = [pytest.mark.servers, pytest.mark.postgres]
REPO_ROOT = Path(__file__).resolve().parents[2]
TICKETS_OPENED = "skincare_tickets_opened_total"


@dataclass
class ActionServer:
    url: str
    token: str
    store: TcpProxy

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", timeout=10)

    def call(self, body: dict) -> requests.Response:
        return requests.post(f"{self.url}/webhook", data=json.dumps(body),
                             headers={"Authorization": f"Bearer {self.token}"}, timeout=30)

    def tickets_opened(self, urgency: str, kind: str) -> float:
        text = self.get("/metrics").text
        match = re.search(rf'^{TICKETS_OPENED}\{{kind="{kind}",urgency="{urgency}"\}} (\S+)$', text, re.M)
        return float(match.group(1)) if match else 0.0


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionServer]:
    """One action server whose knowledge store (and triage tables) is PostgreSQL through a TcpProxy."""
    with postgres_store([REAL_PROFILES]) as url:
        proxy = TcpProxy("127.0.0.1", POSTGRES_PORT)
        port, token = free_port(), secrets.token_urlsafe(32)
        env = {"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1", "ACTION_SERVER_TOKEN": token,
               "SKINCARE_DB_URL": make_url(url).set(port=proxy.port).render_as_string(hide_password=False),
               "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
        service = Service("action server", topology.action_server(port).argv(sys.executable), env,
                          f"http://127.0.0.1:{port}/health")
        log = (tmp_path_factory.mktemp("action-server") / "action-server.log").open("wb")
        try:
            spawn(service, REPO_ROOT, log)
            wait_ready(service, timeout=120)
            yield ActionServer(f"http://127.0.0.1:{port}", token, proxy)
        finally:
            if service.process is not None:
                stop_process_group(service.process)
            log.close()
            proxy.close()


def wait_for_status(server: ActionServer, path: str, status: int, within: float = 20.0) -> requests.Response:
    deadline = time.monotonic() + within
    while True:
        reply = server.get(path)
        if reply.status_code == status or time.monotonic() > deadline:
            return reply
        time.sleep(0.3)


def test_ready_follows_the_knowledge_store_and_health_stays_up(action_server: ActionServer) -> None:
    ready = action_server.get("/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "dependencies": {"knowledge store": "ok"}}
    action_server.store.cut()
    try:
        down = wait_for_status(action_server, "/ready", 503)
        assert down.status_code == 503 and down.json()["status"] == "degraded"
        assert down.json()["dependencies"]["knowledge store"] != "ok"
        alive = action_server.get("/health")  # liveness: the process is fine, so no restart
        assert alive.status_code == 200 and alive.json()["status"] == "degraded"
    finally:
        action_server.store.restore()
    assert wait_for_status(action_server, "/ready", 200).status_code == 200  # recovers by itself


def test_probes_need_no_token_but_actions_still_do(action_server: ActionServer) -> None:
    assert [action_server.get(path).status_code for path in ("/health", "/ready", "/metrics")] == [200, 200, 200]
    assert action_server.get("/actions").status_code == 401


def test_each_new_ticket_is_counted_by_urgency_and_kind_and_repeats_are_not(action_server: ActionServer) -> None:
    urgent_before = action_server.tickets_opened("urgent", "red_flag")
    first, second = f"count-{secrets.token_hex(4)}", f"count-{secrets.token_hex(4)}"
    for sender in (first, first, second):  # the repeat joins the first conversation's open ticket
        reply = action_server.call(forged_call(sender, action="action_open_emergency_ticket"))
        assert reply.status_code == 200, reply.text
    assert action_server.tickets_opened("urgent", "red_flag") == urgent_before + 2
    reaction_before = action_server.tickets_opened("high", "reaction")
    call = forged_call(first, action="action_safety_reaction", text="my cheeks are red and itchy after the serum")
    assert action_server.call(call).status_code == 200
    assert action_server.tickets_opened("high", "reaction") == reaction_before + 1
