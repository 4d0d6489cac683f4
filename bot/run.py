"""Start the whole assistant: action server, Rasa server and web server (widget demo + staff area).

`python -m bot.run` (what `make run` does) starts all three on loopback in the foreground and prints
where to find them. `--shell` chats in the terminal instead of starting the web server. `--prod` (`make
run-prod`) starts two Rasa servers, two action servers and the web server behind nginx at
http://localhost:8000, on PostgreSQL and Redis. In every mode a server that crashes is restarted with
backoff while the others keep serving (bot/supervision.py); Ctrl-C, SIGTERM or SIGHUP stop everything,
letting in-flight requests finish; a launcher killed outright takes its servers with it, and a pid file
lets the next launcher clean up anything left (bot/launcher_state.py). Before any server starts, triage's
tables are brought to the newest schema revision (`python -m bot.triage migrate`, bot/triage/migrations).
Tests use `Stack` to start the same processes on free ports.

Settings come from the environment (bot/settings.py, all checked before anything starts; README
"Configuration" and "Production"): RASA_PORT, ACTION_PORT,
WEB_PORT, ENDPOINTS, RASA_INTERFACE, ACTION_SERVER_HOST, WEB_HOST, RASA_API_TOKEN, SKINCARE_DB_URL,
TRACKER_SQLITE_PATH, VAR_DIR, ACTION_SERVER_TOKEN, STAFF_RELAY_TOKEN, plus for --prod the variables in
bot/production.py, plus the messaging-app variables (bot/channels/credentials.py). Secrets reach the servers
through their environment, never their command line (visible to every user in `ps`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot import nginx, production, topology
from bot.channels.credentials import runtime_credentials
from bot.launcher_state import LauncherAlreadyRunning, LauncherState
from bot.settings import (
    DEFAULT_ACTION_PORT,
    DEFAULT_HOST,
    DEFAULT_RASA_PORT,
    DEFAULT_WEB_PORT,
    Settings,
    check,
    settings_for,
)
from bot.settings import problems as settings_problems
from bot.supervision import Service, Supervisor, spawn, stop_process_group, wait_ready

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PRODUCTION_ENDPOINTS = "endpoints.production.yml"
#: A migration waits for another process migrating the same database; longer than this is a stuck database.
TRIAGE_MIGRATION_SECONDS = 120
__all__ = ["Stack", "StackConfigError", "StackSettings", "free_port", "stop_process_group", "main"]


class StackConfigError(ValueError):
    """The settings cannot start a safe stack; the message says what to set."""


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _relative(path: Path) -> str:
    """`path` relative to the repository when inside it (the servers run there), as in the containers."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


