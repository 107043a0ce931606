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
from pathlib import Path
from typing import Mapping

from ..knowledge.lexicon import PhraseLexicon, honorific_words
from ..knowledge.morph import (ru_common_word, ru_genitive, ru_lemmas, ru_name_like, ru_name_nominative, ru_name_tagged, ru_parse,
                    tr_common_word)
from .ner import Entity
from .organizations import org_heads
from .places import is_country_word, is_inflected_place, is_town_word
from ..knowledge.resources import data_lines, data_tsv
from .roles import RoleMention, role_lexicon, ru_joins_genitives
from ..schema import Role
from ..knowledge.textnorm import Token, fold, is_function_word, is_list_joiner, token_span, turkish_lower
from ..knowledge.translit import key as translit_key

MAX_NAME_TOKENS = 4
_CYRILLIC = re.compile(r"[Ѐ-ӿ]")
_SURNAME_TOWN = 100_000  # a town below this may be a surname after a given name
_ROMAN = re.compile(r"^[IVX]{1,4}$")  # a regnal number ends a name ("Елизавета II")
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
    return PhraseLexicon(lang, ((w, True) for l, w in data_tsv("name_stopwords.tsv") if l in ("*", lang)))


@lru_cache(maxsize=None)
def title_parts(lang: str) -> PhraseLexicon[bool]:
    """Every word of every title, as a one-word phrase: a title's later words
    ("Yardımcısı", "Vekili", "Secretary") are no name words either (its first
    words already block through the role lexicon)."""
    words = {w for r in data_tsv("roles.tsv") if r[0] == lang for w in r[1].split()}
    return PhraseLexicon(lang, ((w, True) for w in words))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded given names: ours (``given_names.txt``, from NER sets) and natasha's
    dictionary of 7,600 given names (natasha/data/dict/first.txt, MIT licence,
    shipped with the installed natasha: Russian, Central-Asian, Caucasian and
    other names of the former Soviet Union in Cyrillic)."""
    return frozenset(fold(n) for n in data_lines("given_names.txt")) | _natasha_first_names()


def _natasha_first_names() -> frozenset[str]:
    try:
        import natasha

        path = Path(natasha.__file__).parent / "data" / "dict" / "first.txt"
        return frozenset(w for w in (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()) if len(w) > 2)
    except (ImportError, OSError):
        return frozenset()


@lru_cache(maxsize=1)
def given_name_keys() -> frozenset[str]:
    """Cross-script keys of the given names: "Нұрлан", "Nurlan" and "Нурлан" meet."""
    return _name_keys()[0]


@lru_cache(maxsize=1)
def _wide_name_keys() -> frozenset[str]:
    return _name_keys()[1]


@lru_cache(maxsize=1)
def _name_keys() -> tuple[frozenset[str], frozenset[str]]:
    """The keys of both lists, cached on disk (JSON): 20,000 names take a second
    to key, a tenth of a run's start."""
    import hashlib
    import json

    from ..knowledge.resources import cache_dir, data_text, write_cache

    names = sorted(given_names())
    wide = data_lines("given_names_wide_tr.txt")
    h = hashlib.sha256("\n".join(names + wide).encode())
    h.update(data_text("translit.json").encode())
    h.update((Path(__file__).parents[1] / "knowledge" / "translit.py").read_bytes())
    path = cache_dir() / f"names-{h.hexdigest()[:16]}.json"
    try:
        keys, wide_keys = json.loads(path.read_bytes())
        return frozenset(keys), frozenset(wide_keys)
    except (OSError, ValueError, TypeError):
        pass  # none yet, or damaged: build it again
    out = (frozenset(translit_key(n) for n in names), frozenset(translit_key(n) for n in wide))
    write_cache(path, json.dumps([sorted(out[0]), sorted(out[1])], ensure_ascii=False), "names-*.json")
    return out


