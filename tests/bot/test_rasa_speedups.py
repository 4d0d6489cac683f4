"""Rasa speed fixes (bot/rasa_speedups.py) keep Rasa's behaviour: same validation, events and graph outputs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered

from bot import rasa_speedups
from bot.rasa_speedups import PlannedGraphRunner, install_action_response_validator, install_event_type_lookup

MODEL = Path(__file__).resolve().parents[2] / "models" / "skincare.tar.gz"


@pytest.fixture
def remote_action() -> Iterator[RemoteAction]:
    original = RemoteAction._validate_action_result
    install_action_response_validator()
    try:
        yield RemoteAction("action_answer_ingredient_question", None)
    finally:
        RemoteAction._validate_action_result = original  # type: ignore[method-assign]


def test_valid_responses_pass(remote_action: RemoteAction) -> None:
    response = {"events": [{"event": "slot", "name": "ingredient", "value": "milk exosomes"}],
                "responses": [{"text": "No: milk exosomes aren't vegan."}]}
    assert remote_action._validate_action_result(response) is True


def test_invalid_responses_still_raise_rasas_error(remote_action: RemoteAction) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"responses": "nope"})


VALID_RESPONSES = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "skin_type", "value": None, "timestamp": None}]},
    {"events": [{"event": "followup", "name": "action_offer_handoff"}, {"event": "active_loop", "name": None},
                {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0}],
     "responses": [{"text": "hi", "buttons": [{"title": "Yes", "payload": "/affirm"}]}, {"response": "utter_x"}]},
    {"events": [{"event": "user", "text": "is it vegan", "parse_data": {
        "intent": {"name": "ask_diet", "confidence": 0.9}, "entities": [{"entity": "diet", "value": "vegan"}]}}]},
    {"events": [{"event": "reset_slots", "metadata": {"source": "test"}}], "other": 1},
]
INVALID_RESPONSES = [
    [],
    {"events": {"event": "slot"}},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "x"}]},
    {"events": ["slot"]},
    {"events": [{"event": "slot", "name": "skin_type"}]},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "yesterday"}]},
    {"events": [{"event": "bot", "metadata": ["not", "an", "object"]}]},
    {"events": [{"event": "entities"}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"name": 3}}}]},
    {"events": [{"event": "user", "parse_data": {"entities": [{"entity": "diet"}]}}]},
    {"events": [{"event": "action", "hide_rule_turn": "yes"}]},
    {"events": None},
    {"responses": None},
    {"responses": ["text"]},
]


@pytest.mark.parametrize("response", VALID_RESPONSES + INVALID_RESPONSES)
def test_the_fast_check_agrees_with_rasas_schema(remote_action: RemoteAction, response: object) -> None:
    import jsonschema

    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        valid = True
    except ValidationError:
        valid = False
    assert valid == (response in VALID_RESPONSES)  # the samples are what they claim to be
    if valid:
        assert remote_action._validate_action_result(response) is True
    else:
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            remote_action._validate_action_result(response)


@pytest.fixture
def event_type_lookup() -> Iterator[None]:
    original = Event.__dict__["resolve_by_type"]
    install_event_type_lookup()
    try:
        yield
    finally:
        Event.resolve_by_type = original  # type: ignore[method-assign]


def test_events_deserialise_to_the_same_classes_and_values(event_type_lookup: None) -> None:
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("is it vegan?", {"name": "ask_diet", "confidence": 0.97}),
              SlotSet("ingredient", "milk exosomes")]
    for _ in range(2):  # the second round is answered from what the first remembered
        again = [Event.from_parameters(event.as_dict()) for event in events]
        assert [type(event) for event in again] == [type(event) for event in events]
        assert [event.as_dict() for event in again] == [event.as_dict() for event in events]


def test_unknown_event_names_behave_as_in_rasa(event_type_lookup: None) -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility for old events


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
def test_planned_runner_gives_the_same_parse_and_predictions_as_dask(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = ["hi", "are milk exosomes vegan?", "I have oily skin", "does it suit me?", "is snail mucin vegan",
                "my lips are swelling", "what's the weather like", "bye"]

    async def conversation() -> list[tuple]:
        agent = Agent.load(str(MODEL))
        outcome = []
        for text in messages:
            parse = await agent.parse_message(text)
            prediction = await agent.processor.predict_next_for_sender_id("graph-runner-test")
            await agent.handle_text(text, sender_id="graph-runner-test")
            scores = {(score["action"], score["score"]) for score in prediction["scores"]}
            outcome.append((parse["intent"], parse["entities"], parse["intent_ranking"], scores, prediction["policy"]))
        return outcome

    monkeypatch.setattr(rasa_speedups.rasa.core.processor, "DaskGraphRunner", DaskGraphRunner)
    with_dask = asyncio.run(conversation())
    monkeypatch.setattr(rasa_speedups.rasa.core.processor, "DaskGraphRunner", PlannedGraphRunner)
    planned = asyncio.run(conversation())
    assert isinstance(Agent.load(str(MODEL)).processor.graph_runner, PlannedGraphRunner)
    assert planned == with_dask


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
def test_count_vector_features_are_rasas_matrices() -> None:
    """Both trained featurizers (words; character 2-5-grams) give Rasa's sequence and sentence matrices,
    the second time a word is seen (remembered counts) as the first."""
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.bench.nlu_parse import benchmark_messages

    rasa_create_features = CountVectorsFeaturizer._create_features
    nodes = Agent.load(str(MODEL)).processor.graph_runner._instantiated_nodes
    featurizers = [n._component for n in nodes.values() if isinstance(n._component, CountVectorsFeaturizer)]
    assert {f.analyzer for f in featurizers} == {"word", "char_wb"}
    texts = [e.get("text") for e in load_data(str(MODEL.parents[1] / "tests" / "nlu" / "test_nlu.yml")).intent_examples]
    texts += [*benchmark_messages(), "", "ÉCZÉMA façade naïve 日本語 🙂", "x" * 300, "zzqx unknownword retinl"]
    token_lists = [text.lower().split() for text in texts] + [[], ["__OOV__"], ["don't", "it's"]]
    try:
        rasa_speedups.install_count_vectors_features()
        for featurizer in featurizers:
            for attribute in ("text", "intent", "action_name"):
                for _ in range(2):
                    mine = featurizer._create_features(attribute, token_lists)
                    theirs = rasa_create_features(featurizer, attribute, token_lists)
                    for ours, rasas in zip([*mine[0], *mine[1]], [*theirs[0], *theirs[1]], strict=True):
                        assert (ours is None) == (rasas is None)
                        if ours is not None:
                            assert ours.shape == rasas.shape and ours.dtype == rasas.dtype
                            assert ours.row.tolist() == rasas.row.tolist() and ours.col.tolist() == rasas.col.tolist()
                            assert (ours.row.dtype, ours.col.dtype) == (rasas.row.dtype, rasas.col.dtype)
                            assert ours.format == rasas.format == "coo"
                            assert ours.data.tolist() == rasas.data.tolist()
            assert featurizer._remembered_counts  # the fast path ran
    finally:
        CountVectorsFeaturizer._create_features = rasa_create_features  # type: ignore[method-assign]


def test_domain_emptiness_is_rasas() -> None:
    from rasa.shared.core.domain import Domain

    rasa_is_empty = Domain.is_empty
    domains = [Domain.empty(), Domain.load(str(MODEL.parents[1] / "domain.yml")),
               Domain.from_dict({"intents": ["greet"]}), Domain.from_dict({})]
    try:
        rasa_speedups.install_domain_emptiness_check()
        assert [d.is_empty() for d in domains] == [rasa_is_empty(d) for d in domains] == [True, False, False, True]
    finally:
        Domain.is_empty = rasa_is_empty  # type: ignore[method-assign]


class EchoServer:
    """An HTTP server on loopback that answers each POST with its body and the caller's port."""

    def __init__(self) -> None:
        self.client_ports: list[int] = []
        self.runner: object | None = None
        self.port = 0

    async def start(self, port: int = 0) -> None:
        from aiohttp import web

        async def echo(request: web.Request) -> web.Response:
            self.client_ports.append(request.transport.get_extra_info("peername")[1])
            if request.query.get("fail"):
                return web.Response(status=409, reason="Conflict", text="send it whole")
            return web.json_response({"got": await request.json(),
                                      "authorization": request.headers.get("Authorization")})

        app = web.Application()
        app.router.add_post("/webhook", echo)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        self.runner = runner
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self.runner.cleanup()  # type: ignore[union-attr]


