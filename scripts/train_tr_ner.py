"""Train the Turkish NER model shipped in models/tr_pressx_ner.

Data: only the clean-licence sets of ../shared/ner-data: tr-wiki-ner (MIT)
and tr-starlang (CC BY-SA 4.0). Tags mapped to PER / LOC / ORG; dates and
numbers tagged as PER/LOC in tr-wiki-ner are dropped (label noise); a share
of sentences is added again in capitals, as datelines and acronyms are
written in press releases.

    python scripts/train_tr_ner.py [--ner-data ../shared/ner-data] [--epochs 6]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nerdata import TAG_MAPS, Sentence, read_bio, reattach_suffixes, spans  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRAIN = [("tr-wiki-ner", "train.conll"), ("tr-starlang", "tr_starlang.train.bio")]
DEV = [("tr-wiki-ner", "dev.conll"), ("tr-starlang", "tr_starlang.dev.bio")]
CAPS_SHARE = 0.12


def tr_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


def clean(s: Sentence) -> Sentence:
    """Entities made of numbers are label noise (years tagged as PER/LOC)."""
    tags = list(s.tags)
    for start, end, _ in spans(tags):
        if all(any(ch.isdigit() for ch in w) for w in s.words[start:end]):
            for i in range(start, end):
                tags[i] = "O"
    return Sentence(s.words, tags)


def load(ner_data: Path, parts) -> list[Sentence]:
    out = []
    for name, file in parts:
        out += [clean(reattach_suffixes(s)) for s in read_bio(ner_data / name / file, TAG_MAPS[name])]
    return out


def to_docbin(nlp, sents: list[Sentence], path: Path) -> None:
    from spacy.tokens import Doc, DocBin

    db = DocBin()
    for s in sents:
        doc = Doc(nlp.vocab, words=s.words, ents=s.tags)
        db.add(doc)
    db.to_disk(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ner-data", type=Path, default=ROOT.parent / "shared" / "ner-data")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "tr_pressx_ner")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--caps-share", type=float, default=CAPS_SHARE, help="share of sentences added again in capitals")
    ap.add_argument("--width", type=int, default=128, help="tok2vec width")
    args = ap.parse_args()

    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train

    random.seed(args.seed)
    train_s = load(args.ner_data, TRAIN)
    dev_s = load(args.ner_data, DEV)
    with_ents = [s for s in train_s if any(t != "O" for t in s.tags)]
    caps = [Sentence([tr_upper(w) for w in s.words], s.tags)
            for s in random.sample(with_ents, int(len(with_ents) * args.caps_share))]
    train_s += caps
    random.shuffle(train_s)
    print(f"train {len(train_s)} sentences ({len(caps)} in capitals), dev {len(dev_s)}", flush=True)

    nlp = spacy.blank("tr")
    work = Path(tempfile.mkdtemp(prefix="tr-ner-"))
    to_docbin(nlp, train_s, work / "train.spacy")
    to_docbin(nlp, dev_s, work / "dev.spacy")
    config = init_config(lang="tr", pipeline=["ner"], optimize="efficiency", gpu=False)
    config["paths"]["train"] = str(work / "train.spacy")
    config["paths"]["dev"] = str(work / "dev.spacy")
    config["training"]["max_epochs"] = args.epochs
    config["training"]["max_steps"] = 0
    config["training"]["patience"] = 0
    config["training"]["eval_frequency"] = 1000
    config["training"]["seed"] = args.seed
    config["components"]["tok2vec"]["model"]["embed"]["width"] = args.width
    config["components"]["tok2vec"]["model"]["embed"]["rows"] = [8000, 4000, 4000, 4000]
    config["components"]["tok2vec"]["model"]["encode"]["width"] = args.width
    config["components"]["tok2vec"]["model"]["encode"]["depth"] = 4
    config.to_disk(work / "config.cfg")
    t0 = time.time()
    train(work / "config.cfg", work / "output", use_gpu=-1)
    minutes = (time.time() - t0) / 60
    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(work / "output" / "model-best", args.out)
    meta_path = args.out / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(name="pressx_ner", version="0.1.0", license="CC BY-SA 4.0",
                description="Turkish PER/LOC/ORG NER for pressx, trained on tr-wiki-ner (MIT) and tr-starlang (CC BY-SA 4.0)",
                training_minutes=round(minutes, 1))
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    print(f"trained in {minutes:.1f} min -> {args.out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
