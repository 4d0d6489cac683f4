"""Start and stop real server processes for the web tests (free ports, logs kept for failures)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]




class ServerProcess:
    """One server started as a child process, ready once ``ready_url`` answers."""

    def __init__(
        self,
        name: str,
        args: Sequence[str],
        ready_url: str,
        env: Mapping[str, str],
        log_dir: Path,
        timeout: float = 60.0,
    ) -> None:
        self.name = name
        self.args = list(args)
        self.ready_url = ready_url
        self.env = {**os.environ, **env}
        self.log_path = log_dir / f"{name}.log"
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        """Start the process and wait until it answers (or fail with the tail of its log)."""
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
        self.process = subprocess.Popen(
            self.args, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._log = log
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.ready_url, timeout=2).status_code < 500:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {self.ready_url} in {self.timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the process group we started (SIGTERM, then SIGKILL after 15 s)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        """The end of the process's output, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def python_module(module: str, *args: str) -> list[str]:
    """Command line running ``python -m module`` with the interpreter running the tests."""
    return [sys.executable, "-m", module, *args]
