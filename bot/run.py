"""Start the whole assistant: action server, Rasa server and web server (widget demo + staff area).

`python -m bot.run` (what `make run` does) starts all three in the foreground, prints where to find
them and stops them all on Ctrl-C, or as soon as one of them dies. `--shell` chats in the terminal
instead of starting the web servers. Tests use `Stack` to start the same processes on free ports.

Settings come from the environment (README "Configuration"): RASA_PORT, ACTION_PORT, WEB_PORT,
ENDPOINTS, RASA_INTERFACE, ACTION_SERVER_HOST, RASA_API_TOKEN, SKINCARE_DB_URL, TRACKER_SQLITE_PATH,
ACTION_SERVER_TOKEN, plus the messaging-app variables (bot/channels/credentials.py). Secrets reach the
servers through their environment, never their command line (visible to every user in `ps`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.channels.credentials import write_runtime_credentials
from bot.triage.settings import DEFAULT_TRACKER_SQLITE_PATH

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Stop a process started in its own session, and its children: SIGTERM, then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class StackSettings:
    """Where each server listens and which files and databases it uses."""

    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    rasa_interface: str = "127.0.0.1"
    action_host: str = "127.0.0.1"
    web_host: str = "127.0.0.1"
    endpoints: Path = REPO_ROOT / "endpoints.yml"
    credentials: Path = REPO_ROOT / "credentials.yml"
    model: Path = REPO_ROOT / "models" / "skincare.tar.gz"
    runtime_dir: Path = REPO_ROOT / "build" / "runtime"
    tracker_sqlite_path: Path = DEFAULT_TRACKER_SQLITE_PATH
    api_token: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> StackSettings:
        """Settings from environment variables, defaults for the embedded set-up."""
        defaults = cls()
        return cls(
            rasa_port=int(env.get("RASA_PORT", defaults.rasa_port)),
            action_port=int(env.get("ACTION_PORT", defaults.action_port)),
            web_port=int(env.get("WEB_PORT", defaults.web_port)),
            rasa_interface=env.get("RASA_INTERFACE", defaults.rasa_interface),
            action_host=env.get("ACTION_SERVER_HOST", defaults.action_host),
            web_host=env.get("WEB_HOST", defaults.web_host),
            endpoints=REPO_ROOT / env.get("ENDPOINTS", "endpoints.yml"),
            tracker_sqlite_path=Path(env.get("TRACKER_SQLITE_PATH", defaults.tracker_sqlite_path)),
            api_token=env.get("RASA_API_TOKEN") or None,
        )

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        """Base URL of the action server."""
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        """Base URL of the web server (demo page, widget, staff area)."""
        return f"http://127.0.0.1:{self.web_port}"


@dataclass
class Service:
    """One server process: how to start it and how to tell it is ready."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready_url: str
    process: subprocess.Popen[bytes] | None = None


