"""The launcher's pid file: which launcher runs and which servers it started, so that the next launcher
can tell a running assistant from the leftovers of one that was killed, and clean those up.

A process is identified by its pid *and* its start time (field 22 of /proc/PID/stat), so a pid reused
by an unrelated process is never signalled.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot, or None if it does not exist (or is a zombie)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else int(fields[19])


def _same_process(entry: dict[str, int]) -> bool:
    return start_time(entry["pid"]) == entry["start"]


class LauncherAlreadyRunning(RuntimeError):
    """Another launcher with the same pid file is alive."""


@dataclass
class LauncherState:
    """The pid file at `path` (JSON: the launcher and its servers, each as pid + start time)."""

    path: Path

    def _read(self) -> dict[str, object] | None:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None

    def claim(self, log: Callable[[str], None] = print, timeout: float = 20.0) -> None:
        """Make this process the launcher: refuse if another is alive, stop servers a dead one left.

        Leftover servers get SIGTERM (they finish what they were doing), then SIGKILL after `timeout`.
        """
        previous = self._read()
        if previous is not None:
            launcher = previous.get("launcher")
            if isinstance(launcher, dict) and launcher.get("pid") != os.getpid() and _same_process(launcher):
                raise LauncherAlreadyRunning(
                    f"the assistant is already running (launcher pid {launcher['pid']}, pid file {self.path}): "
                    f"stop it first (Ctrl-C in its terminal, or `kill {launcher['pid']}`)"
                )
            leftovers = [s for s in previous.get("services", []) if isinstance(s, dict) and _same_process(s)]
            if leftovers:
                names = ", ".join(f"{s['name']} (pid {s['pid']})" for s in leftovers)
                log(f">> stopping servers left running by a launcher that was killed: {names}")
                self._stop(leftovers, timeout)
        self.record([])

    @staticmethod
    def _stop(leftovers: list[dict[str, int]], timeout: float) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for entry in leftovers:
                if _same_process(entry):
                    try:
                        os.killpg(entry["pid"], sig)  # each server leads its own process group
                    except (ProcessLookupError, PermissionError):
                        os.kill(entry["pid"], sig)
            deadline = time.monotonic() + timeout
            while any(_same_process(e) for e in leftovers) and time.monotonic() < deadline:
                time.sleep(0.2)
            if not any(_same_process(e) for e in leftovers):
                return

    def record(self, services: list[tuple[str, int]]) -> None:
        """Write the launcher (this process) and its servers' (name, pid)."""
        me = os.getpid()
        entries = [{"name": name, "pid": pid, "start": start_time(pid)} for name, pid in services]
        content = {"launcher": {"pid": me, "start": start_time(me)},
                   "services": [e for e in entries if e["start"] is not None]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(content, indent=1))
        temporary.replace(self.path)

    def release(self) -> None:
        """Remove the pid file (a clean stop: nothing is left to reclaim)."""
        self.path.unlink(missing_ok=True)
