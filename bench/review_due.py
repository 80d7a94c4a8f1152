"""Benchmark: the review due list for a user with 5,000 reviews, in-process.

Sets Django up on a throwaway database (a temporary SQLite file, or with ``--database postgres``
a PostgreSQL database ``iconoplasm_bench_review``, dropped and created again, on
``$ICONOPLASM_BENCH_PG``, default postgres://postgres@127.0.0.1:5432), loads the real gene
catalogue (the gene table of ``$ICONOPLASM_DATA_DIR`` / ``$ICONOPLASM_HOME`` when built, else built
from the sources once, as bench/api.py does), gives one user ``--genes`` discoveries and reviews
them day by day through the real services (three sessions a day, every due card answered, four
in five right) until ``--reviews`` answers are logged. Then it times, ``--repeat`` times each:

- a primary-key lookup of one of the user's cards (the baseline),
- the due list /api/review/next/ reads (``selectors.due_cards``, 10 cards),
- the other reads of /api/review/next/ besides building questions: the due counts and the
  enrolment check.

Prints p50 and p99 of each and their ratios to the baseline. Target: due list p99 < 20 ms.

    python bench/review_due.py [--database sqlite|postgres] [--repeat 1000] [--reviews 5000] [--genes 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.api import catalogue_tables  # noqa: E402 - after the path is set

PG_SERVER = os.environ.get("ICONOPLASM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "iconoplasm_bench_review"
SESSIONS_A_DAY = 3
RIGHT_SHARE = 0.8
# The history ends about today: 5,000 reviews of 1,000 genes take about 35 days at 20 new cards a day.
HISTORY_DAYS = 35


def set_up_django(kind: str, home: Path, tables: Path) -> None:
    os.environ.update(ICONOPLASM_HOME=str(home), ICONOPLASM_DATA_DIR=str(tables))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.iconoplasm.settings")
    if kind == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{home / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def drop_database(kind: str) -> None:
    if kind != "postgres":
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')


def build_history(tables: Path, genes: int, reviews: int):
    """Load the catalogue, then a user with ``genes`` discoveries and ``reviews`` answers; the user."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from backend.accounts.models import Discovery
    from backend.genes.models import Gene
    from backend.genes.services import load_genes
    from backend.learning import selectors, services
    from backend.learning.models import ReviewLog

    started = time.monotonic()
    load_genes(tables / "genes.parquet", tables / "traits.parquet")
    catalogue = Gene.objects.count()
    user = get_user_model().objects.create_user(username="bench-reviewer")
    rng = random.Random(5000)
    ids = rng.sample(list(Gene.objects.values_list("id", flat=True)), min(genes, catalogue))
    Discovery.objects.bulk_create([Discovery(user=user, gene_id=gene_id) for gene_id in ids])
    now = timezone.now()
    first_day = day = now - timedelta(days=HISTORY_DAYS)
    services.enrol_discoveries(user, now=day)
    logged = 0
    while logged < reviews and day < now:
        for session in range(SESSIONS_A_DAY):
            moment = day + timedelta(hours=session)
            for card in selectors.due_cards(user, now=moment, limit=reviews - logged):
                right = rng.random() < RIGHT_SHARE
                grade = rng.choice((2, 3, 3, 3, 4)) if right else 1
                services.record_review(
                    card, version=card.reps, grade=grade, correct=right, elapsed_ms=rng.randint(900, 9000), now=moment
                )
                logged += 1
        day += timedelta(days=1)
    if connection.vendor == "postgresql":
        # Autovacuum would get to it after the bulk load; measure the steady state (as bench/api.py does).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cards = user.review_cards.count()
    print(
        f"catalogue {catalogue} genes; user with {len(ids)} discoveries, {cards} cards, "
        f"{ReviewLog.objects.filter(user=user).count()} reviews over {(day - first_day).days} days "
        f"(set up in {time.monotonic() - started:.0f} s)",
        flush=True,
    )
    return user


def timed(repeat: int, work) -> list[float]:
    work()  # warm: the first call compiles and caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=1000)
    parser.add_argument("--reviews", type=int, default=5000)
    parser.add_argument("--genes", type=int, default=1000)
    args = parser.parse_args()
    tables = catalogue_tables()
    with tempfile.TemporaryDirectory(prefix="iconoplasm-bench-review-") as home:
        set_up_django(args.database, Path(home), tables)
        try:
            run(args, tables)
        finally:
            drop_database(args.database)


def run(args, tables: Path) -> None:
    from backend.learning import selectors
    from backend.learning.models import ReviewCard

    user = build_history(tables, args.genes, args.reviews)
    card_ids = list(ReviewCard.objects.filter(user=user).values_list("id", flat=True))
    rng = random.Random(1)
    due = selectors.due_counts(user)
    print(f"due now: {due.due} ({due.new} new); {args.repeat} timings each", flush=True)

    results = {
        "card by primary key (baseline)": timed(args.repeat, lambda: ReviewCard.objects.get(pk=rng.choice(card_ids))),
        "due list (10 cards)": timed(args.repeat, lambda: selectors.due_cards(user, limit=10)),
        "due counts": timed(args.repeat, lambda: selectors.due_counts(user)),
        "enrolment check (genes_to_enrol)": timed(args.repeat, lambda: selectors.genes_to_enrol(user)),
    }
    baseline = statistics.median(results["card by primary key (baseline)"])
    print(f"{'':<42} {'p50 ms':>8} {'p99 ms':>8} {'p50 ratio':>10}")
    for label, times in results.items():
        p50 = statistics.median(times)
        print(f"{label:<42} {p50 * 1000:8.2f} {p99(times) * 1000:8.2f} {p50 / baseline:10.1f}")
    worst = p99(results["due list (10 cards)"]) * 1000
    print(f"due list p99 {worst:.2f} ms (target < 20 ms): {'met' if worst < 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
