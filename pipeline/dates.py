"""Dates: calendar expressions normalised to ISO at the precision stated.

Language grammars: month names and their suffixed and inflected forms in
``data/months.tsv``, year cues and relative phrases in ``data/date_words.tsv``.
Year-less expressions resolve against the publication date, or against the
one year the text states; with neither they are left out."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .resources import data_tsv

HEADER_CHARS = 200  # where a publication date may stand
HEADER_LINE_CHARS = 60  # a dated line this short is a header, not prose



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
    year_after: str
    year_before: str
    relative: tuple[tuple[re.Pattern[str], int], ...]  # (phrase, years from the publication year)
    days_ago: tuple[tuple[re.Pattern[str], int], ...]  # (phrase, days before the publication date)
    days: re.Pattern[str] | None  # weekdays
    published: re.Pattern[str] | None
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    anchors: re.Pattern[str]  # what every pattern holds: a number or a month name


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
    month_re = "(?:" + "|".join(alts) + r")(?![^\W\d_])"
    words = [r for r in data_tsv("date_words.tsv") if r[0] == lang]
    year_after = "|".join(r[2] for r in words if r[1] == "year_after") or "(?!)"
    year_before = "|".join(r[2] for r in words if r[1] == "year_before") or "(?!)"
    def offsets(kind: str) -> tuple[tuple[re.Pattern[str], int], ...]:
        return tuple((re.compile(rf"(?<![^\W\d_])(?:{r[2]})(?![^\W\d_])", re.I), int(r[1].split(":")[1]))
                     for r in words if r[1].startswith(kind + ":"))

    relative, days_ago = offsets("relative"), offsets("days_ago")
    day_words = "|".join(r[2] for r in words if r[1] == "day")
    days = re.compile(rf"(?<![^\W\d_])(?:{day_words})(?![^\W\d_])", re.I) if day_words else None
    range_words = "|".join(r[2] for r in words if r[1] == "range_from") or "(?!)"
    range_joins = "|".join(r[2] for r in words if r[1] == "range_to") or "(?!)"
    # a month name starts a word: "Azerbaijan 2022" holds no "jan 2022" (and the
    # scan skips mid-word positions fast)
    M, D, Y = rf"(?<![^\W\d_])(?P<m>{month_re})", r"(?P<d>[0-3]?\d)", r"(?P<y>(?:19|20)\d\d)"
    D1, D2 = r"(?P<d1>[0-3]?\d)", r"(?P<d2>[0-3]?\d)"
    dash = r"\s*[-–—]\s*"
    pats = [
        ("range", rf"(?<!\d)с\s+{D1}\s+(?:{month_re}\s+)?по\s+{D2}\s+{M}(?:\s+{Y})?"),
        ("range", rf"(?<!\d){D1}{dash}{D2}\s+{M}(?:,?\s+{Y})?"),
        ("range", rf"{M}\s+{D1}{dash}{D2}(?:,?\s+{Y})?"),
        ("iso", r"(?<![\d.-])(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"),
        ("numeric", r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<mo>[01]?\d)\.(?P<y>(?:19|20)?\d\d)(?![\d.]\d)"),
        ("numeric", r"(?<![\d/])(?P<d>[0-3]?\d) ?/ ?(?P<mo>[01]?\d) ?/ ?(?P<y>(?:19|20)\d\d)(?![\d/])"),
        ("dmy", rf"(?<!\d){D}(?:st|nd|rd|th)?\s+{M},?\s+{Y}"),
        ("mdy", rf"{M}\s+{D}(?:st|nd|rd|th)?,?\s+{Y}"),
        ("yrange", rf"(?<![\d.-])(?P<y1>(?:19|20)\d\d){dash}(?P<y2>(?:19|20)\d\d)(?![\d-])"),
        ("yrange", rf"(?<![^\W\d_])(?:{range_words})\s+(?P<y1>(?:19|20)\d\d)(?:['’`][^\W\d_]+)?\s+"
                   rf"(?:{range_joins})\s+(?P<y2>(?:19|20)\d\d)(?![\d-])"),
        ("my", rf"{M},?\s+{Y}"),
        ("dm", rf"(?<![\d.]){D}\s+{M}"),
        ("md", rf"{M}\s+{D}(?:st|nd|rd|th)?(?![\d,]*\s*\d{{4}})(?!\d)"),
        ("year", rf"(?<![\d.\-/]){Y}(?:['’`][^\W\d_]+)?\s+(?:{year_after})"),
        ("year", rf"(?<![^\W\d_])(?:{year_before})\s+{Y}(?![\d\-/.]\d)"),
        ("month", M),
    ]
    patterns = tuple((kind, re.compile(p, re.I)) for kind, p in pats)
    labels = "|".join(r[2] for r in words if r[1] == "published")
    published = re.compile(rf"(?<![^\W\d_])(?:{labels})\s*:", re.I) if labels else None
    anchors = re.compile(rf"\d+|{M}", re.I)
    return Grammar(lang, month_re, tuple(months), year_after, year_before, relative, days_ago, days, published,
                   patterns, anchors)


# How far a date expression reaches before its first number or month name
# ("between 2019 and 2020", "с 5 по 7 мая") and after its last ("2019 yılında").
REACH_BEFORE, REACH_AFTER = 30, 40


def _windows(g: Grammar, text: str) -> list[tuple[int, int]]:
    """Stretches of text that can hold a date: the patterns scan only these
    (most of a press release is prose with no number or month in reach)."""
    out: list[tuple[int, int]] = []
    for m in g.anchors.finditer(text):
        lo, hi = max(0, m.start() - REACH_BEFORE), min(len(text), m.end() + REACH_AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _month(g: Grammar, text: str) -> int:
    word = text.split()[0] if text.split() else text
    for pat, num in g.months:
        if pat.match(word.rstrip(".,")):
            return num
    raise ValueError(f"not a month: {text!r}")


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
        if m is not None:
            return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
        return f"{y:04d}"
    except ValueError:
        return None


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


def find_dates(text: str, lang: str, base: dt.date | None = None) -> list[DateFound]:
    """Every date expression of ``text``; year-less ones resolved against ``base``."""
    g = grammar(lang)
    occupied = bytearray(len(text) + 3)  # 1 where a date already stands
    found: list[DateFound] = []
    anchors: list[tuple[int, int]] = []  # (offset, year) of full dates
    pending: list[tuple[re.Match[str], str]] = []

    def free(s: int, e: int) -> bool:
        return occupied.find(1, s, e) < 0

    def take(s: int, e: int) -> None:
        occupied[s:e] = b"\x01" * (e - s)

    windows = _windows(g, text)
    for kind, pat in g.patterns:
        for m in (m for lo, hi in windows for m in pat.finditer(text, lo, hi)):
            s, e = m.span()
            if not free(s, e):
                continue
            item = _read(g, kind, m, text, base)
            if item == "pending":
                pending.append((m, kind))
                take(s, e)
                continue
            if item is None:
                continue
            take(item.start, item.end)
            found.append(item)
            if kind in ("dmy", "mdy", "iso", "numeric", "range"):
                anchors.append((item.start, int((item.value or item.range_start or "0")[:4])))
    # Year-less dates with no relative phrase: the publication year, else the
    # year of the full date the text reported just before (the event's date).
    anchors.sort()  # once, then bisection (sorting them again for each year-less date was quadratic)
    for m, kind in pending:
        k = bisect_left(anchors, (m.start(),)) - 1
        year = base.year if base else (anchors[k][1] if k >= 0 else None)
        if year is None:
            continue
        item = _read(g, kind, m, text, None, year=year)
        if item:
            found.append(item)
    if base is not None:
        # Relative years and days on their own ("next year", "позавчера"); where two
        # phrases overlap the longer wins ("the day before yesterday", not "yesterday").
        # A day naming a stated date ("Cuma, Eylül 11 2015", "dün, 5 Mayıs") adds nothing.
        fixed = [(m, _iso(base.year + offset)) for pat, offset in g.relative for m in pat.finditer(text)]
        fixed += [(m, (base - dt.timedelta(days=back)).isoformat()) for pat, back in g.days_ago
                  for m in pat.finditer(text) if free(m.end(), m.end() + 3)]
        for m, value in sorted(fixed, key=lambda mv: (mv[0].start(), -len(mv[0].group()))):
            if free(*m.span()):
                take(*m.span())
                found.append(DateFound(m.start(), m.end(), m.group(), value=value))
        if g.days is not None:
            for m in g.days.finditer(text):
                if free(*m.span()) and free(m.end(), m.end() + 3):
                    value = _relative_day(m.group(), lang, base)
                    if value:
                        take(*m.span())
                        found.append(DateFound(m.start(), m.end(), m.group(), value=value))
    found.sort(key=lambda d: d.start)
    return found


def _relative_day(expr: str, lang: str, base: dt.date) -> str | None:
    """A weekday, the last such day up to ``base`` (press releases report what
    has happened), read by dateparser."""
    import dateparser

    parsed = dateparser.parse(expr, languages=[lang], settings={
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time(12)), "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed else None


def _read(g: Grammar, kind: str, m: re.Match[str], text: str, base: dt.date | None,
          year: int | None = None) -> DateFound | str | None:
    gd = m.groupdict()
    s, e = m.span()
    surface = m.group()
    if kind == "iso" or kind == "numeric":
        y = int(gd["y"])
        y = y + 2000 if y < 100 else y
        value = _iso(y, int(gd["mo"]), int(gd["d"]))
        return DateFound(s, e, surface, value=value) if value else None
    if kind == "yrange":
        y1, y2 = int(gd["y1"]), int(gd["y2"])
        if not y1 < y2 <= y1 + 50:
            return None
        return DateFound(s, e, surface, range_start=str(y1), range_end=str(y2))
    if kind == "year":
        return DateFound(s, e, surface, value=_iso(int(gd["y"])))
    month = _month(g, gd["m"])
    y = int(gd["y"]) if gd.get("y") else year
    if y is None:
        rel = _relative_year(g, text, s, e, base)
        if rel:
            y, s, e = rel
            surface = text[s:e]
    if kind == "range":
        if y is None:
            return "pending"
        a, b = _iso(y, month, int(gd["d1"])), _iso(y, month, int(gd["d2"]))
        return DateFound(s, e, surface, range_start=a, range_end=b) if a and b and a < b else None
    if kind in ("dmy", "mdy", "dm", "md"):
        if y is None:
            return "pending"
        value = _iso(y, month, int(gd["d"]))
        return DateFound(s, e, surface, value=value) if value else None
    if kind == "my":
        return DateFound(s, e, surface, value=_iso(y, month))
    if kind == "month":
        # A month alone is a date only with a relative year next to it.
        if y is None:
            return None
        return DateFound(s, e, surface, value=_iso(y, month))
    return None


def _is_dateline(lead: str) -> bool:
    """"ASTANA," or "Бишкек," before a date: the place words of a dateline."""
    words = lead.rstrip(",").split()
    return lead.endswith(",") and 1 <= len(words) <= 3 and all(w[0].isupper() for w in words)


def publication_date(text: str, lang: str) -> str | None:
    """The date the text says it was published: a full date in its header
    (``date 2022-10-27``, ``09:12 / 2022-10-27``, ``11.11.22``)."""
    g = grammar(lang)
    if g.published is not None:
        for m in g.published.finditer(text):
            d = next(iter(find_dates(text[m.end():m.end() + 40], lang)), None)
            if d is not None and d.start <= 3 and d.value and len(d.value) == 10:
                return d.value
    head = text[:HEADER_CHARS]
    for d in find_dates(head, lang):
        if not (d.value and len(d.value) == 10):
            continue
        line_start = head.rfind("\n", 0, d.start) + 1
        line_end = head.find("\n", d.end)
        line = head[line_start: line_end if line_end >= 0 else None]
        lead = head[line_start:d.start].strip()
        if lead.lower() in ("", "date") or len(line.strip()) <= HEADER_LINE_CHARS or _is_dateline(lead):
            return d.value
    return None
