"""Roles: title phrases from ``data/roles.tsv`` and their link to people,
organisations and countries in each language's word order.

Turkish puts the title and its complements before the name ("Kazakistan
Cumhuriyeti Enformasyon ve Haberleşme Bakanı Dauren Abayev"); English before
the name ("Uzbek President Shavkat Mirziyoyev", "Secretary General of the OTS
Baghdad Amreyev") or after it in apposition ("Jeenbek Kulubayev, Minister of
Foreign Affairs of Kyrgyzstan"); Russian before the name with the complement
in the genitive ("министр иностранных дел Азербайджана Джейхун Байрамов")."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator

from ..knowledge.lexicon import HONORIFIC_WORDS, PhraseLexicon, Word, honorific_words, lexicon_words, token_words, word_variants
from ..knowledge.morph import ru_genitive, ru_name_like, ru_parse
from .organizations import OrgMention, org_heads, ru_adjective
from .places import PlaceMention, has_iso_code, is_country_word, place_index, token_keys
from ..knowledge.resources import data_tsv
from ..schema import Role
from ..knowledge.textnorm import Lines, Token, fold, function_words, is_function_word, is_list_joiner, turkish_lower

_SENTENCE_END = {".", "!", "?", ";", ":", "\n"}
PORTFOLIO_ROLES = {"minister", "deputy_minister"}
MAX_COMPLEMENT = 16  # "Minister of Digital Development, Innovation and ... of the Republic of X"
MAX_LEFT_CHUNK = 32  # capitalised words a title's left part may have ("Kazakistan Cumhuriyeti ... Bakanı")


@dataclass(frozen=True, slots=True)
class RoleMention:
    first: int
    last: int
    role_type: str
    org_role_type: str | None
    plural: bool


@lru_cache(maxsize=None)
def role_lexicon(lang: str) -> PhraseLexicon[tuple[str, str | None]]:
    rows = [r for r in data_tsv("roles.tsv") if r[0] == lang]
    return PhraseLexicon(lang, ((r[1], (r[2], r[3] if len(r) > 3 else None)) for r in rows))


def _plural(tok: Token, lang: str) -> bool:
    w = fold(tok.stem)
    if lang == "tr":
        return any(s in w[-7:] for s in ("lari", "leri", "lar", "ler"))
    if lang == "en":
        return w.endswith("s") and not w.endswith("ss")
    if lang == "ru":  # "депутаты A, B": every reading plural (not "министра", genitive singular)
        parses = ru_parse(tok.text.lower())[:3]
        return bool(parses) and all("plur" in p.tag.grammemes for p in parses)
    return False


@dataclass(frozen=True)
class Modifiers:
    before: dict[str, str]  # folded form -> effect
    after: dict[str, str]
    shift: dict[str, str]  # role type -> its deputy's type


@lru_cache(maxsize=None)
def role_modifiers(lang: str) -> Modifiers:
    rows = data_tsv("role_modifiers.tsv")
    pick = lambda kind: {" ".join(lexicon_words(r[2], lang)): r[3] for r in rows if r[0] == lang and r[1] == kind}  # noqa: E731
    return Modifiers(pick("before"), pick("after"), {r[2]: r[3] for r in rows if r[1] == "shift"})


def _modifier(tok: Token, lang: str, table: dict[str, str]) -> str | None:
    """The effect of a modifier word at ``tok`` ("acting", "Yardımcısı", "бывшего")."""
    if not tok.is_word:
        return None
    return next((table[v] for v in word_variants(fold(tok.stem), lang) if v in table), None)


def _with_modifiers(tokens: list[Token], lang: str, first: int, last: int, rtype: str, org_rtype: str | None,
                    taken: int) -> tuple[int, int, str, str | None]:
    """A title's span and types with the modifiers around its head word;
    ``taken`` is the last token of the title before it (not to be crossed)."""
    mods = role_modifiers(lang)
    deputy = False
    while first - 1 > taken and "\n" not in tokens[first - 1].text:
        effect = _modifier(tokens[first - 1], lang, mods.before)
        if effect is None:
            break
        first -= 1
        deputy |= effect == "deputy"
    while last + 1 < len(tokens):
        effect = _modifier(tokens[last + 1], lang, mods.after)
        if effect is None:
            break
        last += 1
        deputy |= effect == "deputy"
    if deputy:
        rtype = mods.shift.get(rtype, rtype)
        org_rtype = mods.shift.get(org_rtype, org_rtype) if org_rtype else None
    return first, last, rtype, org_rtype


def _tr_possessive_compound(tokens: list[Token], first: int, last: int) -> bool:
    """A lower-case Turkish title in a possessive compound between a proper
    noun and a name ("Kuzey Kore lideri Kim", "Ankara valisi X"): a title too."""
    head = fold(tokens[last].stem)
    return 0 < first and last + 1 < len(tokens) and tokens[first - 1].is_word and tokens[first - 1].is_cap \
        and not tokens[first - 1].suffix and tokens[last + 1].is_word and tokens[last + 1].is_cap \
        and head.endswith(("i", "u", "si", "su"))


def find_roles(tokens: list[Token], lang: str, words: list[Word] | None = None, text: str | None = None) -> list[RoleMention]:
    """Title mentions in text order; ``text`` (the tokens' text) tells a
    space from a line break between words."""
    words = token_words(tokens) if words is None else words
    out: list[RoleMention] = []
    for m in role_lexicon(lang).find(tokens, words):
        if lang == "tr" and not tokens[m.first].is_cap and not _tr_possessive_compound(tokens, m.first, m.last):
            continue  # Turkish titles of named people are capitalised; "bakanlar" in prose is not one
        if lang == "ru" and tokens[m.first].is_cap and m.first > 0 and tokens[m.first - 1].is_word \
                and tokens[m.first - 1].is_cap and (text[tokens[m.first - 1].end:tokens[m.first].start] == " " if text
                                                    else tokens[m.first].start - tokens[m.first - 1].end == 1):
            continue  # Russian titles are lower case: a capitalised one inside a name is the name's ("Собрания Народных Представителей")
        if lang == "ru" and m.first == m.last and _ru_function_word(tokens[m.first].text):
            continue  # "после" is first the preposition, rarely the ambassador's locative
        if lang == "ru" and out and out[-1].last == m.first - 1 and ru_genitive(tokens[m.first].text):
            # "советник президента": the second title is the first one's complement
            prev = out.pop()
            out.append(RoleMention(prev.first, m.last, prev.role_type, prev.org_role_type, prev.plural))
            continue
        rtype, org_rtype = m.value
        # the head word carries the number: last in Turkish and Russian, before "of" in English
        head = next((k - 1 for k in range(m.first + 1, m.last + 1) if fold(tokens[k].text) == "of"), m.last)
        first, last, rtype, org_rtype = _with_modifiers(tokens, lang, m.first, m.last, rtype, org_rtype,
                                                        out[-1].last if out else -1)
        out.append(RoleMention(first, last, rtype, org_rtype, _plural(tokens[head], lang)))
    return out


@lru_cache(maxsize=50_000)
def _ru_function_word(word: str) -> bool:
    """The dictionary reads the word first as a preposition, conjunction or
    particle: a title's form it shares ("после") is not meant."""
    parses = ru_parse(word)
    return bool(parses) and parses[0].tag.POS in ("PREP", "CONJ", "PRCL")


@dataclass
class Context:
    """What the role linker needs to know about a document: the layers it
    reads, and what it derives from them once."""

    tokens: list[Token]
    text: str
    lang: str
    place_tokens: dict[int, PlaceMention]  # every token index covered -> place
    orgs: list[OrgMention]
    person_tokens: set[int]
    roles: list[RoleMention]
    bylines: set[int]  # tokens that start an author's name
    institutions: dict[int, str]  # token -> state of the institution it names
    starts: list[int]  # tokens' start offsets, for bisection (the tokens layer's)
    lines: Lines  # the text's lines (the Doc's)
    role_firsts: set[int] = field(init=False)
    role_lasts: list[int] = field(init=False)
    role_order: list[int] = field(init=False)  # the roles' first tokens, in order, for bisection
    org_firsts: list[int] = field(init=False)
    org_tokens: set[int] = field(init=False)  # tokens inside an organisation's name
    plural_states: dict[int, list[str]] = field(default_factory=dict)  # plural title's start -> its states in order
    # per token, its sentence's first token and the token after its sentence's
    # last: state inference fills it once per document (states.sentence_bounds)
    sentence_bounds: tuple[list[int], list[int]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.role_firsts = {r.first for r in self.roles}
        self.role_lasts = [r.last for r in self.roles]
        self.role_order = [r.first for r in self.roles]
        self.org_firsts = [o.first for o in self.orgs]
        self.org_tokens = {k for o in self.orgs for k in range(o.first, o.last + 1)}

    def same_line(self, a: int, b: int) -> bool:
        """Tokens ``a`` < ``b`` stand on one line (titles do not run across lines)."""
        return self.lines.same(self.tokens[a].start, self.tokens[b].start)


def state_code(tok: Token, lang: str) -> str | None:
    """The state a country name or nationality word names, in any case
    ("Turkish", "российского", "Kazakistan"); None for other words."""
    if not tok.is_word or not is_country_word(tok, lang):
        return None
    idx = place_index()
    for k in token_keys(tok, lang):  # the gazetteer's own keys (Russian lemmas)
        code = idx.demonyms.get(k) or idx.countries.get(k)
        if code and has_iso_code(code):
            return code
    return None


def institution_tokens(tokens: list[Token], lang: str, words: list[Word] | None = None) -> dict[int, str]:
    """Tokens of the state institutions the text names -> the state's code
    (found once per document: the name finder and the role linker both read it)."""
    return {k: m.value for m in institution_lexicon(lang).find(tokens, words) for k in range(m.first, m.last + 1)}


@lru_cache(maxsize=None)
def institution_lexicon(lang: str) -> PhraseLexicon[str]:
    """State institutions named by their seat or name ("Kremlin", "Milli Majlis") -> ISO code."""
    rows = [r for r in data_tsv("state_cues.tsv") if r[1] == "institution" and r[0] in ("*", lang)]
    return PhraseLexicon(lang, ((r[2], r[3]) for r in rows))


def _orgs_in(ctx: Context, lo: int, hi: int) -> list[OrgMention]:
    k = bisect_left(ctx.org_firsts, lo)  # organisations come in text order
    out = []
    while k < len(ctx.orgs) and ctx.orgs[k].first <= hi:
        if ctx.orgs[k].last <= hi:
            out.append(ctx.orgs[k])
        k += 1
    return out


def _countries_in(ctx: Context, lo: int, hi: int) -> list[PlaceMention]:
    seen, out = set(), []
    for i in range(lo, hi + 1):
        p = ctx.place_tokens.get(i)
        if p and p.kind in ("country", "demonym") and id(p) not in seen:
            seen.add(id(p))
            out.append(p)
    return out


def _tr_adverbial(ctx: Context, k: int) -> bool:
    """A Turkish word in a case no title's modifier takes: a suffix after an
    apostrophe other than the genitive ("Türkiye'de", not "Türkiye'nin"), or
    a sentence's first word in the locative or ablative ("Görüşmede")."""
    tok = ctx.tokens[k]
    if tok.suffix:
        return tok.suffix.lower() not in function_words("tr", "tr_genitive")
    starts_sentence = k == 0 or ctx.tokens[k - 1].text in ".!?:;" or not ctx.same_line(k - 1, k)
    return starts_sentence and k not in ctx.place_tokens and k not in ctx.org_tokens \
        and turkish_lower(tok.text).endswith(tuple(function_words("tr", "tr_adverbial_case")))


def _left_chunk(ctx: Context, first: int) -> int:
    """Start of the capitalised run of words (and joiners) before a title."""
    toks = ctx.tokens
    i = first
    # (bounded: in a long run of capitalised words every title went back to its start)
    while i > 0 and (i - 1) not in ctx.person_tokens and first - i < MAX_LEFT_CHUNK:
        prev = toks[i - 1]
        if not ctx.same_line(i - 1, i):
            break
        if prev.is_word and prev.is_cap and not (ctx.lang == "tr" and _tr_adverbial(ctx, i - 1)):
            i -= 1
        elif ((is_list_joiner(prev) or prev.text == "-") and ctx.lang == "tr" or prev.text == "'s") and i > 1 \
                and toks[i - 2].is_cap and ctx.same_line(i - 2, i):
            i -= 1
        else:
            break
    return i


_OPENERS = {"(": ")", "«": "»", "“": "”"}  # brackets and quotes a title's complement may hold whole


def _complement_end(ctx: Context, last: int, limit: int) -> int:
    """Last token of a title's complement after the title word, before ``limit``."""
    toks = ctx.tokens
    j = last
    while j + 1 < limit and j + 1 - last <= MAX_COMPLEMENT:
        nxt = toks[j + 1]
        if nxt.text in _OPENERS:  # "Премьер-министр Венгрии (страны-наблюдателя) Виктор Орбан", "фонда «Самрук-Казына»"
            close = next((k for k in range(j + 2, min(limit, j + 10)) if toks[k].text == _OPENERS[nxt.text]), None)
            if close is not None:
                j = close
                continue
        if ctx.lang == "en":
            after_the = any(fold(toks[q].text) == "the" for q in range(max(last, j - 1), j + 1))
            ok = nxt.is_cap or is_function_word(nxt, "en", "title_link") or nxt.text == "," or nxt.is_word and after_the
        else:  # Russian: the complement is in the genitive ("министр иностранных дел Азербайджана"),
            # or a prepositional phrase on a proper noun ("посол Турции в Лондоне")
            ok = nxt.is_word and (nxt.is_cap or ru_genitive(nxt.text)) or (
                is_function_word(nxt, "ru", "title_prep") and j + 2 < limit and toks[j + 2].is_cap
                and ctx.same_line(j + 1, j + 2)) or _ru_genitive_coordination(ctx, j + 1, limit)
        if not ok or nxt.text in _SENTENCE_END or (j + 1) in ctx.person_tokens or not ctx.same_line(j, j + 1) \
                or fold(nxt.stem) in HONORIFIC_WORDS:
            break
        j += 1
    # "Minister of Energy, and" X: a joiner closes no complement
    while j > last and (not toks[j].is_word and toks[j].text not in _OPENERS.values() or is_list_joiner(toks[j])
                        or is_function_word(toks[j], ctx.lang, "title_link")):
        j -= 1
    return j


def ru_joins_genitives(tokens: list[Token], j: int, starts_title: Callable[[int], bool]) -> bool:
    """Token ``j`` is "и" between two genitive portfolios of one Russian title
    ("министр иностранных дел и внешней торговли"), not before another title
    (``starts_title`` of the next token)."""
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    return is_function_word(tokens[j], "ru", "list_joiner") and tokens[j].is_word and nxt is not None \
        and nxt.is_word and not nxt.is_cap and ru_genitive(nxt.text) and not starts_title(j + 1)


def _ru_genitive_coordination(ctx: Context, k: int, limit: int) -> bool:
    """A joiner at token ``k`` before a second genitive on the same line: the
    complement goes on over coordinated states ("министры иностранных дел
    Казахстана и Грузии"), as English "of A and B" does, and over coordinated
    portfolios (``ru_joins_genitives``). A name there still ends it, as any
    name does."""
    toks = ctx.tokens
    if not (k + 1 < limit and ctx.same_line(k, k + 1)):
        return False
    nxt = toks[k + 1]
    capitalised = is_list_joiner(toks[k]) and nxt.is_word and nxt.is_cap and ru_genitive(nxt.text)
    return capitalised or ru_joins_genitives(toks, k, ctx.role_firsts.__contains__)


def _name_like(ctx: Context, k: int) -> bool:
    """A capitalised word in a title's complement that is no place and no
    organisation: likely a name the NER missed, so the title is not ours."""
    tok = ctx.tokens[k]
    if not (tok.is_word and tok.is_cap) or k in ctx.place_tokens or k in ctx.institutions:
        return False  # a state institution is the title's body ("спикер Жогорку Кенеша X")
    if ctx.lang == "ru" and not ru_name_like(tok.stem) or ctx.lang != "ru" and fold(tok.stem) not in _given_names():
        return False  # English and Turkish: a known given name ("Minister of Economy Daniyar X, Ambassador Y")
    return k not in ctx.org_tokens


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    from .people import given_names  # people imports this module

    return given_names()


def describe(ctx: Context, role: RoleMention, comp_last: int) -> Role:
    """The Role a title mention gives: its title text, organisation and country."""
    toks = ctx.tokens
    lo = _left_chunk(ctx, role.first) if ctx.lang in ("tr", "en") else role.first
    # A chain of titles ("Genel Sekreteri Büyükelçi X"): each keeps its own words.
    prev = bisect_left(ctx.role_lasts, role.first) - 1
    if prev >= 0 and ctx.role_lasts[prev] >= lo:
        lo = ctx.role_lasts[prev] + 1
    # an NER span that runs into the title's own words ("Macaristan Meclis" Başkan) is no body of it
    orgs = [o for o in _orgs_in(ctx, lo, comp_last) if o.last < role.first or o.first > role.last]
    # A nationality word ties the title to a state only before it ("Kazakh
    # President"), not in its complement ("Department of Turkish Language").
    # after "в"/"to"/"in" the complement names where the office is, not the state it is for
    # ("посол Турции в Лондоне", "coordinator of the UN in Turkmenistan", "Ambassador to Turkey")
    prep = next((k for k in range(role.last + 1, comp_last + 1) if is_function_word(toks[k], ctx.lang, "title_prep")),
                comp_last + 1)
    countries = [p for p in _countries_in(ctx, lo, comp_last)
                 if not any(o.start <= p.start < o.end for o in orgs)
                 and (p.kind == "country" or p.start < toks[role.first].start) and p.start < toks[min(prep, len(toks) - 1)].start]
    # Title: from after the last country/organisation left of the title word
    # through the title, plus (en/ru) the complement words that are neither.
    start_tok = role.first
    left_bound = lo
    for p in countries:
        if p.end <= toks[role.first].start:
            last_tok = next(k for k in range(role.first - 1, lo - 1, -1) if ctx.place_tokens.get(k) is p)
            left_bound = max(left_bound, last_tok + 1)
    for o in orgs:
        if o.last < role.first:
            left_bound = max(left_bound, o.last + 1)
    if ctx.lang == "tr":
        start_tok = left_bound
        while start_tok < role.first and (is_list_joiner(toks[start_tok]) or not toks[start_tok].is_word):
            start_tok += 1
    # A minister's ministry is the portfolio of the title ("Minister of
    # Digital Development"), not an organisation the role belongs to.
    portfolio = role.role_type in PORTFOLIO_ROLES
    if portfolio:
        orgs = []
    end_tok = role.last
    for k in range(role.last + 1, comp_last + 1):
        if k in ctx.place_tokens or any(o.first <= k <= o.last for o in orgs) or k in ctx.role_firsts:
            break
        if ctx.lang == "en" and fold(toks[k].text) in {"the"}:
            break
        end_tok = k
    while end_tok > role.last and (not toks[end_tok].is_word or is_function_word(toks[end_tok], ctx.lang, "title_link")
                                   or is_function_word(toks[end_tok], ctx.lang, "title_prep")):  # "посол в" Дохе
        end_tok -= 1
    title = ctx.text[toks[start_tok].start: toks[end_tok].stem_end]
    if ctx.lang == "ru":
        title = " ".join(title.split())
    codes = list(dict.fromkeys(p.code for p in countries if has_iso_code(p.code)))
    country = codes[0] if codes else None
    if role.plural and len(codes) > 1:  # "Foreign Ministers of Uzbekistan and Hungary, A and B"
        ctx.plural_states[toks[start_tok].start] = codes
    if country is None:  # "Kremlin Sözcüsü", "Speaker of the Milli Majlis"
        country = next((ctx.institutions[k] for k in range(lo, comp_last + 1) if k in ctx.institutions), None)
    if country is None and ctx.lang in ("en", "ru"):  # "киргизский президент", "Kazakh acting president"
        k = role.first - 1
        while country is None and k >= max(0, role.first - 2) and toks[k].is_word and ctx.same_line(k, role.first):
            country = state_code(toks[k], ctx.lang)
            k -= 1
    if country is None and role.role_type == "official" and not orgs:
        # a governor's or mayor's city names the state ("Soçi Belediye Başkanı", "governor of Astrakhan")
        country = next((ctx.place_tokens[k].code for k in range(lo, min(comp_last + 1, prep))  # not the post's town
                        if k in ctx.place_tokens and ctx.place_tokens[k].kind in ("city", "region")), None)
    org = orgs[0].text if orgs else None
    rtype = role.role_type
    # "президент академии": a body's head word as the complement makes it the body's office
    body = ctx.lang != "tr" and any(org_heads(ctx.lang).contains(toks[k].stem) for k in range(role.last + 1, comp_last + 1)
                                    if toks[k].is_word and not toks[k].is_cap)
    if (org or body) and role.org_role_type and not country:
        rtype = role.org_role_type
    return Role(title=" ".join(title.split()), role_type=rtype, organization=org, country=country,
                spans=[(toks[start_tok].start, toks[end_tok].stem_end)])


def link_roles(ctx: Context, roles: list[RoleMention], first: int, last: int,
               prev_roles: list[Role] | None = None, after_list_joiner: bool = False) -> list[Role]:
    """Roles of the person mention at tokens ``first..last``."""
    toks = ctx.tokens
    found: list[Role] = []
    k0 = bisect_left(ctx.role_lasts, first)  # roles come in text order
    skip = 0
    if ctx.lang == "en" and k0 > 1:
        # "Adviser to the President X", "Press Secretary of the President X": the office
        # after to/of is the complement of the title before it, not X's own
        j = roles[k0 - 1].first - 1
        while j > 0 and fold(toks[j].text) == "the":
            j -= 1
        if fold(toks[j].text) in ("to", "of") and roles[k0 - 2].last == j - 1:
            skip = 1
    # those before the name, nearest first (no copy of the list per mention)
    before = (roles[k] for k in range(k0 - 1 - skip, -1, -1))
    # Titles right before the name, chained ("Genel Sekreteri Büyükelçi X").
    anchor = first
    for r in before:
        gap = range(r.last + 1, anchor)
        comp_last = r.last
        if ctx.lang == "tr":
            ok = all(fold(toks[k].stem) in HONORIFIC_WORDS if toks[k].is_word
                     else toks[k].text == "." and k > 0 and fold(toks[k - 1].stem) in HONORIFIC_WORDS for k in gap)
        else:
            comp_last = _complement_end(ctx, r.last, anchor)
            rest = range(comp_last + 1, anchor)
            # "премьер-министр и министр иностранных дел X": coordinated titles share the name
            coordinated = found and len(rest) == 1 and toks[rest[0]].is_word and is_list_joiner(toks[rest[0]])
            ok = (coordinated or all(toks[k].text == "," or fold(toks[k].stem) in HONORIFIC_WORDS or fold(toks[k].text) == "the"
                  or toks[k].text == "." and fold(toks[k - 1].stem) in HONORIFIC_WORDS for k in rest)) \
                and not any(k in ctx.person_tokens for k in gap) \
                and not any(_name_like(ctx, k) for k in range(r.last + 1, comp_last + 1))
        ok = ok and ctx.same_line(r.last, first)  # a headline's title is not the next line's name
        if not ok or found and r.plural:
            break  # "Bakan ve Kuruluş Başkanları Türkiye ... Yardımcısı X": a group's title is not X's
        found.append(describe(ctx, r, comp_last if ctx.lang != "tr" else r.last))
        anchor = _left_chunk(ctx, r.first) if ctx.lang == "tr" else r.first
    codes = {r.country for r in found if r.country}
    if len(found) > 1 and len(codes) == 1:  # "Türkmenistan Milli Lideri ve Halk Maslahatı Başkanı X"
        found = [r if r.country or r.organization else r.model_copy(update={"country": next(iter(codes))})
                 for r in found]
    # English apposition: "X, Minister of ... ," and "X, the President of ..."; after a
    # title before the name too ("Ambassador X, Permanent Representative of Turkey to the OTS")
    if ctx.lang in ("en", "ru"):
        k = last + 1
        if k < len(toks) and toks[k].text == ",":
            k += 1
            if k < len(toks) and fold(toks[k].text) in ("the", "a", "an"):
                k += 1
            nxt = next(_roles_from(ctx, roles, k, k), None)
            if nxt is None:
                # "X, Kazakh Foreign Minister", "X, постоянный координатор": modifiers before the title.
                nxt = next((r for r in _roles_from(ctx, roles, k + 1, k + 3) if all(
                    toks[q].is_cap or ctx.lang == "ru" and ru_adjective(toks[q].text) for q in range(k, r.first))), None)
                if nxt is not None and ctx.lang == "ru":  # the adjectives are the title's
                    nxt = RoleMention(k, nxt.last, nxt.role_type, nxt.org_role_type, nxt.plural)
            if nxt is None and k + 2 < len(toks) and toks[k].is_word and not toks[k].is_cap \
                    and toks[k + 1].is_word and is_list_joiner(toks[k + 1]):
                # "X, the founder and first President of Y": a common noun coordinated with the title
                nxt = next(_roles_from(ctx, roles, k + 2, k + 2), None)
            limit = _limit(ctx, nxt) if nxt is not None else 0
            comp = _complement_end(ctx, nxt.last, limit) if nxt is not None else 0
            if nxt is not None and found and (comp + 1 == limit or comp + 1 < len(toks) and toks[comp + 1].is_cap):
                nxt = None  # "President A, Prime Minister B": the title is the next name's
            if nxt is not None:
                found.append(describe(ctx, nxt, comp))
                # "X, the acting President and First Vice President of Iran": titles
                # joined in the apposition share its complement
                for r in _roles_from(ctx, roles, nxt.last + 2, comp):
                    j = r.first - 1
                    while j > nxt.last and ctx.lang == "ru" and ru_adjective(toks[j].text):
                        j -= 1  # "и страновой руководитель"
                    if not r.plural and toks[j].is_word and is_list_joiner(toks[j]):
                        found.append(describe(ctx, RoleMention(j + 1, r.last, r.role_type, r.org_role_type, r.plural)
                                              if j + 1 < r.first else r, comp))
    # "X was appointed Secretary General", "X назначен послом".
    if not found and ctx.lang in ("en", "ru"):
        k = last + 1
        n = _predicate_at(ctx, k)
        if n:
            k += n
            while k < len(toks) and fold(toks[k].text) in ("as", "the", "a", "an"):
                k += 1
            nxt = next(_roles_from(ctx, roles, k, k), None)
            if nxt is not None:
                limit = _limit(ctx, nxt)
                found.append(describe(ctx, nxt, _complement_end(ctx, nxt.last, limit)))
    if not found and prev_roles and after_list_joiner and any(
            r.plural for q in prev_roles for s, e in q.spans
            for r in _roles_from(ctx, roles, bisect_left(ctx.starts, s), bisect_left(ctx.starts, e) - 1)):
        found = list(prev_roles)  # "Ministers A, B and C": a plural title's list (not "Prime Minister A, B")
    if not found and first in ctx.bylines:
        k = first - 2 if toks[first - 1].text == ":" else first - 1
        found = [Role(title=toks[k].text, role_type="journalist", spans=[(toks[k].start, toks[k].end)])]
    elif not found and _alone_on_line(ctx, first, last):
        found = [Role(title="", role_type="journalist")]  # the author's line: a name and at most a time
    if not found:
        rank = _rank_before(ctx, first)
        if rank is not None:
            found = [rank]
    # "President Shavkat Mirziyoyev of Uzbekistan": the state after the name.
    if ctx.lang == "en" and last + 2 < len(toks) and fold(toks[last + 1].text) == "of":
        place = ctx.place_tokens.get(last + 2)
        if place is not None and place.kind == "country":
            found = [r if r.country else r.model_copy(update={"country": place.code}) for r in found]
    return found


def _alone_on_line(ctx: Context, first: int, last: int) -> bool:
    """A name of two words or more that is all its line holds, but for a
    time or date in figures ("Name\\n", "Name 21:02 - 18/05/2022"), below the
    release's first line: the author's byline. A headline is no byline, nor
    a quote's speaker ("- Name")."""
    toks, text = ctx.tokens, ctx.text
    start, end = toks[first].start, toks[last].end
    lo, hi = ctx.lines.bounds(start, end)
    # searched in place, not copied: a copy of the line per name is quadratic
    # in a text of one line
    if last == first or not _NON_SPACE.search(text, 0, lo):
        return False
    # nothing before it ("- Name" under a quote names the speaker), figures after
    return not _NON_SPACE.search(text, lo, start) and not _LETTER.search(text, end, hi)


_NON_SPACE = re.compile(r"\S")
_LETTER = re.compile(r"[^\W\d_]")


def list_gap(tokens: list[Token], lo: int, hi: int) -> bool:
    """Tokens ``lo..hi-1`` only join two items of a list: joiners, and asides
    in brackets ("A (СДПК), B (Ата-Мекен) и C")."""
    depth = 0
    for k in range(lo, hi):
        t = tokens[k].text
        if t in "([":
            depth += 1
        elif t in ")]" and depth:
            depth -= 1
        elif not depth and not is_list_joiner(tokens[k]):
            return False
        elif depth and t in _SENTENCE_END:
            return False
    return depth == 0 and hi > lo


def _roles_from(ctx: Context, roles: list[RoleMention], lo: int, hi: int) -> Iterator[RoleMention]:
    """The roles (``ctx.roles``) that start at tokens ``lo..hi``, in order, found
    by bisection (scanning all roles per mention was quadratic)."""
    return (roles[q] for q in range(bisect_left(ctx.role_order, lo), bisect_left(ctx.role_order, hi + 1)))


def _limit(ctx: Context, role: RoleMention) -> int:
    """Where a title's complement must stop: the next person's name. A
    complement never reaches further than MAX_COMPLEMENT words and a closing
    bracket, so the search stops there too (to the text's end, it was quadratic)."""
    end = min(len(ctx.tokens), role.last + MAX_COMPLEMENT + 12)
    return next((q for q in range(role.last + 1, end) if q in ctx.person_tokens), len(ctx.tokens) if end == len(ctx.tokens) else end)


@lru_cache(maxsize=None)
def _predicates(lang: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Predicate phrases by first word, longest first."""
    rows = sorted((tuple(fold(r[1]).split()) for r in data_tsv("role_predicates.tsv") if r[0] == lang),
                  key=len, reverse=True)
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in rows:
        out.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


def _predicate_at(ctx: Context, k: int) -> int:
    """Number of tokens of a role predicate starting at token ``k``."""
    if k >= len(ctx.tokens):
        return 0
    for phrase in _predicates(ctx.lang).get(fold(ctx.tokens[k].text), ()):
        n = len(phrase)
        if tuple(fold(t.text) for t in ctx.tokens[k:k + n]) == phrase:
            return n
    return 0


def _rank_before(ctx: Context, first: int) -> Role | None:
    """An academic rank among the honorifics right before a name ("Assoc. Prof. Dr. X")."""
    ranks = honorific_words(ctx.lang, ("rank",))
    toks = ctx.tokens
    i = first
    while i > 0 and (fold(toks[i - 1].stem) in HONORIFIC_WORDS or toks[i - 1].text == "."):
        i -= 1
    for a in range(i, first):
        for b in range(first, a, -1):
            if toks[a].is_word and fold(" ".join(t.text for t in toks[a:b])) in ranks:
                return Role(title=ctx.text[toks[a].start:toks[b - 1].end], role_type="other")
    return None
