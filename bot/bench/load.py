"""Load for the benchmark: a REST client, simulated users sending scripted messages, latency stats."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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
                "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1)}


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

    def __init__(self, port: int) -> None:
        self.port = port
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
            return replies
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection (a new one opens on the next send)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


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
            conversation, step = divmod(i, len(script))
            began = time.perf_counter()
            try:
                client.send(f"{tag}-u{user}-c{conversation}", script[step])
            except (BenchError, OSError, http.client.HTTPException, ValueError):
                errors += 1
                client.close()
                continue
            samples.append((script[step], (time.perf_counter() - began) * 1000))
        client.close()
        return samples, errors

    with ThreadPoolExecutor(max_workers=users) as pool:
        futures = [pool.submit(person, user) for user in range(users)]
        try:
            start.wait()
            began = time.perf_counter()
            results = [future.result() for future in futures]
            seconds = time.perf_counter() - began
        except BaseException:  # Ctrl-C: let the simulated people go home before the servers stop
            start.abort()
            stop.set()
            raise
    return LoadResult(users, seconds, [sample for done, _ in results for sample in done], sum(e for _, e in results))


