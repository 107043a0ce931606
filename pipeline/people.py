"""People: person-name mentions from NER and from rules, cleaned to the
nominative without titles or suffixes.

Rules that hold in all three languages carry much of the weight: a
capitalised run right after a title or an honorific is a name ("Genel
Sekreter Baghdad Amreyev`in", "Dr. Ömer Kocaman"); so is a run that starts
with a known given name; and a later surname alone ("Tokayev", "Amreyev'e")
is a mention of a person already named in full."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import PhraseLexicon, honorific_words
from .morph import ru_genitive, ru_lemmas, ru_name_like, ru_parse
from .ner import Entity
from .organizations import org_heads
from .places import is_country_word, is_inflected_place
from .resources import data_lines, data_tsv
from .roles import RoleMention, role_lexicon
from .schema import Role
from .textnorm import Token, fold, is_function_word, is_list_joiner, token_span

MAX_NAME_TOKENS = 4
_MAX_CACHE = 200_000  # words whose blocked state is kept per language


@dataclass
class PersonMention:
    first: int  # token indices, inclusive
    last: int
    start: int  # character span of the name, suffix excluded
    end: int
    name: str  # nominative, without titles and suffixes
    source: str  # title | ner | lexicon | surname
    anchor: RoleMention | None = None
    roles: list[Role] = field(default_factory=list)

    @property
    def n_words(self) -> int:
        return _word_count(self.name)


@lru_cache(maxsize=200_000)
def _word_count(name: str) -> int:
    """(Cached: merging asks it of every mention many times.)"""
    return len(name_words(name))


def name_words(name: str) -> list[str]:
    """Words of a name, an initial glued to the surname counting apart ("Ш.Мусаев")."""
    return re.findall(r"[^\s.]+\.?", name)


@lru_cache(maxsize=None)
def name_stopwords(lang: str) -> PhraseLexicon[bool]:
    return PhraseLexicon(lang, ((w, True) for l, w in data_tsv("name_stopwords.tsv") if l == lang))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(fold(n) for n in data_lines("given_names.txt"))


def _is_initial(tokens: list[Token], i: int) -> bool:
    t = tokens[i]
    return len(t.text) == 1 and t.text.isupper() and i + 1 < len(tokens) and tokens[i + 1].text == "."


class NameRules:
    """What may and may not be a word of a person's name, per language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.roles = role_lexicon(lang)
        self.heads: PhraseLexicon = org_heads(lang)
        self.honorifics = honorific_words(lang)
        self.honorific_starts = frozenset(h.split()[0] for h in self.honorifics)
        self.stopwords = name_stopwords(lang)
        self._blocked: dict[str, bool] = {}

    def blocked(self, tok: Token) -> bool:
        """The token cannot be a word of a person's name (asked of most tokens
        several times, so kept per word)."""
        hit = self._blocked.get(tok.text)
        if hit is None:
            if len(self._blocked) > _MAX_CACHE:
                self._blocked.clear()
            hit = self._blocked[tok.text] = self._is_blocked(tok)
        return hit

    def _is_blocked(self, tok: Token) -> bool:
        if not tok.is_word or not tok.is_cap or is_function_word(tok, self.lang, "not_name"):
            return True
        stem = tok.stem
        return (self.roles.contains(stem) or self.heads.contains(stem) or self.stopwords.contains(stem)
                or fold(stem) in self.honorifics
                or stem.isupper() and 1 < len(stem) <= 5  # an acronym (TDT, OTS, YTB)
                or is_country_word(tok, self.lang))

    def starts_title(self, tokens: list[Token], i: int) -> bool:
        """A title word stands at token ``i``."""
        return i < len(tokens) and tokens[i].is_word and self.roles.contains(tokens[i].stem)

    def honorific_at(self, tokens: list[Token], i: int) -> int:
        """Number of tokens of an honorific starting at ``i`` (0 if none)."""
        if not tokens[i].is_word or fold(tokens[i].text) not in self.honorific_starts:
            return 0
        for n in (4, 3, 2, 1):
            chunk = tokens[i:i + n]
            if len(chunk) == n and chunk[0].is_word and fold(" ".join(t.text for t in chunk)) in self.honorifics:
                return n
        return 0

    def run(self, tokens: list[Token], i: int) -> int | None:
        """Last token of a name starting at ``i``, or None."""
        j = i
        last = None
        while j < len(tokens) and j - i < MAX_NAME_TOKENS + 2:
            if _is_initial(tokens, j):
                j += 2
                continue
            tok = tokens[j]
            if self.blocked(tok) or last is not None and is_inflected_place(tok, self.lang):
                break
            last = j
            if tok.suffix:
                break
            j += 1
        return last


