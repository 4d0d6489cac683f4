"""How the knowledge store holds up when it is large: ``python -m knowledge.bench`` (``make bench-store``).

For each backend (a throwaway SQLite file, and a throwaway PostgreSQL database created and dropped on
127.0.0.1:5432), the baseline is the real profiles alone (``knowledge/profiles``); then every dataset in
:func:`default_datasets` is loaded on top (by default 10,000 synthetic profiles from ``knowledge.synthetic``) and
the same lookups are timed again. It prints load time, store size, lookup p50/p99 and the memory the
lookups use, next to the baseline measured in the same run. The target: a lookup stays under 2 ms.

Another dataset (e.g. the EU annexes) joins by adding a :class:`Dataset` to :func:`default_datasets`: something
that can load itself into an engine and name the lookups worth timing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from knowledge import models
from knowledge.annexes.facts import AnnexEntry
from knowledge.annexes.loader import load_annexes
from knowledge.annexes.queries import find_annex_entries
from knowledge.annexes.reader import default_wheel, read_wheel
from knowledge.database import REPO_ROOT, dispose_engine, get_engine, scratch_database, sqlite_path
from knowledge.loader import PROFILES_DIR, read_profiles, write_profiles
from knowledge.queries import (
    afind_ingredient,
    find_ingredient,
    first_ingredients,
    forget_cached_facts,
    ingredients_ending_in,
    list_ingredients,
)
from knowledge.schema import Profile, check_profile_set, validate_profile
from knowledge.synthetic import synthetic_profiles
from knowledge.vocabulary import load_vocabulary

PG_ADMIN_URL_ENV = "SKINCARE_BENCH_PG_URL"
DEFAULT_PG_ADMIN_URL = "postgresql+psycopg2://root@127.0.0.1:5432/postgres"
TARGET_MS = 2.0
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Lookup:
    """One kind of lookup to time: ``call(argument, engine)`` for each of ``arguments`` in turn."""

    label: str
    call: Callable[[str, Engine], Any]
    arguments: Sequence[str]
    expect_found: bool | None = None  # checked on every call, so a benchmark of misses cannot pass as hits
    on_reply_path: bool = True  # False: no reply makes this call (the target does not apply; timed for reference)


class Dataset(Protocol):
    """Data the benchmark loads on top of the real profiles, and the lookups that exercise it."""

    name: str

    def prepare(self) -> float:
        """Build the input in memory (before any database is touched); return the seconds it took."""

    def load(self, engine: Engine, baseline: Sequence[Profile]) -> None:
        """Write the data into ``engine``'s store (which holds ``baseline`` already)."""

    def lookups(self) -> list[Lookup]:
        """The lookups to time once the data is loaded."""


def _find(name: str, engine: Engine) -> Any:
    return find_ingredient(name, engine)


_loop: asyncio.AbstractEventLoop | None = None


def _afind(name: str, engine: Engine) -> Any:
    # As the action server calls it: in a worker thread, awaited on a running event loop.
    global _loop
    _loop = _loop or asyncio.new_event_loop()
    return _loop.run_until_complete(afind_ingredient(name, engine))


def _find_uncached(name: str, engine: Engine) -> Any:
    forget_cached_facts()
    return find_ingredient(name, engine)


def _list(_: str, engine: Engine) -> Any:
    return list_ingredients(engine)


#: How many names a reply asks for (bot.answers.fallback.NAMED_INGREDIENTS; the store does not import bot).
_NAMED = 10


def _first(_: str, engine: Engine) -> Any:
    return first_ingredients(_NAMED, engine)


def _family(stem: str, engine: Engine) -> Any:
    return ingredients_ending_in(stem, _NAMED, engine)


