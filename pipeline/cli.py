"""``pressx``: a thin command-line layer over the library API.

Exit status: 0 done; 1 some documents failed (see the errors file); 2 bad
usage or input, nothing to do, or the output is busy; 130 interrupted. Bad
input gives a one-line message, never a traceback (``PRESSX_DEBUG=1`` shows it)."""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import typer

from .run.reading import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, STDIN
from .schema import Record

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured data from Turkish, English and Russian press releases.")

DEFAULT_OUT = Path("data/extracted/records.jsonl")


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop with a message on stderr (no traceback)."""
    typer.echo(f"pressx: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"pressx {version('pressx')}")
        except PackageNotFoundError:
            typer.echo("pressx (not installed)")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Structured data from Turkish, English and Russian press releases."""


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class ExportFormat(str, Enum):
    parquet = "parquet"


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files (.txt, .html) or folders of them; - reads one document from stdin."),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Output JSONL file; - writes to stdout."),
    registry: Optional[Path] = typer.Option(None, "--registry", help="Folder of the person registry (kept across runs); "
                                            "default: the user's data directory, or PRESSX_REGISTRY."),
    lock_timeout: Optional[float] = typer.Option(None, "--lock-timeout", min=0,
                                                 help="Seconds to wait for a registry another process holds "
                                                      "(default 10, or PRESSX_LOCK_TIMEOUT)."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1,
                                  help="Size limit per document, checked before reading (default 10 MiB)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the analysis; output is the same."),
    resume: bool = typer.Option(False, "--resume", help="Keep records already in OUT (same file, same content); add the rest."),
    tr_rules_only: bool = typer.Option(False, "--tr-rules-only",
                                       help="Run Turkish without its NER model if the model is missing (fewer people found)."),
    engine: Engine = typer.Option(Engine.local, "--engine",
                                  help="local: this process (and --workers); ray: Ray Data, same records."),
    address: Optional[str] = typer.Option(None, "--address", help="With --engine ray: join this Ray cluster "
                                          "(default: start a local Ray)."),
    num_cpus: Optional[int] = typer.Option(None, "--num-cpus", min=1, help="With --engine ray and no --address: "
                                           "CPUs of the local Ray (default: all)."),
    doc_timeout: float = typer.Option(DEFAULT_DOC_TIMEOUT, "--doc-timeout", min=0,
                                      help="Seconds a document may take; over it, it becomes an error entry (0: no limit)."),
) -> None:
    """Extract one JSON record per document; failures go to an errors file beside OUT.
    OUT ending in .parquet is a folder of Parquet tables (see `pressx export`), with
    the records and errors files inside it."""
    from .run.io import Interrupted, LocalEngine, RunError, run_extraction
    from .run.reading import as_uri, display_name, is_uri
    from .stages.resolution import RegistryError, default_registry_dir

    paths = [as_uri(p) for p in paths]  # pathlib folds s3:// to s3:/
    for p in paths:
        if str(p) != STDIN and not is_uri(p) and not os.path.lexists(p):
            fail(f"{display_name(str(p))} does not exist")
    if engine is not Engine.ray and any(is_uri(p) for p in paths):
        fail("URIs are read by --engine ray only")
    to_stdout = str(out) == "-"
    parquet = out.suffix.lower() == ".parquet"
    if parquet and (to_stdout or out.is_file()):
        fail(f"{out} is a file; Parquet output is a folder of tables")
    if not to_stdout and not parquet and out.is_dir():
        fail(f"-o {out} is a folder; give a file name, such as {out / 'records.jsonl'}")
    records_out = out / "records.jsonl" if parquet else out
    if tr_rules_only:
        os.environ["PRESSX_TR_RULES_ONLY"] = "1"  # read by pipeline.stages.ner, also in worker processes
    if engine is Engine.ray:
        from .run.engine_ray import RayEngine, require_ray

        try:
            require_ray()
        except RuntimeError as exc:  # ray is an optional dependency
            fail(str(exc))
        runner = RayEngine(address=address, num_cpus=num_cpus)
    else:
        runner = LocalEngine()
    registry = registry or default_registry_dir()
    _set_lock_timeout(lock_timeout)
    typer.echo(f"registry: {registry}", err=True)
    try:
        summary = run_extraction(paths, Path("-") if to_stdout else records_out, registry, max_bytes=max_bytes,
                                 progress=progress and not to_stdout, workers=workers, resume=resume, engine=runner,
                                 doc_timeout=doc_timeout or None)
    except Interrupted as exc:
        fail(str(exc), 130)
    except RunError as exc:  # nothing to read, output busy, --resume with -o -
        fail(str(exc), 2)
    except RegistryError as exc:  # locked by another process, disk full: the run stops
        fail(str(exc), 2)
    except OSError as exc:  # an output or registry folder that cannot be made or written
        fail(f"{exc.strerror or exc}" + (f": {display_name(str(exc.filename))}" if exc.filename else ""), 2)
    if parquet:
        from .run.export import read_records, write_parquet

        write_parquet(read_records(records_out), out)
    kept = f" ({summary.resumed} kept from before)" if resume else ""
    typer.echo(f"{summary.records} records -> {'stdout' if to_stdout else out}{kept}", err=True)
    if summary.skipped_lines:
        typer.echo(f"{summary.skipped_lines} lines of the earlier output were not records of this version; "
                   "their documents were extracted again", err=True)
    if summary.errors:
        where = f" -> {summary.errors_path}" if summary.errors_path else " (listed above)"
        typer.echo(f"{summary.errors} documents failed{where}", err=True)
        raise typer.Exit(1)


