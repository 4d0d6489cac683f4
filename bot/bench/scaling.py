"""What `make bench-prod` reports: each topology's latency, throughput, errors and memory per process, the
scaling efficiency of the replicas, and the soak's verdict. Plain data and arithmetic (tests/bench/)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.bench.load import LoadResult

#: The soak runs at this share of the replicas' peak throughput (issue 12).
SOAK_SHARE_OF_PEAK = 0.7
#: Largest RSS growth over the soak that still passes, per process (issue 12: under 10%).
MAX_SOAK_GROWTH = 0.10


@dataclass
class TopologyResult:
    """One topology under closed-loop load: the numbers and each server's resident memory (MB) after it."""

    name: str
    processes: int  # Rasa servers taking messages (the scaling unit)
    load: LoadResult
    rss_mb: dict[str, float]

    @property
    def total_rss_mb(self) -> float:
        """All of the topology's servers together."""
        return sum(self.rss_mb.values())

    def row(self) -> dict[str, object]:
        """The topology's figures (for the table and --json)."""
        return {"topology": self.name, "processes": self.processes, **self.load.summary(),
                "rss_mb": {name: round(mb, 1) for name, mb in self.rss_mb.items()},
                "total_rss_mb": round(self.total_rss_mb, 1)}


def scaling_efficiency(one: TopologyResult, many: TopologyResult) -> float | None:
    """Throughput of `many` replicas over `processes` times one process's (1.0: perfectly linear)."""
    if not one.load.messages_per_second or many.processes < 1:
        return None
    return many.load.messages_per_second / (many.processes * one.load.messages_per_second)


def soak_rate(peak: TopologyResult) -> float:
    """Messages per second the soak holds: SOAK_SHARE_OF_PEAK of the measured peak."""
    return SOAK_SHARE_OF_PEAK * peak.load.messages_per_second


@dataclass
class SoakResult:
    """The soak: its load, and each server's RSS (MB) at its start, after its warm-up and at its end.

    Every cache our servers keep per conversation is bounded (by count, and by bot/idle_memory.py, which
    drops a conversation idle for 10 minutes), so memory rises while those caches fill and then holds.
    The growth that decides the verdict is measured from the end of the warm-up (when the caches hold
    their steady share) to the end; the growth from the very start is reported beside it, and `trace`
    keeps each sample ((seconds since the start, {server: MB})) so a slow climb can be seen.
    """

    target_rate: float
    load: LoadResult
    rss_start_mb: dict[str, float]
    rss_end_mb: dict[str, float]
    rss_warm_mb: dict[str, float] | None = None  # after the warm-up; None: no warm-up
    warmup: LoadResult | None = None
    trace: list[tuple[float, dict[str, float]]] = field(default_factory=list)

    @staticmethod
    def _growth(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {name: after[name] / mb - 1 for name, mb in before.items() if mb > 0 and name in after}

    def growth(self) -> dict[str, float]:
        """Each server's RSS growth over the measured soak (0.05 = 5%): from the end of the warm-up when
        there was one, else from the start; servers measured at both ends only."""
        return self._growth(self.rss_warm_mb if self.rss_warm_mb is not None else self.rss_start_mb,
                            self.rss_end_mb)

    def growth_from_start(self) -> dict[str, float]:
        """Each server's RSS growth from before the warm-up (the caches empty) to the end."""
        return self._growth(self.rss_start_mb, self.rss_end_mb)

    @property
    def errors(self) -> int:
        """Errors over the whole soak, warm-up included."""
        return self.load.errors + (self.warmup.errors if self.warmup else 0)

    @property
    def passed(self) -> bool:
        """Zero errors and every server's RSS grew less than MAX_SOAK_GROWTH (issue 12's soak target)."""
        growth = self.growth()
        return self.errors == 0 and bool(growth) and max(growth.values()) < MAX_SOAK_GROWTH

    def summary(self) -> dict[str, object]:
        """The soak's figures (for --json)."""
        return {"target_messages_per_second": round(self.target_rate, 2), **self.load.summary(),
                "errors_including_warmup": self.errors,
                "warmup_seconds": self.warmup.seconds if self.warmup else 0.0,
                "rss_start_mb": self.rss_start_mb, "rss_after_warmup_mb": self.rss_warm_mb,
                "rss_end_mb": self.rss_end_mb,
                "rss_growth": {name: round(g, 4) for name, g in self.growth().items()},
                "rss_growth_from_start": {name: round(g, 4) for name, g in self.growth_from_start().items()},
                "rss_trace": [{"seconds": round(t, 1), "rss_mb": mb} for t, mb in self.trace],
                "passed": self.passed}


def _ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.0f}"  # nan: nothing answered


def report(results: list[TopologyResult], efficiency: float | None, soak: SoakResult | None) -> str:
    """The table `make bench-prod` prints."""
    lines = [f"{'topology':34} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'msg/s':>7} {'errors':>6} "
             f"{'RSS MB':>7}", "-" * 81]
    for result in results:
        load = result.load
        lines.append(f"{result.name:34} {_ms(load.percentile(50)):>7} {_ms(load.percentile(95)):>7} "
                     f"{_ms(load.percentile(99)):>7} {load.messages_per_second:7.1f} {load.errors:6d} "
                     f"{result.total_rss_mb:7.0f}")
    lines.append("")
    for result in results:
        lines.append(f"memory per process, {result.name}: "
                     + ", ".join(f"{name} {mb:.0f} MB" for name, mb in result.rss_mb.items()))
    if efficiency is not None:
        lines.append(f"scaling efficiency: {efficiency:.2f} (messages/s of the replicas / (replicas x one process);"
                     " 1.00 is linear)")
    if soak is not None:
        growth, whole = soak.growth(), soak.growth_from_start()
        warm = (f" after a {soak.warmup.seconds / 60:.1f}-min warm-up" if soak.warmup else "")
        lines.append(
            f"soak: {soak.load.seconds / 60:.1f} min{warm} at {soak.target_rate:.1f} msg/s "
            f"({SOAK_SHARE_OF_PEAK:.0%} of peak), {soak.load.messages_per_second:.1f} msg/s held, "
            f"p95 {_ms(soak.load.percentile(95))} ms, {soak.errors} errors; RSS growth "
            + ", ".join(f"{name} {g:+.1%}" for name, g in growth.items())
            + f" -> {'PASS' if soak.passed else 'MISS'} (target: 0 errors, each process under "
              f"{MAX_SOAK_GROWTH:.0%})")
        if soak.warmup:
            lines.append("soak RSS growth from before the warm-up (caches empty): "
                         + ", ".join(f"{name} {g:+.1%}" for name, g in whole.items()))
        for seconds, mb in soak.trace:
            lines.append(f"  soak RSS at {seconds / 60:5.1f} min: "
                         + ", ".join(f"{name} {value:.0f}" for name, value in mb.items()))
    return "\n".join(lines)
