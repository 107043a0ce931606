import datetime as dt
from pathlib import Path

import pytest

from pipeline.dates import find_dates, publication_date

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
])
def test_publication_date_from_header_only(text, lang, expected):
    assert publication_date(text, lang) == expected


def test_dates_far_apart_in_long_prose_are_all_found():
    # the patterns scan only the stretches around numbers and month names
    filler = "The ministers discussed trade, transport and culture at length. " * 40
    text = (filler + "Trade grew between 2019 and 2021. " + filler + "The summit opened on 9-12 September 2019. "
            + filler + "They will meet again on 3 November.")
    assert values(text, "en") == [("2019", "2021"), ("2019-09-09", "2019-09-12"), "2024-11-03"]
