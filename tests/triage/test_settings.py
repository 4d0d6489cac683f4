"""Where triage finds Rasa's conversations: an explicit URL, the production PostgreSQL variables, or SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from bot.run import StackSettings
from bot.triage import settings

PRODUCTION = {"TRACKER_DB_HOST": "db.internal", "TRACKER_DB_PORT": "5433", "TRACKER_DB_NAME": "rasa",
              "TRACKER_DB_USER": "skincare", "TRACKER_DB_PASSWORD": "p@ss:w/rd"}
ALL = ["TRACKER_DB_URL", "TRACKER_SQLITE_PATH", *PRODUCTION]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ALL:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_production_variables_give_the_same_database_as_rasas(env: pytest.MonkeyPatch) -> None:
    for name, value in PRODUCTION.items():
        env.setenv(name, value)
    env.setenv("TRACKER_SQLITE_PATH", "/srv/var/conversations.sqlite")  # set by `make run` in every mode
    url = make_url(settings.tracker_db_url())
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == (
        "postgresql+psycopg2", "db.internal", 5433, "rasa", "skincare", "p@ss:w/rd")  # special characters kept


def test_an_explicit_url_wins_and_sqlite_is_the_embedded_default(env: pytest.MonkeyPatch) -> None:
    # Nothing set: the file the launcher gives Rasa by default (forget once missed it, issue 11).
    assert settings.tracker_db_url() == f"sqlite:///{StackSettings().tracker_sqlite_path.resolve()}"
    env.setenv("TRACKER_SQLITE_PATH", "/srv/var/conversations.sqlite")
    assert settings.tracker_db_url() == "sqlite:////srv/var/conversations.sqlite"
    env.setenv("TRACKER_DB_HOST", "db.internal")
    env.setenv("TRACKER_DB_URL", "postgresql://reader@replica/rasa")
    assert settings.tracker_db_url() == "postgresql://reader@replica/rasa"


def test_a_bad_port_is_named(env: pytest.MonkeyPatch) -> None:
    env.setenv("TRACKER_DB_HOST", "db.internal")
    env.setenv("TRACKER_DB_PORT", "fivefourthreetwo")
    with pytest.raises(settings.SettingError, match="TRACKER_DB_PORT must be a port number"):
        settings.tracker_db_url()
