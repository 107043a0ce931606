"""``pressx``: a thin command-line layer over the library API."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .schema import Record

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured data from Turkish, English and Russian press releases.")

DEFAULT_OUT = Path("data/extracted/records.jsonl")


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class ExportFormat(str, Enum):
    parquet = "parquet"


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files (.txt, .html) or folders of them."),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Output JSONL file."),
    registry: Optional[Path] = typer.Option(None, "--registry", help="Folder of the person registry (kept across runs)."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", help="Size limit per document."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the analysis; output is the same."),
    resume: bool = typer.Option(False, "--resume", help="Keep records already in OUT (by content hash); add the rest."),
    engine: Engine = typer.Option(Engine.local, "--engine",
                                  help="local: this process (and --workers); ray: Ray Data, same records."),
    address: Optional[str] = typer.Option(None, "--address", help="With --engine ray: join this Ray cluster "
                                          "(default: start a local Ray)."),
    num_cpus: Optional[int] = typer.Option(None, "--num-cpus", min=1, help="With --engine ray and no --address: "
                                           "CPUs of the local Ray (default: all)."),
) -> None:
    """Extract one JSON record per document; failures go to an errors file beside OUT.
    OUT ending in .parquet is a folder of Parquet tables (see `pressx export`), with
    the records and errors files inside it."""
    from .engine_ray import as_uri, is_uri

    paths = [as_uri(p) for p in paths]
    for p in paths:
        if not is_uri(p) and not p.exists():
            raise typer.BadParameter(f"{p} does not exist", param_hint="PATHS")
    if engine is not Engine.ray and any(is_uri(p) for p in paths):
        raise typer.BadParameter("URIs are read by --engine ray only", param_hint="PATHS")
    parquet = out.suffix.lower() == ".parquet"
    if parquet and out.is_file():
        raise typer.BadParameter(f"{out} is a file; Parquet output is a folder of tables", param_hint="--out")
    records_out = out / "records.jsonl" if parquet else out
    if engine is Engine.ray:
        from .engine_ray import require_ray, run_ray_extraction

        try:
            require_ray()
        except RuntimeError as exc:  # ray is an optional dependency
            typer.echo(f"pressx: error: {exc}", err=True)
            raise typer.Exit(2) from None
        summary = run_ray_extraction(paths, records_out, registry, max_bytes=max_bytes, progress=progress,
                                     resume=resume, address=address, num_cpus=num_cpus)
    else:
        from .io import run_extraction

        summary = run_extraction(paths, records_out, registry, max_bytes=max_bytes, progress=progress,
                                 workers=workers, resume=resume)
    if parquet:
        from .export import read_records, write_parquet

        write_parquet(read_records(records_out), out)
    kept = f" ({summary.resumed} kept from before)" if resume else ""
    typer.echo(f"{summary.records} records -> {out}{kept}", err=True)
    if summary.errors:
        typer.echo(f"{summary.errors} documents failed -> {summary.errors_path}", err=True)
        raise typer.Exit(1)


@app.command()
def export(
    records: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSONL file of records."),
    out_dir: Path = typer.Argument(..., file_okay=False, help="Folder of the tables (replaced table by table)."),
    fmt: ExportFormat = typer.Option(ExportFormat.parquet, "--format", help="Output format."),
) -> None:
    """Write records as flat, typed tables (documents, persons, roles, mentions, places,
    dates, events), each with doc_id, Hive-partitioned by language and year."""
    from .export import export_jsonl

    try:
        counts = export_jsonl(records, out_dir)
    except (RuntimeError, ValueError, KeyError) as exc:
        typer.echo(f"pressx: error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(", ".join(f"{n} {t}" for t, n in counts.items()) + f" -> {out_dir}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an output record."""
    typer.echo(json.dumps(Record.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def validate(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSONL file of records.")) -> None:
    """Check every line of FILE against the record schema."""
    from pydantic import ValidationError

    bad = 0
    n = 0
    with file.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            n += 1
            try:
                Record.model_validate_json(line)
            except ValidationError as exc:
                bad += 1
                for err in exc.errors():
                    loc = ".".join(str(x) for x in err["loc"]) or "(record)"
                    typer.echo(f"{file}:{lineno}: {loc}: {err['msg']}", err=True)
    typer.echo(f"{n - bad} of {n} records valid")
    if bad:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder with raw/*.txt and gold.jsonl."),
    pred: Optional[Path] = typer.Option(None, "--pred", exists=True, dir_okay=False, help="Predictions JSONL; default: extract GOLD_DIR/raw now."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
    errors: bool = typer.Option(False, "--errors", help="List misses and spurious items per document."),
) -> None:
    """Score extractions against gold annotations (GOLD_FORMAT.md)."""
    from .evaluate import error_report, format_table, load_gold, predict, score

    gold = load_gold(gold_dir)
    if pred is None:
        preds = predict(gold_dir / "raw")
    else:
        preds = [Record.model_validate_json(l) for l in pred.read_text(encoding="utf-8").splitlines() if l.strip()]
    result = score(gold, preds)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        typer.echo(format_table(result))
    if errors:
        typer.echo(error_report(gold, preds))


@app.command()
def view(
    records: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSONL file of records."),
    raw: Optional[Path] = typer.Option(None, "--raw", exists=True, file_okay=False, help="Folder of the texts (default: each record's source)."),
    gold: Optional[Path] = typer.Option(None, "--gold", exists=True, file_okay=False, help="Gold folder: marks misses and spurious items."),
    out: Path = typer.Option(Path("report.html"), "-o", "--out", help="The HTML file to write."),
) -> None:
    """Write one self-contained HTML page to review the extractions."""
    from .view import build_report

    out.write_text(build_report(records, raw, gold), encoding="utf-8")
    typer.echo(f"review page -> {out}", err=True)


entities_app = typer.Typer(help="The person registry: list entities, correct the resolver.", invoke_without_command=True)
app.add_typer(entities_app, name="entities")
REGISTRY_OPT = typer.Option(Path("data/registry"), "--registry", help="Folder of the person registry.")


def _open_registry(path: Path):
    from .resolution import Registry

    if not (path / "registry.sqlite").exists():
        raise typer.BadParameter(f"no registry in {path}", param_hint="--registry")
    return Registry(path)


@entities_app.callback()
def entities(ctx: typer.Context, registry: Path = REGISTRY_OPT,
             as_json: bool = typer.Option(False, "--json", help="One JSON array of entities.")) -> None:
    """List the registry's people: id, name, aliases with scripts, documents, roles."""
    ctx.obj = registry
    if ctx.invoked_subcommand is not None:
        return
    reg = _open_registry(registry)
    rows = reg.describe()
    reg.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for e in rows:
        aliases = ", ".join(f"{a['name']} [{a['script']}]" for a in e["aliases"])
        roles = "; ".join(sorted({f"{r['title']} ({r['role_type']})" for r in e["roles"]}))
        typer.echo(f"{e['id']}\t{e['name']}\t{e['country'] or '-'}\t{len(e['documents'])} docs\t{aliases}\t{roles}")


@entities_app.command("merge")
def entities_merge(ctx: typer.Context, keep: str = typer.Argument(..., help="Entity id to keep."),
                   other: str = typer.Argument(..., help="Entity id that is the same person.")) -> None:
    """Declare two entities one person; later runs keep them merged."""
    reg = _open_registry(ctx.obj)
    try:
        reg.merge(keep, other)
    except KeyError as exc:
        raise typer.BadParameter(str(exc)) from exc
    finally:
        reg.close()
    typer.echo(f"{other} merged into {keep}")


@entities_app.command("split")
def entities_split(ctx: typer.Context, entity: str = typer.Argument(..., help="Entity id."),
                   aliases: list[str] = typer.Argument(..., help="Aliases that belong to another person.")) -> None:
    """Move aliases of an entity to a new entity; later runs keep them apart."""
    reg = _open_registry(ctx.obj)
    try:
        new = reg.split(entity, aliases)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    finally:
        reg.close()
    typer.echo(f"{', '.join(aliases)} -> {new}")


if __name__ == "__main__":
    app()
