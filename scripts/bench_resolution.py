"""Resolution at scale: resolve synthetic person mentions with realistic
spelling variation and print the time, for several sizes, plus pairwise
precision and recall against the truth.

Names are built from Turkic syllables and surname endings; each person is
mentioned about five times, in varied romanisations (y/i, j/zh/dzh, kh/h,
ş/sh, -yev/-ev, doubled letters), in Cyrillic, and with initials.

    python scripts/bench_resolution.py [--sizes 10000 30000 100000] [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter

from pipeline.resolution import Registry

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


def word(rng: random.Random, parts: list[str], n: int) -> str:
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
    words = "".join(out).split(" ")
    return " ".join(w[:1].upper() + w[1:] for w in words)


def variant(rng: random.Random, given: str, surname: str) -> str:
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


def make(n_mentions: int, seed: int = 7) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    people = []
    seen = set()
    while len(people) < max(1, n_mentions // 5):
        g = word(rng, GIVEN, rng.randint(2, 3))
        s = word(rng, SURN, 1) + word(rng, GIVEN, rng.randint(0, 2)) + rng.choice(ENDINGS)
        if (g, s) not in seen:
            seen.add((g, s))
            people.append((g, s))
    mentions = []
    for _ in range(n_mentions):
        pid = rng.randrange(len(people))
        mentions.append((variant(rng, *people[pid]), pid))
    return mentions


def pairwise(assign: list[tuple[str, int]]) -> tuple[float, float]:
    """Pairwise precision and recall, counted through cluster sizes."""
    both = Counter(assign)
    pred = Counter(p for p, _ in assign)
    true = Counter(t for _, t in assign)
    pairs = lambda c: sum(v * (v - 1) // 2 for v in c.values())  # noqa: E731
    tp = pairs(both)
    return tp / max(pairs(pred), 1), tp / max(pairs(true), 1)


def run(n: int) -> dict:
    mentions = make(n)
    reg = Registry()
    t0 = time.perf_counter()
    assign = [(reg.resolve(name, [name], f"doc-{i}", [], None), pid) for i, (name, pid) in enumerate(mentions)]
    seconds = time.perf_counter() - t0
    p, r = pairwise(assign)
    return {"mentions": n, "seconds": round(seconds, 2), "us_per_mention": round(seconds / n * 1e6, 1),
            "entities": len(reg.entities), "true_people": len({pid for _, pid in mentions}),
            "pairwise_precision": round(p, 4), "pairwise_recall": round(r, 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 30_000, 100_000])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [run(n) for n in args.sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'mentions':>9} {'seconds':>8} {'µs/mention':>11} {'entities':>9} {'people':>7} {'pair P':>7} {'pair R':>7}")
    for r in rows:
        print(f"{r['mentions']:>9} {r['seconds']:>8} {r['us_per_mention']:>11} {r['entities']:>9} "
              f"{r['true_people']:>7} {r['pairwise_precision']:>7} {r['pairwise_recall']:>7}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"time grows {b['seconds'] / a['seconds']:.1f}x for {b['mentions'] / a['mentions']:.0f}x the mentions")


if __name__ == "__main__":
    main()
