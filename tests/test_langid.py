import pytest

from pipeline.stages.langid import detect_language


@pytest.mark.parametrize("text,lang", [
    ("Dışişleri Bakanı, iki ülke arasındaki ilişkilerin güçlendirilmesi gerektiğini söyledi.", "tr"),
    ("The foreign ministers agreed to strengthen cooperation in transport and energy.", "en"),
    ("Министры договорились расширить сотрудничество в области транспорта и энергетики.", "ru"),
    ("Die Minister vereinbarten eine engere Zusammenarbeit im Verkehrsbereich.", "de"),
])
def test_languages(text, lang):
    assert detect_language(text).language == lang


def test_no_text_is_undetermined():
    assert detect_language("  \n 123 ... ").language == "und"
