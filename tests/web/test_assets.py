"""`python -m bot.web.assets`: socket.io-client from npm into bot/web/static/vendor/, no CDN."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.web import assets
from bot.web.assets import VENDORED_FILES, WidgetAssetError, build_widget_assets


def fake_install(web_dir: Path, client_version: str = "4.8.4") -> None:
    """What `npm ci` leaves behind: the client's files and npm's installed-lockfile marker."""
    modules = web_dir / "node_modules"
    for source, _ in VENDORED_FILES:
        path = modules / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {source} {client_version} */")
    (modules / "socket.io-client" / "package.json").write_text(json.dumps({"version": client_version}))
    (modules / ".package-lock.json").write_text("{}")


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    web = tmp_path / "web"
    web.mkdir()
    (web / "package.json").write_text('{"dependencies": {"socket.io-client": "~4.8.1"}}')
    (web / "package-lock.json").write_text("{}")
    old = 1_000_000_000
    for name in ("package.json", "package-lock.json"):
        os.utime(web / name, (old, old))
    return web


def no_npm(args: Sequence[str], cwd: Path) -> None:
    raise AssertionError(f"npm {args} should not run when node_modules is up to date")


def test_first_build_installs_with_npm_ci_and_copies_the_client(web_dir: Path, tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def npm(args: Sequence[str], cwd: Path) -> None:
        calls.append(list(args))
        fake_install(cwd)

    vendor = tmp_path / "vendor"
    report = build_widget_assets(web_dir, vendor, npm=npm)
    assert calls == [["ci", "--no-audit", "--no-fund"]]
    assert report.ran_npm
    assert (vendor / "socket.io.min.js").read_text() == "/* socket.io-client/dist/socket.io.min.js 4.8.4 */"
    assert set(report.copied) == {target for _, target in VENDORED_FILES}


def test_second_build_is_a_no_op(web_dir: Path, tmp_path: Path) -> None:
    fake_install(web_dir)
    vendor = tmp_path / "vendor"
    build_widget_assets(web_dir, vendor, npm=no_npm)
    again = build_widget_assets(web_dir, vendor, npm=no_npm)
    assert again.copied == ()
    assert not again.ran_npm


def test_a_newer_lock_file_triggers_a_fresh_install(web_dir: Path, tmp_path: Path) -> None:
    fake_install(web_dir)
    later = (web_dir / "node_modules" / ".package-lock.json").stat().st_mtime + 10
    os.utime(web_dir / "package-lock.json", (later, later))
    calls: list[str] = []
    build_widget_assets(web_dir, tmp_path / "vendor", npm=lambda args, cwd: calls.append(args[0]) or fake_install(cwd))
    assert calls == ["ci"]


def test_client_major_version_rasa_cannot_speak_is_refused(web_dir: Path, tmp_path: Path) -> None:
    fake_install(web_dir, client_version="2.5.0")
    with pytest.raises(WidgetAssetError, match="cannot talk to Rasa's python-socketio 5.x"):
        build_widget_assets(web_dir, tmp_path / "vendor", npm=no_npm)
    assert not (tmp_path / "vendor" / "socket.io.min.js").exists()


def test_missing_npm_says_what_to_install(monkeypatch: pytest.MonkeyPatch, web_dir: Path) -> None:
    monkeypatch.setattr(assets.shutil, "which", lambda _: None)
    with pytest.raises(WidgetAssetError, match="npm not found on PATH: install Node.js"):
        assets.run_npm(["ci"], web_dir)


def test_vendored_client_speaks_the_protocol_of_rasas_socketio_server() -> None:
    # python-socketio 5.x (Engine.IO protocol 4) pairs with socket.io-client 3.x or 4.x.
    assert version("python-socketio").startswith("5.")
    vendored = assets.VENDOR_DIR / "socket.io.min.js"
    assert vendored.is_file(), "run `make widget` (python -m bot.web.assets) before the tests"
    header = re.search(r"Socket\.IO v(\d+)\.", vendored.read_text(encoding="utf-8")[:200])
    assert header is not None and int(header.group(1)) in (3, 4)
    assert (assets.WEB_DIR / "package-lock.json").is_file()  # the version is pinned
