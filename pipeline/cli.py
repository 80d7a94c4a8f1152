"""``iconoplasm`` command line: a thin layer over the pipeline functions."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .emulsions import DEFAULT_EMULSION_ID
from .errors import IconoplasmError
from .paths import default_data_dir
from .sources.base import SourceError


def cmd_data_build(args: argparse.Namespace) -> int:
    from .atomic import write_json, write_parquet
    from .genes.build import build_gene_table
    from .genes.locate import fetch, fetched_dir, locate, resolve_sources_dir

    started = time.perf_counter()
    root = resolve_sources_dir(args.sources)
    if root is None:
        print(
            f"No local gene sources found; downloading the official releases into {fetched_dir()} ...", file=sys.stderr
        )
        for note in fetch(fetched_dir(), mirror=args.mirror):
            print(f"warning: {note}", file=sys.stderr)
        root = fetched_dir()
    result = build_gene_table(locate(root))
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    out: Path = args.out
    write_parquet(result.table, out / "genes.parquet")
    write_json(result.coverage, out / "coverage.json")
    print(
        f"wrote {len(result.table)} genes to {out / 'genes.parquet'} in {time.perf_counter() - started:.1f} s (sources: {root})"
    )
    return 0


def cmd_data_fetch(args: argparse.Namespace) -> int:
    from .genes.locate import fetch, fetched_dir

    target = args.out or fetched_dir()
    for note in fetch(target, mirror=args.mirror):
        print(f"warning: {note}", file=sys.stderr)
    print(f"official releases in {target}")
    return 0


def cmd_data_fetch_pubmed_years(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .genes.locate import fetched_dir, locate, resolve_sources_dir
    from .sources import eutils

    root = resolve_sources_dir(args.sources)
    if root is None:
        raise SourceError("no gene sources found: pass --sources DIR or set ICONOPLASM_SOURCES")
    ids = eutils.candidate_ids(locate(root), args.per_gene)
    cache_dir, note = eutils.choose_cache_dir(root, args.cache, fetched_dir())
    if note:
        print(f"note: {note}", file=sys.stderr)
    client = eutils.client_from_environment(args.base_url)
    with tqdm(total=0, unit="id", desc="PubMed years", file=sys.stderr) as bar:

        def start(total: int) -> None:
            bar.total = total
            bar.refresh()

        report = eutils.fetch_years(ids, cache_dir / eutils.CACHE_NAME, client, args.limit, bar.update, start)
    print(eutils.summary(report, len(ids)))
    return 0


def cmd_traits_build(args: argparse.Namespace) -> int:
    import pandas as pd

    from .atomic import write_parquet
    from .traits.build import build_traits
    from .traits.llm import SampleLimitReached
    from .traits.plots import write_plots

    started = time.perf_counter()
    genes_path: Path = args.genes
    if not genes_path.exists():
        raise SourceError(f"{genes_path}: gene table not found; run `iconoplasm data build` first")
    samples = traits_sample_source(args)
    genes = pd.read_parquet(genes_path)
    try:
        traits = build_traits(genes, samples=samples)
    except SampleLimitReached as pause:
        print(pause, file=sys.stderr)
        return 0
    out: Path = args.out
    write_parquet(traits, out / "traits.parquet")
    plots = write_plots(traits, out / "plots", genes=genes)
    print(
        f"wrote {len(traits)} characters to {out / 'traits.parquet'} and {len(plots)} plots to {out / 'plots'} in {time.perf_counter() - started:.1f} s"
    )
    return 0


def traits_sample_source(args: argparse.Namespace):
    """The ``build_traits`` sample source that ``--writer`` picks.

    ``--llm-*`` options without ``--writer llm`` would be silently ignored, so they are refused.
    """
    from .traits import llm
    from .traits.build import deterministic_samples

    llm_options = {
        "--llm-provider": args.llm_provider,
        "--llm-model": args.llm_model,
        "--llm-base-url": args.llm_base_url,
        "--llm-rps": args.llm_rps,
        "--limit": args.limit,
    }
    if args.writer == "deterministic":
        given = [name for name, value in llm_options.items() if value is not None]
        if given:
            raise IconoplasmError(f"{', '.join(given)} only apply with --writer llm")
        return deterministic_samples
    rps = llm.DEFAULT_RPS if args.llm_rps is None else args.llm_rps
    provider = args.llm_provider or "openai"
    return llm.sample_source(provider, args.llm_model or "", args.llm_base_url, rps, args.out, args.limit)


def cmd_mappings_suggest(args: argparse.Namespace) -> int:
    from .genes.locate import resolve_sources_dir
    from .traits.suggest import run_suggest

    root = resolve_sources_dir(args.sources)
    if root is None:
        raise SourceError("no gene sources found: pass --sources DIR or set ICONOPLASM_SOURCES")
    result = run_suggest(root, write=args.write, refresh=args.refresh, review=args.review)
    print(f"{len(result.rows)} proposals for clans without a curated style:")
    for row in result.rows.itertuples():
        print(f"  {row.clan_acc} {row.clan_name:<24} -> {row.aesthetic}  ({row.similarity:.2f})")
    print(f"weakest {len(result.worst)} matches, for review:")
    for row in result.worst.itertuples():
        print(f"  {row.clan_acc} {row.clan_name:<24} -> {row.aesthetic}  ({row.similarity:.2f})")
    print(
        "written to gene_data/mappings/clan_aesthetics.csv"
        if args.write
        else "dry run: pass --write to save the proposals"
    )
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    import pandas as pd
    from tqdm import tqdm

    from .emulsions import load_emulsions, procedural_emulsions
    from .genes.names import resolve_symbols
    from .render import batch, renderers

    data: Path = args.data
    for name in ("genes.parquet", "traits.parquet"):
        if not (data / name).exists():
            raise SourceError(
                f"{data / name} not found; run `iconoplasm data build` and `iconoplasm traits build` first"
            )
    genes = pd.read_parquet(data / "genes.parquet", columns=["symbol", "name", "aliases", "prev_symbols"])
    traits = pd.read_parquet(data / "traits.parquet")
    requested = [] if args.all else [s.strip() for s in args.genes.split(",") if s.strip()]
    symbols = list(traits["symbol"]) if args.all else resolve_symbols(requested, genes)
    emulsions = load_emulsions()
    emulsion = None if args.emulsions == "random" else args.emulsion
    # the procedural renderer is given (and draws at random from) only the styles it can honestly make
    choosable = emulsions if args.renderer == renderers.DIFFUSION else procedural_emulsions(emulsions)
    if emulsion in emulsions and emulsion not in choosable:
        raise SourceError(
            f"emulsion {emulsion} ({emulsions[emulsion].name}) is diffusion-only: use --renderer diffusion"
        )
    jobs = batch.plan_jobs(symbols, choosable, emulsion, args.candidates, args.seed)

    if args.renderer == renderers.DIFFUSION:
        if args.model is None:
            raise SourceError("--renderer diffusion needs --model PATH (a local diffusers folder or .safetensors file)")
        renderer = renderers.diffusion_renderer(args.model, args.config, args.device, args.dtype, args.size, args.steps)
    else:
        renderer = renderers.procedural_renderer()

    with tqdm(total=len(jobs), unit="img", desc=f"render ({args.renderer})") as bar:
        report = batch.render_jobs(
            jobs,
            traits,
            dict(zip(genes["symbol"], genes["name"], strict=True)),
            emulsions,
            renderer,
            args.out,
            batch_size=args.batch_size,
            progress=bar.update,
            on_error=lambda symbol, exc: tqdm.write(f"error: {symbol}: {type(exc).__name__}: {exc}", file=sys.stderr),
        )
    print(
        f"rendered {report.rendered}, already done {report.skipped}, failed {len(report.failures)}; manifest: {args.out / batch.MANIFEST}"
    )
    return 1 if report.failures else 0


def cmd_anki(args: argparse.Namespace) -> int:
    from . import anki
    from .casts import read_scenarios, resolve_cast
    from .catalogue import catalogue_rows, read_table
    from .genes.names import NameTables, resolve_name, resolve_symbols
    from .records import GENE_COLUMNS, TRAIT_COLUMNS

    genes = read_table(args.genes_table, "gene table", GENE_COLUMNS)
    traits = read_table(args.traits, "traits table", TRAIT_COLUMNS)
    if args.cast is None:
        kind, title = anki.GENES, "Genes"
        symbols = resolve_symbols([s.strip() for s in args.genes.split(",") if s.strip()], genes)
    else:
        specs = {cast.id: cast for cast in read_scenarios(args.casts_file)}
        if args.cast not in specs:
            raise IconoplasmError(f"unknown cast {args.cast!r}; the casts are: {', '.join(specs)}")
        spec = specs[args.cast]
        tables = NameTables.from_genes(zip(genes["symbol"], genes["prev_symbols"], genes["aliases"], strict=True))

        def resolve(name: str) -> str | None:
            found = resolve_name(name, tables)
            return None if found is None else found.symbol

        cast = resolve_cast(spec, resolve, list(genes["symbol"]))
        for side, name in cast.unresolved:
            print(f"warning: {spec.id}: {name!r} ({side}) names no gene; left out", file=sys.stderr)
        kind, title, symbols = anki.cast_kind(spec.id), spec.title, cast.symbols
    if not symbols:
        raise IconoplasmError("no genes to put in the deck")
    rows = {row["symbol"]: row for row in catalogue_rows(genes[genes["symbol"].isin(symbols)], traits)}
    untraited = [symbol for symbol in symbols if symbol not in rows]
    if untraited:
        raise SourceError(f"{args.traits}: no traits for {', '.join(untraited)}; run `iconoplasm traits build`")
    blots = anki.newest_blots(args.render_dir, symbols)
    report = anki.write_deck(
        [anki.gene_note(rows[symbol], blots.get(symbol)) for symbol in symbols], kind, title, args.out
    )
    missing = (
        f" ({len(report.without_blot)} without a blot: {', '.join(report.without_blot)})" if report.without_blot else ""
    )
    print(f"wrote {report.notes} note(s), {2 * report.notes} cards{missing} to {args.out}")
    return 0


def image_size(text: str) -> tuple[int, int]:
    """``768x1024`` → (768, 1024); both positive multiples of 8, as the diffusion models need."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 512x512, got {text!r}") from None
    if width <= 0 or height <= 0 or width % 8 or height % 8:
        raise argparse.ArgumentTypeError(f"width and height must be positive multiples of 8, got {text!r}")
    return width, height


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def eutils_default_url() -> str:
    from .sources.eutils import DEFAULT_BASE_URL

    return DEFAULT_BASE_URL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iconoplasm", description="Iconoplasm offline pipeline.")
    commands = parser.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="the gene table").add_subparsers(dest="action", required=True)
    build = data.add_parser("build", help="build genes.parquet and coverage.json from upstream files")
    build.add_argument(
        "--sources",
        type=Path,
        help="directory of upstream files (default: $ICONOPLASM_SOURCES, ../shared/gene_sources, else download)",
    )
    build.add_argument(
        "--out", type=Path, default=default_data_dir(), help="output directory (default: $ICONOPLASM_HOME/data)"
    )
    build.add_argument("--mirror", help="base URL to download from instead of the official release URLs")
    build.set_defaults(handler=cmd_data_build)

    fetch = data.add_parser("fetch", help="download the official upstream releases listed in gene_data/sources.toml")
    fetch.add_argument("--out", type=Path, help="target directory (default: $ICONOPLASM_HOME/sources)")
    fetch.add_argument("--mirror", help="base URL to download from instead of the official release URLs")
    fetch.set_defaults(handler=cmd_data_fetch)

    years = data.add_parser(
        "fetch-pubmed-years",
        help="exact publication years of each gene's earliest candidate papers, from NCBI E-utilities (resumable)",
        description="Asks NCBI E-utilities (esummary) for the publication years of each gene's earliest candidate "
        "papers and appends them to SOURCES/pubmed/pmid_year.tsv, which `data build` reads. At most 3 requests/s, 10/s with "
        "$NCBI_API_KEY; $NCBI_EMAIL is sent when set. A rerun asks only for ids not yet cached.",
    )
    years.add_argument("--sources", type=Path, help="directory of upstream files (as for `data build`)")
    years.add_argument(
        "--per-gene", type=positive_int, default=3, help="earliest candidate papers per gene to date (default 3)"
    )
    years.add_argument("--limit", type=positive_int, help="ask for at most N ids this run")
    years.add_argument(
        "--cache",
        type=Path,
        help="folder for pmid_year.tsv (default SOURCES/pubmed, or $ICONOPLASM_HOME/sources/pubmed when the "
        "sources are read-only; `data build` reads both)",
    )
    years.add_argument("--base-url", default=eutils_default_url(), help="E-utilities base URL (default: NCBI's)")
    years.set_defaults(handler=cmd_data_fetch_pubmed_years)

    traits = commands.add_parser("traits", help="the characters").add_subparsers(dest="action", required=True)
    traits_build = traits.add_parser("build", help="build traits.parquet and genome-wide plots from genes.parquet")
    traits_build.add_argument(
        "--genes",
        type=Path,
        default=default_data_dir() / "genes.parquet",
        help="gene table (default: $ICONOPLASM_HOME/data/genes.parquet)",
    )
    traits_build.add_argument(
        "--out", type=Path, default=default_data_dir(), help="output directory (default: $ICONOPLASM_HOME/data)"
    )
    traits_build.add_argument(
        "--writer",
        choices=["deterministic", "llm"],
        default="deterministic",
        help="who writes the samples: offline phrase banks (SYMBOL-1, default) or a language model (SYMBOL-2, "
        "SYMBOL-3, ...; key from $ICONOPLASM_LLM_API_KEY, answers cached in OUT/llm_samples.jsonl)",
    )
    traits_build.add_argument(
        "--llm-provider",
        choices=["openai", "anthropic"],
        help="llm: API protocol (default openai: any OpenAI-compatible server)",
    )
    traits_build.add_argument("--llm-model", help="llm: model name (required with --writer llm)")
    traits_build.add_argument(
        "--llm-base-url", help="llm: API base URL (default https://api.openai.com/v1 or https://api.anthropic.com)"
    )
    traits_build.add_argument("--llm-rps", type=float, help="llm: at most this many requests per second (default 2)")
    traits_build.add_argument(
        "--limit", type=positive_int, help="llm: ask for at most N new samples this run (traits.parquet waits for all)"
    )
    traits_build.set_defaults(handler=cmd_traits_build)

    mappings = commands.add_parser("mappings", help="the curated mapping tables").add_subparsers(
        dest="action", required=True
    )
    suggest = mappings.add_parser("suggest", help="propose aesthetics for Pfam clans without a curated one")
    suggest.add_argument("--sources", type=Path, help="directory of upstream files (as for `data build`)")
    suggest.add_argument("--write", action="store_true", help="save the proposals (curated rows are never changed)")
    suggest.add_argument(
        "--refresh", action="store_true", help="re-propose every non-curated row, not only unmapped clans"
    )
    suggest.add_argument("--review", type=int, default=15, help="how many weakest matches to list")
    suggest.set_defaults(handler=cmd_mappings_suggest)

    render = commands.add_parser(
        "render", help="render portraits and blots into a content-addressed folder with a manifest"
    )
    which = render.add_mutually_exclusive_group(required=True)
    which.add_argument("--genes", help="comma-separated symbols (aliases and previous symbols accepted)")
    which.add_argument("--all", action="store_true", help="every gene of the traits table")
    render.add_argument("--renderer", choices=["procedural", "diffusion"], default="procedural")
    render.add_argument(
        "--model", type=Path, help="diffusion: a local diffusers folder or single-file .safetensors checkpoint"
    )
    render.add_argument("--config", type=Path, help="diffusion: local config folder for a single-file checkpoint")
    render.add_argument("--device", help="diffusion: cuda, mps or cpu (default: best available)")
    render.add_argument("--dtype", help="diffusion: float32, float16 or bfloat16 (default: by device)")
    style = render.add_mutually_exclusive_group()
    style.add_argument("--emulsion", default=DEFAULT_EMULSION_ID, help=f"emulsion id (default {DEFAULT_EMULSION_ID})")
    style.add_argument("--emulsions", choices=["random"], help="a reproducibly random emulsion per image")
    render.add_argument(
        "--size", type=image_size, help="diffusion: WIDTHxHEIGHT instead of each emulsion's (multiples of 8; a draft)"
    )
    render.add_argument(
        "--steps", type=positive_int, help="diffusion: sampling steps instead of each emulsion's (a draft)"
    )
    render.add_argument("--candidates", type=int, default=1, help="images per gene")
    render.add_argument("--seed", type=int, default=0)
    render.add_argument("--batch-size", type=int, default=1, help="images generated together (diffusion)")
    render.add_argument(
        "--data", type=Path, default=default_data_dir(), help="folder with genes.parquet and traits.parquet"
    )
    render.add_argument("--out", type=Path, required=True, help="output folder (portraits/, blots/, manifest.jsonl)")
    render.set_defaults(handler=cmd_render)

    deck = commands.add_parser(
        "anki",
        help="an Anki deck (.apkg) of genes or of a cast, with the blots of a render folder",
        description="One note per gene (symbol, name, blot, the trait ← fact lines, summary), two cards each. "
        "Note ids are stable: importing a new export of the same genes updates the notes instead of adding copies.",
    )
    chosen = deck.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--genes", help="comma-separated symbols (aliases and previous symbols accepted)")
    chosen.add_argument("--cast", help="a built-in cast id, e.g. oncogene-induced-apoptosis")
    deck.add_argument(
        "--render-dir", type=Path, required=True, help="an `iconoplasm render --out` folder: the newest blot per gene"
    )
    deck.add_argument("--out", type=Path, required=True, help="the .apkg file to write")
    deck.add_argument(
        "--genes-table",
        type=Path,
        default=default_data_dir() / "genes.parquet",
        help="gene table (default: $ICONOPLASM_HOME/data/genes.parquet)",
    )
    deck.add_argument(
        "--traits",
        type=Path,
        default=default_data_dir() / "traits.parquet",
        help="traits table (default: $ICONOPLASM_HOME/data/traits.parquet)",
    )
    deck.add_argument(
        "--casts-file",
        type=Path,
        help="scenarios file (default: $ICONOPLASM_CASTS, else ../shared/casts/post_scenarios.json)",
    )
    deck.set_defaults(handler=cmd_anki)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except IconoplasmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
