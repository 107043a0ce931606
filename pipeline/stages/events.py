"""Events: who met, called, visited, signed or wrote to whom, where and when.

A trigger lexicon per language (``data/event_triggers.tsv``) finds the clauses
that state an event; the event's participants are the record's persons named
as the trigger's arguments (by the dependency parse, ``clauses.py``, where a
sentence has two or more people and a second clause; else the sentence's),
its place a city or country in a place construction of the clause (else the
report's scene), its date a date expression of the clause (else the lead's).
Words that refer back ("during the meeting") and "took part" / "accompanied
by" clauses add people to events told already; the same event told twice
merges. Events are built on the record's persons, places and dates, so they
cost a regex pass per sentence plus parses of a few sentences. Participants
are indices into ``Record.persons`` here: the entity ids exist only after
resolution (``Pipeline._resolve``)."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, combinations
from typing import Callable, Iterable, Iterator, TypeVar

from .clauses import agent_ranges, clause_ranges
from ..knowledge.lexicon import HONORIFIC_WORDS
from ..knowledge.morph import ru_parse
from ..knowledge.resources import data_tsv
from ..schema import Event, Record
from ..knowledge.textnorm import fold, turkish_lower

EVENT_TYPES = ("meeting", "call", "summit", "visit", "signing", "message")
GROUP_TYPES = frozenset({"signing"})  # events a gathering's people may take part in, named by nobody
WELCOME = "welcome"  # a host welcomed a guest: a meeting, but at a summit the summit's ceremony
ARGUMENT_TYPES = frozenset({"meeting", "call", "visit", "signing", "message", WELCOME})  # gatherings take the whole list
VISITED_GAP = 3  # characters between a visit verb and the country it takes as object
LEADERS = frozenset({"head_of_state", "head_of_government", "deputy_head_of_government"})  # "the leaders"
NAMES_GATHERING = 25  # characters from a plural title to a gathering's word that make it the gathering's name
SERIAL_AFTER = 12  # characters after a meeting trigger where "bilateral" still qualifies it ("talks, bilateral")
CUE_KINDS = ("inviter", "sender", "carrier", "agent", "topic")
CUE_GAP = 60  # characters from a cue ("at the invitation of", "from") to the name it marks
PLACELESS = frozenset({"call", "message"})  # a call or a letter has no place of its own
WINDOW_BEFORE = 4  # words before a trigger where a future cue makes it an announcement
WINDOW_AFTER = 3  # words after it
HEADER_CHARS = 200  # a date this early that equals the publication date is the dateline
NO_DATE = (None, None, None)
DATELINE = 60  # a line this short in the lead is a dateline or a header ("20 September 2012, Bishkek")
BYLINE_WORDS = 3  # words beside a name on the last line that still make it a byline ("Name, Agency")
BODY = 100  # a line this long starts the body: datelines come before it
LEAD = 3  # sentences of headline and lead: an event told there is what the report is about

NONE = "none"  # words that hold a trigger but tell no event ("press conference"): they win the overlap, then go
RANK = "rank:"  # a kind's prefix for plural nouns naming office holders of a role type ("the leaders")
DURATION = "duration:"  # a kind's prefix for lengths in days ("three-day", "üç günlük")
REF = "_ref"  # a kind's suffix for words that refer back to an event told already ("during the meeting")
LIST_LINE = 200  # lines this short after "... attended by:" are the items of its list
LASTING = ("visit", "summit")  # events a length in days can qualify ("a three-day visit")
LASTING_GAP = 40  # characters from "three-day" to the word of the event it qualifies ("three-day official visit")
_WORD_START = r"(?<![^\W\d_])"
_SENT_END = re.compile(r"\n\s*|(?<=[.!?…])[\"'»”]?\s+(?=[\"'«“(]?[^\W\d_])")
# an abbreviation ("H.E.", "Dr.", "г.") or an ordinal ("11. Zirvesi", "3. Mart") ends no sentence
_ABBREV = re.compile(r"(?:^|\W)(?:[^\W\d_]{1,2}|(?:[^\W\d_]\.)+[^\W\d_]|[A-ZА-Я][a-zа-я]{1,2}|\d{1,2})\.$")
_QUOTE = re.compile(r"“[^”]*(?:”|$)|«[^»]*(?:»|$)|\"[^\"\n]*(?:\"|$)|''(?:(?!'').)*(?:''|$)", re.M)
_OPENING, _CLOSING = re.compile("[“«]"), re.compile("[”»]")
_SET_OFF = re.compile(r"(?:['’][^\W\d_]{1,4})?,")  # "X," or "X'in,": a Turkish subject set off by a comma
_BREAK = re.compile(r"[,.;:!?()\n]")
_HEADER = re.compile(r"(?:^|\n)\s*date\s+$", re.I)
_LINE = re.compile(r"[^\n]*[^\s][^\n]*")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Lexicon:
    triggers: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern)
    starts: re.Pattern[str]  # where any trigger starts: one scan of a sentence instead of one per kind
    future: re.Pattern[str]
    clause: re.Pattern[str]  # words that open another clause: where a parse can tell arguments apart
    place_before: frozenset[str]
    place_suffix: re.Pattern[str] | None
    place_dative: re.Pattern[str] | None = None  # a dative ending after a place: where a visit went
    place_object: re.Pattern[str] | None = None  # an accusative ending after a place: a verb's object
    pronouns: frozenset[str] = frozenset()  # personal pronouns that can be a clause's subject
    date_before: frozenset[str] = frozenset()  # a word before a date that makes it the clause's time
    date_after: re.Pattern[str] | None = None  # a case ending or word after it that does
    ranks: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (role type, pattern) of plural nouns for a group of office holders
    call_on: re.Pattern[str] = re.compile("(?!)")  # "X'i makamında ziyaret etti": a visit to a person, a meeting
    genitive: re.Pattern[str] | None = None  # a genitive ending after a name: the subject of a nominalised verb
    comitative: re.Pattern[str] | None = None  # "ile" after it: the partner
    # cues that mark a name's part, before it or (KIND_after) after it: inviter ("at the invitation
    # of", "'in daveti": the host, no visitor), sender ("from", "от", "'den"), carrier (a verb of handing over)
    cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    serial: re.Pattern[str] | None = None  # "bilateral", "ardından": one person met each of the others in turn
    ongoing: re.Pattern[str] | None = None  # "is taking place", "начался": as the text is written
    presence: re.Pattern[str] | None = None  # "in the presence of": the group named there watched, did not sign
    frame: re.Pattern[str] | None = None  # "within the framework of", "в рамках": the phrase after it frames an event
    frame_after: re.Pattern[str] | None = None  # "kapsamında": the phrase before it does
    named_after: re.Pattern[str] | None = None  # "имени", "проспект" right before a name: a place named after them
    named_after_after: re.Pattern[str] | None = None  # "International Airport", "Caddesi" right after a name: the same
    durations: tuple[tuple[int, re.Pattern[str]], ...] = ()  # (days, pattern) of a length before an event's word
    same_day: re.Pattern[str] | None = None  # "later that day", "aynı gün", "в тот же день": the day of the event told before


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    """The language's triggers and cues, compiled once."""
    rows = [r for r in data_tsv("event_triggers.tsv") if r[0] == lang] or \
           [r for r in data_tsv("event_triggers.tsv") if r[0] == "en"]
    by_kind: dict[str, list[str]] = {}
    for _, kind, pattern in rows:
        by_kind.setdefault(kind, []).append(pattern)
    kinds = [k for k in by_kind if k.removesuffix(REF) in EVENT_TYPES or k in ("attend", "companion", NONE, WELCOME)]
    triggers = tuple((k, re.compile(f"{_WORD_START}(?:{'|'.join(by_kind[k])})")) for k in kinds)
    future = "|".join(by_kind.get("future", [])) or "(?!)"
    suffix = by_kind.get("place_suffix")
    clause = "|".join(by_kind.get("clause", [])) or "(?!)"
    starts = re.compile(f"{_WORD_START}(?=(?:{'|'.join(p for k in kinds for p in by_kind[k])}))")
    return Lexicon(triggers=triggers, starts=starts,
                   future=re.compile(rf"{_WORD_START}(?:{future})(?![^\W\d_])" if lang != "tr"
                                     else rf"{_WORD_START}(?:{future})"),
                   clause=re.compile(rf"{_WORD_START}(?:{clause})(?![^\W\d_])"),
                   place_before=frozenset(w for p in by_kind.get("place_before", []) for w in p.split("|")),
                   place_suffix=re.compile("|".join(suffix)) if suffix else None,
                   place_dative=re.compile("|".join(by_kind["place_dative"])) if by_kind.get("place_dative") else None,
                   place_object=re.compile("|".join(by_kind["place_object"])) if by_kind.get("place_object") else None,
                   pronouns=frozenset(w for p in by_kind.get("pronoun", []) for w in p.split("|")),
                   date_before=frozenset(w for p in by_kind.get("date_before", []) for w in p.split("|")),
                   date_after=re.compile("|".join(by_kind["date_after"])) if by_kind.get("date_after") else None,
                   ranks=tuple((k.removeprefix(RANK), re.compile(rf"{_WORD_START}(?:{'|'.join(v)})(?![^\W\d_])"))
                               for k, v in by_kind.items() if k.startswith(RANK)),
                   call_on=re.compile("|".join(by_kind.get("call_on", [])) or "(?!)"),
                   genitive=re.compile("|".join(by_kind["genitive"])) if by_kind.get("genitive") else None,
                   comitative=re.compile("|".join(by_kind["comitative"])) if by_kind.get("comitative") else None,
                   cues={k: re.compile("|".join(v) if k.endswith("_after") else
                                       rf"{_WORD_START}(?:{'|'.join(v)})(?![^\W\d_])")
                         for k, v in by_kind.items() if k.removesuffix("_after") in CUE_KINDS},
                   serial=re.compile(rf"{_WORD_START}(?:{'|'.join(by_kind['serial'])})(?![^\W\d_])")
                   if by_kind.get("serial") else None,
                   ongoing=re.compile(rf"{_WORD_START}(?:{'|'.join(by_kind['ongoing'])})(?![^\W\d_])")
                   if by_kind.get("ongoing") else None,
                   presence=re.compile(rf"{_WORD_START}(?:{'|'.join(by_kind['presence'])})")
                   if by_kind.get("presence") else None,
                   frame=re.compile(rf"{_WORD_START}(?:{'|'.join(by_kind['frame'])})(?![^\W\d_])")
                   if by_kind.get("frame") else None,
                   frame_after=re.compile(rf"{_WORD_START}(?:{'|'.join(by_kind['frame_after'])})(?![^\W\d_])")
                   if by_kind.get("frame_after") else None,
                   named_after=re.compile(rf"(?:{'|'.join(by_kind['named_after'])})\s*$", re.I)
                   if by_kind.get("named_after") else None,
                   named_after_after=re.compile(rf"\s*(?:{'|'.join(by_kind['named_after_after'])})(?![^\W\d_])", re.I)
                   if by_kind.get("named_after_after") else None,
                   durations=tuple((int(k.split(":")[1]), re.compile(rf"{_WORD_START}(?:{'|'.join(v)})(?![^\W\d_])"))
                                   for k, v in by_kind.items() if k.startswith(DURATION)),
                   same_day=re.compile(rf"{_WORD_START}(?:{'|'.join(by_kind['same_day'])})(?![^\W\d_])")
                   if by_kind.get("same_day") else None)


