"""Benchmark: card and lexicon throughput and latency against the real server.

Starts gunicorn (``--web-workers`` sync workers, default 2, in production mode: DEBUG off) on
the loaded database of ``$ICONOPLASM_HOME`` (run `./dev serve` once first, or pass --home), then
drives it from N client threads with keep-alive connections for a fixed time per target:

- a static file served by the same server (the floor: a media file),
- ``GET /api/genes/{SYMBOL}/`` over 2,000 random symbols (first visits: each card built), then
  over 200 of them again (repeat visits: cards served from the cache),
- ``GET /api/lexicon/`` (index) and the lexicon file.

Prints requests/s, p50 and p99 latency for each and the ratio of the card
rate to the static-file rate. Target: >= 500 card requests/s on 2 cores.
All traffic stays on 127.0.0.1 and every loop is bounded in time.

    python bench/api.py [--seconds 10] [--clients 8]

``--database both`` (or ``sqlite``, ``postgres``) compares the databases in one run instead:
each gets a fresh home under /tmp with the same catalogue (the gene table of ``$ICONOPLASM_HOME``
when built, else built from the sources), 40 first portraits and ``--vote-users`` accounts;
then cards (first and repeat visits), the lexicon and votes (``POST /api/portraits/{id}/vote/``,
each client cycling through its own accounts so the 60/min limit is not what is measured) run
against each in turn, both servers up, the databases alternating target by target for
``--rounds`` rounds (median rates), so load from elsewhere on a shared machine falls on both. Targets at 32 clients: card throughput on PostgreSQL within 1.3x of
SQLite's; votes on PostgreSQL no slower than on SQLite. PostgreSQL is
``$ICONOPLASM_BENCH_PG`` (default postgres://postgres@127.0.0.1:5432), database
``iconoplasm_bench_api`` (dropped and created again).

    python bench/api.py --database both --clients 32 [--seconds 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# How many genes the repeat-visit run cycles through.
HOT_GENES = 200


def media_files(media: Path, count: int = 50) -> list[Path]:
    """Up to ``count`` stored images (portraits and blots, whatever their format): the static-file floor."""
    return sorted(p for p in media.rglob("*") if p.is_file())[:count] if media.exists() else []


def production(env: dict[str, str]) -> dict[str, str]:
    """The server's environment in production mode, as deployed: Django's DEBUG off (no debug cursor
    recording every statement), a secret key and a key-encryption key made for the run."""
    from cryptography.fernet import Fernet

    return {
        **env,
        "ICONOPLASM_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ICONOPLASM_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_cards(port: int, count: int = 2000) -> list[str]:
    """Card paths of up to ``count`` genes of the current lexicon (the same sample every run)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/api/lexicon/")
    lexicon_path = "/api/lexicon/" + json.loads(conn.getresponse().read())["hash"] + ".json"
    conn.request("GET", lexicon_path)
    symbols = [row[0] for row in json.loads(conn.getresponse().read())["genes"]]
    return [f"/api/genes/{s}/" for s in random.Random(0).sample(symbols, min(count, len(symbols)))]


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/lexicon/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not start")


def drive(port: int, paths: list[str], seconds: float, clients: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", rng.choice(paths))
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.monotonic() - started), latencies, errors


