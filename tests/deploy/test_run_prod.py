"""`make run-prod` (python -m bot.run --prod): two Rasa and two action servers and the web server behind
nginx, on the machine's PostgreSQL and Redis; one replica killed, no message lost."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.launcher_state import start_time
from bot.run import free_port, stop_process_group
from tests.e2e.test_production_config import require_redis
from tests.fixtures.store import POSTGRES_URL, REAL_PROFILES, postgres_store, require_postgres, scratch_database

REPO = Path(__file__).resolve().parents[2]
NEEDS_MODEL = pytest.mark.skipif(not (REPO / "models" / "skincare.tar.gz").exists(), reason="needs the trained model")


def test_run_prod_refuses_to_start_without_its_tokens_and_says_which() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REST_TOKEN", "STAFF_TOKEN", "SKINCARE_DB_URL")}
    done = subprocess.run([sys.executable, "-m", "bot.run", "--prod", "--check"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    for variable in ("REST_TOKEN", "STAFF_TOKEN", "SKINCARE_DB_URL"):
        assert f"{variable} is not set" in done.stderr
    env.update(REST_TOKEN="t" * 40, STAFF_TOKEN="s" * 40, SKINCARE_DB_URL="sqlite:///x.sqlite",
               TRACKER_DB_NAME="rasa", TRACKER_DB_USER="rasa", RASA_REPLICA_PORTS="5005", ENDPOINTS="endpoints.yml")
    done = subprocess.run([sys.executable, "-m", "bot.run", "--prod", "--check"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "SKINCARE_DB_URL=sqlite://" in done.stderr and "RASA_REPLICA_PORTS must be 2 port numbers" in done.stderr
    assert "ENDPOINTS=endpoints.yml" in done.stderr  # `make`'s embedded default never reaches production


@dataclass
class Production:
    process: subprocess.Popen[bytes]
    log_path: Path
    public_url: str
    rest_token: str
    pid_file: Path
    tracker_url: str

    def log(self) -> str:
        return self.log_path.read_text()

    def servers(self) -> dict[str, int]:
        return {s["name"]: s["pid"] for s in json.loads(self.pid_file.read_text())["services"]}

    def send(self, sender: str, message: str) -> list[dict[str, str]]:
        request = urllib.request.Request(
            f"{self.public_url}/webhooks/rest/webhook", method="POST",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.rest_token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback URL)
            return json.load(response)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    require_postgres()
    require_redis()
    work = tmp_path_factory.mktemp("run-prod")
    user = make_url(POSTGRES_URL).username or "root"
    public_port = free_port()
    rest_token = secrets.token_urlsafe(32)
    with scratch_database("skincare_prod_") as tracker_db:
        with postgres_store([REAL_PROFILES]) as knowledge_url:
            env = {
                **os.environ, "VAR_DIR": str(work / "var"), "REST_TOKEN": rest_token, "ENDPOINTS": "",
                "STAFF_TOKEN": secrets.token_urlsafe(32), "RASA_API_TOKEN": "",
                "SKINCARE_DB_URL": knowledge_url, "TRACKER_DB_URL": "",
                "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": tracker_db,
                "TRACKER_DB_USER": user, "TRACKER_DB_PASSWORD": "", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379",
                "REDIS_DB": "0", "REDIS_PASSWORD": "",
                "RASA_REPLICA_PORTS": f"{free_port()},{free_port()}",
                "ACTION_REPLICA_PORTS": f"{free_port()},{free_port()}",
                "WEB_PORT": str(free_port()), "PUBLIC_PORT": str(public_port), "ACTION_PROXY_PORT": str(free_port()),
            }
            log_path = work / "run-prod.log"
            with log_path.open("w") as log:
                process = subprocess.Popen([sys.executable, "-m", "bot.run", "--prod"], cwd=REPO, env=env,
                                           stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            running = Production(process, log_path, f"http://127.0.0.1:{public_port}", rest_token,
                                 work / "var" / "run" / f"launcher-{public_port}.json",
                                 f"postgresql+psycopg2://{user}@127.0.0.1:5432/{tracker_db}")
            try:
                deadline = time.monotonic() + 300
                while "is running" not in running.log() and time.monotonic() < deadline:
                    assert process.poll() is None, running.log()[-3000:]
                    time.sleep(0.5)
                assert "is running" in running.log(), running.log()[-3000:]
                yield running
            finally:
                servers = running.servers() if running.pid_file.exists() else {}
                stop_process_group(process)
                for pid in servers.values():
                    if start_time(pid) is not None:
                        os.killpg(pid, signal.SIGKILL)


@NEEDS_MODEL
@pytest.mark.servers
@pytest.mark.postgres
@pytest.mark.redis
def test_one_address_serves_the_page_the_staff_area_socketio_and_rest(production: Production) -> None:
    with urllib.request.urlopen(f"{production.public_url}/", timeout=10) as page:  # noqa: S310
        html = page.read().decode()
        assert page.status == 200 and "/widget/chat.js" in html
    with urllib.request.urlopen(f"{production.public_url}/staff", timeout=10) as staff:  # noqa: S310
        assert staff.status == 200
    origin = production.public_url.replace("127.0.0.1", "localhost")
    handshake = urllib.request.Request(f"{production.public_url}/socket.io/?EIO=4&transport=polling",
                                       headers={"Origin": origin})
    with urllib.request.urlopen(handshake, timeout=10) as response:  # noqa: S310
        assert response.read().startswith(b"0{")  # engine.io "open" packet with a session id
    replies = production.send("prod-first", "are milk exosomes vegan?")
    assert "vegan" in " ".join(r.get("text", "") for r in replies)


@NEEDS_MODEL
@pytest.mark.servers
@pytest.mark.postgres
@pytest.mark.redis
def test_the_staff_relay_is_not_reachable_from_outside(production: Production) -> None:
    """nginx answers 404 for it (the Rasa server behind it would say 401: it wants the relay's token)."""
    outside = urllib.request.Request(f"{production.public_url}/webhooks/staff_relay/conversations/x/takeover",
                                     data=b"{}", method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as from_outside:
        urllib.request.urlopen(outside, timeout=10)  # noqa: S310 (loopback URL)
    assert from_outside.value.code == 404


@NEEDS_MODEL
@pytest.mark.servers
@pytest.mark.postgres
@pytest.mark.redis
def test_a_killed_rasa_replica_loses_no_message(production: Production) -> None:
    senders = [f"prod-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    sent: dict[str, list[str]] = {s: [] for s in senders}

    def talk(round_: int) -> None:
        for sender in senders:
            message = "are milk exosomes vegan?" if round_ % 2 == 0 else "will it clog my pores?"
            replies = production.send(sender, message)
            assert replies and all(r.get("text") for r in replies), replies
            sent[sender].append(message)

    talk(0)
    victim = production.servers()["rasa server 1"]
    os.killpg(victim, signal.SIGKILL)
    # Once it is gone (a request it had already accepted would get a 502: a POST that reached a replica is
    # never sent again, so no message is processed twice), every message goes to the other replica. The
    # launcher reaping it is the sure sign that it has exited and closed its sockets.
    deadline = time.monotonic() + 60
    while "rasa server 1 exited" not in production.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    for round_ in range(1, 5):
        talk(round_)
    # The launcher noticed and is bringing the replica back; the other one answered meanwhile.
    assert "rasa server 1 exited (code -9)" in production.log()
    engine = create_engine(production.tracker_url, future=True)
    try:
        with engine.connect() as connection:
            tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE tablename = 'events'")).all()
            # Rasa's FailSafeTrackerStore answers from memory when PostgreSQL failed at start: say why.
            assert tables, "no conversation reached PostgreSQL:\n" + "\n".join(
                line for line in production.log().splitlines() if "rror" in line or "tracker" in line.lower())[-3000:]
            for sender in senders:
                rows = connection.execute(
                    text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                    {"s": sender}).scalars().all()
                assert [json.loads(row)["text"] for row in rows] == sent[sender]
    finally:
        engine.dispose()
    deadline = time.monotonic() + 180
    while "rasa server 1 restarted" not in production.log() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert production.servers()["rasa server 1"] != victim