@dataclass
class StackSettings:
    """Where each server listens and which files and databases it uses."""

    rasa_port: int = DEFAULT_RASA_PORT
    action_port: int = DEFAULT_ACTION_PORT
    web_port: int = DEFAULT_WEB_PORT
    rasa_interface: str = DEFAULT_HOST
    action_host: str = DEFAULT_HOST
    web_host: str = DEFAULT_HOST
    endpoints: Path = REPO_ROOT / "endpoints.yml"
    credentials: Path = REPO_ROOT / "credentials.yml"
    model: Path = REPO_ROOT / "models" / "skincare.tar.gz"
    runtime_dir: Path = REPO_ROOT / "build" / "runtime"
    var_dir: Path = REPO_ROOT / Settings.var_dir
    tracker_sqlite_path: Path = REPO_ROOT / "var" / "conversations.sqlite"
    api_token: str | None = None
    # --prod only: the replicas' ports and nginx's (bot/production.py reads them from the environment).
    prod_ports: production.ProductionPorts | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, prod: bool = False) -> StackSettings:
        """Settings from environment variables (bot/settings.py), defaults for the embedded set-up."""
        settings = settings_for(env)
        var_dir = REPO_ROOT / settings.var_dir
        prod_ports = production.ProductionPorts.from_env(env) if prod else None
        return cls(
            rasa_port=prod_ports.rasa_ports[0] if prod_ports else settings.rasa_port,
            action_port=prod_ports.action_ports[0] if prod_ports else settings.action_port,
            web_port=settings.web_port,
            rasa_interface=settings.rasa_interface,
            action_host=settings.action_host,
            web_host=settings.web_host,
            endpoints=REPO_ROOT / (settings.endpoints or (production.ENDPOINTS if prod else "endpoints.yml")),
            var_dir=var_dir,
            tracker_sqlite_path=Path(settings.tracker_sqlite_path or var_dir / "conversations.sqlite"),
            api_token=settings.rasa_api_token,
            prod_ports=prod_ports,
        )

    @property
    def rasa_url(self) -> str:
        """Base URL of the (first) Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        """Base URL of the (first) action server."""
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        """Base URL of the web server (demo page, widget, staff area)."""
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def public_url(self) -> str:
        """Where people reach the assistant: nginx with --prod, else the web server."""
        return f"http://127.0.0.1:{self.prod_ports.public_port}" if self.prod_ports else self.web_url

    @property
    def pid_file(self) -> Path:
        """One pid file per set of ports (keyed by the port people use)."""
        key = self.prod_ports.public_port if self.prod_ports else self.rasa_port
        return self.var_dir / "run" / f"launcher-{key}.json"


class Stack:
    """The assistant's server processes, started and stopped together."""

    def __init__(self, settings: StackSettings, log_dir: Path | None = None, shell: bool = False,
                 on_spawn: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.shell = shell
        self.on_spawn = on_spawn
        self._logs: list[IO[bytes]] = []
        self.enabled_channels: list[str] = []
        self.triage_schema = ""  # what `python -m bot.triage migrate` reported at start
        # The secret Rasa presents to the action server (bot/action_server.py): configured, or new per run.
        configured = check({**os.environ, **settings.extra_env})[0].action_server_token
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
            ACTION_SERVER_HOST=s.action_host,  # where the action server listens (bot/action_server.py)
            SANIC_GRACEFUL_SHUTDOWN_TIMEOUT=str(topology.GRACEFUL_SHUTDOWN_SECONDS),
            PYTHONUNBUFFERED="1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            RASA_TELEMETRY_ENABLED="false",  # nothing calls out: no telemetry, no third-party error reports
            # One thread each for the numeric libraries: two cores are shared by three servers.
            OMP_NUM_THREADS="1",
            TF_NUM_INTRAOP_THREADS="1",
            TF_NUM_INTEROP_THREADS="1",
            TF_CPP_MIN_LOG_LEVEL="2",
        )
        if s.prod_ports:
            env.update(production.server_env(s.prod_ports, env))
        env.update(self.settings.extra_env)
        env["ACTION_SERVER_TOKEN"] = self.action_token  # endpoints.yml hands it to Rasa as a header
        given = check(env)[0]  # main() refused to start on anything unusable in the launcher's environment
        # One widget session key for every Rasa worker and restart of this run (bot/channels/widget_sessions.py).
        if not given.widget_session_key:
            env["WIDGET_SESSION_KEY"] = secrets.token_urlsafe(32)
        # The secret the staff dashboard presents to the Rasa server's staff relay (bot/channels/staff_relay.py).
        if not given.staff_relay_token:
            env["STAFF_RELAY_TOKEN"] = secrets.token_urlsafe(32)
        # bot/rasa_server.py hands it to Rasa when the API is enabled: never on a command line.
        env["RASA_API_TOKEN"] = s.api_token or ""
        return env

    def _python(self, command: topology.ServerCommand) -> list[str]:
        return command.argv(str(BIN / "python"))

    def _rasa(self, name: str, port: int, env: dict[str, str], shell: bool = False) -> Service:
        s = self.settings
        argv = self._python(topology.rasa_server(
            port=port, interface=s.rasa_interface, model=_relative(s.model), endpoints=_relative(s.endpoints),
            credentials=_relative(s.credentials), shell=shell))
        if s.api_token and not shell:
            # Rasa's HTTP API (model, tracker and conversation endpoints) only ever with a token, which
            # bot/rasa_server.py reads from RASA_API_TOKEN: never on a command line (visible in `ps`).
            argv += ["--enable-api"]
        return Service(name, argv, env, None if shell else f"http://127.0.0.1:{port}/webhooks/rest/",
                       interactive=shell)

    def _services(self) -> list[Service]:
        s = self.settings
        env = self._base_env()
        if s.endpoints.name == PRODUCTION_ENDPOINTS and not check(env)[0].rest_token:
            raise StackConfigError(
                f"{PRODUCTION_ENDPOINTS} needs REST_TOKEN: in production the REST channel must be "
                "authenticated. Set it to a long random secret, e.g. "
                "REST_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        s.tracker_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        self.enabled_channels = runtime_credentials(s.credentials, env)[1]
        web = Service("web server", self._python(topology.web_server()), env, f"{s.web_url}/")
        if s.prod_ports is None:
            action = Service("action server", self._python(topology.action_server(s.action_port)), env,
                             f"{s.action_url}/health")
            rasa = self._rasa("rasa server", s.rasa_port, env, shell=self.shell)
            return [action, rasa] if self.shell else [action, rasa, web]
        ports = s.prod_ports
        actions = [Service(f"action server {i}", self._python(topology.action_server(port)), env,
                           f"http://127.0.0.1:{port}/health") for i, port in enumerate(ports.action_ports, 1)]
        rasas = [self._rasa(f"rasa server {i}", port, env) for i, port in enumerate(ports.rasa_ports, 1)]
        layout = nginx.local_layout(s.var_dir, ports.public_port, ports.action_proxy_port, ports.rasa_ports,
                                    ports.action_ports, s.web_port)
        config = nginx.write_local_config(layout, s.var_dir)
        # SIGQUIT: nginx's graceful stop (finish the requests it is proxying).
        front = Service("nginx", nginx.nginx_argv(config), env, f"http://127.0.0.1:{ports.public_port}/health",
                        stop_signal=signal.SIGQUIT)
        return [*actions, *rasas, web, front]

    def _output(self, service: Service) -> IO[bytes] | None:
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{service.name.replace(' ', '-')}.log").open("ab")
        self._logs.append(log)
        return log

    def start_service(self, service: Service) -> None:
        """Start one service (in its own process group, so stopping it stops its children too)."""
        spawn(service, REPO_ROOT, self._output(service))
        if self.on_spawn is not None:
            self.on_spawn()

    def wait_ready(self, service: Service, timeout: float = 180.0) -> None:
        """Block until the service answers its readiness URL; raise if it dies or times out."""
        wait_ready(service, timeout)

    def migrate_triage(self) -> str:
        """Apply triage's schema migrations to the database the servers will use (their environment),
        before any of them writes a ticket; returns what the migration reported."""
        env = self.services[0].env
        try:
            done = subprocess.run([str(BIN / "python"), "-m", "bot.triage", "migrate"], cwd=REPO_ROOT, env=env,
                                  capture_output=True, text=True, timeout=TRIAGE_MIGRATION_SECONDS)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"triage's schema migration took more than {TRIAGE_MIGRATION_SECONDS} s "
                               "(is another process holding the database?)") from None
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip() or f"`python -m bot.triage migrate` exited with {done.returncode}")
        return done.stdout.strip()

    def start(self) -> None:
        """Migrate triage's tables, then start every service and wait until each is ready (the action
        servers first, nginx last)."""
        self.triage_schema = self.migrate_triage()
        for service in self.services:
            if service.name != "nginx":
                self.start_service(service)
        for service in self.services:
            if service.name == "nginx":  # in front: only once there is something to route to
                self.start_service(service)
            self.wait_ready(service)

    def service(self, name: str) -> Service:
        """The service with this name ('action server', 'rasa server', 'web server', 'rasa server 2', ...)."""
        return next(s for s in self.services if s.name == name)

    def stop_service(self, service: Service) -> None:
        """Stop one service politely (SIGTERM, or its own graceful signal), then firmly."""
        if service.process is not None:
            stop_process_group(service.process, stop_signal=service.stop_signal)

    def restart_service(self, name: str) -> None:
        """Stop and start one service, waiting until it is ready again."""
        service = self.service(name)
        self.stop_service(service)
        self.start_service(service)
        self.wait_ready(service)

    def stop(self) -> None:
        """Stop every service, the front first: nginx, then the web and Rasa servers, then the actions."""
        for service in reversed(self.services):
            self.stop_service(service)
        for log in self._logs:
            log.close()
        self._logs.clear()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _banner(stack: Stack) -> str:
    s = stack.settings
    channels = ", ".join(stack.enabled_channels) or "rest, socketio"
    api = "enabled (token required)" if s.api_token else "off (set RASA_API_TOKEN)"
    if s.prod_ports:
        base = f"http://localhost:{s.prod_ports.public_port}"
        return f"""
  Skincare assistant is running in production mode behind nginx (Ctrl-C stops everything).
    Demo shop with chat widget: {base}/
    Staff dashboard:            {base}/staff
    REST channel:               {base}/webhooks/rest/webhook  (Authorization: Bearer $REST_TOKEN)
    Replicas:                   Rasa on ports {", ".join(map(str, s.prod_ports.rasa_ports))}, actions on \
{", ".join(map(str, s.prod_ports.action_ports))}, web on {s.web_port} (all loopback)
    Channels enabled:           {channels}
    Rasa HTTP API:              {api}
    {stack.triage_schema}
"""
    return f"""
  Skincare assistant is running (Ctrl-C stops everything).
    Demo shop with chat widget: http://localhost:{s.web_port}/
    Staff dashboard:            http://localhost:{s.web_port}/staff  (needs STAFF_TOKEN)
    REST channel:               http://localhost:{s.rasa_port}/webhooks/rest/webhook
    Channels enabled:           {channels}
    Rasa HTTP API:              {api}
    {stack.triage_schema}
"""


