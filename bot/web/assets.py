"""Put the widget's browser dependencies in place: ``python -m bot.web.assets`` (``make widget``).

socket.io-client comes from the npm registry (web/package.json, pinned by web/package-lock.json)
and is copied into bot/web/static/vendor/, so nothing is fetched from a CDN when a page loads.
Runs ``npm ci`` only when web/node_modules is missing or older than the lock file; otherwise it
only compares files, so it is a fast no-op when everything is up to date.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.web.server import STATIC_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = REPO_ROOT / "web"
VENDOR_DIR = STATIC_DIR / "vendor"
# python-socketio 5.x / python-engineio 4.x (Rasa's) speak Engine.IO protocol 4: JS client 3.x or 4.x.
COMPATIBLE_CLIENT_MAJORS = (3, 4)
# (file under node_modules, name under static/vendor)
VENDORED_FILES = (
    ("socket.io-client/dist/socket.io.min.js", "socket.io.min.js"),
    ("socket.io-client/dist/socket.io.min.js.map", "socket.io.min.js.map"),
    ("socket.io-client/LICENSE", "socket.io-client.LICENSE"),
)

NpmRunner = Callable[[Sequence[str], Path], None]


class WidgetAssetError(RuntimeError):
    """The widget's browser files could not be put in place (message says what to do)."""


@dataclass(frozen=True)
class AssetReport:
    """What a build did: npm run or not, which vendor files were (re)written."""

    ran_npm: bool
    copied: tuple[str, ...]


def run_npm(args: Sequence[str], cwd: Path) -> None:
    """Run npm in ``cwd``; raise WidgetAssetError with npm's own message when it fails."""
    npm = shutil.which("npm")
    if npm is None:
        raise WidgetAssetError(
            "npm not found on PATH: install Node.js 18 or newer with npm "
            "(Debian/Ubuntu: apt-get install nodejs npm), then run `make widget` again"
        )
    result = subprocess.run([npm, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()[-2000:]
        raise WidgetAssetError(f"`npm {' '.join(args)}` in {cwd} failed:\n{output}")


def _installed_marker(web_dir: Path) -> Path:
    return web_dir / "node_modules" / ".package-lock.json"  # written by every npm install / npm ci


def _client_files_missing(web_dir: Path) -> bool:
    return any(not (web_dir / "node_modules" / source).is_file() for source, _ in VENDORED_FILES)


def install_needed(web_dir: Path) -> bool:
    """True when web/node_modules is missing or older than package.json / package-lock.json."""
    installed_marker = _installed_marker(web_dir)
    if not installed_marker.is_file() or _client_files_missing(web_dir):
        return True
    installed_at = installed_marker.stat().st_mtime
    inputs = [web_dir / "package.json", web_dir / "package-lock.json"]
    return any(path.is_file() and path.stat().st_mtime > installed_at for path in inputs)


def client_version(web_dir: Path) -> str:
    """The installed socket.io-client version, checked against what Rasa's server understands."""
    manifest = web_dir / "node_modules" / "socket.io-client" / "package.json"
    version = str(json.loads(manifest.read_text(encoding="utf-8")).get("version", ""))
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) not in COMPATIBLE_CLIENT_MAJORS:
        raise WidgetAssetError(
            f"{manifest}: socket.io-client {version or '(no version)'} cannot talk to Rasa's "
            f"python-socketio 5.x; pin a {' or '.join(map(str, COMPATIBLE_CLIENT_MAJORS))}.x version "
            "in web/package.json and run `make widget` again"
        )
    return version


def build_widget_assets(
    web_dir: Path = WEB_DIR, vendor_dir: Path = VENDOR_DIR, npm: NpmRunner = run_npm
) -> AssetReport:
    """Install socket.io-client if needed and copy it into ``vendor_dir``; no-op when up to date."""
    if not (web_dir / "package.json").is_file():
        raise WidgetAssetError(f"{web_dir / 'package.json'} is missing: the widget's npm manifest belongs there")
    ran_npm = install_needed(web_dir)
    if ran_npm:
        has_lock = (web_dir / "package-lock.json").is_file()
        npm(["ci" if has_lock else "install", "--no-audit", "--no-fund"], web_dir)
        if _client_files_missing(web_dir) or not _installed_marker(web_dir).is_file():
            raise WidgetAssetError(
                f"npm finished but {web_dir / 'node_modules' / VENDORED_FILES[0][0]} is still missing: "
                "check that web/package.json lists socket.io-client"
            )
        _installed_marker(web_dir).touch()  # newer than the manifests now, even if their clocks ran ahead
    client_version(web_dir)
    vendor_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for source, target in VENDORED_FILES:
        src, dst = web_dir / "node_modules" / source, vendor_dir / target
        if not dst.is_file() or dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)
            copied.append(target)
    return AssetReport(ran_npm=ran_npm, copied=tuple(copied))


def main() -> int:
    """Command line entry: build the assets and say what happened."""
    try:
        report = build_widget_assets()
    except WidgetAssetError as error:
        print(f"widget assets: {error}", file=sys.stderr)
        return 1
    version = client_version(WEB_DIR)
    if report.copied:
        print(f"widget assets: socket.io-client {version} copied to {VENDOR_DIR} ({', '.join(report.copied)})")
    else:
        print(f"widget assets: up to date (socket.io-client {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
