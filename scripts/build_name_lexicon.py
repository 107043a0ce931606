"""Build ``pipeline/knowledge/data/given_names.txt`` from the clean-licence NER sets in
../shared/ner-data: first tokens of multi-word person names, seen at least
twice as a name start and more often inside names than outside them.

Sources and licences (only sets with a clean licence; tr-milliyet and
Collection5 are left out):
- tr-wiki-ner (MIT), tr-starlang (CC BY-SA 4.0): Turkish;
- en-wikiann (ODC-BY): Wikipedia names of every origin in Latin script
  (Arabic, Persian, Chinese, Central-Asian, Hungarian ...);
- kk-kaznerd (CC BY 4.0): Kazakh names in Cyrillic;
- ru-factrueval (MIT): Russian names.

The Turkish set was the only source before; the others add the names of the
region that Turkish Wikipedia lacks.

    python scripts/build_name_lexicon.py [--ner-data ../shared/ner-data]
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pipeline.knowledge.textnorm import strip_tr_suffix

# file, person tag, minimum count as a name start, whether a word also written
# small that often is dropped (the Turkish sets keep the list's first criterion:
# "Umut", "Metin" are names and words)
SOURCES = [("tr-wiki-ner/train.conll", "PERSON", 2, False), ("tr-starlang/tr_starlang.train.bio", "PERSON", 2, False),
           ("en-wikiann/test.bio", "PER", 2, True), ("ru-factrueval/dev.bio", "PER", 2, True),
           ("ru-factrueval/test.bio", "PER", 2, True),
           # Kazakh names are many and each rare in 22,000 sentences: once is enough
           ("kk-kaznerd/IOB2_valid.txt", "PERSON", 1, True), ("kk-kaznerd/IOB2_test.txt", "PERSON", 1, True)]


def sentences(path: Path):
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        parts = line.split()  # tab-separated, kk-kaznerd space-separated
        sent.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if sent:
        yield sent


def _title_word(word: str) -> bool:
    """A title or honorific the sets tag as a name's first word ("Pope", "Лорд")."""
    from pipeline.knowledge.lexicon import honorific_words
    from pipeline.stages.roles import role_lexicon
    from pipeline.knowledge.textnorm import fold

    return any(role_lexicon(lang).contains(word) or fold(word) in honorific_words(lang) for lang in ("tr", "en", "ru"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ner-data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "ner-data"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "pipeline" / "data" / "given_names.txt"))
    args = ap.parse_args()
    names: set[str] = set()
    for rel, label, min_count, drop_words in SOURCES:
        path = Path(args.ner_data) / rel
        if not path.exists():
            print(f"missing {path}: skipped")
            continue
        starts: Counter[str] = Counter()
        elsewhere: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        for sent in sentences(path):
            for i, (tok, tag) in enumerate(sent):
                word = strip_tr_suffix(tok)
                lower[word.lower()] += word.islower()
                nxt = sent[i + 1][1] if i + 1 < len(sent) else "O"
                if tag == f"B-{label}" and nxt == f"I-{label}":
                    starts[word] += 1
                elif not tag.endswith(label):
                    elsewhere[word] += 1
        # a common word written small as often as a name start ("мен", "and") is no given name
        names.update(w for w, n in starts.items()
                     if n >= min_count and w[:1].isupper() and w.replace("-", "").isalpha() and len(w) > 2
                     and not w.isupper() and n > elsewhere[w] and not (drop_words and lower[w.lower()] >= n))
    names = {w for w in names if not _title_word(w)}
    header = ("# Given names: first tokens of multi-word person names, seen at least twice as a\n"
              "# name start, in the NER training and test sets tr-wiki-ner (MIT), tr-starlang\n"
              "# (CC BY-SA 4.0), en-wikiann (ODC-BY), kk-kaznerd (CC BY 4.0) and ru-factrueval\n"
              "# (MIT). Built by scripts/build_name_lexicon.py; matched folded and by\n"
              "# cross-script key (pipeline/translit.py).\n")
    Path(args.out).write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} given names -> {args.out}")


if __name__ == "__main__":
    main()
