"""Dependency parses of the sentences that state an event: which stretches of
a sentence are the trigger's clause, so that its arguments (subject, object,
"with X", coordinated names, an agent) take part and a speaker who reports it
("Peskov said that ...") or a person named in another clause does not.

English: spaCy ``en_core_web_sm``'s parser; Russian: natasha's
``NewsSyntaxParser`` (both ship in their packages). Only sentences with a
trigger are parsed, so the cost is a small part of a run. Turkish has no
parser here: the events stage keeps its sentence-level rules."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

PARSED = frozenset({"en", "ru"})
SUBJECT = ("nsubj",)  # nsubj, nsubj:pass, nsubjpass
# a clause without a subject of its own shares its head's ("X arrived and met Y",
# "Arriving in Baku, X met Y", "X went to Baku to meet Y")
SHARES_SUBJECT = ("conj", "xcomp", "advcl")
MODIFIES_NOUN = ("relcl", "acl")  # "X, who arrived in Baku, ..."


@dataclass(frozen=True, slots=True)
class Node:
    start: int  # character offsets in the document
    end: int
    head: int  # index of the head node; itself for the root
    dep: str
    verb: bool


def clause_ranges(lang: str, text: str, lo: int, hi: int, at: int,
                  reporting: Callable[[str], bool] = lambda word: False) -> list[tuple[int, int]] | None:
    """Character ranges of the clause that governs the word at offset ``at``
    (a trigger) in the sentence ``text[lo:hi]``; ``None`` without a parser.
    A noun trigger that a reporting verb governs ("X told of the meeting of A
    and B", "X рассказал о встрече A и B": ``reporting`` says which words are)
    is its own clause, when it has dependents: who reports it took no part."""
    if lang not in PARSED:
        return None
    nodes = _parse(lang, text[lo:hi], lo)
    if not nodes:
        return None
    t = next((i for i, n in enumerate(nodes) if n.start <= at < n.end), None)
    if t is None:
        return None
    if not nodes[t].verb:
        kids = _children(nodes)
        h = _verb_above(nodes, t)
        own = _subtree(kids, t)
        if len(own) > 1 and reporting(text[nodes[h].start:nodes[h].end]):
            return [(nodes[i].start, nodes[i].end) for i in sorted(own)]
    keep = _clause(nodes, t)
    return [(nodes[i].start, nodes[i].end) for i in sorted(keep)]


def _verb_above(nodes: list[Node] | tuple[Node, ...], t: int) -> int:
    """The verb a noun hangs on (itself at the root)."""
    h, seen = t, set()
    while not nodes[h].verb and nodes[h].head != h and h not in seen:
        seen.add(h)
        h = nodes[h].head
    return h


def agent_ranges(lang: str, text: str, lo: int, hi: int, at: int) -> list[tuple[int, int]] | None:
    """Character ranges of who does what the word at ``at`` names: a verb's
    subject ("X arrived", "X посетил"), a noun's dependents ("the visit of X",
    "визит X", "X's visit"), else the subject of the verb the noun hangs on;
    ``None`` without a parser, ``[]`` when the parse shows none."""
    if lang not in PARSED:
        return None
    nodes = _parse(lang, text[lo:hi], lo)
    t = next((i for i, n in enumerate(nodes) if n.start <= at < n.end), None)
    if t is None:
        return None
    kids = _children(nodes)
    keep: set[int] = set()
    if not nodes[t].verb:
        keep = _subtree(kids, t) - {t}
        h = t
        while not nodes[h].verb and nodes[h].head != h:
            h = nodes[h].head
        t = h
    for k in kids[t]:
        if nodes[k].dep.startswith(SUBJECT):
            keep |= _subtree(kids, k)
    if not keep and nodes[t].head != t and nodes[t].dep.startswith(SHARES_SUBJECT + MODIFIES_NOUN):
        keep = {nodes[t].head} if nodes[t].dep.startswith(MODIFIES_NOUN) else \
            {j for k in kids[nodes[t].head] if nodes[k].dep.startswith(SUBJECT) for j in _subtree(kids, k)}
    return [(nodes[i].start, nodes[i].end) for i in sorted(keep)]


def _children(nodes: list[Node]) -> list[list[int]]:
    kids: list[list[int]] = [[] for _ in nodes]
    for i, n in enumerate(nodes):
        if n.head != i:
            kids[n.head].append(i)
    return kids


def _subtree(kids: list[list[int]], i: int) -> set[int]:
    out, todo = set(), [i]
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo.extend(kids[k])
    return out


def _clause(nodes: list[Node], t: int) -> set[int]:
    kids = _children(nodes)
    h = _verb_above(nodes, t)  # a noun trigger: up to its verb
    keep = _subtree(kids, h)
    dep = nodes[h].dep
    head = nodes[h].head
    if head != h and not any(nodes[k].dep.startswith(SUBJECT) for k in kids[h]):
        if dep.startswith(MODIFIES_NOUN) or dep.split(":")[-1] in MODIFIES_NOUN:
            keep |= _subtree(kids, head) - _subtree(kids, h)
        elif dep.startswith(SHARES_SUBJECT):
            for k in kids[head]:
                if nodes[k].dep.startswith(SUBJECT):
                    keep |= _subtree(kids, k)
    return keep


@lru_cache(maxsize=4096)
def _parse(lang: str, sentence: str, offset: int) -> tuple[Node, ...]:
    return tuple(_spacy_parse(sentence, offset) if lang == "en" else _natasha_parse(sentence, offset))


@lru_cache(maxsize=1)
def _spacy_parser():
    """en_core_web_sm's parser and the encoder it listens to, as a function of
    a text: the English NER's pipeline holds them, idle (a Stanza NER: a load
    of their own)."""
    import spacy

    from .ner import EN_MODEL, ner_for

    nlp = getattr(ner_for("en"), "nlp", None)
    if nlp is None or "parser" not in nlp.component_names:
        nlp = spacy.load(EN_MODEL, exclude=["ner", "lemmatizer", "attribute_ruler", "senter", "tagger"])
    pipes = [nlp.get_pipe(name) for name in ("tok2vec", "parser")]
    # thinc's own numpy ops: the NER's BLAS gemm (built for its large batches)
    # makes these one-sentence parses ten times slower
    from thinc.api import NumpyOps

    ops = NumpyOps()
    for pipe in pipes:
        for node in pipe.model.walk():
            node.ops = ops

    def parse(text: str):
        doc = nlp.make_doc(text)
        for pipe in pipes:
            doc = pipe(doc)
        return doc

    return parse


# without the tagger a verb is known by its place in the tree: a clause's head, or what has a subject or object
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "pcomp"})
_VERB_CHILDREN = frozenset({"nsubj", "nsubjpass", "dobj", "aux", "auxpass", "agent", "prt", "csubj"})


def _spacy_parse(sentence: str, offset: int) -> list[Node]:
    doc = _spacy_parser()(sentence)
    return [Node(offset + t.idx, offset + t.idx + len(t.text), t.head.i, t.dep_,
                 t.dep_ in _CLAUSE_DEPS or any(c.dep_ in _VERB_CHILDREN for c in t.children)) for t in doc]


@lru_cache(maxsize=1)
def _natasha_parser():
    """natasha's syntax parser on the embedding the Russian NER loaded already."""
    from natasha import NewsEmbedding, NewsSyntaxParser, Segmenter

    from .ner import ner_for

    emb = getattr(ner_for("ru"), "emb", None) or NewsEmbedding()
    return Segmenter(), NewsSyntaxParser(emb)


def _natasha_parse(sentence: str, offset: int) -> list[Node]:
    from natasha import Doc

    from ..knowledge.morph import ru_parse

    segmenter, parser = _natasha_parser()
    doc = Doc(sentence)
    doc.segment(segmenter)
    doc.parse_syntax(parser)
    out: list[Node] = []
    for sent in doc.sents:
        ids = {t.id: i for i, t in enumerate(sent.tokens)}
        base = len(out)
        for i, t in enumerate(sent.tokens):
            parses = ru_parse(t.text.lower())
            verb = bool(parses) and parses[0].tag.POS in ("VERB", "INFN", "GRND", "PRTF", "PRTS")
            head = ids.get(t.head_id, i)
            out.append(Node(offset + t.start, offset + t.stop, base + head, t.rel or "", verb))
    return out
