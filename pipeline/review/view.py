"""A review page: each document's text with what pressx found highlighted
(hover or focus shows the normalised value), a people index, and, with gold
annotations, misses and spurious items and the evaluation table. One
self-contained HTML file, rendered with Jinja2 (autoescaped: nothing in a
press release can inject markup)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .evaluate import doc_errors, load_gold, score
from ..run.reading import ReadError, read_document
from ..stages.resolution import script_of
from ..schema import Record

KIND_ORDER = ("role", "country", "city", "date", "person")  # outer to inner when marks nest
KIND_NAMES = {"person": "person", "role": "role", "country": "country", "city": "city", "date": "date"}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str
    value: str  # the normalised value shown on hover/focus
    spurious: bool = False


@dataclass
class Piece:
    text: str
    marks: list[Mark]  # outer first


@dataclass
class DocView:
    doc_id: str
    language: str
    publication_date: str | None
    pieces: list[Piece]
    marks: list[Mark]
    problems: list[str] = field(default_factory=list)
    text_missing: str | None = None
    warnings: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def _event_line(e, names: dict[str, str], skip: str | None = None) -> str:
    """"meeting: A, B · Astana, KZ · 2024-03-12" (``skip``: the person whose events these are)."""
    who = ", ".join(names.get(p, p) for p in e.participants if p != skip) or "—"
    where = ", ".join(x for x in (e.city, e.country) if x) or "place not stated"
    when = e.value or (f"{e.start} – {e.end}" if e.start else "date not stated")
    return f"{e.type}: {who} · {where} · {when}"


def _date_value(d) -> str:
    return d.value or f"{d.start} – {d.end}"


def marks_of(record: Record, spurious: dict | None = None) -> list[Mark]:
    """Every extracted mention with its offsets and normalised value."""
    sp = spurious or {}
    out: list[Mark] = []
    for i, p in enumerate(record.persons):
        for a, b in p.spans:
            out.append(Mark(a, b, "person", f"{p.name} · {p.entity_id}" + (f" · {p.country}" if p.country else ""),
                            i in sp.get("persons", ())))
        for r in p.roles:
            for a, b in r.spans:
                detail = ", ".join(x for x in (r.organization, r.country) if x)
                out.append(Mark(a, b, "role", f"{r.role_type}" + (f" ({detail})" if detail else "") + f" · {p.name}"))
    for c in record.countries:
        for a, b in c.spans:
            out.append(Mark(a, b, "country", f"{c.code} · {c.name}", c.code in sp.get("countries", ())))
    for i, c in enumerate(record.cities):
        for a, b in c.spans:
            out.append(Mark(a, b, "city", f"{c.name}, {c.country} · GeoNames {c.geonameid}", i in sp.get("cities", ())))
    for d in record.dates:
        if d.span:
            key = d.value or (d.start, d.end)
            out.append(Mark(d.span[0], d.span[1], "date", _date_value(d), key in sp.get("dates", ())))
    return sorted(set(out), key=lambda m: (m.start, -m.end, KIND_ORDER.index(m.kind)))


def pieces_of(text: str, marks: list[Mark]) -> list[Piece]:
    """The text cut where marks begin or end; each piece lists the marks over it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        over = sorted((m for m in marks if m.start <= a and b <= m.end),
                      key=lambda m: (KIND_ORDER.index(m.kind), -(m.end - m.start)))
        out.append(Piece(text[a:b], over))
    return out


def _text_for(record: Record, raw_dir: Path | None, records_dir: Path) -> tuple[str | None, str | None]:
    """The record's text, read only from under ``raw_dir`` (``--raw``), else from
    under the records file's own folder: a records file cannot put any file it
    names in ``source`` (/etc/passwd) into the page."""
    root = (raw_dir or records_dir).resolve()
    candidates = [root / f"{record.doc_id}{ext}" for ext in (".txt", ".html", ".htm")]
    source = Path(record.source)
    candidates.append(source if source.is_absolute() else records_dir / source)
    for path in candidates:
        try:
            inside = path.resolve().is_relative_to(root)
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
            continue
        if inside and path.exists():
            try:
                return read_document(path).text, None
            except ReadError as exc:
                return None, f"{path}: {exc}"
    return None, f"text not found under {root} (give the texts' folder with --raw)"


def people_index(records: list[Record]) -> list[dict]:
    people: dict[str, dict] = {}
    for r in records:
        for p in r.persons:
            e = people.setdefault(p.entity_id, {"id": p.entity_id, "names": defaultdict(int), "aliases": set(),
                                                 "documents": [], "roles": set(), "events": []})
            e["names"][p.name] += 1
            e["aliases"].update(p.mentions)
            if r.doc_id not in e["documents"]:
                e["documents"].append(r.doc_id)
            for role in p.roles:
                detail = ", ".join(x for x in (role.organization, role.country) if x)
                e["roles"].add((role.title, role.role_type, detail, r.publication_date or ""))
        names = {p.entity_id: p.name for p in r.persons}
        for ev in r.events:
            for pid in ev.participants:
                if pid in people:
                    people[pid]["events"].append(f"{_event_line(ev, names, skip=pid)} ({r.doc_id})")
    out = []
    for e in people.values():
        out.append({"id": e["id"], "name": max(e["names"], key=lambda n: (e["names"][n], len(n))),
                    "aliases": sorted((a, script_of(a)) for a in e["aliases"]), "documents": e["documents"],
                    "roles": sorted(e["roles"], key=lambda x: (x[3], x[0])), "events": e["events"]})
    return sorted(out, key=lambda e: e["name"].lower())


def build_report(records_path: Path, raw_dir: Path | None = None, gold_dir: Path | None = None) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    from ..run.io import read_records

    records = read_records(records_path)
    gold = {g["doc_id"]: g for g in load_gold(gold_dir)} if gold_dir else {}
    evaluation = score(list(gold.values()), records).as_dict() if gold else None
    docs: list[DocView] = []
    for r in records:
        spurious, problems = {}, []
        if r.doc_id in gold:
            errs = doc_errors(gold[r.doc_id], r.model_dump())
            spurious = {"persons": errs.spurious_persons, "cities": errs.spurious_cities,
                        "countries": errs.spurious_countries, "dates": errs.spurious_dates}
            problems = errs.lines
        text, missing = _text_for(r, raw_dir, records_path.parent)
        marks = marks_of(r, spurious)
        if text is not None:
            marks = [m for m in marks if m.end <= len(text)]
        docs.append(DocView(r.doc_id, r.language, r.publication_date, pieces_of(text, marks) if text else [],
                            marks, problems, missing, r.warnings,
                            [_event_line(e, {p.entity_id: p.name for p in r.persons}) for e in r.events]))
    env = Environment(loader=PackageLoader("pipeline.review", "templates"), autoescape=select_autoescape(default=True))
    template = env.get_template("report.html.j2")
    return template.render(docs=docs, people=people_index(records), evaluation=evaluation,
                           source=str(records_path), kinds=KIND_NAMES, gold=bool(gold))

