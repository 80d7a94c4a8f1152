"""Shared reading helpers for the upstream adapters.

Every adapter reads its file through these helpers so that a broken upstream
file always fails the same way: a :class:`SourceError` whose message names the
file and the problem (bad gzip, missing columns, unparsable rows), instead of a
pandas traceback deep inside a join.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from ..errors import IconoplasmError


class SourceError(IconoplasmError):
    """An upstream file is missing, unreadable or not in the expected shape."""


class MissingSourceError(SourceError):
    """A required upstream file is absent."""


def open_text(path: Path):
    """Open a plain, gzip or single-member zip text file (decided by magic bytes).

    Official releases come in all three forms (HGNC plain, UniProt gzip, HPA
    zip), so the suffix is not trusted.
    """
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    if magic == b"PK":
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.namelist() if not m.endswith("/")]
        if len(members) != 1:
            raise SourceError(f"{path}: zip archive should hold exactly one file, holds {len(members)}")
        return io.TextIOWrapper(archive.open(members[0]), encoding="utf-8")
    return open(path, encoding="utf-8")


_READ_ERRORS = (
    gzip.BadGzipFile,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    UnicodeDecodeError,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    OSError,
)


def read_table(
    path: Path,
    required_columns: Iterable[str] | None = None,
    **read_csv_kwargs,
) -> pd.DataFrame:
    """Read a tab-separated upstream file, failing with a message that names it.

    ``required_columns`` are checked after reading; a file without them is
    treated as corrupt (the usual cause is a renamed or truncated release).
    """
    read_csv_kwargs.setdefault("sep", "\t")
    read_csv_kwargs.setdefault("low_memory", False)
    if required_columns is not None and read_csv_kwargs.get("header", "infer") is not None:
        # Check the header first: pandas would otherwise fail on `usecols`
        # with a message that does not name the file.
        header_only = {k: v for k, v in read_csv_kwargs.items() if k in ("sep", "comment")}
        require_columns(_read(path, nrows=0, **header_only), required_columns, path)
    frame = _read(path, **read_csv_kwargs)
    if required_columns is not None:
        require_columns(frame, required_columns, path)
    return frame


def _read(path: Path, **read_csv_kwargs) -> pd.DataFrame:
    try:
        with open_text(path) as fh:
            return pd.read_csv(fh, **read_csv_kwargs)
    except FileNotFoundError as exc:
        raise MissingSourceError(f"{path}: file not found") from exc
    except _READ_ERRORS as exc:
        raise SourceError(f"{path}: cannot be read as a tab-separated table ({type(exc).__name__}: {exc})") from exc


def require_columns(frame: pd.DataFrame, required: Iterable[str], path: Path) -> None:
    """Fail naming the file when expected columns are absent."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:12]))
        raise SourceError(
            f"{path}: wrong columns: missing {missing}; found [{found}{', ...' if len(frame.columns) > 12 else ''}]"
        )


def iter_fasta(path: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(header, sequence)`` pairs from a plain or gzipped FASTA file."""
    try:
        with open_text(path) as fh:
            header: str | None = None
            chunks: list[str] = []
            for line in fh:
                if line.startswith(">"):
                    if header is not None:
                        yield header, "".join(chunks)
                    header, chunks = line[1:].rstrip("\n"), []
                elif header is None:
                    if line.strip():
                        raise SourceError(f"{path}: not a FASTA file (first record has no '>' header)")
                else:
                    chunks.append(line.strip())
            if header is not None:
                yield header, "".join(chunks)
    except FileNotFoundError as exc:
        raise MissingSourceError(f"{path}: file not found") from exc
    except _READ_ERRORS as exc:
        raise SourceError(f"{path}: cannot be read as FASTA ({type(exc).__name__}: {exc})") from exc


def split_multi(value: object, sep: str) -> list[str]:
    """Split a multi-valued cell ("A|B", "A, B") into a clean list; NaN gives []."""
    if not isinstance(value, str) or not value:
        return []
    return [part.strip().strip('"') for part in value.split(sep) if part.strip().strip('"')]