@lru_cache(maxsize=200_000)
def is_given_name(word: str) -> bool:
    """A known given name, in any script or romanisation."""
    w = fold(word)
    if len(w) > 2 and (w in given_names() or translit_key(word) in given_name_keys()):
        return True
    # a Russian case form ("Багдадом"): its lemmas
    return bool(_CYRILLIC.search(word)) and any(
        l != word.lower() and (fold(l) in given_names() or translit_key(l) in given_name_keys())
        for l in ru_lemmas(word)[:2])


@lru_cache(maxsize=200_000)
def is_known_name(word: str) -> bool:
    """A given name of any list, the wide ones whose names are also common
    words ("Güney", "Serdar") included: evidence only next to other evidence."""
    return is_given_name(word) or len(word) > 2 and translit_key(word) in _wide_name_keys()


@lru_cache(maxsize=1)
def _surname_endings() -> tuple[str, ...]:
    return tuple(sorted({fold(w) for w in data_lines("surname_shapes.txt")}, key=len, reverse=True))


@lru_cache(maxsize=200_000)
def has_surname_shape(word: str) -> bool:
    """Ends like a surname or patronymic of the region ("Mammedova", "Pashazade",
    "Асановым"), on a stem of at least three letters."""
    w = fold(word)
    return " " not in w and any(w.endswith(e) and len(w) - len(e) >= 3 for e in _surname_endings())


@lru_cache(maxsize=None)
def name_particles(lang: str) -> frozenset[str]:
    return frozenset(w for l, w in data_tsv("name_particles.tsv") if l in ("*", lang))


def _name_word(tok: Token, lang: str) -> bool:
    """A word some list or the dictionary knows as a name."""
    return is_known_name(tok.stem) or has_surname_shape(tok.stem) or lang == "ru" and ru_name_tagged(tok.stem)