def lower(text: str, lang: str) -> str:
    """Lower case with the offsets kept (Turkish dotted and dotless i)."""
    if lang == "tr":
        text = turkish_lower(text)
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: lines, cut after a full stop that ends no abbreviation."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if "\n" not in m.group() and _abbreviation(text[max(start, m.start() - 12):m.start()]):
            continue  # "H.E. Mr.", "Dr.", "Prof.", "г." end no sentence
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return _join_lists(text, out)


def _abbreviation(before: str) -> bool:
    """The text before a full stop ends in an abbreviation, an ordinal or an
    honorific or rank (data/honorifics.tsv: "Prof.", "Assoc.")."""
    if _ABBREV.search(before):
        return True
    words = _WORD.findall(before)
    return bool(words) and fold(words[-1]) in HONORIFIC_WORDS


def _join_lists(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A sentence ending in a colon goes on over the short lines that list its
    items ("The summit was attended by:" and a line per leader)."""
    out: list[tuple[int, int]] = []
    open_list = False
    for lo, hi in spans:
        if open_list and hi - lo < LIST_LINE:
            out[-1] = (out[-1][0], hi)
            open_list = not text[lo:hi].rstrip().endswith((".", "!", "?"))
            continue
        out.append((lo, hi))
        open_list = text[lo:hi].rstrip().endswith(":")
    return out


@dataclass
class Trigger:
    kind: str
    start: int
    end: int


@dataclass
class Draft:
    """An event before merging: person indices, its place and date, its sentence."""

    type: str
    people: list[int]
    span: tuple[int, int]
    city: str | None = None
    country: str | None = None
    date: tuple[str | None, str | None, str | None] = NO_DATE  # value, start, end
    placed: bool = False  # the place came from the clause itself
    sentence: int = 0  # index of the sentence that tells it
    attended: bool = False  # the clause says its people took part ("attended the summit")
    ref: bool = False  # told by a word that refers back ("during the meeting"): adds to that event
    roles: frozenset[str] = frozenset()  # a group told by a plural title ("the ministers signed"): those of the gathering holding it
    host: int | None = None  # who welcomed the guest: the welcome was in the host's country
    topic: bool = False  # spoken about ("regarding the meeting of X and Y"): not told to be at the report's scene


def find_triggers(low: str, lang: str, lo: int, hi: int, announced: bool = False) -> list[Trigger]:
    """Triggers in ``low[lo:hi]``, announced ones (a future cue beside them) left
    out, and with an announced meeting, call or visit the gathering that frames
    it ("will meet X within the summit", "X ile zirve kapsamında bir araya
    geleceğini"). ``announced``: keep them all (the lead's dateline and scene)."""
    lex = lexicon(lang)
    found = [(m.start(), m.end(), kind) for at in lex.starts.finditer(low, lo, hi) for kind, pat in lex.triggers
             if (m := pat.match(low, at.start(), hi))]
    taken: list[Trigger] = []
    for s, e, kind in sorted(found, key=lambda x: (x[0] - x[1], x[0])):  # the longest of overlapping ones
        if not any(s < t.end and t.start < e for t in taken):
            taken.append(Trigger(kind, s, e))
    taken = [t for t in taken if t.kind != NONE]
    if announced:
        return sorted(taken, key=lambda t: t.start)
    future = {id(t) for t in taken if _announced(low, t.start, t.end, lex, lo, hi, lang)}
    framed = any(id(t) in future and t.kind in ARGUMENT_TYPES for t in taken) and \
        not any(t.kind == "attend" and id(t) not in future for t in taken)
    return sorted((t for t in taken if id(t) not in future and not (framed and t.kind == "summit")),
                  key=lambda t: t.start)


def _announced(low: str, start: int, end: int, lex: Lexicon, lo: int, hi: int, lang: str) -> bool:
    """A future cue in the words around the trigger ("will visit", "the next
    summit", "ziyaret edecek"), or (Russian) a verb there in the future tense.
    The words before count from a length that qualifies the trigger ("will pay
    a three-day official visit")."""
    length = [m.start() for _, pat in lex.durations for m in pat.finditer(low, max(lo, start - LASTING_GAP), start)
              if not _BREAK.search(low, m.end(), start)]
    first = min(length, default=start)
    before = list(_WORD.finditer(low, max(lo, first - 60), first))[-WINDOW_BEFORE:]
    after = list(_WORD.finditer(low, start, min(hi, end + 60)))[:WINDOW_AFTER + 1]
    a = before[0].start() if before else start
    b = after[-1].end() if after else end
    if lex.future.search(low, a, b):
        return True
    return lang == "ru" and any(_ru_future(w.group()) for w in (*before, *after))


def _ru_future(word: str) -> bool:
    """A finite verb in the future (perfective "встретится", "посетит"), by a
    reading the dictionary knows: a word it only guesses at (an adjective made
    from a place name) tells no tense."""
    parses = ru_parse(word)
    return bool(parses) and parses[0].is_known and parses[0].tag.POS == "VERB" and "futr" in parses[0].tag.grammemes


def find_events(record: Record, text: str, titles: Iterable[tuple[int, int, str, bool]] = ()) -> list[Event]:
    """The record's events, participants as indices into ``record.persons``
    (``Event._people``). ``titles``: (start, end, role_type, plural) of every
    title in the text, so that "the President received ..." counts the
    record's one president (a plural title stands for no one person)."""
    lang = record.language
    if not record.persons:
        return []
    lex = lexicon(lang)
    low = lower(text, lang)
    mentions = _person_mentions(record, text)
    titles = list(titles)
    qualifies_title, held_by_title = _qualifies_title(titles), _held_by_title(titles, mentions, text)
    places = [p for p in _place_mentions(record, text, lang) if not qualifies_title(p) and not held_by_title(p)]
    dates = _date_mentions(record, text)
    history = _history(record)
    holders = _title_holders(record)
    drafts: list[Draft] = []
    last_meeting: dict[int, Draft] = {}  # person -> the meeting drafted last with them

    def draft(d: Draft) -> None:
        """A draft told, its type and meeting noted (a scan back over the
        drafts per clause was quadratic)."""
        drafts.append(d)
        if d.type == "meeting":
            last_meeting.update(dict.fromkeys(d.people, d))

    attendees: list[tuple[int, list[int]]] = []  # (sentence, people) of "took part" clauses naming no event
    companions: list[tuple[int, list[int]]] = []  # (sentence, people) of "accompanied by" clauses
    groups: list[Draft] = []  # events whose clause names nobody ("the declaration was signed")
    busy: set[int] = set()  # people named in a clause with a trigger other than a gathering's
    spans = sentences(text)
    # what each sentence holds, found once (each sentence scanning every place,
    # name, title and date of the text was quadratic in a long one)
    places_in = _by_sentence(spans, places, lambda p: p.start)
    mentions_in = _by_sentence(spans, mentions, lambda m: m[0])
    titles_in = _by_sentence(spans, titles, lambda t: t[0])
    dates_in = _by_sentence(spans, dates, lambda d: d[0])
    history_in = _by_sentence(spans, history, lambda s: s)
    scene = Draft("summit", [], (0, 0))  # where and when the lead says its event happened
    told_at: list[tuple[str, PlaceAt]] = []  # (kind, city) of "in CITY" beside a trigger, named people or not
    for n, (lo, hi) in enumerate(spans):
        here, on = places_in.get(n, []), dates_in.get(n, [])  # the sentence's places and dates
        trig = find_triggers(low, lang, lo, hi)
        told = trig or (find_triggers(low, lang, lo, hi, announced=True) if n < LEAD else [])
        if n < LEAD and (told or hi - lo < DATELINE):
            if trig and not scene.placed:
                _place(scene, _where(trig[0], here, lo, hi))
            if scene.date == NO_DATE:
                scene.date = _date(Trigger("", lo, lo), on, low, lang, lo, hi) or NO_DATE
        if not trig:
            continue
        told_at += [(t.kind.removesuffix(REF), p) for t in trig for p in here
                    if p.city and p.cued]
        if n >= LEAD and n in history_in:
            continue  # "X recalled his visit to Hungary in 2006": history, not this report's event
        named = list(mentions_in.get(n, []))
        clause = _strip(text, lo, hi)  # the span of every draft the sentence tells
        quoted = _quotes(text, lo, hi)
        in_quote = _covered(quoted)
        if quoted and not any(in_quote(t.start) for t in trig):
            # "X said: 'our presidents Y and Z will ...'": people in a quotation are spoken of, not there
            named = [m for m in named if not in_quote(m[0])]
        named += sorted((s, e, holders[rt]) for s, e, rt, plural in titles_in.get(n, []) if rt in holders
                        and not plural and not any(_names_holder(text, s, e, ms, me) for ms, me, _ in named))
        people = [i for _, _, i in named]
        if not people:
            # "the declaration was signed": the signing told with names, else the gathering's people
            # ("the ministers signed": those of them holding the title); "X hosted a meeting of
            # ministers" in the lead: the report's gathering, its people named further down
            ranks = _group_ranks(low, lang, lo, hi, titles_in.get(n, []), trig)
            watched = lex.presence is not None and lex.presence.search(low, lo, hi) is not None
            for t in trig:  # (signed "in the presence of the leaders": by people the text does not name)
                if (t.kind in GROUP_TYPES and not watched) or (t.kind == "summit" and n < LEAD):
                    g = Draft(t.kind, [], clause, sentence=n, roles=ranks)
                    _place(g, _where(t, here, lo, hi))
                    g.date = _date(t, on, low, lang, lo, hi) or _today(record, low, lang, lo, hi)
                    (draft if t.kind == "summit" else groups.append)(g)
            continue
        kinds = {t.kind.removesuffix(REF) for t in trig}
        if kinds - {"summit", "attend", "companion"}:
            busy.update(people)
        senders = [m for m in named if "message" in kinds and _cued(text, lang, lo, m, "sender")]
        for t in _one_per_kind(trig, kinds, conveyed=bool(senders)):
            kind = t.kind.removesuffix(REF)
            if kind == "attend":
                if not kinds & {"summit", "meeting"}:  # "X was also present": at the event told before
                    # (not those a quotation speaks of: "the council chaired by our presidents will ...")
                    attendees.append((n, _unique(i for s, _, i in named if not in_quote(s))))
                continue
            if kind == "companion":
                companions.append((n, _unique(people)))
                continue
            if kind == "summit" and not t.kind.endswith(REF) and "attend" not in kinds and \
                    any(x.kind == "meeting" for x in trig):
                continue  # "met X on the sidelines of the conference": the meeting is the event, the gathering its frame
            if kind == "summit" and WELCOME in kinds and len(set(people)) < 3:
                continue  # "X was welcomed by Y with an official ceremony": the welcome, no gathering
            if senders and kind == "message":  # "Y handed X a letter from Z": from Z to X, Y only carried it
                d = _conveyed(Draft(kind, [], clause, sentence=n), text, lang, lo, t, named, senders,
                              last_meeting)
                d.date = _date(t, on, low, lang, lo, hi) or NO_DATE
                draft(d)
                continue
            if senders:  # Z, whose greetings were handed over, was not there
                named = [m for m in named if m not in senders]
            args = _arguments(lang, text, lo, hi, t, named) if kind in ARGUMENT_TYPES else named
            who = _visitors(lang, text, lo, hi, t, args) if kind == "visit" else _unique(i for _, _, i in args)
            if not who:
                continue
            if kind in ("meeting", "call") and len(who) == 1 and drafts and \
                    _pronoun_subject(low, lang, lo, t.start, named):
                who = _unique([drafts[-1].people[0], *who])  # "During her visit, she met X": the visitor met X
            hub = _serial_hub(low, lang, lo, t, kind, args, drafts)
            where = None if kind in PLACELESS else _where(t, here, lo, hi)  # one place for each meeting told
            if hub is not None:  # "X held bilateral talks with A, B and C": a meeting with each
                who = _unique([hub, *who])
                when = _date(t, on, low, lang, lo, hi) or _today(record, low, lang, lo, hi)
                for other in who[1:-1]:
                    d = Draft(kind, [hub, other], clause, sentence=n, date=when)
                    _place(d, where)
                    draft(d)
                who = [hub, who[-1]]
            # "the meeting took place with A and B taking part": those joined the meeting told before
            joins = kind == "meeting" and "attend" in kinds and bool(last_meeting)
            d = Draft(kind, who, clause, sentence=n, attended="attend" in kinds, ref=t.kind.endswith(REF) or joins)
            _place(d, where)
            if kind == WELCOME:
                d.host = _host(lang, text, lo, t, args)
            d.topic = _topic(low, lang, lo, t)
            d.date = _lasting(_date(t, _unframed(t, on, trig, low, lang, lo, hi), low, lang, lo, hi) or
                              _same_day(drafts, low, lang, lo, hi) or _today(record, low, lang, lo, hi),
                              kind, low, lang, lo, hi)
            if kind == "visit" and not d.placed and not _visit_elsewhere(lang, text, lo, hi, t, n, args, kinds):
                if len({i for _, _, i in args}) < 2 or "companion" in kinds or not lex.call_on.search(low, lo, hi):
                    continue  # "the visit" with nowhere visited, or who went along on it: no visit this clause states
                d.type, d.people = "meeting", _unique(i for _, _, i in args)  # "X'i makamında ziyaret etti": a call
            draft(d)
    drafts = [d for d in drafts if not _passing_summit(d)]
    summit = any(d.type == "summit" for d in drafts)
    for d in [d for d in drafts if d.type == WELCOME]:
        if summit:  # "the host welcomed the leaders who came to the summit": they took part in the summit
            attendees.append((d.sentence, d.people))
        else:  # "X was welcomed at the airport by Y": they met
            d.type = "meeting"
    drafts = [d for d in drafts if d.type != WELCOME]  # (one filter: drafts.remove per welcome was quadratic)
    named = next((d for d in drafts if d.type == "summit" and d.people), None)
    if named is not None or any(len(d.people) > 1 and d.sentence < LEAD for d in drafts):
        # the lead tells another event (its gathering a frame), or the gathering is told with names
        # further down: one event, with the day and place the lead gives it
        for d in drafts:
            if named is not None and not d.people and d.type == "summit":
                _absorb(named, d)
        drafts = [d for d in drafts if d.people]
    for d in drafts:
        if _leaders_meeting(d, record):
            d.type = "summit"
    events = _merge(drafts)
    _add_attendees(events, attendees, ("summit", "meeting"))
    # "accompanied by Y": on the visit, else at the gathering ("Y'ye, Z eşlik etti" at a summit)
    _add_attendees(events, companions, ("visit",) if any(e.type == "visit" for e in events) else ("summit",))
    _main_summit(events, mentions, busy)
    session_of_gathering = _session_of_gathering(events)
    events = [e for e in events if e.people and not session_of_gathering(e)]
    events = _merge(events + _with_gathering(groups, events, record))
    # a letter or a call has two named parties: with one, what is told is no exchange between people
    told_at_meeting = _told_at_meeting(events)
    events = [e for e in events if not told_at_meeting(e) and not (e.type in PLACELESS and len(e.people) < 2)]
    _fill_scene(events, places, spans, scene, text, told_at)
    _host_country(events, record)
    _date_by_dateline(events, record, places, text)
    return [_to_event(e) for e in events]


def _quotes(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stretches of ``text[lo:hi]`` inside quotation marks (“...”, «...»,
    "...", ''...''); an opening mark left open runs to the sentence's end, a
    closing one never opened (the sentence goes on a quotation) from its start."""
    out = [m.span() for m in _QUOTE.finditer(text, lo, hi)]
    close = _CLOSING.search(text, lo, hi)
    if close is not None and not any(a <= close.start() < b for a, b in out) and \
            not _OPENING.search(text, lo, close.start()):
        out.insert(0, (lo, close.end()))
    return out


def _covered(stretches: Iterable[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether an offset falls in one of ``stretches`` (start, end): the
    furthest end over the sorted starts answers it by bisection, where asking
    each stretch per offset was quadratic in a long text."""
    spans = sorted(stretches)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))

    def covered(at: int) -> bool:
        k = bisect_right(starts, at)
        return k > 0 and reach[k - 1] > at
    return covered


def _serial_hub(low: str, lang: str, lo: int, t: Trigger, kind: str, args: list[tuple[int, int, int]],
                drafts: list[Draft]) -> int | None:
    """The one person who met each of several others in turn ("X held
    bilateral talks with A, B and C", "X, A ardından B ile görüştü", data
    ``serial``): the clause's first name before the trigger, or with none
    there, the visitor of the visit told just before ("during the visit, the
    Secretary General had bilateral talks with A and B"); ``None`` when the
    clause tells one meeting."""
    lex = lexicon(lang)
    who = _unique(i for _, _, i in args)
    if kind != "meeting" or t.kind.endswith(REF) or lex.serial is None or \
            not lex.serial.search(low, lo, t.end + SERIAL_AFTER):
        return None
    before = [i for s, _, i in args if s < t.start]
    if before and len(who) >= 3:
        return before[0]
    if not before and len(who) >= 2 and drafts and drafts[-1].type == "visit" and drafts[-1].people[0] not in who:
        return drafts[-1].people[0]
    return None


def _pronoun_subject(low: str, lang: str, lo: int, at: int, named: list[tuple[int, int, int]]) -> bool:
    """The clause before the trigger at ``at`` has a personal pronoun and no
    name: its subject is the person of the event told just before."""
    lex = lexicon(lang)
    return not any(lo <= s < at for s, _, _ in named) and \
        any(w.group() in lex.pronouns for w in _WORD.finditer(low, lo, at))


def _names_holder(text: str, s: int, e: int, ms: int, me: int) -> bool:
    """The title at ``s:e`` is the named person's at ``ms:me``: the name right
    before it, or after it with only capitalised words and short function
    words between ("Президент Азербайджана Ильхам Алиев", "President of
    Turkey X"); a verb between ("the President received X") parts them."""
    if ms <= e + 2:
        return s <= me + 40
    gap = text[e:ms]
    return len(gap) <= 40 and all(w[0].isupper() or len(w) <= 3 for w in _WORD.findall(gap))


def _with_gathering(drafts: list[Draft], events: list[Draft], record: Record) -> list[Draft]:
    """An event whose clause names nobody ("the declaration was signed") is one
    told elsewhere with its people, else the gathering's: its people are
    those of the report's summit. Told by a plural title ("the ministers
    signed", "liderler imza attı", "лидеры подписали"), it is the gathering's
    people holding that title, whatever else was told; without a gathering,
    those of the last meeting before it where two hold it ("the two ministers
    signed" after their talks), on its day and at its place unless the clause
    gives them. Else without a gathering it is dropped."""
    summit = next((e for e in events if e.type == "summit"), None)
    told = {e.type for e in events if e.people}  # (found once: per draft it was quadratic)
    meetings = sorted((e.sentence, k) for k, e in enumerate(events) if e.type == "meeting")
    out = []
    for d in drafts:
        def holding(e: Draft) -> list[int]:
            return [i for i in e.people if {r.role_type for r in record.persons[i].roles} & d.roles]
        if summit is None:
            met = next((events[k] for n, k in reversed(meetings) if n <= d.sentence and len(holding(events[k])) > 1),
                       None) if d.roles else None
            if met is None:
                continue
            d.people = holding(met)
            if d.date == NO_DATE:
                d.date = met.date
            if not d.placed:
                d.city, d.country, d.placed = met.city, met.country, met.placed
        elif d.roles:
            d.people = holding(summit)
        elif d.type in told:
            continue
        else:
            d.people = list(summit.people)
        if d.people:
            out.append(d)
    return out


def _group_ranks(low: str, lang: str, lo: int, hi: int, titles: list[tuple[int, int, str, bool]],
                 trig: list[Trigger]) -> frozenset[str]:
    """The role types of the group a clause without names tells of: its plural
    titles (the roles stage's, and the language's group nouns, data ``rank:``,
    "liderler" in prose), not one that names the gathering ("Devlet Başkanları
    Zirvesi", "Council of Foreign Ministers"), and none when the group only
    watched ("in the presence of the ministers", "liderlerin huzurunda":
    see the caller). "The leaders" (a head of state's title) are the heads of
    the delegations."""
    lex = lexicon(lang)
    found = [(s, e, rt) for s, e, rt, plural in titles if lo <= s < hi and plural]
    found += [(m.start(), m.end(), rt) for rt, pat in lex.ranks for m in pat.finditer(low, lo, hi)]
    gatherings = [t.start for t in trig if t.kind.removesuffix(REF) == "summit"]
    out = {rt for s, e, rt in found if not any(0 <= g - e <= NAMES_GATHERING for g in gatherings)}
    if "head_of_state" in out:
        out |= LEADERS
    return frozenset(out)


def _passing_summit(d: Draft) -> bool:
    """A gathering named in passing by one person ("at the Ankara summit he
    said ..."), outside the lead, without that person taking part."""
    return d.type == "summit" and len(d.people) < 2 and not d.attended and d.sentence >= LEAD


def _main_summit(events: list[Draft], mentions: list[tuple[int, int, int]], busy: set[int]) -> None:
    """A report whose lead tells a gathering is about it: its people, but those
    named only in other events, are its participants (the speakers, the
    signatories, the delegations listed further down)."""
    summit = next((e for e in events if e.type == "summit" and e.sentence < LEAD), None)
    if summit is None:
        return
    gathering = {i for e in events if e.type in ("summit", "signing") for i in e.people}
    summit.people = _unique([*summit.people, *(i for _, _, i in mentions if i not in busy or i in gathering)])


def _leaders_meeting(d: Draft, record: Record) -> bool:
    """A meeting of three or more states' people, two or more of them heads of
    state or government ("X, Y ile Z bir araya geldi", a trilateral meeting
    of presidents), is a summit."""
    if d.type != "meeting" or len(d.people) < 3:
        return False
    people = [record.persons[i] for i in d.people]
    return sum(bool({r.role_type for r in p.roles} & LEADERS) for p in people) >= 2 and \
        len({p.country for p in people if p.country}) >= 3


def _session_of_gathering(events: list[Draft]) -> Callable[[Draft], bool]:
    """Whether an event is a meeting of one named party in a report of a
    gathering, none other with him: a session of the gathering ("the meeting
    of the leaders hosted by X", "встречу в узком составе открыл X"); he joins
    the gathering. (Meetings counted per person once: a scan of all events
    per event was quadratic.)"""
    summit = next((o for o in events if o.type == "summit"), None)
    meetings_of: dict[int, int] = {}  # person -> meetings naming them
    for o in events:
        if o.type == "meeting":
            for i in set(o.people):
                meetings_of[i] = meetings_of.get(i, 0) + 1

    def session(e: Draft) -> bool:
        if summit is None or e.type != "meeting" or len(e.people) != 1 or meetings_of[e.people[0]] > 1:
            return False  # (e is one of the meetings naming its person)
        summit.people = _unique([*summit.people, *e.people])
        return True
    return session


def _told_at_meeting(events: list[Draft]) -> Callable[[Draft], bool]:
    """Whether an event is congratulations or a message handed over at a
    meeting, which belong to the meeting. (Meetings are found by a person of
    the message: a scan of all events per message was quadratic.)"""
    meetings = [set(o.people) for o in events if o.type in ("meeting", "call")]
    having: dict[int, list[set[int]]] = {}
    for people in meetings:
        for i in people:
            having.setdefault(i, []).append(people)

    def told(e: Draft) -> bool:
        if e.type != "message":
            return False
        if not e.people:
            return bool(meetings)
        mine = set(e.people)
        return any(mine <= people for people in having.get(e.people[0], ()))
    return told


def _one_per_kind(trig: list[Trigger], kinds: set[str], conveyed: bool = False) -> Iterator[Trigger]:
    """The first trigger of each kind (one that tells an event before one that
    refers back to it), in text order. A call is no meeting too, and a
    condolence told at a meeting is part of the meeting, unless it was
    ``conveyed`` there from someone else (a message of its own)."""
    seen: set[str] = set()
    for t in sorted(trig, key=lambda t: (t.kind.endswith(REF), t.start)):
        kind = t.kind.removesuffix(REF)
        if kind in seen or (kind == "meeting" and "call" in kinds) or \
                (kind == "message" and "meeting" in kinds and not conveyed):
            continue
        if t.kind == "meeting" + REF and "summit" in kinds:
            continue  # "discussed ... at the summit": the summit's business, no meeting of its own
        seen.add(kind)
        yield t


def _unique(xs: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(xs))


def _strip(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _person_mentions(record: Record, text: str) -> list[tuple[int, int, int]]:
    """(start, end, person index) of every name, journalists left out: by
    their role, or named only on the last line, a name and a word or two
    ("Name, Agency": a byline); and no name of a place named after someone
    ("X International Airport", "проспект X", data ``named_after``): the
    person is only mentioned there."""
    tail = text.rstrip()
    byline = tail.rfind("\n") + 1
    lex = lexicon(record.language)
    out = []
    for i, p in enumerate(record.persons):
        if p.roles and all(r.role_type == "journalist" for r in p.roles):
            continue
        if p.spans and all(s >= byline for s, _ in p.spans) and \
                _words_beside(tail, byline, len(tail), p.spans, BYLINE_WORDS) <= BYLINE_WORDS:
            continue
        out += [(s, e, i) for s, e in p.spans if not _names_a_place(text, s, e, lex)]
    return sorted(out)


def _names_a_place(text: str, s: int, e: int, lex: Lexicon) -> bool:
    """The name at ``s:e`` is part of a place's name: an airport, a street, a
    university named after the person ("Haydar Aliyev Havalimanı", "аэропорт
    имени X")."""
    return (lex.named_after_after is not None and lex.named_after_after.match(text, e) is not None) or \
        (lex.named_after is not None and lex.named_after.search(text, max(0, s - 30), s) is not None)


def _words_beside(text: str, lo: int, hi: int, spans: list[tuple[int, int]], limit: int) -> int:
    """The words of ``text[lo:hi]`` outside the stretches ``spans`` (each cut
    as a space), counted up to ``limit + 1``: the count stops there, and no
    copy of the line is made (copying and counting a long last line per person
    was quadratic in a text of one line)."""
    n, at = 0, lo
    for s, e in [*sorted(spans), (hi, hi)]:
        for _ in _WORD.finditer(text, at, max(at, min(s, hi))):
            n += 1
            if n > limit:
                return n
        at = max(at, e)
    return n


def _title_holders(record: Record) -> dict[str, int]:
    """role type -> the one person of the record holding it (none when shared)."""
    seen: dict[str, list[int]] = {}
    for i, p in enumerate(record.persons):
        for rt in {r.role_type for r in p.roles} - {"journalist", "other"}:
            seen.setdefault(rt, []).append(i)
    return {rt: ids[0] for rt, ids in seen.items() if len(ids) == 1}


@dataclass(frozen=True)
class PlaceAt:
    start: int
    end: int
    city: str | None
    country: str | None
    cued: bool  # "in Astana", "Ankara'da", "в Астане"
    upper: bool = False  # written in capitals ("TOKYO"): a dateline's city
    object: bool = False  # with an accusative ending ("Türkmenistan'ı"): a verb's object
    to: bool = False  # with a dative ending ("Bakü'ye"): where a visit went, no place of another event


def _place_mentions(record: Record, text: str, lang: str) -> list[PlaceAt]:
    lex = lexicon(lang)

    def cued(s: int, e: int) -> bool:
        if lex.place_suffix is not None and lex.place_suffix.match(text, e):
            return True
        prev = _WORD.findall(text[max(0, s - 12):s])
        return bool(prev) and prev[-1].lower() in lex.place_before

    def ending(pattern: re.Pattern[str] | None, e: int) -> bool:
        return pattern is not None and pattern.match(text, e) is not None

    out = [PlaceAt(s, e, c.name, c.country, cued(s, e), text[s:e].isupper() and e - s > 2,
                   to=ending(lex.place_dative, e)) for c in record.cities for s, e in c.spans]
    out += [PlaceAt(s, e, None, c.code, cued(s, e), object=ending(lex.place_object, e), to=ending(lex.place_dative, e))
            for c in record.countries for s, e in c.spans]
    return out


def _qualifies_title(titles: list[tuple[int, int, str, bool]]) -> Callable[[PlaceAt], bool]:
    """Whether a place is part of someone's title ("Novorossiysk Consul General",
    "Moskova Büyükelçisi"): whose office it names, not where the event was;
    a place in a place construction ("в Астане президент ...") stays one. A
    title covers the place's start or starts right after it (found once for
    all places: a scan of the titles per place was quadratic)."""
    in_title = _covered((s, e) for s, e, _, _ in titles)
    follow = {s for s, _, _, _ in titles}

    def qualifies(p: PlaceAt) -> bool:
        return not (p.cued or p.upper) and (in_title(p.start) or p.end + 1 in follow)
    return qualifies


def _held_by_title(titles: list[tuple[int, int, str, bool]], mentions: list[tuple[int, int, int]],
                   text: str) -> Callable[[PlaceAt], bool]:
    """Whether a place stands between a title and the name of its holder, in a
    place construction too ("посол Турции в Лондоне X", "the Ambassador in
    London X"): the office's post, not where the event was told to be."""
    starts = [s for s, _, _ in mentions]
    held = []  # (title end, its holder's name start): the stretch between them
    for s, e, _, _ in titles:
        k = bisect_right(starts, e)
        if k < len(mentions) and mentions[k][0] > e + 2 and _names_holder(text, s, e, *mentions[k][:2]):
            held.append((e, mentions[k][0]))
    covered = _covered(held)
    return lambda p: covered(p.start)


T = TypeVar("T")


def _by_sentence(spans: list[tuple[int, int]], items: Iterable[T], start: Callable[[T], int]) -> dict[int, list[T]]:
    """Items by the number of the sentence (or line: of ``spans``, in order,
    apart) their start falls in, each sentence's in their own order."""
    firsts = [lo for lo, _ in spans]
    out: dict[int, list[T]] = {}
    for x in items:
        at = start(x)
        n = bisect_right(firsts, at) - 1
        if n >= 0 and at < spans[n][1]:
            out.setdefault(n, []).append(x)
    return out


def _place(d: Draft, p: PlaceAt | None) -> None:
    """The draft took place at ``p`` (the clause's place, ``_where``), if any."""
    if p is not None:
        d.city, d.country, d.placed = p.city, p.country, True


def _where(t: Trigger, places: list[PlaceAt], lo: int, hi: int) -> PlaceAt | None:
    """The clause's place: for a visit, the country its verb takes as object
    ("Türkmenistan'ı ziyaret etti": a visit to a country is to the country,
    wherever its meetings were); else a city in a place construction, else
    any city of the clause, else a country in a place construction, else (a
    visit) the country right after the trigger ("visited Georgia"); the
    nearest to the trigger."""
    # (a city in capitals opening the sentence is the dateline's, "ANKARA, 9 Nisan – X visited ...": the report's)
    here = [p for p in places if lo <= p.start < hi and not (p.upper and p.start == lo and p.city)]
    dist = lambda p: min(abs(p.start - t.start), abs(p.start - t.end))  # noqa: E731
    visited = [p for p in here if t.kind == "visit" and 0 <= p.start - t.end <= VISITED_GAP]
    objects = [p for p in here if t.kind == "visit" and p.city is None and p.object and p.end <= t.start]
    cued = [p for p in here if p.cued or (p.to and t.kind == "visit")]  # "Bakü'ye geldi"; not "İsrail'e kınama"
    for pick in (objects, [p for p in cued if p.city], [p for p in here if p.city], cued, visited):
        if pick:
            return min(pick, key=dist)
    return None


DateAt = tuple[int, int, tuple[str | None, str | None, str | None]]  # start, end, (value, start, end)


def _date_mentions(record: Record, text: str) -> list[DateAt]:
    """The record's dates that may date an event. Left out: the dateline (a
    date in the header equal to the publication date, unless the sentence
    gives it as the time of what it tells: "on 23 December", "18 Aralık'ta"),
    and a bare year before the report's."""
    lex = lexicon(record.language)
    past = set(_history(record))
    out = []
    for dm in record.dates:
        if dm.span is None or not (dm.value or dm.start):
            continue
        s, e = dm.span
        if (dm.value == record.publication_date or _HEADER.search(text, max(0, s - 6), s)) and s < HEADER_CHARS \
                and not _time_of_clause(text, s, e, lex):
            continue  # the dateline (or a "date 2019-04" header) dates the report, not the event
        if s in past and dm.value and len(dm.value) == 4:
            continue  # "a university founded in 1998": the background, not the event's date
        out.append((s, e, (dm.value, dm.start, dm.end)))
    return out


def _history(record: Record) -> list[int]:
    """Where the text dates something to a year before the report's ("in
    2006", "in March 2015"): a sentence that does so outside the lead tells
    history (a visit recalled, a meeting years ago), not the news."""
    full = [d.value or d.start for d in record.dates if (d.value or d.start) and len(d.value or d.start) >= 7]
    now = (record.publication_date or max(full, default="") or "")[:4]
    return [d.span[0] for d in record.dates if d.span and now and (d.value or d.start or "9999")[:4] < now]


def _time_of_clause(text: str, s: int, e: int, lex: "Lexicon") -> bool:
    """The date is the clause's time adverbial: a preposition of time before
    it ("on", data ``date_before``) or a case ending after it ("'ta",
    "tarihinde", data ``date_after``)."""
    prev = _WORD.findall(text[max(0, s - 12):s])
    if prev and prev[-1].lower() in lex.date_before:
        return True
    return lex.date_after is not None and lex.date_after.match(text, e) is not None


def _date(t: Trigger, dates: list[DateAt], low: str, lang: str, lo: int, hi: int
          ) -> tuple[str | None, str | None, str | None] | None:
    """The clause's date expression nearest the trigger (a relative day
    already resolved against the publication date by the dates stage); a date
    beside a future cue ("в 2024 году пройдет") dates an announced event, not this one; a
    range of years ("a programme for 2025-2027") is no time of a talk, a call or a signing."""
    lex = lexicon(lang)
    here = [(abs(s - t.start), d) for s, e, d in dates
            if lo <= s < hi and not _announced(low, s, e, lex, lo, hi, lang)
            and not (d[1] and len(d[1]) == 4 and t.kind.removesuffix(REF) not in LASTING)]
    return min(here, key=lambda x: x[0])[1] if here else None


def _same_day(drafts: list[Draft], low: str, lang: str, lo: int, hi: int
              ) -> tuple[str | None, str | None, str | None] | None:
    """A clause without a date of its own that says it was the same day ("later
    that day", "aynı gün", "в тот же день"): the day of the event told last
    with one (a range is no one day)."""
    lex = lexicon(lang)
    if lex.same_day is None or not lex.same_day.search(low, lo, hi):
        return None
    return next((d.date for d in reversed(drafts) if d.date[0] and len(d.date[0]) == 10), None)


def _lasting(date: tuple[str | None, str | None, str | None], kind: str, low: str, lang: str, lo: int, hi: int
             ) -> tuple[str | None, str | None, str | None]:
    """A visit or a gathering the clause gives a length in days ("a three-day
    visit", "üç günlük ziyaret", "трёхдневный визит"), with a day for its date:
    that day is its first, the event the range through day n."""
    value = date[0]
    if kind not in LASTING or not value or len(value) != 10:  # (most drafts: before the lexicon is read)
        return date
    lex = lexicon(lang)
    word = next((pattern for k, pattern in lex.triggers if k == kind), None)
    if word is None:
        return date
    for n, pattern in lex.durations:
        for m in pattern.finditer(low, lo, hi):
            between = _WORD.finditer(low, m.end(), min(hi, m.end() + LASTING_GAP))
            # the length qualifies the event's word a few words on, with no break between
            if n > 1 and any(word.match(low, w.start()) and not _BREAK.search(low, m.end(), w.start())
                             for w in between):
                end = dt.date.fromisoformat(value) + dt.timedelta(days=n - 1)
                return None, value, end.isoformat()
    return date


def _frames(low: str, lang: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stretches of the sentence that frame its event (data ``frame``: from
    "within the framework of", "в рамках" to the clause's end; ``frame_after``:
    from the clause's start to "kapsamında")."""
    lex = lexicon(lang)
    out = []
    for m in lex.frame.finditer(low, lo, hi) if lex.frame is not None else ():
        stop = _BREAK.search(low, m.end(), hi)
        out.append((m.start(), stop.start() if stop else hi))
    for m in lex.frame_after.finditer(low, lo, hi) if lex.frame_after is not None else ():
        start = max((b.end() for b in _BREAK.finditer(low, lo, m.start())), default=lo)
        out.append((start, m.end()))
    return out


def _unframed(t: Trigger, dates: list[DateAt], trig: list[Trigger], low: str, lang: str, lo: int, hi: int
              ) -> list[DateAt]:
    """The dates a trigger may take: a trigger in a frame ("within the framework
    of a working visit to attend the session, X met Y on Monday"), with one
    outside it in the clause, takes only the frame's own dates; the clause's
    date is the framed event's."""
    frames = _frames(low, lang, lo, hi)
    mine = [(a, b) for a, b in frames if a <= t.start < b]
    if not mine or all(any(a <= o.start < b for a, b in frames) for o in trig):
        return dates
    return [d for d in dates if any(a <= d[0] < b for a, b in mine)]


def _today(record: Record, low: str, lang: str, lo: int, hi: int) -> tuple[str | None, str | None, str | None]:
    """A clause that tells its event as taking place while the text is written
    ("is taking place", "has received", "начался", data ``ongoing``) and gives
    no date: the publication date (the day of the dateline)."""
    lex = lexicon(lang)
    if record.publication_date and len(record.publication_date) == 10 and lex.ongoing is not None \
            and lex.ongoing.search(low, lo, hi):
        return record.publication_date, None, None
    return NO_DATE


def _arguments(lang: str, text: str, lo: int, hi: int, t: Trigger,
               named: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The names in the trigger's clause by the dependency parse (its subject,
    objects, "with" phrase, agent, coordinated names; a subject it shares);
    all the sentence's names without a parse, when the clause holds none, or
    when the sentence has one clause or one person (nothing to tell apart: the
    parser is not run, which keeps its cost to a few sentences)."""
    lex = lexicon(lang)
    if len({i for _, _, i in named}) < 2:
        return named
    if lex.genitive is not None:
        marked = _case_arguments(text, t, named, lex)
        if marked:
            return marked
    if not lex.clause.search(lower(text[lo:hi], lang)):
        return named
    ranges = clause_ranges(lang, text, lo, hi, t.start,
                           lambda word: lex.clause.fullmatch(lower(word, lang)) is not None)
    if ranges is None:
        return named
    inside = [m for m in named if any(s < m[1] and m[0] < e for s, e in ranges)]
    return inside or named


def _case_arguments(text: str, t: Trigger, named: list[tuple[int, int, int]], lex: Lexicon
                    ) -> list[tuple[int, int, int]]:
    """The arguments of a nominalised trigger by their case endings (Turkish:
    "X'in Y ile görüşmesi", data ``genitive``, ``comitative``): the name in
    the genitive before it and those with "ile" between them; none when the
    trigger has no such genitive subject and comitative partner."""
    gen = [m for m in named if m[1] <= t.start and lex.genitive.match(text, m[1])]
    if not gen:
        return []
    first = gen[-1]
    # the partner after the clause's subject ("X, Y ile Z'nin görüşmesine ilişkin": Y and Z met, X spoke of it)
    start = max((e for s, e, _ in named if e <= first[0] and text.startswith(",", e)), default=0)
    partners = [m for m in named if start <= m[0] and m[1] <= t.start and m is not first and lex.comitative is not None
                and lex.comitative.match(text, m[1])]
    return [first, *partners] if partners else []


def _visitors(lang: str, text: str, lo: int, hi: int, t: Trigger, named: list[tuple[int, int, int]]) -> list[int]:
    """The visitor: by the parse, the visit verb's subject or the visit noun's
    genitive or possessor; without one (Turkish) or when the parse names
    nobody, the nearest name before the trigger ("X arrived", "X'in
    ziyareti"), else the first after it ("the visit of X")."""
    named = [m for m in named if not _cued(text, lang, lo, m, "inviter")]
    owner = _participle_owner(lang, text, lo, t, named)
    if owner is not None:
        return [owner]
    reported = lexicon(lang).clause.search(lower(text[lo:hi], lang)) is not None
    if len({i for _, _, i in named}) > 1 or (named and reported):
        ranges = agent_ranges(lang, text, lo, hi, t.start)
        agents = [i for s, e, i in named if any(a < e and s < b for a, b in ranges or ())]
        if agents:
            return _unique(agents)
        if ranges and len({i for _, _, i in named}) == 1:
            return []  # "X said that the delegation, which arrived in ...": the visit's subject is not X
    before = [i for s, e, i in named if s < t.start]
    if lang == "tr":  # "X, Y'nin daveti üzerine gittiği ...": the subject, set off by a comma, not the genitive
        subject = [i for s, e, i in sorted(named) if s < t.start and _SET_OFF.match(text, e)]
        if subject:
            return subject[:1]
    if before:
        return [before[-1]]
    return [i for s, e, i in named if s >= t.end][:1]


def _participle_owner(lang: str, text: str, lo: int, t: Trigger, named: list[tuple[int, int, int]]) -> int | None:
    """Russian: a participle phrase set off by a comma right after a name tells
    of that name ("с министром X, прибывшим в Ташкент с визитом": X came),
    whatever the main clause's subject."""
    if lang != "ru":
        return None
    comma = text.rfind(",", lo, t.start + 1)
    words = _WORD.findall(text, comma, t.end) if comma >= 0 else []
    if not words or not any(p.tag.POS == "PRTF" for p in ru_parse(words[0].lower())[:1]):
        return None
    return next((i for s, e, i in named if e <= comma and not text[e:comma].strip()), None)


def _visit_elsewhere(lang: str, text: str, lo: int, hi: int, t: Trigger, n: int, args: list[tuple[int, int, int]],
                     kinds: set[str]) -> bool:
    """A visit whose clause names no place it knows is still one: at a host's
    invitation ("X, Y'nin daveti üzerine ... ziyaretinde", "on the invitation
    of Y"), or in the lead by its one named subject (the report's scene says
    where)."""
    if "companion" in kinds:
        return False
    if any(_cued(text, lang, lo, m, "inviter") for m in args):
        return True
    return n < LEAD and len({i for _, _, i in args}) == 1 and _subject_of(lang, text, lo, hi, t, args)


def _subject_of(lang: str, text: str, lo: int, hi: int, t: Trigger, named: list[tuple[int, int, int]]) -> bool:
    """A name is the trigger's subject: by the parse, where there is one; in
    Turkish, a name set off by a comma before it ("X, ... ziyaret etti")."""
    ranges = agent_ranges(lang, text, lo, hi, t.start)
    if ranges is not None:
        return any(a < e and s < b for s, e, _ in named for a, b in ranges)
    return any(s < t.start and _SET_OFF.match(text, e) for s, e, _ in named)


def _cued(text: str, lang: str, lo: int, m: tuple[int, int, int], cue: str) -> bool:
    """The name has a cue of kind ``cue`` before it, only a title between
    ("at the invitation of President X", "from Minister X", "от X"), or its
    ``cue``_after ending after it ("X'in daveti", "X'ten")."""
    lex = lexicon(lang)
    s, e, _ = m
    after = lex.cues.get(cue + "_after")
    if after is not None and after.match(lower(text[e:e + CUE_GAP], lang)):
        return True
    before = lex.cues.get(cue)
    if before is None:
        return False
    a = max(lo, s - CUE_GAP)
    found = list(before.finditer(lower(text[a:s], lang)))
    # only a title between the cue and the name, no clause break
    return bool(found) and not _BREAK.search(text, a + found[-1].end(), s)


def _topic(low: str, lang: str, lo: int, t: Trigger) -> bool:
    """The trigger names what someone spoke about ("about the meeting", "о
    встрече", "görüşmesine ilişkin", data ``topic``, ``topic_after``)."""
    lex = lexicon(lang)
    after = lex.cues.get("topic_after")
    word = _WORD.match(low, t.start)
    if after is not None and word is not None and after.match(low, word.end()):
        return True
    before = lex.cues.get("topic")
    words = list(_WORD.finditer(low, max(lo, t.start - 20), t.start))[-2:]  # "about the meeting", "о встрече"
    return before is not None and any(before.fullmatch(w.group()) for w in words)


def _host(lang: str, text: str, lo: int, t: Trigger, named: list[tuple[int, int, int]]) -> int | None:
    """Who welcomed the guest: the agent of a passive ("greeted by X", "X
    tarafından karşılandı", data ``agent``), else the first name before the
    verb ("X, Y'yi karşıladı", "X welcomed Y"); ``None`` when neither is
    there. (An envoy welcoming his own leader abroad is left to the caller.)"""
    agents = [m[2] for m in named if _cued(text, lang, lo, m, "agent")]
    if agents:
        return agents[0]
    before = [i for s, _, i in named if s < t.start]
    return before[0] if before and lang != "ru" else None  # (Russian order is free: "Y встречали X")


def _conveyed(d: Draft, text: str, lang: str, lo: int, t: Trigger, named: list[tuple[int, int, int]],
              senders: list[tuple[int, int, int]], last_meeting: dict[int, Draft]) -> Draft:
    """A message handed over by someone else ("Y handed X a message from Z",
    "Y передал приветствие от Z"): from the sender Z to the addressee, the
    clause's other name but the carrier (the name just before the verb of
    handing over, data ``carrier``); without one, the carrier's partner in the
    meeting told before (``last_meeting``: person -> the meeting drafted last
    with them)."""
    lex = lexicon(lang)
    carrier = None
    verb = lex.cues.get("carrier")
    if verb is not None:
        low = lower(text[lo:t.end + CUE_GAP], lang)
        hand = next(verb.finditer(low), None)
        if hand is not None:
            carrier = next((i for s, _, i in reversed(named) if s < lo + hand.start()), None)
    sender = [i for _, _, i in senders]
    to = [i for _, _, i in named if i not in sender and i != carrier]
    if not to:
        meeting = last_meeting.get(carrier)
        to = [i for i in (meeting.people if meeting else []) if i != carrier and i not in sender]
    d.people = _unique([*sender[:1], *to])
    return d


def _compatible(a: Draft, b: Draft) -> bool:
    return a.city is None or b.city is None or a.city == b.city


def _same(a: Draft, b: Draft) -> bool:
    """Two drafts that tell one event (headline and body, or two sentences)."""
    if a.type != b.type:
        return False
    sa, sb = set(a.people), set(b.people)
    if a.type == "summit":
        return _compatible(a, b)
    if a.type == "visit":
        return bool(sa & sb) and _compatible(a, b)
    return sa <= sb or sb <= sa


class _EventIndex:
    """Where ``_merge`` looks for the event a draft tells again: comparing it
    with every event kept was quadratic in a long text. ``_same`` needs, but
    for a summit or a draft naming nobody, an event of the draft's type that
    shares a person (a visit), or whose people hold all the draft's (found
    among the events of its least named person) or are some of them (found by
    the set of people)."""

    MAX_SUBSETS_OF = 8  # people of a draft whose subsets are looked up; more: every event with one of them

    def __init__(self, out: list[Draft]) -> None:
        self.out = out
        self.of_type: dict[str, list[int]] = {}
        self.with_person: dict[tuple[str, int], list[int]] = {}
        self.by_people: dict[tuple[str, frozenset[int]], set[int]] = {}

    def add(self, at: int) -> None:
        e = self.out[at]
        self.of_type.setdefault(e.type, []).append(at)
        self.grew(at, None)

    def grew(self, at: int, before: frozenset[int] | None) -> None:
        """The event at ``at`` is new (``before`` None) or had ``before`` for people."""
        e = self.out[at]
        now = frozenset(e.people)
        if before is not None:
            self.by_people[e.type, before].discard(at)
        self.by_people.setdefault((e.type, now), set()).add(at)
        for i in now - (before or frozenset()):
            self.with_person.setdefault((e.type, i), []).append(at)

    def last(self, kind: str) -> int | None:
        """Position of the event of ``kind`` told last."""
        mine = self.of_type.get(kind)
        return mine[-1] if mine else None

    def candidates(self, d: Draft) -> list[int]:
        """Positions of the events ``_same`` may accept for ``d``, in order."""
        people = set(d.people)
        if d.type == "summit" or not people:
            return self.of_type.get(d.type, [])  # summits: one per city at most
        lists = [self.with_person.get((d.type, i), []) for i in people]
        if d.type == "visit" or len(people) > self.MAX_SUBSETS_OF:
            return sorted({k for ks in lists for k in ks} | self.by_people.get((d.type, frozenset()), set()))
        found = set(min(lists, key=len))
        for n in range(len(people) + 1):
            for part in combinations(sorted(people), n):
                found |= self.by_people.get((d.type, frozenset(part)), set())
        return sorted(found)


def _merge(drafts: list[Draft]) -> list[Draft]:
    out: list[Draft] = []
    index = _EventIndex(out)
    for d in drafts:
        if d.ref:  # "during the meeting X said": X took part in the meeting told before
            at = index.last(d.type)
            if at is None and d.type == "meeting":  # "during the conversation": the call's
                at = index.last("call")
        else:
            at = next((k for k in index.candidates(d) if _same(out[k], d)), None)
        if at is None:
            if not d.ref or len(d.people) > 1 or d.attended:  # "during the talks" with no talks found: nothing
                # to add to; "speaking at the summit": the summit took place, with the speaker
                d.ref = False  # an event of its own now
                out.append(d)
                index.add(len(out) - 1)
            continue
        before = frozenset(out[at].people)
        _absorb(out[at], d)
        index.grew(at, before)
    # (each removal below is one filter: out.remove per event was quadratic; no two events of a type
    # keep equal people, so out.remove took the very event)
    # a meeting (call, letter) of one named party is the other half of one told elsewhere
    for kind in ("meeting", "call", "message"):
        alone = [o for o in out if o.type == kind and len(o.people) == 1]
        if len(alone) > 1 or (alone and any(o.type == kind and len(o.people) > 1 for o in out)):
            first = next(o for o in out if o.type == kind)
            gone = {id(o) for o in alone if o is not first}
            for o in alone:
                if o is not first:
                    _absorb(first, o)
            out = [o for o in out if id(o) not in gone]
    # the talk of a pair who spoke by phone ("during the conversation they discussed ... with"): the call
    calls = [c for c in out if c.type == "call"]
    calls_of: dict[int, list[Draft]] = {}  # person -> the calls naming them, in order
    for c in calls:
        for i in dict.fromkeys(c.people):
            calls_of.setdefault(i, []).append(c)
    gone = set()
    for o in [o for o in out if o.type == "meeting"]:
        mine = calls_of.get(o.people[0], []) if o.people else calls
        call = next((c for c in mine if set(o.people) <= set(c.people)), None)
        if call is not None:
            _absorb(call, o)  # (adds nobody: the call names all of the meeting's people)
            gone.add(id(o))
    return [o for o in out if id(o) not in gone]


def _absorb(target: Draft, d: Draft) -> None:
    target.people = _unique([*target.people, *d.people])
    if target.type in PLACELESS:  # a call or a letter has no place, whatever a sentence telling it again names
        d = Draft(d.type, [], d.span, date=d.date)
    if target.host is None:
        target.host = d.host
    target.topic = target.topic and d.topic  # told plainly once: no mere topic
    if not target.placed and d.placed:
        target.city, target.country, target.placed = d.city, d.country, True
    elif target.placed and target.city is None and d.city and d.country == target.country:
        target.city = d.city  # "in Japan" then "in Tokyo": the city says more
    if target.date == NO_DATE:
        target.date = d.date


def _add_attendees(events: list[Draft], attendees: list[tuple[int, list[int]]], types: tuple[str, ...]) -> None:
    """People who were present, took part or chaired, in a clause that names
    no event, join the gathering or meeting told last before it; those who
    accompanied someone join the visit."""
    told = [e for e in events if e.type in types]
    first_at: dict[int, Draft] = {}  # sentence -> the first event told there (found once: per clause it was quadratic)
    for e in told:
        first_at.setdefault(e.sentence, e)
    said = sorted(first_at)
    for n, people in attendees:
        k = bisect_right(said, n)
        target = first_at[said[k - 1]] if k else next((e for e in told if e.type == types[0]), None)
        if target is not None:
            target.people = _unique([*target.people, *people])


def _fill_scene(events: list[Draft], places: list[PlaceAt], spans: list[tuple[int, int]], lead: Draft,
                text: str = "", told_at: Iterable[tuple[str, PlaceAt]] = ()) -> None:
    """Events whose clause names no place happened where the report's first
    placed event did (the visit's city, the summit's venue), else where the
    lead says, else in the city of the headline and dateline; those whose
    clause gives no date, when the lead says (a dateline day included)."""
    for e in events:
        if e.date == NO_DATE:
            e.date = lead.date
    placed = [e for e in events if e.placed and e.type not in PLACELESS]
    if placed:
        scene = next((e for e in placed if e.type == "visit"), placed[0])
        where = (scene.city, scene.country)
    elif lead.placed:
        where = (lead.city, lead.country)
    else:
        end = spans[min(LEAD, len(spans)) - 1][1] if spans else 0
        lead = sorted((p for p in places if p.city and p.start < end), key=lambda p: (not p.cued, p.start))
        if not lead:
            return
        where = (lead[0].city, lead[0].country)
    placed_with: dict[int, list[int]] = {}  # person -> positions of the placed events naming them
    for k, o in enumerate(placed):
        for i in set(o.people):
            placed_with.setdefault(i, []).append(k)
    for e in events:
        if not e.placed and e.type not in PLACELESS and not e.topic:
            # where the same people's placed event was ("signed in Budapest", then "the talks"), else the scene
            # (looked up by person: a scan of the placed events per event was quadratic)
            mine = set(e.people)
            near = sorted({k for i in mine for k in placed_with.get(i, ())})
            mate = max((placed[k] for k in near),
                       key=lambda o: (len(set(o.people) & mine), o.type == "visit"), default=None)
            e.city, e.country = (mate.city, mate.country) if mate is not None and mate.type != "visit" else where
    cities_told: dict[tuple[str, str | None], set[str | None]] = {}  # (kind, country) -> cities "in CITY" told of
    for kind, p in told_at:
        cities_told.setdefault((kind, p.country), set()).add(p.city)
    city = _dateline_city(places, spans, text)
    for e in events:
        if e.city is not None or e.country is None or e.type in PLACELESS:
            continue
        # "the summit in Kyrgyzstan", and elsewhere "the summit in Cholpon-Ata": the city says more
        # (not a visit: a visit to a country is to the country, wherever its meetings were)
        there = set(cities_told.get((e.type, e.country), ()))
        if len(there) == 1 and e.type != "visit":
            e.city = there.pop()
        elif city is not None and e.country == city.country:
            e.city = city.city  # "TOKYO" over the report, "visited Japan" in it: the visit was to Tokyo


def _host_country(events: list[Draft], record: Record) -> None:
    """A welcome nothing else placed ("X welcomed Y at the door of the
    parliament") took place in its host's country: a host welcomes at home,
    but an ambassador, who welcomes his own leader abroad."""
    for e in events:
        if e.host is not None and e.city is None and e.country is None and \
                not any(r.role_type == "ambassador" for r in record.persons[e.host].roles):
            e.country = record.persons[e.host].country


def _date_by_dateline(events: list[Draft], record: Record, places: list[PlaceAt], text: str) -> None:
    """A short line before the body, or a short first sentence of it, that gives
    a day and a city ("20 September 2012, Bishkek", "BAKU, 3 May 2021"): the day of what the report tells
    there. Events in that city without a date of their own took place that day.
    (The days, places and city names of the lines are looked up: scanning
    them all per line was quadratic in a text of short lines.)"""
    lines = []
    for line in _LINE.finditer(text):
        if line.end() - line.start() > BODY:
            # the body's first sentence, when that short, is a dateline run into it ("BAKU, 3 May 2021. X met Y")
            head = _SENT_END.search(text, line.start(), line.end())
            if head and head.start() - line.start() < DATELINE:
                lines.append((line.start(), head.start()))
            break
        lines.append(line.span())
    if not any(hi - lo < DATELINE for lo, hi in lines):
        return
    days_on = _by_sentence(lines, [d for d in record.dates if d.span and d.value and len(d.value) == 10],
                           lambda d: d.span[0])
    cities_on = _by_sentence(lines, [p for p in places if p.city], lambda p: p.start)
    named: dict[str, int] = {}  # a city's name or mention, folded -> the first of the record's cities written so
    for k, c in enumerate(record.cities):
        for m in (c.name, *c.mentions):
            named.setdefault(fold(m), k)
    for n, (lo, hi) in enumerate(lines):
        if hi - lo >= DATELINE:
            continue
        day = next(iter(days_on.get(n, [])), None)
        words = {fold(w) for w in _WORD.findall(text, lo, hi)}
        first = min((named[w] for w in words if w in named), default=None)
        city = next((p.city for p in cities_on.get(n, [])), None) or \
            (record.cities[first].name if first is not None else None)
        if day and city:
            for e in events:
                if e.date == NO_DATE and e.city == city:
                    e.date = (day.value, None, None)
            return


def _dateline_city(places: list[PlaceAt], spans: list[tuple[int, int]], text: str = "") -> PlaceAt | None:
    """The city of the report's dateline: a city written in capitals ("TOKYO",
    "BISHKEK, Kyrgyzstan, June 21.") or a city on a short line of the lead
    ("20 September 2012, Bishkek"), before the body's first long sentence. A
    line's first word in capitals that folds to one of the record's cities
    counts too (the NER takes "ANKARA" on a line of its own for no name)."""
    lead = [(lo, hi) for lo, hi in spans[:LEAD]]
    forms = {fold(text[p.start:p.end]): p for p in places if p.city} | \
            {fold(p.city): p for p in places if p.city}
    for lo, hi in lead:
        first = _WORD.match(text, lo)
        if first and first.group().isupper() and len(first.group()) > 2 and fold(first.group()) in forms:
            return forms[fold(first.group())]
    for p in sorted((p for p in places if p.city), key=lambda p: p.start):
        line = next(((lo, hi) for lo, hi in lead if lo <= p.start < hi), None)
        if line is None:
            return None
        if p.upper or line[1] - line[0] < DATELINE:
            return p
    return None


def _to_event(d: Draft) -> Event:
    value, start, end = d.date
    e = Event(type=d.type, city=d.city, country=d.country, value=value, start=start, end=end, span=d.span)
    e._people = list(d.people)
    return e


def resolve_participants(record: Record, old_ids: list[str]) -> None:
    """Entity ids for the events' participants once the persons have theirs.
    ``old_ids``: the persons' ids before this resolution (a record read back
    from an earlier run names its participants by those)."""
    index = {pid: i for i, pid in enumerate(old_ids) if pid}
    for e in record.events:
        people = e._people or [index[pid] for pid in e.participants if pid in index]
        e.participants = _unique(record.persons[i].entity_id for i in people if i < len(record.persons))
        e._people = people
