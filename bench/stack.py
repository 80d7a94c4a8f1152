"""The deployment topology of deploy/ on this machine, without Docker (``./dev stack``).

Starts, all on 127.0.0.1:

- PostgreSQL: its own database (``iconoplasm_stack``) on the local server, dropped and created
  again on every start (the S3 server below keeps its bucket in memory, so the two start empty
  together);
- Redis: a private ``redis-server`` on its own port (so it can be restarted without touching the
  system's), database 3; without ``redis-server``, the system Redis at 6379, database 12;
- moto's S3 server on a free port, with the portraits bucket;
- the site in production mode (``ICONOPLASM_DEBUG=0``, generated secrets, collectstatic) under
  gunicorn with 2 web processes, and 2 render workers (``manage.py render_worker``).

The catalogue is the real gene table when it is built (``$ICONOPLASM_HOME/data``, ``./dev serve``
builds it), else the five fixture genes of the test suite; every gene gets a first portrait
before the site starts (with the real table: the first 30; the rest of the backfill is left to
``manage.py render_missing``). Ctrl-C, SIGTERM or the end of the script stops every process.

    python bench/stack.py [--port 8300] [--workers 2] [--web 2]

``Stack`` is also what ``bench/soak.py`` drives (kill a worker, restart Redis).
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.api import free_port  # noqa: E402 - after the path is set

PG_SERVER = os.environ.get("ICONOPLASM_STACK_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("ICONOPLASM_STACK_DB", "iconoplasm_stack")
BUCKET = "iconoplasm-stack"
PYTHON = sys.executable


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def recreate_database() -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return f"{PG_SERVER}/{DB_NAME}"


class Stack:
    def __init__(self, root: Path, *, port: int = 0, web: int = 2, workers: int = 2, claim_timeout_s: int = 600):
        self.root = root
        self.port = port or free_port()
        self.web_processes = web
        self.worker_count = workers
        self.claim_timeout_s = claim_timeout_s
        self.procs: dict[str, subprocess.Popen] = {}
        self.redis_port = 0
        self.private_redis = bool(shutil.which("redis-server"))
        self.env: dict[str, str] = {}
        self.logs = root / "logs"

    # Processes ------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                argv, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )
        self.procs[name] = proc
        return proc

    def _stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout if capture else ""

    # Services -------------------------------------------------------------------

    def start_redis(self) -> None:
        if not self.private_redis:
            return
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        wait_for_port(self.redis_port)

    def restart_redis(self, down_s: float = 2.0) -> None:
        """Stop Redis, leave it down ``down_s`` seconds, start it again (empty: cache and counters gone)."""
        if not self.private_redis:
            raise RuntimeError("no private redis-server to restart (the system Redis is left alone)")
        self._stop("redis")
        time.sleep(down_s)
        self.start_redis()

    def start_worker(self, i: int) -> subprocess.Popen:
        return self._spawn(
            f"worker{i}",
            [
                PYTHON,
                "manage.py",
                "render_worker",
                "--poll",
                "0.5",
                "--worker-id",
                f"stack-worker{i}-{time.time():.0f}",
            ],
            env=self.env,
        )

    def kill_worker(self, i: int) -> None:
        """SIGKILL: the worker dies mid-job, as on a lost machine; its claim times out."""
        self._stop(f"worker{i}", signal.SIGKILL)

    def worker_pid(self, i: int) -> int | None:
        proc = self.procs.get(f"worker{i}")
        return proc.pid if proc and proc.poll() is None else None

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        home = self.root / "home"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        database_url = recreate_database()

        if self.private_redis:
            self.redis_port = free_port()
            redis_url = f"redis://127.0.0.1:{self.redis_port}/3"
        else:
            redis_url = "redis://127.0.0.1:6379/12"
        self.start_redis()

        s3_port = free_port()
        self._spawn("s3", [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
        wait_for_port(s3_port)
        s3 = f"http://127.0.0.1:{s3_port}"

        from cryptography.fernet import Fernet

        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("ICONOPLASM_", "DJANGO_", "AWS_"))},
            "ICONOPLASM_HOME": str(home),
            "ICONOPLASM_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ICONOPLASM_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "ICONOPLASM_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ICONOPLASM_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "ICONOPLASM_REDIS_URL": redis_url,
            "ICONOPLASM_S3_BUCKET": BUCKET,
            "ICONOPLASM_S3_ENDPOINT_URL": s3,
            "ICONOPLASM_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "stack",
            "AWS_SECRET_ACCESS_KEY": "stack-secret",
            "ICONOPLASM_CLAIM_TIMEOUT_S": str(self.claim_timeout_s),
        }
        import boto3

        boto3.client(
            "s3", endpoint_url=s3, region_name="us-east-1", aws_access_key_id="stack", aws_secret_access_key="x"
        ).create_bucket(Bucket=BUCKET)
        if not self.private_redis:
            import redis

            redis.Redis.from_url(redis_url).flushdb()

        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("load_emulsions")
        genes, traits, real = self.catalogue()
        self.manage("load_genes", "--genes", str(genes), "--traits", str(traits))
        self.manage("render_missing", *(["--limit", "30"] if real else []), "-v0")
        self.catalogue_name = "the real gene table" if real else "the 5 fixture genes"

        self._spawn(
            "web",
            [
                PYTHON, "-m", "gunicorn", "backend.iconoplasm.wsgi",
                "--workers", str(self.web_processes),
                "--bind", f"127.0.0.1:{self.port}",
                "--timeout", "30",
                "--log-level", "warning",
            ],
            env=self.env,
        )  # fmt: skip
        for i in range(self.worker_count):
            self.start_worker(i)
        wait_for_port(self.port)
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/lexicon/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the site did not answer: see {self.logs}/web.log")
            time.sleep(0.3)

    def catalogue(self) -> tuple[Path, Path, bool]:
        home = Path(os.environ.get("ICONOPLASM_HOME") or REPO / "var")
        data = Path(os.environ.get("ICONOPLASM_DATA_DIR") or home / "data")
        if (data / "genes.parquet").exists() and (data / "traits.parquet").exists():
            return data / "genes.parquet", data / "traits.parquet", True
        sys.path.insert(0, str(REPO))
        from tests.backend.catalogue import write_catalogue

        folder = self.root / "catalogue"
        folder.mkdir(exist_ok=True)
        genes, traits = write_catalogue(folder)
        return genes, traits, False

    def stop(self) -> None:
        # The site first, then the workers (SIGTERM: each finishes its job), then what they use.
        order = {"web": 0, "s3": 2, "redis": 3}
        for name in sorted(self.procs, key=lambda n: order.get(n, 1)):
            try:
                self._stop(name)
            except (OSError, subprocess.SubprocessError) as exc:  # stop the others whatever happens to one
                print(f"stopping {name}: {exc}", file=sys.stderr)

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def interrupt(*_) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--web", type=int, default=2, help="gunicorn web processes")
    parser.add_argument("--workers", type=int, default=2, help="render workers")
    parser.add_argument(
        "--root", type=Path, default=Path(os.environ.get("ICONOPLASM_STACK_ROOT", "/tmp/iconoplasm-stack"))
    )
    args = parser.parse_args()
    # SIGTERM (a kill of ./dev stack) unwinds like Ctrl-C, so `with` stops everything.
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)  # also when started in the background, where SIGINT is ignored
    stack = Stack(args.root, port=args.port, web=args.web, workers=args.workers)
    try:
        with stack:
            print(f"stack up: http://127.0.0.1:{stack.port}/ ({stack.catalogue_name})")
            print(f"  PostgreSQL {stack.env['DATABASE_URL']}, Redis {stack.env['ICONOPLASM_REDIS_URL']}")
            print(f"  S3 {stack.env['ICONOPLASM_S3_ENDPOINT_URL']} bucket {BUCKET}")
            print(f"  {args.web} web processes, {args.workers} render workers; logs in {stack.logs}; Ctrl-C stops all")
            while True:
                for name, proc in list(stack.procs.items()):
                    if proc.poll() is not None:
                        print(f"{name} exited with {proc.returncode}: see {stack.logs}/{name}.log", file=sys.stderr)
                        stack.procs.pop(name)
                time.sleep(1)
    except KeyboardInterrupt:
        print("stopping the stack", file=sys.stderr)


if __name__ == "__main__":
    main()
