"""Speed fixes for Rasa 3.6's message path, applied by `bot/rasa_server.py` before Rasa starts.

Each fix keeps Rasa's behaviour (same results, same errors) and removes work Rasa repeats on every
message; tests/bot/test_rasa_speedups.py checks each against Rasa's own code. Measured with the
profiler over our benchmark conversation (README "Benchmark"):

- Action-server responses: Rasa calls `jsonschema.validate(result, schema)`, which re-checks the
  schema against the JSON Schema meta-schema on every call (21 ms per custom action), then tries
  each event against all 23 branches of a `oneOf`. Validators are built once and each event is
  checked against its own branch (0.3 ms); whatever fails that goes through Rasa's full check.
- Event types: `Event.resolve_by_type` walks every subclass of `Event` (with an `inspect.isabstract`
  check for each) for every stored event it deserialises, so reading a 30-event conversation cost
  about 30 such walks: 90% of the time spent loading a conversation. Resolved names are remembered;
  unknown names still go through Rasa (same default, same error).
- Graph runs: every message runs the NLU graph once and the policy graph twice through Dask's
  synchronous scheduler, which rebuilds the minimal graph and a Dask task graph each time (about a
  fifth of the graph's time). The same nodes run in the same dependency order from a plan computed
  once per set of targets.
- Count-vector features: every message, each `CountVectorsFeaturizer` calls scikit-learn's
  `CountVectorizer.transform` twice (the tokens, then the sentence), which re-checks the fitted
  vocabulary, rebuilds the analyzer and re-analyses every word (for the character n-grams, every 2-5
  gram of it). The same matrices are built with the analyzer made once and counts remembered per word.
- Domain emptiness: before using a parse, Rasa checks `domain.is_empty()`, which builds a whole empty
  `Domain` from a dict on every message only to compare it with ours; the empty domain's dict is made once.
- Slot copies: every new tracker copies each of the domain's slots with `copy.copy`, which for a plain
  object goes through `__reduce_ex__` and `copyreg` (about a tenth of the Rasa server's time per message
  went there). `Slot.__copy__` makes the same shallow copy directly: an instance of the same class
  with the same attribute dict.
- Rule matching: for every prediction RulePolicy filters all its rule keys against the latest states,
  parsing each key's JSON again for every comparison. The keys a list of states leaves standing only
  depend on the states and the policy's rules (fixed once trained), so they are remembered per policy
  for the state lists seen (bounded; a conversation meets the same few again and again).
- Connections to the action server: `EndpointConfig.request` opens a new aiohttp session, and with it a
  new TCP connection, for every custom action, and closes both afterwards. The sessions now take their
  connections from one connector per endpoint and event loop, which outlives them, so calls reuse open
  connections (keep-alive). Requests, headers, timeouts, responses and errors are Rasa's own. Rasa
  closes idle connections after KEPT_CONNECTION_IDLE_SECONDS, before the action server's own keep-alive
  timeout (bot/action_server.py), so a call never lands on a connection the server is closing.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import OrderedDict
from typing import Any

import aiohttp
import jsonschema
import numpy as np
import rasa.core.processor
import scipy.sparse
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from sklearn.feature_extraction.text import CountVectorizer


def _event_validators(schema: dict[str, Any], validator_class: Any) -> dict[str, Any]:
    """One validator per event name: the event schema's own checks plus the one `oneOf` branch for
    that name (each branch pins `event` to a different constant, so only it can match)."""
    event_schema = schema["properties"]["events"]["items"]
    common = {key: value for key, value in event_schema.items() if key != "oneOf"}
    return {
        branch["properties"]["event"]["const"]: validator_class({"allOf": [common, branch]})
        for branch in event_schema["oneOf"]
    }


def install_action_response_validator() -> None:
    """Validate action-server responses with validators built once (same schema, same errors).

    Each event is checked against the schema branch for its own name instead of all 23 branches of
    Rasa's `oneOf`; anything that does not pass that way goes through Rasa's full validation, which
    accepts or raises exactly as before.
    """
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    by_event = _event_validators(schema, validator_class)
    responses_validator = validator_class(schema["properties"]["responses"])
    rasa_validate = RemoteAction._validate_action_result

    def passes_branch_checks(result: Any) -> bool:
        if not isinstance(result, dict):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for event in events:
            name = event.get("event") if isinstance(event, dict) else None
            validator = by_event.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return "responses" not in result or responses_validator.is_valid(result["responses"])

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if passes_branch_checks(result):
            return True
        return rasa_validate(self, result)  # Rasa's own check: valid, or its ValidationError

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def install_event_type_lookup() -> None:
    """Remember which `Event` class each type name resolves to (Rasa searches all subclasses each time)."""
    rasa_resolve = Event.resolve_by_type
    resolved: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        event_class = resolved.get(type_name)
        if event_class is not None:
            return event_class
        try:
            event_class = rasa_resolve(type_name)
        except ValueError:  # unknown name: Rasa's answer (the default, or its error)
            return rasa_resolve(type_name, default)
        if event_class is None:  # a name Rasa deliberately maps to nothing (old "topic" events)
            return rasa_resolve(type_name, default)
        resolved[type_name] = event_class
        return event_class

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


class PlannedGraphRunner(DaskGraphRunner):
    """Runs a trained model's graph node by node in dependency order, without Dask's scheduler.

    Same nodes, same inputs, same outputs and errors as `DaskGraphRunner.run`; the order of the
    nodes a set of targets needs is computed once and reused for every message.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}

    def _plan(self, targets: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        """The nodes the targets depend on, each after its own needs: (node, names of its inputs)."""
        plan = self._plans.get(targets)
        if plan is not None:
            return plan
        nodes = self._graph_schema.nodes
        plan, placed = [], set()

        def place(name: str) -> None:
            if name in placed or name not in nodes:  # not a node: an input placeholder
                return
            placed.add(name)
            needs = tuple(nodes[name].needs.values())
            for need in needs:
                place(need)
            plan.append((name, needs))

        for target in targets:
            place(target)
        self._plans[targets] = plan
        return plan

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        """Runs the graph (see `GraphRunner.run`)."""
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        outputs: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                    f"names passed to the `run` method are the same as node names in the graph schema."
                )
            outputs[name] = (name, value)  # what Dask hands a node for a placeholder input
        try:
            for name, needs in self._plan(run_targets):
                outputs[name] = self._instantiated_nodes[name](*(outputs[need] for need in needs))
            return dict(outputs[target] for target in run_targets)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e


