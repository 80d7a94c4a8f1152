"""Benchmark: card and lexicon throughput and latency against the real server.

Starts gunicorn (2 sync workers) on the loaded database of ``$ICONOPLASM_HOME``
(run `./dev serve` once first, or pass --home), then drives it from N client
threads with keep-alive connections for a fixed time per target:

- a static file served by the same server (the floor: a media file),
- ``GET /api/genes/{SYMBOL}/`` over 2,000 random symbols (first visits: each card built), then
  over 200 of them again (repeat visits: cards served from the cache),
- ``GET /api/lexicon/`` (index) and the lexicon file.

Prints requests/s, p50 and p99 latency for each and the ratio of the card
rate to the static-file rate. Target: >= 500 card requests/s on 2 cores.
All traffic stays on 127.0.0.1 and every loop is bounded in time.

    python bench/api.py [--seconds 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    args = parser.parse_args()
    if not (args.home / "db.sqlite3").exists():
        raise SystemExit(f"no database in {args.home}: run ./dev serve once first")

    media = args.home / "media"
    static_files = sorted(p for p in media.rglob("*") if p.is_file())[:50] if media.exists() else []
    if not static_files:
        raise SystemExit(f"no media files under {media} to serve as the static baseline")

    port = free_port()
    env = dict(os.environ, ICONOPLASM_HOME=str(args.home), ICONOPLASM_ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "backend.iconoplasm.wsgi",
            "--workers",
            "2",
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
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/api/lexicon/")
        index = json.loads(conn.getresponse().read())
        lexicon_path = "/api/lexicon/" + index["hash"] + ".json"
        conn.request("GET", lexicon_path)
        symbols = [row[0] for row in json.loads(conn.getresponse().read())["genes"]]
        cards = [f"/api/genes/{s}/" for s in random.Random(0).sample(symbols, min(2000, len(symbols)))]
        statics = ["/media/" + str(p.relative_to(media)) for p in static_files]

        print(f"server: gunicorn, 2 workers; {args.clients} client threads, {args.seconds:.0f} s per target")
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


if __name__ == "__main__":
    main()
