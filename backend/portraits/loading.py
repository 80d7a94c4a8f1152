"""Loading files into the portraits app: the emulsion table and render manifests
(``iconoplasm render``'s ``manifest.jsonl``), both idempotent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath

from django.db import transaction

from backend.genes.models import Gene
from pipeline.emulsions import EMULSIONS_CSV, load_emulsions as read_emulsions
from pipeline.images import NotAnImageError
from pipeline.records import EMULSION_COLUMNS

from .canonical import ensure_canonical
from .models import Emulsion, Portrait
from .services import register_candidate

# --------------------------------------------------------------------------- emulsions


@dataclass
class EmulsionLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# The record's fields but its id, each a model field of the same name.
EMULSION_FIELDS = [name for name in EMULSION_COLUMNS if name != "emulsion_id"]


@transaction.atomic
def load_emulsions(path: Path | None = None) -> EmulsionLoadReport:
    """Upsert every emulsion of ``gene_data/emulsions.csv`` (or ``path``); a second run changes nothing.

    Rows absent from the CSV are left alone (ids are never reused); ``blocked`` is never touched here
    (it belongs to artist opt-outs).
    """
    table = read_emulsions(path or EMULSIONS_CSV)
    existing = {e.emulsion_id: e for e in Emulsion.objects.all()}
    report = EmulsionLoadReport()
    for eid, spec in table.items():
        values = {name: _plain(getattr(spec, name)) for name in EMULSION_FIELDS}
        row = existing.get(eid)
        if row is None:
            Emulsion.objects.create(emulsion_id=eid, **values)
            report.created += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _plain(value: object) -> object:
    """An enum member as its value, so comparing with a loaded row's plain string says "unchanged"."""
    return value.value if isinstance(value, StrEnum) else value


# --------------------------------------------------------------------------- render manifests


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    problems: list[str] = field(default_factory=list)
    canonicals_set: int = 0


MANIFEST_REQUIRED = ("symbol", "sha256", "path", "renderer", "width", "height")


def import_manifest(manifest: Path, on_problem: Callable[[str], None] | None = None) -> ImportReport:
    """Register every candidate listed in a render manifest (``pipeline/render/batch.py`` format).

    Paths are relative to the manifest's folder. Re-importing is a no-op (unique per gene and hash).
    An unknown symbol or emulsion, a missing or mismatched file, or a torn/malformed line is reported
    in ``problems`` and skipped; the other lines go on. Afterwards every gene without a canonical
    portrait gets its first (oldest) public candidate, logged as a :class:`CanonicalChange`.
    """
    manifest = Path(manifest)
    base = manifest.parent
    report = ImportReport()
    genes: dict[str, Gene | None] = {}
    emulsions: dict[str, Emulsion | None] = {}
    touched: set[int] = set()

    def problem(message: str) -> None:
        report.problems.append(message)
        if on_problem:
            on_problem(message)

    with open(manifest, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict):
                    raise ValueError("not a JSON object")
                missing = [key for key in MANIFEST_REQUIRED if entry.get(key) in (None, "")]
                if missing:
                    raise ValueError(f"missing {', '.join(missing)}")
                seed = None if entry.get("seed") in (None, "") else int(entry["seed"])
            except (ValueError, TypeError) as exc:
                problem(f"line {number}: malformed manifest line skipped ({exc})")
                continue
            symbol = str(entry["symbol"])
            if symbol not in genes:
                genes[symbol] = Gene.objects.filter(symbol=symbol).first()
            gene = genes[symbol]
            if gene is None:
                problem(f"line {number}: unknown gene {symbol!r}")
                continue
            emulsion = None
            eid = entry.get("emulsion_id") or ""
            if eid:
                if eid not in emulsions:
                    emulsions[eid] = Emulsion.objects.filter(emulsion_id=eid).first()
                emulsion = emulsions[eid]
                if emulsion is None:
                    problem(f"line {number}: {symbol}: unknown emulsion {eid!r} (run `manage.py load_emulsions` first)")
                    continue
            if Portrait.objects.filter(gene=gene, sha256=entry["sha256"]).exists():
                report.existing += 1
                touched.add(gene.pk)
                continue
            try:
                image = _read_relative(base, entry["path"])
                blot = _read_relative(base, entry["blot_path"]) if entry.get("blot_path") else None
            except (OSError, ValueError) as exc:
                problem(f"line {number}: {symbol}: {exc}")
                continue
            if hashlib.sha256(image).hexdigest() != entry["sha256"]:
                problem(f"line {number}: {symbol}: {entry['path']} does not match its sha256")
                continue
            try:
                _, created = register_candidate(
                    gene,
                    image,
                    blot=blot,
                    blot_suffix=PurePosixPath(str(entry.get("blot_path") or "x.webp")).suffix.lstrip(".") or "webp",
                    renderer=str(entry["renderer"]),
                    model=str(entry.get("model") or ""),
                    emulsion=emulsion,
                    seed=seed,
                    prompt=str(entry.get("prompt") or ""),
                    origin=Portrait.IMPORT,
                    set_canonical=False,
                )
            except NotAnImageError as exc:
                problem(f"line {number}: {symbol}: {entry['path']}: {exc}")
                continue
            report.created += created
            report.existing += not created
            touched.add(gene.pk)
    for gene in Gene.objects.filter(pk__in=touched):
        if ensure_canonical(gene):
            report.canonicals_set += 1
    return report


def _read_relative(base: Path, relative: str) -> bytes:
    path = (base / relative).resolve()
    if not path.is_relative_to(base.resolve()):
        raise ValueError(f"{relative} lies outside the manifest folder")
    if not path.is_file():
        raise ValueError(f"file not found: {relative}")
    return path.read_bytes()