@app.command()
def export(
    records: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSONL file of records."),
    out_dir: Path = typer.Argument(..., file_okay=False, help="Folder of the tables (replaced table by table)."),
    fmt: ExportFormat = typer.Option(ExportFormat.parquet, "--format", help="Output format."),
) -> None:
    """Write records as flat, typed tables (documents, persons, roles, mentions, places,
    dates, events), each with doc_id, Hive-partitioned by language and year."""
    from .run.export import export_jsonl

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
    with file.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            n += 1
            try:
                Record.model_validate_json(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                bad += 1
                typer.echo(f"{file}:{lineno}: not UTF-8 (byte {exc.start + 1} of the line)", err=True)
            except ValidationError as exc:
                bad += 1
                for err in exc.errors():
                    loc = ".".join(str(x) for x in err["loc"]) or "(record)"
                    typer.echo(f"{file}:{lineno}: {loc}: {err['msg']}", err=True)
    typer.echo(f"{n - bad} of {n} records valid")
    if bad:
        raise typer.Exit(1)


def _records(path: Path) -> list[Record]:
    from .run.io import read_records

    try:
        return read_records(path)
    except (OSError, ValueError) as exc:
        fail(str(exc))


def _gold(gold_dir: Path) -> list[dict]:
    """The gold set, checked enough that scoring cannot trip on its shape."""
    from .review.evaluate import load_gold

    path = gold_dir / "gold.jsonl"
    try:
        gold = load_gold(gold_dir)
    except FileNotFoundError:
        fail(f"no gold.jsonl in {gold_dir} (see GOLD_FORMAT.md)")
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        fail(f"{path}: not JSONL ({exc})")
    for i, g in enumerate(gold, 1):
        if not isinstance(g, dict) or not isinstance(g.get("doc_id"), str):
            fail(f"{path}: entry {i} is not an object with a doc_id (see GOLD_FORMAT.md)")
        for key in ("persons", "countries", "cities", "dates", "events"):
            if not isinstance(g.get(key, []), list):
                fail(f"{path}: {g['doc_id']}: '{key}' is not a list (see GOLD_FORMAT.md)")
        if not all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in g.get("persons", [])):
            fail(f"{path}: {g['doc_id']}: every person needs a name (see GOLD_FORMAT.md)")
    return gold


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder with raw/*.txt and gold.jsonl."),
    pred: Optional[Path] = typer.Option(None, "--pred", exists=True, dir_okay=False, help="Predictions JSONL; default: extract GOLD_DIR/raw now."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
    errors: bool = typer.Option(False, "--errors", help="List misses and spurious items per document."),
) -> None:
    """Score extractions against gold annotations (GOLD_FORMAT.md)."""
    from .review.evaluate import error_report, format_table, predict, score

    gold = _gold(gold_dir)
    if pred is None:
        if not (gold_dir / "raw").is_dir():
            fail(f"no raw/ folder in {gold_dir}; give the predictions with --pred")
        preds = predict(gold_dir / "raw")
    else:
        preds = _records(pred)
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
    raw: Optional[Path] = typer.Option(None, "--raw", exists=True, file_okay=False,
                                       help="Folder of the texts (default: the records file's folder); no text is read from elsewhere."),
    gold: Optional[Path] = typer.Option(None, "--gold", exists=True, file_okay=False, help="Gold folder: marks misses and spurious items."),
    out: Path = typer.Option(Path("report.html"), "-o", "--out", help="The HTML file to write."),
) -> None:
    """Write one self-contained HTML page to review the extractions."""
    from .review.view import build_report

    _records(records)  # a message, not a traceback, for a file that is not records
    if gold is not None:
        _gold(gold)
    out.write_text(build_report(records, raw, gold), encoding="utf-8")
    typer.echo(f"review page -> {out}", err=True)


@app.command("events")
def events_table(
    records: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSONL file of records."),
    registry: Optional[Path] = typer.Option(None, "--registry", help="Person registry: participants by its names."),
    fmt: str = typer.Option("csv", "--format", help="csv, jsonl or parquet."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output file (default: stdout; parquet needs one)."),
    with_text: bool = typer.Option(True, "--text/--no-text", help="The span's text, read from each record's source."),
) -> None:
    """One row per event across documents: type, participants by name and id,
    place, date, document and span; for a spreadsheet or DuckDB."""
    import csv
    import io

    from .stages.event_log import COLUMNS, event_rows

    if fmt not in ("csv", "jsonl", "parquet"):
        raise typer.BadParameter("csv, jsonl or parquet", param_hint="--format")
    if fmt == "parquet" and out is None:
        raise typer.BadParameter("parquet needs -o FILE", param_hint="--out")
    recs = [Record.model_validate_json(l) for l in records.read_text(encoding="utf-8").splitlines() if l.strip()]
    names = None
    if registry is not None:
        reg = _open_registry(registry)
        names = {e["id"]: e["name"] for e in reg.describe()}
        names |= {p.entity_id: names.get(reg.current_id(p.entity_id), p.name) for r in recs for p in r.persons}
        reg.close()
    texts = {}
    if with_text:
        for r in recs:
            if r.events and Path(r.source).is_file():
                texts[r.doc_id] = Path(r.source).read_text(encoding=r.encoding or "utf-8", errors="replace")
    rows = event_rows(recs, names, texts)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(
            [(c, pa.int64() if c in ("event", "span_start", "span_end") else pa.string()) for c in COLUMNS])), out)
        typer.echo(f"{len(rows)} events -> {out}", err=True)
        return
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.DictWriter(buf, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    else:
        buf.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if out is None:
        typer.echo(buf.getvalue(), nl=False)
    else:
        out.write_text(buf.getvalue(), encoding="utf-8")
        typer.echo(f"{len(rows)} events -> {out}", err=True)


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
    from .stages.resolution import Registry, RegistryError

    if not (path / "registry.sqlite").exists():
        raise typer.BadParameter(f"no registry in {path} (pressx extract makes one)", param_hint="--registry")
    try:
        return Registry(path)
    except RegistryError as exc:
        fail(str(exc), 2)


@contextmanager
def _registry_errors():
    """Registry failures (locked, disk full) as a message and exit status 2."""
    from .stages.resolution import RegistryError

    try:
        yield
    except RegistryError as exc:
        fail(str(exc), 2)


@entities_app.callback()
def entities(ctx: typer.Context, registry: Optional[Path] = REGISTRY_OPT,
             as_json: bool = typer.Option(False, "--json", help="One JSON array of entities."),
             lock_timeout: Optional[float] = LOCK_OPT) -> None:
    """List the registry's people: id, name, aliases with scripts, documents, roles."""
    from .stages.resolution import default_registry_dir

    _set_lock_timeout(lock_timeout)
    ctx.obj = registry = registry or default_registry_dir()
    if ctx.invoked_subcommand is not None:
        return
    reg = _open_registry(registry)
    with _registry_errors():
        rows = reg.describe()
        for e in rows:
            e["events"] = reg.events_of(e["id"])
    reg.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for e in rows:
        aliases = ", ".join(f"{a['name']} [{a['script']}]" for a in e["aliases"])
        roles = "; ".join(sorted({f"{r['title']} ({r['role_type']})" for r in e["roles"]}))
        met = "; ".join(f"{v['type']} {', '.join(o['name'] for o in v['with']) or '-'}"
                        f" {v['date'] or '?'} {v['city'] or v['country'] or '?'} ({v['doc_id']})" for v in e["events"])
        typer.echo(f"{e['id']}\t{e['name']}\t{e['country'] or '-'}\t{len(e['documents'])} docs\t{aliases}\t{roles}"
                   + (f"\tevents: {met}" if met else ""))


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


def main() -> None:
    """The ``pressx`` command: the app, with messages instead of tracebacks."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("pressx: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `pressx ... | head`
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - the last resort of "no tracebacks"
        if os.environ.get("PRESSX_DEBUG"):
            raise
        typer.echo(f"pressx: error: {type(exc).__name__}: {exc} (PRESSX_DEBUG=1 shows the traceback)", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