class Stack:
    """The assistant's server processes, started and stopped together."""

    def __init__(self, settings: StackSettings, log_dir: Path | None = None, shell: bool = False) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.shell = shell
        self._logs: list[IO[bytes]] = []
        self.enabled_channels: list[str] = []
        # The secret Rasa presents to the action server (bot/action_server.py): configured, or new per run.
        configured = {**os.environ, **settings.extra_env}.get("ACTION_SERVER_TOKEN", "").strip()
        self.action_token = configured or secrets.token_urlsafe(32)
        self.services = self._services()

    def _base_env(self) -> dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        env.update(
            ACTION_ENDPOINT_URL=f"{s.action_url}/webhook",
            TRACKER_SQLITE_PATH=str(s.tracker_sqlite_path),
            RASA_PORT=str(s.rasa_port),
            WEB_PORT=str(s.web_port),
            WEB_HOST=s.web_host,
            PYTHONUNBUFFERED="1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            RASA_TELEMETRY_ENABLED="false",  # nothing calls out: no telemetry, no third-party error reports
            # One thread each for the numeric libraries: two cores are shared by three servers.
            OMP_NUM_THREADS="1",
            TF_NUM_INTRAOP_THREADS="1",
            TF_NUM_INTEROP_THREADS="1",
            TF_CPP_MIN_LOG_LEVEL="2",
        )
        env.update(self.settings.extra_env)
        env["ACTION_SERVER_TOKEN"] = self.action_token  # endpoints.yml hands it to Rasa as a header
        return env

    def _services(self) -> list[Service]:
        s = self.settings
        env = self._base_env()
        s.runtime_dir.mkdir(parents=True, exist_ok=True)
        s.tracker_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        credentials = s.runtime_dir / f"credentials-{s.rasa_port}.yml"
        self.enabled_channels = write_runtime_credentials(credentials, s.credentials, env)
        action = Service(
            "action server",
            [str(BIN / "python"), "-m", "bot.action_server"],
            {**env, "ACTION_SERVER_HOST": s.action_host, "ACTION_PORT": str(s.action_port)},
            f"{s.action_url}/health",
        )
        # bot.rasa_server is Rasa's own command line with our speed fixes (bot/rasa_speedups.py).
        rasa_argv = [str(BIN / "python"), "-m", "bot.rasa_server", "shell" if self.shell else "run",
                     "--model", str(s.model),
                     "--endpoints", str(s.endpoints)]
        rasa_argv += ["--credentials", str(credentials)]
        if not self.shell:
            rasa_argv += ["--port", str(s.rasa_port), "--interface", s.rasa_interface]
            if s.api_token:
                # Rasa's HTTP API (model, tracker and conversation endpoints) only ever with a token.
                rasa_argv += ["--enable-api", "--auth-token", s.api_token]
        rasa = Service("rasa server", rasa_argv, env, f"{s.rasa_url}/webhooks/rest/")
        web = Service("web server", [str(BIN / "python"), "-m", "bot.web"], env, f"{s.web_url}/")
        return [action, rasa] if self.shell else [action, rasa, web]

    def _output(self, service: Service) -> IO[bytes] | None:
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{service.name.replace(' ', '-')}.log").open("ab")
        self._logs.append(log)
        return log

    def start_service(self, service: Service) -> None:
        """Start one service (in its own process group, so stopping it stops its children too)."""
        out = self._output(service)
        interactive = self.shell and service.name == "rasa server"
        service.process = subprocess.Popen(
            service.argv, cwd=REPO_ROOT, env=service.env, stdout=out, stderr=subprocess.STDOUT if out else None,
            stdin=None if interactive else subprocess.DEVNULL, start_new_session=not interactive,
        )

    def wait_ready(self, service: Service, timeout: float = 180.0) -> None:
        """Block until the service answers its readiness URL; raise if it dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if service.process is not None and service.process.poll() is not None:
                raise RuntimeError(f"{service.name} exited with code {service.process.returncode}")
            try:
                with urllib.request.urlopen(service.ready_url, timeout=2):  # noqa: S310 (loopback URL)
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise TimeoutError(f"{service.name} not ready at {service.ready_url} after {timeout:.0f}s")

    def start(self) -> None:
        """Start every service and wait until each is ready (the action server first)."""
        for service in self.services:
            self.start_service(service)
        for service in self.services:
            if not (self.shell and service.name == "rasa server"):
                self.wait_ready(service)

    def service(self, name: str) -> Service:
        """The service with this name ('action server', 'rasa server', 'web server')."""
        return next(s for s in self.services if s.name == name)

    def stop_service(self, service: Service, timeout: float = 15.0) -> None:
        """Stop one service politely (SIGTERM), then firmly."""
        if service.process is not None:
            stop_process_group(service.process, timeout)

    def restart_service(self, name: str) -> None:
        """Stop and start one service, waiting until it is ready again."""
        service = self.service(name)
        self.stop_service(service)
        self.start_service(service)
        self.wait_ready(service)

    def stop(self) -> None:
        """Stop every service, last started first."""
        for service in reversed(self.services):
            self.stop_service(service)
        for log in self._logs:
            log.close()

    def wait(self) -> int:
        """Wait until any service exits; return its exit code."""
        while True:
            for service in self.services:
                if service.process is not None and service.process.poll() is not None:
                    print(f"{service.name} stopped (exit code {service.process.returncode}); stopping the rest.")
                    return service.process.returncode or 1
            time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    """Command line for `make run` / `make shell`."""
    parser = argparse.ArgumentParser(description="Start the skincare assistant.")
    parser.add_argument("--shell", action="store_true", help="chat in this terminal instead of the web servers")
    args = parser.parse_args(argv)
    settings = StackSettings.from_env()
    if not settings.model.exists():
        print(f"No trained model at {settings.model}: run `make train` first.", file=sys.stderr)
        return 1
    stack = Stack(settings, shell=args.shell)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    # Also when started in the background by a shell, which leaves SIGINT ignored for its children.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        print(">> starting " + ", ".join(service.name for service in stack.services) + "...")
        stack.start()
        if args.shell:
            return stack.service("rasa server").process.wait()  # type: ignore[union-attr]
        channels = ", ".join(stack.enabled_channels) or "rest, socketio"
        print(f"""
  Skincare assistant is running (Ctrl-C stops everything).
    Demo shop with chat widget: http://localhost:{settings.web_port}/
    Staff dashboard:            http://localhost:{settings.web_port}/staff  (needs STAFF_TOKEN)
    REST channel:               http://localhost:{settings.rasa_port}/webhooks/rest/webhook
    Channels enabled:           {channels}
    Rasa HTTP API:              {"enabled (token required)" if settings.api_token else "off (set RASA_API_TOKEN)"}
""", flush=True)
        return stack.wait()
    except KeyboardInterrupt:
        print("\n>> stopping...")
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
