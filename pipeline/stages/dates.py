"""Dates: calendar expressions normalised to ISO at the precision stated.

pressx's own finder says where dates are (dateparser's ``search_dates``
over-fires on free text); the words it reads come from data: month and
weekday names and abbreviations from dateparser's locale data (the forms it
parses, "фев", "нояб.", "Eki", "Ara."), the inflected and suffixed forms in
``data/months.tsv``, year cues, relative phrases and tense words in
``data/date_words.tsv``. Year-less expressions resolve against the
publication date, or against the date the text states before them, in the
direction the clause's tense gives; with neither they are left out."""
from __future__ import annotations

import datetime as dt
import importlib
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ..knowledge.resources import data_tsv
from ..knowledge.textnorm import Lines

HEADER_CHARS = 200  # where a bare dated line is a header, whatever its shape
HEADER_ZONE = 1000  # where a dateline or a time stamp may stand, or further while no prose has started
HEADER_MAX = 3000  # how far a page's menus and links may push the prose down
HEADER_LINE_CHARS = 60  # a dated line this short is a header, not prose
MIN_ABBREVIATION = 3  # dateparser's two-letter month forms ("Ka", "Ar") are words too


@dataclass(frozen=True, slots=True)
class DateFound:
    start: int
    end: int
    text: str
    value: str | None = None
    range_start: str | None = None
    range_end: str | None = None


@dataclass(frozen=True)
class Grammar:
    lang: str
    month_re: str
    months: tuple[tuple[re.Pattern[str], int], ...]
    abbreviations: frozenset[str]  # month forms that are abbreviations, lower case, without the dot
    year_after: str
    year_before: str
    relative: tuple[tuple[re.Pattern[str], int], ...]  # (phrase, years from the publication year)
    same_year: re.Pattern[str] | None  # "the same year": the year stated last
    weekdays: dict[str, int]  # weekday form (lower case) -> Monday 0 .. Sunday 6
    day_after: re.Pattern[str] | None  # words after a lowercase weekday that make it a day ("pazar günü")
    month_suffix: re.Pattern[str] | None  # a case ending that makes a month alone a date
    future: re.Pattern[str] | None
    future_verb: re.Pattern[str] | None  # future unless a past verb stands in the clause too
    past: re.Pattern[str] | None
    published: re.Pattern[str] | None
    not_published: re.Pattern[str] | None
    patterns: tuple[tuple[str, re.Pattern[str], int], ...]  # (kind, pattern, what its window must hold)
    month_start: re.Pattern[str]  # a month name at a word start
    starts: dict[str, int]  # first one or two letters of month names (NEEDS_MONTH) and fixed phrases (FIXED)
    tokens: re.Pattern[str]  # numbers, and the words that start so
    fixed: re.Pattern[str] | None  # relative years, months, days and weekdays, in one scan
    fixed_kinds: dict[str, tuple[str, int]]  # its group name -> (kind, offset)


@lru_cache(maxsize=None)
def _locale(lang: str) -> dict:
    """dateparser's locale data for ``lang`` (month and weekday forms)."""
    try:
        return importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
    except ImportError:
        return {}


MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
DAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _words(words: list[list[str]], kind: str) -> str:
    return "|".join(r[2] for r in words if r[1] == kind)


# What a pattern's window must hold for the pattern to be tried there (most
# windows hold a number alone: the month patterns skip them).
NEEDS_DIGIT, NEEDS_MONTH, NEEDS_YEAR, NEEDS_SEP = 0, 1, 2, 8  # NEEDS_SEP: a number before "." or "/"
FIXED = 4  # a word that may start a relative phrase or a weekday
_NEEDS = {"range2": NEEDS_MONTH, "range": NEEDS_MONTH, "dmy": NEEDS_MONTH | NEEDS_YEAR, "mdy": NEEDS_MONTH | NEEDS_YEAR,
          "my": NEEDS_MONTH | NEEDS_YEAR, "dm": NEEDS_MONTH, "md": NEEDS_MONTH, "month": NEEDS_MONTH,
          "iso": NEEDS_YEAR, "ymd": NEEDS_YEAR | NEEDS_SEP, "numeric": NEEDS_SEP, "yrange": NEEDS_YEAR,
          "year": NEEDS_YEAR, "isomonth": NEEDS_YEAR, "yearsuffix": NEEDS_YEAR}


