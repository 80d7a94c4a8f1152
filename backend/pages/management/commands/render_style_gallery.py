from django.core.management.base import BaseCommand

from backend.pages.style_samples import REFERENCE_GENE, ensure_samples, reference_gene


class Command(BaseCommand):
    help = (
        f"Render the style gallery's samples ({REFERENCE_GENE} in every procedurally offered emulsion) that are "
        "not stored yet; idempotent (the /styles/ page renders any still missing on its first view)."
    )

    def handle(self, *args, **options):
        samples = ensure_samples(reference_gene())
        stored = [sample for sample in samples if sample.url is not None]
        self.stdout.write(f"style samples: {len(stored)} stored of {len(samples)} emulsions")
        if len(stored) < len(samples):
            self.stderr.write(f"{REFERENCE_GENE} is not in the catalogue: load the genes first")
