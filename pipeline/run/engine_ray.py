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

import gc
import logging
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .extract import Pipeline, Settings, _init_worker, _work_batch
from .io import DocKey, Reuse, Summary
from .reading import INPUT_SUFFIXES, Document, ReadError, collect_inputs, doc_ids, is_uri, read_bytes, read_document, \
    source_of
from ..schema import ErrorEntry, Record

RAY_MISSING = "--engine ray needs Ray Data: pip install 'pressx[ray]'"
MAX_BLOCKS = 2_000  # blocks of one batch up to this many: Ray tracks an object and a task per block
MAX_BLOCK = 1_000  # past that, documents per block, so an archive of millions is no more than thousands of blocks


def require_ray() -> Any:
    """The ray module, or a RuntimeError that says how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(RAY_MISSING) from exc
    return ray


@dataclass(frozen=True)
class Input:
    """One document to read: where the actor reads it, and what the record calls it."""

    location: str  # absolute local path or URI: actors may run elsewhere than the driver's cwd
    source: str  # as a local run writes it (the absolute path, or the URI)
    doc_id: str
    renamed: str | None = None  # the warning of a doc id made distinct (``NAME~2``)


def list_inputs(paths: list[str | Path]) -> list[Input]:
    """Files named and the .txt/.html files under folders or URI prefixes named,
    each folder sorted, in the order given, with the doc ids of a local run."""
    out: list[Input] = []
    for p in paths:
        if not is_uri(p):
            files = collect_inputs([p])
            out += [Input(str(Path(f).absolute()), source_of(f), doc_id, renamed)
                    for f, (doc_id, renamed) in zip(files, doc_ids(files))]
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
            doc = read_document(item.location, max_bytes=max_bytes, doc_id=item.doc_id)
        else:
            from pyarrow import fs as pafs

            filesystem, path = pafs.FileSystem.from_uri(item.location)
            try:
                size = filesystem.get_file_info(path).size or 0
                if size > max_bytes:
                    raise ReadError(f"document is over the limit of {max_bytes} bytes (--max-bytes)")
                with filesystem.open_input_stream(path) as fh:
                    data = fh.read(max_bytes + 1)
            except OSError as exc:
                raise ReadError(f"cannot read file: {exc}") from exc
            html = True if Path(path).suffix.lower() in {".html", ".htm"} else None
            doc = read_bytes(data, doc_id=item.doc_id, source=item.source, html=html, max_bytes=max_bytes)
    except ReadError as exc:
        return ErrorEntry(doc_id=item.doc_id, source=item.source, stage="reading", reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever goes wrong stays with this document
        return ErrorEntry(doc_id=item.doc_id, source=item.source, stage="reading",
                          reason=f"{type(exc).__name__}: {exc}")
    doc.source = item.source
    if item.renamed:
        doc.warnings.append(item.renamed)
    return doc


class Analyser:
    """The Ray Data callable class: one per actor, models loaded once per actor
    (the NER caches live in the actor's process), analysis up to resolution."""

    def __init__(self, settings: Settings, done: frozenset[DocKey] = frozenset()):
        _init_worker(settings)  # BLAS to one thread per actor, a Pipeline of its own
        self.settings = settings
        self.done = done

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        # What outlives a batch is the models (loaded by the first batches, per language)
        # and the per-word caches: collected and frozen at each batch's start, the full collections of the
        # cyclic GC no longer walk them again and again (they took a sixth of an actor's
        # CPU). The previous batch's documents are gone by now, so none of them is frozen.
        gc.collect()
        gc.freeze()
        items: list[Document | ErrorEntry | DocKey] = []
        for location, source, doc_id, renamed in zip(batch["location"], batch["source"], batch["doc_id"],
                                                     batch["renamed"]):
            doc = read_input(Input(str(location), str(source), str(doc_id), str(renamed) or None),
                             self.settings.max_bytes)
            key = (doc.doc_id, doc.source, doc.content_hash) if isinstance(doc, Document) else None
            items.append(key if key in self.done else doc)  # done: the driver has its record
        todo = [i for i in items if not isinstance(i, tuple)]
        analysed = iter(_work_batch(todo)) if todo else iter(())
        out = [i if isinstance(i, tuple) else next(analysed) for i in items]
        return {"index": list(batch["index"]), "payload": [pickle.dumps(o) for o in out]}


def block_count(n_docs: int, batch_size: int) -> int:
    """Blocks to cut the input into. A block is one task on one actor, and an actor
    holds at most two, so at the end of a run one actor can be left with two blocks
    while the others idle: blocks of one batch keep that tail to seconds (blocks of 90
    documents left a tenth of a 1,500-document run to one of 2 CPUs). Past
    ``MAX_BLOCKS`` batches, blocks grow (up to ``MAX_BLOCK`` documents, or more
    blocks), the tail staying a small part of a long run."""
    batches = -(-n_docs // batch_size)
    return max(1, min(batches, max(MAX_BLOCKS, -(-n_docs // MAX_BLOCK))))


def analysed_items(inputs: list[Input], settings: Settings, done: frozenset[DocKey], batch_size: int,
                   progress: bool) -> Iterator[Record | ErrorEntry | DocKey]:
    """Analysed items (or the keys of those already done), in input order."""
    import ray
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # resolution sees the input order, as in a local run
    ctx.enable_progress_bars = progress
    ctx.memory_usage_poll_interval_s = None  # no thread in each actor reading its memory every second
    if not progress:  # --no-progress: Ray Data's own progress lines too
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    rows = [{"index": i, "location": x.location, "source": x.source, "doc_id": x.doc_id, "renamed": x.renamed or ""}
            for i, x in enumerate(inputs)]
    batch_size = max(1, min(batch_size, -(-len(rows) // cpus)))  # a short input still gives every actor work
    blocks = block_count(len(rows), batch_size)
    ds = ray.data.from_items(rows, override_num_blocks=blocks)
    # enable_true_multi_threading: with one call at a time per actor (Ray's default
    # max_concurrency), the analysis runs in the actor's main thread rather than a
    # thread of Ray Data's, so --doc-timeout's SIGALRM watchdog holds there too
    pool = ray.data.ActorPoolStrategy(size=min(cpus, blocks), enable_true_multi_threading=True)
    ds = ds.map_batches(Analyser, fn_constructor_kwargs={"settings": settings, "done": done},
                        batch_size=batch_size, compute=pool, num_cpus=1)
    expect = 0
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for index, payload in zip(batch["index"], batch["payload"]):
            if int(index) != expect:  # resolution in another order would give other ids
                raise RuntimeError(f"Ray Data returned document {int(index)} where {expect} was due")
            expect += 1
            yield pickle.loads(payload)


# A local Ray runs on the machine of its one run: no metrics agent to feed, no task
# events for a dashboard that is not there, no usage report sent home (on two cores
# every CPU second of Ray's own is taken from the analysis). And its workers run at
# the priority pressx was started with, as --workers' processes do: Ray starts them
# at nice 15 (worker_niceness) so that a cluster node's services come first, which
# on a shared machine hands the analysis to any other job that is niced less.
LOCAL_SYSTEM_CONFIG = {"enable_metrics_collection": False, "task_events_report_interval_ms": 0,
                       "worker_niceness": 0}


def start_ray(address: str | None, num_cpus: int | None = None) -> bool:
    """Join the cluster at ``address``, or start a local Ray (``num_cpus``: all by
    default); False if this process was connected already."""
    ray = require_ray()
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, logging_level="WARNING", log_to_driver=False)
    else:
        # The raylet, started here, hands this process's environment (PYTHONPATH of a
        # source checkout, PRESSX_* settings) to every worker: no runtime_env needed, so
        # the workers Ray starts ahead with ray.init serve the actors too.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=num_cpus, include_dashboard=False, logging_level="WARNING", log_to_driver=False,
                 _system_config=LOCAL_SYSTEM_CONFIG)
    return True


class RayEngine:
    """The engine of ``--engine ray`` for ``io.run_extraction``: inputs listed in
    the driver (local paths and URIs), analysis in the actor pool, resolution in
    the driver in input order; the writing loop is the local run's."""

    def __init__(self, address: str | None = None, num_cpus: int | None = None, batch_size: int | None = None):
        """``batch_size``: documents per call of an actor; by default a local run's batch
        (``Settings.batch_size``), so each actor's NER gets batches of the same size."""
        self.address, self.num_cpus, self.batch_size = address, num_cpus, batch_size

    def inputs(self, paths: list[str | Path]) -> list[Input]:
        return list_inputs(paths)

    @contextmanager
    def session(self) -> Iterator[None]:
        started = start_ray(self.address, self.num_cpus)
        try:
            yield
        finally:
            if started:  # a Ray this run started ends with it (actors included: none outlive the run)
                import ray

                ray.shutdown()

    def items(self, pipeline: Pipeline, inputs: list[Input], reuse: Reuse,
              done: frozenset[DocKey]) -> Iterator[Record | ErrorEntry]:
        for item in analysed_items(inputs, pipeline.settings, done, self.batch_size or pipeline.settings.batch_size,
                                   progress=False):  # io's bar counts the documents
            if isinstance(item, tuple):  # kept from before: resolved again, so the registry ends the same
                item = reuse(item)
            yield pipeline._resolve(item)


def run_ray_extraction(paths: list[str | Path], out: Path, registry_dir: Path | None = None, *,
                       address: str | None = None, num_cpus: int | None = None, **options: Any) -> Summary:
    """``io.run_extraction`` on Ray (from Python: the CLI's ``--engine ray``)."""
    from .io import run_extraction

    require_ray()
    return run_extraction(paths, out, registry_dir, engine=RayEngine(address, num_cpus), **options)