def name_evidence(tok: Token, lang: str) -> bool:
    """Something says the word is a name: a known given name, a surname's
    shape, or (Russian) the dictionary's name tags."""
    stem = tok.stem
    return is_given_name(stem) or has_surname_shape(stem) or lang == "ru" and ru_name_tagged(stem)


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
        self.title_parts = title_parts(lang)
        self.particles = name_particles(lang)
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
        if "-" in stem and any(self.roles.contains(p) or self.title_parts.contains(p) for p in stem.split("-") if p):
            return True  # "Secretary-General", "Vice-President"
        if "-" in stem and any(is_country_word(Token(0, len(p), p, len(p), p, True, True), self.lang)
                               for p in stem.split("-") if p):
            return True  # "Kazakh-Turkish", "Австрийско-Туркменского"
        return (self.roles.contains(stem) or self.heads.contains(stem) or self.stopwords.contains(stem)
                or fold(stem) in self.honorifics
                or self.title_parts.contains(stem) and fold(stem) not in given_names()
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

    def is_particle(self, tokens: list[Token], j: int) -> bool:
        """A small word inside a name ("bin", "van der") with a name word after it."""
        k = j
        while k < len(tokens) and tokens[k].is_word and not tokens[k].is_cap and tokens[k].text in self.particles:
            k += 1
        return k > j and k < len(tokens) and not self.blocked(tokens[k])

    def run(self, tokens: list[Token], i: int) -> int | None:
        """Last token of a name starting at ``i``, or None."""
        j = i
        last = None
        n_words = 0
        while j < len(tokens) and n_words < MAX_NAME_TOKENS + 2:
            if _is_initial(tokens, j):
                j += 2
                continue
            if last is not None and self.is_particle(tokens, j):
                j += 1
                continue
            n_words += 1
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


def _joins_genitives(rules: NameRules, tokens: list[Token], j: int) -> bool:
    """``roles.ru_joins_genitives`` with the name rules' title words."""
    return ru_joins_genitives(tokens, j, lambda k: rules.starts_title(tokens, k))


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
        if not tokens[j].is_cap and not ru_genitive(tokens[j].text) and not _joins_genitives(rules, tokens, j) \
                and not (is_function_word(tokens[j], "ru", "title_prep") and j + 1 < len(tokens) and tokens[j + 1].is_cap):
            return i  # a preposition or verb: the complement has ended without a name ("в Берлине": the post)
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


def _ru_whole_name(tokens: list[Token], first: int, last: int) -> dict[int, str]:
    """Nominatives of a Russian name's words read together (``ru_name_nominative``),
    by token; the first parts of a hyphenated given name do not decline
    ("Касым-Жомарта"). A name no case fits as a whole stays as written: word by
    word, "Мухаммед Аль Тани" would become "Мухаммед Аля Таня"."""
    idx = [k for k in range(first, last + 1) if tokens[k].is_word and not _is_initial(tokens, k)]
    if len(idx) < 2:
        return {}
    heads = [tokens[k].stem.rsplit("-", 1) for k in idx]
    nom = ru_name_nominative([h[-1] for h in heads])
    if nom is None:
        return {k: tokens[k].stem for k in idx}
    return {k: "-".join(h[:-1] + [n]) for k, h, n in zip(idx, heads, nom)}


def _with_whole_reading(tokens: list[Token], first: int, last: int, normal: list[str]) -> list[str]:
    """natasha's nominatives of a Russian name, a word it left as written taken
    from the whole name's reading (``_ru_whole_name``) when that agrees with
    natasha on every word it did inflect, one at least: natasha reads "Гансом
    Вебером" as "Ганс Вебером", a foreign surname it does not know kept in the
    instrumental. (A name it left whole is its nominative: "Чинар Рустамова".)"""
    words = [tokens[k].stem for k in range(first, last + 1)]
    if len(normal) != len(words) or all(n != w for n, w in zip(normal, words)) or normal == words:
        return normal  # (the common cases, before the whole name's reading is asked)
    whole = _ru_whole_name(tokens, first, last)
    if not whole or any(
            n != w and whole.get(k, n) != n for k, w, n in zip(range(first, last + 1), words, normal)):
        return normal
    return [whole.get(k, n) if n == w else n for k, w, n in zip(range(first, last + 1), words, normal)]


def clean_name(tokens: list[Token], first: int, last: int, text: str, lang: str) -> str:
    parts: list[str] = []
    whole = _ru_whole_name(tokens, first, last) if lang == "ru" else {}
    i = first
    while i <= last:
        t = tokens[i]
        if _is_initial(tokens, i) and i + 1 <= last + 1:
            parts.append(t.text + ".")
            i += 2
            continue
        word = t.stem
        if i in whole:
            word = whole[i]
        elif lang == "ru":
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
                entities: list[Entity], bylines: list[int],
                places: Mapping[int, object] | None = None) -> list[PersonMention]:
    """``bylines``: tokens right after a byline word (``lexicon.byline_starts``);
    ``places``: tokens of the places found before (a name never absorbs one,
    unless the word is also a known given name: "Bağdat Amreyev")."""
    rules = name_rules(lang)
    cands: list[PersonMention] = []
    weak = _WeakWords(tokens, text, lang, places or {})

    def add(first: int, last: int, source: str, anchor: RoleMention | None = None,
            normal: list[str] | None = None) -> None:
        """``normal``: the nominative of each token first..last (natasha's)."""
        lo = first
        first = _skip_honorifics(rules, tokens, first)
        while last >= first and (rules.blocked(tokens[last]) or weak.trim(last)) and not _is_initial(tokens, last) \
                and not (last > first and _ROMAN.match(tokens[last].text)):
            last -= 1
        while first <= last and (rules.blocked(tokens[first]) or weak.trim(first, leading=True)) \
                and not _is_initial(tokens, first):
            first += 1
        if first <= last:
            first, last = weak.one_line(first, last)
        if first > last or any(rules.blocked(tokens[k]) for k in range(first, last + 1)
                               if tokens[k].is_word and not _is_initial(tokens, k) and not rules.is_particle(tokens, k)):
            return  # a country, title or event word inside: not a person's name
        if all(tokens[k].stem.isupper() and len(tokens[k].stem) > 1 and not name_evidence(tokens[k], lang)
               for k in range(first, last + 1) if tokens[k].is_word and not _is_initial(tokens, k)):
            return  # a word in capitals that nothing shows to be a name ("BUSINESS")
        nm = " ".join(_with_whole_reading(tokens, first, last, normal[first - lo:last - lo + 1])) if normal \
            else clean_name(tokens, first, last, text, lang)
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
        if last == i and last + 1 < len(tokens) and rules.honorific_at(tokens, last + 1):
            continue  # "Rektör Vekili Prof. Dr. X": the title goes on; an honorific opens the name
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
    # Sherzod Shermatov"), or after the post's town ("the Ambassador of
    # Hungary in Astana Laszlo Pinter", "Ambassador in Berlin Hans Weber").
    if lang == "en":
        for r in roles:
            for j in range(r.last + 1, min(len(tokens) - 1, r.last + 18)):
                if tokens[j].text in ".;:!?" or "\n" in text[tokens[j - 1].end:tokens[j].start]:
                    break
                country_end = is_country_word(tokens[j], lang) or j in weak.places and j + 1 not in weak.places \
                    and getattr(weak.places[j], "kind", None) == "country"  # "... of the Republic of Korea Yoon Suk Yeol"
                if (country_end or _post_end(tokens, r.last, j, weak.places, lang)) and not rules.blocked(tokens[j + 1]):
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
            normal = _keep_yo(e.text, e.normal).split() if lang == "ru" \
                and len(e.normal.split()) == rng[1] - rng[0] + 1 else None
            add(rng[0], rng[1], "ner", normal=normal)
    # Bylines: "By Kanat Altynbayev" alone on a line.
    for i in bylines:
        last = rules.run(tokens, i)
        line_end = text.find("\n", tokens[last].end) if last is not None else -1  # (not a copy of the rest)
        if last is not None and last > i and text[tokens[last].end:line_end if line_end >= 0 else len(text)].strip() == "":
            add(i, last, "title")
    # 3. Runs that start with a known given name.
    names = given_names()
    for i, t in enumerate(tokens):
        # folded, not by cross-script key: a run from a bare key match is too often a
        # place or an institution ("Manas Havaalanı"); keys serve as evidence only
        if t.is_word and t.is_cap and fold(t.stem) in names and i + 1 < len(tokens) and not t.suffix:
            last = rules.run(tokens, i)
            if last is not None and last > i:
                add(i, last, "lexicon")
    # 4. Runs whose later word has a surname's shape ("Mahrijemal Mammedova",
    # "Qabil Ashirov"), bounded by the same evidence.
    for i, t in enumerate(tokens):
        if t.is_word and t.is_cap and not t.suffix and not rules.blocked(t) and not weak.trim(i) \
                and i + 1 < len(tokens) and tokens[i + 1].is_word:
            last = rules.run(tokens, i)
            # bounded by the evidence: the run ends on its last surname-shaped word
            while last is not None and last > i and not has_surname_shape(tokens[last].stem):
                last -= 1
            if last is None or last <= i:
                continue
            # and begins where the evidence does: known name words before the
            # surname, or one unknown word right before it ("Mahrijemal Mammedova";
            # not "Affairs Elmar Mammadyarov")
            first = last - 1
            while first > i and _name_word(tokens[first - 1], lang):
                first -= 1
            if first == last - 1 or _name_word(tokens[first], lang):
                add(first, last, "shape")
    people = _resolve_overlaps(cands, lang)
    # 5. Surnames alone, of people already named in full.
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
            if i in weak.places and not t.suffix and not (i and is_function_word(tokens[i - 1], lang, "title_prep")):
                weak.surnames.add(i)  # "Fujisawa" alone after "Haruka Fujisawa", a town's form uncued: the person
            add(i, i, "surname")
    out = _with_given_names(_resolve_overlaps(cands, lang), tokens, text, lang, weak)
    return _in_title_case(out, tokens, roles) if lang == "ru" else out


