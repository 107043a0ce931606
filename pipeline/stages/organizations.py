"""Organisations: NER ORG spans plus head-word phrases from
``data/org_heads.tsv`` ("Türk Konseyi", "Organization of Turkic States").
They fill ``roles[].organization`` and keep their words out of people and places."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..knowledge.lexicon import HONORIFIC_WORDS, PhraseLexicon, Word, token_words
from ..knowledge.morph import ru_parse
from .ner import Entity
from ..knowledge.resources import data_tsv
from ..knowledge.textnorm import Token, fold, function_words, is_function_word, turkish_lower



@dataclass(frozen=True, slots=True)
class OrgMention:
    first: int
    last: int
    start: int
    end: int
    text: str  # nominative form where known


def ru_adjective(word: str) -> bool:
    """A Russian adjective (full form) in its likeliest reading."""
    parses = ru_parse(word)
    return bool(parses) and parses[0].tag.POS == "ADJF"


def _tr_opening_adverbial(tokens: list[Token], text: str, k: int) -> bool:
    """A sentence's first word in the locative or ablative ("Görüşmede TDT ..."):
    an adverbial, never a word of a name."""
    opens = k == 0 or tokens[k - 1].text in ".!?:;" or "\n" in text[tokens[k - 1].end:tokens[k].start]
    return opens and not tokens[k].suffix and turkish_lower(tokens[k].text).endswith(
        tuple(function_words("tr", "tr_adverbial_case")))


@lru_cache(maxsize=None)
def org_heads(lang: str) -> PhraseLexicon[bool]:
    return PhraseLexicon(lang, ((form, True) for l, form in data_tsv("org_heads.tsv") if l == lang))


def find_organizations(tokens: list[Token], lang: str, entities: list[Entity], text: str,
                       stop: set[int], words: list[Word] | None = None,
                       title_starts: frozenset[int] = frozenset()) -> list[OrgMention]:
    """Organisation phrases. ``stop`` holds token indices an organisation
    cannot extend over (countries, people); ``title_starts`` the tokens where a
    role title begins: an NER span without a head word right before one is the
    title's complement ("Sosyal Kalkınma" Bakanı), not an organisation."""
    words = token_words(tokens) if words is None else words
    heads = org_heads(lang)
    spans: list[tuple[int, int]] = []
    headed = set()
    for m in heads.find(tokens, words):
        headed.update(range(m.first, m.last + 1))
        first, last = m.first, m.last
        if lang == "ru" and not tokens[first].is_cap:
            # the adjectives before a lower-case head name it ("Тюркской академии",
            # "Международной тюркской академии"): a name when the first is capitalised
            while first > 0 and first - 1 not in stop and tokens[first - 1].is_word and ru_adjective(tokens[first - 1].text):
                first -= 1
            if first < m.first and tokens[first].is_cap:
                spans.append((first, last))
            continue
        if not tokens[m.first].is_cap:
            continue
        if lang in ("tr", "en"):
            while first > 0 and first - 1 not in stop:
                prev = tokens[first - 1]
                if prev.is_word and prev.is_cap and not prev.suffix:
                    first -= 1
                elif is_function_word(prev, lang, "org_link") and first > 1 and tokens[first - 2].is_cap \
                        and first - 2 not in stop:
                    first -= 1
                else:
                    break
        if lang == "en":
            j = last + 1
            while j < len(tokens) and j not in stop and fold(tokens[j].stem) not in HONORIFIC_WORDS and (
                    tokens[j].is_cap or is_function_word(tokens[j], lang, "org_link")):
                j += 1
            while j - 1 > last and not tokens[j - 1].is_cap:
                j -= 1
            last = j - 1
        while first < last and not tokens[first].is_cap:
            first += 1
        spans.append((first, last))
    # token index by offset, for the organisations' offsets only (three maps of
    # every token held 400 MB at once for a 10 MB text)
    orgs = [e for e in entities if e.label == "ORG"]
    want_start, want_end = {e.start for e in orgs}, {e.end for e in orgs}
    by_start = {t.start: i for i, t in enumerate(tokens) if t.start in want_start}
    by_end = {t.end: i for i, t in enumerate(tokens) if t.end in want_end}
    by_end.update({t.stem_end: i for i, t in enumerate(tokens) if t.stem_end in want_end})
    normals: dict[tuple[int, int], str] = {}
    for e in orgs:
        if e.start in by_start and e.end in by_end:
            span = (by_start[e.start], by_end[e.end])
            if span[1] + 1 in title_starts and not headed.intersection(range(span[0], span[1] + 1)):
                continue
            spans.append(span)
            normals[span] = e.normal
    # Head-word phrases first: NER often cuts names short ("the Organization of Turkic").
    chosen: list[tuple[int, int]] = []
    taken: set[int] = set()  # tokens of the chosen spans (testing each against all was quadratic)
    for first, last in spans:
        while first < last and (fold(tokens[first].text) == "the" or lang == "tr" and _tr_opening_adverbial(tokens, text, first)):
            first += 1
        if taken.isdisjoint(range(first, last + 1)):
            chosen.append((first, last))
            taken.update(range(first, last + 1))
    out: list[OrgMention] = []
    for first, last in sorted(chosen):
        start, end = tokens[first].start, tokens[last].stem_end
        out.append(OrgMention(first, last, start, end, normals.get((first, last), text[start:end])))
    return out
