import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.dates import find_dates, publication_date, resolve_date, weekday_date

BASE = dt.date(2024, 5, 20)

TABLE = Path(__file__).parent / "data" / "date_table.tsv"


def _expected(cell: str):
    out = []
    for part in filter(None, cell.split(";")):
        out.append(tuple(part.split("..")) if ".." in part else part)
    return out


CASES = [(row[0], row[1], _expected(row[2] if len(row) > 2 else ""))
         for row in (line.rstrip("\n").split("\t") for line in TABLE.read_text(encoding="utf-8").splitlines())
         if row[0] and not row[0].startswith("#")]


def values(text, lang, base=BASE):
    return [d.value or (d.range_start, d.range_end) for d in find_dates(text, lang, base)]


def test_the_table_is_large_and_covers_three_languages():
    assert len(CASES) >= 150
    assert {lang for lang, _, _ in CASES} == {"tr", "en", "ru"}


@pytest.mark.parametrize("lang,text,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
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
    # datelines with the date after the place or after the agency, abbreviated months
    ("Новости\n\nТокаев провел встречу\n\nАСТАНА, 9 фев 2024 - Sputnik. Президент провел встречу.", "ru", "2024-02-09"),
    ("Dünya\n\nHeyet kabul edildi\n\nBİŞKEK (AA) - 12 Eki 2024\nCumhurbaşkanı heyeti kabul etti.", "tr", "2024-10-12"),
    ("Kabul töreni\n\n2 Ara. 2023\nBİŞKEK (AA) - Cumhurbaşkanı, heyeti kabul etti ve görüştü.", "tr", "2023-12-02"),
    # a time stamp beside the date, also glued to it
    ("Новости\n19.12.2017 [11:52]\nВ Бишкеке прошла встреча министров.", "ru", "2017-12-19"),
    ("Лента\n\nМинистры обсудили транзит\n\n18:4107.04.2021\n\nМинистры обсудили транзит грузов.", "ru", "2021-04-07"),
    # a "date" header with the text going on on the same line
    (" date 2024-03-05 The ministers met in Baku on Tuesday.", "en", "2024-03-05"),
    # the date after more than 200 characters of page header
    ("Home › News › Politics › Central Asia › Diplomacy\nShare on Facebook | Share on Twitter | Share on Telegram | "
     "Print | Email this article\nFont size: A A A\nSubscribe to our newsletter for the latest news from the region\n\n"
     "Ministers discuss trade\n\nTASHKENT, March 4, 2024 (UzA) - The foreign ministers met on Monday.", "en", "2024-03-04"),
    ("Ministers discuss trade and transport\n" + "Tags: trade, transport, Central Asia, corridors, ministers\n" * 5
     + "Published: 05.03.2024 10:15\nThe ministers met.", "en", "2024-03-05"),
    # a "published in" line at the end, not a "last updated" one
    ("Ministers met in Tashkent.\nThe talks covered trade.\nPublished in Daily Example, March 6th, 2024", "en", "2024-03-06"),
    ("Ministers discuss trade\nLast updated: 12.03.2024 14:00\nThe ministers met in Tashkent.", "en", None),
    ("Bakanlar görüştü\nYayınlanma: 11.03.2024 10:15 | Son güncelleme: 12.03.2024 09:00\nBakanlar görüştü.", "tr",
     "2024-03-11"),
    # a page's menus push the dateline past 1,000 characters
    ("\n".join(f"Section {i} | Topic {i} | Archive {i}" for i in range(40))
     + "\n\nASTANA, March 4, 2024 - The ministers met and discussed trade and transport corridors at length.", "en",
     "2024-03-04"),
    # a prose sentence that starts with a date is no dateline
    ("Bakanlar toplandı\n\nÖzbekistan Dışişleri Bakanı Ali Veli, 14 Ekim 2021 tarihinde Büyükelçiyi kabul etti "
     "ve işbirliği konularını ele aldı.", "tr", None),
])
def test_publication_date_from_header_only(text, lang, expected):
    assert publication_date(text, lang) == expected


def test_dates_far_apart_in_long_prose_are_all_found():
    # the patterns scan only the stretches around numbers and month names
    filler = "The ministers discussed trade, transport and culture at length. " * 40
    text = (filler + "Trade grew between 2019 and 2021. " + filler + "The summit opened on 9-12 September 2019. "
            + filler + "They will meet again on 3 November.")
    assert values(text, "en") == [("2019", "2021"), ("2019-09-09", "2019-09-12"), "2024-11-03"]


@pytest.mark.parametrize("index,when,expected", [
    (6, None, "2024-05-19"), (0, None, "2024-05-20"), (0, "past", "2024-05-20"), (0, "future", "2024-05-20"),
    (4, "future", "2024-05-24"), (4, "past", "2024-05-17"),
])
def test_a_weekday_lies_on_the_side_of_the_publication_day_the_tense_gives(index, when, expected):
    assert weekday_date(index, BASE, when).isoformat() == expected


@pytest.mark.parametrize("expr,lang,sentence,expected", [
    ("on Friday", "en", "The ministers will meet on Friday.", "2024-05-24"),
    ("on Friday", "en", "The ministers met on Friday.", "2024-05-17"),
    ("Cuma", "tr", "Bakanlar Cuma günü görüşecek.", "2024-05-24"),
    ("в пятницу", "ru", None, "2024-05-17"),
    ("dün", "tr", None, "2024-05-19"),
    ("3 Ekim'de", "tr", "Heyet 3 Ekim'de gelecek.", "2024-10-03"),
    ("9-12 Eylül 2019", "tr", None, ("2019-09-09", "2019-09-12")),
    ("next month", "en", None, "2024-06"),
    ("the delegates", "en", None, None),
])
def test_resolve_date_for_event_dates(expr, lang, sentence, expected):
    assert resolve_date(expr, lang, "2024-05-20", sentence) == expected


def test_a_month_without_a_year_needs_a_cue_or_a_capital():
    assert values("Heyet Haziran'da geldi. Heyet kasım ayında dönecek.", "tr") == ["2023-06", "2024-11"]
    assert values("Ekim zamanı geldi, ocak başında yandı.", "tr") == []
    assert values("You may go in peace.", "en") == []


def test_the_same_year_takes_the_year_stated_last():
    assert values("В 2016 году создан совет, а с ноября этого же года работает секретариат.", "ru", base=None) == [
        "2016", "2016-11"]


ALPHABET = "0123456789 .,/-:()'’\n" + "abcdeğıişöüçАВмаяфевнояб" + "MarchEkiAra.ОктябрьHaziranCumaFriday"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120), st.sampled_from(["tr", "en", "ru"]),
       st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_dates_with_a_publication_date_never_raise_and_point_at_the_text(s, lang, base):
    publication_date(s, lang)
    for d in find_dates(s, lang, base):
        assert s[d.start:d.end] == d.text
