"""`make run`'s launcher (python -m bot.run): faults an operator meets, with the real servers.

A crashed server comes back while the others keep serving; Ctrl-C, SIGTERM and SIGHUP (a closed
terminal) stop everything, letting a request in progress finish; a launcher killed with SIGKILL takes
its servers with it; and servers left behind are cleaned up by the next launcher.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.bench.processes import process_tree
from bot.launcher_state import LauncherAlreadyRunning, LauncherState, start_time
from bot.run import Stack, StackSettings, free_port, stop_process_group
from bot.supervision import Backoff
from knowledge.loader import load_profiles

REPO = Path(__file__).resolve().parents[2]
needs_model = pytest.mark.skipif(not (REPO / "models" / "skincare.tar.gz").exists(), reason="needs the trained model")


def _alive(pid: int) -> bool:
    return start_time(pid) is not None


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@dataclass
class Launcher:
    """A `python -m bot.run` process on free ports, its output and its pid file."""

    process: subprocess.Popen[bytes]
    log_path: Path
    pid_file: Path
    rasa_port: int
    web_port: int

    def log(self) -> str:
        return self.log_path.read_text()

    def servers(self) -> dict[str, int]:
        """Server name -> pid, as the launcher recorded them."""
        return {s["name"]: s["pid"] for s in json.loads(self.pid_file.read_text())["services"]}

    def ask(self, sender: str, message: str, timeout: float = 60) -> str:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook", method="POST",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback URL)
            return "\n".join(m.get("text", "") for m in json.loads(response.read()))


def start_launcher(tmp_path: Path, extra_args: tuple[str, ...] = ()) -> Launcher:
    store = f"sqlite:///{tmp_path / 'skincare.sqlite'}"
    load_profiles(REPO / "knowledge" / "profiles", store)
    rasa_port, web_port = free_port(), free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(free_port()), "WEB_PORT": str(web_port),
           "TRACKER_SQLITE_PATH": str(tmp_path / "conversations.sqlite"), "SKINCARE_DB_URL": store,
           "VAR_DIR": str(tmp_path / "var"), "RASA_API_TOKEN": "", "STAFF_TOKEN": ""}
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        # Started as a shell starts a background job: SIGINT ignored, which the launcher must undo.
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.run", *extra_args], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    launcher = Launcher(process, log_path, tmp_path / "var" / "run" / f"launcher-{rasa_port}.json", rasa_port,
                        web_port)
    deadline = time.monotonic() + 240
    while "is running" not in launcher.log() and time.monotonic() < deadline:
        assert process.poll() is None, launcher.log()[-3000:]
        time.sleep(0.5)
    assert "is running" in launcher.log(), launcher.log()[-3000:]
    return launcher


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    running = start_launcher(tmp_path)
    try:
        yield running
    finally:
        stop_process_group(running.process)
        for entry in json.loads(running.pid_file.read_text())["services"] if running.pid_file.exists() else []:
            if _alive(entry["pid"]):
                os.killpg(entry["pid"], signal.SIGKILL)


@needs_model
@pytest.mark.servers
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGHUP])
def test_a_signal_to_the_launcher_alone_stops_every_server(launcher: Launcher, stop_signal: signal.Signals) -> None:
    assert "vegan" in launcher.ask("launcher-test", "is it vegan?")
    servers = [pid for pid in process_tree(launcher.process.pid) if pid != launcher.process.pid]
    assert len(servers) >= 3  # action server, Rasa server, web server (and anything they started)

    os.kill(launcher.process.pid, stop_signal)  # the launcher only, not its process group
    assert launcher.process.wait(timeout=60) == 0
    _wait_for(lambda: not any(_alive(pid) for pid in servers), 30, "the servers to stop")
    assert ">> stopping" in launcher.log()
    assert not launcher.pid_file.exists()  # a clean stop leaves nothing for the next launcher to reclaim


@needs_model
@pytest.mark.servers
def test_a_crashed_server_comes_back_and_sigterm_lets_a_request_finish(launcher: Launcher) -> None:
    before = launcher.servers()
    os.killpg(before["action server"], signal.SIGKILL)
    # The others keep serving meanwhile: the demo page still loads.
    with urllib.request.urlopen(f"http://127.0.0.1:{launcher.web_port}/", timeout=10) as page:  # noqa: S310
        assert page.status == 200
    _wait_for(lambda: "action server restarted" in launcher.log(), 60, "the action server to be restarted")
    assert "action server exited" in launcher.log()
    after = launcher.servers()
    assert after["action server"] != before["action server"]
    assert after["rasa server"] == before["rasa server"]  # nobody else was touched
    _wait_for(lambda: _answers(launcher), 60, "answers that need the action server")

    # A request in progress when SIGTERM arrives: headers sent, body not finished yet.
    body = json.dumps({"sender": "draining", "message": "are milk exosomes vegan?"}).encode()
    with socket.create_connection(("127.0.0.1", launcher.rasa_port), timeout=60) as connection:
        connection.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\n"
                           b"Content-Type: application/json\r\nConnection: close\r\n"
                           + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:10])
        time.sleep(0.5)  # let Rasa start reading the request
        os.kill(launcher.process.pid, signal.SIGTERM)
        _wait_for(lambda: "stopping" in launcher.log(), 10, "the launcher to start stopping")
        time.sleep(1.0)  # Rasa has been told to stop by now
        connection.sendall(body[10:])
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    status, _, payload = reply.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 200"), reply[:500]
    assert "vegan" in payload.decode()
    assert launcher.process.wait(timeout=60) == 0
    assert not any(_alive(pid) for pid in after.values())


def _answers(launcher: Launcher) -> bool:
    try:
        return "vegan" in launcher.ask("after-restart", "are milk exosomes vegan?", timeout=10)
    except OSError:
        return False


@needs_model
@pytest.mark.servers
def test_a_killed_launcher_takes_its_servers_with_it(launcher: Launcher) -> None:
    servers = list(launcher.servers().values())
    assert len(servers) == 3
    os.kill(launcher.process.pid, signal.SIGKILL)
    launcher.process.wait(timeout=10)
    _wait_for(lambda: not any(_alive(pid) for pid in servers), 40, "the servers to notice their launcher died")
    # Nothing holds the ports any more.
    assert not _listening(launcher.rasa_port) and not _listening(launcher.web_port)


def test_servers_left_behind_are_stopped_by_the_next_launcher(tmp_path: Path) -> None:
    port = free_port()
    # A server whose launcher is gone: it still holds its port.
    leftover = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                                cwd=tmp_path, start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    dead_launcher = subprocess.Popen(["true"])
    dead_launcher.wait()
    try:
        _wait_for(lambda: _listening(port), 20, "the leftover server")
        state_file = tmp_path / "run" / "launcher.json"
        state_file.parent.mkdir()
        state_file.write_text(json.dumps({
            "launcher": {"pid": dead_launcher.pid, "start": 1},
            "services": [{"name": "rasa server", "pid": leftover.pid, "start": start_time(leftover.pid)},
                         # a pid reused by some other process is never touched (start time differs)
                         {"name": "web server", "pid": os.getpid(), "start": 1}],
        }))
        lines: list[str] = []
        LauncherState(state_file).claim(log=lines.append)
        assert leftover.wait(timeout=5) is not None
        assert not _listening(port)
        assert "rasa server (pid" in lines[0] and "web server" not in lines[0]
        # Now this process is the recorded launcher: a second one is refused, saying which pid runs.
        record = json.loads(state_file.read_text())["launcher"]
        assert record["pid"] == os.getpid()
        with pytest.raises(LauncherAlreadyRunning, match=str(os.getpid())):
            _claim_from_another_process(state_file)
    finally:
        stop_process_group(leftover)


def _claim_from_another_process(state_file: Path) -> None:
    script = ("import sys; from pathlib import Path; from bot.launcher_state import LauncherState\n"
              f"LauncherState(Path({str(state_file)!r})).claim()")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    if "LauncherAlreadyRunning" in done.stderr:
        raise LauncherAlreadyRunning(done.stderr.strip().splitlines()[-1])
    raise AssertionError(f"a second launcher was not refused: {done.stderr}")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("shell", [False, True])
def test_every_launcher_mode_listens_on_loopback_only(tmp_path: Path, shell: bool) -> None:
    stack = Stack(StackSettings(runtime_dir=tmp_path, var_dir=tmp_path), shell=shell)
    rasa = stack.service("rasa server")
    assert rasa.argv[rasa.argv.index("--interface") + 1] == "127.0.0.1"
    assert all(s.env["ACTION_SERVER_HOST"] == "127.0.0.1" and s.env["WEB_HOST"] == "127.0.0.1" for s in stack.services)


def test_restart_delays_double_up_to_a_ceiling_and_reset_after_a_healthy_run() -> None:
    backoff = Backoff(first=1.0, longest=30.0, healthy_after=60.0)
    assert [backoff.delay(restarts, uptime=2.0) for restarts in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.delay(restarts=6, uptime=120.0) == 1.0