@pytest.fixture
def kept_connections() -> Iterator[None]:
    from rasa.utils.endpoints import EndpointConfig

    original = EndpointConfig.session
    rasa_speedups.install_kept_connections()
    try:
        yield
    finally:
        EndpointConfig.session = original  # type: ignore[method-assign]


async def _close_kept(endpoint: object) -> None:
    for connector in endpoint.__dict__.get("_kept_connectors", {}).values():
        await connector.close()


async def _three_calls(server: EchoServer) -> list[object]:
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig(f"http://127.0.0.1:{server.port}/webhook", headers={"Authorization": "Bearer t"})
    try:
        return [await endpoint.request(json={"n": n}) for n in range(3)]
    finally:
        await _close_kept(endpoint)


def three_calls_to_a_new_server() -> tuple[list[object], list[int]]:
    """The replies to three calls through one EndpointConfig, and the client port each call came from."""

    async def scenario() -> tuple[list[object], list[int]]:
        server = EchoServer()
        await server.start()
        try:
            return await _three_calls(server), server.client_ports
        finally:
            await server.stop()

    return asyncio.run(scenario())


def test_rasas_own_session_opens_a_connection_per_call() -> None:
    _, ports = three_calls_to_a_new_server()
    assert len(set(ports)) == 3  # what the fix removes: one TCP connection per custom action


def test_kept_connections_reuse_one_connection_with_rasas_requests(kept_connections: None) -> None:
    replies, ports = three_calls_to_a_new_server()
    assert replies == [{"got": {"n": n}, "authorization": "Bearer t"} for n in range(3)]
    assert len(ports) == 3 and len(set(ports)) == 1


def test_kept_connections_raise_rasas_error_and_keep_serving(kept_connections: None) -> None:
    from rasa.utils.endpoints import ClientResponseError, EndpointConfig

    async def scenario() -> tuple[ClientResponseError, object]:
        server = EchoServer()
        await server.start()
        endpoint = EndpointConfig(f"http://127.0.0.1:{server.port}/webhook")
        try:
            with pytest.raises(ClientResponseError) as refused:
                await endpoint.request(json={}, params={"fail": "1"})
            return refused.value, await endpoint.request(json={"after": True})
        finally:
            await _close_kept(endpoint)
            await server.stop()

    error, after = asyncio.run(scenario())
    assert (error.status, error.message, error.text) == (409, "Conflict", b"send it whole")
    assert after == {"got": {"after": True}, "authorization": None}


def test_a_restarted_server_gets_a_fresh_connection(kept_connections: None) -> None:
    from rasa.utils.endpoints import EndpointConfig

    async def scenario() -> list[object]:
        first = EchoServer()
        await first.start()
        endpoint = EndpointConfig(f"http://127.0.0.1:{first.port}/webhook")
        replies = [await endpoint.request(json={"n": 1})]
        await first.stop()  # closes the kept connection from the server's side
        await asyncio.sleep(0.05)
        again = EchoServer()
        await again.start(first.port)
        try:
            replies.append(await endpoint.request(json={"n": 2}))
        finally:
            await _close_kept(endpoint)
            await again.stop()
        return replies

    assert asyncio.run(scenario()) == [{"got": {"n": n}, "authorization": None} for n in (1, 2)]


