"""``pressx``: a thin command-line layer over the library API."""
from __future__ import annotations

import json
from contextlib import contextmanager
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
    registry: Optional[Path] = typer.Option(None, "--registry", help="Folder of the person registry (kept across runs); "
                                            "default: the user's data directory, or PRESSX_REGISTRY."),
    lock_timeout: Optional[float] = typer.Option(None, "--lock-timeout", min=0,
                                                 help="Seconds to wait for a registry another process holds "
                                                      "(default 10, or PRESSX_LOCK_TIMEOUT)."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", help="Size limit per document."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the analysis; output is the same."),
    resume: bool = typer.Option(False, "--resume", help="Keep records already in OUT (by content hash); add the rest."),
) -> None:
    """Extract one JSON record per document; failures go to an errors file beside OUT."""
    from .io import run_extraction
    from .resolution import RegistryError, default_registry_dir

    for p in paths:
        if not p.exists():
            raise typer.BadParameter(f"{p} does not exist", param_hint="PATHS")
    registry = registry or default_registry_dir()
    _set_lock_timeout(lock_timeout)
    typer.echo(f"registry: {registry}", err=True)
    try:
        summary = run_extraction(paths, out, registry, max_bytes=max_bytes, progress=progress, workers=workers,
                                 resume=resume)
    except RegistryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
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


entities_app = typer.Typer(help="The person registry: list entities, review and correct the resolver.",
                           invoke_without_command=True)
app.add_typer(entities_app, name="entities")
REGISTRY_OPT = typer.Option(None, "--registry", help="Folder of the person registry "
                                                     "(default: the user's data directory, or PRESSX_REGISTRY).")
LOCK_OPT = typer.Option(None, "--lock-timeout", min=0, help="Seconds to wait for a registry another process holds.")


def _set_lock_timeout(seconds: Optional[float]) -> None:
    """The lock wait reaches every Registry of this process (run_extraction's too)."""
    import os

    if seconds is not None:
        os.environ["PRESSX_LOCK_TIMEOUT"] = str(seconds)


def _open_registry(path: Path):
    from .resolution import Registry, RegistryError

    if not (path / "registry.sqlite").exists():
        raise typer.BadParameter(f"no registry in {path} (pressx extract makes one)", param_hint="--registry")
    try:
        return Registry(path)
    except RegistryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@contextmanager
def _registry_errors():
    """Registry failures (locked, disk full) as a message and exit status 2."""
    from .resolution import RegistryError

    try:
        yield
    except RegistryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@entities_app.callback()
def entities(ctx: typer.Context, registry: Optional[Path] = REGISTRY_OPT,
             as_json: bool = typer.Option(False, "--json", help="One JSON array of entities."),
             lock_timeout: Optional[float] = LOCK_OPT) -> None:
    """List the registry's people: id, name, aliases with scripts, documents, roles."""
    from .resolution import default_registry_dir

    _set_lock_timeout(lock_timeout)
    ctx.obj = registry = registry or default_registry_dir()
    if ctx.invoked_subcommand is not None:
        return
    reg = _open_registry(registry)
    with _registry_errors():
        rows = reg.describe()
    reg.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for e in rows:
        aliases = ", ".join(f"{a['name']} [{a['script']}]" for a in e["aliases"])
        roles = "; ".join(sorted({f"{r['title']} ({r['role_type']})" for r in e["roles"]}))
        typer.echo(f"{e['id']}\t{e['name']}\t{e['country'] or '-'}\t{len(e['documents'])} docs\t{aliases}\t{roles}")


@entities_app.command("review")
def entities_review(ctx: typer.Context, entity: Optional[str] = typer.Argument(None, help="Only this entity's links."),
                    limit: int = typer.Option(20, "--limit", min=1, help="How many links to list."),
                    as_json: bool = typer.Option(False, "--json", help="One JSON array.")) -> None:
    """The least certain merges not yet confirmed, least certain first, with
    the evidence each rests on: confirm them (entities confirm) or split them
    (entities split)."""
    reg = _open_registry(ctx.obj)
    with _registry_errors():
        rows = reg.review(entity, limit)
    reg.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("nothing to review", err=True)
    for r in rows:
        typer.echo(f"{r['confidence']:.2f}\t{r['id']}\t{r['name']}\t<- {r['alias']}\t{r['doc_id']}\t"
                   f"{'; '.join(r['evidence'])}")


@entities_app.command("confirm")
def entities_confirm(ctx: typer.Context, entity: str = typer.Argument(..., help="Entity id."),
                     aliases: Optional[list[str]] = typer.Argument(None, help="Aliases to confirm (default: all).")) -> None:
    """Confirm an entity's links (or those of some aliases): they leave the
    review list, and the decision is kept in the registry."""
    reg = _open_registry(ctx.obj)
    try:
        with _registry_errors():
            n = reg.confirm(entity, aliases or None)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    finally:
        reg.close()
    typer.echo(f"{n} links of {entity} confirmed")


@entities_app.command("merge")
def entities_merge(ctx: typer.Context, keep: str = typer.Argument(..., help="Entity id to keep."),
                   other: str = typer.Argument(..., help="Entity id that is the same person.")) -> None:
    """Declare two entities one person; later runs keep them merged."""
    reg = _open_registry(ctx.obj)
    try:
        with _registry_errors():
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
        with _registry_errors():
            new = reg.split(entity, aliases)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    finally:
        reg.close()
    typer.echo(f"{', '.join(aliases)} -> {new}")


if __name__ == "__main__":
    app()
