"""Load on the production topology, in one run: `python -m bot.bench.prod` (what `make bench-prod` runs).

Closed-loop simulated users (each sends its next message when answered), for a bounded time, against
(1) a stock `rasa init` bot, (2) our assistant as one process (one Rasa and one action server on
PostgreSQL and Redis, as in production) and (3) `make run-prod`'s topology (two Rasa and two action
servers behind nginx). It prints p50/p95/p99 latency, messages/s, errors and memory per process of each,
the replicas' scaling efficiency, then soaks the replicas at 70% of their peak (`--soak-minutes`, default
10, after a warm-up of `--soak-warmup-minutes`, default 10) and reports errors and each process's RSS
growth over the measured part (target: 0 errors, under 10%), the growth from before the warm-up and an
RSS sample each minute. Last, one long conversation on one process with our tracker store and with
Rasa's own (bot/bench/long_postgres.py; `--long-turns`, `--long-only` for that step alone). An answer that is an
apology ("I can't answer that right now") counts as an error. A measurement, not a test: it exits
non-zero only when something could not run.

PostgreSQL and Redis come from the machine: `--postgres` is a URL of a database the benchmark may
create a scratch database from (dropped at the end), Redis from REDIS_HOST / REDIS_PORT as for run-prod.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from bot import production
from bot.answers.unavailable import ACTION_UNAVAILABLE, CONVERSATION_UNAVAILABLE
from bot.bench.__main__ import OUR_SCRIPT, QUIET_ENV, RASA, STOCK_SCRIPT, show_sample, train_stock
from bot.bench.load import BenchError, LoadResult, run_for, run_in_workdir
from bot.bench.long_postgres import compare_stores
from bot.bench.long_postgres import report as long_report
from bot.bench.processes import memory_mb, wait_ready
from bot.bench.scaling import SoakResult, TopologyResult, report, scaling_efficiency, soak_rate
from bot.idle_memory import MEMORY_IDLE_SECONDS
from bot.run import Stack, StackSettings, free_port, stop_process_group

REPO_ROOT = Path(__file__).resolve().parents[2]
REFUSED = (ACTION_UNAVAILABLE, CONVERSATION_UNAVAILABLE)
DEFAULT_POSTGRES = "postgresql+psycopg2://root@127.0.0.1:5432/postgres"
#: The soak's warm-up: a conversation stays in our servers' memory until idle this long (bot/idle_memory.py),
#: so after it the per-conversation caches hold their steady-state share and later growth would be a leak.
DEFAULT_WARMUP_MINUTES = MEMORY_IDLE_SECONDS / 60
#: How often the soak samples each server's RSS.
SOAK_SAMPLE_SECONDS = 60.0
#: Closed-loop load before each measurement (first messages load caches and open connections).
WARM_UP_SECONDS = 10.0


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database next to `admin_url`'s; yields its URL and drops it afterwards."""
    from knowledge.database import scratch_database as create

    with ExitStack() as stack:
        try:
            url = stack.enter_context(create(admin_url, "skincare_bench_"))
        except Exception as error:
            raise BenchError(f"cannot create a scratch database with {make_url(admin_url).render_as_string()} "
                             f"({type(error).__name__}); pass --postgres with a user allowed to CREATE DATABASE"
                             ) from error
        yield url