def install_planned_graph_runner() -> None:
    """Load models for serving with `PlannedGraphRunner` (training keeps Rasa's Dask runner)."""
    rasa.core.processor.DaskGraphRunner = PlannedGraphRunner  # type: ignore[misc]


#: Words whose counts are remembered per vectorizer, then the memory is emptied (sentences, rarely repeated,
#: are counted each time: a sentence's character n-gram counts take kilobytes).
MAX_REMEMBERED_WORDS = 10_000


class RememberedCounts:
    """`CountVectorizer.transform` for a fitted vectorizer, as Rasa keeps it, with each word's counts remembered."""

    def __init__(self, vectorizer: CountVectorizer) -> None:
        self.vectorizer = vectorizer
        self._analyze = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_
        self._counts: dict[str, dict[Any, int]] = {}

    def counts(self, document: str) -> dict[Any, int]:
        """Column -> count for one document, by column (the order of a matrix with sorted indices)."""
        found = self._counts.get(document)
        if found is None:
            found = {}
            for feature in self._analyze(document):
                column = self._vocabulary.get(feature)
                if column is not None:
                    found[column] = found.get(column, 0) + 1
            found = dict(sorted(found.items()))
            if " " not in document:
                if len(self._counts) >= MAX_REMEMBERED_WORDS:
                    self._counts.clear()
                self._counts[document] = found
        return found

    def coo(self, documents: list[str]) -> scipy.sparse.coo_matrix:
        """What Rasa keeps of `transform(documents)`: the matrix with sorted indices, as COO (`.tocoo()`),
        built directly from the counts (no CSR matrix to check, sort and convert)."""
        rows: list[int] = []
        columns: list[Any] = []
        values: list[int] = []
        for row, document in enumerate(documents):
            counts = self.counts(document)
            rows.extend(itertools.repeat(row, len(counts)))
            columns.extend(counts.keys())
            values.extend(counts.values())
        data = np.asarray(values, dtype=self.vectorizer.dtype)
        if self.vectorizer.binary:
            data.fill(1)
        return scipy.sparse.coo_matrix(
            (data, (np.asarray(rows, dtype=np.int32), np.asarray(columns, dtype=np.int32))),
            shape=(len(documents), len(self._vocabulary)), dtype=self.vectorizer.dtype)


def _remembered_counts(featurizer: CountVectorsFeaturizer, attribute: str) -> RememberedCounts | None:
    """The featurizer's remembered counts for an attribute; None where Rasa's own path must run (no fitted
    plain CountVectorizer), so its results and errors stay its own."""
    vectorizer = (featurizer.vectorizers or {}).get(attribute)
    if type(vectorizer) is not CountVectorizer or not getattr(vectorizer, "vocabulary_", None):
        return None
    remembered: dict[str, RememberedCounts] = featurizer.__dict__.setdefault("_remembered_counts", {})
    counts = remembered.get(attribute)
    if counts is None or counts.vectorizer is not vectorizer:
        counts = remembered[attribute] = RememberedCounts(vectorizer)
    return counts


def install_count_vectors_features() -> None:
    """Build `CountVectorsFeaturizer`'s features with remembered counts (the same matrices as Rasa's)."""
    rasa_create_features = CountVectorsFeaturizer._create_features

    def create_features(
        self: CountVectorsFeaturizer, attribute: str, all_tokens: list[list[str]]
    ) -> tuple[list[Any], list[Any]]:
        counts = _remembered_counts(self, attribute)
        if counts is None:
            return rasa_create_features(self, attribute, all_tokens)
        sequence_features: list[Any] = []
        sentence_features: list[Any] = []
        for tokens in all_tokens:  # Rasa's loop, with `counts.transform` for `vectorizer.transform`
            if not tokens:
                sequence_features.append(None)
                sentence_features.append(None)
                continue
            sequence_features.append(counts.coo(tokens))
            if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence_features.append(counts.coo([" ".join(tokens)]))
            else:
                sentence_features.append(None)
        return sequence_features, sentence_features

    CountVectorsFeaturizer._create_features = create_features  # type: ignore[method-assign]


