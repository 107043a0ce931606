"""An .html input end to end: the record carries the article text its spans
index, without the page's chrome, and the date the page's markup states."""
from pathlib import Path

import pytest

from pipeline.run.reading import read_document

PAGE = Path(__file__).parent / "data" / "pages" / "tr-news-page.html"
CHROME = ["Çerez", "Kabul et", "Ana Sayfa", "Gündem", "Haberlerde ara", "İlgili Haberler", "Londra",
          "Tüm hakları", "Künye", "Son güncelleme", "dataLayer", "cookie"]


def test_the_page_reads_to_its_article_without_chrome():
    doc = read_document(PAGE)
    assert doc.is_html and doc.published == "2024-03-14"
    assert doc.text.startswith("Dışişleri Bakanı Ayşe Kaya Bakü'de mevkidaşıyla görüştü")
    assert "3 Ekim 2023 tarihinde Nahçıvan'da" in doc.text
    for word in CHROME:
        assert word not in doc.text, word


@pytest.fixture(scope="module")
def record(pipeline):
    (rec,) = list(pipeline.extract_paths([PAGE]))
    return rec


def test_every_span_is_checkable_against_the_record_text(record):
    text = record.text
    assert text and "Kabul et" not in text
    spans = [(s, e, p.mentions) for p in record.persons for s, e in p.spans]
    spans += [(s, e, [r.title]) for p in record.persons for r in p.roles for s, e in r.spans]
    spans += [(s, e, c.mentions) for c in record.countries for s, e in c.spans]
    spans += [(s, e, c.mentions) for c in record.cities for s, e in c.spans]
    spans += [(d.span[0], d.span[1], [d.text]) for d in record.dates]
    assert len(spans) >= 10
    for s, e, forms in spans:
        assert 0 <= s < e <= len(text)
        # a mention is the span's text, or its name without a case suffix ("Kaya'nın" -> "Kaya")
        assert any(text[s:e] == f or text[s:e].startswith(f) or f in text[s:e] for f in forms), (text[s:e], forms)


def test_the_page_date_and_the_article_dates(record):
    assert record.publication_date == "2024-03-14"
    values = {d.value or (d.start, d.end) for d in record.dates}
    assert {"2023-10-03", "2025", "2024-03-16"} <= values
    assert "2024-03-15" not in values  # the footer's "last updated" is not in the article
    assert "AZ" in {c.code for c in record.countries}
    assert {"Baku", "Ankara"} <= {c.name for c in record.cities}