@lru_cache(maxsize=1)
def _ru_case_endings() -> dict[str, tuple[tuple[str, str], ...]]:
    """Case -> (ending, nominative ending), longest first (``ru_name_cases.tsv``)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in data_tsv("ru_name_cases.tsv"):
        out.setdefault(row[0], []).append((row[1], row[2] if len(row) > 2 else ""))
    return {c: tuple(sorted(v, key=lambda e: -len(e[0]))) for c, v in out.items()}


def _title_case(tok: Token) -> str | None:
    """The oblique case a Russian title word is in, when every noun reading
    agrees ("Президентом", "послом": instrumental), else None."""
    cases = {c for p in ru_parse(tok.stem) if p.tag.POS == "NOUN" for c in _ru_case_endings() if c in p.tag.grammemes}
    return next(iter(cases)) if len(cases) == 1 else None


def _in_title_case(people: list[PersonMention], tokens: list[Token], roles: list[RoleMention]) -> list[PersonMention]:
    """A Russian name stands in its title's case ("с Президентом Монголии
    Ухнаагийном Хурэлсухом"): a word of it the dictionary has no name reading
    of, left as written, loses that case's ending ("Хурэлсух"), which neither
    natasha nor the whole name's reading could do for a name they do not know."""
    rules = name_rules("ru")
    lasts = {r.last for r in roles}

    def apposed(j: int) -> int | None:
        """The last word of the title the name at ``j`` follows, across its complement
        (capitalised and genitive words, "в" before a capital, "и" between genitives)."""
        k = j - 1
        while k >= 0 and j - k <= 12 and k not in lasts:
            t = tokens[k]
            if not (t.is_word and (t.is_cap or ru_genitive(t.text) or _joins_genitives(rules, tokens, k)
                                   or is_function_word(t, "ru", "title_prep") and tokens[k + 1].is_cap
                                   or rules.honorific_at(tokens, k))):
                return None
            k -= 1
        return k if k in lasts else None

    for m in people:
        title = apposed(m.first)
        case = _title_case(tokens[title]) if title is not None else None
        idx = [k for k in range(m.first, m.last + 1) if tokens[k].is_word]
        words = m.name.split()
        if case is None or len(words) != len(idx) or any(_is_initial(tokens, k) for k in idx):
            continue
        for n, k in enumerate(idx):
            w = tokens[k].stem
            if words[n] != w or not w[:1].isupper():
                continue
            known = next((p for p in ru_parse(w) if case in p.tag.grammemes and "sing" in p.tag.grammemes
                          and {"Name", "Surn", "Patr"} & set(p.tag.grammemes)), None)
            cut = next(((e, nom) for e, nom in _ru_case_endings()[case] if w.endswith(e) and len(w) - len(e) >= 3), None)
            if known is not None:
                words[n] = _keep_yo(w, known.normal_form[:1].upper() + known.normal_form[1:])
            elif cut is not None:
                words[n] = w[:len(w) - len(cut[0])] + cut[1]
        m.name = " ".join(words)
    return people


