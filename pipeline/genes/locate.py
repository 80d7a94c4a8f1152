"""Find the upstream files named in ``gene_data/sources.toml`` (or fetch them).

Lookup order for the sources directory: an explicit ``--sources``, then
``$ICONOPLASM_SOURCES``, then ``../shared/gene_sources`` beside the repository,
then files previously fetched into ``$ICONOPLASM_HOME/sources``; when none of
these exists the official releases are downloaded there.
"""

from __future__ import annotations

import os
import shutil
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import REPO_ROOT, SOURCE_MANIFEST, iconoplasm_home
from ..sources.base import MissingSourceError, SourceError
from ..sources.hgnc import newest_first


@dataclass(frozen=True)
class SourceSpec:
    """One upstream file as declared in the manifest."""

    key: str
    paths: tuple[str, ...]
    required: bool
    feeds: tuple[str, ...]
    description: str
    url: str = ""
    download_as: str = ""

    def matches(self, root: Path) -> list[Path]:
        """Files in ``root`` matching this entry, newest first."""
        found = {p for pattern in self.paths for p in root.glob(pattern) if p.is_file()}
        return newest_first(sorted(found))

    def expected(self, root: Path) -> str:
        return " or ".join(str(root / pattern) for pattern in self.paths)


def load_manifest(path: Path = SOURCE_MANIFEST) -> dict[str, SourceSpec]:
    with open(path, "rb") as fh:
        entries = tomllib.load(fh)["sources"]
    return {
        key: SourceSpec(
            key=key,
            paths=(entry["path"],) if isinstance(entry["path"], str) else tuple(entry["path"]),
            required=bool(entry.get("required", False)),
            feeds=tuple(entry.get("feeds", ())),
            description=entry.get("description", ""),
            url=entry.get("url", ""),
            download_as=entry.get("download_as", ""),
        )
        for key, entry in entries.items()
    }


@dataclass
class SourceSet:
    """The files found for each manifest entry in one sources directory."""

    root: Path
    specs: dict[str, SourceSpec]
    files: dict[str, list[Path]] = field(default_factory=dict)

    def newest(self, key: str) -> Path | None:
        found = self.files.get(key) or []
        return found[0] if found else None

    def older(self, key: str) -> list[Path]:
        return (self.files.get(key) or [])[1:]

    @property
    def missing_optional(self) -> list[SourceSpec]:
        """Absent optional files that feed gene-table columns."""
        return [
            spec for key, spec in self.specs.items() if spec.feeds and not spec.required and not self.files.get(key)
        ]


def describe_missing(spec: SourceSpec, root: Path) -> str:
    return f"{spec.expected(root)} ({spec.description}; feeds {', '.join(spec.feeds)})"


def locate(root: Path, specs: dict[str, SourceSpec] | None = None) -> SourceSet:
    """Match every manifest entry in ``root``; fail if a required file is absent."""
    specs = specs or load_manifest()
    if not root.is_dir():
        raise MissingSourceError(f"sources directory {root} does not exist")
    files = {key: spec.matches(root) for key, spec in specs.items()}
    if "pubmed_years" in specs:
        files["pubmed_years"] += fetched_pubmed_years(root, specs["pubmed_years"])
    missing_required = [spec for key, spec in specs.items() if spec.required and not files[key]]
    if missing_required:
        listed = "; ".join(describe_missing(spec, root) for spec in missing_required)
        raise MissingSourceError(f"required source file missing: {listed}")
    return SourceSet(root=root, specs=specs, files=files)


def fetched_pubmed_years(root: Path, spec: SourceSpec) -> list[Path]:
    """PMID -> year tables that ``iconoplasm data fetch-pubmed-years`` cached in
    ``$ICONOPLASM_HOME/sources`` because ``root`` was read-only; ``root``'s own table comes first."""
    home = fetched_dir()
    if not home.is_dir() or home.resolve() == root.resolve():
        return []
    return spec.matches(home)


def candidate_dirs() -> list[Path]:
    """Sources directories tried, in order, when none is given explicitly."""
    dirs = []
    if os.environ.get("ICONOPLASM_SOURCES"):
        dirs.append(Path(os.environ["ICONOPLASM_SOURCES"]))
    dirs.append(REPO_ROOT.parent / "shared" / "gene_sources")
    dirs.append(fetched_dir())
    return dirs


def fetched_dir() -> Path:
    return iconoplasm_home() / "sources"


def resolve_sources_dir(explicit: Path | None) -> Path | None:
    """The first candidate directory that holds the required files, else None."""
    if explicit is not None:
        return explicit
    required = [spec for spec in load_manifest().values() if spec.required]
    for directory in candidate_dirs():
        if directory.is_dir() and all(spec.matches(directory) for spec in required):
            return directory
    return None


def fetch(target: Path, mirror: str | None = None, timeout: float = 60.0) -> list[str]:
    """Download every manifest entry that has an official URL into ``target``.

    ``mirror`` replaces each official URL by ``MIRROR/<download_as>`` (for a
    local mirror, and for tests against a local server). Returns notes on what
    could not be fetched; raises :class:`SourceError` when a required file
    could not be fetched, saying that nothing was reachable.
    """
    notes: list[str] = []
    failed_required: list[str] = []
    for spec in load_manifest().values():
        if not spec.url:
            continue
        destination = target / spec.download_as
        if destination.exists():
            continue
        url = f"{mirror.rstrip('/')}/{spec.download_as}" if mirror else spec.url
        try:
            download(url, destination, timeout)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            notes.append(f"could not fetch {spec.key} from {url}: {exc}")
            if spec.required:
                failed_required.append(f"{spec.key} ({url})")
    if failed_required:
        raise SourceError(
            "no gene sources found and the official releases are not reachable "
            f"({'; '.join(failed_required)}). Set ICONOPLASM_SOURCES or pass --sources DIR "
            "to a directory holding the upstream files (see gene_data/sources.toml)."
        )
    return notes


def download(url: str, destination: Path, timeout: float) -> None:
    """Stream ``url`` to ``destination`` atomically (a partial download never stays)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": "iconoplasm-data-fetch"})
    with urllib.request.urlopen(request, timeout=timeout) as response, open(partial, "wb") as out:
        shutil.copyfileobj(response, out)
    partial.replace(destination)
