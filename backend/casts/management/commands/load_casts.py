from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backend.casts.services import CREATED, UNCHANGED, UPDATED, resolve_builtin, save_builtin_cast
from backend.genes.models import Gene
from pipeline.casts import read_scenarios, scenarios_file
from pipeline.errors import IconoplasmError


class Command(BaseCommand):
    help = (
        "Load the pathway scenarios as built-in casts (slug = scenario id); idempotent. Names that "
        "resolve to no gene in the database are listed, never dropped silently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=None, help="the scenarios JSON (default: $ICONOPLASM_CASTS or ../shared/casts)"
        )

    def handle(self, *args, file: Path | None, **options):
        path = file or scenarios_file()
        if not Gene.objects.exists():
            raise CommandError("no genes in the database: run `manage.py load_genes` first")
        try:
            specs = read_scenarios(path)
            resolved = [resolve_builtin(spec) for spec in specs]
        except IconoplasmError as exc:
            raise CommandError(str(exc)) from exc
        outcomes = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        unresolved = 0
        for cast in resolved:
            for side, name in cast.unresolved:
                self.stderr.write(f"unresolved: {name} (scenario {cast.spec.id}, side '{side}')")
            unresolved += len(cast.unresolved)
            try:
                _, outcome = save_builtin_cast(cast)
            except ValidationError as exc:
                raise CommandError(f"{cast.spec.id}: {'; '.join(exc.messages)}") from exc
            outcomes[outcome] += 1
        genes = sum(len(cast.symbols) for cast in resolved)
        self.stdout.write(
            f"casts from {path}: {outcomes[CREATED]} created, {outcomes[UPDATED]} updated, "
            f"{outcomes[UNCHANGED]} unchanged; {genes} gene roles, {unresolved} unresolved name(s)"
        )