@lru_cache(maxsize=None)
def grammar(lang: str) -> Grammar:
    rows = [r for r in data_tsv("months.tsv") if r[0] == lang] or [r for r in data_tsv("months.tsv") if r[0] == "en"]
    alts, months = [], []
    for row in rows:
        _, num, stem = row[:3]
        endings = row[3] if len(row) > 3 else ""
        form = f"(?:{stem})(?:{endings})" if endings else f"(?:{stem})"
        form += r"(?:['’`][^\W\d_]+)?"
        alts.append(form)
        months.append((re.compile(rf"^{form}$", re.I), int(num)))
    full = list(months)
    abbreviations = set()
    info = _locale(lang)
    for num, key in enumerate(MONTH_KEYS, 1):
        for word in info.get(key, []):
            w = word.lower()
            if len(w) >= MIN_ABBREVIATION and not any(p.match(w) for p, _ in full):
                abbreviations.add(w)
                form = rf"(?:{re.escape(w)})\.?(?:['’`][^\W\d_]+)?"
                alts.append(form)
                months.append((re.compile(rf"^{form}$", re.I), num))
    month_re = "(?:" + "|".join(alts) + r")(?![^\W\d_])"
    words = [r for r in data_tsv("date_words.tsv") if r[0] == lang]
    year_after = _words(words, "year_after") or "(?!)"
    year_before = _words(words, "year_before") or "(?!)"

    def phrase(regex: str) -> re.Pattern[str] | None:
        return re.compile(rf"(?<![^\W\d_])(?:{regex})(?![^\W\d_])", re.I) if regex else None

    relative = tuple((phrase(r[2]), int(r[1].split(":")[1])) for r in words if r[1].startswith("relative:"))
    weekdays = {w.lower(): i for i, key in enumerate(DAY_KEYS) for w in info.get(key, []) if len(w) >= 3}
    range_words = _words(words, "range_from") or "(?!)"
    range_joins = _words(words, "range_to") or "(?!)"
    month_before = _words(words, "month_before")
    month_after = _words(words, "month_after")
    month_suffix = _words(words, "month_suffix")
    year_of = _words(words, "year_of") or "(?!)"
    # a month name starts a word: "Azerbaijan 2022" holds no "jan 2022" (and the
    # scan skips mid-word positions fast)
    M, D, Y = rf"(?<![^\W\d_])(?P<m>{month_re})", r"(?P<d>[0-3]?\d)", r"(?P<y>(?:19|20)\d\d)"
    M1 = rf"(?<![^\W\d_])(?P<m1>{month_re})"
    D1, D2 = r"(?P<d1>[0-3]?\d)", r"(?P<d2>[0-3]?\d)"
    dash = r"\s*[-–—]\s*"
    # a day may follow a clock time glued to it ("18:4107.04.2021")
    no_digit_before = r"(?:(?<![\d.])|(?<=\d:\d\d))"
    # "date 2023-07-01" heads releases in every language (the gold format's header)
    label = "|".join(filter(None, ["date", _words(words, "published")]))
    pats = [
        ("range2", rf"(?<!\d)с\s+{D1}\s+{M1}\s+по\s+{D2}\s+{M}(?:\s+{Y})?"),
        ("range", rf"(?<!\d)с\s+{D1}\s+по\s+{D2}\s+{M}(?:\s+{Y})?"),
        ("range2", rf"(?<!\d){D1}\s+{M1}{dash}{D2}\s+{M}(?:,?\s+{Y})?"),
        ("range2", rf"{M1}\s+{D1}{dash}{M}\s+{D2}(?:,?\s+{Y})?"),
        ("range", rf"(?<!\d){D1}{dash}{D2}\s+{M}(?:,?\s+{Y})?"),
        ("range", rf"{M}\s+{D1}{dash}{D2}(?:,?\s+{Y})?"),
        ("iso", r"(?<![\d.-])(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"),
        ("ymd", r"(?<![\d./])(?P<y>(?:19|20)\d\d)([/.])(?P<mo>[01]?\d)\2(?P<d>[0-3]?\d)(?![\d/.]\d)"),
        ("numeric", rf"{no_digit_before}(?P<d>[0-3]?\d)\.(?P<mo>[0-3]?\d)\.(?P<y>(?:19|20)?\d\d)(?![\d.]\d)"),
        ("numeric", r"(?<![\d/])(?P<d>[0-3]?\d) ?/ ?(?P<mo>[0-3]?\d) ?/ ?(?P<y>(?:19|20)\d\d)(?![\d/])"),
        ("dmy", rf"(?<!\d){D}(?:st|nd|rd|th)?\.?\s+{M},?\s+{Y}"),
        ("mdy", rf"{M}\s+{D}(?:st|nd|rd|th)?,?\s+{Y}"),
        ("yrange", rf"(?<![\d.-])(?P<y1>(?:19|20)\d\d){dash}(?P<y2>(?:19|20)\d\d)(?![\d-])"),
        ("yrange", rf"(?<![^\W\d_])(?:{range_words})\s+(?P<y1>(?:19|20)\d\d)(?:['’`][^\W\d_]+)?\s+"
                   rf"(?:{range_joins})\s+(?P<y2>(?:19|20)\d\d)(?![\d-])"),
        ("my", rf"{M},?\s+{Y}"),
        ("my", rf"(?<![\d.\-/]){Y}['’`]?[^\W\d_]*\s+(?:{year_of})\s+{M}(?:\s+(?:{month_after or '(?!)'}))?"),
        ("isomonth", rf"(?<![^\W\d_])(?:{label or '(?!)'})\s*:?\s*(?P<y>(?:19|20)\d\d)-(?P<mo>0[1-9]|1[0-2])(?![\d-])"),
        ("dm", rf"(?<![\d.]){D}\.?\s+{M}"),
        ("md", rf"{M}\s+{D}(?:st|nd|rd|th)?(?![\d,]*\s*\d{{4}})(?!\d)"),
        ("year", rf"(?<![\d.\-/]){Y}(?:['’`][^\W\d_]+)?\s+(?:{year_after})"),
        ("year", rf"(?<![^\W\d_])(?:{year_before})\s+{Y}(?![\d\-/.]\d)"),
        ("year", rf"(?<=\(){Y}(?=\))"),
        ("year", rf"(?m)^[ \t]*{Y}[ \t]*$"),
        ("yearsuffix", rf"(?<![\d.\-/]){Y}['’`][^\W\d_]+"),
    ]
    if month_before:
        pats.append(("month", rf"(?<![^\W\d_])(?P<cue>{month_before})\s+{M}"))
    if month_after:
        pats.append(("month", rf"{M}\s+(?:{month_after})(?![^\W\d_])"))
    pats.append(("month", M))
    patterns = tuple((kind, re.compile(p, re.I), _NEEDS.get(kind, NEEDS_DIGIT)) for kind, p in pats)
    fixed_rows = [(k, int(r[1].split(":")[1]), r[2]) for r in words for k in ("relative", "relative_month", "days_ago")
                  if r[1].startswith(k + ":")]
    fixed_rows += [("weekday", 0, r[2]) for r in words if r[1] == "day"]
    fixed_rows += [("same_year", 0, r[2]) for r in words if r[1] == "same_year"]
    fixed_rows.sort(key=lambda row: -len(row[2]))  # at one place the longer phrase wins
    fixed_kinds = {f"f{i}": (k, off) for i, (k, off, _) in enumerate(fixed_rows)}
    fixed = re.compile(r"(?<![^\W\d_])(?:" + "|".join(f"(?P<f{i}>{rx})" for i, (_, _, rx) in enumerate(fixed_rows))
                       + r")(?![^\W\d_])", re.I) if fixed_rows else None
    published = re.compile(rf"(?<![^\W\d_])(?:{label})[ \t]*(?P<colon>:)?", re.I) if label else None
    starts: dict[str, int] = {}
    for regex, flag in [(month_re, NEEDS_MONTH), (fixed.pattern if fixed else "", FIXED)]:
        heads = _starts(regex) if regex else set()
        for head in heads if heads is not None else {""}:  # "": every word (no letters to go by)
            starts[head] = starts.get(head, 0) | flag
    day_after = _words(words, "day_after")
    return Grammar(lang, month_re, tuple(months), frozenset(abbreviations), year_after, year_before, relative,
                   phrase(_words(words, "same_year")), weekdays,
                   re.compile(rf"\s+(?:{day_after})(?![^\W\d_])", re.I) if day_after else None,
                   re.compile(month_suffix, re.I) if month_suffix else None, phrase(_words(words, "future")),
                   phrase(_words(words, "future_verb")), phrase(_words(words, "past")), published,
                   phrase(_words(words, "not_published")), patterns, re.compile(M, re.I), starts, _token_re(starts),
                   fixed, fixed_kinds)


