"""`make bench-prod`'s figures (bot/bench/scaling.py, bot/bench/load.py): percentiles, scaling efficiency,
the soak's rate and verdict, the printed table, and apologies counted as errors. Fixed inputs, no timing
asserts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.answers.unavailable import ACTION_UNAVAILABLE
from bot.bench.load import LoadResult, percentile, run_for
from bot.bench.scaling import SoakResult, TopologyResult, report, scaling_efficiency, soak_rate


def load(messages: int, seconds: float, errors: int = 0, latency_ms: float = 100.0) -> LoadResult:
    # Latencies 1..messages ms apart from `latency_ms`, so each percentile is known exactly.
    return LoadResult(4, seconds, [("hi", latency_ms + i) for i in range(messages)], errors)


def test_percentiles_are_nearest_rank_and_p99_is_reported():
    result = load(100, 10.0)
    assert (result.percentile(50), result.percentile(95), result.percentile(99)) == (149.0, 194.0, 198.0)
    assert result.summary()["p99_ms"] == 198.0 and result.summary()["messages_per_second"] == 10.0
    assert percentile([], 99) != percentile([], 99)  # nothing answered: nan, never a made-up 0


def test_scaling_efficiency_compares_the_replicas_with_one_process_each():
    one = TopologyResult("one", 1, load(200, 10.0), {"rasa server": 500.0})
    two = TopologyResult("two", 2, load(300, 10.0), {"rasa server 1": 500.0, "rasa server 2": 480.0})
    assert scaling_efficiency(one, two) == pytest.approx(0.75)  # 30 msg/s against 2 x 20
    silent = TopologyResult("none", 1, load(0, 10.0), {})
    assert scaling_efficiency(silent, two) is None
    assert two.total_rss_mb == 980.0


def test_the_soak_runs_at_seventy_percent_of_peak_and_passes_only_without_errors_or_growth():
    peak = TopologyResult("two", 2, load(400, 10.0), {})
    assert soak_rate(peak) == pytest.approx(28.0)
    steady = SoakResult(28.0, load(1680, 60.0), {"rasa server 1": 500.0, "action server 1": 200.0},
                        {"rasa server 1": 540.0, "action server 1": 205.0})
    assert steady.growth() == pytest.approx({"rasa server 1": 0.08, "action server 1": 0.025})
    assert steady.passed
    leaking = SoakResult(28.0, load(1680, 60.0), {"rasa server 1": 500.0}, {"rasa server 1": 560.0})
    assert not leaking.passed  # 12% growth
    failing = SoakResult(28.0, load(1680, 60.0, errors=1), {"rasa server 1": 500.0}, {"rasa server 1": 500.0})
    assert not failing.passed
    unmeasured = SoakResult(28.0, load(1680, 60.0), {}, {})
    assert not unmeasured.passed  # no memory figures: no verdict of success


def test_the_report_shows_every_topology_memory_per_process_efficiency_and_the_soak_verdict():
    results = [TopologyResult("stock rasa init, 1 process", 1, load(100, 10.0, latency_ms=200), {"rasa server": 600}),
               TopologyResult("ours, 1 process", 1, load(200, 10.0), {"rasa server": 700, "action server": 300}),
               TopologyResult("ours, 2 replicas behind nginx", 2, load(300, 10.0, errors=2),
                              {"rasa server 1": 700, "rasa server 2": 690, "nginx": 10})]
    soaked = SoakResult(21.0, load(1260, 60.0), {"rasa server 1": 700.0}, {"rasa server 1": 800.0})
    text = report(results, scaling_efficiency(results[1], results[2]), soaked)
    stock, one, two = (next(line for line in text.splitlines() if line.startswith(r.name)) for r in results)
    assert stock.split()[-6:] == ["249", "294", "298", "10.0", "0", "600"]
    assert two.split()[-3:] == ["30.0", "2", "1400"]
    assert "memory per process, ours, 1 process: rasa server 700 MB, action server 300 MB" in text
    assert "scaling efficiency: 0.75" in text
    assert "rasa server 1 +14.3%" in text and "MISS" in text



@pytest.fixture
def apologising_bot() -> Iterator[int]:
    """A REST endpoint that answers every message with the action-unavailable apology; yields its port."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps([{"recipient_id": "x", "text": ACTION_UNAVAILABLE}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_an_apology_is_an_error_not_an_answer(apologising_bot: int):
    result = run_for(apologising_bot, ("hi", "are milk exosomes vegan?"), 2, 0.5, "apology",
                     refused_replies=(ACTION_UNAVAILABLE,))
    assert result.errors > 0 and result.samples == []
    counted = run_for(apologising_bot, ("hi",), 1, 0.2, "no-check")  # the stock bot's replies are not checked
    assert counted.errors == 0 and counted.samples


def test_after_a_warm_up_the_verdict_measures_growth_from_its_end_and_reports_the_whole_climb():
    # Bounded caches fill during the warm-up (+20%), then memory holds (+2%): a pass, with both figures shown.
    warm = SoakResult(28.0, load(1680, 60.0), {"action server 1": 100.0}, {"action server 1": 122.4},
                      rss_warm_mb={"action server 1": 120.0}, warmup=load(1680, 60.0),
                      trace=[(0.0, {"action server 1": 100.0}), (60.0, {"action server 1": 120.0}),
                             (120.0, {"action server 1": 122.4})])
    assert warm.growth() == pytest.approx({"action server 1": 0.02})
    assert warm.growth_from_start() == pytest.approx({"action server 1": 0.224})
    assert warm.passed
    text = report([], None, warm)
    assert "after a 1.0-min warm-up" in text and "action server 1 +2.0% -> PASS" in text
    assert "from before the warm-up (caches empty): action server 1 +22.4%" in text
    assert "soak RSS at   2.0 min: action server 1 122" in text
    assert warm.summary()["rss_growth_from_start"] == {"action server 1": 0.224}
    # A climb that goes on after the warm-up is still a miss, and an error in the warm-up counts.
    climbing = SoakResult(28.0, load(1680, 60.0), {"a": 100.0}, {"a": 135.0}, rss_warm_mb={"a": 120.0},
                          warmup=load(1680, 60.0))
    assert not climbing.passed  # 12.5% after the warm-up
    broken_warmup = SoakResult(28.0, load(1680, 60.0), {"a": 100.0}, {"a": 100.0}, rss_warm_mb={"a": 100.0},
                               warmup=load(1680, 60.0, errors=1))
    assert broken_warmup.errors == 1 and not broken_warmup.passed
