"""Resolution benchmark: accuracy on real officials' names, speed at scale.

Accuracy: every spelling of every person in ``tests/data/officials.tsv``
(officials of eight states in the spellings of nine languages, with
same-surname crowds and namesakes) is fed to ``Registry.resolve`` one at a
time, in a shuffled order, with the spelling's language, and with or
without the person's state and kind of office as evidence. Reported:
pairwise P / R / F1, precision without true namesakes (pairs of different
people who share a spelling are not counted against it), B-cubed P / R / F1,
how many same-person spelling pairs the name test accepts, and whether
blocking compares every pair the name test accepts.

Speed: synthetic mentions with realistic spelling variation (Turkic
syllables and endings, several romanisations, Cyrillic, initials), for
several sizes, in mentions per second.

    python scripts/bench_resolution.py [--sizes 10000 30000] [--seeds 1 2 3] [--json]
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from pipeline.run.heap import long_run_collector
from pipeline.stages.resolution import Entity, Registry, name_keys, same_name
from pipeline.schema import Role

ROOT = Path(__file__).resolve().parents[1]
OFFICIALS = ROOT / "tests" / "data" / "officials.tsv"


# -- the officials list ------------------------------------------------------
def load_officials(path: Path = OFFICIALS) -> list[dict]:
    """People: id, state, office, spellings [(lang, name)]."""
    people = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pid, state, office, *spellings = line.split("\t")
        people.append({"id": pid, "state": state, "office": office,
                       "spellings": list(dict.fromkeys(tuple(s.split(":", 1)) for s in spellings))})
    return people


def mentions_of(people: list[dict], seed: int) -> list[tuple[str, str, dict]]:
    """(name, lang, person) for every spelling, shuffled."""
    out = [(name, lang, p) for p in people for lang, name in p["spellings"]]
    random.Random(seed).shuffle(out)
    return out


def _pairs(c: Counter) -> int:
    return sum(v * (v - 1) // 2 for v in c.values())


def prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(assign: list[tuple[str, str]], namesakes: set[frozenset[str]] = frozenset()) -> dict:
    """Pairwise P / R / F1 over (predicted, true) cluster labels, and the
    precision when pairs of true namesakes (different people sharing a
    spelling) are not counted as false merges."""
    both = Counter(assign)
    pred = Counter(p for p, _ in assign)
    true = Counter(t for _, t in assign)
    tp, pp, tt = _pairs(both), _pairs(pred), _pairs(true)
    by_pred: dict[str, Counter] = defaultdict(Counter)
    for p, t in assign:
        by_pred[p][t] += 1
    namesake_fp = sum(a_n * b_n for c in by_pred.values()
                      for (a, a_n), (b, b_n) in itertools.combinations(c.items(), 2)
                      if frozenset((a, b)) in namesakes)
    p, r, f = prf(tp / max(pp, 1), tp / max(tt, 1))
    return {"P": p, "R": r, "F1": f, "P_without_namesakes": tp / max(pp - namesake_fp, 1)}


def bcubed(assign: list[tuple[str, str]]) -> dict:
    both = Counter(assign)
    pred = Counter(p for p, _ in assign)
    true = Counter(t for _, t in assign)
    n = len(assign)
    p = sum(both[(a, b)] / pred[a] for a, b in assign) / n
    r = sum(both[(a, b)] / true[b] for a, b in assign) / n
    return dict(zip(("P", "R", "F1"), prf(p, r)))


def true_namesakes(people: list[dict]) -> set[frozenset[str]]:
    """Pairs of different people who share a spelling (case aside)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for p in people:
        for _, name in p["spellings"]:
            by_name[name.casefold()].add(p["id"])
    return {frozenset(pair) for ids in by_name.values() for pair in itertools.combinations(sorted(ids), 2)}


def accuracy(people: list[dict], seed: int, with_state: bool) -> dict:
    reg = Registry()
    assign = []
    for i, (name, lang, p) in enumerate(mentions_of(people, seed)):
        roles = [Role(title=p["office"], role_type=p["office"], country=p["state"])] if with_state else []
        eid = reg.resolve(name, [name], f"doc-{i}", roles, p["state"] if with_state else None, None, lang)
        assign.append((eid, p["id"]))
    out = {"pairwise": pairwise(assign, true_namesakes(people)), "bcubed": bcubed(assign),
           "mentions": len(assign), "people": len(people), "entities": len(set(e for e, _ in assign))}
    return out


