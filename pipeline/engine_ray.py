"""``pressx extract --engine ray``: the same records as a local run, on Ray Data.

    pressx extract --engine ray [--address ray://head:10001] data/raw s3://bucket/archive/

- reading: local paths, and ``s3://``-, ``gs://``- or ``hdfs://``-style URIs
  through pyarrow's filesystems, listed in the driver (sorted, as a local run
  lists a folder) and read inside the actors;
- analysis: ``map_batches`` with a callable class, a fixed pool of one actor
  per CPU of the cluster; each actor loads the models once and analyses batch
  after batch (everything up to resolution, as a ``--workers`` process does);
- resolution: the last step, in the driver, in input order (Ray Data keeps
  the order), through ``Pipeline._resolve``, because entity ids are global:
  the same registry, the same ids as a local run, whatever the cluster size.

Records stream to ``OUT.partial`` as in a local run (``io.py``), so a killed
run resumes with ``--resume``: actors hash each document and hand back those
already written without analysing them. Without ``address`` a local Ray
starts on this machine; with one the run joins that cluster, whose nodes
need pressx installed (``pip install 'pressx[ray]'``).

Items cross from actors to the driver pickled, not as JSON: a record before
resolution holds private state (events name their people by index until ids
exist) that JSON would drop."""
from __future__ import annotations

import logging
import os
import pickle
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .extract import Pipeline, Settings, _init_worker, _work_batch
from .io import FLUSH_SECONDS, Summary, _done_by_hash, errors_path_for, partial_path_for
from .reading import DEFAULT_MAX_BYTES, INPUT_SUFFIXES, Document, ReadError, collect_inputs, read_bytes, read_document
from .resolution import Registry
from .schema import ErrorEntry, Record

RAY_MISSING = "--engine ray needs Ray Data: pip install 'pressx[ray]'"
ACTOR_BATCH = 16  # documents per actor call: small enough to keep every actor busy on short inputs


