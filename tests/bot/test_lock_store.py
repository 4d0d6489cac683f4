"""The atomic Redis lock store (bot/lock_store.py): Rasa's lock-store behaviour, without the ticket race."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import uuid
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore
from tests.bot.dependencies import require_redis

pytestmark = pytest.mark.redis
REDIS = {"host": "127.0.0.1", "port": 6379, "db": 0}


@pytest.fixture
def stores() -> Iterator[tuple[RedisLockStore, AtomicRedisLockStore]]:
    """Rasa's store and ours on the same Redis, each under its own fresh key prefix."""
    require_redis()
    rasas = RedisLockStore(**REDIS, key_prefix=f"rasa{uuid.uuid4().hex[:8]}")
    ours = AtomicRedisLockStore(**REDIS, key_prefix=f"ours{uuid.uuid4().hex[:8]}")
    yield rasas, ours
    for store in (rasas, ours):
        for key in store.red.scan_iter(store.key_prefix + "*"):
            store.red.delete(key)


def lock_contract(store: LockStore) -> list[object]:
    """Rasa's lock-store contract (its tests/core/test_lock_store.py), as a trace of observations."""
    trace: list[object] = []
    conversation = "conversation-1"
    trace.append(store.get_lock(conversation))
    first, second = store.issue_ticket(conversation), store.issue_ticket(conversation)
    trace += [first, second, store.get_lock(conversation).last_issued, store.get_lock(conversation).now_serving]
    trace.append(store.issue_ticket("conversation-2"))  # each conversation has its own numbering
    trace.append(store.is_someone_waiting(conversation))
    store.finish_serving(conversation, first)
    trace += [store.get_lock(conversation).now_serving, store.is_someone_waiting(conversation)]
    store.cleanup(conversation, second)
    trace += [store.get_lock(conversation), store.is_someone_waiting(conversation)]
    # Expired tickets are skipped: a ticket that lived 0 s no longer blocks the next one.
    store.issue_ticket("conversation-3", lock_lifetime=0.0)
    time.sleep(0.01)
    store.update_lock("conversation-3")
    trace.append(store.get_lock("conversation-3").tickets and "expired ticket kept")
    trace.append(store.issue_ticket("conversation-3"))

    async def take_turns() -> list[str]:
        order: list[str] = []

        async def turn(name: str, delay: float) -> None:
            await asyncio.sleep(delay)
            async with store.lock("conversation-4", wait_time_in_seconds=0.01):
                order.append(f"{name} in")
                await asyncio.sleep(0.05)
                order.append(f"{name} out")

        await asyncio.gather(turn("a", 0), turn("b", 0.01), turn("c", 0.02))
        return order

    trace.append(asyncio.run(take_turns()))  # one at a time, in ticket order
    trace.append(store.get_lock("conversation-4"))  # the last one out deletes the lock

    return trace


def test_behaves_like_rasas_redis_lock_store(stores: tuple[RedisLockStore, AtomicRedisLockStore]) -> None:
    rasas, ours = stores
    expected = lock_contract(rasas)
    assert expected[1:3] == [0, 1] and expected[-2] == ["a in", "a out", "b in", "b out", "c in", "c out"]
    assert lock_contract(ours) == expected


def test_writes_locks_rasas_store_reads(stores: tuple[RedisLockStore, AtomicRedisLockStore]) -> None:
    rasas, ours = stores
    ours.issue_ticket("shared")
    ours.issue_ticket("shared")
    rasas.key_prefix = ours.key_prefix
    lock = rasas.get_lock("shared")
    assert [t.number for t in lock.tickets] == [0, 1] and lock.conversation_id == "shared"
    assert rasas.issue_ticket("shared") == 2 and ours.issue_ticket("shared") == 3


def test_built_from_the_endpoints_file_entry() -> None:
    require_redis()
    config = EndpointConfig(url="127.0.0.1", type="bot.lock_store.AtomicRedisLockStore", port=6379, db=0,
                            key_prefix="skincare", password=None)
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore) and store.key_prefix == "skincare:lock:"
    assert store.red.ping()


def _issue_many(key_prefix: str, conversation: str, count: int, start: multiprocessing.synchronize.Event,
                out: multiprocessing.Queue) -> None:
    store = AtomicRedisLockStore(**REDIS, key_prefix=key_prefix)
    start.wait()
    out.put([store.issue_ticket(conversation, lock_lifetime=60) for _ in range(count)])


def test_two_processes_never_get_the_same_ticket(stores: tuple[RedisLockStore, AtomicRedisLockStore]) -> None:
    """Two processes issue tickets for one conversation at once: every ticket is different."""
    _, ours = stores
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=_issue_many, args=(ours.key_prefix.split(":")[0], "busy", 300, start, out))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    start.set()
    tickets = out.get(timeout=60) + out.get(timeout=60)
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(tickets) == list(range(600))
    assert [t.number for t in ours.get_lock("busy").tickets] == list(range(600))
