import datetime as dt

import pytest

from pipeline.dates import find_dates, publication_date

BASE = dt.date(2024, 5, 20)

# (language, text, expected values; a tuple is a range)
CASES = [
    ("tr", "Toplantı 14 Şubat 2021 tarihinde yapıldı.", ["2021-02-14"]),
    ("tr", "Forum 2-5 Haziran 2023 tarihlerinde düzenlenecek.", [("2023-06-02", "2023-06-05")]),
    ("tr", "Anlaşma 7 Mart 2017'de imzalandı.", ["2017-03-07"]),
    ("tr", "Heyet Nisan 2016'da geldi.", ["2016-04"]),
    ("tr", "Zirve 2022 yılında yapıldı.", ["2022"]),
    ("tr", "Program 2021-2025 dönemini kapsıyor.", [("2021", "2025")]),
    ("tr", "Bir sonraki toplantı bu yıl ekimde yapılacak.", ["2024-10"]),
    ("tr", "Geçen yıl benzer bir karar alındı.", ["2023"]),
    ("tr", "Etkinlik gelecek yıl Bakü'de yapılacak.", ["2025"]),
    ("tr", "Son 5 yılda ticaret iki katına çıktı.", []),
    ("en", "The treaty was signed on March 4, 2019.", ["2019-03-04"]),
    ("en", "The forum runs October 12-15, 2022 in Baku.", [("2022-10-12", "2022-10-15")]),
    ("en", "It was founded on 12 April 2001.", ["2001-04-12"]),
    ("en", "Talks resumed in July 2018.", ["2018-07"]),
    ("en", "The summit will take place next year.", ["2025"]),
    ("en", "Trade grew for 10 years.", []),
    ("en", "He attended Expo 2020 Dubai.", []),
    ("ru", "Встреча состоялась 27 октября 2022 года.", ["2022-10-27"]),
    ("ru", "Форум пройдет с 9 по 12 сентября 2019 года.", [("2019-09-09", "2019-09-12")]),
    ("ru", "Саммит пройдет 3 ноября текущего года.", ["2024-11-03"]),
    ("ru", "Соглашение подписано в прошлом году.", ["2023"]),
    ("ru", "Документ принят 05.03.2020.", ["2020-03-05"]),
]


def values(text, lang, base=BASE):
    return [d.value or (d.range_start, d.range_end) for d in find_dates(text, lang, base)]


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_date_table(lang, text, expected):
    assert values(text, lang) == expected


def test_year_less_date_without_anchor_is_left_out():
    assert values("Toplantı 3 Ekim'de yapıldı.", "tr", base=None) == []


def test_year_less_date_takes_the_one_year_the_text_states():
    assert values("Anlaşma 5 Mayıs 2018'de hazırlandı ve 9 Mayıs'ta imzalandı.", "tr", base=None) == [
        "2018-05-05", "2018-05-09"]


def test_offsets_point_at_the_text():
    text = "Toplantı 14 Şubat 2021 tarihinde yapıldı."
    d = find_dates(text, "tr", None)[0]
    assert text[d.start:d.end] == d.text == "14 Şubat 2021"


@pytest.mark.parametrize("text,lang,expected", [
    (" date 2023-04-01 Ankara, 1 Nisan. Bakan konuştu.", "tr", "2023-04-01"),
    ("Heads of state meet\n10:45 / 2021-11-12\n\nThe summit opened.", "en", "2021-11-12"),
    ("12.11.21\n\nВ Стамбуле открылся саммит.", "ru", "2021-11-12"),
    ("Bakanlar 31 Ocak 2019 tarihinde Almatı'da uzun bir toplantı yaptılar ve çeşitli konuları ele aldılar.", "tr", None),
])
def test_publication_date_from_header_only(text, lang, expected):
    assert publication_date(text, lang) == expected