# How far a date expression reaches before its first number or month name
# ("between 2019 and 2020", "с 5 по 7 мая") and after its last ("2019 yılında").
REACH_BEFORE, REACH_AFTER = 30, 40
SAME_YEAR_REACH = 25  # how far "этого же года" / "the same year" may stand from its month
_CLOCK = re.compile(r"\d:[0-5]\d")
_SENTENCE_END = re.compile(r"[.!?\n]")


def _starts(regex: str, k: int = 2) -> set[str] | None:
    """The first one or two letters (lower case) of every word ``regex`` can
    start with, from its parse tree; None when it can start with anything else.
    A scan then tries the regex only at words starting so."""
    try:  # the stdlib's own regex parser (its modules' names since Python 3.11)
        from re import _constants as C, _parser as P
    except ImportError:  # Python 3.10
        import sre_constants as C  # type: ignore[no-redef]
        import sre_parse as P  # type: ignore[no-redef]

    def run(items, growing: set[str]) -> tuple[set[str], set[str]] | None:
        done: set[str] = set()
        for op, av in items:
            if not growing:
                break
            if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue
            if op is C.LITERAL:
                ch = chr(av).lower()
                if not ch.isalpha():
                    done |= growing
                    growing = set()
                    continue
                new = {g + ch for g in growing}
                done |= {g for g in new if len(g) >= k}
                growing = {g for g in new if len(g) < k}
            elif op is C.IN:
                chars = [chr(a).lower() for o, a in av if o is C.LITERAL]
                if len(chars) != len(av) or not all(c.isalpha() for c in chars):
                    done |= growing
                    growing = set()
                    continue
                new = {g + c for g in growing for c in chars}
                done |= {g for g in new if len(g) >= k}
                growing = {g for g in new if len(g) < k}
            elif op is C.SUBPATTERN:
                r = run(av[-1], growing)
                if r is None:
                    return None
                done |= r[0]
                growing = r[1]
            elif op is C.BRANCH:
                parts = [run(branch, growing) for branch in av[1]]
                if any(r is None for r in parts):
                    return None
                done |= set().union(*(r[0] for r in parts))
                growing = set().union(*(r[1] for r in parts))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                lo, _, sub = av
                r = run(sub, growing)
                if r is None:
                    return None
                if lo == 0:
                    done |= r[0]
                    growing = growing | r[1]
                else:
                    done |= r[0] | r[1]
                    growing = set()
            else:
                done |= growing
                growing = set()
        return done, growing

    r = run(P.parse(regex, re.I), {""})
    if r is None:
        return None
    heads = r[0] | r[1]
    return None if "" in heads else heads


