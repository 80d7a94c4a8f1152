import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backend.studio.services import backfill_portraits
from pipeline.emulsions import DEFAULT_EMULSION_ID


class Command(BaseCommand):
    help = (
        "Render a first procedural portrait for every gene that has none (it becomes the canonical one). "
        "Resumable: each run continues with the genes still without a portrait; failures are reported and skipped. "
        "Draws in a process per core; genes a page request is drawing meanwhile are left to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="stop after this many portraits")
        parser.add_argument(
            "--emulsion", default=DEFAULT_EMULSION_ID, help=f"emulsion id (default {DEFAULT_EMULSION_ID})"
        )
        parser.add_argument(
            "--first",
            default=",".join(settings.ICONOPLASM_STARTER_GENES),
            help="comma-separated symbols rendered before the rest (default: the starter genes)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes drawing portraits (default: one per core)",
        )

    def handle(self, *args, limit, emulsion, first, workers, **options):
        if workers < 1:
            raise CommandError(f"--workers must be at least 1 (got {workers})")

        def report(gene, portrait, error):
            if error is not None:
                self.stderr.write(f"{gene.symbol}: {type(error).__name__}: {error}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"{gene.symbol}: portrait {portrait.pk}")

        try:
            made = backfill_portraits(
                emulsion_id=emulsion,
                first=[s.strip() for s in first.split(",") if s.strip()],
                limit=limit,
                on_done=report,
                workers=workers,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"rendered {made} first portrait(s)")