def our_env(database_url: str) -> dict[str, str]:
    """What our servers get: the scratch database for everything, the machine's Redis, fresh secrets."""
    url = make_url(database_url)
    return {
        **QUIET_ENV,
        # Redis as run-prod finds it (REDIS_HOST / _PORT / _DB / _PASSWORD, else the machine's own).
        **{name: value for name, value in production.server_env(production.ProductionPorts(), os.environ).items()
           if name.startswith("REDIS_")},
        "SKINCARE_DB_URL": database_url,
        "TRACKER_DB_HOST": url.host or "127.0.0.1", "TRACKER_DB_PORT": str(url.port or 5432),
        "TRACKER_DB_NAME": url.database or "", "TRACKER_DB_USER": url.username or "",
        "TRACKER_DB_PASSWORD": url.password or "", "TRACKER_DB_URL": "",
        "REST_TOKEN": os.environ["REST_TOKEN"], "STAFF_TOKEN": secrets.token_urlsafe(32),
        "WIDGET_SESSION_KEY": secrets.token_urlsafe(32), "RASA_API_TOKEN": "",
        # The simulated people send as fast as they are answered, from one address: the abuse limits
        # still run on every message (their cost is measured) but must not refuse them.
        "CHAT_LIMIT_PER_CONVERSATION": "1000000", "CHAT_LIMIT_PER_ADDRESS": "1000000",
    }


def measure(name: str, port: int, script: Sequence[str], args: argparse.Namespace) -> LoadResult:
    """A sample conversation, a warm-up, then `args.users` closed-loop users for `args.seconds`."""
    tag = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")  # sender ids: letters, digits and dashes
    print(f">> {name}: sample conversation")
    show_sample(port, script, f"{tag}-{uuid.uuid4().hex[:6]}")
    run_for(port, script, args.users, WARM_UP_SECONDS, f"{tag}-warm-{uuid.uuid4().hex[:6]}")
    print(f">> {name}: {args.users} users for {args.seconds:.0f} s (load average {os.getloadavg()[0]:.1f})")
    result = run_for(port, script, args.users, args.seconds, f"{tag}-{uuid.uuid4().hex[:6]}",
                     refused_replies=REFUSED)
    s = result.summary()
    print(f"     {s['messages_per_second']} msg/s, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, "
          f"p99 {s['p99_ms']} ms, {s['errors']} errors")
    return result


def running_memory(stack: Stack) -> dict[str, float]:
    """RSS (MB) of each running server of `stack`, children included."""
    return {s.name: memory_mb(s.process.pid) for s in stack.services  # type: ignore[union-attr]
            if s.process is not None and s.process.poll() is None}