def _token_re(starts: dict[str, int]) -> re.Pattern[str]:
    """Numbers, and words starting with one of ``starts``' heads, grouped by first
    letter so that a word start costs one class test."""
    if "" in starts:
        return re.compile(r"(?P<n>\d+)|(?<![^\W\d_])[^\W\d_]", re.I)
    by_first: dict[str, set[str]] = {}
    for head in starts:
        by_first.setdefault(head[0], set()).add(head[1:])
    alts = []
    for first, rests in sorted(by_first.items()):
        if "" in rests:
            alts.append(re.escape(first))
        else:
            alts.append(re.escape(first) + "[" + "".join(map(re.escape, sorted(rests))) + "]")
    return re.compile(r"(?P<n>\d+)|(?<![^\W\d_])(?:" + "|".join(alts) + ")", re.I)


def _windows(g: Grammar, text: str) -> tuple[list[tuple[int, int, int]], list[int]]:
    """Stretches of text that can hold a date, with what they hold (NEEDS_MONTH,
    NEEDS_YEAR bits), and the word starts where a relative phrase may stand: the
    patterns scan only these (most of a press release is prose with no number or
    month in reach)."""
    out: list[tuple[int, int, int]] = []
    fixed: list[int] = []
    starts, n = g.starts, len(text)
    for m in g.tokens.finditer(text):
        pos = m.start()
        if m.lastgroup == "n":
            w = m.group()
            end = m.end()
            holds = NEEDS_YEAR if len(w) == 4 and w[:2] in ("19", "20") else 0
            if text[end:end + 2].lstrip()[:1] in (".", "/"):
                holds |= NEEDS_SEP
        else:
            w = text[pos:pos + 3].lower().replace("\u0307", "")
            flags = starts.get(w[:1], 0) | starts.get(w[:2], 0) | starts.get("", 0)
            if flags & FIXED:
                fixed.append(pos)
            if not flags & NEEDS_MONTH:
                continue
            mm = g.month_start.match(text, pos)
            if not mm:
                continue
            holds, end = NEEDS_MONTH, mm.end()
        lo, hi = max(0, pos - REACH_BEFORE), min(n, end + REACH_AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi, out[-1][2] | holds)
        else:
            out.append((lo, hi, holds))
    return out, fixed


def _month(g: Grammar, text: str) -> int:
    word = text.split()[0] if text.split() else text
    for pat, num in g.months:
        if pat.match(word.rstrip(",")):
            return num
    raise ValueError(f"not a month: {text!r}")


def _is_abbreviation(g: Grammar, word: str) -> bool:
    return re.split(r"[.'’`]", word.lower(), maxsplit=1)[0] in g.abbreviations


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
        if m is not None:
            return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
        return f"{y:04d}"
    except ValueError:
        return None


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding ``text[start:end]``, its end punctuation kept."""
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    m = _SENTENCE_END.search(text, end, end + 300)
    return text[lo:m.end() if m else min(len(text), end + 300)]


def tense(g: Grammar, sentence: str) -> str | None:
    """"future" or "past" from the clause's words (future words win: "said he
    will come" is ahead), None when it says neither."""
    if g.future is not None and g.future.search(sentence):
        return "future"
    if g.past is not None and g.past.search(sentence):
        return "past"
    if g.future_verb is not None and g.future_verb.search(sentence):
        return "future"  # "встретятся в пятницу" (a present form reads the same: rare in a report)
    return None