@lru_cache(maxsize=None)
def name_rules(lang: str) -> NameRules:
    return NameRules(lang)


def _skip_genitive_complement(rules: NameRules, tokens: list[Token], i: int) -> int:
    """Russian titles take their complement before the name ("министр
    иностранных дел Азербайджана Джейхун Байрамов"): skip to the name."""
    def starts_name(j: int) -> bool:
        if rules.blocked(tokens[j]):
            return False
        if ru_name_like(tokens[j].stem):
            return True
        # a given name the dictionary reads as a place ("Багдадом Амреевым")
        nxt = j + 1 < len(tokens) and tokens[j + 1]
        return bool(nxt) and not rules.blocked(nxt) and ru_name_like(nxt.stem)

    j = i
    while j < len(tokens) and j - i < 8 and tokens[j].is_word and not starts_name(j):
        if not tokens[j].is_cap and not ru_genitive(tokens[j].text):
            return i  # a preposition or verb: the complement has ended without a name
        j += 1
    return j if j < len(tokens) and tokens[j].is_word and tokens[j].is_cap else i


def _skip_honorifics(rules: NameRules, tokens: list[Token], i: int) -> int:
    while i < len(tokens):
        n = rules.honorific_at(tokens, i)
        if not n:
            break
        i += n
        while i < len(tokens) and tokens[i].text == ".":
            i += 1
    return i


@lru_cache(maxsize=50_000)
def _keep_yo(surface: str, normal: str) -> str:
    """natasha's normal forms write ё as е ("Мирзиёева" → "Мирзиеев"); put it back."""
    out = []
    for sw, nw in zip(surface.split(), normal.split()):
        chars = list(nw)
        for i, ch in enumerate(sw[:len(nw)]):
            if ch in "ёЁ" and chars[i] in "еЕ":
                chars[i] = ch
        out.append("".join(chars))
    return " ".join(out) if len(out) == len(normal.split()) else normal


def ru_nominative(word: str) -> str:
    """A Russian name word in the nominative (``Амреевым`` → ``Амреев``)."""
    # singular readings only: "Амреев" is no plural genitive of "Амрей"
    names = [p for p in ru_parse(word)
             if {"Name", "Surn", "Patr", "Geox"} & set(p.tag.grammemes) and "sing" in p.tag.grammemes]
    if not names or any("nomn" in p.tag.grammemes for p in names):
        return word
    w = names[0].normal_form
    return w[:1].upper() + w[1:] if word[:1].isupper() else w


def clean_name(tokens: list[Token], first: int, last: int, text: str, lang: str) -> str:
    parts: list[str] = []
    i = first
    while i <= last:
        t = tokens[i]
        if _is_initial(tokens, i) and i + 1 <= last + 1:
            parts.append(t.text + ".")
            i += 2
            continue
        word = t.stem
        if lang == "ru":
            word = "-".join(ru_nominative(w) for w in word.split("-"))
        if parts and parts[-1].endswith(".") and text[tokens[i - 1].end:t.start] == "":
            parts[-1] += word
        else:
            parts.append(word)
        i += 1
    return " ".join(parts)


def _token_range(tokens: list[Token], starts: list[int], start: int, end: int) -> tuple[int, int] | None:
    rng = token_span(tokens, starts, start, end)
    return (rng[0], rng[-1]) if rng else None


