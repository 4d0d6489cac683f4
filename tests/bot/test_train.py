"""bot/train.py: `make train` is Rasa's full training, minus the training-cache writes a full training never reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.engine.caching import CACHE_LOCATION_ENV, CACHE_SIZE_ENV, LocalTrainingCache
from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.training.fingerprinting import calculate_fingerprint_key
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
    train.install_unwritten_training_cache()
    try:
        yield
    finally:
        TrainingHook.on_before_node, TrainingHook.on_after_node = rasa_hooks  # type: ignore[method-assign]


def _run_node(cache: LocalTrainingCache, tmp_path: Path) -> dict:
    hook = TrainingHook(cache=cache, model_storage=LocalModelStorage(tmp_path / "storage"), pruned_schema=SCHEMA)
    context = ExecutionContext(graph_schema=SCHEMA)
    before = hook.on_before_node(NODE, context, {}, {"domain": Domain.empty()})
    hook.on_after_node(NODE, context, {}, Domain.empty(), before)
    return before


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalTrainingCache:
    monkeypatch.setenv(CACHE_LOCATION_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(CACHE_SIZE_ENV, raising=False)
    return LocalTrainingCache()


def _rasas_key() -> str:
    return calculate_fingerprint_key(DomainProvider, {}, {"domain": Domain.empty()})


def test_rasas_hook_fingerprints_and_caches_each_node(cache: LocalTrainingCache, tmp_path: Path) -> None:
    # What the fix removes: without it, the node's output lands in the cache under its inputs' fingerprint.
    assert _run_node(cache, tmp_path) == {"fingerprint_key": _rasas_key()}
    assert cache.get_cached_output_fingerprint(_rasas_key()) == Domain.empty().fingerprint()


def test_make_train_fingerprints_and_caches_nothing(
    patched_hook: None, cache: LocalTrainingCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []
    monkeypatch.setattr("rasa.shared.utils.io.deep_container_fingerprint", lambda obj, *a: seen.append(obj))
    assert _run_node(cache, tmp_path) == {}
    assert seen == []
    monkeypatch.undo()
    assert cache.get_cached_output_fingerprint(_rasas_key()) is None
