import codecs

import pytest

from pipeline.run.reading import ReadError, collect_inputs, read_bytes, read_document

TR = "Dışişleri Bakanı Ayşe Çelik, İstanbul'da düzenlenen toplantıda ülkelerin işbirliğini ğüşıöç vurguladı."
RU = "Министр иностранных дел Казахстана провёл встречу с послом Узбекистана в Астане."


@pytest.mark.parametrize("text,encoding", [(TR, "cp1254"), (TR, "iso-8859-9"), (RU, "cp1251"), (RU, "koi8-r")])
def test_legacy_encodings_are_detected(text, encoding):
    doc = read_bytes(text.encode(encoding), "x", "x")
    assert doc.text == text


def test_utf16_with_bom():
    doc = read_bytes(codecs.BOM_UTF16_LE + TR.encode("utf-16-le"), "x", "x")
    assert doc.text == TR and doc.encoding == "utf-16"


def test_html_text_without_scripts_and_styles():
    html = b"<html><head><style>p{color:red}</style><script>alert('x')</script></head>" \
           b"<body><nav>Home | News</nav><p>The Minister met the Ambassador.</p></body></html>"
    doc = read_bytes(html, "x", "x")
    assert doc.is_html
    assert "The Minister met the Ambassador." in doc.text
    assert "alert" not in doc.text and "color" not in doc.text and "Home" not in doc.text


def test_boilerplate_is_masked_but_offsets_kept():
    text = "Haber Arşivi\nBakan Ali Demir Ankara'da konuştu.\nSon Güncelleme: 12.03.2021"
    doc = read_bytes(text.encode(), "x", "x")
    clean = doc.clean_text
    assert len(clean) == len(text)
    assert "Haber" not in clean and "Güncelleme" not in clean
    assert clean.index("Bakan Ali Demir") == text.index("Bakan Ali Demir")


def test_binary_and_oversized_input_are_refused(tmp_path):
    with pytest.raises(ReadError, match="binary"):
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x", "x")
    with pytest.raises(ReadError, match="limit"):
        read_bytes(b"a" * 100, "x", "x", max_bytes=10)
    with pytest.raises(ReadError):
        read_document(tmp_path / "missing.txt")


def test_collect_inputs_takes_txt_and_html_in_order(tmp_path):
    for name in ["b.txt", "a.html", "c.pdf", "sub/d.txt"]:
        p = tmp_path / name
        p.parent.mkdir(exist_ok=True)
        p.write_text("x")
    assert [p.name for p in collect_inputs([tmp_path])] == ["a.html", "b.txt", "d.txt"]
