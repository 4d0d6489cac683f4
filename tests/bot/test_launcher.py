"""`make run`'s launcher (python -m bot.run): starts the three servers and stops all of them on a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.bench.processes import process_tree
from bot.run import free_port, stop_process_group
from knowledge.loader import load_profiles

pytestmark = pytest.mark.servers

REPO = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not (REPO / "models" / "skincare.tar.gz").exists(), reason="needs the trained model")
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_launcher_alone_stops_every_server(tmp_path: Path, stop_signal: signal.Signals) -> None:
    store = f"sqlite:///{tmp_path / 'skincare.sqlite'}"
    load_profiles(REPO / "knowledge" / "profiles", store)
    rasa_port = free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()),
           "TRACKER_SQLITE_PATH": str(tmp_path / "conversations.sqlite"), "SKINCARE_DB_URL": store,
           "RASA_API_TOKEN": "", "STAFF_TOKEN": ""}
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        # Started as a shell starts a background job: SIGINT ignored, which the launcher must undo.
        launcher = subprocess.Popen(
            [sys.executable, "-m", "bot.run"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        deadline = time.monotonic() + 240
        while "is running" not in log_path.read_text() and time.monotonic() < deadline:
            assert launcher.poll() is None, log_path.read_text()[-2000:]
            time.sleep(0.5)
        assert "is running" in log_path.read_text(), log_path.read_text()[-2000:]
        request = urllib.request.Request(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", method="POST",
            data=json.dumps({"sender": "launcher-test", "message": "is it vegan?"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback URL)
            assert "vegan" in json.loads(response.read())[0]["text"]
        servers = [pid for pid in process_tree(launcher.pid) if pid != launcher.pid]
        assert len(servers) >= 3  # action server, Rasa server, web server (and anything they started)

        os.kill(launcher.pid, stop_signal)  # the launcher only, not its process group
        assert launcher.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in servers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in servers if _alive(pid)], log_path.read_text()[-2000:]
        assert ">> stopping" in log_path.read_text()
    finally:
        stop_process_group(launcher)
