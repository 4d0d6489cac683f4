"""bot/train.py: `make train` is Rasa's full training, minus fingerprints computed for a switched-off cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.engine.caching import CACHE_LOCATION_ENV, CACHE_SIZE_ENV, LocalTrainingCache
from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.training.hooks import TrainingHook
from rasa.graph_components.providers.domain_provider import DomainProvider
from rasa.shared.core.domain import Domain

from bot import train

NODE = "provide_domain"
SCHEMA = GraphSchema({NODE: SchemaNode(needs={}, uses=DomainProvider, constructor_name="create",
                                       fn="provide_train", config={})})


def test_training_is_always_full() -> None:
    assert train.rasa_arguments(["--out", "models"]) == ["rasa", "train", "--out", "models", "--force"]
    assert train.rasa_arguments(["--force"]).count("--force") == 1


@pytest.fixture
def patched_hook() -> Iterator[None]:
    rasa_hooks = TrainingHook.on_before_node, TrainingHook.on_after_node
    train.install_uncached_training_hook()
    try:
        yield
    finally:
        TrainingHook.on_before_node, TrainingHook.on_after_node = rasa_hooks  # type: ignore[method-assign]


def _hook(cache: LocalTrainingCache, tmp_path: Path) -> TrainingHook:
    return TrainingHook(cache=cache, model_storage=LocalModelStorage(tmp_path / "storage"), pruned_schema=SCHEMA)


def _run_node(hook: TrainingHook, domain: Domain) -> dict:
    context = ExecutionContext(graph_schema=SCHEMA)
    before = hook.on_before_node(NODE, context, {}, {"domain": domain})
    hook.on_after_node(NODE, context, {}, domain, before)
    return before


def test_with_the_cache_off_nothing_is_fingerprinted_or_cached(
    patched_hook: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_SIZE_ENV, "0")
    monkeypatch.setenv(CACHE_LOCATION_ENV, str(tmp_path / "cache"))
    cache = LocalTrainingCache()
    seen: list[object] = []
    monkeypatch.setattr("rasa.shared.utils.io.deep_container_fingerprint", lambda obj, *a: seen.append(obj))
    assert _run_node(_hook(cache, tmp_path), Domain.empty()) == {}
    assert seen == []
    assert not (tmp_path / "cache").exists()


def test_with_the_cache_on_the_hook_is_rasas(patched_hook: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             ) -> None:
    monkeypatch.setenv(CACHE_LOCATION_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(CACHE_SIZE_ENV, raising=False)
    cache = LocalTrainingCache()
    before = _run_node(_hook(cache, tmp_path), Domain.empty())
    key = before["fingerprint_key"]
    assert cache.get_cached_output_fingerprint(key) == Domain.empty().fingerprint()
