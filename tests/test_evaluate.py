"""The scorer on small gold/prediction pairs whose answers were worked out by hand."""
import pytest

from pipeline.review.evaluate import bcubed, match_persons, pairwise, score

GOLD = [{
    "doc_id": "a", "language": "tr", "publication_date": "2020-01-05",
    "persons": [
        {"entity": "ali-veli", "name": "Ali Veli", "mentions": ["Ali Veli", "Veli"],
         "roles": [{"title": "Bakan", "role_type": "minister"}], "country": "TR"},
        {"entity": "can-demir", "name": "Can Demir", "mentions": ["Can Demir"],
         "roles": [{"title": "Büyükelçi", "role_type": "ambassador"}], "country": None},
    ],
    "countries": ["TR", "KZ"],
    "cities": [{"name": "Almaty", "aliases": ["Almatı"], "country": "KZ"}],
    "dates": [{"text": "2020", "value": "2020"}, {"text": "1-3 Ocak 2020", "start": "2020-01-01", "end": "2020-01-03"}],
}]
PRED = [{
    "doc_id": "a", "language": "tr", "publication_date": None,
    "persons": [
        {"entity_id": "P1", "name": "Veli", "roles": [{"title": "Bakan", "role_type": "minister"}], "country": "TR"},
        {"entity_id": "P2", "name": "Jan Kowalski", "roles": [{"title": "Director", "role_type": "director"}],
         "country": "PL"},
    ],
    "countries": [{"code": "TR"}, {"code": "UZ"}],
    "cities": [{"name": "Almaty", "mentions": ["Almatı"]}, {"name": "Baku", "mentions": ["Bakü"]}],
    "dates": [{"value": "2020"}, {"value": "2021"}],
}]


def test_every_field_counts():
    r = score(GOLD, PRED).as_dict()["overall"]
    expect = {"persons": (1, 1, 1), "roles": (1, 1, 1), "person_country": (1, 1, 0),
              "countries": (1, 1, 1), "cities": (1, 1, 0), "dates": (1, 1, 1)}
    for field, (tp, fp, fn) in expect.items():
        assert (r[field]["tp"], r[field]["fp"], r[field]["fn"]) == (tp, fp, fn), field
    assert r["persons"]["f1"] == 0.5 and r["person_country"]["r"] == 1.0
    assert r["language_acc"] == 1.0 and r["publication_date_acc"] == 0.0


def test_json_shape_has_languages_and_resolution():
    d = score(GOLD, PRED).as_dict()
    assert set(d) == {"overall", "by_language", "resolution"}
    assert set(d["by_language"]) == {"tr"} and set(d["resolution"]) == {"bcubed", "pairwise"}


@pytest.mark.parametrize("pred_name,matches", [
    ("ALİ VELİ", True),             # case with Turkish dotted capital
    ("Ali  Véli", True),           # diacritics and spacing fold away
    ("Veli", True),                # a gold mention
    ("Ali Velii", True),           # token-sort ratio >= 90
    ("Ali Demir", False),
])
def test_person_matching_rules(pred_name, matches):
    gold = GOLD[0]["persons"][:1]
    assert bool(match_persons(gold, [{"name": pred_name}])) is matches


def test_entity_key_read_as_a_name_matches():
    gold = [{"entity": "bakyt-sharshembiev", "name": "Bakit Sharshembiyev", "mentions": []}]
    assert match_persons(gold, [{"name": "Bakyt Sharshembiev"}]) == [(0, 0)]


def test_matching_is_one_to_one():
    gold = GOLD[0]["persons"][:1]
    assert len(match_persons(gold, [{"name": "Ali Veli"}, {"name": "Veli"}])) == 1


def test_bcubed_and_pairwise_on_a_known_clustering():
    split = [("a", "x"), ("a", "x"), ("b", "x"), ("c", "y")]
    p, r, f = bcubed(split)
    assert (p, round(r, 4), round(f, 4)) == (1.0, 0.6667, 0.8)
    assert pairwise(split) == (1.0, 1 / 3, 0.5)
    merged = [("a", "x"), ("a", "y")]
    assert bcubed(merged)[:2] == (0.5, 1.0)
    assert pairwise(merged)[0] == 0.0