def find_people(tokens: list[Token], text: str, lang: str, roles: list[RoleMention],
                entities: list[Entity], bylines: list[int]) -> list[PersonMention]:
    """``bylines``: tokens right after a byline word (``lexicon.byline_starts``)."""
    rules = name_rules(lang)
    cands: list[PersonMention] = []

    def add(first: int, last: int, source: str, anchor: RoleMention | None = None, name: str | None = None) -> None:
        first = _skip_honorifics(rules, tokens, first)
        while last >= first and rules.blocked(tokens[last]) and not _is_initial(tokens, last):
            last -= 1
        while first <= last and rules.blocked(tokens[first]) and not _is_initial(tokens, first):
            first += 1
        if first > last or any(rules.blocked(tokens[k]) for k in range(first, last + 1)
                               if tokens[k].is_word and not _is_initial(tokens, k)):
            return  # a country, title or event word inside: not a person's name
        nm = name or clean_name(tokens, first, last, text, lang)
        cands.append(PersonMention(first, last, tokens[first].start, tokens[last].stem_end, nm, source, anchor))

    # 1. Right after a title or an honorific, and lists after plural titles.
    anchors: list[tuple[int, RoleMention | None]] = [(r.last + 1, r) for r in roles]
    anchors += [(i + n, None) for i in range(len(tokens)) if (n := rules.honorific_at(tokens, i))]
    for start, anchor in anchors:
        i = _skip_honorifics(rules, tokens, start)
        while i < len(tokens) and tokens[i].text == ".":
            i += 1
        if lang == "ru" and anchor is not None:
            i = _skip_genitive_complement(rules, tokens, i)
        if i >= len(tokens):
            continue
        last = rules.run(tokens, i)
        if last is None or last == i and not tokens[last].suffix and rules.starts_title(tokens, last + 1):
            continue  # "Araştırma Uzmanı": a word of the next title, not a name
        if anchor is not None and anchor.plural and last == i:
            continue  # a plural title names a group; one word after it is no name
        if lang == "ru" and not ru_name_like(tokens[last].stem):
            continue  # a surname the dictionary does not know as a common word
        if lang == "ru" and last + 2 < len(tokens) and is_country_word(tokens[last + 1], lang):
            # "председатель Халк Маслахаты Туркменистана Гурбангулы Бердымухамедов":
            # the run was the body's name; the person follows the country.
            after = rules.run(tokens, last + 2)
            if after is not None and ru_name_like(tokens[after].stem):
                i, last = last + 2, after
        add(i, last, "title", anchor)
        while anchor is not None and anchor.plural:
            j = last + 1
            while j < len(tokens) and is_list_joiner(tokens[j]):
                j += 1
            j = _skip_honorifics(rules, tokens, j)
            nxt = rules.run(tokens, j) if j < len(tokens) and j > last + 1 else None
            if nxt is None or rules.starts_title(tokens, nxt + 1):
                break  # the list goes on with a new title ("..., Araştırma Uzmanı X")
            add(j, nxt, "title", anchor)
            last = nxt
    # English titles keep their complement between title and name: a name
    # right after the country that ends it ("... of the Republic of Uzbekistan
    # Sherzod Shermatov").
    if lang == "en":
        for r in roles:
            for j in range(r.last + 1, min(len(tokens) - 1, r.last + 18)):
                if tokens[j].text in ".;:!?" or "\n" in text[tokens[j - 1].end:tokens[j].start]:
                    break
                if is_country_word(tokens[j], lang) and not rules.blocked(tokens[j + 1]):
                    last = rules.run(tokens, j + 1)
                    if last is not None and last > j + 1:
                        add(j + 1, last, "title", r)
                    break
    # 2. Statistical NER.
    starts = [t.start for t in tokens]
    for e in entities:
        if e.label != "PER":
            continue
        rng = _token_range(tokens, starts, e.start, e.end)
        if rng:
            normal = _keep_yo(e.text, e.normal) if lang == "ru" and len(e.normal.split()) == rng[1] - rng[0] + 1 else None
            add(rng[0], rng[1], "ner", name=normal)
    # Bylines: "By Kanat Altynbayev" alone on a line.
    for i in bylines:
        last = rules.run(tokens, i)
        line_end = text.find("\n", tokens[last].end) if last is not None else -1  # (not a copy of the rest)
        if last is not None and last > i and text[tokens[last].end:line_end if line_end >= 0 else len(text)].strip() == "":
            add(i, last, "title")
    # 3. Runs that start with a known given name.
    names = given_names()
    for i, t in enumerate(tokens):
        if t.is_word and t.is_cap and fold(t.stem) in names and i + 1 < len(tokens) and not t.suffix:
            last = rules.run(tokens, i)
            if last is not None and last > i:
                add(i, last, "lexicon")
    people = _resolve_overlaps(cands, lang)
    # 4. Surnames alone, of people already named in full.
    surnames: dict[str, int] = {}
    for p in people:
        if p.last > p.first:
            for k in _surname_keys(tokens[p.last], lang):
                surnames.setdefault(k, 0)
                surnames[k] += 1
    covered = {i for p in people for i in range(p.first, p.last + 1)}
    for i, t in enumerate(tokens):
        if i in covered or not (t.is_word and t.is_cap) or rules.blocked(t):
            continue
        if any(k in surnames for k in _surname_keys(t, lang)):
            add(i, i, "surname")
    return _with_given_names(_resolve_overlaps(cands, lang), tokens, text, lang)


