"""``pressx``: a thin command-line layer over the library API."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .schema import Record

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured data from Turkish, English and Russian press releases.")

DEFAULT_OUT = Path("data/extracted/records.jsonl")


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files (.txt, .html) or folders of them."),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Output JSONL file."),
    registry: Optional[Path] = typer.Option(None, "--registry", help="Folder of the person registry (kept across runs)."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", help="Size limit per document."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the analysis; output is the same."),
    resume: bool = typer.Option(False, "--resume", help="Keep records already in OUT (by content hash); add the rest."),
    doc_timeout: float = typer.Option(600.0, "--doc-timeout", min=0,
                                      help="Seconds a document may take; over it, it becomes an error entry (0: no limit)."),
) -> None:
    """Extract one JSON record per document; failures go to an errors file beside OUT."""
    from .io import run_extraction

    for p in paths:
        if not p.exists():
            raise typer.BadParameter(f"{p} does not exist", param_hint="PATHS")
    summary = run_extraction(paths, out, registry, max_bytes=max_bytes, progress=progress, workers=workers,
                             resume=resume, doc_timeout=doc_timeout or None)
    kept = f" ({summary.resumed} kept from before)" if resume else ""
    typer.echo(f"{summary.records} records -> {out}{kept}", err=True)
    if summary.errors:
        typer.echo(f"{summary.errors} documents failed -> {summary.errors_path}", err=True)
        raise typer.Exit(1)


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
