"""``iconoplasm`` command line: a thin layer over the pipeline functions."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .paths import default_data_dir


def cmd_data_build(args: argparse.Namespace) -> int:
    from .atomic import write_json, write_parquet
    from .genes.build import build_gene_table
    from .genes.locate import fetch, fetched_dir, locate, resolve_sources_dir

    started = time.perf_counter()
    root = resolve_sources_dir(args.sources)
    if root is None:
        print(f"No local gene sources found; downloading the official releases into {fetched_dir()} ...", file=sys.stderr)
        for note in fetch(fetched_dir(), mirror=args.mirror):
            print(f"warning: {note}", file=sys.stderr)
        root = fetched_dir()
    result = build_gene_table(locate(root))
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    out: Path = args.out
    write_parquet(result.table, out / "genes.parquet")
    write_json(result.coverage, out / "coverage.json")
    print(f"wrote {len(result.table)} genes to {out / 'genes.parquet'} in {time.perf_counter() - started:.1f} s (sources: {root})")
    return 0


def cmd_data_fetch(args: argparse.Namespace) -> int:
    from .genes.locate import fetch, fetched_dir

    target = args.out or fetched_dir()
    for note in fetch(target, mirror=args.mirror):
        print(f"warning: {note}", file=sys.stderr)
    print(f"official releases in {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iconoplasm", description="Iconoplasm offline pipeline.")
    commands = parser.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="the gene table").add_subparsers(dest="action", required=True)
    build = data.add_parser("build", help="build genes.parquet and coverage.json from upstream files")
    build.add_argument("--sources", type=Path, help="directory of upstream files (default: $ICONOPLASM_SOURCES, ../shared/gene_sources, else download)")
    build.add_argument("--out", type=Path, default=default_data_dir(), help="output directory (default: $ICONOPLASM_HOME/data)")
    build.add_argument("--mirror", help="base URL to download from instead of the official release URLs")
    build.set_defaults(handler=cmd_data_build)

    fetch = data.add_parser("fetch", help="download the official upstream releases listed in gene_data/sources.toml")
    fetch.add_argument("--out", type=Path, help="target directory (default: $ICONOPLASM_HOME/sources)")
    fetch.add_argument("--mirror", help="base URL to download from instead of the official release URLs")
    fetch.set_defaults(handler=cmd_data_fetch)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .sources.base import SourceError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