def report(label: str, rate: float, latencies: list[float], errors: int) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000 if ordered else float("nan")
    print(f"{label:<22} {rate:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("ICONOPLASM_HOME", REPO / "var")))
    parser.add_argument(
        "--database",
        choices=["home", "sqlite", "postgres", "both"],
        default="home",
        help="home: the loaded database of --home (default); else fresh databases compared in one run",
    )
    parser.add_argument(
        "--web-workers", type=int, default=2, help="gunicorn sync workers (gunicorn suggests 2 x cores + 1)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --database both: rounds alternating the databases")
    parser.add_argument("--vote-users", type=int, default=320, help="accounts the vote clients share out")
    args = parser.parse_args()
    if args.database != "home":
        compare_databases(args)
        return
    if not (args.home / "db.sqlite3").exists():
        raise SystemExit(f"no database in {args.home}: run ./dev serve once first")

    media = args.home / "media"
    static_files = media_files(media)
    if not static_files:
        raise SystemExit(f"no media files under {media} to serve as the static baseline")

    port = free_port()
    env = production(
        dict(
            os.environ,
            ICONOPLASM_HOME=str(args.home),
            ICONOPLASM_ALLOWED_HOSTS="127.0.0.1,localhost",
            ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND="0",  # cards as served (see prepare)
        )
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "backend.iconoplasm.wsgi",
            "--workers",
            str(args.web_workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    try:
        wait_until_up(port)
        cards = sample_cards(port)
        statics = ["/media/" + str(p.relative_to(media)) for p in static_files]

        print(
            f"server: gunicorn, {args.web_workers} workers; {args.clients} client threads, {args.seconds:.0f} s per target"
        )
        static = drive(port, statics, args.seconds, args.clients)
        card_first = drive(port, cards, args.seconds, args.clients)
        # Readers meet the same genes again and again: the second pass over a set of genes is
        # served from the card cache that the first pass (untimed) filled.
        repeated = cards[:HOT_GENES]
        drive(port, repeated, min(args.seconds, 3.0), args.clients)
        card_repeat = drive(port, repeated, args.seconds, args.clients)
        lexicon_index = drive(port, ["/api/lexicon/"], args.seconds, args.clients)
        report("static file (floor)", *static)
        report("card, first visits", *card_first)
        report(f"card, {HOT_GENES} genes again", *card_repeat)
        report("lexicon index", *lexicon_index)
        print(
            f"card / static rate ratio: first visits {card_first[0] / static[0]:.2f}, repeat visits {card_repeat[0] / static[0]:.2f}"
            f"   (target: >= 500 card req/s)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


# Comparing databases -----------------------------------------------------------

BENCH_ROOT = Path("/tmp/iconoplasm-bench-api")
PG_SERVER = os.environ.get("ICONOPLASM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "iconoplasm_bench_api"
MAKE_USERS = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
import json
User = get_user_model()
tokens = []
for i in range({n}):
    user, _ = User.objects.get_or_create(username=f"bench{{i}}")
    tokens.append(Token.objects.get_or_create(user=user)[0].key)
from backend.portraits.models import Portrait
print("TOKENS", json.dumps(tokens))
print("PORTRAITS", json.dumps(list(Portrait.objects.values_list("id", flat=True)[:40])))
"""


def catalogue_tables() -> Path:
    """A folder with genes.parquet and traits.parquet: $ICONOPLASM_HOME's, else built here once."""
    home = Path(os.environ.get("ICONOPLASM_HOME") or REPO / "var")
    for folder in (Path(os.environ.get("ICONOPLASM_DATA_DIR") or home / "data"), BENCH_ROOT / "data"):
        if (folder / "genes.parquet").exists() and (folder / "traits.parquet").exists():
            return folder
    folder = BENCH_ROOT / "data"
    folder.mkdir(parents=True, exist_ok=True)
    cli = str(Path(sys.executable).parent / "iconoplasm")
    subprocess.run([cli, "data", "build", "--out", str(folder)], check=True, cwd=REPO)
    subprocess.run(
        [cli, "traits", "build", "--genes", str(folder / "genes.parquet"), "--out", str(folder)], check=True, cwd=REPO
    )
    return folder


def prepare(kind: str, tables: Path, users: int) -> tuple[dict[str, str], list[str], list[int]]:
    """A fresh home and database of ``kind`` with the catalogue loaded; its environment, API tokens and portraits."""
    import shutil

    home = BENCH_ROOT / kind
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICONOPLASM_", "DATABASE_URL"))}
    # Cards as served: a first visit would otherwise draw the gene's first portrait (bench/render.py times that).
    env.update(
        ICONOPLASM_HOME=str(home),
        ICONOPLASM_DATA_DIR=str(tables),
        ICONOPLASM_ALLOWED_HOSTS="127.0.0.1,localhost",
        ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND="0",
    )
    if kind == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"

    def manage(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *argv], cwd=REPO, env=env, capture_output=True, text=True, timeout=1800
        )
        if done.returncode:
            raise SystemExit(f"{kind}: manage.py {argv[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    started = time.monotonic()
    manage("migrate", "--noinput", "-v0")
    manage("load_emulsions")
    manage("load_genes")
    manage("render_missing", "--limit", "40", "-v0")
    out = manage("shell", "-c", MAKE_USERS.format(n=users))
    if kind == "postgres":
        # Autovacuum would get to it after the bulk load; measure the steady state, not the first minutes.
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True, connect_timeout=5) as conn:
            conn.execute("VACUUM ANALYZE")
    tokens = json.loads(next(line for line in out.splitlines() if line.startswith("TOKENS ")).removeprefix("TOKENS "))
    portraits = json.loads(next(line for line in out.splitlines() if line.startswith("PORTRAITS ")).split(" ", 1)[1])
    print(
        f"{kind}: catalogue loaded, 40 portraits, {len(tokens)} accounts in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    return env, tokens, portraits


def drive_votes(port: int, portraits: list[int], tokens: list[str], seconds: float, clients: int):
    """Votes from ``clients`` threads, each cycling through its own share of the accounts."""
    latencies: list[float] = []
    statuses: dict[int | None, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(i: int) -> None:
        rng = random.Random(i)
        mine = tokens[i::clients] or tokens
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times, counts, n = [], {}, 0
        while time.monotonic() < stop_at:
            token = mine[n % len(mine)]
            n += 1
            body = json.dumps({"value": rng.choice([1, -1, 0])})
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            started = time.perf_counter()
            try:
                conn.request("POST", f"/api/portraits/{rng.choice(portraits)}/vote/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = None
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            counts[status] = counts.get(status, 0) + 1
            if status == 200:
                times.append(time.perf_counter() - started)
        with lock:
            latencies.extend(times)
            for k, v in counts.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = sum(v for k, v in statuses.items() if k != 200)
    return len(latencies) / (time.monotonic() - started), latencies, errors, statuses


def start_server(env: dict[str, str], args) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "backend.iconoplasm.wsgi", "--workers", str(args.web_workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=REPO,
        env=production(env),
    )  # fmt: skip
    return server, port


def compare_databases(args) -> None:
    """Both servers up at once and every target run on each in turn, ``--rounds`` times, the order
    flipped each round: a shared machine's load that comes and goes then falls on both alike.
    Each round's first visits meet genes no earlier round asked for."""
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    tables = catalogue_tables()
    prepared = {kind: prepare(kind, tables, args.vote_users) for kind in kinds}
    print(
        f"server: gunicorn, {args.web_workers} workers each; {args.clients} client threads, {args.seconds:.0f} s per "
        f"target, {args.rounds} rounds alternating the databases",
        flush=True,
    )
    servers = {kind: start_server(prepared[kind][0], args) for kind in kinds}
    try:
        ports = {kind: port for kind, (_, port) in servers.items()}
        for port in ports.values():
            wait_until_up(port)
        cards = sample_cards(ports[kinds[0]], 2000 * args.rounds)
        first_visits = [cards[i * 2000 : (i + 1) * 2000] for i in range(args.rounds)]
        statics = {}
        for kind in kinds:
            media = Path(prepared[kind][0]["ICONOPLASM_HOME"]) / "media"
            statics[kind] = ["/media/" + str(p.relative_to(media)) for p in media_files(media)]
        repeated = cards[:HOT_GENES]
        results: dict[str, dict[str, list[tuple]]] = {kind: {} for kind in kinds}
        for round_ in range(args.rounds):
            order = kinds if round_ % 2 == 0 else kinds[::-1]
            targets = {
                "static file (floor)": lambda kind: drive(ports[kind], statics[kind], args.seconds, args.clients),
                "card, first visits": lambda kind, genes=first_visits[round_]: drive(ports[kind], genes, args.seconds, args.clients),
                f"card, {HOT_GENES} genes again": lambda kind: drive(ports[kind], repeated, args.seconds, args.clients),
                "lexicon index": lambda kind: drive(ports[kind], ["/api/lexicon/"], args.seconds, args.clients),
                "votes": lambda kind: drive_votes(ports[kind], prepared[kind][2], prepared[kind][1], args.seconds, args.clients),
            }  # fmt: skip
            for kind in order:  # the repeat-visit genes in each server's card cache
                drive(ports[kind], repeated, min(args.seconds, 3.0), args.clients)
            for label, run in targets.items():
                for kind in order:
                    results[kind].setdefault(label, []).append(run(kind))
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=10)

    def rate(kind: str, label: str) -> float:
        return statistics.median(result[0] for result in results[kind][label])

    for kind in kinds:
        print(f"-- {kind} (median rate of {args.rounds} rounds; latencies of all)")
        for label, rounds in results[kind].items():
            pooled = [latency for result in rounds for latency in result[1]]
            report(label, rate(kind, label), pooled, sum(result[2] for result in rounds))
            if len(rounds[0]) > 3:
                statuses: dict = {}
                for result in rounds:
                    for status, n in result[3].items():
                        statuses[status] = statuses.get(status, 0) + n
                print(f"{'':<22} statuses {statuses}")
    if len(kinds) == 2:
        first, repeat = "card, first visits", f"card, {HOT_GENES} genes again"
        per_round = [
            f"{sq[first][0] / pg[first][0]:.2f}/{sq[repeat][0] / pg[repeat][0]:.2f}/{pg['votes'][0] / sq['votes'][0]:.2f}"
            for sq, pg in (
                ({k: v[i] for k, v in results["sqlite"].items()}, {k: v[i] for k, v in results["postgres"].items()})
                for i in range(args.rounds)
            )
        ]
        print(
            f"SQLite / PostgreSQL card rate: first visits {rate('sqlite', first) / rate('postgres', first):.2f}, "
            f"repeat visits {rate('sqlite', repeat) / rate('postgres', repeat):.2f} (target <= 1.3); "
            f"PostgreSQL / SQLite vote rate {rate('postgres', 'votes') / rate('sqlite', 'votes'):.2f} (target >= 1.0); "
            f"per round (first/repeat/votes): {', '.join(per_round)}"
        )


if __name__ == "__main__":
    main()
