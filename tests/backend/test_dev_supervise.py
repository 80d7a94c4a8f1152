"""``./dev serve`` stops everything it started (issue 12, defect 10): the ``supervise`` function of the
``dev`` script, run alone with stub commands in place of runserver, the worker and the backfill."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[2] / "dev"


def supervise_source() -> str:
    text = DEV.read_text()
    found = re.search(r"^# --- supervise.*?^# --- end supervise$", text, re.S | re.M)
    assert found, "the dev script's supervise block (between its '# --- supervise' markers) is missing"
    return found.group(0)


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def session(leader: int) -> list[int]:
    """Processes still alive in the script's session (it is started as a session leader): the script and
    everything it started, in whatever process group."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == leader:  # stat's 6th field: the session id
            pids.append(int(entry.name))
    return pids


def start(tmp_path: Path, server: str) -> subprocess.Popen:
    """A script like ``./dev serve``: the supervise block, then three stub jobs run through a shell
    function (as ``manage`` is). The worker and the server start a child of their own, as runserver's
    autoreloader does."""
    script = tmp_path / "serve.sh"
    script.write_text(
        "set -euo pipefail\n"
        f"{supervise_source()}\n"
        'manage() { bash -c "$1"; }\n'
        "supervise \"manage 'sleep 600'\" \"manage 'sleep 600 & wait'\" "
        f"\"manage '{server}'\"\n"
    )
    return subprocess.Popen(["bash", str(script)], start_new_session=True)


@pytest.fixture
def started():
    scripts: list[subprocess.Popen] = []
    yield scripts
    for script in scripts:  # never leave a stub behind, whatever the test found
        for pid in session(script.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_script_stops_every_job_and_their_children(tmp_path, started, sig):
    script = start(tmp_path, "sleep 600 & wait")
    started.append(script)
    # the script; per job its subshell and `bash -c` (one exec's its sleep); the worker's and server's sleeps
    assert wait_for(lambda: len(session(script.pid)) >= 8), session(script.pid)
    os.kill(script.pid, sig)
    assert script.wait(timeout=10) != 0
    assert wait_for(lambda: not session(script.pid)), f"left running: {session(script.pid)}"


def test_when_the_server_ends_the_others_are_stopped(tmp_path, started):
    script = start(tmp_path, "sleep 1")
    started.append(script)
    assert script.wait(timeout=15) == 0
    assert wait_for(lambda: not session(script.pid)), f"left running: {session(script.pid)}"