def _with_given_names(people: list[PersonMention], tokens: list[Token], text: str,
                      lang: str) -> list[PersonMention]:
    """A surname mention right after the given name of a person named in full
    takes it in ("Багдад" + "Амреев" when NER split the name)."""
    given: dict[str, set[str]] = {}
    for p in people:
        if p.last > p.first:
            for k in _surname_keys(tokens[p.last], lang):
                given.setdefault(k, set()).update(_surname_keys(tokens[p.first], lang))
    taken = {i for p in people for i in range(p.first, p.last + 1)}
    for p in people:
        if p.last == p.first and p.first >= 2 and _is_initial(tokens, p.first - 2) and p.first - 2 not in taken:
            p.first, p.start = p.first - 2, tokens[p.first - 2].start  # "N. Hasanov", "Ш.Мусаев"
            p.name = clean_name(tokens, p.first, p.last, text, lang)
            continue
        prev = p.first - 1
        if p.last == p.first and prev >= 0 and prev not in taken and tokens[prev].is_cap:
            names = set().union(*(given.get(k, set()) for k in _surname_keys(tokens[p.last], lang)))
            if names & _surname_keys(tokens[prev], lang) or lang == "ru" and ru_given_name(tokens[prev].stem):
                p.first, p.start = prev, tokens[prev].start
                p.name = clean_name(tokens, p.first, p.last, text, lang)
    return people


def _surname_keys(tok: Token, lang: str) -> set[str]:
    w = fold(tok.stem)
    keys = {w}
    if lang == "ru":
        keys.update(fold(l) for l in ru_lemmas(tok.stem))
        keys.add(fold(ru_nominative(tok.stem)))
    return keys


def ru_given_name(word: str) -> bool:
    """A Russian word that reads as a given name or as a place a given name
    can be ("Багдад", "Астана")."""
    return any({"Name", "Geox"} & set(p.tag.grammemes) for p in ru_parse(word)[:3])


# Which source decides a name's boundaries when two overlap: where a
# statistical model is strong (en, ru) it does; in Turkish the title rule does.
_PRIORITY = {"tr": ("title", "ner", "lexicon", "surname"), "en": ("ner", "title", "lexicon", "surname"),
             "ru": ("ner", "title", "lexicon", "surname")}


def _resolve_overlaps(cands: list[PersonMention], lang: str) -> list[PersonMention]:
    """One mention per stretch of text: the stronger source wins, then longer."""
    order = _PRIORITY.get(lang, _PRIORITY["tr"])

    ner_spans = {(o.first, o.last) for o in cands if o.source == "ner"}

    def rank(c: PersonMention) -> float:
        # a title's name that holds a shorter NER name whole is the fuller reading
        if c.source == "title" and any((a, b) in ner_spans for a in range(c.first, c.last + 1)
                                       for b in range(a, c.last + 1) if (a, b) != (c.first, c.last)):
            return -1
        return order.index(c.source)

    chosen: list[PersonMention] = []
    taken: set[int] = set()
    for c in sorted(cands, key=lambda c: (rank(c), -(c.last - c.first), c.first)):
        span = range(c.first, c.last + 1)
        if not any(k in taken for k in span):
            chosen.append(c)
            taken.update(span)
    return sorted(chosen, key=lambda c: c.first)

