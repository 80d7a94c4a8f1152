"""Soak: 60 s of mixed traffic against the deploy topology (bench/stack.py) while it breaks.

Starts the stack (PostgreSQL, a private Redis, moto's S3, 2 gunicorn web processes, 2 render
workers), registers a few users through the API, then drives it from client threads:

- one thread per user: cards, the lexicon, votes on the genes' candidates (+1, -1, 0; the
  user's last acknowledged vote per candidate is what the server must hold), discoveries (each
  gene may be reported "added" once per user) and generation requests (each must be done once);
- anonymous readers: cards and the lexicon.

Meanwhile (seconds into the run): 15 kill -9 of render worker 0 (0.3 s after a burst of one
request per user, so it dies holding a claim), 20 it is started again, 30 Redis is stopped for
2 s and started again (empty), 45 the same kill of worker 1, 48 started again. The stack's claim
timeout is 10 s (600 s in production), so a killed worker's job is taken again within the run.
After the traffic it waits (bounded) for the queue to drain, then checks through the API and
the database:

- votes: each candidate's score equals the sum of the clients' last acknowledged votes and of its
  Vote rows (a vote whose answer was lost in transit is left out of the comparison, and counted);
- requests: every request a client was given is done, with its own portrait, and the queue made
  no portrait it did not hand to a request;
- discoveries: no gene reported "added" twice to one user, none acknowledged but missing.

Prints requests/s, p50/p99 latency, 5xx, connection errors, 429s, and lost or duplicated writes.
Targets: 0 lost, 0 duplicated, 0 5xx. Loopback only, bounded in time.

    python bench/soak.py [--seconds 60] [--users 6] [--readers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import Stack

PASSWORD = "soak-password-1234"
# (seconds into the run, action)
FAULTS = [
    (15, "kill worker 0"),
    (20, "start worker 0"),
    (30, "restart redis"),
    (45, "kill worker 1"),
    (48, "start worker 1"),
]

# The database's view at the end, printed as JSON by `manage.py shell`.
DB_REPORT = """
import json
from backend.portraits.models import Portrait, Vote
from backend.studio.models import GenerationRequest
from backend.accounts.models import Discovery
print("SOAK-REPORT", json.dumps({
    "votes": [[v.user.username, v.portrait_id, v.value] for v in Vote.objects.select_related("user")],
    "portraits": {p.id: [p.score, p.votes_count, p.origin] for p in Portrait.objects.all()},
    "requests": {r.id: [r.status, r.portrait_id, r.attempts, r.error] for r in GenerationRequest.objects.all()},
    "discoveries": [[d.user.username, d.gene.symbol, d.starter] for d in Discovery.objects.select_related("user", "gene")],
}))
"""


def db_report(stack: Stack) -> dict:
    out = stack.manage("shell", "-c", DB_REPORT, capture=True)
    line = next(line for line in out.splitlines() if line.startswith("SOAK-REPORT "))
    return json.loads(line.removeprefix("SOAK-REPORT "))


class Client:
    """One keep-alive connection; every call timed and classified."""

    def __init__(self, port: int, stats: Stats, token: str = ""):
        self.port, self.stats, self.token = port, stats, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: object = None) -> tuple[int | None, object]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.stats.record(None, time.perf_counter() - started, path)
            return None, None
        self.stats.record(response.status, time.perf_counter() - started, path)
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        return response.status, payload


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.errors_5xx: list[tuple[int, str]] = []

    def record(self, status: int | None, seconds: float, path: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            key = "no answer" if status is None else "429" if status == 429 else f"{status // 100}xx"
            self.statuses[key] += 1
            if status is None or status >= 500:
                self.errors_5xx.append((status, path))


def register(port: int, stats: Stats, n: int) -> dict[str, str]:
    client = Client(port, stats)
    tokens = {}
    for i in range(n):
        name = f"soak{i}"
        status, body = client.call("POST", "/api/auth/register/", {"username": name, "password": PASSWORD})
        if status != 201:
            raise SystemExit(f"registering {name}: {status} {body}")
        tokens[name] = body["token"]
    return tokens


def burst(port: int, stats: Stats, tokens: dict[str, str], rng, emulsion_ids, genes) -> list[int]:
    """One generation request per user, as fast as possible; the ids the server gave."""
    ids = []
    for token in tokens.values():
        status, answer = Client(port, stats, token).call(
            "POST", f"/api/genes/{rng.choice(genes)}/requests/", {"emulsion_id": rng.choice(emulsion_ids)}
        )
        if status == 201:
            ids.append(answer["id"])
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--requests-per-user", type=int, default=4)
    parser.add_argument("--root", type=Path, default=Path("/tmp/iconoplasm-soak"))
    args = parser.parse_args()

    # A killed worker's claim is taken again after this long (600 s in production).
    with Stack(args.root, claim_timeout_s=10) as stack:
        port = stack.port
        print(f"stack: {stack.catalogue_name}, {stack.web_processes} web processes, {stack.worker_count} workers")
        setup = Stats()
        tokens = register(port, setup, args.users)
        probe = Client(port, setup)
        _, index = probe.call("GET", "/api/lexicon/")
        lexicon_file = f"/api/lexicon/{index['hash']}.json"
        _, lexicon = probe.call("GET", lexicon_file)
        symbols = [row[0] for row in lexicon["genes"]]
        candidates = []
        for symbol in symbols[:200]:
            _, found = probe.call("GET", f"/api/genes/{symbol}/candidates/")
            items = (
                found if isinstance(found, list) else (found or {}).get("results", (found or {}).get("candidates", []))
            )
            candidates.extend(c["id"] for c in items)
        _, emulsions = probe.call("GET", "/api/emulsions/")
        emulsion_ids = [e["id"] for e in emulsions][:20]
        if not candidates:
            raise SystemExit("no candidates to vote on")
        request_genes = symbols[:50]

        stats = Stats()
        stop_at = time.monotonic() + args.seconds
        acked_votes: dict[tuple[str, int], int] = {}
        uncertain_votes: set[tuple[str, int]] = set()
        discovered_acked: dict[str, set[str]] = defaultdict(set)
        added_reports: dict[str, Counter] = defaultdict(Counter)
        given_requests: list[int] = []
        uncertain_requests = 0
        lock = threading.Lock()

        def user_thread(name: str, token: str, seed: int) -> None:
            nonlocal uncertain_requests
            rng = random.Random(seed)
            client = Client(port, stats, token)
            requests_left = args.requests_per_user
            next_vote = next_discovery = time.monotonic()
            while time.monotonic() < stop_at:
                now = time.monotonic()
                if now >= next_vote:  # under the 60/min vote limit
                    next_vote = now + 1.1
                    portrait = rng.choice(candidates)
                    value = rng.choice([1, 1, -1, 0])
                    status, _ = client.call("POST", f"/api/portraits/{portrait}/vote/", {"value": value})
                    with lock:
                        if status == 200:
                            acked_votes[(name, portrait)] = value
                        elif status is None or status >= 500:
                            uncertain_votes.add((name, portrait))
                elif now >= next_discovery:
                    next_discovery = now + 1.0
                    chosen = rng.sample(symbols, min(len(symbols), rng.randint(1, 3)))
                    status, body = client.call("POST", "/api/me/discoveries/", {"symbols": chosen})
                    if status == 200:
                        with lock:
                            discovered_acked[name].update(chosen)
                            added_reports[name].update(body["added"])
                elif requests_left and rng.random() < 0.02:
                    requests_left -= 1
                    body = {"emulsion_id": rng.choice(emulsion_ids)}
                    status, answer = client.call("POST", f"/api/genes/{rng.choice(request_genes)}/requests/", body)
                    with lock:
                        if status == 201:
                            given_requests.append(answer["id"])
                        elif status is None or status >= 500:
                            uncertain_requests += 1
                elif rng.random() < 0.7:
                    client.call("GET", f"/api/genes/{rng.choice(symbols)}/")
                else:
                    client.call("GET", rng.choice(["/api/lexicon/", lexicon_file]))

        def reader_thread(seed: int) -> None:
            rng = random.Random(seed)
            client = Client(port, stats)
            while time.monotonic() < stop_at:
                if rng.random() < 0.8:
                    client.call("GET", f"/api/genes/{rng.choice(symbols)}/")
                else:
                    client.call("GET", "/api/lexicon/")

        threads = [threading.Thread(target=user_thread, args=(n, t, i)) for i, (n, t) in enumerate(tokens.items())]
        threads += [threading.Thread(target=reader_thread, args=(100 + i,)) for i in range(args.readers)]
        started = time.monotonic()
        for t in threads:
            t.start()
        fault_log = []
        rng_burst = random.Random(7)
        for at, action in FAULTS:
            if at >= args.seconds:
                break
            time.sleep(max(0.0, started + at - time.monotonic()))
            what, _, target = action.partition(" ")
            if action == "restart redis":
                stack.restart_redis()
            elif what == "kill":
                # A burst of requests first, so the worker dies holding a claim, not idle.
                burst_ids = burst(port, stats, tokens, rng_burst, emulsion_ids, request_genes)
                with lock:
                    given_requests.extend(burst_ids)
                time.sleep(0.3)
                pid = stack.worker_pid(int(target.split()[-1]))
                stack.kill_worker(int(target.split()[-1]))
                action += f" (pid {pid}) 0.3 s after a burst of {len(burst_ids)} requests"
            else:
                stack.start_worker(int(target.split()[-1]))
            fault_log.append(f"{time.monotonic() - started:5.1f} s  {action}")
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started

        # The queue drains: a killed worker's claim is taken again after the claim timeout.
        waiter = Client(port, Stats())
        drain_deadline = time.monotonic() + 90
        pending = []
        while time.monotonic() < drain_deadline:
            report = db_report(stack)
            pending = [r for r, v in report["requests"].items() if v[0] in ("queued", "claimed", "running")]
            if not pending:
                break
            time.sleep(2)
        drain_s = time.monotonic() - started - elapsed

        # Votes: the API's scores, the database's rows, and what the clients were told.
        expected_score: Counter = Counter()
        for (name, portrait), value in acked_votes.items():
            if (name, portrait) not in uncertain_votes:
                expected_score[portrait] += value
        touched_uncertain = {p for _, p in uncertain_votes}
        rows: dict[tuple[str, int], int] = {}
        duplicated_votes = 0
        for name, portrait, value in report["votes"]:
            if (name, portrait) in rows:
                duplicated_votes += 1
            rows[(name, portrait)] = value
        lost_votes = mismatched_scores = 0
        for (name, portrait), value in acked_votes.items():
            if (name, portrait) in uncertain_votes:
                continue
            if rows.get((name, portrait), 0) != value:
                lost_votes += 1
        for name, portrait in rows:
            if (
                name.startswith("soak")
                and (name, portrait) not in acked_votes
                and (name, portrait) not in uncertain_votes
            ):
                duplicated_votes += 1  # a vote nobody was told about
        api_scores = {}
        for symbol in symbols[:200]:
            _, found = waiter.call("GET", f"/api/genes/{symbol}/candidates/")
            items = (
                found if isinstance(found, list) else (found or {}).get("results", (found or {}).get("candidates", []))
            )
            api_scores.update({c["id"]: c["score"] for c in items})
        for portrait in set(candidates) - touched_uncertain:
            db_sum = sum(v for (n, p), v in rows.items() if p == portrait)
            stored = report["portraits"][str(portrait)][0]
            if not (expected_score[portrait] == db_sum == stored == api_scores.get(portrait)):
                mismatched_scores += 1

        # Requests: each given request done, with a portrait of its own; no portrait without a request.
        statuses = Counter(report["requests"][str(r)][0] for r in given_requests if str(r) in report["requests"])
        missing_requests = sum(1 for r in given_requests if str(r) not in report["requests"])
        done_portraits = [
            report["requests"][str(r)][1] for r in given_requests if statuses and str(r) in report["requests"]
        ]
        done_portraits = [p for p in done_portraits if p is not None]
        request_portraits = [p for p, v in report["portraits"].items() if v[2] == "request"]
        duplicated_requests = (len(done_portraits) - len(set(done_portraits))) + max(
            0, len(request_portraits) - len(set(done_portraits))
        )
        not_done = len(given_requests) - statuses.get("done", 0)
        attempts = Counter(report["requests"][str(r)][2] for r in given_requests if str(r) in report["requests"])
        failed_errors = [
            report["requests"][str(r)][3]
            for r in given_requests
            if report["requests"].get(str(r), ["?"])[0] == "failed"
        ]

        # Discoveries: reported "added" once at most, and every acknowledged one stored.
        stored_disc: dict[str, set[str]] = defaultdict(set)
        disc_rows: Counter = Counter()
        for name, symbol, _starter in report["discoveries"]:
            stored_disc[name].add(symbol)
            disc_rows[(name, symbol)] += 1
        duplicated_disc = sum(c - 1 for c in disc_rows.values() if c > 1)
        duplicated_disc += sum(c - 1 for counts in added_reports.values() for c in counts.values() if c > 1)
        lost_disc = sum(len(acked - stored_disc[name]) for name, acked in discovered_acked.items())

        lat = sorted(stats.latencies)
        total = len(lat)
        p50 = statistics.median(lat) * 1000
        p99 = lat[max(0, int(total * 0.99) - 1)] * 1000
        print("faults:")
        for line in fault_log:
            print("  " + line)
        print(
            f"traffic: {total} requests in {elapsed:.1f} s = {total / elapsed:.0f} req/s; p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        )
        print(f"  statuses: {dict(sorted(stats.statuses.items()))}")
        n5xx = sum(1 for s, _ in stats.errors_5xx if s is not None)
        nconn = sum(1 for s, _ in stats.errors_5xx if s is None)
        print(f"  5xx: {n5xx}; connection errors: {nconn}")
        if stats.errors_5xx:
            print(f"  first failures: {stats.errors_5xx[:8]}")
        print(
            f"votes: {len(acked_votes)} (user, candidate) pairs acknowledged, {len(uncertain_votes)} with the answer lost; "
            f"lost {lost_votes}, duplicated {duplicated_votes}, candidates whose score disagrees {mismatched_scores} "
            f"of {len(set(candidates) - touched_uncertain)}"
        )
        print(
            f"requests: {len(given_requests)} queued ({uncertain_requests} answers lost), {dict(statuses)}, attempts {dict(attempts)}; "
            f"not done {not_done}, missing {missing_requests}, duplicated {duplicated_requests}; queue drained "
            f"{'in' if not pending else 'NOT within'} {drain_s:.0f} s after the traffic"
        )
        if failed_errors:
            print(f"  failed: {failed_errors[:3]}")
        print(
            f"discoveries: {sum(len(s) for s in discovered_acked.values())} acknowledged, lost {lost_disc}, duplicated {duplicated_disc}"
        )
        lost = lost_votes + not_done + missing_requests + lost_disc
        duplicated = duplicated_votes + duplicated_requests + duplicated_disc
        met = lost == 0 and duplicated == 0 and n5xx == 0 and mismatched_scores == 0
        print(
            f"result: lost {lost}, duplicated {duplicated}, 5xx {n5xx}  (target 0, 0, 0: {'met' if met else 'MISSED'})"
        )
        print(f"logs: {stack.logs}")


if __name__ == "__main__":
    main()