def _post_end(tokens: list[Token], title_last: int, j: int, places: Mapping[int, object], lang: str) -> bool:
    """Token ``j`` ends a place after "in", "to" or "at" that closes a title's
    complement (capitalised words and its links only since the title word):
    the post, the holder's name right after it."""
    if j not in places or j + 1 in places:
        return False
    first = j
    while first - 1 in places:
        first -= 1
    return first - 1 > title_last and is_function_word(tokens[first - 1], lang, "title_prep") and all(
        tokens[k].is_cap or is_function_word(tokens[k], lang, "title_link") for k in range(title_last + 1, first))


class _WeakWords:
    """Words a name does not begin or end with: places found before, common
    words (the document writes them small at least as often as capitalised:
    "Holds Talks With", "İki"), and (Russian) words the dictionary knows with no
    name reading. A word with evidence of a name (given name, surname shape,
    name tag) is never weak."""

    def __init__(self, tokens: list[Token], text: str, lang: str, places: Mapping[int, object]):
        self.tokens, self.text, self.lang, self.places = tokens, text, lang, places
        self.small: dict[str, int] = {}
        self.capital: dict[str, int] = {}
        for t in tokens:
            if t.is_word:
                table = self.capital if t.is_cap else self.small
                w = turkish_lower(t.stem)
                table[w] = table.get(w, 0) + 1
        self._memo: dict[int, bool] = {}
        self.headline = self._headline_tokens()
        self.surnames: set[int] = set()  # town forms standing alone for the surname of a person named in full

    def _headline_tokens(self) -> set[int]:
        """Tokens of English headlines in title case ("Turkmen President Holds
        Talks With South Korean President"), where a capital says nothing about a
        name: a short line without commas or a final stop, its longer words
        capitalised, one of them a word the text also writes small. (Turkish and
        Russian headlines are in sentence case; a line that only lists names
        and titles has no common word.)"""
        out: set[int] = set()
        line: list[int] = []
        if self.lang != "en":
            return out

        def close() -> None:
            long = [k for k in line if self.tokens[k].is_word and len(self.tokens[k].stem) > 3
                    and self.tokens[k].stem.isalpha()]
            if not (4 <= len(long) and len(line) <= 16) or any(self.tokens[k].text in ",;" for k in line) \
                    or self.tokens[line[-1]].text == ".":
                return
            if sum(self.tokens[k].is_cap for k in long) >= 0.8 * len(long) and any(
                    self.tokens[k].is_cap and self.small.get(turkish_lower(self.tokens[k].stem), 0) for k in long):
                out.update(line)

        for k, t in enumerate(self.tokens):
            if k and "\n" in self.text[self.tokens[k - 1].end:t.start]:
                close()
                line = []
            line.append(k)
        close()
        return out

    def trim(self, k: int, leading: bool = False) -> bool:
        """Word ``k`` is weak; ``leading``: as a name's first word, where a word the
        Russian or Turkish lexicon knows as a common word and no name is weak too
        (as a last one it may be a surname: "Даром", "Kalın")."""
        if k in self.surnames:
            return False
        hit = self._memo.get(k)
        if hit is None:
            hit = self._memo[k] = self._weak(k)
        if hit and not leading and self._small_town_surname(k):
            return False
        return hit or leading and (self.lang in ("ru", "tr") and self._common(k) or self._town_epithet(k))

    def _town_epithet(self, k: int) -> bool:
        """A first word that is a town's form and no known name, before a
        surname ("Türkmenbaşı Berdimuhammedov"): an epithet or the town the
        place weighing left out, not the given name ("Bağdat Amreyev" is one)."""
        tok, nxt = self.tokens[k], self.tokens[k + 1] if k + 1 < len(self.tokens) else None
        return nxt is not None and nxt.is_word and has_surname_shape(nxt.stem) and not is_known_name(tok.stem) \
            and not name_evidence(tok, self.lang) and is_town_word(tok, self.lang)

    def _small_town_surname(self, k: int) -> bool:
        """A name's last word that is also a small town, after a name word
        ("Taro Yamada"): the surname. A state, a large city or a town with a
        case suffix ("Erdoğan Güney Kore'de") ends no name."""
        place = self.places.get(k)
        city = getattr(place, "city", None)
        tok = self.tokens[k]
        return (city is not None and getattr(place, "kind", "") == "city" and city.population < _SURNAME_TOWN
                and not tok.suffix and k > 0 and k - 1 not in self.places and self.tokens[k - 1].is_cap
                and k - 1 not in self.headline and not self._weak(k - 1))

    def _common(self, k: int) -> bool:
        tok = self.tokens[k]
        common = ru_common_word if self.lang == "ru" else tr_common_word
        nxt = self.tokens[k + 1] if k + 1 < len(self.tokens) else None
        if nxt is not None and nxt.is_word and has_surname_shape(nxt.stem):
            return False  # a given name the lexicon also knows as a word, before a surname ("Sadır Caparov")
        return tok.is_word and not name_evidence(tok, self.lang) and common(tok.stem)

    def _weak(self, k: int) -> bool:
        tok = self.tokens[k]
        if not tok.is_word or _is_initial(self.tokens, k):
            return False
        w = turkish_lower(tok.stem)
        if not (k in self.headline or k in self.places or self.small.get(w, 0) >= self.capital.get(w, 0)):
            return False  # (the cheap tests first: most words fail them)
        if name_evidence(tok, self.lang) and not (k in self.places and self._town_alone(k)):
            return False
        if k in self.headline:
            return True
        if k in self.places:
            # a given name that is also a town, before a name word ("Bağdat Amreyev",
            # "Serdar Berdimuhamedov"), or a surname that is one after a given name
            # ("Igor Babushkin"); "Самарканд Сидоров" stays a place
            nxt = self.tokens[k + 1] if k + 1 < len(self.tokens) else None
            prev = self.tokens[k - 1] if k > 0 else None
            return not (is_known_name(tok.stem) and nxt is not None and nxt.is_word and nxt.is_cap
                        and k + 1 not in self.places and name_evidence(nxt, self.lang)
                        or prev is not None and prev.is_word and k - 1 not in self.places and is_given_name(prev.stem))
        return True

    def _town_alone(self, k: int) -> bool:
        """A town's word whose only evidence of a name is a given name, with no
        capitalised word beside it on its line but a headline's ("... Visits
        Astana"): the town. Beside one it may be the given name ("Bağdat
        Amreyev", "Vladimir Putin")."""
        if has_surname_shape(self.tokens[k].stem):
            return False
        return not any(0 <= j < len(self.tokens) and j not in self.places and j not in self.headline
                       and self.tokens[j].is_word and self.tokens[j].is_cap
                       and "\n" not in self.text[self.tokens[min(j, k)].end:self.tokens[max(j, k)].start]
                       for j in (k - 1, k + 1))

    def one_line(self, first: int, last: int) -> tuple[int, int]:
        """A name does not run over a line break (a headline's last word and the
        body's first): the line's part with the most name-like words stays."""
        parts = [[first, first]]
        for k in range(first + 1, last + 1):
            if "\n" in self.text[self.tokens[k - 1].end:self.tokens[k].start]:
                parts.append([k, k])
            else:
                parts[-1][1] = k
        if len(parts) == 1:
            return first, last
        best = max(parts, key=lambda p: (sum(not self.trim(k) for k in range(p[0], p[1] + 1)), p[1] - p[0]))
        return best[0], best[1]


