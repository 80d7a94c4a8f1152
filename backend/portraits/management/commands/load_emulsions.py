from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.portraits.loading import load_emulsions
from pipeline.emulsions import EMULSIONS_CSV
from pipeline.errors import IconoplasmError


class Command(BaseCommand):
    help = "Load (upsert) the emulsions of gene_data/emulsions.csv into the database; idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv", type=Path, default=EMULSIONS_CSV, help=f"emulsions table (default {EMULSIONS_CSV})"
        )

    def handle(self, *args, csv: Path, **options):
        if not csv.exists():
            raise CommandError(f"{csv} not found")
        try:
            report = load_emulsions(csv)
        except IconoplasmError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"emulsions: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )
