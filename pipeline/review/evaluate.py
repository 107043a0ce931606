"""Scoring extractions against gold annotations, by the rules of
GOLD_FORMAT.md: name folding, one-to-one person matching, end-to-end role and
country pairs, code sets, city forms, date values, B-cubed and pairwise
resolution, language and publication-date accuracy."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable

from rapidfuzz import fuzz

from ..schema import ErrorEntry, Record
from ..knowledge.textnorm import fold

FUZZY_MIN = 90
FIELDS = ("persons", "roles", "person_country", "countries", "cities", "dates",
          "interactions", "event_place", "event_date")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    fields: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in FIELDS})
    docs: int = 0
    language_ok: int = 0
    pubdate_ok: int = 0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f: self.fields[f].as_dict() for f in FIELDS}
        out["language_acc"] = round(self.language_ok / self.docs, 4) if self.docs else 0.0
        out["publication_date_acc"] = round(self.pubdate_ok / self.docs, 4) if self.docs else 0.0
        return out


@dataclass
class Result:
    overall: Scores
    by_language: dict[str, Scores]
    bcubed: tuple[float, float, float]
    pairwise: tuple[float, float, float]

    def as_dict(self) -> dict[str, Any]:
        prf = lambda t: {"p": round(t[0], 4), "r": round(t[1], 4), "f1": round(t[2], 4)}  # noqa: E731
        return {"overall": self.overall.as_dict(),
                "by_language": {k: v.as_dict() for k, v in sorted(self.by_language.items())},
                "resolution": {"bcubed": prf(self.bcubed), "pairwise": prf(self.pairwise)}}


# -- loading -----------------------------------------------------------------
def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    path = Path(gold_dir) / "gold.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def predict(raw_dir: Path) -> list[Record]:
    """Extract a gold set's raw texts in one batch with a fresh registry."""
    from ..run.extract import Pipeline

    return [r for r in Pipeline().extract_paths([raw_dir]) if isinstance(r, Record)]


# -- matching ----------------------------------------------------------------
def _key_as_name(key: str | None) -> str:
    return fold((key or "").replace("-", " "))