def _year_by_tense(month: int, day: int | None, ref: dt.date, when: str | None) -> int:
    """The year of a year-less month (and day) said in a clause of tense ``when``
    in a text of date ``ref``: ahead of ``ref`` in a future clause, not after it
    in a past one, else ``ref``'s year."""
    here = (month, day or 1)
    now = (ref.month, ref.day if day else 1)
    if when == "future" and here < now:
        return ref.year + 1
    if when == "past" and here > now:
        # one day of slack: a release dated at midnight reports the day before
        if not (day and month == ref.month and day - ref.day <= 1):
            return ref.year - 1
    return ref.year


def _relative_year(g: Grammar, text: str, start: int, end: int,
                   base: dt.date | None) -> tuple[int, int, int] | None:
    """A relative year phrase right before or after a span ("bu yıl kasımda",
    "в ноябре текущего года"): (year against ``base``, widened span)."""
    if base is None:
        return None
    lo = max(0, start - 25)
    window_before = text[lo:start]
    for pat, offset in g.relative:
        for m in pat.finditer(window_before):
            if not window_before[m.end():].strip(" ,"):
                return base.year + offset, lo + m.start(), end
        after = text[end:end + 25]
        gap = len(after) - len(after.lstrip(" ,"))
        m = pat.match(after, gap)
        if m:
            return base.year + offset, start, end + m.end()
    return None


def _same_year(g: Grammar, text: str, start: int, end: int) -> tuple[int, int] | None:
    """A "the same year" phrase right after or before a span: the widened span."""
    if g.same_year is None:
        return None
    after = text[end:end + SAME_YEAR_REACH]
    gap = len(after) - len(after.lstrip(" ,"))
    m = g.same_year.match(after, gap)
    if m:
        return start, end + m.end()
    before = text[max(0, start - SAME_YEAR_REACH):start]
    for m in g.same_year.finditer(before):
        if not before[m.end():].strip(" ,"):
            return start - len(before) + m.start(), end
    return None


@dataclass
class _Pending:
    match: re.Match[str]
    kind: str
    same_year: tuple[int, int] | None = None  # span widened by "the same year"
    relative_only: bool = False  # a bare month: a date only beside a relative year ("bu yıl kasımda")


@dataclass(frozen=True)
class _Scan:
    """What the patterns find in a text, before any publication date is known."""
    windows: list[tuple[int, int, int]]
    fixed: list[int]  # word starts where a relative phrase or a weekday may stand
    found: list[DateFound]
    pending: list[_Pending]
    occupied: bytes  # 1 where a date stands
    anchors: list[tuple[int, dt.date, bool]]  # (offset, date, day precise) of full dates and header months
    years: list[tuple[int, int]]  # (offset, year) of every date with a year


@lru_cache(maxsize=4)
def _scan(text: str, lang: str) -> _Scan:
    """The patterns over ``text``'s windows. Cached: the publication date and the
    dates of a document read the same scan."""
    g = grammar(lang)
    occupied = bytearray(len(text) + 3)
    found: list[DateFound] = []
    anchors: list[tuple[int, dt.date, bool]] = []
    years: list[tuple[int, int]] = []
    pending: list[_Pending] = []
    windows, fixed = _windows(g, text)
    for kind, pat, needs in g.patterns:
        for m in (m for lo, hi, holds in windows if holds & needs == needs for m in pat.finditer(text, lo, hi)):
            s, e = m.span()
            if occupied.find(1, s, e) >= 0:
                continue
            item = _read(g, kind, m, text)
            if isinstance(item, _Pending):
                pending.append(item)
                s, e = item.same_year or (s, e)
                occupied[s:e] = b"\x01" * (e - s)
                continue
            if item is None:
                continue
            occupied[item.start:item.end] = b"\x01" * (item.end - item.start)
            found.append(item)
            first = item.value or item.range_start or ""
            years.append((item.start, int(first[:4])))
            if kind in ("dmy", "mdy", "iso", "ymd", "numeric", "range", "range2", "isomonth"):
                anchors.append((item.start, dt.date.fromisoformat(first if len(first) == 10 else first + "-01"),
                                len(first) == 10))
    anchors.sort(key=lambda a: a[0])
    years.sort()
    return _Scan(windows, fixed, found, pending, bytes(occupied), anchors, years)


