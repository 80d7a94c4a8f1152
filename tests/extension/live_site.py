"""A real Iconoplasm server for the browser tests: its own home folder, the five fixture genes, a
portrait for TP53 and one user; a process that can be stopped and started again on its port."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pipeline.paths import REPO_ROOT

USERNAME, PASSWORD = "reader", "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def populate() -> None:
    """Run inside the server's environment (``python -m tests.extension.live_site``)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from PIL import Image

    from backend.genes.models import Gene
    from backend.genes.services import load_genes
    from backend.portraits.services import register_candidate
    from tests.backend.catalogue import write_catalogue

    load_genes(*write_catalogue(Path(os.environ["ICONOPLASM_HOME"])))
    image = io.BytesIO()
    Image.new("RGB", (48, 64), (200, 40, 40)).save(image, "PNG")
    register_candidate(Gene.objects.get(symbol="TP53"), image.getvalue(), renderer="procedural")
    get_user_model().objects.create_user(USERNAME, password=PASSWORD)


class LiveSite:
    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "ICONOPLASM_HOME": str(home), "DJANGO_SETTINGS_MODULE": "backend.iconoplasm.settings"}
        self.env.pop("DATABASE_URL", None)
        self.process: subprocess.Popen | None = None
        self.log = home / "server.log"

    def prepare(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO_ROOT, env=self.env, check=True)
        subprocess.run([sys.executable, "-m", "tests.extension.live_site"], cwd=REPO_ROOT, env=self.env, check=True)

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.request("/api/lexicon/")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the test server exited: {self.log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        raise RuntimeError(f"the test server did not answer within 30 s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def request(self, path: str, body: dict | None = None, token: str | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None if body is None else json.dumps(body).encode()
        with urllib.request.urlopen(
            urllib.request.Request(self.url + path, data=data, headers=headers), timeout=10
        ) as response:
            return json.load(response)

    def token(self) -> str:
        return self.request("/api/auth/token/", {"username": USERNAME, "password": PASSWORD})["token"]

    def discovered(self) -> set[str]:
        return {gene["symbol"] for gene in self.request("/api/me/discoveries/", token=self.token())["genes"]}


if __name__ == "__main__":
    populate()