def bench_stock(project: Path, args: argparse.Namespace, logs: Path) -> TopologyResult:
    """The stock bot (`rasa run` on its own files: in-memory tracker store), one process."""
    models = sorted((project / "models").glob("*.tar.gz"))
    if not models:
        raise BenchError(f"no trained model in {project / 'models'}")
    port, log = free_port(), logs / "stock-rasa.log"
    argv = [str(RASA), "run", "--model", str(models[-1]), "--port", str(port), "--interface", "127.0.0.1",
            "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"]
    print(f">> stock: starting `rasa run` on port {port}")
    with log.open("ab") as out:
        process = subprocess.Popen(argv, cwd=project, env={**os.environ, **QUIET_ENV}, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_ready(process, f"http://127.0.0.1:{port}/webhooks/rest/", "stock rasa server", log)
        load = measure("stock", port, STOCK_SCRIPT, args)
        return TopologyResult("stock rasa init, 1 process", 1, load, {"rasa server": memory_mb(process.pid)})
    finally:
        stop_process_group(process)


def start_ours(args: argparse.Namespace, env: dict[str, str], work: Path, replicas: bool,
               endpoints: Path = REPO_ROOT / production.ENDPOINTS, log_name: str | None = None) -> Stack:
    """Our servers on free ports: one of each, or run-prod's replicas behind nginx."""
    ports = production.ProductionPorts(rasa_ports=(free_port(), free_port()),
                                       action_ports=(free_port(), free_port()), public_port=free_port(),
                                       action_proxy_port=free_port()) if replicas else None
    settings = StackSettings(
        rasa_port=ports.rasa_ports[0] if ports else free_port(),
        action_port=ports.action_ports[0] if ports else free_port(), web_port=free_port(),
        model=Path(args.our_model).resolve(), endpoints=endpoints,
        runtime_dir=work / "runtime", var_dir=work / "var", tracker_sqlite_path=work / "unused.sqlite",
        prod_ports=ports, extra_env=env,
    )
    stack = Stack(settings, log_dir=work / "logs" / (log_name or ("replicas" if replicas else "one-process")))
    print(f">> ours: starting {', '.join(s.name for s in stack.services)}")
    try:
        stack.start()
    except (RuntimeError, TimeoutError, OSError) as error:
        stack.stop()
        raise BenchError(f"our servers did not start: {error}. Logs in {stack.log_dir}") from error
    return stack


def bench_ours(args: argparse.Namespace, env: dict[str, str], work: Path, replicas: bool,
               then: Callable[[Stack, TopologyResult], SoakResult | None] | None = None
               ) -> tuple[TopologyResult, SoakResult | None]:
    """Measure one of our topologies; `then` runs on it before it stops (the soak)."""
    stack = start_ours(args, env, work, replicas)
    try:
        port = stack.settings.prod_ports.public_port if replicas else stack.settings.rasa_port  # type: ignore[union-attr]
        name = "ours, 2 replicas behind nginx" if replicas else "ours, 1 process"
        load = measure(name, port, OUR_SCRIPT, args)
        result = TopologyResult(name, 2 if replicas else 1, load, running_memory(stack))
        return result, (then(stack, result) if then else None)
    finally:
        stack.stop()


@contextmanager
def sampling_memory(stack: Stack, every: float, trace: list[tuple[float, dict[str, float]]]) -> Iterator[None]:
    """Append (seconds since now, each server's RSS in MB) to `trace` every `every` seconds while inside."""
    began, stop = time.monotonic(), threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            trace.append((time.monotonic() - began, running_memory(stack)))

    sampler = threading.Thread(target=sample, name="soak-rss", daemon=True)
    sampler.start()
    try:
        yield
    finally:
        stop.set()
        sampler.join()


def soak(args: argparse.Namespace) -> Callable[[Stack, TopologyResult], SoakResult | None]:
    """The soak on the replicas: a warm-up (`args.soak_warmup_minutes`), then `args.soak_minutes` measured,
    both at 70% of the peak just measured (0 minutes: none). RSS is sampled every minute throughout."""

    def run(stack: Stack, peak: TopologyResult) -> SoakResult | None:
        if not args.soak_minutes:
            return None
        rate = soak_rate(peak)
        if rate <= 0:
            raise BenchError("the replicas answered nothing at full load: no rate to soak at")
        port = stack.settings.prod_ports.public_port  # type: ignore[union-attr]
        tag, trace = f"soak-{uuid.uuid4().hex[:6]}", []
        start = running_memory(stack)
        trace.append((0.0, start))
        with sampling_memory(stack, SOAK_SAMPLE_SECONDS, trace):
            warmup, warm = None, None
            if args.soak_warmup_minutes:
                print(f">> soak: warm-up {args.soak_warmup_minutes:g} min at {rate:.1f} msg/s ({args.users} users, "
                      "paced; fills the servers' bounded per-conversation caches)")
                warmup = run_for(port, OUR_SCRIPT, args.users, args.soak_warmup_minutes * 60, f"{tag}-warm",
                                 rate=rate, refused_replies=REFUSED)
                warm = running_memory(stack)
            print(f">> soak: {args.soak_minutes:g} min measured at {rate:.1f} msg/s ({args.users} users, paced)")
            load = run_for(port, OUR_SCRIPT, args.users, args.soak_minutes * 60, tag,
                           rate=rate, refused_replies=REFUSED)
        return SoakResult(rate, load, start, running_memory(stack), warm, warmup, trace)

    return run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8, help="closed-loop simulated users (default 8)")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds per topology (default 60)")
    parser.add_argument("--soak-minutes", type=float, default=10.0,
                        help="minutes of soak at 70%% of the replicas' peak (default 10; 0 skips it)")
    parser.add_argument("--soak-warmup-minutes", type=float, default=DEFAULT_WARMUP_MINUTES,
                        help="minutes at the soak's rate before its memory baseline is taken, so the servers' "
                             "bounded per-conversation caches are full (default %(default)g: the idle time after "
                             "which bot/idle_memory.py drops a conversation; 0: baseline at the start)")
    parser.add_argument("--long-turns", type=int, default=300,
                        help="messages in the one long conversation per tracker store (p50 at turns 1-50 vs "
                             "250-300; default 300); 0 skips it")
    parser.add_argument("--long-only", action="store_true",
                        help="only the long conversation, ours vs Rasa's SQLTrackerStore (no stock bot, no load)")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="a PostgreSQL URL whose user may create the scratch database "
                             f"(env BENCH_POSTGRES_URL, default {DEFAULT_POSTGRES})")
    parser.add_argument("--our-model", default=str(REPO_ROOT / "models" / "skincare.tar.gz"),
                        help="our trained model (default models/skincare.tar.gz: `make train`)")
    parser.add_argument("--stock-dir", metavar="DIR", help="reuse a stock project made by `rasa init` earlier")
    parser.add_argument("--json", metavar="PATH", help="also write all numbers to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.seconds <= 0 or args.soak_minutes < 0 or args.soak_warmup_minutes < 0:
        parser.error("need --users >= 1, --seconds > 0, --soak-minutes >= 0 and --soak-warmup-minutes >= 0")
    if args.long_turns and args.long_turns < 300 or args.long_only and not args.long_turns:
        parser.error("--long-turns: 300 or more (the late window is turns 250-300); 0 skips it (not with --long-only)")
    if not Path(args.our_model).is_file():
        parser.error(f"--our-model {args.our_model}: no such file (run `make train`)")
    return args


def run(args: argparse.Namespace, work: Path) -> int:
    """Measure the three topologies, soak the replicas, then the long conversation; print the report."""
    from knowledge.loader import load_profiles  # only needed here; keeps --help fast

    (work / "logs").mkdir(parents=True, exist_ok=True)
    # Our REST channel (and the bench's client) use it; one random token for this run.
    os.environ["REST_TOKEN"] = secrets.token_urlsafe(32)
    print(f">> bench-prod on {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; work dir {work}")
    results: list[TopologyResult] = []
    efficiency: float | None = None
    soaked: SoakResult | None = None
    if not args.long_only:
        stock_env = {**os.environ, **QUIET_ENV}
        project = Path(args.stock_dir).resolve() if args.stock_dir else train_stock(work, stock_env)[0]
        results.append(bench_stock(project, args, work / "logs"))
    long_p50: dict[str, dict[str, float]] = {}
    with scratch_database(args.postgres) as database_url:
        load_profiles(REPO_ROOT / "knowledge" / "profiles", database_url)
        env = our_env(database_url)
        if not args.long_only:
            one, _ = bench_ours(args, env, work, replicas=False)
            many, soaked = bench_ours(args, env, work, replicas=True, then=soak(args))
            results += [one, many]
            efficiency = scaling_efficiency(one, many)
        if args.long_turns:
            long_p50 = compare_stores(
                REPO_ROOT / production.ENDPOINTS, work,
                lambda endpoints, name: start_ours(args, env, work, False, endpoints, name),
                OUR_SCRIPT, args.long_turns, REFUSED)
    print()
    if results:
        print(report(results, efficiency, soaked))
    if long_p50:
        print(long_report(long_p50))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work on this machine skews the numbers)")
    if args.json:
        numbers = {"cpus": os.cpu_count(), "users": args.users, "topologies": [r.row() for r in results],
                   "scaling_efficiency": efficiency, "soak": soaked.summary() if soaked else None,
                   "long_conversation_postgres_p50_ms": long_p50}
        Path(args.json).write_text(json.dumps(numbers, indent=2, default=str))
        print(f"numbers written to {args.json}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry (`make bench-prod`): 0 when everything ran, 1 when something could not."""
    return run_in_workdir("bench-prod", parse_args(argv), run, "logs")


if __name__ == "__main__":
    raise SystemExit(main())
