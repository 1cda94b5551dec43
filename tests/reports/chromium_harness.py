"""Run the system's headless Chromium on a local page: the DOM after scripts ran, console output,
screenshots. Flags as in DESIGN.md; every run gets a fresh profile and no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing may reach the network
    "--enable-logging=stderr",
    "--v=0",
)
MISSING = ("chromium is not installed, so the HTML report is not tested in a browser: "
           "run ./scripts/test.sh as root (it installs Debian's chromium) or apt-get install chromium")


def find_chromium() -> str | None:
    configured = os.environ.get("SUPPORTOPS_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class BrowserRun:
    stdout: str  # the DOM with --dump-dom
    console: list[str]  # every console message the page produced (our pages must produce none)
    stderr: str


def run_chromium(binary: str, url: str, work: Path, *extra: str, timeout: float = 120) -> BrowserRun:
    profile = work / f"chromium-profile-{uuid.uuid4().hex}"
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if completed.returncode != 0:
        raise AssertionError(f"chromium exited {completed.returncode}: {completed.stderr[-2000:]}")
    # Chromium logs each console message (log, warning, error, uncaught exception, CSP violation)
    # as "...:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)".
    console = [line for line in completed.stderr.splitlines() if ":CONSOLE" in line]
    return BrowserRun(completed.stdout, console, completed.stderr)
