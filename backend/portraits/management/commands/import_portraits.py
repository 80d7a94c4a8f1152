from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.portraits.loading import import_manifest


class Command(BaseCommand):
    help = (
        "Register the candidates listed in a render manifest (manifest.jsonl from `iconoplasm render batch`). "
        "Idempotent; unknown genes, missing files and malformed lines are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("manifest", type=Path, help="manifest.jsonl; file paths in it are relative to its folder")

    def handle(self, *args, manifest: Path, **options):
        if not manifest.is_file():
            raise CommandError(f"{manifest} not found")
        report = import_manifest(manifest, on_problem=lambda message: self.stderr.write(message))
        self.stdout.write(
            f"portraits: {report.created} imported, {report.existing} already there, "
            f"{len(report.problems)} problem(s); {report.canonicals_set} gene(s) got a canonical portrait"
        )