@dataclass
class SyntheticProfiles:
    """``count`` made-up profiles (``knowledge.synthetic``), validated like files, written like ``make kb``."""

    count: int
    seed: int = 13
    name: str = "synthetic profiles"
    profiles: list[Profile] = field(default_factory=list)

    def prepare(self) -> float:
        started = time.perf_counter()
        vocabulary = load_vocabulary()
        self.profiles = [validate_profile(p.document, p.path, vocabulary) for p in synthetic_profiles(self.count,
                                                                                                      self.seed)]
        return time.perf_counter() - started

    def load(self, engine: Engine, baseline: Sequence[Profile]) -> None:
        everything = [*baseline, *self.profiles]
        check_profile_set(everything)
        write_profiles(everything, engine)

    def lookups(self) -> list[Lookup]:
        sample = random.Random(self.seed).sample(self.profiles, k=min(len(self.profiles), 500))
        return [
            Lookup("find: synthetic by name (uncached)", _find_uncached, [p.facts.name for p in sample], True),
            Lookup("find: synthetic by name (cached)", _find, [p.facts.name for p in sample[:50]], True),
            Lookup("find: synthetic by misspelling (uncached)", _find_uncached,
                   [p.facts.misspellings[0].upper() for p in sample], True),
        ]


def _find_annex(name: str, engine: Engine) -> Any:
    return find_annex_entries(name, engine) or None


@dataclass
class AnnexLayer:
    """The EU annex layer (``knowledge.annexes``): the pinned CosIng export, read and loaded as ``make kb``
    does; its lookups are the regulatory questions' (by INCI name, chemical name, CAS number)."""

    seed: int = 13
    name: str = "EU annex layer (CosIng)"
    entries: list[AnnexEntry] = field(default_factory=list)

    def prepare(self) -> float:
        started = time.perf_counter()
        _, self.entries = read_wheel(default_wheel())
        return time.perf_counter() - started

    def load(self, engine: Engine, baseline: Sequence[Profile]) -> None:
        load_annexes(engine=engine)

    def lookups(self) -> list[Lookup]:
        sample = random.Random(self.seed).sample(self.entries, k=min(len(self.entries), 500))
        return [
            Lookup("annex: by INCI or chemical name", _find_annex,
                   [(e.inci_names or (e.chemical_name,))[0] for e in sample], None),
            Lookup("annex: by CAS number", _find_annex, [e.cas_numbers[0] for e in sample if e.cas_numbers], None),
        ]


def baseline_lookups(baseline: Sequence[Profile]) -> list[Lookup]:
    """Lookups of the real profiles, and of names the store does not know: timed before and after."""
    return [
        Lookup("find: real profile (cached)", _find, [p.facts.name for p in baseline], True),
        Lookup("find: real profile (uncached)", _find_uncached, [p.facts.name for p in baseline], True),
        Lookup("afind (as actions call it, cached)", _afind, [p.facts.name for p in baseline], True),
        Lookup("find: unknown name", _find, ["snail mucin", "retinol", "hyaluronic acid"], False),
        Lookup("list_ingredients (all names; tests and tools)", _list, [""], None, on_reply_path=False),
        Lookup("first_ingredients (ten names and the count, as replies ask)", _first, [""], None),
        Lookup("ingredients_ending_in (a bare family word)", _family, ["exosome", "extract"], None),
    ]


def default_datasets(count: int) -> list[Dataset]:
    """The datasets loaded on top of the real profiles: ``count`` synthetic profiles, then the EU annex layer
    when `make kb` has downloaded its data. Add one here to put it in the table."""
    datasets: list[Dataset] = [SyntheticProfiles(count)]
    if default_wheel().is_file():
        datasets.append(AnnexLayer())
    else:
        print(f"(the EU annex layer is left out: {default_wheel()} is missing; `make kb` downloads it)")
    return datasets


@dataclass(frozen=True)
class Timing:
    """Latencies of one lookup, plus the Python heap it needed at most (tracemalloc, a separate pass)."""

    label: str
    p50_ms: float
    p99_ms: float
    heap_peak_kb: float
    on_reply_path: bool = True


@dataclass
class BackendRun:
    """Everything measured on one backend."""

    backend: str
    loads: list[tuple[str, float, float]] = field(default_factory=list)  # (what, seconds, store MB after)
    timings: dict[str, list[Timing]] = field(default_factory=dict)  # stage -> timings
    ingredients: int = 0
    reader_mb: dict[str, float] = field(default_factory=dict)  # stage -> peak memory of a reading process


def time_lookup(lookup: Lookup, engine: Engine, repeat: int) -> Timing:
    """p50/p99 over ``repeat`` calls (after a warm-up), then the heap peak of a shorter traced pass."""
    arguments = list(lookup.arguments)

    def call(index: int) -> None:
        found = lookup.call(arguments[index % len(arguments)], engine)
        if lookup.expect_found is not None and (found is not None) != lookup.expect_found:
            raise AssertionError(f"{lookup.label}: {arguments[index % len(arguments)]!r} gave {found!r}")

    for index in range(min(20, repeat)):
        call(index)
    samples = []
    gc.collect()
    for index in range(repeat):
        started = time.perf_counter_ns()
        call(index)
        samples.append((time.perf_counter_ns() - started) / 1e6)
    tracemalloc.start()
    for index in range(min(5, repeat)):  # what the first traced calls keep for good is not per-lookup memory
        call(index)
    tracemalloc.reset_peak()
    kept, _ = tracemalloc.get_traced_memory()
    for index in range(min(50, repeat)):
        call(index)
    peak = tracemalloc.get_traced_memory()[1] - kept
    tracemalloc.stop()
    cuts = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else samples * 99
    return Timing(lookup.label, cuts[49], cuts[98], peak / 1024, lookup.on_reply_path)


#: A process that only reads: the lookups named on its command line, three times over, then its peak memory.
_READER = """
import sys
from pathlib import Path
from knowledge.queries import find_ingredient
url, names = sys.argv[1], sys.argv[2:]
for _ in range(3):
    for name in names:
        find_ingredient(name, url)
status = Path("/proc/self/status").read_text().splitlines()
print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024)
"""


def reader_peak_mb(url: str, names: Sequence[str]) -> float:
    """Peak resident memory (MB) of a fresh process that looks up ``names`` in the store at ``url``, as the
    action server does: what the reader needs, apart from this benchmark's own data."""
    result = subprocess.run([sys.executable, "-c", _READER, url, *names], capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=900, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"the reader process failed: {result.stderr.strip()[-2000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def store_megabytes(engine: Engine) -> float:
    """The size of the store: the SQLite file (with its WAL), or the PostgreSQL database."""
    path = sqlite_path(engine.url)
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    with engine.connect() as connection:
        return connection.execute(select(func.pg_database_size(func.current_database()))).scalar_one() / 1e6


def settle(engine: Engine) -> None:
    """Give the planner statistics for what was just loaded, as a running server would have by the time
    people ask (otherwise the first timings race PostgreSQL's autovacuum analysing the new rows)."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


@contextmanager
def throwaway_store(backend: str, pg_admin_url: str) -> Iterator[str]:
    """The URL of an empty database that exists for the duration of the block."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="knowledge-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'store.sqlite'}"
            try:
                yield url
            finally:
                dispose_engine(url)
        return
    with scratch_database(pg_admin_url, f"knowledge_bench_{os.getpid()}_") as url:
        yield url