def _with_given_names(people: list[PersonMention], tokens: list[Token], text: str,
                      lang: str, weak: "_WeakWords | None" = None) -> list[PersonMention]:
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
        if p.last == p.first and prev >= 0 and prev not in taken and tokens[prev].is_cap \
                and not name_rules(lang).blocked(tokens[prev]) \
                and not (weak and weak.trim(prev, leading=True)):  # "в России Токаева"
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
_PRIORITY = {"tr": ("title", "ner", "lexicon", "shape", "surname"),
             "en": ("ner", "title", "lexicon", "shape", "surname"),
             "ru": ("ner", "title", "lexicon", "shape", "surname")}


def _resolve_overlaps(cands: list[PersonMention], lang: str) -> list[PersonMention]:
    """One mention per stretch of text: the stronger source wins, then longer."""
    order = _PRIORITY.get(lang, _PRIORITY["tr"])

    ner_spans = {(o.first, o.last) for o in cands if o.source == "ner"}

    def rank(c: PersonMention) -> float:
        # a title's name, or a surname-shaped run, that holds a shorter NER name
        # whole is the fuller reading ("Mahrijemal Mammedova" over "Mammedova")
        if c.source in ("title", "shape") and any((a, b) in ner_spans for a in range(c.first, c.last + 1)
                                       for b in range(a, c.last + 1) if (a, b) != (c.first, c.last)):
            return -1
        return order.index(c.source)

    chosen: list[PersonMention] = []
    taken: set[int] = set()
    titled = {(c.first, c.last): c for c in cands if c.source == "title"}
    for c in sorted(cands, key=lambda c: (rank(c), -(c.last - c.first), c.first)):
        span = range(c.first, c.last + 1)
        if not any(k in taken for k in span):
            t = titled.get((c.first, c.last))
            if t is not None and c.source != "title":
                # the same words after a title: the model's name form, the title's standing
                c.source, c.anchor = "title", c.anchor or t.anchor
            chosen.append(c)
            taken.update(span)
    return sorted(chosen, key=lambda c: c.first)

