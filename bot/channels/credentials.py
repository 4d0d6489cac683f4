"""Decide which messaging-app channels Rasa starts, from the environment.

credentials.yml lists every channel we support, the messaging apps with `${VAR}` placeholders. Rasa
expands those placeholders itself and refuses to start when one is unset, so the launcher calls
`write_runtime_credentials` first: it copies credentials.yml, keeping the always-on channels (rest,
socketio, anything not listed in MESSAGING_CHANNELS) and each messaging channel only when every variable
its entry references is set. The placeholders are written back unexpanded, so no secret lands on disk.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

# credentials.yml key -> short name used in logs and in the list handed back to the launcher.
MESSAGING_CHANNELS: dict[str, str] = {
    "bot.channels.telegram.SecretTokenTelegramInput": "telegram",
    "bot.channels.slack.CheckedSlackInput": "slack",
    "bot.channels.twilio.SignedTwilioInput": "twilio",
    "bot.channels.messenger.SignedFacebookInput": "facebook",
}

# The same shape Rasa's YAML reader expands (rasa.shared.utils.io.replace_environment_variables).
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
# Rasa only expands unquoted scalars: a quoted "${VAR}" reaches the channel as the literal text.
_QUOTED_PLACEHOLDER = re.compile(r"""^\s*[\w-]+:\s*(["'])[^\n]*\$\{""", re.MULTILINE)


class CredentialsFileError(ValueError):
    """credentials.yml cannot be turned into a runtime credentials file."""


class _PlainLoader(yaml.SafeLoader):
    """A SafeLoader that leaves `${VAR}` alone.

    Importing Rasa registers an implicit `!env_var` resolver on PyYAML's shared resolver, which would
    expand (or fail on) the placeholders we must copy through untouched.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "!env_var"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _referenced_variables(entry: Any) -> list[str]:
    """Names of the environment variables an entry's values refer to, in order of appearance."""
    found: list[str] = []
    if isinstance(entry, Mapping):
        for value in entry.values():
            found.extend(_referenced_variables(value))
    elif isinstance(entry, list):
        for value in entry:
            found.extend(_referenced_variables(value))
    elif isinstance(entry, str):
        found.extend(_PLACEHOLDER.findall(entry))
    return list(dict.fromkeys(found))


def _short_name(key: str) -> str:
    """`rest` -> `rest`; `bot.channels.socketio.SomeInput` -> `socketio` (the module a class lives in)."""
    parts = key.split(".")
    return parts[-2] if len(parts) > 1 else key


def _read_base(base_path: Path) -> dict[str, Any]:
    try:
        text = base_path.read_text(encoding="utf-8")
    except OSError as error:
        raise CredentialsFileError(
            f"{base_path}: cannot read the channel credentials file ({error.strerror}); "
            "run from the repository root or pass base_path."
        ) from error
    quoted = _QUOTED_PLACEHOLDER.search(text)
    if quoted:
        raise CredentialsFileError(
            f"{base_path}: the line '{quoted.group(0).strip()}...' quotes a ${{VAR}} placeholder; "
            "Rasa expands only unquoted placeholders, so write it without quotes."
        )
    try:
        content = yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise CredentialsFileError(f"{base_path}: not valid YAML: {error}") from error
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise CredentialsFileError(
            f"{base_path}: expected a mapping of channel name to settings, got {type(content).__name__}."
        )
    return content


def runtime_credentials(
    base_path: Path = Path("credentials.yml"), env: Mapping[str, str] = os.environ
) -> tuple[dict[str, Any], list[str]]:
    """Return the credentials Rasa should load and the short names of the channels enabled.

    A messaging channel is enabled when every `${VAR}` in its entry is set to a non-empty value. One
    with none of its variables set is off (logged at info level); one with only some set is off with a
    warning naming the missing variables, since that is almost always a deployment mistake.
    """
    base = _read_base(base_path)
    kept: dict[str, Any] = {}
    enabled: list[str] = []
    for key, entry in base.items():
        label = MESSAGING_CHANNELS.get(key)
        if label is None:
            kept[key] = entry
            enabled.append(_short_name(str(key)))
            continue
        needed = _referenced_variables(entry)
        missing = [name for name in needed if not env.get(name)]
        if not missing:
            kept[key] = entry
            enabled.append(label)
            logger.info("Messaging channel %s enabled.", label)
        elif len(missing) == len(needed):
            logger.info("Messaging channel %s off: set %s to enable it.", label, ", ".join(needed))
        else:
            logger.warning(
                "Messaging channel %s off: partly configured, missing %s (set all of %s, or none).",
                label,
                ", ".join(missing),
                ", ".join(needed),
            )
    return kept, enabled


def write_runtime_credentials(
    out_path: Path, base_path: Path = Path("credentials.yml"), env: Mapping[str, str] = os.environ
) -> list[str]:
    """Write the credentials file for `rasa run --credentials` and return the enabled channel names.

    The written file keeps `${VAR}` placeholders (Rasa expands them at start-up), so it holds no secret.
    """
    content, enabled = runtime_credentials(base_path, env)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Generated from {base_path} by bot/channels/credentials.py; edit that file instead.\n"
    # default_style=None keeps `${VAR}` unquoted, the only form Rasa's reader expands.
    body = yaml.safe_dump(content, sort_keys=False, default_flow_style=False) if content else ""
    out_path.write_text(header + body, encoding="utf-8")
    return enabled
