"""Reading: bytes on disk to text, with encoding detection, HTML to text and
boilerplate masking. Offsets downstream index ``Document.text``; for a page
that is the article text trafilatura extracted, which the record carries.

Nothing here raises past its document: :func:`read_inputs` turns every file,
whatever its bytes, type or name, into a :class:`Document` or an error entry."""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator

from ..knowledge.resources import data_lines

if TYPE_CHECKING:
    from ..schema import ErrorEntry

# Default size limit per document (--max-bytes): ten times the longest press
# release seen, small enough that a stray disk image is refused at once.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_DOC_TIMEOUT = 600.0  # seconds of wall time; a 10 MB English text (the default size limit) took 196 s of CPU here
STDIN = "-"  # an input path that means "one document from standard input"
STDIN_SOURCE = "<stdin>"
BROKEN_UTF8 = "utf-8 (invalid bytes replaced)"
REPLACED_WARNING = "invalid {} bytes were replaced"
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Tried, strictly, on text that is not UTF-8 before the legacy code pages:
# these read NUL bytes that would otherwise make the file look binary.
_WIDE = [("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)]
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
    warnings: list[str] = field(default_factory=list)  # copied into the record

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


def _few_replaced(text: str) -> bool:
    """A handful of U+FFFD in a long text: a damaged text, still worth reading."""
    return text.count("\ufffd") <= max(3, len(text) // 1000)


def _texty(text: str) -> bool:
    """Decoded text that reads as the languages pressx knows: nearly all of it
    Latin, Greek or Cyrillic letters, digits, punctuation or spaces (a wrong
    16-bit decoding gives CJK and unassigned code points)."""
    if not text:
        return False
    ok = sum(1 for ch in text if ord(ch) < 0x0530 and (ch.isprintable() or ch.isspace())
             or 0x2000 <= ord(ch) < 0x2070 or ch == "\ufeff")
    return ok >= 0.95 * len(text)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, if the bytes read as one."""
    sample = data[:65536]
    for name, width in _WIDE:
        cut = sample[:len(sample) - len(sample) % width]
        try:
            text = cut.decode(name)
        except UnicodeDecodeError:
            continue
        if _texty(text):
            return name
    return None


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes to (text, encoding, warnings): BOM, then BOM-less UTF-32/16
    (for bytes with NULs), then strict UTF-8, then UTF-8 with a few bad bytes replaced, then
    charset-normalizer's guess. Bytes that decode under no reading raise
    :class:`ReadError`, never ``UnicodeDecodeError``."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            plain = name.replace("-sig", "")
            try:
                return data.decode(name), plain, []
            except UnicodeDecodeError:
                pass  # a BOM, then bytes that are not that encoding (or cut short)
            text = data.decode(name, errors="replace")
            if _few_replaced(text):
                return text, plain, [REPLACED_WARNING.format(plain.upper())]
            if name == "utf-32":  # FF FE 00 00 also starts UTF-16LE text with a NUL
                continue
            raise ReadError(f"starts with a {plain.upper()} byte-order mark, but its bytes are not {plain.upper()}")
    # NUL bytes are no UTF-8 text's, but are in UTF-16/32 (whose Cyrillic can
    # even be valid UTF-8, byte for byte): those readings go first
    wide = _wide_encoding(data) if _looks_binary(data) else None
    if wide is not None:
        text = data.decode(wide, errors="replace")  # a last unit cut short becomes U+FFFD
        return text, wide, ([REPLACED_WARNING.format(wide.upper())] if "\ufffd" in text else [])
    if _looks_binary(data):
        raise ReadError("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if _few_replaced(lenient) and any(b >= 0xC2 for b in data[:100_000]):
        return lenient, BROKEN_UTF8, [REPLACED_WARNING.format("UTF-8")]  # a UTF-8 text with a few broken bytes
    from charset_normalizer import from_bytes

    # Only encodings that Turkish, Russian and Western press releases use:
    # with all of them open, short Cyrillic texts read as CJK code pages.
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best() or from_bytes(data).best()
    if best is None:
        raise ReadError("binary or undecodable content")
    try:
        return str(best), best.encoding, []
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(f"undecodable content ({best.encoding}: {exc})") from exc


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
    return b"\x00" in data[:4096]


def read_bytes(data: bytes, doc_id: str, source: str, html: bool | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    if len(data) > max_bytes:
        raise ReadError(f"document is over the limit of {max_bytes} bytes (--max-bytes)")
    text, encoding, warnings = decode(data)
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
        warnings=warnings,
    )


def _bounded_read(fh: BinaryIO, max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes: enough to know a file is over the limit
    without reading it all (a 3 GB file, /dev/zero)."""
    chunks, left = [], max_bytes + 1
    while left > 0:
        chunk = fh.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise ReadError(f"document is over the limit of {max_bytes} bytes (--max-bytes)")
    return data


def _file_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refused by its size before reading, and
    opened without blocking so a FIFO or device named as input cannot hang."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if os.path.islink(path) and not os.path.exists(path):
            raise ReadError("broken symbolic link (its target does not exist)") from exc
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else \
                "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
            raise ReadError(f"not a regular file: {kind}")
        if info.st_size > max_bytes:
            raise ReadError(f"document is {info.st_size} bytes, over the limit of {max_bytes} (--max-bytes)")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)  # a regular file: plain reads from here on
        try:
            return _bounded_read(fh, max_bytes)
        except OSError as exc:
            raise ReadError(f"cannot read file: {exc.strerror or exc}") from exc


def is_uri(path: str | Path) -> bool:
    """``s3://bucket/key``-style input (read by ``--engine ray`` through pyarrow)."""
    return "://" in str(path)


_MANGLED_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):(/.*)$")


def as_uri(path: Path | str) -> Path | str:
    """A command-line path back as the URI it was: ``Path("s3://b/k")`` reads
    ``s3:/b/k`` (pathlib folds the double slash), which names no local file."""
    m = _MANGLED_URI.match(str(path))
    if m is None or Path(path).exists():
        return path
    scheme, rest = m.groups()
    return f"{scheme}://{rest}" if scheme == "file" else f"{scheme}://{rest.lstrip('/')}"


def display_name(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (kept by Python
    as lone surrogates, which no JSON writer accepts) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def source_of(path: Path) -> str:
    """Absolute path of an input, so ``source`` names the file wherever pressx ran."""
    return STDIN_SOURCE if str(path) == STDIN else display_name(os.path.abspath(path))


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, doc_id: str | None = None) -> Document:
    """Read one file (``.txt`` or ``.html``), or standard input for ``-``, into a
    :class:`Document`."""
    path = Path(path)
    if str(path) == STDIN:
        data = _bounded_read(sys.stdin.buffer, max_bytes)
        return read_bytes(data, doc_id=doc_id or "stdin", source=STDIN_SOURCE, max_bytes=max_bytes)
    data = _file_bytes(path, max_bytes)
    html = True if path.suffix.lower() in {".html", ".htm"} else None
    doc = read_bytes(data, doc_id=doc_id or display_name(path.stem), source=source_of(path), html=html,
                     max_bytes=max_bytes)
    if display_name(path.name) != path.name:
        doc.warnings.append("the file name is not valid UTF-8; undecodable bytes are shown as U+FFFD")
    return doc


INPUT_SUFFIXES = {".txt", ".html", ".htm"}


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the ``.txt``/``.html`` entries inside folders named, sorted.
    Entries that are not regular files (FIFOs, broken links) are kept, so that
    they get an error entry instead of vanishing."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in INPUT_SUFFIXES and not f.is_dir()))
        else:
            found.append(p)
    return found


def doc_ids(paths: list[Path]) -> list[tuple[str, str | None]]:
    """A distinct doc id per input: the file name without its extension, and for
    a later file of the same name (another folder, another extension) that name
    with ``~2``, ``~3``..., with a warning saying why."""
    out: list[tuple[str, str | None]] = []
    first: dict[str, Path] = {}
    taken: set[str] = set()
    for path in paths:
        stem = "stdin" if str(path) == STDIN else display_name(path.stem)
        doc_id, n = stem, 1
        while doc_id in taken:
            n += 1
            doc_id = f"{stem}~{n}"
        first.setdefault(stem, path)
        taken.add(doc_id)
        out.append((doc_id, None if doc_id == stem else
                    f"doc id '{doc_id}': another input, {source_of(first[stem])}, has the id '{stem}'"))
    return out


def read_inputs(paths: list[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | ErrorEntry]:
    """A Document or an ErrorEntry for every input, in order; never raises."""
    from ..schema import ErrorEntry

    for path, (doc_id, renamed) in zip(paths, doc_ids(paths)):
        try:
            doc = read_document(path, max_bytes=max_bytes, doc_id=doc_id)
        except ReadError as exc:
            yield ErrorEntry(doc_id=doc_id, source=source_of(path), stage="reading", reason=str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong stays with this document
            yield ErrorEntry(doc_id=doc_id, source=source_of(path), stage="reading",
                             reason=f"{type(exc).__name__}: {exc}")
            continue
        if renamed:
            doc.warnings.append(renamed)
        yield doc