def find_dates(text: str, lang: str, base: dt.date | None = None) -> list[DateFound]:
    """Every date expression of ``text``; year-less ones resolved against ``base``
    (the publication date), else against the date the text stated before them."""
    g = grammar(lang)
    scan = _scan(text, lang)
    occupied = bytearray(scan.occupied)
    found = list(scan.found)
    anchors, years = scan.anchors, scan.years
    anchor_at = [a[0] for a in anchors]

    def free(s: int, e: int) -> bool:
        return occupied.find(1, max(0, s), e) < 0

    def take(s: int, e: int) -> None:
        occupied[s:e] = b"\x01" * (e - s)

    def ref_at(offset: int) -> tuple[dt.date, bool] | None:
        """The publication date, else the full date the text stated last before ``offset``."""
        if base is not None:
            return base, True
        k = bisect_left(anchor_at, offset) - 1  # anchors are sorted: bisection, not a scan per date
        return anchors[k][1:] if k >= 0 else None

    # Year-less dates: a relative year beside them ("bu yıl kasımda"); the year of
    # "the same year" is the one stated last before; else the reference date's,
    # moved by the clause's tense.
    for p in scan.pending:
        m, kind = p.match, p.kind
        span = p.same_year
        rel = _relative_year(g, text, *m.span(), base) if base is not None and not p.same_year else None
        if rel:
            year, *span = rel
            span = tuple(span)
            take(*span)
        elif p.relative_only:
            continue
        elif p.same_year:
            year = next((y for s, y in reversed(years) if s < p.same_year[0]), None)
        else:
            ref = ref_at(m.start())
            if ref is None:
                continue
            month = _month(g, m.group("m"))
            day = int(m.group("d")) if "d" in m.re.groupindex and m.group("d") else None
            # against a date the text stated (no publication date) only a future clause
            # moves a date: a story goes on past its date ("5 Mayıs 2018'de hazırlandı ve
            # 9 Mayıs'ta imzalandı"), a plan does not go back before it
            when = tense(g, _sentence(text, *m.span()))
            if base is None and when == "past":
                when = None
            year = _year_by_tense(month, day if ref[1] else None, ref[0], when)
        if year is None:
            continue
        item = _read(g, kind, m, text, year=year, span=span)
        if isinstance(item, DateFound):
            found.append(item)
    # Relative years, months and days on their own ("next year", "позавчера", "on
    # Friday"). A day naming a stated date ("Cuma, Eylül 11 2015", "dün, 5 Mayıs",
    # "3 Mart 2021 Çarşamba") adds nothing.
    if g.fixed is not None:
        for m in filter(None, (g.fixed.match(text, pos) for pos in scan.fixed)):
            kind, offset = g.fixed_kinds[m.lastgroup or ""]
            if not free(*m.span()) or (kind in ("days_ago", "weekday") and not free(m.end(), m.end() + 3)):
                continue
            value = None
            if kind == "relative" and base is not None:
                value = _iso(base.year + offset)
            elif kind == "relative_month":
                # with no publication date, from a header's month ("date 2023-07")
                ref = ref_at(m.start())
                value = _add_months(ref[0], offset) if ref else None
            elif kind == "same_year":
                value = next((str(y) for s, y in reversed(years) if s < m.start()), None)
            elif kind == "days_ago" and base is not None:
                value = (base - dt.timedelta(days=offset)).isoformat()
            elif kind == "weekday" and free(m.start() - 3, m.start()):
                index = _weekday_index(g, m.group())
                if index is None or (g.day_after is not None and not m.group()[0].isupper()
                                     and not g.day_after.match(text, m.end())):
                    continue
                if base is not None:
                    value = weekday_date(index, base, tense(g, _sentence(text, *m.span()))).isoformat()
                else:
                    # no publication date: the weekday of the full date stated before it
                    ref = ref_at(m.start())
                    value = ref[0].isoformat() if ref and ref[1] and ref[0].weekday() == index else None
            if value:
                take(*m.span())
                found.append(DateFound(m.start(), m.end(), m.group(), value=value))
    found.sort(key=lambda d: d.start)
    return found


def _add_months(ref: dt.date, months: int) -> str:
    n = ref.year * 12 + ref.month - 1 + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _weekday_index(g: Grammar, phrase: str) -> int | None:
    """Monday 0 .. Sunday 6 for a weekday phrase ("во вторник", "Cuma", "Friday")."""
    for word in reversed(phrase.lower().split()):
        word = re.split(r"['’`]", word)[0]
        if word in g.weekdays:
            return g.weekdays[word]
        best = max((w for w in g.weekdays if len(w) >= 4 and word.startswith(w)), key=len, default=None)
        if best:
            return g.weekdays[best]
    return None


