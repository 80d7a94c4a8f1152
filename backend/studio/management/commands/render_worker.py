"""Render worker: claims queued generation requests one at a time and renders them (run as many as you like)."""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand

from backend.studio.services import default_worker_id, run_worker


class Command(BaseCommand):
    help = (
        "Claim queued generation requests, render them with the procedural renderer (own-key requests through "
        "their user's provider, called once) and register the candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="work until the queue is empty, then exit")
        parser.add_argument("--worker-id", default="", help="name recorded on claims (default host:pid:thread)")
        parser.add_argument("--poll", type=float, default=5.0, help="seconds between looks at an empty queue")
        parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs")

    def handle(self, *args, once: bool, worker_id: str, poll: float, max_jobs: int | None, **options):
        logging.basicConfig(level=logging.INFO if options["verbosity"] >= 1 else logging.WARNING)
        worker_id = worker_id or default_worker_id()
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())  # finish the current job, then exit
        processed = run_worker(worker_id=worker_id, once=once, poll=poll, max_jobs=max_jobs, stop=stop)
        self.stdout.write(f"worker {worker_id}: {processed} request(s) processed")
