"""Countries inside hyphenated pairs, and former states (data/countries_extra.tsv)."""
import pytest

from pipeline.stages.places import find_places, has_iso_code
from pipeline.knowledge.textnorm import tokenize


def countries(text, lang):
    return [(m.code, text[m.start:m.end]) for m in find_places(tokenize(text), lang) if m.kind == "country"]


@pytest.mark.parametrize("text,lang,expected", [
    ("Uzbekistan-Tajikistan border talks resumed.", "en", [("UZ", "Uzbekistan"), ("TJ", "Tajikistan")]),
    ("Gürcistan-Azerbaycan'ın ortak projesi tamamlandı.", "tr", [("GE", "Gürcistan"), ("AZ", "Azerbaycan")]),
    ("Переговоры в формате Монголия-Китай продолжились.", "ru", [("MN", "Монголия"), ("CN", "Китай")]),
])
def test_a_hyphenated_pair_names_both_countries(text, lang, expected):
    assert countries(text, lang) == expected


def test_a_pair_that_starts_a_name_stays_whole():
    assert countries("Kazakistan-Türkiye Dostluk Derneği üyeleri toplandı.", "tr") == []


def test_a_hyphenated_city_stays_one_place():
    found = [(m.kind, m.text) for m in find_places(tokenize("Zirve Kırgızistan'ın Çolpan-Ata kentinde yapıldı."), "tr")]
    assert ("city", "Çolpan-Ata") in found


@pytest.mark.parametrize("text,lang,form", [
    ("He studied in Moscow when the Soviet Union still existed.", "en", "Soviet Union"),
    ("Sovyetler Birliği'nin dağılmasından sonra bağımsızlık ilan edildi.", "tr", "Sovyetler Birliği"),
    ("После распада СССР страна стала независимой.", "ru", "СССР"),
])
def test_the_soviet_union_is_a_former_state_without_a_current_code(text, lang, form):
    assert countries(text, lang) == [("SU", form)]
    assert not has_iso_code("SU") and has_iso_code("KZ")


def test_a_record_keeps_former_states_out_of_its_countries(pipeline):
    record = pipeline.extract_text("After the collapse of the Soviet Union, Kazakhstan declared independence.")
    assert [c.code for c in record.countries] == ["KZ"]