def weekday_date(index: int, base: dt.date, when: str | None = None) -> dt.date:
    """The weekday ``index`` (Monday 0) nearest ``base`` in the clause's direction:
    the next one from ``base`` on in a future clause, else the last one up to
    ``base`` (the publication day itself included: "said on Sunday" in a Sunday release)."""
    if when == "future":
        return base + dt.timedelta(days=(index - base.weekday()) % 7)
    return base - dt.timedelta(days=(base.weekday() - index) % 7)


def _prev_word_is_name(text: str, start: int) -> bool:
    """A capitalised word right before ``start`` that does not begin a sentence:
    the number is part of a name ("Expo 2020'de", "ITU Telecom World 2019'da")."""
    before = text[max(0, start - 40):start]
    m = re.search(r"(\S+)\s+$", before)
    if not m or not m.group(1)[0].isupper():
        return False
    prior = before[:m.start()].rstrip()
    return bool(prior) and prior[-1] not in ".!?:\n"


def _read(g: Grammar, kind: str, m: re.Match[str], text: str,
          year: int | None = None, span: tuple[int, int] | None = None) -> DateFound | _Pending | None:
    """The date a pattern's match states; a _Pending when its year is not stated."""
    gd = m.groupdict()
    s, e = span or m.span()
    surface = text[s:e]
    if kind in ("iso", "numeric", "ymd"):
        y = int(gd["y"])
        y = y + 2000 if y < 100 else y
        day, month = int(gd["d"]), int(gd["mo"])
        if kind == "numeric" and month > 12 >= day:
            day, month = month, day  # month first ("03/27/2024", a US page): only when the day shows it
        value = _iso(y, month, day)
        return DateFound(s, e, surface, value=value) if value else None
    if kind == "isomonth":
        s, e = m.start("y"), m.end("mo")
        return DateFound(s, e, text[s:e], value=_iso(int(gd["y"]), int(gd["mo"])))
    if kind == "yrange":
        y1, y2 = int(gd["y1"]), int(gd["y2"])
        if not y1 < y2 <= y1 + 50:
            return None
        return DateFound(s, e, surface, range_start=str(y1), range_end=str(y2))
    if kind == "year":
        return DateFound(s, e, surface, value=_iso(int(gd["y"])))
    if kind == "yearsuffix":
        return None if _prev_word_is_name(text, s) else DateFound(s, e, surface, value=_iso(int(gd["y"])))
    word = gd["m"]
    if kind in ("dm", "md", "month") and _is_abbreviation(g, word):
        # an abbreviation with no year is a month only when it looks like one ("12 Eki", "Nov. 5")
        if kind == "month" or not (word[0].isupper() or "." in word or g.lang == "ru"):
            return None
    month = _month(g, word)
    if kind == "month" and span is None:
        s, e = m.span("m")
        surface = text[s:e]
    y = int(gd["y"]) if gd.get("y") else year
    if y is None and kind in ("range", "range2", "dm", "md", "month"):
        same = _same_year(g, text, s, e)
        if same:
            return _Pending(m, kind, same)
    if kind == "month" and y is None:
        # a month alone is a date of the text after a cue ("in June", "в июне"), before
        # "ayında", or with a case ending ("Haziran'da"); in English and Turkish capitalised
        before, after = gd.get("cue") is not None, m.end() > m.end("m")  # "in June"; "kasım ayında"
        suffixed = g.month_suffix is not None and g.month_suffix.search(word) is not None
        # "in may" is a verb, "Ekim'de" a month: without a word after it the name is capitalised
        if not (before or after or suffixed) or (g.lang != "ru" and not after and not word[0].isupper()):
            return _Pending(m, kind, relative_only=True)
    if kind in ("range", "range2"):
        if y is None:
            return _Pending(m, kind)
        m1 = _month(g, gd["m1"]) if kind == "range2" else month
        a, b = _iso(y, m1, int(gd["d1"])), _iso(y, month, int(gd["d2"]))
        return DateFound(s, e, surface, range_start=a, range_end=b) if a and b and a < b else None
    if kind in ("dmy", "mdy", "dm", "md"):
        if y is None:
            return _Pending(m, kind)
        value = _iso(y, month, int(gd["d"]))
        return DateFound(s, e, surface, value=value) if value else None
    if kind in ("my", "month"):
        if y is None:
            return _Pending(m, kind)
        return DateFound(s, e, surface, value=_iso(y, month))
    return None


# one to four words, an agency in parentheses, a closing mark: "BİŞKEK (AA) -", "Baku,"
_DATELINE = re.compile(r"^(?:[^\W\d_][\w.\-’']*\s+){0,3}[^\W\d_][\w.\-’']*\s*"
                       r"(?:\([^()\n]{1,30}\)\s*)?[,.:\-–—]?$")


