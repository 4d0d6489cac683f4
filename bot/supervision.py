"""Server processes that live and die with their launcher, and come back when they crash.

Each server runs in its own session (so stopping it stops whatever it started) and is tied to the
launcher by Linux's parent-death signal (prctl PR_SET_PDEATHSIG, see prctl(2)): if the launcher is
killed outright (SIGKILL, or a closed terminal it did not get to handle), the kernel sends every
server SIGTERM and they shut down gracefully instead of holding their ports. `Supervisor` restarts a
server that exits on its own, with exponential backoff, while the others keep serving.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.topology import GRACEFUL_SHUTDOWN_SECONDS

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded before any fork: the child must not load libraries
# Time a server gets to finish in-flight requests after SIGTERM before it is killed.
STOP_TIMEOUT = GRACEFUL_SHUTDOWN_SECONDS + 5.0


def _tie_to_parent(parent_pid: int) -> Callable[[], None]:
    """A preexec_fn: SIGTERM this child when its parent dies (also if it already has)."""

    def preexec() -> None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


@dataclass
class Service:
    """One server process: how to start it, how to tell it is ready, how to stop it gracefully."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready_url: str | None
    stop_signal: signal.Signals = signal.SIGTERM
    interactive: bool = False  # `rasa shell`: stays in the terminal's process group, reads stdin
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0

    @property
    def running(self) -> bool:
        """Whether its process is alive."""
        return self.process is not None and self.process.poll() is None


def spawn(service: Service, cwd: Path, output: IO[bytes] | None) -> None:
    """Start `service` in its own session, tied to this process by the parent-death signal."""
    service.process = subprocess.Popen(
        service.argv, cwd=cwd, env=service.env,
        stdout=output, stderr=subprocess.STDOUT if output else None,
        stdin=None if service.interactive else subprocess.DEVNULL,
        start_new_session=not service.interactive,
        preexec_fn=_tie_to_parent(os.getpid()),  # noqa: PLW1509 (the launcher starts no threads)
    )
    service.started_at = time.monotonic()


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT,
                       stop_signal: signal.Signals = signal.SIGTERM) -> None:
    """Stop a process started in its own session, and its children: `stop_signal`, then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, stop_signal)
    except ProcessLookupError:
        return
    except PermissionError:  # not a group leader (an interactive child): signal the process itself
        process.send_signal(stop_signal)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait()


def wait_ready(service: Service, timeout: float = 180.0) -> None:
    """Block until the service answers its readiness URL; raise if it dies or times out."""
    if service.ready_url is None:
        return
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


@dataclass
class Backoff:
    """Restart delays: 1 s, doubling up to `longest`; back to the first after a long enough healthy run."""

    first: float = 1.0
    longest: float = 30.0
    healthy_after: float = 60.0

    def delay(self, restarts: int, uptime: float) -> float:
        """Seconds to wait before restarting a service that ran `uptime` s after `restarts` restarts."""
        if uptime >= self.healthy_after:
            return self.first
        return min(self.longest, self.first * 2 ** min(restarts, 16))


@dataclass
class Supervisor:
    """Watches services; one that exits on its own is started again after a backoff delay.

    `start` is how a service is (re)started (the launcher's, which opens its log and records its pid).
    `log` receives one line per event a person running the assistant should see.
    """

    services: list[Service]
    start: Callable[[Service], None]
    log: Callable[[str], None] = print
    backoff: Backoff = field(default_factory=Backoff)
    _due: dict[str, float] = field(default_factory=dict)

    def check(self, now: float | None = None) -> None:
        """One round: notice exits, schedule restarts, perform the restarts that are due."""
        now = time.monotonic() if now is None else now
        for service in self.services:
            if service.process is None or service.running:
                continue
            if service.name not in self._due:
                delay = self.backoff.delay(service.restarts, now - service.started_at)
                if now - service.started_at >= self.backoff.healthy_after:
                    service.restarts = 0
                self._due[service.name] = now + delay
                self.log(f"{service.name} exited (code {service.process.returncode}); "
                         f"restarting in {delay:.0f}s, the other servers keep serving.")
            elif now >= self._due[service.name]:
                del self._due[service.name]
                service.restarts += 1
                self.start(service)
                self.log(f"{service.name} restarted (pid {service.process.pid}, restart {service.restarts}).")

    def run_until(self, stop: Callable[[], bool], interval: float = 0.5) -> None:
        """Check every `interval` seconds until `stop()` says so."""
        while not stop():
            self.check()
            time.sleep(interval)