def main(argv: list[str] | None = None) -> int:
    """Command line for `make run`, `make shell` and `make run-prod`."""
    parser = argparse.ArgumentParser(description="Start the skincare assistant.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--shell", action="store_true", help="chat in this terminal instead of the web servers")
    mode.add_argument("--prod", action="store_true", help="two replicas of each server behind nginx (:8000)")
    parser.add_argument("--check", action="store_true", help="only check the settings, start nothing")
    args = parser.parse_args(argv)
    # Every variable checked at once, before anything starts (bot/settings.py; --prod needs more).
    problems = production.problems(os.environ) if args.prod else settings_problems(os.environ)
    if problems:
        command = "make run-prod" if args.prod else "make run"
        print(f"{command} cannot start, fix these environment variables:\n" + "\n".join(f"  - {p}" for p in problems),
              file=sys.stderr)
        return 2
    settings = StackSettings.from_env(prod=args.prod)
    if args.check:
        return 0
    if not settings.model.exists():
        print(f"No trained model at {settings.model}: run `make train` first.", file=sys.stderr)
        return 1
    state = LauncherState(settings.pid_file)
    try:
        state.claim()
    except LauncherAlreadyRunning as error:
        print(f"Not starting: {error}.", file=sys.stderr)
        return 1
    stack: Stack | None = None
    # SIGTERM (service managers) and SIGHUP (a closed terminal) stop everything like Ctrl-C. SIGINT too
    # when started in the background by a shell, which leaves SIGINT ignored for its children.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        stack = Stack(settings, shell=args.shell)
        stack.on_spawn = lambda: state.record(
            [(s.name, s.process.pid) for s in stack.services if s.process is not None])  # type: ignore[union-attr]
        print(">> starting " + ", ".join(service.name for service in stack.services) + "...", flush=True)
        stack.start()
        supervised = [s for s in stack.services if not s.interactive]
        supervisor = Supervisor(supervised, stack.start_service, log=lambda line: print(f">> {line}", flush=True))
        if args.shell:
            chat = stack.service("rasa server")
            supervisor.run_until(lambda: not chat.running)
            return chat.process.returncode or 0  # type: ignore[union-attr]
        print(_banner(stack), flush=True)
        supervisor.run_until(lambda: False)
        return 0
    except StackConfigError as error:
        print(f"Not starting: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\n>> stopping (waiting for requests in progress)...", flush=True)
        return 0
    except (RuntimeError, TimeoutError, OSError) as error:  # a server that cannot start, with its reason
        print(f"\n>> could not start: {error}; stopping the rest.", file=sys.stderr, flush=True)
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
        state.release()


if __name__ == "__main__":
    raise SystemExit(main())
