"""Our intent classifier predicts exactly what Rasa's LogisticRegressionClassifier predicts, faster."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import LogisticRegressionIntentClassifier

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "skincare.tar.gz"

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")


def test_same_intents_and_rankings_as_rasas_classifier_on_the_held_out_set() -> None:
    runner = Agent.load(str(MODEL)).processor.graph_runner
    nodes = runner._instantiated_nodes
    [(name, ours)] = [(n, node._component) for n, node in nodes.items()
                      if isinstance(node._component, LogisticRegressionIntentClassifier)]
    assert ours._weights is not None  # the prepared (contiguous) weights are in use
    rasas = LogisticRegressionClassifier(ours.config, "rasa", ours._model_storage, ours._resource)
    rasas.clf = ours.clf
    [featurizer] = list(runner._graph_schema.nodes[name].needs.values())  # the node feeding the classifier
    texts = [example.get("text") for example in load_data(str(ROOT / "tests" / "nlu" / "test_nlu.yml")).intent_examples]
    assert len(texts) > 200

    for text in texts:
        messages = runner.run(inputs={"__message__": [UserMessage(text)]}, targets=[featurizer])[featurizer]
        mine, theirs = ours.process(copy.deepcopy(messages)), rasas.process(copy.deepcopy(messages))
        assert mine[0].get(INTENT) == theirs[0].get(INTENT), text
        assert mine[0].get("intent_ranking") == theirs[0].get("intent_ranking"), text

    several = runner.run(inputs={"__message__": [UserMessage(t) for t in texts[:5]]}, targets=[featurizer])
    batch = ours.process(copy.deepcopy(several[featurizer]))
    assert [m.get(INTENT)["name"] for m in batch] == [m.get(INTENT)["name"] for m in rasas.process(several[featurizer])]


def test_same_training_matrix_as_rasas_classifier() -> None:
    """The training examples, featurized by the trained pipeline, give Rasa's X and y exactly."""
    runner = Agent.load(str(MODEL)).processor.graph_runner
    nodes = runner._instantiated_nodes
    [(name, ours)] = [(n, node._component) for n, node in nodes.items()
                      if isinstance(node._component, LogisticRegressionIntentClassifier)]
    rasas = LogisticRegressionClassifier(ours.config, "rasa", ours._model_storage, ours._resource)
    [featurizer] = list(runner._graph_schema.nodes[name].needs.values())
    data = load_data(str(ROOT / "tests" / "nlu" / "test_nlu.yml"))
    texts = [example.get("text") for example in data.intent_examples][:80]
    messages = runner.run(inputs={"__message__": [UserMessage(t) for t in texts]}, targets=[featurizer])[featurizer]
    for message, example in zip(messages, data.intent_examples, strict=False):
        message.set(INTENT, example.get(INTENT))
    featurized = TrainingData(training_examples=messages)

    our_x, our_y = ours._create_training_matrix(featurized)
    their_x, their_y = rasas._create_training_matrix(featurized)
    assert our_y == their_y and len(our_y) == len(texts)
    assert our_x.shape == their_x.shape and (our_x != their_x).nnz == 0