def match_persons(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: exact folded matches first,
    then token-sort ratio >= 90 with the gold name, best first."""
    pairs: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        exact = {fold(g["name"]), *(fold(m) for m in g.get("mentions", [])), _key_as_name(g.get("entity"))}
        for pi, p in enumerate(pred):
            name = fold(p["name"])
            if name in exact:
                pairs.append((200.0, gi, pi))
            else:
                s = fuzz.token_sort_ratio(name, fold(g["name"]))
                if s >= FUZZY_MIN:
                    pairs.append((s, gi, pi))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _set_prf(gold: set, pred: set) -> tuple[int, int, int]:
    return len(gold & pred), len(pred - gold), len(gold - pred)


def _date_key(d: dict) -> Any:
    if d.get("value"):
        return d["value"]
    if d.get("start") and d.get("end"):
        return (d["start"], d["end"])
    return None


def _city_pairs(gold: list[dict], pred: list[dict]) -> int:
    used: set[int] = set()
    tp = 0
    for g in gold:
        forms = {fold(g["name"]), *(fold(a) for a in g.get("aliases", []))}
        for pi, p in enumerate(pred):
            if pi in used:
                continue
            if {fold(p["name"]), *(fold(m) for m in p.get("mentions", []))} & forms:
                used.add(pi)
                tp += 1
                break
    return tp


@dataclass
class DocComparison:
    doc_id: str
    language: str
    matched: list[tuple[int, int]]
    gold: dict
    pred: dict


def compare_doc(g: dict, p: dict, s: Scores) -> DocComparison:
    gp, pp = g.get("persons", []), p.get("persons", [])
    matched = match_persons(gp, pp)
    s.docs += 1
    s.language_ok += g.get("language") == p.get("language")
    s.pubdate_ok += g.get("publication_date") == p.get("publication_date")
    s.fields["persons"].add(len(matched), len(pp) - len(matched), len(gp) - len(matched))
    # End-to-end pairs: a person's pairs only count as found when the person is matched.
    for field_name, getter in (("roles", lambda x: {r["role_type"] for r in x.get("roles", [])}),
                               ("person_country", lambda x: {x["country"]} if x.get("country") else set())):
        prf = s.fields[field_name]
        mg = {gi: pi for gi, pi in matched}
        for gi, gper in enumerate(gp):
            gset = getter(gper)
            if gi in mg:
                prf.add(*_set_prf(gset, getter(pp[mg[gi]])))
            else:
                prf.add(0, 0, len(gset))
        mp = {pi for _, pi in matched}
        for pi, pper in enumerate(pp):
            if pi not in mp:
                prf.add(0, len(getter(pper)), 0)
    s.fields["countries"].add(*_set_prf(set(g.get("countries", [])), {c["code"] for c in p.get("countries", [])}))
    gc, pc = g.get("cities", []), p.get("cities", [])
    tp = _city_pairs(gc, pc)
    s.fields["cities"].add(tp, len(pc) - tp, len(gc) - tp)
    gd = {_date_key(d) for d in g.get("dates", [])} - {None}
    pd = {_date_key(d) for d in p.get("dates", [])} - {None}
    s.fields["dates"].add(*_set_prf(gd, pd))
    if "events" in g:  # v1 gold has no events: nothing to score there
        ev = compare_events(g, p, matched)
        for name in ("interactions", "event_place", "event_date"):
            s.fields[name].add(*getattr(ev, name))
    return DocComparison(g["doc_id"], g.get("language", "?"), matched, g, p)


# -- events ------------------------------------------------------------------
@dataclass
class EventComparison:
    """One document's event counts (tp, fp, fn) and what differs, for --errors."""

    interactions: tuple[int, int, int]
    event_place: tuple[int, int, int]
    event_date: tuple[int, int, int]
    lines: list[str]


def _interactions(events: list[dict], key) -> set[tuple[str, frozenset]]:
    """(type, {a, b}) per unordered pair of an event's participants; (type, {a}) alone."""
    items: set[tuple[str, frozenset]] = set()
    for e in events:
        people = sorted({key(x) for x in e.get("participants", [])})
        if len(people) == 1:
            items.add((e["type"], frozenset(people)))
        items.update((e["type"], frozenset(pair)) for pair in combinations(people, 2))
    return items


def _place_key(e: dict) -> str | None:
    return fold(e["city"]) if e.get("city") else (e.get("country") or None)


def _event_date_key(e: dict) -> Any:
    if e.get("date") or e.get("value"):
        return e.get("date") or e.get("value")
    return (e["start"], e["end"]) if e.get("start") and e.get("end") else None


def _pair_events(gold: list[dict], pred: list[dict], gkey, pkey) -> list[tuple[int, int]]:
    """Each gold event with the predicted event of its type sharing the most
    participants (at least one), one-to-one, largest overlaps first."""
    cands = []
    for gi, g in enumerate(gold):
        gset = {gkey(x) for x in g.get("participants", [])}
        for pi, p in enumerate(pred):
            if p["type"] == g["type"]:
                shared = len(gset & {pkey(x) for x in p.get("participants", [])})
                if shared:
                    cands.append((-shared, gi, pi))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _key_counts(pairs, gold: list[dict], pred: list[dict], key) -> tuple[int, int, int, list[str]]:
    tp = fp = fn = 0
    lines = []
    pg, pp = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    for gi, pi in pairs:
        gk, pk = key(gold[gi]), key(pred[pi])
        if gk is not None and gk == pk:
            tp += 1
            continue
        fp += pk is not None
        fn += gk is not None
        if gk != pk:
            lines.append(f"{gold[gi]['type']} #{gi + 1}: gold {gk}, got {pk}")
    fn += sum(key(gold[gi]) is not None for gi in range(len(gold)) if gi not in pg)
    fp += sum(key(pred[pi]) is not None for pi in range(len(pred)) if pi not in pp)
    return tp, fp, fn, lines


def compare_events(g: dict, p: dict, matched: list[tuple[int, int]]) -> EventComparison:
    """Interactions, event place and event date of one document (GOLD_FORMAT.md, Events)."""
    gp, pp = g.get("persons", []), p.get("persons", [])
    gold_events, pred_events = g.get("events", []), p.get("events", [])
    # a predicted participant is the gold person it matched, else a person of its own
    pred_as_gold = {pp[pi]["entity_id"]: gp[gi]["entity"] for gi, pi in matched if pp[pi].get("entity_id")}
    gkey = lambda x: x  # noqa: E731
    pkey = lambda x: pred_as_gold.get(x, "?" + x)  # noqa: E731
    gi_items, pi_items = _interactions(gold_events, gkey), _interactions(pred_events, pkey)
    names = {gper["entity"]: gper["name"] for gper in gp} | {"?" + per.get("entity_id", ""): per["name"] for per in pp}
    show = lambda item: f"{item[0]}: {' + '.join(sorted(names.get(x, x) for x in item[1]))}"  # noqa: E731
    lines = [f"missed interaction: {show(i)}" for i in sorted(gi_items - pi_items, key=show)]
    lines += [f"spurious interaction: {show(i)}" for i in sorted(pi_items - gi_items, key=show)]
    pairs = _pair_events(gold_events, pred_events, gkey, pkey)
    paired = {gi for gi, _ in pairs}
    lines += [f"unpaired {e['type']} #{gi + 1}: {', '.join(names.get(x, x) for x in e.get('participants', []))}"
              for gi, e in enumerate(gold_events) if gi not in paired]
    *place, place_lines = _key_counts(pairs, gold_events, pred_events, _place_key)
    *date, date_lines = _key_counts(pairs, gold_events, pred_events, _event_date_key)
    lines += [f"event place of {x}" for x in place_lines] + [f"event date of {x}" for x in date_lines]
    return EventComparison(_set_prf(gi_items, pi_items), tuple(place), tuple(date), lines)


def bcubed(items: list[tuple[str, str]]) -> tuple[float, float, float]:
    """B-cubed over (predicted id, gold id) occurrences."""
    if not items:
        return 0.0, 0.0, 0.0
    by_pred, by_gold = defaultdict(list), defaultdict(list)
    for i, (pid, gid) in enumerate(items):
        by_pred[pid].append(i)
        by_gold[gid].append(i)
    p = r = 0.0
    for pid, gid in items:
        pc, gc = by_pred[pid], by_gold[gid]
        common = sum(1 for j in pc if items[j][1] == gid)
        p += common / len(pc)
        r += common / len(gc)
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(items: list[tuple[str, str]]) -> tuple[float, float, float]:
    """Precision and recall of same-entity decisions over occurrence pairs."""
    tp = fp = fn = 0
    for (p1, g1), (p2, g2) in combinations(items, 2):
        same_p, same_g = p1 == p2, g1 == g2
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _by_doc_id(preds: Iterable[Record | ErrorEntry | dict]) -> dict[str, dict]:
    """Predictions as dicts by doc id; a document that failed counts as empty."""
    out = {}
    for r in preds:
        if not isinstance(r, ErrorEntry):
            d = r.model_dump() if isinstance(r, Record) else r
            out[d["doc_id"]] = d
    return out


def score(gold: list[dict], preds: Iterable[Record | ErrorEntry | dict]) -> Result:
    pred_by_id = _by_doc_id(preds)
    overall = Scores()
    by_lang: dict[str, Scores] = defaultdict(Scores)
    occurrences: list[tuple[str, str]] = []
    for g in gold:
        p = pred_by_id.get(g["doc_id"], {"doc_id": g["doc_id"], "persons": []})
        cmp = compare_doc(g, p, overall)
        compare_doc(g, p, by_lang[g.get("language", "?")])
        for gi, pi in cmp.matched:
            occurrences.append((p["persons"][pi]["entity_id"], g["persons"][gi]["entity"]))
    return Result(overall, dict(by_lang), bcubed(occurrences), pairwise(occurrences))


def format_table(result: Result) -> str:
    langs = sorted(result.by_language)
    cols = ["overall", *langs]
    rows = [f"{'field':<22}" + "".join(f"{c:>20}" for c in cols)]
    scores = [result.overall, *(result.by_language[l] for l in langs)]
    for f in FIELDS:
        cells = "".join(f"{s.fields[f].p:>8.2f}/{s.fields[f].r:.2f}/{s.fields[f].f1:.2f}" for s in scores)
        rows.append(f"{f:<22}{cells}")
    for name, attr in (("language_acc", "language_ok"), ("publication_date_acc", "pubdate_ok")):
        rows.append(f"{name:<22}" + "".join(f"{getattr(s, attr) / max(s.docs, 1):>20.2f}" for s in scores))
    rows.append("")
    rows.append("cells: P/R/F1   resolution B-cubed P/R/F1 {:.2f}/{:.2f}/{:.2f}   pairwise {:.2f}/{:.2f}/{:.2f}".format(
        *result.bcubed, *result.pairwise))
    return "\n".join(rows)


@dataclass
class DocErrors:
    """Why a document's extraction differs from its gold annotation."""

    lines: list[str] = field(default_factory=list)  # "missed person: X", "spurious city: Y", ...
    spurious_persons: set[int] = field(default_factory=set)  # indices into the prediction's lists
    spurious_cities: set[int] = field(default_factory=set)
    spurious_countries: set[str] = field(default_factory=set)
    spurious_dates: set = field(default_factory=set)  # date keys (value or (start, end))


def doc_errors(g: dict, p: dict) -> DocErrors:
    out = DocErrors()
    gp, pp = g.get("persons", []), p.get("persons", [])
    matched = match_persons(gp, pp)
    mg, mp = {gi for gi, _ in matched}, {pi for _, pi in matched}
    out.lines += [f"missed person: {gp[i]['name']}" for i in range(len(gp)) if i not in mg]
    out.spurious_persons = {i for i in range(len(pp)) if i not in mp}
    out.lines += [f"spurious person: {pp[i]['name']}" for i in sorted(out.spurious_persons)]
    for gi, pi in matched:
        gr = {r["role_type"] for r in gp[gi].get("roles", [])}
        pr = {r["role_type"] for r in pp[pi].get("roles", [])}
        out.lines += [f"missed role: {gp[gi]['name']} / {r}" for r in sorted(gr - pr)]
        out.lines += [f"spurious role: {pp[pi]['name']} / {r}" for r in sorted(pr - gr)]
        if gp[gi].get("country") != pp[pi].get("country"):
            out.lines.append(f"country of {gp[gi]['name']}: gold {gp[gi].get('country')}, got {pp[pi].get('country')}")
    gcs, pcs = set(g.get("countries", [])), {c["code"] for c in p.get("countries", [])}
    out.lines += [f"missed country: {c}" for c in sorted(gcs - pcs)]
    out.spurious_countries = pcs - gcs
    out.lines += [f"spurious country: {c}" for c in sorted(out.spurious_countries)]
    for c in g.get("cities", []):
        if not _city_pairs([c], p.get("cities", [])):
            out.lines.append(f"missed city: {c['name']} ({', '.join(c.get('aliases', []))})")
    gold_as_pred = [{"name": x["name"], "mentions": x.get("aliases", [])} for x in g.get("cities", [])]
    for i, c in enumerate(p.get("cities", [])):
        if not _city_pairs([{"name": c["name"], "aliases": c.get("mentions", [])}], gold_as_pred):
            out.spurious_cities.add(i)
            out.lines.append(f"spurious city: {c['name']} ({', '.join(c.get('mentions', []))})")
    gd = {_date_key(d): d.get("text") for d in g.get("dates", [])}
    pd = {_date_key(d): d.get("text") for d in p.get("dates", [])}
    out.lines += [f"missed date: {gd[k]!r} = {k}" for k in gd if k not in pd and k is not None]
    out.spurious_dates = {k for k in pd if k not in gd and k is not None}
    out.lines += [f"spurious date: {pd[k]!r} = {k}" for k in pd if k in out.spurious_dates]
    if g.get("publication_date") != p.get("publication_date"):
        out.lines.append(f"publication date: gold {g.get('publication_date')}, got {p.get('publication_date')}")
    if "events" in g:
        out.lines += compare_events(g, p, matched).lines
    return out


EMPTY_PREDICTION = {"persons": [], "countries": [], "cities": [], "dates": [], "events": []}


def error_report(gold: list[dict], preds: Iterable[Record | ErrorEntry | dict]) -> str:
    """Per document: missed and spurious persons, roles, countries, cities, dates."""
    pred_by_id = _by_doc_id(preds)
    lines: list[str] = []
    for g in gold:
        errs = doc_errors(g, pred_by_id.get(g["doc_id"], EMPTY_PREDICTION))
        if errs.lines:
            lines.append(f"{g['doc_id']} ({g.get('language')}):")
            lines.extend("  " + line for line in errs.lines)
    return "\n".join(lines)
