"""Load for the benchmark: a REST client, simulated users sending scripted messages, latency stats."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REST_PATH = "/webhooks/rest/webhook"
REQUEST_TIMEOUT_S = 60.0


class BenchError(RuntimeError):
    """Something the benchmark needs could not run (training, a server, a request)."""


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (nan for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@dataclass
class LoadResult:
    """One load level: `users` simulated people sending messages back to back, each answer timed."""

    users: int
    seconds: float
    samples: list[tuple[str, float]] = field(repr=False)  # (message text, latency in ms)
    errors: int

    @property
    def latencies_ms(self) -> list[float]:
        """Latency of every answered message, in milliseconds."""
        return [ms for _, ms in self.samples]

    def by_message(self) -> dict[str, float]:
        """Median latency (ms) per message text, in script order."""
        texts = dict.fromkeys(text for text, _ in self.samples)
        return {text: percentile([ms for t, ms in self.samples if t == text], 50) for text in texts}

    @property
    def messages_per_second(self) -> float:
        """Answered messages per wall-clock second."""
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds (nan when nothing was answered)."""
        return percentile(self.latencies_ms, q)

    def summary(self) -> dict[str, float]:
        """The numbers worth keeping (for --json)."""
        return {"users": self.users, "messages": len(self.latencies_ms), "errors": self.errors,
                "seconds": round(self.seconds, 2), "messages_per_second": round(self.messages_per_second, 2),
                "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1),
                "p99_ms": round(self.percentile(99), 1)}


@dataclass
class BotResult:
    """Everything measured for one bot."""

    name: str
    training_s: float | None
    single: LoadResult
    concurrent: LoadResult
    rss_mb: float
    rss_detail_mb: dict[str, float]
    cpu_ms_per_message: dict[str, float]  # at the concurrent level, per server
    pss_detail_mb: dict[str, float]  # proportional set size: shared pages split between processes
    long_p50_ms: dict[str, float] = field(default_factory=dict)  # bot/bench/long_conversation.py


class RestClient:
    """One simulated person's connection to a Rasa REST channel (kept alive between messages)."""

    def __init__(self, port: int, refused_replies: Sequence[str] = ()) -> None:
        self.port = port
        # Replies that mean the assistant could not answer (a service down or too slow): failures here.
        self.refused_replies = tuple(refused_replies)
        self._conn: http.client.HTTPConnection | None = None
        self._headers = {"Content-Type": "application/json"}
        if os.environ.get("REST_TOKEN"):  # our REST channel requires it when set (bot/channels/rest.py)
            self._headers["Authorization"] = f"Bearer {os.environ['REST_TOKEN']}"

    def send(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Send one message; return the bot's replies. Raises BenchError on a non-200 answer."""
        body = json.dumps({"sender": sender, "message": text})
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
            try:
                self._conn.request("POST", REST_PATH, body, self._headers)
                response = self._conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection before this request: reconnect once.
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.status != 200:
                raise BenchError(f"HTTP {response.status} for {text!r}: {data[:200]!r}")
            replies = json.loads(data)
            if not replies:
                # Rasa's REST channel answers 200 with [] when handling the message raised: a failure.
                raise BenchError(f"no reply to {text!r} (see the server log)")
            refused = [r for r in replies if r.get("text") in self.refused_replies]
            if refused:
                raise BenchError(f"{text!r} got the apology {refused[0]['text']!r}")
            return replies
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection (a new one opens on the next send)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _timed_send(client: RestClient, person: str, script: Sequence[str], i: int,
                samples: list[tuple[str, float]]) -> bool:
    """Send the script's i-th message (conversation i // len(script)), add its latency; False on failure."""
    conversation, step = divmod(i, len(script))
    began = time.perf_counter()
    try:
        client.send(f"{person}-c{conversation}", script[step])
    except (BenchError, OSError, http.client.HTTPException, ValueError):
        client.close()
        return False
    samples.append((script[step], (time.perf_counter() - began) * 1000))
    return True


def _run_people(users: int, person: Callable[[int], tuple[list[tuple[str, float]], int]],
                start: threading.Barrier, stop: threading.Event) -> LoadResult:
    """Run `person(user)` in one thread per user, timed from the moment they all start."""
    with ThreadPoolExecutor(max_workers=users) as pool:
        futures = [pool.submit(person, user) for user in range(users)]
        try:
            start.wait()
            began = time.perf_counter()
            results = [future.result() for future in futures]
            took = time.perf_counter() - began
        except BaseException:  # Ctrl-C: let the simulated people go home before the servers stop
            start.abort()
            stop.set()
            raise
    return LoadResult(users, took, [sample for done, _ in results for sample in done], sum(e for _, e in results))


def run_load(port: int, script: Sequence[str], users: int, messages: int, tag: str) -> LoadResult:
    """`users` threads each send messages/users messages back to back (closed loop); time each one."""
    per_user = max(1, messages // users)
    start, stop = threading.Barrier(users + 1), threading.Event()

    def person(user: int) -> tuple[list[tuple[str, float]], int]:
        client, samples, errors = RestClient(port), [], 0
        start.wait()
        for i in range(per_user):
            if stop.is_set():
                break
            errors += not _timed_send(client, f"{tag}-u{user}", script, i, samples)
        client.close()
        return samples, errors

    return _run_people(users, person, start, stop)




def run_for(port: int, script: Sequence[str], users: int, seconds: float, tag: str, *,
            rate: float | None = None, refused_replies: Sequence[str] = ()) -> LoadResult:
    """`users` threads send the script over and over for `seconds` (closed loop: each waits for its answer).

    With `rate` (messages per second, all users together) each user also waits for its next turn, so
    the load stays at that rate while the bot keeps up (the soak); without it they send back to back.
    A message being answered when the time is up is still counted.
    """
    start, stop = threading.Barrier(users + 1), threading.Event()
    interval = users / rate if rate else 0.0

    def person(user: int) -> tuple[list[tuple[str, float]], int]:
        client, samples, errors = RestClient(port, refused_replies), [], 0
        start.wait()
        deadline = time.perf_counter() + seconds
        next_send = time.perf_counter() + interval * user / users  # spread the first messages out
        i = 0
        while not stop.is_set():
            if interval:
                wait = next_send - time.perf_counter()
                if wait > 0 and stop.wait(min(wait, max(0.0, deadline - time.perf_counter()))):
                    break
                next_send = max(next_send + interval, time.perf_counter())
            if time.perf_counter() >= deadline:
                break
            errors += not _timed_send(client, f"{tag}-u{user}", script, i, samples)
            i += 1
        client.close()
        return samples, errors

    return _run_people(users, person, start, stop)


def run_in_workdir(name: str, args: Any, run: Callable[[Any, Path], int], kept: str) -> int:
    """A benchmark's command-line frame: a temporary work directory (kept with --keep or after a failure,
    since its logs say why), SIGTERM handled as Ctrl-C; 0 when everything ran, 1 when something could not."""
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    work = Path(tempfile.mkdtemp(prefix=f"skincare-{name}-"))
    keep = args.keep
    try:
        return run(args, work)
    except BenchError as error:
        keep = True  # the logs say why
        print(f"{name}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\n{name}: interrupted, everything stopped", file=sys.stderr)
        return 130
    finally:
        if keep:
            print(f"({kept} kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
