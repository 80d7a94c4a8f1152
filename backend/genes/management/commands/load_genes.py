from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backend.genes.services import load_genes


class Command(BaseCommand):
    help = "Load (upsert) genes.parquet + traits.parquet into the database; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--genes", type=Path, default=settings.ICONOPLASM_DATA_DIR / "genes.parquet")
        parser.add_argument("--traits", type=Path, default=settings.ICONOPLASM_DATA_DIR / "traits.parquet")

    def handle(self, *args, genes: Path, traits: Path, **options):
        for path in (genes, traits):
            if not path.exists():
                raise CommandError(f"{path} not found; run `iconoplasm data build` and `iconoplasm traits build` first")
        report = load_genes(genes, traits)
        self.stdout.write(
            f"genes: {report.created} created, {report.updated} updated, {report.unchanged} unchanged; {report.names} name changes"
        )