def test_kept_sessions_carry_rasas_headers_auth_and_timeout(kept_connections: None) -> None:
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", headers={"Authorization": "Bearer t"},
                              basic_auth={"username": "u", "password": "p"})
    async def sessions() -> tuple[tuple[object, ...], tuple[object, ...], bool]:
        ours = endpoint.session()
        from rasa.utils import endpoints as rasa_endpoints

        rasas = rasa_endpoints.aiohttp.ClientSession(
            headers=endpoint.headers, auth=rasa_endpoints.aiohttp.BasicAuth("u", "p"),
            timeout=rasa_endpoints.aiohttp.ClientTimeout(total=rasa_endpoints.DEFAULT_REQUEST_TIMEOUT))
        try:
            def shape(session: object) -> tuple[object, ...]:
                return (dict(session.headers), session.auth, session.timeout)  # type: ignore[attr-defined]

            return shape(ours), shape(rasas), ours.connector_owner
        finally:
            await ours.close()
            await rasas.close()

    ours, rasas, owner = asyncio.run(sessions())
    assert ours == rasas
    assert owner is False  # closing a call's session leaves the kept connections open


def test_slot_copies_are_rasas() -> None:
    import copy

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import Slot

    domain = Domain.load(str(MODEL.parents[1] / "domain.yml"))
    for slot in domain.slots[:3]:
        slot.value = ["a list", "shared by shallow copies"] if slot.type_name == "list" else slot.value
    rasas = [copy.copy(slot) for slot in domain.slots]
    try:
        rasa_speedups.install_slot_copy()
        ours = [copy.copy(slot) for slot in domain.slots]
    finally:
        del Slot.__copy__  # type: ignore[attr-defined]
    assert len({type(slot) for slot in domain.slots}) > 2, "the domain has several kinds of slot"
    assert [type(slot) for slot in ours] == [type(slot) for slot in rasas]
    assert [vars(slot) for slot in ours] == [vars(slot) for slot in rasas]
    for original, copied in zip(domain.slots, ours, strict=True):
        assert copied is not original and vars(copied) is not vars(original)
        assert all(vars(copied)[key] is value for key, value in vars(original).items()), "shallow, as Rasa's"
        copied.value = "changed"
        assert original.value != "changed"


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
def test_remembered_rule_matches_are_rasas() -> None:
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

    from tests.bot.test_bounded_history import conversation_tracker, rule_policy

    agent = Agent.load(str(MODEL))
    policy, domain = rule_policy(agent), agent.domain
    state_lists = [policy._prediction_states(conversation_tracker(domain, turns, seed), domain, use_text,
                                             policy._get_rule_only_data())
                   for seed in range(8) for turns in (0, 1, 3, 12) for use_text in (False, True)]
    rasa_get_possible_keys = RulePolicy._get_possible_keys
    lookups = [policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]]
    expected = [[rasa_get_possible_keys(policy, lookup, states) for lookup in lookups] for states in state_lists]
    assert any(keys for pair in expected for keys in pair), "some rules match"
    try:
        rasa_speedups.install_rule_match_memo(size=16)
        for _ in range(2):  # the second round is partly answered from memory
            for states, keys in zip(state_lists, expected, strict=True):
                found = [policy._get_possible_keys(lookup, states) for lookup in lookups]
                assert found == keys
                for matched in found:
                    matched.add("a caller's change")  # must not reach what is remembered
        assert 0 < len(policy.__dict__["_rule_match_memo"]) <= 16
        changed = dict(lookups[0])  # a lookup that changes (as during training) is matched again
        states = next(s for s, keys in zip(state_lists, expected, strict=True) if keys[0])
        assert policy._get_possible_keys(changed, states) == rasa_get_possible_keys(policy, changed, states)
        del changed[next(iter(rasa_get_possible_keys(policy, changed, states)))]
        assert policy._get_possible_keys(changed, states) == rasa_get_possible_keys(policy, changed, states)
    finally:
        RulePolicy._get_possible_keys = rasa_get_possible_keys  # type: ignore[method-assign]
        policy.__dict__.pop("_rule_match_memo", None)