def name_test(people: list[dict], crowded: int = Registry.crowded) -> dict:
    """Same-person spelling pairs the name test accepts; and whether blocking
    puts every accepted pair (same person or not, within a surname crowd) in
    a shared block. ``crowded=0`` splits every block of three or more spellings
    by given name, as a registry splits its crowded ones: the given-name
    subkeys must keep every accepted pair too."""
    same_total = same_ok = 0
    misses = []
    for p in people:
        for (la, a), (lb, b) in itertools.combinations(p["spellings"], 2):
            same_total += 1
            if same_name(a, b, la, lb):
                same_ok += 1
            else:
                misses.append(f"{a} / {b}")
    spellings = [(lang, name) for p in people for lang, name in p["spellings"]]
    reg = Registry()  # every spelling its own entity, indexed as the registry indexes aliases
    reg.crowded = crowded
    for i, (lang, name) in enumerate(spellings):
        ent = Entity(str(i), name)
        reg.entities[ent.id] = ent
        reg._index(ent, name, lang)
    accepted = lost = 0
    lost_pairs = []
    nks = [name_keys(name, lang) for lang, name in spellings]
    # pairs whose surname keys are alike at all (the name test rejects the rest)
    sim = cdist([nk.surname_keys[0] for nk in nks], [nk.surname_keys[0] for nk in nks],
                scorer=fuzz.ratio, score_cutoff=50, workers=1)
    for i, j in zip(*np.nonzero(sim)):
        if i >= j or not same_name(spellings[i][1], spellings[j][1], spellings[i][0], spellings[j][0]):
            continue
        for a, b in ((i, j), (j, i)):  # either may come first
            accepted += 1
            if str(b) not in set(reg._candidates(nks[a])):
                lost += 1
                lost_pairs.append(f"{spellings[a][1]} -> {spellings[b][1]}")
    return {"same_pairs": same_total, "same_accepted": same_ok, "same_rate": same_ok / max(same_total, 1),
            "misses": misses, "accepted_pairs": accepted, "not_compared": lost, "not_compared_pairs": lost_pairs[:20]}


# -- speed on synthetic names ------------------------------------------------
GIVEN = ["nur", "sul", "tan", "er", "lan", "bak", "yt", "as", "kar", "ay", "gul", "dar", "han", "ze", "ri",
         "mu", "rat", "ka", "nat", "dau", "ren", "ba", "ur", "jan", "sha", "vkat", "i", "lham", "ra", "mil",
         "tal", "gat", "ser", "dar", "az", "mat", "ti", "mur", "ol", "zhas", "a", "li", "bol", "ot", "al", "mas"]
SURN = ["amr", "nazar", "tok", "mirzi", "ali", "bayr", "kuluba", "omural", "shamur", "sharshemb", "kasym",
        "jumab", "rakhim", "sadyk", "kozhakh", "tash", "ermek", "usen", "abdull", "karim", "nurl", "sultan",
        "iskak", "bekm", "tursun", "zhol", "dzhumag", "khodzh", "yusup", "myrzakh", "toktog", "alim", "ayd"]
