"""The benchmark's view of server processes: start and stop them, wait for them, read CPU and memory
from /proc (including child processes)."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.bench.load import BenchError
from bot.run import stop_process_group

TRAINING_TIMEOUT_S = 1800.0




def tail(path: Path, lines: int = 15) -> str:
    """The last lines of a log file, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"




def timed_run(what: str, argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    """Run a command to completion (bounded), output to `log`; return its wall-clock seconds."""
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        began = time.perf_counter()
        try:
            code = process.wait(timeout=TRAINING_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            raise BenchError(f"{what} took longer than {TRAINING_TIMEOUT_S:.0f}s; log: {log}") from error
        finally:
            stop_process_group(process, timeout=5)
        seconds = time.perf_counter() - began
    if code != 0:
        raise BenchError(f"{what} failed (exit code {code}). End of {log}:\n{tail(log)}")
    return seconds


def wait_ready(process: subprocess.Popen[bytes], url: str, what: str, log: Path, timeout: float = 300.0) -> None:
    """Block until `url` answers; raise BenchError if the process dies or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{what} exited with code {process.returncode}. End of {log}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback URL)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise BenchError(f"{what} not ready at {url} after {timeout:.0f}s; log: {log}")


def process_tree(leader: int) -> list[int]:
    """The leader, every process in its process group, and all their descendants (read from /proc)."""
    parents: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # Fields after the command name (which may contain spaces): state ppid pgrp ...
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(entry.name)] = (int(fields[1]), int(fields[2]))
    members = {pid for pid, (_, group) in parents.items() if pid == leader or group == leader}
    grew = True
    while grew:
        children = {pid for pid, (ppid, _) in parents.items() if ppid in members} - members
        members |= children
        grew = bool(children)
    return sorted(members)


def memory_mb(leader: int, field_name: str = "VmRSS") -> float:
    """Memory summed over a process tree, in MB.

    VmRSS (from /proc/<pid>/status) counts pages shared between processes once per process, which
    overstates forked workers; Pss (from /proc/<pid>/smaps_rollup) splits shared pages between them.
    """
    source = "status" if field_name.startswith("Vm") else "smaps_rollup"
    total_kb = 0
    for pid in process_tree(leader):
        try:
            text = Path(f"/proc/{pid}/{source}").read_text()
        except OSError:
            continue
        total_kb += sum(int(line.split()[1]) for line in text.splitlines() if line.startswith(f"{field_name}:"))
    return total_kb / 1024


def cpu_seconds(leader: int) -> float:
    """User + system CPU time consumed so far by a process tree (live processes only), in seconds."""
    ticks = 0
    for pid in process_tree(leader):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


