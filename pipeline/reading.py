"""Reading: bytes on disk to text, with encoding detection, HTML to text and
boilerplate masking. Offsets downstream index ``Document.text``; for a page
that is the article text trafilatura extracted, which the record carries."""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .resources import data_lines

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
BROKEN_UTF8 = "utf-8 (invalid bytes replaced)"
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
LEGACY_ENCODINGS = ["cp1254", "iso8859_9", "cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic",
                    "cp866", "cp1252", "iso8859_1", "iso8859_15", "cp1250", "utf_16", "utf_32"]
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[\s>])", re.I)


class ReadError(Exception):
    """The file cannot be read as a press release (reason in the message)."""


@dataclass
class Document:
    doc_id: str
    source: str
    text: str
    encoding: str
    is_html: bool = False
    published: str | None = None  # an HTML page's own publication date (htmldate)
    content_hash: str = ""
    masked: list[tuple[int, int]] = field(default_factory=list)

    @property
    def clean_text(self) -> str:
        """``text`` with boilerplate blanked out; same length, same offsets."""
        if not self.masked:
            return self.text
        chars = list(self.text)
        for start, end in self.masked:
            for i in range(start, end):
                if chars[i] != "\n":
                    chars[i] = " "
        return "".join(chars)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes: BOM, then strict UTF-8, then UTF-8 with a few bad bytes
    replaced, then charset-normalizer's guess."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(3, len(lenient) // 1000) and any(b >= 0xC2 for b in data[:100_000]):
        return lenient, BROKEN_UTF8  # a UTF-8 text with a few broken bytes
    from charset_normalizer import from_bytes

    # Only encodings that Turkish, Russian and Western press releases use:
    # with all of them open, short Cyrillic texts read as CJK code pages.
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best() or from_bytes(data).best()
    if best is None:
        raise ReadError("binary or undecodable content")
    return str(best), best.encoding


# Site chrome that trafilatura's fallbacks keep on a short page ("Home | News").
CHROME_XPATHS = ["//nav", "//footer", "//aside", "//form"]


@dataclass(frozen=True)
class Page:
    """What an HTML page gives: its main text (headline first) and the
    publication date the page states in its markup, if any."""
    text: str
    date: str | None = None


def read_page(html: str) -> Page:
    """The article of a page without its chrome (navigation, cookie banner,
    footer, related links), by trafilatura; its publication date by htmldate,
    from the page's own markup (meta tags, JSON-LD, ``<time>``, the URL)."""
    import trafilatura
    from htmldate import find_date

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                      prune_xpath=CHROME_XPATHS)
    text = (doc.text or "").strip() if doc is not None else ""
    title = (doc.title or "").strip() if doc is not None else ""
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}" if text else title
    if not text:
        text = html_to_text(html)  # no article found: all the visible text
    try:
        date = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd markup; a page without a date is no error
        date = None
    return Page(text, date)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page; scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=1)
def _boilerplate_re() -> re.Pattern[str]:
    phrases = sorted(data_lines("boilerplate.txt"), key=len, reverse=True)
    return re.compile(r"^[ \t\-–—•|]*(?:" + "|".join(map(re.escape, phrases)) + r")\b.*$", re.I | re.M)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _boilerplate_re().finditer(text)]


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def read_bytes(data: bytes, doc_id: str, source: str, html: bool | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    if len(data) > max_bytes:
        raise ReadError(f"document is {len(data)} bytes, over the limit of {max_bytes}")
    if _looks_binary(data):
        raise ReadError("binary content (NUL bytes), not text")
    text, encoding = decode(data)
    if html is None:
        html = bool(_HTML_START.match(data[:512]))
    published = None
    if html:
        page = read_page(text)
        text, published = page.text, page.date
    if "\x00" in text:
        raise ReadError("binary content (NUL characters), not text")
    if not text.strip():
        raise ReadError("empty document (no text)")
    return Document(
        doc_id=doc_id,
        source=source,
        text=text,
        encoding=encoding,
        is_html=html,
        content_hash=hashlib.sha256(data).hexdigest(),
        masked=boilerplate_spans(text),
        published=published,
    )


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file (``.txt`` or ``.html``) into a :class:`Document`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from exc
    html = True if path.suffix.lower() in {".html", ".htm"} else None
    return read_bytes(data, doc_id=path.stem, source=str(path), html=html, max_bytes=max_bytes)


INPUT_SUFFIXES = {".txt", ".html", ".htm"}


def collect_inputs(paths: list[str | Path]) -> list[Path]:
    """Files named, and the ``.txt``/``.html`` files inside folders named, sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES))
        else:
            found.append(p)
    return found