def require_ray() -> Any:
    """The ray module, or a RuntimeError that says how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(RAY_MISSING) from exc
    return ray


def is_uri(path: str | Path) -> bool:
    return "://" in str(path)


_MANGLED_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):(/.*)$")


def as_uri(path: Path | str) -> Path | str:
    """A command-line path back as the URI it was: ``Path("s3://b/k")`` reads
    ``s3:/b/k`` (pathlib folds the double slash), which names no local file."""
    m = _MANGLED_URI.match(str(path))
    if m is None or Path(path).exists():
        return path
    scheme, rest = m.groups()
    return f"{scheme}://{rest}" if scheme == "file" else f"{scheme}://{rest.lstrip('/')}"


@dataclass(frozen=True)
class Input:
    """One document to read: where the actor reads it, and what the record calls it."""

    location: str  # absolute local path or URI: actors may run elsewhere than the driver's cwd
    source: str  # as a local run writes it (the path as given, or the URI)
    doc_id: str


def list_inputs(paths: list[str | Path]) -> list[Input]:
    """Files named and the .txt/.html files under folders or URI prefixes named,
    each folder sorted, in the order given (as ``collect_inputs``)."""
    out: list[Input] = []
    for p in paths:
        if not is_uri(p):
            out += [Input(str(f.resolve()), str(f), f.stem) for f in collect_inputs([p])]
            continue
        from pyarrow import fs as pafs

        filesystem, root = pafs.FileSystem.from_uri(str(p))
        scheme = str(p).split("://", 1)[0]
        info = filesystem.get_file_info(root)
        if info.type == pafs.FileType.Directory:
            files = sorted(f.path for f in filesystem.get_file_info(pafs.FileSelector(root, recursive=True))
                           if f.type == pafs.FileType.File and Path(f.path).suffix.lower() in INPUT_SUFFIXES)
        else:
            files = [root]
        out += [Input(f"{scheme}://{f}", f"{scheme}://{f}", Path(f).stem) for f in files]
    return out


def read_input(item: Input, max_bytes: int) -> Document | ErrorEntry:
    """The document, or its error entry (stage ``reading``) as a local run gives it."""
    try:
        if not is_uri(item.location):
            doc = read_document(item.location, max_bytes=max_bytes)
        else:
            from pyarrow import fs as pafs

            filesystem, path = pafs.FileSystem.from_uri(item.location)
            try:
                size = filesystem.get_file_info(path).size or 0
                if size > max_bytes:
                    raise ReadError(f"document is {size} bytes, over the limit of {max_bytes}")
                with filesystem.open_input_stream(path) as fh:
                    data = fh.read()
            except OSError as exc:
                raise ReadError(f"cannot read file: {exc}") from exc
            html = True if Path(path).suffix.lower() in {".html", ".htm"} else None
            doc = read_bytes(data, doc_id=item.doc_id, source=item.source, html=html, max_bytes=max_bytes)
    except ReadError as exc:
        return ErrorEntry(doc_id=item.doc_id, source=item.source, stage="reading", reason=str(exc))
    doc.source = item.source
    return doc


class Analyser:
    """The Ray Data callable class: one per actor, models loaded once per actor
    (the NER caches live in the actor's process), analysis up to resolution."""

    def __init__(self, settings: Settings, done: frozenset[str] = frozenset()):
        _init_worker(settings)  # BLAS to one thread per actor, a Pipeline of its own
        self.settings = settings
        self.done = done

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        items: list[Document | ErrorEntry | str] = []
        for location, source, doc_id in zip(batch["location"], batch["source"], batch["doc_id"]):
            doc = read_input(Input(str(location), str(source), str(doc_id)), self.settings.max_bytes)
            if isinstance(doc, Document) and doc.content_hash in self.done:
                items.append(doc.content_hash)  # written by an earlier run: the driver has its record
            else:
                items.append(doc)
        todo = [i for i in items if not isinstance(i, str)]
        analysed = iter(_work_batch(todo)) if todo else iter(())
        out = [i if isinstance(i, str) else next(analysed) for i in items]
        return {"index": list(batch["index"]), "payload": [pickle.dumps(o) for o in out]}


def analysed_items(inputs: list[Input], settings: Settings, done: frozenset[str], batch_size: int,
                   progress: bool) -> Iterator[Record | ErrorEntry | str]:
    """Analysed items (or content hashes of those already done), in input order."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # resolution sees the input order, as in a local run
    ctx.enable_progress_bars = progress
    if not progress:  # --no-progress: Ray Data's own progress lines too
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    rows = [{"index": i, "location": x.location, "source": x.source, "doc_id": x.doc_id}
            for i, x in enumerate(inputs)]
    # no more documents per call than gives each actor work on a short input
    batch_size = max(1, min(batch_size, -(-len(rows) // cpus)))
    # blocks of one batch while that keeps every actor fed; of up to 1,000 documents on
    # a large archive (fewer objects for Ray to track; each is still split into batches)
    blocks = min(-(-len(rows) // batch_size), max(8 * cpus, -(-len(rows) // 1000)))
    ds = ray.data.from_items(rows, override_num_blocks=blocks)
    ds = ds.map_batches(Analyser, fn_constructor_kwargs={"settings": settings, "done": done},
                        batch_size=batch_size, compute=ray.data.ActorPoolStrategy(size=min(cpus, blocks)),
                        num_cpus=1)
    expect = 0
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for index, payload in zip(batch["index"], batch["payload"]):
            if int(index) != expect:  # resolution in another order would give other ids
                raise RuntimeError(f"Ray Data returned document {int(index)} where {expect} was due")
            expect += 1
            yield pickle.loads(payload)


def start_ray(address: str | None, num_cpus: int | None = None) -> bool:
    """Join the cluster at ``address``, or start a local Ray (``num_cpus``: all by
    default); False if this process was connected already."""
    ray = require_ray()
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, logging_level="WARNING", log_to_driver=False)
    else:
        env = {k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}  # a source checkout's workers
        ray.init(num_cpus=num_cpus, include_dashboard=False, logging_level="WARNING", log_to_driver=False,
                 runtime_env={"env_vars": env} if env else None)
    return True


def run_ray_extraction(paths: list[str | Path], out: Path, registry_dir: Path | None = None,
                       max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = True, resume: bool = False,
                       address: str | None = None, num_cpus: int | None = None,
                       batch_size: int = ACTOR_BATCH) -> Summary:
    """``run_extraction`` on Ray: the same files (records, errors), the same resume."""
    require_ray()
    inputs = list_inputs(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    err_path = errors_path_for(out)
    done_lines = _done_by_hash(out) if resume else {}
    started = start_ray(address, num_cpus)
    registry = Registry(registry_dir)
    pipeline = Pipeline(registry=registry, settings=Settings(max_bytes=max_bytes))
    n_rec = n_err = n_old = 0
    tmp_out, tmp_err = partial_path_for(out), partial_path_for(err_path)
    flushed = time.monotonic()
    try:
        with tmp_out.open("w", encoding="utf-8") as fo, tmp_err.open("w", encoding="utf-8") as fe:
            items = analysed_items(inputs, pipeline.settings, frozenset(done_lines), batch_size, progress) \
                if inputs else iter(())
            for item in items:
                if isinstance(item, str):  # kept from before: resolved again, so the registry ends the same
                    n_old += 1
                    item = Record.model_validate_json(done_lines[item])
                item = pipeline._resolve(item)
                line = item.model_dump_json() + "\n"
                if isinstance(item, ErrorEntry):
                    fe.write(line)
                    n_err += 1
                else:
                    fo.write(line)
                    n_rec += 1
                if time.monotonic() - flushed >= FLUSH_SECONDS:
                    fo.flush()
                    fe.flush()
                    flushed = time.monotonic()
            for fh in (fo, fe):
                fh.flush()
                os.fsync(fh.fileno())
        tmp_out.replace(out)
        if n_err:
            tmp_err.replace(err_path)
        else:
            tmp_err.unlink()
            err_path.unlink(missing_ok=True)
    finally:
        tmp_err.unlink(missing_ok=True)
        registry.close()
        if started:  # a Ray this run started ends with it (actors included: none outlive the run)
            import ray

            ray.shutdown()
    return Summary(n_rec, n_err, err_path, n_old)
