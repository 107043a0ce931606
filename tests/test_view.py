"""The review page: every mention highlighted at its offsets, text escaped,
and it opens in a real browser."""
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import ROOT

from pipeline import Pipeline
from pipeline.review.view import build_report, marks_of


class Marks(HTMLParser):
    """(kind, start, end) of every <mark>, and the text outside tooltips."""

    def __init__(self):
        super().__init__()
        self.marks, self.text, self._tip, self._in_text = set(), [], 0, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "mark":
            self.marks.add((a["data-kind"], int(a["data-start"]), int(a["data-end"])))
        if tag == "span" and a.get("class") == "tip":
            self._tip += 1
        if tag == "div" and a.get("class") == "text":
            self._in_text += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._tip:
            self._tip -= 1
        if tag == "div" and self._in_text:
            self._in_text -= 1
            self.text.append("\0")

    def handle_data(self, data):
        if self._in_text and not self._tip:
            self.text.append(data)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("view") / "records.jsonl"
    records = list(Pipeline().extract_paths([ROOT / "data" / "raw"]))
    out.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return out, records


def test_every_mention_is_highlighted_at_its_offsets(seeds):
    out, records = seeds
    page = Marks()
    page.feed(build_report(out, raw_dir=ROOT / "data" / "raw"))
    expected = {(m.kind, m.start, m.end) for r in records for m in marks_of(r)}
    assert expected and page.marks == expected
    kinds = {k for k, _, _ in expected}
    assert kinds == {"person", "role", "country", "city", "date"}
    texts = "".join(page.text).split("\0")[:-1]
    assert texts == [(ROOT / "data" / "raw" / f"{r.doc_id}.txt").read_text(encoding="utf-8") for r in records]


def test_text_from_a_press_release_cannot_inject_markup(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.txt").write_text('Bakan <b>Ali Demir</b> dedi ki: <script>alert("x")</script> & "Ankara" <img src=x onerror=alert(1)>',
                               encoding="utf-8")
    out = tmp_path / "r.jsonl"
    out.write_text("".join(r.model_dump_json() + "\n" for r in Pipeline().extract_paths([raw])), encoding="utf-8")
    html = build_report(out, raw_dir=raw)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Ali" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert not re.search(r"<script", html)  # the page runs no script at all


def test_gold_marks_misses_and_spurious_items(seeds, tmp_path):
    out, _ = seeds
    html = build_report(out, gold_dir=ROOT / "data" / "gold")
    assert "Evaluation against the gold annotations" in html
    assert "missed role: Golib Khasanov / journalist" in html


def test_the_page_opens_in_headless_chromium(seeds, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("Chromium is not installed (Debian package 'chromium'); the page was not opened in a browser")
    out, _ = seeds
    page = tmp_path / "report.html"
    page.write_text(build_report(out, gold_dir=ROOT / "data" / "gold"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    res = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
                          "--window-size=1280,1600", f"--screenshot={shot}", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000, res.stderr[-2000:]
    assert "CONSOLE" not in res.stderr  # no errors or logs from the page
