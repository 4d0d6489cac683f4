"""The Compose and Kubernetes JSON schemas, read from the pinned wheels `make deploy-schemas` downloads.

deploy/schema-packages.txt says which packages and why they are not installed. Validation is offline:
every `$ref` resolves inside the wheel.
"""

from __future__ import annotations

import json
import os
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
WHEELS = REPO / "build" / "schemas"
KUBERNETES_VERSION = "v1.28.0-local-strict"  # strict: unknown fields are errors, as `kubectl apply` makes them
_K8S_DIR = f"kubernetes_validate/kubernetes-json-schema/{KUBERNETES_VERSION}/"


def _wheel(prefix: str) -> zipfile.ZipFile:
    found = sorted(WHEELS.glob(f"{prefix}-*.whl"))
    if not found:
        message = f"no {prefix} wheel in {WHEELS}: run `make deploy-schemas` (make test does it first)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return zipfile.ZipFile(found[-1])


@cache
def _compose_schema() -> dict[str, Any]:
    return json.loads(_wheel("docker_compose").read("compose/config/compose_spec.json"))


def compose_errors(document: dict[str, Any]) -> list[str]:
    """Every way `document` breaks the Compose specification (empty when valid)."""
    validator = jsonschema.Draft201909Validator(_compose_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@cache
def _kubernetes_file(name: str) -> dict[str, Any]:
    return json.loads(_wheel("kubernetes_validate").read(_K8S_DIR + name))


def kubernetes_errors(document: dict[str, Any]) -> list[str]:
    """Every way a Kubernetes object breaks its kind's schema (kind-group-version, as kubectl names it)."""
    group_version = document["apiVersion"]
    group, _, version = group_version.rpartition("/")
    group = group.split(".")[0]
    name = f"{document['kind'].lower()}{'-' + group if group else ''}-{version}.json"
    try:
        schema = _kubernetes_file(name)
    except KeyError:
        return [f"{document['kind']} {group_version}: no such kind in Kubernetes {KUBERNETES_VERSION}"]
    resolver = jsonschema.RefResolver(base_uri=f"file:///{_K8S_DIR}", referrer=schema,
                                      handlers={"file": lambda uri: _kubernetes_file(uri.rsplit("/", 1)[1])})
    validator = jsonschema.Draft4Validator(schema, resolver=resolver)
    return [f"{document['kind']} {document['metadata'].get('name')}: {'/'.join(map(str, e.absolute_path))}: "
            f"{e.message}" for e in validator.iter_errors(document)]
