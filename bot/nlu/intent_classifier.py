"""Rasa NLU component: Rasa's logistic-regression intent classifier, with faster feature handling.

Training, the saved model and the predictions are Rasa's `LogisticRegressionClassifier`'s; only the
way the numbers are reached differs. Rasa computes `features @ coef.T` through scikit-learn, and scipy
copies the whole transposed coefficient matrix (intents x ~30,000 word and character n-grams) into a
new array for every message; here the transposed matrix is made contiguous once, at load. Rasa also
copies and stacks every featurizer's token features to reach the sentence features, for every message
and for every training example; here only the sentence features are stacked. The training matrix and
the probabilities are the same numbers (tests compare both classifiers).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack
from sklearn.utils.extmath import softmax


def _stack_rows(rows: list[list[coo_matrix]]) -> csr_matrix | None:
    """The CSR matrix `vstack([hstack(blocks) for blocks in rows])` gives when every block is one COO row
    (as Rasa's count-vector featurizers make them); None for anything else (the caller stacks with scipy)."""
    data, columns, indptr = [], [], [0]
    width: int | None = None
    for blocks in rows:
        if not all(isinstance(block, coo_matrix) and block.shape[0] == 1 for block in blocks):
            return None
        offset = 0
        for block in blocks:
            data.append(block.data)
            columns.append(block.col.astype(np.int64) + offset)
            offset += block.shape[1]
        if width is not None and offset != width:
            return None  # rows of different widths: let scipy raise its own error
        width = offset
        indptr.append(indptr[-1] + sum(block.nnz for block in blocks))
    dtype = np.result_type(*(block.dtype for blocks in rows for block in blocks))
    matrix = csr_matrix(
        (np.concatenate(data).astype(dtype, copy=False), np.concatenate(columns), np.asarray(indptr)),
        shape=(len(rows), width or 0),
    )
    matrix.sum_duplicates()  # canonical (sorted, summed) like scipy's COO -> CSR conversion
    return matrix


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LogisticRegressionIntentClassifier(LogisticRegressionClassifier):
    """Logistic-regression intent classifier (Rasa's), predicting without per-message matrix copies."""

    _weights: np.ndarray | None = None  # coef_.T, C-contiguous; None until trained or loaded

    def _prepare(self) -> None:
        """Keep the transposed weights ready when scikit-learn would take the softmax path."""
        coef = getattr(self.clf, "coef_", None)
        multinomial = coef is not None and coef.shape[0] > 1 and self.clf.solver != "liblinear"
        self._weights = np.ascontiguousarray(coef.T) if multinomial else None

    def train(self, training_data: TrainingData) -> Resource:
        """Rasa's training; then prepare the weights for prediction."""
        resource = super().train(training_data)
        self._prepare()
        return resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LogisticRegressionIntentClassifier:
        """Rasa's loading; then prepare the weights for prediction."""
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        component._prepare()
        return component

    def _create_training_matrix(self, training_data: TrainingData) -> tuple[csr_matrix, list[str]]:
        """Rasa's (X, y) for training, X built like `_features` (the same matrix, without copying every
        example's token features: about a tenth of the training time)."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        return self._features(examples), [e.get(INTENT) for e in examples]

    def _features(self, messages: list[Message]) -> csr_matrix:
        """One row of sentence features per message: Rasa's matrix, built without its copies.

        Rasa's `Message.get_sparse_features` also deep-copies and stacks the (much larger) token
        features, which the classifier then ignores; here only the sentence features are stacked,
        in the same order (the arrays scipy's hstack/vstack give, without their generic block
        assembly). With dense features in the pipeline, Rasa's own matrix is used.
        """
        rows = []
        for message in messages:
            sentence = [f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
            if not sentence or any(f.is_dense() for f in sentence):
                return self._create_X(messages)
            rows.append([f.features for f in sentence])
        stacked = _stack_rows(rows)
        if stacked is not None:
            return stacked
        rows = [blocks[0] if len(blocks) == 1 else hstack(blocks) for blocks in rows]
        return csr_matrix(rows[0]) if len(rows) == 1 else vstack(rows, format="csr")

    def _probabilities(self, features: csr_matrix) -> np.ndarray:
        """Class probabilities per message, as `LogisticRegression.predict_proba` computes them."""
        if self._weights is None:
            return self.clf.predict_proba(features)
        scores = np.asarray(features @ self._weights) + self.clf.intercept_
        return softmax(scores, copy=False)

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the most likely intent and the ranking on each message (same output as Rasa's)."""
        if not messages:
            return messages
        probabilities = self._probabilities(self._features(messages))
        intents = self.clf.classes_
        for message, row in zip(messages, probabilities, strict=True):
            ranking = sorted(
                ({"name": name, "confidence": confidence} for name, confidence in zip(intents, row, strict=True)),
                key=lambda entry: -entry["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
