"""Serving the app and launching Debian's headless Chromium: one place for the browser tests,
the UI benchmark and the load test.

Playwright's own browser download does not work here, so Chromium is always ``/usr/bin/chromium``,
with the flags that keep it from reaching for the (closed) network.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PYTHON = VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home, and on a closed network its connections are refused.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ServerError(RuntimeError):
    """The Streamlit server did not start; the message carries its stderr."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip()
    except (OSError, urllib.error.URLError):
        return None


class StreamlitServer:
    """``streamlit run`` on a free loopback port, in its own process group (stopping it stops every child)."""

    def __init__(self, script: Path | str, env: dict[str, str], stderr_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr_path = stderr_path
        command = [
            *(str(PYTHON), "-m", "streamlit", "run", str(script), "--server.port", str(self.port)),
            *("--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"),
        ]
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if health(self.url) == "ok":
                return
            time.sleep(0.2)
        status = f"avslutades med kod {self.process.returncode}" if self.process.poll() is not None else "svarar inte"
        self.stop()
        log = self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""
        raise ServerError(f"Streamlit-servern {status} efter start ({self.url}/_stcore/health).\n--- stderr ---\n{log}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