def install_domain_emptiness_check() -> None:
    """`Domain.is_empty` compares with the empty domain's dict made once (Rasa makes a new one per call)."""
    empty = Domain.empty().as_dict()

    def is_empty(self: Domain) -> bool:
        return self.as_dict() == empty

    Domain.is_empty = is_empty  # type: ignore[method-assign]


#: Seconds an idle kept connection stays open on Rasa's side; below the action server's keep-alive
#: timeout (bot/action_server.py KEEP_ALIVE_SECONDS), so the client always closes first.
KEPT_CONNECTION_IDLE_SECONDS = 10.0


#: State lists whose matching rule keys a policy remembers (the least recently used are forgotten first).
REMEMBERED_RULE_MATCHES = 4096


def frozen_states(states: list[dict[str, Any]]) -> tuple[Any, ...]:
    """A hashable form of RulePolicy's states (raises TypeError for a feature value that is not hashable)."""
    return tuple(tuple(sorted((name, tuple(sorted(features.items()))) for name, features in state.items()))
                 for state in states)


def install_rule_match_memo(size: int = REMEMBERED_RULE_MATCHES) -> None:
    """`RulePolicy._get_possible_keys` answers a state list it has matched before from memory."""
    rasa_get_possible_keys = RulePolicy._get_possible_keys

    def get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
        try:
            key = (id(lookup), frozen_states(states))
        except TypeError:
            return rasa_get_possible_keys(self, lookup, states)
        memo: OrderedDict[Any, tuple[dict[str, str], int, frozenset[str]]] | None = \
            self.__dict__.get("_rule_match_memo")
        if memo is None:
            memo = self.__dict__["_rule_match_memo"] = OrderedDict()
        found = memo.get(key)
        if found is not None and found[0] is lookup and found[1] == len(lookup):
            memo.move_to_end(key)
            return set(found[2])
        keys = rasa_get_possible_keys(self, lookup, states)
        memo[key] = (lookup, len(lookup), frozenset(keys))  # the lookup itself is held: its id stays its own
        if len(memo) > size:
            memo.popitem(last=False)
        return keys

    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[method-assign]


def copy_slot(slot: Slot) -> Slot:
    """What `copy.copy(slot)` returns for Rasa's slots: `cls.__new__(cls)` given a copy of the attribute dict."""
    copied = type(slot).__new__(type(slot))
    copied.__dict__.update(slot.__dict__)
    return copied


def install_slot_copy() -> None:
    """`copy.copy` of a slot takes `Slot.__copy__` instead of the generic `__reduce_ex__` route."""
    if any("__copy__" in vars(cls) or "__reduce_ex__" in vars(cls) or "__reduce__" in vars(cls)
           or "__getstate__" in vars(cls) or "__slots__" in vars(cls) for cls in _slot_classes()):
        raise RuntimeError("a Rasa slot class defines its own copying: check bot/rasa_speedups.py copy_slot")
    Slot.__copy__ = copy_slot  # type: ignore[attr-defined]


def _slot_classes() -> list[type]:
    classes, pending = [], [Slot]
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending.extend(cls.__subclasses__())
    return classes


def install_kept_connections(idle_seconds: float = KEPT_CONNECTION_IDLE_SECONDS) -> None:
    """Rasa's per-request session draws its connections from one connector per endpoint and event loop."""

    def connector(self: EndpointConfig) -> aiohttp.TCPConnector:
        loop = asyncio.get_running_loop()
        kept: dict[Any, aiohttp.TCPConnector] = self.__dict__.setdefault("_kept_connectors", {})
        for finished in [other for other in kept if other.is_closed()]:
            del kept[finished]  # a loop that has ended (tests, a restarted worker) takes its connector along
        current = kept.get(loop)
        if current is None or current.closed:
            current = kept[loop] = aiohttp.TCPConnector(keepalive_timeout=idle_seconds)
        return current

    def session(self: EndpointConfig) -> aiohttp.ClientSession:
        # Rasa's session (rasa/utils/endpoints.py EndpointConfig.session), plus a connector it does not own:
        # closing the session at the end of Rasa's `async with` leaves the connections open for the next call.
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
            if self.basic_auth else None
        return aiohttp.ClientSession(headers=self.headers, auth=auth,
                                     timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                     connector=connector(self), connector_owner=False)

    EndpointConfig.session = session  # type: ignore[method-assign]


def install_all() -> None:
    """Apply every fix in this module."""
    install_action_response_validator()
    install_event_type_lookup()
    install_planned_graph_runner()
    install_count_vectors_features()
    install_domain_emptiness_check()
    install_kept_connections()
    install_slot_copy()
    install_rule_match_memo()