ENDINGS = ["ov", "ev", "yev", "bayev", "bekov", "uly", "oglu", "zade", "iyev", "aliyev"]
CYR = {"sh": "ш", "zh": "ж", "kh": "х", "ch": "ч", "ya": "я", "yu": "ю", "a": "а", "b": "б", "v": "в", "g": "г",
       "d": "д", "e": "е", "z": "з", "i": "и", "y": "ы", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
       "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "j": "дж", "h": "х", "q": "к"}
SWAPS = [("y", "i"), ("i", "y"), ("zh", "j"), ("j", "zh"), ("dzh", "j"), ("kh", "h"), ("sh", "ş"),
         ("yev", "ev"), ("iyev", "iev"), ("s", "ss"), ("k", "kk")]


def _word(rng: random.Random, parts: list[str], n: int) -> str:
    return "".join(rng.choice(parts) for _ in range(n))


def to_cyrillic(name: str) -> str:
    out, i = [], 0
    low = name.lower()
    while i < len(low):
        two = low[i:i + 2]
        if two in CYR:
            out.append(CYR[two])
            i += 2
        else:
            out.append(CYR.get(low[i], low[i]))
            i += 1
    return " ".join(w[:1].upper() + w[1:] for w in "".join(out).split(" "))


def _variant(rng: random.Random, given: str, surname: str) -> str:
    r = rng.random()
    if r < 0.15:
        return to_cyrillic(f"{given} {surname}")
    if r < 0.25:
        return f"{given[0].upper()}. {surname.title()}"
    g, s = given, surname
    for _ in range(rng.randint(0, 2)):
        a, b = rng.choice(SWAPS)
        s = s.replace(a, b, 1) if rng.random() < 0.7 else s
        g = g.replace(a, b, 1) if rng.random() < 0.3 else g
    return f"{g.title()} {s.title()}"


def synthetic_iter(n_mentions: int, seed: int = 7) -> Iterator[tuple[str, int]]:
    """(spelling, person) for ``n_mentions`` mentions of ``n_mentions // 5`` people,
    one at a time (ten million mentions do not fit in a list beside the registry)."""
    rng = random.Random(seed)
    people, seen = [], set()
    while len(people) < max(1, n_mentions // 5):
        g = _word(rng, GIVEN, rng.randint(2, 3))
        s = _word(rng, SURN, 1) + _word(rng, GIVEN, rng.randint(0, 2)) + rng.choice(ENDINGS)
        if (g, s) not in seen:
            seen.add((g, s))
            people.append((g, s))
    del seen
    for _ in range(n_mentions):
        pid = rng.randrange(len(people))
        yield _variant(rng, *people[pid]), pid


def synthetic(n_mentions: int, seed: int = 7) -> list[tuple[str, int]]:
    return list(synthetic_iter(n_mentions, seed))


def speed(n: int) -> dict:
    mentions = synthetic(n)
    reg = Registry()
    t0 = time.perf_counter()
    with long_run_collector():  # the collector as a pressx run has it
        assign = [(reg.resolve(name, [name], f"doc-{i}", [], None), str(pid)) for i, (name, pid) in enumerate(mentions)]
    seconds = time.perf_counter() - t0
    pw = pairwise(assign)
    return {"mentions": n, "seconds": round(seconds, 2), "mentions_per_s": round(n / seconds),
            "entities": len(reg.entities), "true_people": len({pid for _, pid in mentions}),
            "pairwise_precision": round(pw["P"], 4), "pairwise_recall": round(pw["R"], 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 30_000])
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    ap.add_argument("--names", type=Path, default=OFFICIALS)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="List the same-person pairs the name test rejects.")
    args = ap.parse_args()
    people = load_officials(args.names)
    result = {"officials": {}, "speed": [speed(n) for n in args.sizes]}
    for with_state in (False, True):
        runs = [accuracy(people, s, with_state) for s in args.seeds]
        mean = lambda f: sum(f(r) for r in runs) / len(runs)  # noqa: E731
        result["officials"]["with_state" if with_state else "names_only"] = {
            "pairwise": {k: round(mean(lambda r: r["pairwise"][k]), 4) for k in runs[0]["pairwise"]},
            "bcubed": {k: round(mean(lambda r: r["bcubed"][k]), 4) for k in runs[0]["bcubed"]},
            "mentions": runs[0]["mentions"], "people": runs[0]["people"],
            "entities": round(mean(lambda r: r["entities"]), 1)}
    nt = name_test(people)
    result["name_test"] = {k: v for k, v in nt.items() if k != "misses" or args.misses}
    split = name_test(people, crowded=0)
    result["name_test_every_block_split"] = {k: split[k] for k in ("accepted_pairs", "not_compared",
                                                                   "not_compared_pairs")}
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    n_people = len(people)
    multi = sum(len({n for _, n in p["spellings"]}) > 1 for p in people)
    print(f"officials: {n_people} people, {multi} with two or more spellings, "
          f"{result['officials']['names_only']['mentions']} mentions, seeds {args.seeds}")
    for kind, r in result["officials"].items():
        pw, b3 = r["pairwise"], r["bcubed"]
        print(f"  {kind:11} pairwise P {pw['P']:.3f} R {pw['R']:.3f} F1 {pw['F1']:.3f} "
              f"(P without true namesakes {pw['P_without_namesakes']:.3f})   "
              f"B-cubed P {b3['P']:.3f} R {b3['R']:.3f} F1 {b3['F1']:.3f}   entities {r['entities']}")
    print(f"  name test: {nt['same_accepted']} of {nt['same_pairs']} same-person spelling pairs accepted "
          f"({nt['same_rate']:.3f}); blocking: {nt['not_compared']} of {nt['accepted_pairs']} accepted pairs not compared")
    for pair in nt["not_compared_pairs"]:
        print(f"    not compared: {pair}")
    print(f"  every block split by given name: {split['not_compared']} of {split['accepted_pairs']} not compared")
    for pair in split["not_compared_pairs"]:
        print(f"    not compared when split: {pair}")
    if args.misses:
        for m in nt["misses"]:
            print(f"    rejected: {m}")
    print(f"{'mentions':>9} {'seconds':>8} {'mentions/s':>11} {'entities':>9} {'people':>7} {'pair P':>7} {'pair R':>7}")
    for r in result["speed"]:
        print(f"{r['mentions']:>9} {r['seconds']:>8} {r['mentions_per_s']:>11} {r['entities']:>9} "
              f"{r['true_people']:>7} {r['pairwise_precision']:>7} {r['pairwise_recall']:>7}")


if __name__ == "__main__":
    sys.exit(main())