def _is_dateline(lead: str, tail: str) -> bool:
    """"ASTANA," or "BİŞKEK (AA) -" before a date: the place words of a dateline,
    in capitals or with the date closing the phrase ("Tashkent, March 4 (UzA).",
    "Ankara, 12 May 2024 -"), not a sentence going on ("Veli, 14 Ekim 2021 tarihinde")."""
    words = lead.split()
    if not words or not words[0][0].isupper() or not _DATELINE.match(lead):
        return False
    place = re.sub(r"\([^()]*\)", "", lead).strip(" ,.:-–—")
    return place.isupper() or (lead[-1] in ",.:-–—)" and (not tail or tail[0] in "-–—(.|/[,"))


def _stamped(text: str, d: DateFound, lo: int, hi: int) -> bool:
    """A clock time next to the date on its line: "2021-04-07 09:05:00", "18:41 07.04.2021",
    "19.12.2017 [11:52]", "09:12 / 2022-10-27"."""
    return any(_CLOCK.finditer(text, max(lo, d.start - 12), min(hi, d.end + 12)))


def _header_end(text: str) -> int:
    """Where the prose starts: the first long line ending a sentence after ``HEADER_CHARS``."""
    pos = 0
    for line in text[:HEADER_MAX].split("\n"):
        if pos >= HEADER_CHARS and len(line) > 120 and line.rstrip()[-1:] in ".!?\"”»":
            return pos
        pos += len(line) + 1
    return min(len(text), HEADER_MAX)


def publication_date(text: str, lang: str, lines: Lines | None = None) -> str | None:
    """The date the text says it was published: a labelled date anywhere
    ("Published: ...", a "date 2022-10-27" header), else a time-stamped date, a
    dateline ("АСТАНА, 9 фев 2024 - Sputnik", "BİŞKEK (AA) - ...") or a dated
    header line before the prose, else a time stamp alone on a short line.
    ``lines``: the text's lines, where the caller has them already."""
    g = grammar(lang)
    scan = _scan(text, lang)
    lines = Lines(text) if lines is None else lines
    full = sorted((d for d in scan.found if d.value and len(d.value) == 10), key=lambda d: d.start)
    if not full:
        return None

    def published_line(lo: int, at: int) -> bool:
        """No "updated" between the line's start and the date ("Last updated: ...")."""
        return g.not_published is None or not g.not_published.search(text, lo, at)

    if g.published is not None:
        # a label stands just before a date, so inside (or just before) a window
        for lo_w, hi_w, _ in scan.windows:
            for m in g.published.finditer(text, max(0, lo_w - 40), hi_w):
                lo, hi = lines.bounds(m.start(), m.end())
                if not m.group("colon") and text[lo:m.start()].strip():
                    continue  # without a colon a label starts its line ("date 2023-04-01", "Published in ...")
                d = next((d for d in full if m.end() <= d.start <= m.end() + 3), None)
                if d is not None and published_line(lo, d.start):
                    return d.value
    end = _header_end(text)
    zone = max(HEADER_ZONE, end)
    for d in full:
        if d.start >= zone:
            break
        lo, hi = lines.bounds(d.start, d.end)
        if not published_line(lo, d.start):
            continue
        lead = text[lo:d.start].strip()
        tail = text[d.end:hi].strip()
        if _stamped(text, d, lo, hi) or _is_dateline(lead, tail):
            return d.value
        if d.start < end and (lead.lower() in ("", "date") or hi - lo <= HEADER_LINE_CHARS or not tail):
            return d.value
    # a time stamp on a short line further down ("Politics 2021-04-07 09:05:00")
    for d in full:
        if d.start >= zone:
            lo, hi = lines.bounds(d.start, d.end)
            if hi - lo <= HEADER_LINE_CHARS and _stamped(text, d, lo, hi) and published_line(lo, d.start):
                return d.value
    return None


def resolve_date(expr: str, lang: str, publication: dt.date | str | None,
                 sentence: str | None = None) -> str | tuple[str, str] | None:
    """The value of one date expression ("3 Ekim'de", "on Friday", "вчера",
    "9-12 Eylül 2019") against a publication date: an ISO value, a (start, end)
    pair for a range, or None. ``sentence``, the clause holding ``expr``, sets
    the direction of a weekday or a year-less date by its tense."""
    base = dt.date.fromisoformat(publication) if isinstance(publication, str) else publication
    text = sentence if sentence and expr in sentence else expr
    at = text.find(expr)
    for d in find_dates(text, lang, base):
        if d.start < at + len(expr) and d.end > at:
            return d.value or (d.range_start or "", d.range_end or "")
    return None