def run_backend(backend: str, datasets: Sequence[Dataset], baseline: Sequence[Profile], repeat: int,
                pg_admin_url: str = DEFAULT_PG_ADMIN_URL) -> BackendRun:
    """Load the baseline, time it, load every dataset, time everything again, on one backend."""
    run = BackendRun(backend)
    with throwaway_store(backend, pg_admin_url) as url:
        engine = get_engine(url)
        started = time.perf_counter()
        write_profiles(list(baseline), engine)
        run.loads.append(("real profiles", time.perf_counter() - started, store_megabytes(engine)))
        settle(engine)
        common = baseline_lookups(baseline)
        run.timings["baseline"] = [time_lookup(lookup, engine, repeat) for lookup in common]
        run.reader_mb["baseline"] = reader_peak_mb(url, _names(common))
        for dataset in datasets:
            started = time.perf_counter()
            dataset.load(engine, baseline)
            run.loads.append((dataset.name, time.perf_counter() - started, store_megabytes(engine)))
        settle(engine)
        with engine.connect() as connection:
            run.ingredients = connection.execute(select(func.count()).select_from(models.ingredients)).scalar_one()
        lookups = [*common, *(lookup for dataset in datasets for lookup in dataset.lookups())]
        run.timings["loaded"] = [time_lookup(lookup, engine, repeat) for lookup in lookups]
        run.reader_mb["loaded"] = reader_peak_mb(url, _names(lookups))
    return run


def _names(lookups: Sequence[Lookup]) -> list[str]:
    """The ingredient names the lookups ask for (not the list of all names)."""
    return [name for lookup in lookups if lookup.call is not _list for name in lookup.arguments]


def format_report(runs: Sequence[BackendRun], prepared: Sequence[tuple[str, float]]) -> str:
    """The table printed at the end."""
    lines = ["prepare (validate in memory): " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in prepared)]
    for run in runs:
        lines += ["", f"== {run.backend}: {run.ingredients} ingredients loaded"]
        lines += [f"  load {what:<40} {seconds:8.1f} s   store {size:8.1f} MB" for what, seconds, size in run.loads]
        lines.append(f"  a reading process (all the lookups below, 3 times): peak {run.reader_mb['baseline']:.0f} MB "
                     f"with the real profiles, {run.reader_mb['loaded']:.0f} MB with everything loaded")
        lines.append(f"  {'lookup':<48} {'baseline p50/p99 ms':>20} {'loaded p50/p99 ms':>20} {'heap KB':>8}  "
                     f"< {TARGET_MS:g} ms")
        before = {t.label: t for t in run.timings["baseline"]}
        for timing in run.timings["loaded"]:
            base = before.get(timing.label)
            base_text = f"{base.p50_ms:.3f} / {base.p99_ms:.3f}" if base else "-"
            verdict = "yes" if timing.p99_ms < TARGET_MS else ("p50 only" if timing.p50_ms < TARGET_MS else "NO")
            if not timing.on_reply_path:
                verdict = "n/a: no reply reads it"
            lines.append(f"  {timing.label:<48} {base_text:>20} {timing.p50_ms:>9.3f} / {timing.p99_ms:<8.3f} "
                         f"{timing.heap_peak_kb:>8.0f}  {verdict}")
    return "\n".join(lines)


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m knowledge.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000, help="synthetic profiles to load (default 10000)")
    parser.add_argument("--repeat", type=int, default=2_000, help="calls timed per lookup (default 2000)")
    parser.add_argument("--backend", action="append", choices=BACKENDS, help="repeatable (default: both)")
    parser.add_argument("--pg-admin-url", default=os.environ.get(PG_ADMIN_URL_ENV, DEFAULT_PG_ADMIN_URL),
                        help=f"PostgreSQL URL allowed to CREATE/DROP DATABASE (default ${PG_ADMIN_URL_ENV} or "
                             f"{DEFAULT_PG_ADMIN_URL})")
    args = parser.parse_args(argv)
    baseline = read_profiles([PROFILES_DIR])
    datasets = default_datasets(args.profiles)
    prepared = []
    for dataset in datasets:
        print(f">> preparing {dataset.name}", flush=True)
        prepared.append((dataset.name, dataset.prepare()))
    runs = []
    for backend in args.backend or BACKENDS:
        print(f">> {backend}: loading and timing", flush=True)
        runs.append(run_backend(backend, datasets, baseline, args.repeat, args.pg_admin_url))
    print()
    print(format_report(runs, prepared))
    print(f"\npeak memory of this process (all of the above): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
