"""write_runtime_credentials: which channels Rasa is given, from the environment, and that Rasa can load it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import rasa.shared.utils.io
import yaml
from rasa.core.run import create_http_input_channels

from bot.channels.credentials import MESSAGING_CHANNELS, CredentialsFileError, write_runtime_credentials
from bot.channels.messenger import SignedFacebookInput
from bot.channels.slack import CheckedSlackInput
from bot.channels.telegram import SecretTokenTelegramInput
from bot.channels.twilio import SignedTwilioInput

REPO_CREDENTIALS = Path(__file__).resolve().parents[2] / "credentials.yml"

TELEGRAM = {
    "TELEGRAM_TOKEN": "123456789:AAE-loopback-test-token-not-real-00000",
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "tg-secret-value-123",
}
SLACK = {"SLACK_TOKEN": "xoxb-secret-value", "SLACK_SIGNING_SECRET": "slack-secret-value"}
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-secret-value",
    "TWILIO_WEBHOOK_URL": "https://bot.example.org/webhooks/twilio/webhook",
}
FACEBOOK = {
    "FACEBOOK_VERIFY_TOKEN": "fb-verify-value",
    "FACEBOOK_APP_SECRET": "fb-secret-value",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token-value",
}
ALL = {**TELEGRAM, **SLACK, **TWILIO, **FACEBOOK}
MESSAGING_NAMES = {"telegram", "slack", "twilio", "facebook"}


def written(tmp_path: Path, env: dict[str, str]) -> tuple[list[str], dict, str]:
    out = tmp_path / "build" / "credentials.runtime.yml"
    enabled = write_runtime_credentials(out, REPO_CREDENTIALS, env)
    text = out.read_text()
    # BaseLoader: plain strings, no `${VAR}` expansion (which importing Rasa switches on for SafeLoader).
    return enabled, yaml.load(text, Loader=yaml.BaseLoader) or {}, text


def test_every_messaging_channel_is_defined_in_credentials_yml() -> None:
    text = REPO_CREDENTIALS.read_text()
    for key in MESSAGING_CHANNELS:
        assert f"\n{key}:" in text


def test_no_messaging_channel_without_its_variables(tmp_path: Path) -> None:
    enabled, content, _ = written(tmp_path, {})
    assert MESSAGING_NAMES.isdisjoint(enabled)
    assert set(MESSAGING_CHANNELS).isdisjoint(content)
    assert "bot.channels.rest.CheckedRestInput" in content and "rest" in enabled  # always-on channels stay


def test_each_channel_is_on_exactly_when_its_variables_are_set(tmp_path: Path) -> None:
    for name, env in [("telegram", TELEGRAM), ("slack", SLACK), ("twilio", TWILIO), ("facebook", FACEBOOK)]:
        enabled, content, _ = written(tmp_path, env)
        assert MESSAGING_NAMES.intersection(enabled) == {name}
        assert [k for k in content if k in MESSAGING_CHANNELS] == [
            key for key, label in MESSAGING_CHANNELS.items() if label == name
        ]


def test_all_channels_on_and_no_secret_written_to_disk(tmp_path: Path) -> None:
    enabled, _, text = written(tmp_path, ALL)
    assert MESSAGING_NAMES.issubset(enabled)
    for value in ALL.values():
        assert value not in text
    assert "${TWILIO_AUTH_TOKEN}" in text


def test_partly_configured_channel_stays_off_and_says_what_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    partial = {**TWILIO, "TWILIO_WEBHOOK_URL": ""} | {"SLACK_TOKEN": "xoxb-x"}
    with caplog.at_level(logging.INFO, logger="bot.channels.credentials"):
        enabled, content, _ = written(tmp_path, partial)
    assert MESSAGING_NAMES.isdisjoint(enabled)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("twilio" in w and "missing TWILIO_WEBHOOK_URL" in w for w in warnings)
    assert any("slack" in w and "missing SLACK_SIGNING_SECRET" in w for w in warnings)
    assert not any("telegram" in w for w in warnings)  # not configured at all: info, not a warning


def test_rasa_loads_the_written_file_and_builds_our_hardened_channels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in ALL.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "credentials.runtime.yml"
    write_runtime_credentials(out, REPO_CREDENTIALS, ALL)
    expected = {
        "bot.channels.telegram.SecretTokenTelegramInput": SecretTokenTelegramInput,
        "bot.channels.slack.CheckedSlackInput": CheckedSlackInput,
        "bot.channels.twilio.SignedTwilioInput": SignedTwilioInput,
        "bot.channels.messenger.SignedFacebookInput": SignedFacebookInput,
    }
    built = {key: create_http_input_channels(key, str(out))[0] for key in expected}
    for key, cls in expected.items():
        assert type(built[key]) is cls
    assert built["bot.channels.twilio.SignedTwilioInput"].auth_token == TWILIO["TWILIO_AUTH_TOKEN"]
    assert built["bot.channels.twilio.SignedTwilioInput"].webhook_url == TWILIO["TWILIO_WEBHOOK_URL"]
    assert built["bot.channels.telegram.SecretTokenTelegramInput"].secret_token == "tg-secret-value-123"
    assert built["bot.channels.slack.CheckedSlackInput"].slack_signing_secret == "slack-secret-value"
    assert built["bot.channels.messenger.SignedFacebookInput"].fb_secret == "fb-secret-value"


def test_rasa_fails_on_the_base_file_when_a_variable_is_unset_which_is_why_we_filter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ALL:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(Exception, match="TELEGRAM_TOKEN"):
        rasa.shared.utils.io.read_config_file(str(REPO_CREDENTIALS))
    out = tmp_path / "credentials.runtime.yml"
    write_runtime_credentials(out, REPO_CREDENTIALS, {})
    assert "bot.channels.rest.CheckedRestInput" in rasa.shared.utils.io.read_config_file(str(out))


def test_a_quoted_placeholder_is_reported_because_rasa_would_not_expand_it(tmp_path: Path) -> None:
    base = tmp_path / "credentials.yml"
    base.write_text('slack:\n  slack_token: "${SLACK_TOKEN}"\n  slack_signing_secret: ${SLACK_SIGNING_SECRET}\n')
    with pytest.raises(CredentialsFileError, match="quotes a"):
        write_runtime_credentials(tmp_path / "out.yml", base, SLACK)


def test_a_missing_base_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CredentialsFileError, match="missing.yml"):
        write_runtime_credentials(tmp_path / "out.yml", tmp_path / "missing.yml", {})
